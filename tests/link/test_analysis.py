"""Tokens, roles and forms of a name."""

from __future__ import annotations

from kartoteka.link.analysis import analyse, name_forms


def roles(name: str) -> list[tuple[str, str]]:
    out = []
    for t in analyse(name).tokens:
        role = ("connector" if t.connector else "title" if t.title else "initial" if t.initial
                else "acronym" if t.acronym else f"class:{t.concept}" if t.concept
                else "place" if t.place else "particle" if t.particle else "word")
        out.append((t.text, role))
    return out


def test_roles_of_tokens() -> None:
    assert roles("Jabhat al-Nusra") == [("Jabhat", "class:front"), ("al", "connector"),
                                        ("Nusra", "word")]
    assert roles("President Vučić") == [("President", "title"), ("Vučić", "word")]
    assert roles("S. Lavrov") == [("S", "initial"), ("Lavrov", "word")]
    assert roles("Osama bin Laden")[1] == ("bin", "particle")
    assert roles("Армия Колумбии")[0] == ("Армия", "class:army")
    assert roles("Colombian Army") == [("Colombian", "place"), ("Army", "class:army")]
    assert roles("Tehrik-i-Taliban")[1] == ("i", "connector")


def test_acronyms() -> None:
    assert analyse("J.N.I.M.").acronym == "jnim"
    assert analyse("FARC").acronym == "farc"
    assert analyse("Farc").acronym is None
    assert analyse("Wagner Group").acronym is None


def test_apostrophes_join_words() -> None:
    assert [t.text for t in analyse("Jama'at Lord’s").tokens] == ["Jamaat", "Lords"]


def test_forms_of_queries_and_registry_names() -> None:
    query = [f.text for f in name_forms("Tamil Tigers (LTTE)")]
    assert query == ["Tamil Tigers (LTTE)", "Tamil Tigers", "LTTE"]
    registry = [f.text for f in name_forms("National Liberation Army (Colombia)", parts=False)]
    assert registry == ["National Liberation Army (Colombia)", "National Liberation Army"]
    # A part that is only a place is not a name of its own.
    assert [f.text for f in name_forms("Wagner (Syria)")] == ["Wagner (Syria)", "Wagner"]
    assert name_forms("«»") == []
