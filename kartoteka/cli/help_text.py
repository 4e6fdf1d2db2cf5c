"""Plain option placeholders in ``--help``.

Typer 0.29 labels every option with its Python type: ``--json <bool>`` for a
flag that takes no value at all, ``--country <str>`` for text.  A flag gets
no placeholder; a text option is named after itself (``--country COUNTRY``,
also when it may be repeated),
as argparse and most command-line tools do.  Other types (``<int range>``,
``<path>``) keep Typer's label, which says something the name does not.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption


def tidy_help(command: Any) -> Any:
    """Rewrite the placeholders of ``command`` and every command under it; returns it."""
    from typer._click.core import Context

    ctx = Context(command)
    for param in command.get_params(ctx):  # includes the --help option
        if not isinstance(param, TyperOption) or param.metavar is not None:
            continue
        if param.is_flag:
            param.metavar = ""
        elif param.type_descriptor.annotation in (str, list[str]) and param.name:
            param.metavar = param.name.upper()
    for sub in getattr(command, "commands", {}).values():
        tidy_help(sub)
    return command
