from __future__ import annotations

from kartoteka.extract.dates import find_dates


def test_spans_survive_a_dotted_capital_i() -> None:
    # "İ" lower-cases to two characters; spans must still point into the text.
    text = "İstanbul, İzmir: on 12th of March, 2021 and in мае 2008 г. they met."
    found = find_dates(text)
    assert [(text[d.start:d.end], d.value) for d in found] == [
        ("12th of March, 2021", "2021-03-12"), ("мае 2008 г.", "2008-05")]


def test_words_that_end_in_a_month_are_no_month() -> None:
    assert [d.value for d in find_dates("Omar 2008, Ramadan 2009, 123 March 2010")] == [
        "2010-03"]


def test_an_iso_date_is_not_also_a_month_and_year() -> None:
    assert [d.value for d in find_dates("in March 2008-03-12, not 12008-03-12")] == [
        "2008-03-12"]


def test_iso_dates_need_whole_numbers_on_both_sides() -> None:
    text = "2021-03-12 opened; x1999-12-31, 2021-03-123, 2021-3-12 and 2021-02-30 did not count"
    assert [(text[d.start:d.end], d.value) for d in find_dates(text)] == [
        ("2021-03-12", "2021-03-12"), ("1999-12-31", "1999-12-31")]
