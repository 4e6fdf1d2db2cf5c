"""Scoring one name against another, with and without a shared similarity memo."""

from __future__ import annotations

import pickle
from itertools import product

from kartoteka.link.analysis import analyse
from kartoteka.link.scoring import SimilarityMemo, compare_weighted, initials, weigh

NAMES = ["Hurras al-Din", "Huras ad-Deen", "Ansar al-Islam", "Ansar Allah", "Wagner Group",
         "ЧВК Вагнер", "Sergei Lavrov", "S. Lavrov", "Сергея Лаврова", "Jabhat al-Nusra",
         "Nusra Front", "Gulf Clan", "Gulf Cartel", "J.N.I.M."]


def _all_scores(memo: SimilarityMemo | None, person: bool) -> list[float]:
    names = [analyse(name) for name in NAMES]
    return [
        compare_weighted(weigh(q, person), q.acronym, weigh(c, person), initials(c), person,
                         frozenset(), memo=memo).score
        for q, c in product(names, names)
    ]


def test_a_shared_memo_changes_no_score() -> None:
    memo: SimilarityMemo = {}
    for person in (False, True):
        fresh = _all_scores(None, person)
        assert _all_scores(memo, person) == fresh
        assert _all_scores(memo, person) == fresh  # now answered from the memo
    assert memo  # it was used


def test_names_with_nothing_in_common_score_zero() -> None:
    q, c = analyse("Hurras al-Din"), analyse("Wagner Group")
    result = compare_weighted(weigh(q, False), None, weigh(c, False), initials(c), False,
                              frozenset())
    assert result.score == 0.0 and not result.partial


def test_an_unpickled_token_gets_a_fresh_serial() -> None:
    token = analyse("Prigozhin").tokens[0]
    copy = pickle.loads(pickle.dumps(token))
    assert copy == token and copy.serial != token.serial
