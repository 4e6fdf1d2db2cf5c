"""Text processing: normalisation, encodings, language detection, queries."""
