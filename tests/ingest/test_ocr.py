from __future__ import annotations

import pytest
from PIL import Image

from kartoteka.ingest.documents import DocumentError
from kartoteka.ingest.ocr import installed_languages, languages_for, ocr_mode, recognise

ENGLISH = "The Kosovo Liberation Army disbanded in September 1999 after the war ended."
RUSSIAN = "Армия освобождения Косова была распущена в сентябре 1999 года после войны."
GERMAN = "Die Befreiungsarmee des Kosovo wurde im September 1999 nach dem Krieg aufgelöst."


def test_the_users_languages_win_and_the_text_layer_only_orders_the_defaults() -> None:
    assert languages_for("rus, eng") == "rus+eng"
    assert languages_for(None) == "eng+rus"
    assert languages_for(None, ENGLISH) == "eng+rus"
    assert languages_for(None, RUSSIAN) == "rus+eng"
    expected = "deu+eng+rus" if "deu" in installed_languages() else "eng+rus"
    assert languages_for(None, GERMAN) == expected


def test_a_missing_language_pack_or_a_bad_mode_is_a_clear_error() -> None:
    if not installed_languages():
        pytest.skip("Tesseract is not installed (make ocr)")
    with pytest.raises(DocumentError, match="no language pack for xyz: install tesseract-ocr-xyz"):
        recognise(Image.new("L", (10, 10), 255), "eng+xyz")
    with pytest.raises(ValueError, match="--ocr expects auto, always or never, not 'maybe'"):
        ocr_mode("maybe")
