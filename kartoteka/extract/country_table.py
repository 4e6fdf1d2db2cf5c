"""Country words that pycountry does not know: common names, demonyms, adjectives.

pycountry supplies the ISO names in English and (through its gettext
catalogues) in Russian; this table adds how authors actually write:
"Turkey", "Serbian", "Serbs", "Kosovar", «сербский», «США».  English plurals
("Serbians") are derived; Russian words are given as lemmas, since the text
is lemmatised before look-up («Сербии» → «сербия», «сербской» → «сербский»).

Demonyms count as mentions of the country: "Albanians" marks an article as
about Albania (al) as well.  Researchers filter the catalog by country, and
an article about Albanian gangs belongs under Albania even when it never
names the state.

All-caps terms (US, UK, США) must match in capitals; other English terms
must start with a capital letter.  Russian nouns in ``ru`` must start with a
capital; Russian adjectives and demonyms in ``ru_words`` match in any case.
"""

from __future__ import annotations

from typing import NamedTuple


class CountryWords(NamedTuple):
    en: tuple[str, ...] = ()
    ru: tuple[str, ...] = ()
    ru_words: tuple[str, ...] = ()


# Russian names that are also common words once lemmatised; never matched.
RUSSIAN_EXCLUDED = frozenset({"Того"})
# English ISO names that are too often something else in running text.
ENGLISH_EXCLUDED = frozenset({"Jersey"})

# The English terms below that name a country (the rest are adjectives and
# demonyms); a name is also listed among the entities as a place (LOC).
ENGLISH_NAMES = frozenset({
    "Bosnia", "Bosnia-Herzegovina", "Burkina", "CAR", "PRC", "DRC", "DR Congo",
    "Democratic Republic of Congo", "Democratic Republic of the Congo", "UK", "Britain",
    "Great Britain", "Kosovo", "Kosova", "Burma", "DPRK", "Macedonia", "Russia", "Turkey",
    "UAE", "US", "U.S.", "USA", "America",
})

