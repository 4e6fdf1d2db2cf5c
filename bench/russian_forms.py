"""Russian news-style articles whose nouns are in every case, for the word-form benchmark.

Written for kartoteka's benchmark, not taken from anywhere: sentence
templates with a slot in one grammatical case, and for each noun its forms
by case, written out by hand.  Each generated article records which nouns
(in any form) it contains, so a search for the dictionary form has a known
answer.  Some nouns have forms Snowball cannot join (``ополченец`` /
``ополченца``: the vowel drops) and some filler words share a stem with a
noun (``мало`` / ``Мали``), so neither recall nor precision is free.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kartoteka.model import ArticleDraft, Author, AuthorKind

CASES = ("nom", "gen", "dat", "acc", "ins", "prep")


def _noun(singular: str, plural: str = "") -> dict[str, str]:
    """Forms in the order of CASES, singular then plural, space separated."""
    forms: dict[str, str] = dict(zip(CASES, singular.split(), strict=True))
    if plural:
        forms.update({f"{c}_pl": f for c, f in zip(CASES, plural.split(), strict=True)})
    return forms


# Dictionary form (the query) -> its forms by case.
NOUNS: dict[str, dict[str, str]] = {
    "Ливия": _noun("Ливия Ливии Ливии Ливию Ливией Ливии"),
    "Сирия": _noun("Сирия Сирии Сирии Сирию Сирией Сирии"),
    "Косово": _noun("Косово Косова Косову Косово Косовом Косове"),
    "Ирак": _noun("Ирак Ирака Ираку Ирак Ираком Ираке"),
    "Мексика": _noun("Мексика Мексики Мексике Мексику Мексикой Мексике"),
    "Мали": _noun("Мали Мали Мали Мали Мали Мали"),
    "Пригожин": _noun("Пригожин Пригожина Пригожину Пригожина Пригожиным Пригожине"),
    "Хафтар": _noun("Хафтар Хафтара Хафтару Хафтара Хафтаром Хафтаре"),
    "боевик": _noun(
        "боевик боевика боевику боевика боевиком боевике",
        "боевики боевиков боевикам боевиков боевиками боевиках",
    ),
    "группировка": _noun(
        "группировка группировки группировке группировку группировкой группировке",
        "группировки группировок группировкам группировки группировками группировках",
    ),
    "нападение": _noun(
        "нападение нападения нападению нападение нападением нападении",
        "нападения нападений нападениям нападения нападениями нападениях",
    ),
    "теракт": _noun(
        "теракт теракта теракту теракт терактом теракте",
        "теракты терактов терактам теракты терактами терактах",
    ),
    "командир": _noun(
        "командир командира командиру командира командиром командире",
        "командиры командиров командирам командиров командирами командирах",
    ),
    "картель": _noun(
        "картель картеля картелю картель картелем картеле",
        "картели картелей картелям картели картелями картелях",
    ),
    "наёмник": _noun(
        "наёмник наёмника наёмнику наёмника наёмником наёмнике",
        "наёмники наёмников наёмникам наёмников наёмниками наёмниках",
    ),
    "ополченец": _noun(
        "ополченец ополченца ополченцу ополченца ополченцем ополченце",
        "ополченцы ополченцев ополченцам ополченцев ополченцами ополченцах",
    ),
    "война": _noun(
        "война войны войне войну войной войне",
        "войны войн войнам войны войнами войнах",
    ),
    "похищение": _noun(
        "похищение похищения похищению похищение похищением похищении",
        "похищения похищений похищениям похищения похищениями похищениях",
    ),
    "заложник": _noun(
        "заложник заложника заложнику заложника заложником заложнике",
        "заложники заложников заложникам заложников заложниками заложниках",
    ),
    "обстрел": _noun(
        "обстрел обстрела обстрелу обстрел обстрелом обстреле",
        "обстрелы обстрелов обстрелам обстрелы обстрелами обстрелах",
    ),
    "беспилотник": _noun(
        "беспилотник беспилотника беспилотнику беспилотник беспилотником беспилотнике",
        "беспилотники беспилотников беспилотникам беспилотники беспилотниками беспилотниках",
    ),
    "граница": _noun(
        "граница границы границе границу границей границе",
        "границы границ границам границы границами границах",
    ),
    "контрабанда": _noun(
        "контрабанда контрабанды контрабанде контрабанду контрабандой контрабанде"
    ),
    "перемирие": _noun("перемирие перемирия перемирию перемирие перемирием перемирии"),
    "лидер": _noun(
        "лидер лидера лидеру лидера лидером лидере",
        "лидеры лидеров лидерам лидеров лидерами лидерах",
    ),
}

# Sentences with one slot, in the case its grammar needs.
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("nom", "По данным источников, {} по-прежнему определяет обстановку в регионе."),
    ("gen", "Число сторонников {} за последний год заметно выросло."),
    ("gen", "Эксперты не ждут от {} быстрых перемен."),
    ("dat", "Наблюдатели уделяют {} всё больше внимания."),
    ("acc", "Местные жители винят {} в срыве договорённостей."),
    ("acc", "Журналисты снова упомянули {} в своих отчётах."),
    ("ins", "Переговоры с {} зашли в тупик."),
    ("ins", "Власти не раз пытались договориться с {}."),
    ("prep", "Официальные лица предпочитают не говорить о {}."),
    ("prep", "В докладе подробно рассказано о {}."),
    ("nom_pl", "Как сообщается, {} действуют в нескольких провинциях."),
    ("gen_pl", "Среди {} немало бывших военных."),
    ("dat_pl", "Местные власти запретили {} въезд в город."),
    ("ins_pl", "Армия ведёт бои с {} уже несколько недель."),
    ("prep_pl", "Свидетели рассказали о {} на трассе."),
)

# No noun in them; some words share a stem with a noun ("мало" and "Мали").
FILLER = (
    "Мало кто ожидал такого развития событий.",
    "В малых городах ситуация остаётся напряжённой.",
    "Официальных комментариев пока не поступало.",
    "Ситуацию осложняют перебои с электричеством.",
    "Представитель министерства отказался от интервью.",
    "Независимо проверить эти сведения не удалось.",
    "Цены на продукты за месяц выросли вдвое.",
    "Дороги размыло после сильных дождей.",
)

AUTHORS = tuple(
    Author(f"@ru_bench_{i}", f"Русский канал {i}", AuthorKind.CHANNEL) for i in range(10)
)


@dataclass(frozen=True, slots=True)
class FormsArticle:
    draft: ArticleDraft
    nouns: frozenset[str]  # dictionary forms of the nouns it contains, in any form


def articles(n: int, seed: int = 11) -> Iterator[FormsArticle]:
    rng = random.Random(seed)
    lemmas = list(NOUNS)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for i in range(n):
        sentences: list[str] = []
        used: set[str] = set()
        for _ in range(rng.randint(4, 9)):
            if rng.random() < 0.25:
                sentences.append(rng.choice(FILLER))
                continue
            lemma = rng.choice(lemmas)
            case, template = rng.choice(TEMPLATES)
            form = NOUNS[lemma].get(case)
            if form is None:
                continue  # no plural: another sentence instead
            sentences.append(template.format(form))
            used.add(lemma)
        yield FormsArticle(
            ArticleDraft(
                title=f"Обзор событий, выпуск {i + 1}",
                body=" ".join(sentences),
                source=f"bench://ru/{i}",
                source_key=f"bench://ru/{i}",
                language="ru",
                author=rng.choice(AUTHORS),
                published_at=start + timedelta(hours=rng.randint(0, 24 * 365 * 4)),
            ),
            frozenset(used),
        )
