"""Words that carry little identity in a name, by the role they play.

A name is judged by its distinctive tokens; the words listed here are
connectors, honorifics, class nouns ("army", "cartel", "jabhat") and places.
Class nouns are grouped into concepts across languages and scripts, so
"Армия", "Ejército" and "Jaish" align with "Army" without a translation step.
Entries are written as people spell them; :mod:`kartoteka.link.romanise`
folds them exactly as it folds names.
"""

from __future__ import annotations


def _word_set(text: str) -> frozenset[str]:
    """Word lists are kept as running text: easier to read and to extend."""
    return frozenset(text.split())


# Articles, prepositions and conjunctions in the languages our sources use,
# including the assimilated Arabic article and the Urdu/Persian izafa.
CONNECTORS = _word_set(
    """
    the of and for in on a an at to by
    de del la le les los las du des da do dos di della degli y et und e i o u
    al el ad ed ud ul ash esh as es az ez ar er an en at et un ur us ut wa wal w
    ta ba
    """
)

# Name particles that mark descent or lineage; they align but weigh little.
PARTICLES = _word_set("bin ibn ben bint ould ag oglu ogly van von der den")

# Titles and honorifics before a person's name.
TITLES = _word_set(
    """
    president prime minister foreign defence defense secretary general gen
    colonel col major maj captain capt lieutenant lt commander cmdr comandante
    marshal admiral sergeant sgt mr mrs ms dr
    sheikh shaykh sheik shaikh sayyed sayyid syed seyyed sayed imam mullah mulla
    maulana mawlana hajji haji ayatollah emir
    президент министр генерал полковник командир шейх
    """
)

# Class nouns of armed groups and criminal organisations, grouped by meaning.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "army": ("army", "armee", "armée", "ejercito", "ejército", "exercito", "armia", "армия",
             "армии", "jaish", "jaysh", "jeish", "ordu", "vojska", "војска"),
    "forces": ("forces", "force", "fuerzas", "fuerza", "forcas", "forças", "силы", "quwat",
               "quwwat"),
    "armed": ("armed", "armadas", "armados", "armees", "armées", "вооруженные"),
    "front": ("front", "frente", "fronte", "фронт", "jabhat", "jabha", "jabhah", "cephe"),
    "group": ("group", "groupe", "grupo", "gruppo", "группа", "группировка", "grupa"),
    "organization": ("organization", "organisation", "organizacion", "organización",
                     "организация", "tanzim", "tanzeem", "hayat", "haiat", "hayet", "hayah",
                     "heiat", "hayaat"),
    "movement": ("movement", "mouvement", "movimiento", "movimento", "движение", "harakat",
                 "harakah", "haraka", "harakatul", "tehrik", "tehreek", "tahrik", "tahreek",
                 "hareket", "pokret", "покрет"),
    "party": ("party", "parti", "partido", "partito", "партия", "hizb", "hezb", "stranka"),
    "network": ("network", "reseau", "réseau", "сеть", "shabaka"),
    "cartel": ("cartel", "картель", "kartel"),
    # Generic company words: "Homs Refinery Corporation" is "The Homs Refinery Company".
    "company": ("company", "corporation", "corp", "compagnie", "compania", "compañía",
                "companhia", "компания", "корпорация"),
    "clan": ("clan", "клан"),
    "gang": ("gang", "pandilla", "банда"),
    "brigade": ("brigade", "brigades", "brigada", "brigadas", "бригада", "liwa", "liwaa",
                "katiba", "katibat", "kataib", "saraya"),
    "battalion": ("battalion", "bataillon", "batallon", "batallón", "батальон"),
    "militia": ("militia", "milice", "milicia", "ополчение"),
    # The Islamic State's regional branches: "Wilayat Gharb Ifriqiya" is its
    # West Africa Province.
    "province": ("province", "provincia", "wilayat", "wilaya", "wilayah", "vilayat", "vilayet",
                 "вилаят", "вилайят", "провинция"),
    "council": ("council", "conseil", "consejo", "совет", "majlis"),
    "union": ("union", "unión", "союз", "ittihad"),
    "committee": ("committee", "comite", "comité", "комитет"),
    "national": ("national", "nacional", "nationale", "nazionale", "национальный", "watani"),
    "islamic": ("islamic", "islamique", "islamico", "islami", "islamiyya", "islamiya",
                "islamiyah", "islamia", "исламский"),
    "people": ("people", "peoples", "popular", "populaire", "народный", "shaabi", "shabi"),
    "jamaat": ("jamaat", "jamaah", "jamaa", "jemaah", "jemaa", "jamaa't", "jamiat", "djamaat",
               "джамаат"),
}

# Abbreviations that stand for words inside a longer name, in the languages of our
# sources: "Wilayat IG West Africa" (IG: Russian ИГ, German IS) is the Islamic
# State's West Africa Province.  A name that is only the abbreviation is matched
# as an acronym instead.
EXPANSIONS: dict[str, str] = {
    "IS": "Islamic State", "IG": "Islamic State", "EI": "Islamic State",
    "ИГ": "Islamic State", "ISIS": "Islamic State", "ISIL": "Islamic State",
    "ИГИЛ": "Islamic State", "DAESH": "Islamic State", "AQ": "al-Qaeda",
}

# Countries and territories not in ISO 3166 but common in our sources.
EXTRA_PLACES = ("kosovo", "kosova", "chechnya", "ichkeria", "kurdistan", "palestine",
                "caucasus", "sahel", "balkans", "donbas", "donbass", "sinaloa", "levant")