TABLE: dict[str, CountryWords] = {
    "af": CountryWords(("Afghan", "Afghani"), ("Афганистан",), ("афганский", "афганец")),
    "al": CountryWords(("Albanian",), ("Албания",), ("албанский", "албанец")),
    "dz": CountryWords(("Algerian",), ("Алжир",), ("алжирский", "алжирец")),
    "ao": CountryWords(("Angolan",), ("Ангола",), ("ангольский",)),
    "ar": CountryWords(("Argentine", "Argentinian"), ("Аргентина",), ("аргентинский",)),
    "am": CountryWords(("Armenian",), ("Армения",), ("армянский", "армянин")),
    "az": CountryWords(("Azerbaijani", "Azeri"), ("Азербайджан",), ("азербайджанский",)),
    "ba": CountryWords(("Bosnian", "Bosnia", "Bosnia-Herzegovina"), ("Босния",),
                       ("боснийский", "босниец")),
    "bd": CountryWords(("Bangladeshi",), ("Бангладеш",), ("бангладешский",)),
    "by": CountryWords(("Belarusian",), ("Белоруссия", "Беларусь"), ("белорусский", "белорус")),
    "bf": CountryWords(("Burkinabe", "Burkina"), ("Буркина-Фасо",), ()),
    "bg": CountryWords(("Bulgarian",), ("Болгария",), ("болгарский", "болгарин")),
    "br": CountryWords(("Brazilian",), ("Бразилия",), ("бразильский",)),
    "cm": CountryWords(("Cameroonian",), ("Камерун",), ("камерунский",)),
    "cf": CountryWords(("CAR", "Central African"), ("ЦАР",), ("центральноафриканский",)),
    "cn": CountryWords(("Chinese", "PRC"), ("Китай", "КНР"), ("китайский", "китаец")),
    "co": CountryWords(("Colombian",), ("Колумбия",), ("колумбийский", "колумбиец")),
    "cd": CountryWords(("DRC", "DR Congo", "Democratic Republic of Congo",
                        "Democratic Republic of the Congo", "Congolese"),
                       ("ДРК",), ("конголезский",)),
    "hr": CountryWords(("Croatian", "Croat"), ("Хорватия",), ("хорватский", "хорват")),
    "cu": CountryWords(("Cuban",), ("Куба",), ("кубинский", "кубинец")),
    "eg": CountryWords(("Egyptian",), ("Египет",), ("египетский", "египтянин")),
    "sv": CountryWords(("Salvadoran", "Salvadorean"), ("Сальвадор",), ("сальвадорский",)),
    "er": CountryWords(("Eritrean",), ("Эритрея",), ("эритрейский",)),
    "et": CountryWords(("Ethiopian",), ("Эфиопия",), ("эфиопский",)),
    "fr": CountryWords(("French",), ("Франция",), ("французский", "француз")),
    "ge": CountryWords(("Georgian",), ("Грузия",), ("грузинский", "грузин")),
    "de": CountryWords(("German",), ("Германия", "ФРГ"), ("немецкий", "германский", "немец")),
    "gb": CountryWords(("UK", "Britain", "Great Britain", "British", "Briton"),
                       ("Великобритания", "Британия"), ("британский", "британец")),
    "gr": CountryWords(("Greek",), ("Греция",), ("греческий", "грек")),
    "gt": CountryWords(("Guatemalan",), ("Гватемала",), ("гватемальский",)),
    "hn": CountryWords(("Honduran",), ("Гондурас",), ("гондурасский",)),
    "in": CountryWords(("Indian",), ("Индия",), ("индийский", "индиец")),
    "id": CountryWords(("Indonesian",), ("Индонезия",), ("индонезийский", "индонезиец")),
    "ir": CountryWords(("Iran", "Iranian", "Persian"), ("Иран",), ("иранский", "иранец")),
    "iq": CountryWords(("Iraqi",), ("Ирак",), ("иракский", "иракец")),
    "ie": CountryWords(("Irish",), ("Ирландия",), ("ирландский", "ирландец")),
    "il": CountryWords(("Israeli",), ("Израиль",), ("израильский", "израильтянин")),
    "it": CountryWords(("Italian",), ("Италия",), ("итальянский", "итальянец")),
    "jm": CountryWords(("Jamaican",), ("Ямайка",), ("ямайский",)),
    "jp": CountryWords(("Japanese",), ("Япония",), ("японский", "японец")),
    "jo": CountryWords(("Jordanian",), ("Иордания",), ("иорданский",)),
    "kz": CountryWords(("Kazakh", "Kazakhstani"), ("Казахстан",), ("казахстанский", "казах")),
    "ke": CountryWords(("Kenyan",), ("Кения",), ("кенийский",)),
    "xk": CountryWords(("Kosovo", "Kosovar", "Kosova"), ("Косово",), ("косовский", "косовар")),
    "kg": CountryWords(("Kyrgyz",), ("Киргизия", "Кыргызстан"), ("киргизский", "киргиз")),
    "lb": CountryWords(("Lebanese",), ("Ливан",), ("ливанский", "ливанец")),
    "ly": CountryWords(("Libyan",), ("Ливия",), ("ливийский", "ливиец")),
    "ml": CountryWords(("Malian",), ("Мали",), ("малийский",)),
    "mx": CountryWords(("Mexican",), ("Мексика",), ("мексиканский", "мексиканец")),
    "md": CountryWords(("Moldovan",), ("Молдавия", "Молдова"), ("молдавский", "молдаванин")),
    "me": CountryWords(("Montenegrin",), ("Черногория",), ("черногорский", "черногорец")),
    "ma": CountryWords(("Moroccan",), ("Марокко",), ("марокканский", "марокканец")),
    "mz": CountryWords(("Mozambican",), ("Мозамбик",), ("мозамбикский",)),
    "mm": CountryWords(("Burma", "Burmese"), ("Мьянма", "Бирма"), ("мьянманский",)),
    "ne": CountryWords(("Nigerien",), ("Нигер",), ("нигерский",)),
    "ng": CountryWords(("Nigerian",), ("Нигерия",), ("нигерийский", "нигериец")),
    "kp": CountryWords(("North Korea", "North Korean", "DPRK"), ("КНДР", "Северная Корея"),
                       ("северокорейский",)),
    "mk": CountryWords(("Macedonia", "Macedonian"), ("Македония", "Северная Македония"),
                       ("македонский",)),
    "pk": CountryWords(("Pakistani",), ("Пакистан",), ("пакистанский", "пакистанец")),
    "ps": CountryWords(("Palestinian",), ("Палестина",), ("палестинский", "палестинец")),
    "pe": CountryWords(("Peruvian",), ("Перу",), ("перуанский",)),
    "ph": CountryWords(("Filipino", "Philippine"), ("Филиппины",), ("филиппинский",)),
    "pl": CountryWords(("Polish", "Pole"), ("Польша",), ("польский", "поляк")),
    "qa": CountryWords(("Qatari",), ("Катар",), ("катарский",)),
    "ro": CountryWords(("Romanian",), ("Румыния",), ("румынский", "румын")),
    "ru": CountryWords(("Russia", "Russian"), ("Россия", "РФ", "Российская Федерация"),
                       ("российский", "русский", "россиянин")),
    "sa": CountryWords(("Saudi", "Saudi Arabia"), ("Саудовская Аравия",), ("саудовский",)),
    "rs": CountryWords(("Serbian", "Serb"), ("Сербия",), ("сербский", "серб")),
    "so": CountryWords(("Somali", "Somalian"), ("Сомали",), ("сомалийский", "сомалиец")),
    "za": CountryWords(("South African",), ("ЮАР",), ("южноафриканский",)),
    "kr": CountryWords(("South Korea", "South Korean"), ("Южная Корея",),
                       ("южнокорейский",)),
    "ss": CountryWords(("South Sudanese",), ("Южный Судан",), ("южносуданский",)),
    "es": CountryWords(("Spanish", "Spaniard"), ("Испания",), ("испанский", "испанец")),
    "sd": CountryWords(("Sudanese",), ("Судан",), ("суданский",)),
    "sy": CountryWords(("Syria", "Syrian"), ("Сирия",), ("сирийский", "сириец")),
    "tj": CountryWords(("Tajik", "Tajikistani"), ("Таджикистан",), ("таджикский", "таджик")),
    "tn": CountryWords(("Tunisian",), ("Тунис",), ("тунисский",)),
    "tr": CountryWords(("Turkey", "Turkish", "Turk"), ("Турция",), ("турецкий", "турок")),
    "tm": CountryWords(("Turkmen",), ("Туркмения", "Туркменистан"), ("туркменский",)),
    "ua": CountryWords(("Ukrainian",), ("Украина",), ("украинский", "украинец")),
    "ae": CountryWords(("UAE", "Emirati"), ("ОАЭ",), ("эмиратский",)),
    "us": CountryWords(("US", "U.S.", "USA", "United States", "America", "American"),
                       ("США", "Соединенные Штаты", "Америка"), ("американский", "американец")),
    "uz": CountryWords(("Uzbek", "Uzbekistani"), ("Узбекистан",), ("узбекский", "узбек")),
    "ve": CountryWords(("Venezuelan",), ("Венесуэла",), ("венесуэльский",)),
    "vn": CountryWords(("Vietnamese",), ("Вьетнам",), ("вьетнамский",)),
    "ye": CountryWords(("Yemeni",), ("Йемен",), ("йеменский", "йеменец")),
}


def english_plural(word: str) -> str | None:
    """"Serbians" from "Serbian"; None where English adds no -s."""
    last = word.split()[-1]
    if word.isupper() or last.endswith(("ese", "sh", "ch", "s", "a", "o", "y")):
        return None
    return word + "s"
