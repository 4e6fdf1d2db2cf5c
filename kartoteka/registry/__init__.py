"""The entity registry as files: FtM JSON lines and the simple CSV, read and written.

Pure code: no storage, no network.  Reading turns each line into an
``Entity`` or a ``Relation`` from ``kartoteka.model`` or into a
``RecordError`` that names the line, so one bad line never stops a file.
"""
