"""Name matching and entity linking against the registry."""
