"""The catalog by country: build, render, and parse catalog posts."""
