"""The catalog post parser against the seed and our own posts, written out by hand.

Clean titles drop quotation marks, stray brackets, leftover link slugs and
edge punctuation, and move a trailing "part 1" into the fragment.  Decisions
for the seed worth stating:

- ``“Islamic State of Iraq” 2.0 (`` -> ``Islamic State of Iraq 2.0``: the
  "2.0" is part of the name, the quotes are not.
- ``Wilayat IG “West Africa (”`` -> ``Wilayat IG West Africa``.
- ``“Hayat Tahrir al-Sham, part 1 ( dzhulyani) »`` -> ``Hayat Tahrir al-Sham``,
  fragment ``part 1``, no author: ``( dzhulyani)`` is the slug of a stripped
  link (as ``( prestupniki)`` in the seed's body), not a handle.
- ``organized crime group Kosovo`` keeps its lower case: we do not invent
  spellings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import pytest

from kartoteka.catalog.entry_text import parse_entry
from kartoteka.catalog.parse import ParsedCatalog, _find_start, parse_catalog_post

Entry = tuple[str, list[str], str | None, str | None]  # title, authors, fragment, url


def shape(parsed: ParsedCatalog) -> list[tuple[str, str, str, int, list[Entry]]]:
    return [
        (
            c.code,
            c.name,
            c.flag,
            c.line,
            [(e.title, e.authors, e.fragment, e.url) for e in c.entries],
        )
        for c in parsed.countries
    ]


def errors(parsed: ParsedCatalog) -> list[tuple[int, str]]:
    return [(error.line, error.text) for error in parsed.errors]


SEED_EXPECTED: list[tuple[str, str, str, int, list[Entry]]] = [
    ("in", "India", "🇮🇳", 44, [
        ("Jamaat Tablig", [], None, None),
        ("Naxalites", [], None, None),
    ]),
    ("id", "Indonesia", "🇮🇩", 45, [("Jemaa Islamia", [], None, None)]),
    ("iq", "Iraq", "🇮🇶", 46, [("Islamic State of Iraq 2.0", [], None, None)]),
    ("ly", "Libya", "🇱🇾", 47, [
        ("Abd al-Rauf Karra", ["@Abbasdjuma"], None, None),
        ("Fathi Bashaga", [], None, None),
    ]),
    ("ml", "Mali", "🇲🇱", 48, [("Nusrat al-Islam", [], None, None)]),
    ("mx", "Mexico", "🇲🇽", 49, [
        ("Cartel of Los Setas", ["@sex_drugs_kahlo"], None, None),
        ("Sinaloa Cartel", [], None, None),
    ]),
    ("ng", "Nigeria", "🇳🇬", 50, [("Wilayat IG West Africa", [], None, None)]),
    ("ru", "Russia", "🇷🇺", 51, [
        ("Caucasus Emirate", [], None, None),
        ("Katiba Tawhid Val Jihad", ["@astramilitarum"], None, None),
        ("Hizb ut-Tahrir al-Islami", [], None, None),
    ]),
    ("rs", "Serbia", "🇷🇸", 52, [
        ("organized crime group Kosovo", [], None, None),
        ("Hashim Thachi", [], None, None),
    ]),
    ("sy", "Syria", "🇸🇾", 53, [
        ("Syrian democratic forces", [], None, None),
        ("Hayat Tahrir al-Sham", [], "part 1", None),
        ("Huras ad-Din", [], None, None),
    ]),
    ("so", "Somalia", "🇸🇴", 54, [("Al-Shabab", [], None, None)]),
    ("tr", "Turkey", "🇹🇷", 55, [
        ("Gray Wolves", ["@istanbul_wolf"], None, None),
        ("PMC SADAT", [], None, None),
    ]),
]  # fmt: skip


def test_seed_catalog_comes_back_exactly(seed_catalog_post: str) -> None:
    parsed = parse_catalog_post(seed_catalog_post)
    assert parsed.title == "Catalog of articles of the project “Antiterror”"
    assert shape(parsed) == SEED_EXPECTED
    assert len(parsed.countries) == 12
    handles = [a for c in parsed.countries for e in c.entries for a in e.authors]
    assert handles == ["@Abbasdjuma", "@sex_drugs_kahlo", "@astramilitarum", "@istanbul_wolf"]
    assert parsed.errors == []


def test_seed_entries_keep_their_raw_text(seed_catalog_post: str) -> None:
    syria = parse_catalog_post(seed_catalog_post).countries[9]
    assert syria.entries[1].raw == "“Hayat Tahrir al-Sham, part 1 ( dzhulyani) »"
    assert syria.entries[2].raw == "“Huras ad-Din (” )"


def test_english_post_with_markdown_links(catalog_post: Any) -> None:
    parsed = parse_catalog_post(catalog_post.read("frontline_notes_en.md"))
    assert parsed.title == "Catalogue of our investigations (updated March)"
    assert shape(parsed) == [
        ("af", "Afghanistan", "🇦🇫", 7, [
            ("Islamic State – Khorasan Province", ["@frontline_notes"], None,
             "https://telegra.ph/iskp-overview-03-01"),
            ("Haqqani Network", ["@frontline_notes", "@kabul_watch"], "Part 2",
             "https://telegra.ph/haqqani-2"),
        ]),
        ("co", "Colombia", "🇨🇴", 8, [
            ("Clan del Golfo", ["@andes_desk"], None, "https://example.org/clan-del-golfo"),
            ("ELN", ["@andes_desk"], "pt. 3", "https://example.org/eln-3"),
        ]),
        ("lb", "Lebanon", "🇱🇧", 9, [
            ("Hezbollah (Lebanese Party of God)", ["@levant_files"], None, None),
            ("Fatah al-Islam", [], None, None),
        ]),
        ("ph", "Philippines", "🇵🇭", 10, [
            ("Abu Sayyaf Group", ["@sulu_sea"], None, None),
            ("Maute group", [], None, None),
        ]),
        ("us", "United States", "🇺🇸", 12, [
            ("Sinaloa Cartel’s U.S. distribution network", ["@border_ledger"], None, None),
        ]),
    ]  # fmt: skip
    assert errors(parsed) == [
        (13, "Atlantis: “The lost brigade” (@nobody_here)"),
        (15, "Subscribe: https://t.me/frontline_notes"),
    ]
    assert "'Atlantis' is not a country name" in parsed.errors[0].reason


def test_russian_post(catalog_post: Any) -> None:
    parsed = parse_catalog_post(catalog_post.read("polevye_zametki_ru.txt"))
    assert parsed.title == "Каталог статей проекта «Полевые заметки»"
    assert shape(parsed) == [
        ("af", "Afghanistan", "🇦🇫", 6, [
            ("Исламское государство – Вилаят Хорасан", ["@polevye_zametki"], None, None),
            ("Сеть Хаккани", [], "ч. 2", None),
        ]),
        ("co", "Colombia", "🇨🇴", 7, [
            ("Армия национального освобождения", ["@andy_desk"], "часть 3", None),
            ("Клан дель Гольфо", ["@andy_desk", "@selva_notes"], None, None),
        ]),
        ("sd", "Sudan", "🇸🇩", 8, [("Силы быстрого реагирования", ["@nile_ledger"], None, None)]),
        # A flag with a name we cannot read: the flag decides.
        ("mm", "Myanmar", "🇲🇲", 9, [("Армия Аракана", [], None, None)]),
        # A Russian country name without a flag.
        ("lb", "Lebanon", "🇱🇧", 10, [
            ("Хезболла", [], None, None),
            ("Фатх аль-Ислам", [], None, None),
        ]),
        ("xk", "Kosovo", "🇽🇰", 11, [("Армия освобождения Косова", ["@balkan_notes"], None, None)]),
        ("ru", "Russia", "🇷🇺", 12, [("Имарат Кавказ", ["@kavkaz_arhiv"], "2-я часть", None)]),
    ]  # fmt: skip
    assert errors(parsed) == [(13, "Пишите нам в личные сообщения.")]


def test_html_export_with_anchors(catalog_post: Any) -> None:
    parsed = parse_catalog_post(catalog_post.read("reading_list_export.html"))
    assert parsed.title == "Catalog of articles"
    assert shape(parsed) == [
        ("ng", "Nigeria", "🇳🇬", 3, [
            ("Boko Haram & its splinters", ["@sahel_watch"], "part 1",
             "https://example.org/boko-haram?part=1&lang=en"),
            ("Ansaru", [], None, "https://example.org/ansaru"),
        ]),
        # The javascript: link is dropped; the entry stays.
        ("mz", "Mozambique", "🇲🇿", 4, [
            ("Ahl al-Sunna wa al-Jama'a", ["@cabo_ledger"], None, None),
        ]),
        ("mx", "Mexico", "🇲🇽", 5, [
            ("Jalisco New Generation Cartel", ["@cartel_desk", "@sinaloa_files"], None,
             "https://example.org/cjng"),
        ]),
    ]  # fmt: skip
    assert errors(parsed) == [(6, "<p>Follow us for updates.</p>")]


def test_post_without_header_starts_at_first_country(catalog_post: Any) -> None:
    parsed = parse_catalog_post(catalog_post.read("no_header_stray.txt"))
    assert parsed.title is None
    assert shape(parsed) == [
        ("sy", "Syria", "🇸🇾", 1, [
            ("Hayat Tahrir al-Sham", ["@idlib_notes"], "part 2", None),
            ("Hurras al-Din", ["@idlib_notes"], None, None),
        ]),
        ("iq", "Iraq", "🇮🇶", 2, [("Kata'ib Hezbollah", ["@iraq_ledger"], None, None)]),
        ("so", "Somalia", "🇸🇴", 3, [
            ("Al-Shabaab", ["@horn_desk"], None, "https://example.org/al-shabaab"),
        ]),
    ]  # fmt: skip
    assert [(e.line, e.reason.split(";")[0]) for e in parsed.errors] == [
        (4, "a flag that does not start the line"),
        (5, "flag 🇪🇺 is not a known country and neither is 'Europe'"),
    ]


@pytest.mark.parametrize(
    ("segment", "title", "authors", "fragment", "url"),
    [
        ('"Straight quotes" (@one)', "Straight quotes", ["@one"], None, None),
        ("‘Single quotes’ and Jama’at kept", "Single quotes and Jama’at kept", [], None, None),
        (
            "«Ёлочки» (@aaa, @bbb; @ccc и @ddd)",
            "Ёлочки",
            ["@aaa", "@bbb", "@ccc", "@ddd"],
            None,
            None,
        ),
        ("Name (@first) (@second) (@first)", "Name", ["@first", "@second"], None, None),
        (
            "[Linked](https://ex.org/a_(b)) by @xyz",
            "Linked",
            ["@xyz"],
            None,
            "https://ex.org/a_(b)",
        ),
        ("Too short @x stays", "Too short @x stays", [], None, None),
        ("Title (t.me/channel/12)", "Title", [], None, "https://t.me/channel/12"),
        ("Mail me@example.org not a handle", "Mail me@example.org not a handle", [], None, None),
        ("Group (Part II)", "Group", [], "Part II", None),
        ("Group: часть 4", "Group", [], "часть 4", None),
        ("Partisans of Sunna", "Partisans of Sunna", [], None, None),
        ("“Nested «quote» marks”, ч.5", "Nested quote marks", [], "ч.5", None),
        ("<a href='data:text/html,x'>Data</a>", "Data", [], None, None),
    ],
)
def test_entry_quirks(
    segment: str, title: str, authors: list[str], fragment: str | None, url: str | None
) -> None:
    entry, problem = parse_entry(segment)
    assert problem is None
    assert entry is not None
    assert (entry.title, entry.authors, entry.fragment, entry.url) == (
        title,
        authors,
        fragment,
        url,
    )


def test_noise_is_skipped_but_an_entry_without_title_is_reported() -> None:
    assert parse_entry(" ) » ") == (None, None)
    parsed = parse_catalog_post("Catalog of articles\n🇮🇶 Iraq: “Kataib” | (@orphan_handle)\n")
    assert [e.title for e in parsed.countries[0].entries] == ["Kataib"]
    assert errors(parsed) == [(2, "🇮🇶 Iraq: “Kataib” | (@orphan_handle)")]
    assert "without a title" in parsed.errors[0].reason


def test_lines_before_header_are_ignored_and_line_endings_do_not_matter() -> None:
    post = "Prose: about Iraq\r\nIraq: not catalog yet\r\nКаталог статей:\r\n\r\n🇮🇶 Ирак: «ИГ»\r\n"
    parsed = parse_catalog_post(post)
    assert parsed.title == "Каталог статей"
    assert shape(parsed) == [("iq", "Iraq", "🇮🇶", 5, [("ИГ", [], None, None)])]
    assert parsed.errors == []


def test_country_line_without_entries_and_without_colon() -> None:
    parsed = parse_catalog_post("Catalog\n🇮🇳 India\n🇷🇺 Russia — “Caucasus Emirate”\n")
    assert shape(parsed) == [
        ("in", "India", "🇮🇳", 2, []),
        ("ru", "Russia", "🇷🇺", 3, [("Caucasus Emirate", [], None, None)]),
    ]


def test_flag_lines_without_a_colon() -> None:
    post = (
        "Catalog\n"
        "🇮🇳 India “Jamaat Tablig” | Naxalites\n"
        "🇮🇳 “Lashkar-e-Taiba” (@kashmir_desk)\n"
        "🇮🇳 Jamaat Tablig - part 2\n"
        "🇨🇫 Central African Republic Wagner in Bangui\n"
    )
    assert shape(parse_catalog_post(post)) == [
        ("in", "India", "🇮🇳", 2, [
            ("Jamaat Tablig", [], None, None),
            ("Naxalites", [], None, None),
        ]),
        ("in", "India", "🇮🇳", 3, [("Lashkar-e-Taiba", ["@kashmir_desk"], None, None)]),
        ("in", "India", "🇮🇳", 4, [("Jamaat Tablig", [], "part 2", None)]),
        ("cf", "Central African Republic", "🇨🇫", 5, [("Wagner in Bangui", [], None, None)]),
    ]  # fmt: skip


def test_header_followed_by_countries_wins_over_a_mention_in_the_article() -> None:
    post = (
        "Catalogue of horrors: the group's record in Mali.\n"
        "It operates across the Sahel.\n"
        "\n"
        "Catalog of articles\n"
        "\n"
        "🇲🇱 Mali: “Nusrat al-Islam (”\n"
    )
    parsed = parse_catalog_post(post)
    assert parsed.title == "Catalog of articles"
    assert shape(parsed) == [("ml", "Mali", "🇲🇱", 6, [("Nusrat al-Islam", [], None, None)])]
    assert parsed.errors == []


def test_post_with_nothing_to_read() -> None:
    parsed = parse_catalog_post("Just an article.\nNo catalog here.\n")
    assert (parsed.title, parsed.countries, parsed.errors) == (None, [], [])


class CountingLines(Sequence[str]):
    """Lines that count how many of them are read, through items or slices."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.reads = 0

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        found = self.lines[index]
        self.reads += len(found) if isinstance(index, slice) else 1
        return found

    def __len__(self) -> int:
        return len(self.lines)


