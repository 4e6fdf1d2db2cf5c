from __future__ import annotations

import pytest
from PIL import Image

from kartoteka.ingest.base import Input, ItemError, ReadOptions
from kartoteka.ingest.scan import ImageReader
from kartoteka.model import ArticleDraft
from tests.ingest.documents import image_bytes, scan


def test_never_is_refused_for_an_image_and_broken_images_are_errors() -> None:
    png = image_bytes(scan(["Any text"]), "PNG")
    [refused] = ImageReader().read(Input("a.png", png), ReadOptions(ocr="never"))
    assert isinstance(refused, ItemError) and "needs OCR" in refused.error
    [broken] = ImageReader().read(Input("b.png", png[:100]), ReadOptions())
    assert isinstance(broken, ItemError) and "not a readable image" in broken.error


def test_an_image_too_large_to_decode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    png = image_bytes(Image.new("L", (200, 200), 255), "PNG")
    [error] = ImageReader().read(Input("huge.png", png), ReadOptions())
    assert isinstance(error, ItemError) and "too large" in error.error


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_english_and_russian_text_is_read_back(fmt: str) -> None:
    image = scan(["Ansar al-Islam is not Ansar Allah.", "Ансар аль-Ислам и Ансар Аллах."])
    [draft] = ImageReader().read(Input(f"scan.{fmt.lower()}", image_bytes(image, fmt)),
                                 ReadOptions())
    assert isinstance(draft, ArticleDraft)
    assert "Ansar al-Islam is not Ansar Allah" in draft.body
    assert "Ансар аль-Ислам и Ансар Аллах" in draft.body
    assert draft.extra["pages"] == [{"page": 1, "offset": 0, "ocr": True}]


@pytest.mark.slow
def test_each_tiff_frame_is_a_page_and_the_language_can_be_chosen() -> None:
    frames = [scan(["First frame: Cosa Nostra."]), scan(["Второй кадр: Ндрангета."])]
    tiff = image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    [draft] = ImageReader().read(Input("scan.tiff", tiff), ReadOptions(ocr_languages="rus+eng"))
    assert isinstance(draft, ArticleDraft)
    markers = draft.extra["pages"]
    assert isinstance(markers, list) and [m["page"] for m in markers] == [1, 2]
    second = markers[1]["offset"]
    assert isinstance(second, int) and draft.body[second:].startswith("Второй кадр")
