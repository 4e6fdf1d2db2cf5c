"""Hostile documents for the PDF, DOCX, ODT and image readers, from one seeded ``Random``.

Each builder makes a small valid document first (a hand-written PDF, a DOCX
from python-docx, an ODT from odfpy, a PNG/JPEG/TIFF from Pillow), then breaks
it the ways real files and attackers do: cut, bytes flipped, broken XML inside
an intact ZIP, a ZIP that is no document, an encrypted PDF, page counts and
image sizes far past the limits, ``text:s`` asking for a billion spaces, XML
nested thousands deep.  Inputs stay small, so OCR targets cost a fraction of a
second each (a page image is at most a few hundred pixels tall).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache

from PIL import Image, ImageDraw

from bench.pdf_bytes import assemble_pdf

WORDS = ("Kosovo Liberation Army", "Hashim Thaçi", "Вагнер", "Ливия", "attack", "&amp;",
         "\x00", "\ud800", "ﬁ", "𝕏", "(", ")", "\\", "<", "]]>", "")

Mutator = Callable[[bytes, random.Random], bytes]


# --- PDF ------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(rng: random.Random) -> bytes:
    """A PDF with a text layer, sometimes with hostile page counts, boxes or encryption."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids: list[int] = []
    box = rng.choice((b"[0 0 612 792]", b"[0 0 612 792]", b"[0 0 0 0]", b"[0 0 -5 9]",
                      b"[0 0 14400 14400]", b"[0 0 1e30 1e30]", b"[x]", b"5"))
    for _ in range(rng.randint(1, 3)):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))
        content = b"BT /F1 12 Tf 72 720 Td " + _pdf_string(words) + b" Tj ET"
        if rng.random() < 0.1:
            content = content * rng.randint(100, 2000)
        stream = zlib.compress(content) if rng.random() < 0.8 else content
        flate = b" /Filter /FlateDecode" if stream is not content else b""
        length = rng.choice((len(stream), len(stream), 10**12, -1, 0))
        objects.append(b"<< /Length %d%s >>\nstream\n" % (length, flate) + stream
                       + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox " + box +
                       b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                       % len(objects))
        kids.append(len(objects))
    if rng.random() < 0.1:  # thousands of pages, past the page limit, in a tiny file
        kids = kids * rng.randint(700, 2000)
    count = rng.choice((len(kids), len(kids), 10**9, -3, 0))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), count)
    trailer = b""
    if rng.random() < 0.3:
        objects.append(b"<< /Title " + _pdf_string(rng.choice(WORDS) * rng.randint(1, 300))
                       + b" >>")
        trailer += b" /Info %d 0 R" % len(objects)
    if rng.random() < 0.15:  # a user password: PDFium cannot open it
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32
                       + b"> /U <" + b"cd" * 32 + b"> >>")
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"01" * 16, b"01" * 16)
    return assemble_pdf(objects, trailer)


def scanned_pdf(rng: random.Random) -> bytes:
    """An image-only PDF (OCR under ``--ocr auto``), small enough to OCR quickly."""
    pages = [_scan(rng) for _ in range(rng.randint(1, 2))]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=300)
    return buffer.getvalue()


