"""Documents the document tests make for themselves: PDFs, scans, DOCX and ODT.

Nothing here is a fixture file: each test writes the document it reads, so
what a reader is expected to find is visible in the test.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.pdf_bytes import assemble_pdf

_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
          "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    pytest.skip("no TrueType font with Cyrillic letters (fonts-dejavu-core) to draw a scan")


def scan(lines: list[str], width: int = 1700) -> Image.Image:
    """A page of black text on white at about 200 dpi, as a scanner gives."""
    font = _font(40)
    image = Image.new("L", (width, 120 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((80, 60 + 70 * row), line, fill=0, font=font)
    return image


def image_bytes(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def scanned_pdf(pages: list[Image.Image]) -> bytes:
    """A PDF with no text layer at all: each page is one picture."""
    return image_bytes(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=200)


def text_pdf(pages: list[str], *, title: str = "", encrypt: bool = False) -> bytes:
    """A PDF written by hand with a real text layer in Helvetica (Latin text only).

    ``encrypt`` adds a standard security handler whose user password is not
    empty, so a reader cannot open it without the password.
    """
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        lines = b"".join(
            b"(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode(
                "latin-1") + b") Tj 0 -18 Td "
            for line in text.split("\n")
        )
        stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + lines + b"ET")
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                       + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                       % len(objects))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    trailer_extra = b""
    if title:
        objects.append(b"<< /Title (" + title.encode("latin-1") + b") >>")
        trailer_extra += b" /Info %d 0 R" % len(objects)
    if encrypt:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32
                       + b"> /U <" + b"cd" * 32 + b"> >>")
        trailer_extra += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (
            len(objects), b"01" * 16, b"01" * 16)
    return assemble_pdf(objects, trailer_extra)


def chromium_pdf(html: str, tmp_path: Path) -> bytes:
    """A PDF printed by Chromium from HTML: real fonts, any script, CSS page breaks."""
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (make browser)")
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><meta charset=utf-8><body>{html}</body>", encoding="utf-8")
    output = tmp_path / "page.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--no-pdf-header-footer", f"--print-to-pdf={output}",
         page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return output.read_bytes()
