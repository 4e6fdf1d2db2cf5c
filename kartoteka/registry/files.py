"""Open a registry file and read it in the format its name or content says."""

from __future__ import annotations

import io
from pathlib import Path

from kartoteka.registry.csv_format import read_csv
from kartoteka.registry.ftm import read_ftm
from kartoteka.registry.records import RegistryFile

FORMATS = ("ftm", "csv")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (missing, not UTF-8, unknown format)."""


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".json", ".jsonl", ".ndjson", ".ftm", ".ijson"):
        return "ftm"
    return "ftm" if text.lstrip().startswith("{") else "csv"


def read_registry_file(path: Path, fmt: str = "auto") -> RegistryFile:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot read: {exc.strerror or exc}") from None
    return read_registry_bytes(path, data, fmt)


def read_registry_bytes(path: Path, data: bytes, fmt: str = "auto") -> RegistryFile:
    """The records of a registry file's bytes; ``path`` names it and hints at its format."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{path}: not UTF-8 (byte {exc.start}): save the file as UTF-8"
        ) from None
    fmt = detect_format(path, text) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise UnreadableFile(f"unknown registry format {fmt!r}: use ftm or csv")
    # StringIO cuts only at line ends; str.splitlines also cuts at U+2028 inside a string.
    return read_csv(text) if fmt == "csv" else read_ftm(io.StringIO(text, newline=None))
