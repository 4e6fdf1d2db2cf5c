"""Use cases that tie the layers together; the CLI and web app call only these."""