@pytest.mark.parametrize("headers", [1_000, 4_000])
def test_finding_the_start_reads_each_line_a_bounded_number_of_times(headers: int) -> None:
    """Issue 14, defect 10: every header used to copy the rest of the post."""
    lines = CountingLines(["Catalog of articles:", ""] * headers + ["🇽🇰 Kosovo: “KLA” (@a)"])
    start, title = _find_start(lines)
    assert (start, title) == (2 * headers - 1, "Catalog of articles")
    assert lines.reads <= 4 * len(lines)


def test_a_long_post_of_header_lines_still_parses() -> None:
    post = "Catalog of articles:\n" * 20_000 + "🇽🇰 Kosovo: “KLA” (@a)\n"
    parsed = parse_catalog_post(post)
    assert [(c.code, c.line) for c in parsed.countries] == [("xk", 20_001)]
    assert parsed.errors == []
def test_a_link_urlsplit_refuses_is_no_link() -> None:
    """``http://[`` made urlsplit raise and took the whole post down (issue 14)."""
    parsed = parse_catalog_post('Catalog of articles\n🇽🇰 Kosovo: <a href="http://[">KLA</a> | '
                                "[Thaci](http://[x) | http://[ “Ceku”\n")
    [country] = parsed.countries
    assert [(e.title, e.url) for e in country.entries] == [
        ("KLA", None), ("Thaci", None), ("Ceku", None)]


def test_an_entry_too_long_to_be_one_is_its_lines_error() -> None:
    """200 KB of '[' in one entry kept the link patterns busy for minutes (issue 14)."""
    parsed = parse_catalog_post("Catalog of articles\n🇽🇰 Kosovo: " + "[" * 200_000
                                + " | “Kosovo Liberation Army”\n")
    [country] = parsed.countries
    assert [e.title for e in country.entries] == ["Kosovo Liberation Army"]
    [error] = parsed.errors
    assert error.line == 2 and error.reason.startswith("an entry of 200001 characters")


def test_anchor_url_ends_at_its_closing_quote() -> None:
    entry, _ = parse_entry("<a class='x' href='https://example.org/kla' rel=\"n\">KLA</a>")
    assert entry is not None and (entry.title, entry.url) == ("KLA", "https://example.org/kla")