def pdf(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.05:
        return b"%PDF-1.7\n" + rng.randbytes(rng.randint(0, 2000))  # garbage after the header
    data = scanned_pdf(rng) if roll < 0.15 else text_pdf(rng)
    return _maybe_mutate(data, rng, 0.5)


# --- DOCX and ODT (ZIPs of XML) -------------------------------------------------------


@cache
def _docx_parts() -> dict[str, bytes]:
    import docx

    document = docx.Document()
    document.core_properties.title = "Report"
    document.add_paragraph("Отчёт о группировке «Хурас ад-Дин».")
    document.add_page_break()  # type: ignore[no-untyped-call]
    document.add_paragraph("Page two names Hayat Tahrir al-Sham.")
    buffer = io.BytesIO()
    document.save(buffer)
    return _unzip(buffer.getvalue())


@cache
def _odt_parts() -> dict[str, bytes]:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Отчёт о группировке «Хурас ад-Дин»."))
    document.text.addElement(P(text="Second paragraph names Hayat Tahrir al-Sham."))
    buffer = io.BytesIO()
    document.save(buffer)
    return _unzip(buffer.getvalue())


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


_XML_NASTY = (b"<", b"&", b"&#0;", b"&#xD800;", b"&undefined;", b"\x00", b"\xff\xfe",
              b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>",
              b"</w:body>", b"]]>", b"\xed\xa0\x80")


def _break_xml(xml: bytes, rng: random.Random, deep: bytes, pages: bytes) -> bytes:
    """One way to spoil a document's XML: a nasty token, a cut, deep nesting, page breaks."""
    kind = rng.randrange(5)
    at = rng.randrange(len(xml) + 1)
    if kind == 0:
        return xml[:at] + rng.choice(_XML_NASTY) + xml[at:]
    if kind == 1:
        return xml[:at]
    anchor = xml.rfind(b"</", 0, max(xml.rfind(b"</"), 1))  # inside the body
    if kind == 2:  # nested thousands deep
        depth = rng.choice((100, 5000, 50_000))
        return xml[:anchor] + deep * depth + xml[anchor:]
    if kind == 3:  # thousands of page breaks: past the page limit
        return xml[:anchor] + pages * rng.choice((10, 2500)) + xml[anchor:]
    return xml[:at] + rng.randbytes(rng.randint(1, 32)) + xml[at:]


_DOCX_DEEP = b"<w:sdt><w:sdtContent>"
_DOCX_PAGES = b'<w:p><w:r><w:t>x</w:t><w:br w:type="page"/></w:r></w:p>'


def docx(rng: random.Random) -> bytes:
    parts = dict(_docx_parts())
    roll = rng.random()
    if roll < 0.1:  # a ZIP that is no DOCX
        parts = {"readme.txt": b"not a document", "word/other.xml": b"<x/>"}
    elif roll < 0.2:  # the main part missing, the rest intact
        parts.pop("word/document.xml")
    elif roll < 0.3:
        parts["[Content_Types].xml"] = _break_xml(parts["[Content_Types].xml"], rng, b"<a>",
                                                  b"")
    elif roll < 0.35:  # a zip bomb: says it unpacks far past the limit
        return _bomb(parts, "word/document.xml")
    elif roll < 0.4:
        parts["docProps/core.xml"] = _break_xml(parts["docProps/core.xml"], rng, b"<a>", b"")
    else:
        parts["word/document.xml"] = _break_xml(parts["word/document.xml"], rng, _DOCX_DEEP,
                                                _DOCX_PAGES)
    return _maybe_mutate(_zip(parts), rng, 0.25)


_ODT_DEEP = b"<text:span>"
_ODT_PAGES = b"<text:p>x</text:p><text:soft-page-break/>"
_ODT_SPACES = (b'<text:s text:c="x"/>', b'<text:s text:c="-4"/>',
               b'<text:s text:c="1000000000"/>', b'<text:s text:c="99999999999999999999"/>')


def odt(rng: random.Random) -> bytes:
    parts = dict(_odt_parts())
    roll = rng.random()
    if roll < 0.1:  # the mimetype says ODT, the content is missing
        parts.pop("content.xml")
    elif roll < 0.15:
        parts["mimetype"] = b"application/vnd.oasis.opendocument.spreadsheet"
    elif roll < 0.25:  # counted spaces of absurd or invalid counts
        xml = parts["content.xml"]
        at = xml.find(b"</text:p>")
        parts["content.xml"] = xml[:at] + rng.choice(_ODT_SPACES) + xml[at:]
    elif roll < 0.3:
        parts["meta.xml"] = _break_xml(parts["meta.xml"], rng, b"<a>", b"")
    elif roll < 0.35:
        parts["styles.xml"] = _break_xml(parts["styles.xml"], rng, b"<a>", b"")
    elif roll < 0.4:
        return _bomb(parts, "content.xml")
    else:
        parts["content.xml"] = _break_xml(parts["content.xml"], rng, _ODT_DEEP, _ODT_PAGES)
    return _maybe_mutate(_zip(parts), rng, 0.25)


# --- images ---------------------------------------------------------------------------


def _scan(rng: random.Random) -> Image.Image:
    """A short line of black text on white, a few hundred pixels wide."""
    image = Image.new("L", (rng.randint(8, 360), rng.randint(8, 60)), 255)
    ImageDraw.Draw(image).text((4, 4), rng.choice(("KLA 1998", "Wagner", "Ливия", "")), fill=0)
    return image


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its data does not have (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\x00" * 1024)
    idat = struct.pack(">I", len(data)) + b"IDAT" + data + struct.pack(
        ">I", zlib.crc32(b"IDAT" + data))
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def image(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.1:
        return _png_claiming(rng.choice((100_000, 2**31 - 1, 0)), rng.choice((100_000, 1, 0)))
    if roll < 0.15:  # a TIFF of many frames: past the page limit
        frames = [Image.new("L", (4, 4), 255)] * rng.choice((3, 2100))
        buffer = io.BytesIO()
        frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
        return _maybe_mutate(buffer.getvalue(), rng, 0.3)
    fmt = rng.choice(("PNG", "JPEG", "TIFF"))
    buffer = io.BytesIO()
    _scan(rng).save(buffer, format=fmt)
    return _maybe_mutate(buffer.getvalue(), rng, 0.6)


# --- shared ---------------------------------------------------------------------------


def _bomb(parts: dict[str, bytes], name: str) -> bytes:
    """The ZIP with one entry's recorded size raised to 4 GB, as a zip bomb declares
    it (writing 4 GB of zeros for each input would make the fuzzer the bottleneck)."""
    data = bytearray(_zip(parts))
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46:entry + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, entry + 24, 0xFFFFFFF0)
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


def _maybe_mutate(data: bytes, rng: random.Random, chance: float) -> bytes:
    if rng.random() >= chance:
        return data
    for _ in range(rng.choice((1, 1, 2, 4))):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(4)
        if kind == 0:  # truncated, as an interrupted download
            data = data[:at]
        elif kind == 1:
            chunk = rng.randbytes(rng.randint(1, 8))
            data = data[:at] + chunk + data[at + len(chunk):]
        elif kind == 2:
            data = data[:at] + data[at + rng.randint(1, 200):]
        else:
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
    return data


DOCUMENT_BUILDERS: dict[str, Callable[[random.Random], bytes]] = {
    "pdf": pdf, "docx": docx, "odt": odt, "image": image,
}
