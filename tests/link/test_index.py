"""The candidate index: which names a query's keys propose, and in what order."""

from __future__ import annotations

import pytest

from kartoteka.link.index import LONG_POSTINGS, CandidateIndex


def _index(postings: dict[str, list[int]]) -> CandidateIndex:
    index = CandidateIndex()
    by_number: dict[int, list[str]] = {}
    for key, numbers in postings.items():
        for number in numbers:
            by_number.setdefault(number, []).append(key)
    for number in sorted(by_number):
        index.add(number, by_number[number])
    return index


def test_names_sharing_more_and_rarer_keys_rank_first() -> None:
    index = _index({"t:rare": [3], "t:common": [1, 2, 3, 4, 5, 6], "t:mid": [2, 3]})
    found = index.candidates([(["t:rare"], []), (["t:common"], []), (["t:mid"], [])], 3)
    assert found[:2] == [3, 2]
    assert len(found) == 3


def test_equal_votes_rank_the_earlier_name_first() -> None:
    index = _index({"t:word": [9, 4, 7]})
    assert index.candidates([(["t:word"], [])], 2) == [4, 7]


def test_fallback_keys_count_only_when_no_primary_key_is_known() -> None:
    index = _index({"t:spelling": [1], "p:edge": [2]})
    assert index.candidates([(["t:spelling"], ["p:edge"])], 5) == [1]
    assert index.candidates([(["t:misspelt"], ["p:edge"])], 5) == [2]


def test_a_long_posting_only_adds_votes_once_enough_names_are_proposed() -> None:
    common = list(range(100, 100 + LONG_POSTINGS + 10))
    index = _index({"t:rare": [1, 2, 101], "t:common": common})
    groups: list[tuple[list[str], list[str]]] = [(["t:rare"], []), (["t:common"], [])]
    # Three names proposed, limit two: the common key votes only for 101.
    assert index.candidates(groups, 2) == [101, 1]
    # Limit five: too few proposed, so the common key proposes too.
    found = index.candidates(groups, 5)
    assert found[0] == 101 and set(found[1:3]) == {1, 2} and found[3:] == [100, 102]


def test_removed_names_are_never_proposed_and_added_ones_are() -> None:
    index = _index({"t:word": [1, 2, 3]})
    index.candidates([(["t:word"], [])], 5)  # make the query-time arrays
    index.remove(2)
    index.add(4, ["t:word"])
    assert index.candidates([(["t:word"], [])], 5) == [1, 3, 4]


def test_unknown_keys_propose_nothing() -> None:
    index = _index({"t:word": [1]})
    assert index.candidates([(["t:other"], ["p:othe"])], 5) == []
    assert index.candidates([], 5) == []


def test_names_must_be_numbered_in_increasing_order() -> None:
    index = _index({"t:word": [5]})
    with pytest.raises(ValueError, match="increasing order"):
        index.add(3, ["t:word"])
