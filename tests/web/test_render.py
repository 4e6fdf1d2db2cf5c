"""Safe rendering: escaping, http(s)-only links, mention spans by offset."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from kartoteka.services.revisions import word_diff
from kartoteka.web.render import (
    MarkedSpan,
    body_html,
    diff_html,
    lang_attr,
    safe_url,
    snippet,
    title_html,
)


def test_only_absolute_http_urls_are_links() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("  HTTP://Example.org ") == "HTTP://Example.org"
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "//example.org/x",
        "/local/path.md",
        "https:///nohost",
        "https://exa mple.org",
        "https://example.org/\nx",
        "vbscript:x",
        "",
        None,
    ]:
        assert safe_url(bad) is None, bad


def test_body_escapes_text_and_keeps_paragraphs() -> None:
    html = body_html("First <b>bold</b> & more\nsame paragraph\n\n\n## Heading\n\nLast")
    assert html == (
        "<p>First &lt;b&gt;bold&lt;/b&gt; &amp; more<br>\nsame paragraph</p>\n"
        "<h3>Heading</h3>\n<p>Last</p>"
    )


def test_body_links_bare_and_markdown_http_urls_only() -> None:
    html = body_html(
        "See https://example.org/a, [the report](https://example.org/r) "
        "and [bad](javascript:alert(1)) or javascript:alert(2)."
    )
    assert (
        '<a href="https://example.org/a" rel="nofollow noopener noreferrer">'
        "https://example.org/a</a>," in html
    )
    assert (
        '<a href="https://example.org/r" rel="nofollow noopener noreferrer">the report</a>' in html
    )
    assert "[bad](javascript:alert(1))" in html and "javascript:alert(2)." in html
    assert html.count("<a ") == 2


def test_mentions_are_marked_by_span() -> None:
    body = "Wagner fighters met the Kosovo Liberation Army.\n\nWagner again."
    marks = [
        MarkedSpan(0, 6, "/entities/e1", "Wagner Group"),
        MarkedSpan(24, 46, None),
        MarkedSpan(30, 40, "/entities/overlap"),  # overlaps the one before: dropped
        MarkedSpan(49, 55, "/entities/e1"),
    ]
    html = body_html(body, marks)
    assert html == (
        '<p><a class="mention" href="/entities/e1" title="Wagner Group">Wagner</a> fighters '
        'met the <mark class="mention">Kosovo Liberation Army</mark>.</p>\n'
        '<p><a class="mention" href="/entities/e1">Wagner</a> again.</p>'
    )


def test_mention_text_is_escaped_too() -> None:
    body = "<script>x</script> is here"
    assert body_html(body, [MarkedSpan(0, 18, "/entities/a")]).startswith(
        '<p><a class="mention" href="/entities/a">&lt;script&gt;x&lt;/script&gt;</a>'
    )


def test_snippet_keeps_only_mark() -> None:
    raw = 'a <mark>hit</mark> <img src=x onerror=alert(1)> <a href="javascript:x">y</a>'
    assert snippet(raw) == "a <mark>hit</mark>  y"


def test_lang_attr_accepts_codes_only() -> None:
    assert lang_attr("ru") == "ru"
    assert lang_attr("sr-Latn") == "sr-Latn"
    assert lang_attr('ru" onload="x') == ""
    assert lang_attr(None) == ""


def test_diff_marks_insertions_and_deletions() -> None:
    html = diff_html(word_diff("held the bridge in March.", "held the old bridge until April."))
    assert html == "held the <ins>old </ins>bridge <del>in March</del><ins>until April</ins>."


@given(st.text(max_size=80), st.text(max_size=80))
def test_diff_pieces_rebuild_both_texts(before: str, after: str) -> None:
    pieces = word_diff(before, after)
    assert "".join(p.text for p in pieces if p.change != "added") == before
    assert "".join(p.text for p in pieces if p.change != "removed") == after


# Stored text is UTF-8 on both backends, so it never holds a lone surrogate (Cs).
@given(st.text(alphabet=st.characters(exclude_characters="[#\x00", exclude_categories=("Cs",)),
               max_size=200))
def test_any_body_keeps_its_text_and_only_our_tags(body: str) -> None:
    html = str(body_html(body))
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "br", "h3", "a"}
    text = unescape(re.sub(r"<[^>]*>", "", html))
    assert "".join(text.split()) == "".join(body.split())


def test_title_marks_its_mentions_by_offset_and_escapes_the_rest() -> None:
    title = "<Wagner> in «Группа Вагнера» news"
    start = title.index("Группа")
    html = title_html(title, [MarkedSpan(start, start + len("Группа Вагнера"), "/entities/w",
                                         "Wagner Group")])
    assert html == ('&lt;Wagner&gt; in «<a class="mention" href="/entities/w" '
                    'title="Wagner Group">Группа Вагнера</a>» news')
    assert title_html("Plain & simple") == "Plain &amp; simple"
