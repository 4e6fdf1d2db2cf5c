"""Matcher speed at registry scale, against a brute-force rapidfuzz baseline.

    python bench/match.py [--entities 100000] [--queries 3000] [--baseline 30] [--seed 7]

A seeded generator makes persons and organisations with about five names
each: a Latin primary name, a Cyrillic spelling, another romanisation, a
reordered or generic-word variant and an acronym or weak alias.  The script
prints the index build time, match queries per second on one core once
loaded, the same for ``rapidfuzz.process.extractOne`` over every alias (on a
sample of the queries), their ratio, and the share of perturbed queries that
found their entity.  Times are CPU seconds of this process (the figure "on one
core", unaffected by other load on a shared machine); wall-clock seconds are
printed beside them.  The last line is one JSON object.

Measured with the defaults on a shared 2-core machine (load average about 6,
which inflates CPU seconds too; the ratio to the baseline is the steadier
figure): index build 42.7 s CPU; 965 queries/s CPU, 713x the baseline (1.35
queries/s), 85.2% of perturbed names found, 62.0% of unknown names unlinked.
Before the NumPy postings and the similarity memo: 479 queries/s CPU, 388x
the baseline, the same 85.2% / 62.0%.

After issue 13 (load average about 12): index build 31.2 s CPU (148 s wall);
1,211 queries/s CPU, 679x the baseline; 76.8% of perturbed names found and
78.0% of unknown names unlinked.  The found share fell on purpose: a "typo"
here changes one Latin letter, and a consonant changed in a Latin name is
now read as another name (Lavrenov is not Lavrov), which is also why more
unknown names stay unlinked.

After the second round of issue 13 (qualifiers and numbers filed with each
name, numbers in words also in digits), run back to back with main's matcher
on the same loaded machine (load average 13.6 at the end of main's run, 17.8
at the end of this branch's): build 26.4 s CPU (main 22.7 s), 1,411
queries/s CPU (main 1,538), 530x the baseline (main 565x); the same 76.8% /
78.0%.  Filing the marks costs about 3 µs a name (1.5 s of the build).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import time

from rapidfuzz import fuzz, process

from kartoteka.link.matcher import NameMatcher
from kartoteka.model import Entity, Name

_ONSETS = ["b", "d", "f", "g", "h", "k", "kh", "l", "m", "n", "r", "s", "sh", "t", "v", "z",
           "zh", "ch", "j", "q", "y", "", "br", "dr", "gr", "tr", "st"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "i", "ou", "ee"]
_CODAS = ["", "", "n", "r", "l", "m", "s", "k", "d", "v", "sh"]
_GIVEN = ["Sergei", "Dmitry", "Ivan", "Ahmed", "Mohammed", "Omar", "Yusuf", "Hassan", "Ali",
          "Juan", "Carlos", "Miguel", "Jose", "Ratko", "Milorad", "Dragan", "Aleksandar",
          "Ibrahim", "Khalid", "Abdul", "Fatima", "Maria", "Olga", "Nikolai", "Viktor"]
_CLASS = ["Front", "Army", "Brigade", "Cartel", "Movement", "Group", "Network", "Clan",
          "Jabhat", "Harakat", "Liwa", "Jaish", "Council", "Battalion"]
_PLACES = ["Syria", "Mali", "Colombia", "Mexico", "Kosovo", "Somalia", "Libya", "Iraq",
           "Nigeria", "Chechnya", "Sinaloa", "Yemen"]
_TO_CYRILLIC = [("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("sh", "ш"),
                ("ts", "ц"), ("ya", "я"), ("yu", "ю"), ("ou", "у"), ("ee", "и"),
                ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"),
                ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"),
                ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
                ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("q", "к"), ("j", "дж"),
                ("w", "в"), ("x", "кс")]
_RESPELL = [("kh", "h"), ("ou", "u"), ("ee", "i"), ("zh", "j"), ("q", "k"), ("sh", "sch"),
            ("y", "i"), ("v", "w")]


def word(rng: random.Random) -> str:
    syllables = rng.choice((2, 2, 3, 3, 4))
    text = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    return (text + rng.choice(_CODAS)).capitalize()


def cyrillic(text: str) -> str:
    out = text.lower()
    for latin, cyr in _TO_CYRILLIC:
        out = out.replace(latin, cyr)
    return " ".join(part.capitalize() for part in out.split())


def respell(text: str, rng: random.Random) -> str:
    """Another romanisation of the same name; falls back to doubling a consonant."""
    options = [(a, b) for a, b in _RESPELL if a in text.lower()]
    if options:
        a, b = rng.choice(options)
        return text.replace(a, b).replace(a.capitalize(), b.capitalize())
    for i, ch in enumerate(text):
        if i > 0 and ch in "lmnrst":
            return text[:i] + ch + text[i:]
    return text + "h"


def typo(text: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha() and i > 0]
    i = rng.choice(letters)
    alphabet = "аеиоукмнрст" if "\u0400" <= text[i] <= "\u04ff" else "aeioukmnrst"
    return text[:i] + rng.choice(alphabet) + text[i + 1 :]


def person(rng: random.Random, number: int) -> Entity:
    given, surname = rng.choice(_GIVEN), word(rng) + rng.choice(["ov", "ic", "i", "ez", ""])
    name = f"{given} {surname}"
    names = [Name(cyrillic(name), "alias"), Name(respell(name, rng), "alias"),
             Name(f"{surname}, {given}", "alias"),
             Name(f"{word(rng)} {surname}" if rng.random() < 0.5 else word(rng), "weak")]
    return Entity(f"p{number}", "Person", name, names)


def organisation(rng: random.Random, number: int) -> Entity:
    core = [word(rng) for _ in range(rng.choice((1, 2, 2, 3)))]
    cls = rng.choice(_CLASS)
    name = " ".join([cls, "al-" + core[0], *core[1:]]) if rng.random() < 0.4 else \
        " ".join([*core, cls])
    if rng.random() < 0.3:
        name = f"{name} of {rng.choice(_PLACES)}"
    initials = "".join(w[0] for w in name.replace("al-", "").split() if w not in ("of",))
    names = [Name(cyrillic(name), "alias"), Name(respell(name, rng), "alias"),
             Name(f"the {' '.join(core)} {rng.choice(_CLASS).lower()}", "alias"),
             Name(initials.upper(), "alias")]
    return Entity(f"o{number}", "Organization", name, names)


def registry(count: int, seed: int) -> list[Entity]:
    rng = random.Random(seed)
    return [person(rng, n) if rng.random() < 0.5 else organisation(rng, n) for n in range(count)]


def queries(entities: list[Entity], count: int, seed: int) -> list[tuple[str, str | None]]:
    """(query, expected id): perturbed registry names, and unknown names (expected None)."""
    rng = random.Random(seed + 1)
    out: list[tuple[str, str | None]] = []
    for _ in range(count):
        if rng.random() < 0.2:
            out.append((f"{rng.choice(_GIVEN)} {word(rng)}{rng.choice(['ov', 'ic'])}", None))
            continue
        entity = rng.choice(entities)
        strong = [entity.name] + [n.value for n in entity.names if n.kind == "alias"]
        base = rng.choice(strong[:3])
        variant = rng.random()
        if variant < 0.4:
            query = typo(base, rng)
        elif variant < 0.7:
            query = respell(base, rng)
        else:
            query = base
        out.append((query, entity.id))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=3_000)
    parser.add_argument("--baseline", type=int, default=30,
                        help="queries timed for the brute-force baseline")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    entities = registry(args.entities, args.seed)
    aliases = [name for e in entities for name in e.all_names()]
    print(f"registry: {len(entities):,} entities, {len(aliases):,} names")

    started, wall = time.process_time(), time.perf_counter()
    matcher = NameMatcher.from_entities(entities)
    build, build_wall = time.process_time() - started, time.perf_counter() - wall
    gc.freeze()  # as the process's one matcher is kept (services.matching.RegistryMatcher)
    print(f"index build: {build:.1f} s CPU, {build_wall:.1f} s wall (target <= 60 s)")

    sample = queries(entities, args.queries, args.seed)
    for query, _ in sample[:50]:
        matcher.match(query)  # warm the per-word caches as a loaded service would be
    started, wall = time.process_time(), time.perf_counter()
    hits = known = rejected = unknown = 0
    for query, expected in sample:
        best = matcher.match(query).best
        if expected is None:
            unknown += 1
            rejected += best is None
        else:
            known += 1
            hits += best is not None and best.id == expected
    elapsed, elapsed_wall = time.process_time() - started, time.perf_counter() - wall
    rate = len(sample) / elapsed
    wall_rate = len(sample) / elapsed_wall
    print(f"matcher: {rate:,.0f} queries/s CPU ({wall_rate:,.0f}/s wall) over "
          f"{len(sample):,} queries (target >= 1000/s); "
          f"{hits / known:.1%} of perturbed names found, "
          f"{rejected / max(unknown, 1):.1%} of unknown names unlinked")

    baseline_sample = sample[: args.baseline]
    started = time.process_time()
    base_hits = 0
    owner = [e.id for e in entities for _ in e.all_names()]
    for query, expected in baseline_sample:
        found = process.extractOne(query, aliases, scorer=fuzz.WRatio)
        base_hits += found is not None and expected is not None and owner[found[2]] == expected
    base_elapsed = time.process_time() - started
    base_rate = len(baseline_sample) / base_elapsed
    print(f"baseline rapidfuzz extractOne(WRatio) over all names: {base_rate:,.2f} queries/s "
          f"CPU on {len(baseline_sample)} queries, {base_hits} found their entity")
    print(f"ratio: matcher is {rate / base_rate:,.0f}x the baseline")
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.2f}; CPU seconds rise with it too")
    print(json.dumps({
        "entities": len(entities), "names": len(aliases), "build_cpu_s": round(build, 2),
        "build_wall_s": round(build_wall, 2),
        "queries": len(sample), "queries_per_cpu_s": round(rate, 1),
        "queries_per_wall_s": round(wall_rate, 1),
        "found_share": round(hits / known, 4),
        "unknown_unlinked_share": round(rejected / max(unknown, 1), 4),
        "baseline_queries": len(baseline_sample),
        "baseline_queries_per_cpu_s": round(base_rate, 3),
        "ratio": round(rate / base_rate, 1),
        "load_average": round(load, 2),
    }))


if __name__ == "__main__":
    main()
