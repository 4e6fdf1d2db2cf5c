"""The dictionary form of a Russian person's name that natasha left inflected.

natasha's ``normalize`` knows Russian names; a foreign one it may leave as
written («Амаду Куфы»).  Here every word's singular readings (pymorphy3)
are asked which cases they allow; when the words agree on one case other
than the nominative, each word is put back in its nominative: «Амаду Куфы»
→ «Амаду Куфа».  Words that could be nominative leave the name as it is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

NOMINATIVE = "nomn"
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def prepare() -> None:
    """Load pymorphy3's dictionaries now rather than on the first Russian name."""
    _analyzer()


def _readings(word: str) -> dict[str, tuple[float, str]]:
    """Case → (best score, normal form) over the word's singular noun readings."""
    found: dict[str, tuple[float, str]] = {}
    for parse in _analyzer().parse(word):
        tag = parse.tag
        if tag.POS != "NOUN" or tag.number == "plur" or tag.case not in _CASES:
            continue
        if parse.score > found.get(tag.case, (-1.0, ""))[0]:
            found[tag.case] = (parse.score, parse.normal_form)
    return found


def _restore_case(form: str, like: str) -> str:
    """``form`` written with ``like``'s capitals, part by part (Аль-Каида)."""
    parts = form.split("-")
    originals = like.split("-")
    if len(parts) != len(originals):
        return form[:1].upper() + form[1:] if like[:1].isupper() else form
    return "-".join(p[:1].upper() + p[1:] if o[:1].isupper() else p
                    for p, o in zip(parts, originals, strict=True))


def normal_person(name: str) -> str:
    """``name`` in the nominative when its words agree on another case, else as given."""
    words = name.split()
    readings = [_readings(w) for w in words]
    if not words or any(not r for r in readings):
        return name
    shared = set(_CASES).intersection(*readings)
    if not shared or NOMINATIVE in shared:
        return name
    case = max(shared, key=lambda c: sum(r[c][0] for r in readings))
    return " ".join(_restore_case(r[case][1], w) for w, r in zip(words, readings, strict=True))
