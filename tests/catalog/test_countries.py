from __future__ import annotations

import pytest

from kartoteka.catalog.countries import (
    all_codes,
    code_for_name,
    code_from_flag,
    country_name,
    flag_for,
)


@pytest.mark.parametrize(
    ("code", "name", "flag"),
    [
        ("ru", "Russia", "🇷🇺"),
        ("sy", "Syria", "🇸🇾"),
        ("tr", "Turkey", "🇹🇷"),
        ("ir", "Iran", "🇮🇷"),
        ("xk", "Kosovo", "🇽🇰"),
        ("rs", "Serbia", "🇷🇸"),
        ("kr", "South Korea", "🇰🇷"),
        ("cd", "DR Congo", "🇨🇩"),
    ],
)
def test_code_name_and_flag_agree(code: str, name: str, flag: str) -> None:
    assert country_name(code) == name
    assert country_name(code.upper()) == name
    assert flag_for(code) == flag
    assert code_from_flag(flag) == code
    assert code_for_name(name) == code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Russian Federation", "ru"),
        ("Türkiye", "tr"),
        ("Syrian Arab Republic", "sy"),
        ("USA", "us"),
        ("U.S.", "us"),
        ("United States of America", "us"),
        ("UK", "gb"),
        ("Ivory Coast", "ci"),
        ("Côte d’Ivoire", "ci"),
        ("Burma", "mm"),
        ("  syria  ", "sy"),
        ("Россия", "ru"),
        ("Сирия", "sy"),
        ("Ливан", "lb"),
        ("Косово", "xk"),
    ],
)
def test_code_for_name_accepts_variants(written: str, code: str) -> None:
    assert code_for_name(written) == code


def test_unknown_names_and_flags_give_none() -> None:
    assert code_for_name("Atlantis") is None
    assert code_for_name("") is None
    assert code_from_flag("🇪🇺") is None  # a valid pair of indicators, not a country
    assert code_from_flag("RU") is None
    assert code_from_flag("🔸") is None


def test_unknown_code_is_an_error_that_says_what_to_use() -> None:
    with pytest.raises(ValueError, match="xk"):
        country_name("zz")
    with pytest.raises(ValueError, match="two-letter"):
        flag_for("rus")


def test_every_code_round_trips_through_flag_and_name() -> None:
    codes = all_codes()
    assert len(codes) > 240 and "xk" in codes
    for code in codes:
        assert code_from_flag(flag_for(code)) == code
        assert code_for_name(country_name(code)) == code, code
