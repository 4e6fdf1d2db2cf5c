"""A seeded generator of synthetic articles for the ingest and repost benchmarks.

Articles on one topic share names, places and stock phrases, as real reports
on the same event do, so "different article, same topic" is a hard negative
for repost detection; ``edited_copy`` makes the light edits a reposting
channel makes.
"""

from __future__ import annotations

import random

GROUPS = ["Northern Front", "Sable Brigade", "Coastal Defence Units", "Red Valley Militia",
          "Iron Hand Cartel", "Ридная бригада", "Ожерелье", "Los Hermanos del Sur",
          "Banda Azul", "Eastern Volunteer Corps", "Grey Wolves Detachment", "Lakeside Clan"]
PLACES = ["Vukovar", "Prizren", "Mitrovica", "Kharkiv", "Donetsk", "Culiacán", "Tijuana",
          "Goma", "Bunia", "Timbuktu", "Gao", "Idlib", "Aleppo", "Мариуполь", "Белгород",
          "Medellín", "Cali", "Zenica", "Tuzla", "Agadez"]
PEOPLE = ["Ivan Sokolov", "Marko Petrović", "Ana Kovač", "José Herrera", "Amadou Diallo",
          "Olena Bondar", "Сергей Ковалёв", "Dmitri Volkov", "Lucia Ramírez", "Hassan Karimi",
          "Petar Jovanović", "Miriam Osei"]
VERBS = ["claimed responsibility for", "denied involvement in", "was blamed for",
         "praised", "condemned", "documented", "investigated", "reported on"]
NOUNS = ["the attack", "the ambush", "the shelling", "the kidnapping", "the smuggling route",
         "the checkpoint seizure", "the prison break", "the convoy raid", "the arson",
         "the extortion scheme", "the drone strike", "the protest"]
TEMPLATES = [
    "{group} {verb} {noun} near {place} on {day}.",
    "According to {person}, {group} has operated around {place} since {year}.",
    "Local officials in {place} said that {noun} left {n} people injured.",
    "{person} told reporters that {group} receives money from {group2}.",
    "The statement published by {group} was shared by several channels.",
    "Residents of {place} described {noun} as the worst in {n} years.",
    "{group2} and {group} have clashed repeatedly over control of {place}.",
    "Investigators linked {person} to {noun} in {place}.",
    "The prosecutor's office opened a case against members of {group}.",
    "Footage from {place} appeared online on {day}, showing {noun}.",
    "Analysts note that {group} recruits from {place} and the surrounding villages.",
    "{person} was detained in {place} in {year} and later released.",
    "A spokesman for {group2} rejected the accusations as propaganda.",
    "Human rights groups called for an independent inquiry into {noun}.",
    "The road between {place} and {place2} was closed for {n} days.",
    "Сообщается, что {group} причастна к событиям в {place}.",
    "По словам {person}, ситуация в {place} остаётся напряжённой.",
    "Observers in {place2} counted {n} vehicles belonging to {group}.",
    "It was the {nth} such incident involving {group} this year.",
    "Earlier reports about {noun} in {place} could not be independently verified.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NTH = ["second", "third", "fourth", "fifth", "sixth"]
FILLER = ["reportedly", "again", "officially", "quietly", "openly", "once more", "late",
          "early", "formally"]


def topic(rng: random.Random) -> dict[str, list[str]]:
    """The names, places and people one series of reports keeps returning to."""
    return {"group": rng.sample(GROUPS, 3), "place": rng.sample(PLACES, 3),
            "person": rng.sample(PEOPLE, 3)}


def sentence(rng: random.Random, about: dict[str, list[str]]) -> str:
    template = rng.choice(TEMPLATES)
    groups, places = rng.sample(about["group"], 2), rng.sample(about["place"], 2)
    return template.format(
        group=groups[0], group2=groups[1], place=places[0], place2=places[1],
        person=rng.choice(about["person"]), verb=rng.choice(VERBS), noun=rng.choice(NOUNS),
        day=rng.choice(DAYS), year=rng.randint(2001, 2024), n=rng.randint(2, 40),
        nth=rng.choice(NTH),
    )


def article(rng: random.Random, about: dict[str, list[str]], sentences: int | None = None) -> str:
    """Paragraphs of three to five sentences; four in ten are short Telegram-style posts."""
    count = sentences or (rng.randint(2, 5) if rng.random() < 0.4 else rng.randint(8, 24))
    lines = [sentence(rng, about) for _ in range(count)]
    paragraphs, i = [], 0
    while i < len(lines):
        step = rng.randint(3, 5)
        paragraphs.append(" ".join(lines[i : i + step]))
        i += step
    return "\n\n".join(paragraphs)


def follow_up(rng: random.Random, about: dict[str, list[str]], original: str) -> str:
    """A new report on the same event that quotes a few sentences of the earlier one."""
    quoted = [s for s in original.replace("\n\n", " ").split(". ") if s]
    keep = rng.sample(quoted, max(1, len(quoted) // 4))
    fresh = article(rng, about).split(". ")
    mixed = fresh + keep
    rng.shuffle(mixed)
    return ". ".join(mixed)


def edited_copy(rng: random.Random, text: str) -> str:
    """What a reposting channel does: a header, a footer, a few changed words, a cut sentence."""
    tokens = text.split(" ")
    for _ in range(max(1, len(tokens) // 40)):  # about 2.5 % of words changed
        i = rng.randrange(len(tokens))
        action = rng.random()
        if action < 0.4:
            tokens[i] = tokens[i].upper() if rng.random() < 0.5 else tokens[i] + "s"
        elif action < 0.7:
            tokens.insert(i, rng.choice(FILLER))
        elif len(tokens) > 20:
            del tokens[i]
    copy = " ".join(tokens)
    sentences = copy.split(". ")
    if len(sentences) > 6 and rng.random() < 0.5:
        del sentences[rng.randrange(len(sentences))]
    copy = ". ".join(sentences)
    if rng.random() < 0.7:
        header = rng.choice(["Forwarded from @frontline_news\n\n", "Repost:\n", "‼️ Important\n"])
        copy = header + copy
    if rng.random() < 0.7:
        copy += rng.choice(["\n\nSubscribe: https://t.me/example_channel",
                            "\n\n#news #update", "\n\nSource: our correspondents"])
    return copy
