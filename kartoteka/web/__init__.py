"""The FastAPI web app and JSON API."""
