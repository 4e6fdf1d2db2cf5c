"""``python -m kartoteka`` runs the CLI."""

from kartoteka.cli import main

main()
