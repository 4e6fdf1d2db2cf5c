"""Document reading speed: text PDFs and OCR, beside the command-line tools.

Text PDFs: pages/s through kartoteka's PDF reader (PDFium), against
poppler's ``pdftotext`` run on the same file in the same run.  OCR: pages/s
through the reader on an image-only PDF (render at 300 dpi, then Tesseract),
against the ``tesseract`` program run on the same 300 dpi page images, plus
the share of the source words each recovered.

    python bench/documents.py [--pages 200] [--ocr-pages 6] [--seed 5]

The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pypdfium2 as pdfium  # noqa: E402
from pdf_bytes import assemble_pdf  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from synthetic_corpus import article, topic  # noqa: E402

from kartoteka.ingest.base import Input, ReadOptions  # noqa: E402
from kartoteka.ingest.ocr import RENDER_DPI  # noqa: E402
from kartoteka.ingest.pdf import PdfReader  # noqa: E402
from kartoteka.model import ArticleDraft  # noqa: E402

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def page_lines(rng: random.Random, count: int, width: int = 80) -> list[str]:
    """Lines of synthetic report text, wrapped to fit a page."""
    words = article(rng, topic(rng)).replace("\n", " ").split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return [*lines, line][:count]


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a Helvetica text layer, written directly (ASCII text only)."""
    objects = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        ascii_lines = (line.encode("ascii", "replace").replace(b"\\", b"").replace(b"(", b"")
                       .replace(b")", b"") for line in lines)
        shown = b"".join(b"(" + line + b") Tj 0 -14 Td " for line in ascii_lines)
        stream = zlib.compress(b"BT /F1 10 Tf 56 760 Td " + shown + b"ET")
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                       + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                       b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return assemble_pdf(objects)


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """An image-only PDF: each page drawn at 150 dpi, as a cheap office scanner does."""
    font = ImageFont.truetype(_FONT, 22)
    images = []
    for lines in pages:
        image = Image.new("L", (1275, 1650), 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            draw.text((90, 90 + 34 * row), line, fill=0, font=font)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return buffer.getvalue()


def read_pages_per_second(data: bytes, pages: int, options: ReadOptions) -> tuple[float, str]:
    start = time.perf_counter()
    [draft] = PdfReader().read(Input("bench.pdf", data), options)
    elapsed = time.perf_counter() - start
    assert isinstance(draft, ArticleDraft), draft
    return pages / elapsed, draft.body


def pdftotext_pages_per_second(path: Path, pages: int) -> float:
    start = time.perf_counter()
    subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)
    return pages / (time.perf_counter() - start)


def tesseract_pages_per_second(data: bytes, folder: Path) -> tuple[float, str]:
    """The tesseract program on the same 300 dpi renders the reader OCRs."""
    document = pdfium.PdfDocument(data)
    paths = []
    for index in range(len(document)):
        path = folder / f"page-{index}.png"
        document[index].render(scale=RENDER_DPI / 72).to_pil().save(path)
        paths.append(path)
    texts = []
    start = time.perf_counter()
    for path in paths:
        done = subprocess.run(["tesseract", str(path), "-", "-l", "eng"],
                              check=True, capture_output=True, text=True)
        texts.append(done.stdout)
    return len(paths) / (time.perf_counter() - start), "\n".join(texts)


def recovered(source: list[list[str]], text: str) -> float:
    """Share of the source's words found, in order-insensitive multiset terms."""
    expected = " ".join(" ".join(lines) for lines in source).split()
    found = set(text.split())
    return sum(word in found for word in expected) / max(1, len(expected))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--ocr-pages", type=int, default=6)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    for tool in ("pdftotext", "tesseract"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: run `make ocr`")
    rng = random.Random(args.seed)
    text_pages = [page_lines(rng, 50) for _ in range(args.pages)]
    scan_pages = [page_lines(rng, 30) for _ in range(args.ocr_pages)]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text_data = text_pdf(text_pages)
        (folder / "text.pdf").write_bytes(text_data)
        # One small read first, so library loading is not counted as reading.
        read_pages_per_second(text_pdf(text_pages[:1]), 1, ReadOptions(ocr="never"))
        ours_text, _ = read_pages_per_second(text_data, args.pages, ReadOptions(ocr="never"))
        poppler = pdftotext_pages_per_second(folder / "text.pdf", args.pages)
        scan_data = scanned_pdf(scan_pages)
        ours_ocr, ocr_body = read_pages_per_second(
            scan_data, args.ocr_pages, ReadOptions(ocr="auto", ocr_languages="eng"))
        direct_ocr, direct_body = tesseract_pages_per_second(scan_data, folder)
    result = {
        "bench": "documents",
        "text_pdf_pages": args.pages,
        "text_pages_per_s": round(ours_text, 1),
        "pdftotext_pages_per_s": round(poppler, 1),
        "text_ratio": round(ours_text / poppler, 2),
        "ocr_pages": args.ocr_pages,
        "ocr_pages_per_s": round(ours_ocr, 3),
        "tesseract_pages_per_s": round(direct_ocr, 3),
        "ocr_ratio": round(ours_ocr / direct_ocr, 2),
        "ocr_words_recovered": round(recovered(scan_pages, ocr_body), 3),
        "tesseract_words_recovered": round(recovered(scan_pages, direct_body), 3),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    print(f"text PDF ({args.pages} pages): kartoteka {result['text_pages_per_s']} pages/s, "
          f"pdftotext {result['pdftotext_pages_per_s']} pages/s, ratio {result['text_ratio']}")
    print(f"OCR ({args.ocr_pages} scanned pages): kartoteka {result['ocr_pages_per_s']} pages/s "
          f"(words recovered {result['ocr_words_recovered']}), tesseract "
          f"{result['tesseract_pages_per_s']} pages/s ({result['tesseract_words_recovered']}), "
          f"ratio {result['ocr_ratio']}")
    print(f"load average {result['load_average_before']} -> {result['load_average_after']} "
          f"on {result['cpus']} CPUs")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
