"""A PDF file from its numbered objects: the header, body, cross-reference table and trailer.

The document tests, ``bench/documents.py`` and the document fuzzer write PDFs
by hand (no PDF writer is a dependency, and the fuzzer needs bytes a writer
would never produce); this is the one place that lays the objects out.
"""

from __future__ import annotations

from collections.abc import Sequence


def assemble_pdf(objects: Sequence[bytes], trailer_extra: bytes = b"") -> bytes:
    """Objects numbered from 1 (object 1 is the catalog), with a valid xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)
