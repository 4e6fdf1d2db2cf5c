"""Count an article's words the way the search index sees them.

Related-article ranking looks up an article's most distinctive words in the
search index; those words must be folded as the index folds them (lower
case, no diacritics) or the index will not know them.  Function words are
left out before any look-up: they are in nearly every article.
"""

from __future__ import annotations

from collections import Counter

from kartoteka.text.normalize import fold, words

TITLE_WEIGHT = 3  # a word in the title says more about the subject than one in the body
MIN_LENGTH = 3

STOPWORDS = frozenset(
    """
    the and for that with was were are this from his her their its they them has had have
    not but which who whom whose been being into than then when where while also after
    before over under about against between during since until more most other some such
    only own same can could would should will may might must shall our out off one two
    three all any both each few many much very there these those what how why because
    per via yet nor its it's him she he you your we us i me my mine ours theirs hers
    said says according including among within without through upon onto toward towards
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
    ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже
    или ни быть был была были него до вас нибудь опять уж вам ведь там потом себя ничего ей
    может они тут где есть надо ней для мы тебя их чем сам чтоб без будто чего раз тоже
    себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти
    мой тем чтобы нее сейчас куда зачем всех никогда можно при наконец два об другой хоть
    после над больше тот через эти нас про всего них какая много разве три эту моя впрочем
    хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю
    между также году года годы лет это эта
    """.split()
)


def term_counts(title: str, body: str) -> Counter[str]:
    """Folded content words, title words counted ``TITLE_WEIGHT`` times."""
    counts: Counter[str] = Counter()
    for text, weight in ((body, 1), (title, TITLE_WEIGHT)):
        for word in words(fold(text)):
            if len(word) >= MIN_LENGTH and not word.isdigit() and word not in STOPWORDS:
                counts[word] += weight
    return counts
