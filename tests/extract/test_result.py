from __future__ import annotations

import json

from kartoteka.extract.pipeline import Document, Pipeline
from kartoteka.extract.result import to_json


def test_json_shape_on_the_full_pipeline(full_pipeline: Pipeline) -> None:
    text = ("🇷🇸 Serbia: the Kosovo Liberation Army and Hashim Thaçi (@balkanossiper, "
            "@BalkanOssiper, #Kosovo). Sergey Lavrov visited Belgrade.")
    shape = to_json(full_pipeline.run(Document(text, "en")))
    assert list(shape) == ["language", "countries", "handles", "hashtags", "entities"]
    assert shape["language"] == "en"
    assert shape["countries"] == ["rs", "xk"]
    assert shape["handles"] == ["@balkanossiper"]
    assert shape["hashtags"] == ["#Kosovo"]
    entities = {(e["text"], e["label"], e["entity_id"]) for e in shape["entities"]}
    assert {("Kosovo Liberation Army", "ORG", "kla"), ("Hashim Thaçi", "PER", "thaci"),
            ("Sergey Lavrov", "PER", "lavrov")} <= entities
    assert ("Belgrade", "LOC", None) in entities
    for entity in shape["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
        assert set(entity) == {"text", "normal", "label", "section", "start", "end", "entity_id",
                               "country", "score"}
    places = [(e["text"], e["label"], e["country"]) for e in shape["entities"] if e["country"]]
    # Serbia by name is a place; Kosovo inside the KLA's name and #Kosovo are not listed.
    assert places == [("Serbia", "LOC", "rs")]
    assert shape["entities"][0]["start"] == text.index("Serbia")


def test_countries_by_name_are_places_but_adjectives_are_not(full_pipeline: Pipeline) -> None:
    text = "Сербские власти заявили, что Сербия и Косово спорят. Serbian police left Serbia."
    shape = to_json(full_pipeline.run(Document(text, "ru")))
    places = [(e["text"], e["country"]) for e in shape["entities"] if e["country"]]
    assert places == [("Сербия", "rs"), ("Косово", "xk"), ("Serbia", "rs")]
    assert shape["countries"] == ["rs", "xk"]
    json.dumps(shape)
