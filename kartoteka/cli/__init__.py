"""The ``kartoteka`` command: a thin shell over the services layer.

Each module registers one group of commands; none holds logic of its own.
"""

from __future__ import annotations

import typer

from kartoteka.cli import articles, catalog, extraction, registry, users, web

app = typer.Typer(
    name="kartoteka",
    help="A cited, searchable knowledge base of articles about armed groups and the people tied to them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (articles, registry, extraction, catalog, web, users):
    module.register(app)


def main() -> None:
    app()
