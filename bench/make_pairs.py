"""Build the labelled name pairs that ``compare`` is trained and judged on.

    python bench/make_pairs.py [--out bench/data/pairs] [--seed 13]

Writes ``train.tsv`` and ``heldout.tsv`` (name1, name2, schema, label, class),
split by *group* (one registry entity or one generated name) so that no name
family is on both sides.  How the pairs are made is in the README next to them.
Same seed, same files.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "kartoteka" / "sample_data" / "registry.ftm.jsonl"
Pair = tuple[str, str, str, int, str, str]  # name1, name2, schema, label, class, group

# Surface forms of legal forms; the matcher reads them with rigour, not this list.
LEGAL = [
    ["AG", "Aktiengesellschaft"], ["GmbH", "Gesellschaft mit beschränkter Haftung"],
    ["JSC", "Joint Stock Company", "OJSC", "OAO", "Open Joint Stock Company"],
    ["LLC", "Limited Liability Company", "OOO"], ["Ltd", "Limited", "Ltd."],
    ["Inc", "Inc.", "Incorporated"], ["S.A.", "SA", "Sociedad Anónima"],
    ["PLC", "Public Limited Company"], ["B.V.", "BV"], ["S.p.A.", "SpA"],
]
GENERIC = [["Corporation", "Company", "Corp"], ["Group", "Group"]]
PLACES = ["France", "Germany", "Singapore", "Hong Kong", "Chile", "Mexico", "Brazil", "India",
          "Kenya", "Nigeria", "Spain", "Italy", "Poland", "Turkey", "Egypt", "Canada", "Japan",
          "Ukraine", "Serbia", "Peru", "Austria", "Belgium", "Norway", "Qatar"]
ORG_WORDS = ["Atlas", "Meridian", "Northwind", "Harbor", "Granite", "Falcon", "Summit", "Orion",
             "Vostok", "Baltic", "Sahara", "Cedar", "Pioneer", "Crescent", "Delta", "Horizon",
             "Aurora", "Kestrel", "Sterling", "Lumen", "Titan", "Nordic", "Caspian", "Andes",
             "Zenith", "Pinnacle", "Keystone", "Bluewater", "Redstone", "Ironbridge", "Silverline",
             "Goldfield", "Westport", "Eastgate", "Highland", "Riverside", "Oakwood", "Maple"]
ORG_KINDS = ["Bank", "Shipping", "Trading", "Refinery", "Logistics", "Holdings", "Energy",
             "Mining", "Steel", "Telecom", "Insurance", "Capital", "Airlines", "Chemicals",
             "Engineering", "Textiles", "Pharma", "Foods", "Motors", "Petroleum"]
WESTERN_GIVEN = ["Hans", "Friedrich", "Karl", "Anna", "Maria", "Pierre", "Jean", "Luca",
                 "Marco", "Giulia", "John", "Peter", "Thomas", "Sofia", "Elena", "Jan", "Lars",
                 "Pablo", "Diego", "Ines", "Paul", "Martin", "Lukas", "Emma", "Oskar"]
WESTERN_SURNAMES = ["Albano", "Scholz", "Marquez", "Ronaldo", "Bauer", "Fischer", "Moretti",
                    "Rossi", "Dubois", "Lefevre", "Garcia", "Navarro", "Kowalski", "Novak",
                    "Hansen", "Larsen", "Brandt", "Keller", "Romano", "Ferrari", "Schmidt",
                    "Becker", "Martens", "Costa", "Silva", "Moreau", "Vogel", "Wagner"]
ARABIC_GIVEN = ["Muhammad", "Salman", "Abdullah", "Yusuf", "Omar", "Khalid", "Hassan",
                "Ibrahim", "Hamza", "Tariq", "Mustafa", "Faisal", "Nasser", "Karim", "Jamal"]
ARABIC_FAMILY = ["al-Rawi", "al-Tikriti", "al-Masri", "al-Shami", "al-Zarqawi", "al-Harbi",
                 "al-Qahtani", "al-Baghdadi", "al-Kuwaiti", "al-Hashimi", "al-Jaburi"]
CJK_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CJK_GIVEN = "明红华伟芳娜敏静丽强磊军洋勇艳杰涛超秀英"
# Transliteration variants a rule explains: (from, to) applied once.
TRANSLIT = [("ou", "u"), ("u", "ou"), ("kh", "h"), ("y", "i"), ("i", "y"),
            ("ff", "f"), ("ss", "s"), ("mm", "m"), ("ch", "sh"), ("zh", "j"), ("q", "k"),
            ("mohammed", "muhammad"), ("muhammad", "mohammed"), ("ei", "ey"), ("dj", "j")]


def _registry_entities() -> list[dict[str, object]]:
    entities = []
    for line in REGISTRY.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        props = record["properties"]
        if "name" in props and record["schema"] not in ("Membership", "UnknownLink"):
            names = list(dict.fromkeys(props["name"] + props.get("alias", [])))
            entities.append({"id": record["id"], "schema": record["schema"], "names": names})
    return entities


def _initials(name: str) -> str:
    return "".join(w[0] for w in anyascii(name).replace("-", " ").split() if w[0].isupper())


def spellings_of_one_name(a: str, b: str) -> bool:
    """Two spellings or an acronym of one name, not a translation or a nickname.

    "Grey Wolves" / "Ülkü Ocakları" are names of one entity, but no comparison
    of letters can know it; the registry lists both so that ``match`` finds
    each.  Judged on letters alone (anyascii, WRatio), not by ``compare``.
    """
    la, lb = anyascii(a), anyascii(b)
    if fuzz.WRatio(la, lb) >= 60:
        return True
    short, long = sorted((la, lb), key=len)
    return short.replace(".", "").isupper() and short.replace(".", "") == _initials(long)


def registry_pairs(rng: random.Random) -> Iterator[Pair]:
    """Aliases of one entity are positives; close names of two entities are negatives."""
    entities = _registry_entities()
    for entity in entities:
        names = [str(n) for n in entity["names"]]  # type: ignore[attr-defined]
        combos = list(itertools.combinations(names, 2))
        rng.shuffle(combos)
        for a, b in combos[:20]:
            if spellings_of_one_name(a, b):
                yield a, b, str(entity["schema"]), 1, "registry-alias", str(entity["id"])
        if entity["schema"] != "Person":
            # News adds a class noun to an organisation's name: "the Zetas cartel".
            noun = rng.choice(["group", "movement", "organisation", "network", "militia"])
            primary = names[0]
            added = f"{noun.capitalize()} of {primary}" if rng.random() < 0.3 else \
                f"{primary} {noun}"
            yield primary, added, str(entity["schema"]), 1, "class-noun", str(entity["id"])
    for one, two in itertools.combinations(entities, 2):
        if (one["schema"] == "Person") != (two["schema"] == "Person"):
            continue
        scored = [(fuzz.WRatio(a, b), a, b) for a in one["names"]  # type: ignore[attr-defined]
                  for b in two["names"]]  # type: ignore[attr-defined]
        best = max(scored)
        if best[0] >= 60 or rng.random() < 0.02:
            yield best[1], best[2], str(one["schema"]), 0, "registry-lookalike", str(one["id"])


def _edit(word: str, rng: random.Random) -> str:
    """A one-letter change or a suffix: another Western surname, not a spelling."""
    choice = rng.random()
    if choice < 0.3:
        return word + rng.choice(["e", "ese", "inho", "s", "ov", "er", "ini", "ek"])
    consonants = "bcdfgklmnprstvz"
    inner = [i for i, c in enumerate(word) if i and c.lower() in consonants]
    if choice < 0.5 and inner:
        at = rng.choice(inner)
        return word[:at] + word[at + 1:]  # a consonant dropped; vowels alone are spelling
    at = rng.randrange(1, len(word))
    # Never a doubled letter: doubling is how romanisations differ, not people.
    letter = rng.choice([c for c in consonants if c not in word[at - 1: at + 1]])
    if choice < 0.8:
        return word[:at] + letter + word[at:]
    return word[:at] + letter + word[at + 1:]


def _translit(name: str, rng: random.Random) -> str | None:
    options = [(a, b) for a, b in TRANSLIT if a in name.lower()]
    if not options:
        return None
    src, dst = rng.choice(options)
    at = name.lower().index(src)
    replaced = dst if name[at: at + 1].islower() else dst.capitalize()
    return name[:at] + replaced + name[at + len(src):]


def org_pairs(rng: random.Random, count: int) -> Iterator[Pair]:
    for n in range(count):
        group = f"org-{n}"
        core = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)}"
        if rng.random() < 0.4:
            core = f"{rng.choice(ORG_WORDS)} {core}"
        forms = rng.choice(LEGAL)
        form1, form2 = rng.choice(forms), rng.choice(forms)
        left = f"{core} {form1}"
        right = f"{form2} {core}" if rng.random() < 0.3 else f"{core} {form2}"
        yield left, right, "Company", 1, "legal-form", group
        generic = rng.choice(GENERIC)
        yield (f"{core} {generic[0]}", f"The {core} {generic[-1]}", "Company", 1,
               "legal-form", group)
        place, other = rng.sample(PLACES, 2)
        yield (f"{core} ({place}) {form1}", f"{core} ({other}) {form1}", "Company", 0,
               "qualifier", group)
        yield f"{core} {form1}", f"{core} {place} {form1}", "Company", 0, "qualifier", group
        year = rng.randrange(1990, 2024)
        code = f"{rng.choice('ABCDEFGH')}{rng.choice('RSTX')}{rng.randrange(1, 30)}"
        trust = f"{core} Trust {year}-{code}"
        yield trust, f"{core} Trust {year + rng.choice([1, -1, 2])}-{code}", "Company", 0, \
            "number", group
        yield trust, trust.replace("-", " "), "Company", 1, "number", group
        words = core.split()
        glued = "".join(words[:2]) + (" " + " ".join(words[2:]) if len(words) > 2 else "")
        yield glued.lower(), core.lower(), "Company", 1, "glued", group
        replaced = core.replace(words[0], rng.choice([w for w in ORG_WORDS if w != words[0]]))
        yield f"{core} {form1}", f"{replaced} {form1}", "Company", 0, "lookalike", group
        yield f"{core} {form1}", f"{_edit(words[0], rng)} {' '.join(words[1:])} {form1}", \
            "Company", 0, "one-letter", group
        other_kind = rng.choice([k for k in ORG_KINDS if k not in words])
        yield (f"{words[0]} {words[-1]}", f"{words[0]} {other_kind}", "Company", 0, "lookalike",
               group)
        yield f"{words[0]} {words[-1]}", f"{words[0]} {words[-1]} {other_kind}", "Company", 0, \
            "lookalike", group
        # One distinctive word and a class noun: "Wagner Group" is not "Wagner College".
        yield f"{words[0]} Group", f"{words[0]} {other_kind}", "Organization", 0, "lookalike", \
            group
        yield words[0], f"{words[0]} {other_kind}", "Company", 0, "lookalike", group
        # A short form leaves out what the company's name says it is: "Rosneft" /
        # "Rosneft Oil Company".  Chosen by the index, not the generator, so the
        # pairs above stay as they were before this class was added.
        noun = ("Company", "Corporation", "Group")[n % 3]
        form = ("", " Ltd", " JSC", " PJSC")[n % 4]
        yield words[0], f"{words[0]} {other_kind} {noun}{form}", "Company", 1, "short-form", \
            group
    for n in range(count // 4):
        unit = rng.randrange(2, 99)
        tens, ones = divmod(unit, 10)
        words = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty",
                 "Ninety"]
        kind = rng.choice(["Brigade", "Battalion", "Regiment", "Division"])
        if tens >= 2:
            yield (f"{kind} {unit}", f"{kind} {words[tens]} {ones}" if ones else
                   f"{kind} {words[tens]}", "Organization", 1, "number", f"num-{n}")
        yield f"{kind} {unit}", f"{kind} {unit + rng.randrange(1, 9)}", "Organization", 0, \
            "number", f"num-{n}"


def person_pairs(rng: random.Random, count: int) -> Iterator[Pair]:
    for n in range(count):
        group = f"per-{n}"
        given, other_given = rng.sample(WESTERN_GIVEN, 2)
        surname = rng.choice(WESTERN_SURNAMES)
        full = f"{given} {surname}"
        yield full, f"{surname}, {given}", "Person", 1, "order", group
        yield f"{given} {other_given}", f"{other_given} {given}", "Person", 0, "order", group
        yield full, f"{given} {_edit(surname, rng)}", "Person", 0, "one-letter", group
        yield full, f"{other_given} {surname}", "Person", 0, "lookalike", group
        yield full, f"{given} {other_given} {surname}", "Person", 1, "partial", group
        yield full, f"{given}{surname}", "Person", 1, "glued", group
        father, son = rng.sample(ARABIC_GIVEN, 2)
        family = rng.choice(ARABIC_FAMILY)
        arabic = f"{son} bin {father} {family}"
        yield arabic, f"{father} bin {son} {family}", "Person", 0, "patronym", group
        variant = _translit(arabic, rng)
        if variant and variant != arabic:
            yield arabic, variant, "Person", 1, "transliteration", group
        yield f"{son} {father}", f"{son} {father} {family}", "Person", 1, "partial", group
        cousin = rng.choice([g for g in ARABIC_GIVEN if g not in (son, father)])
        yield arabic, f"{son} bin {cousin} {family}", "Person", 0, "lookalike", group
        chinese = rng.choice(CJK_SURNAMES) + "".join(rng.sample(CJK_GIVEN, 2))
        changed = chinese[:-1] + rng.choice([c for c in CJK_GIVEN if c != chinese[-1]])
        yield chinese, changed, "Person", 0, "cjk", group
        yield chinese, chinese, "Person", 1, "cjk", group


def split_of(group: str, heldout: float) -> str:
    digest = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16)
    return "heldout" if digest / 0xFFFFFFFF < heldout else "train"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "pairs")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--heldout", type=float, default=0.25)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pairs = [*registry_pairs(rng), *org_pairs(rng, 220), *person_pairs(rng, 160)]
    args.out.mkdir(parents=True, exist_ok=True)
    files = {name: (args.out / f"{name}.tsv").open("w", encoding="utf-8")
             for name in ("train", "heldout")}
    counts = dict.fromkeys(files, 0)
    seen: set[tuple[str, str, str]] = set()
    for name1, name2, schema, label, kind, group in pairs:
        if (name1, name2, schema) in seen or "\t" in name1 + name2:
            continue
        seen.add((name1, name2, schema))
        split = split_of(group, args.heldout)
        files[split].write(f"{name1}\t{name2}\t{schema}\t{label}\t{kind}\n")
        counts[split] += 1
    for handle in files.values():
        handle.close()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
