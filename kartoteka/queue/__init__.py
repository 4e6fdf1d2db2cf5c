"""The job queue: procrastinate on PostgreSQL, for workers on many machines.

``app`` builds the procrastinate App from settings and owns every task
(``tasks`` registers the pipeline's; other areas add theirs to
``app.REGISTRARS``); ``schema`` applies procrastinate's schema at
``kartoteka init``; ``stage`` defers ingest's later stages; ``jobs`` reads,
retries and follows jobs.  The embedded SQLite deployment never imports it.
"""
