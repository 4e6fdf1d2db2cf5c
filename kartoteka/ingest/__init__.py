"""Readers that turn files and URLs into article drafts, one module per format."""
