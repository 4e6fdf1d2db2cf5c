from __future__ import annotations

import json
from pathlib import Path

from followthemoney import model as ftm_model

from kartoteka.model import Citation, Entity, Name, Relation
from kartoteka.registry.ftm import read_ftm, write_ftm


def read(path: Path):  # type: ignore[no-untyped-def]
    return read_ftm(path.read_text(encoding="utf-8").splitlines())


def test_reads_entities_with_every_kind_of_name(registry_data: Path) -> None:
    parsed = read(registry_data / "registry.ftm.jsonl")
    assert parsed.errors == []
    by_id = {e.id: e for e in parsed.entities}
    assert len(by_id) == 8 and len(parsed.relations) == 3
    kla = by_id["kla"]
    assert kla.name == "Kosovo Liberation Army"
    assert kla.countries == ["xk"]  # upper-case input, lower-case code
    assert kla.topics == ["crime.war", "mil"]
    assert kla.description.startswith("Ethnic Albanian")
    assert Name("Армия освобождения Косова", "alias", None, "Cyrl") in kla.names
    assert Name("UÇK", "alias", None, "Latn") in kla.names  # abbreviation becomes an alias
    thaci = by_id["thaci"]
    assert Name("Gjarpri", "weak", None, "Latn") in thaci.names
    assert thaci.countries == ["xk"]  # from nationality
    # A second "name" value is an alias; the first stays primary.
    prigozhin = by_id["prigozhin"]
    assert prigozhin.name == "Yevgeny Prigozhin"
    assert Name("Evgueni Prigojine", "alias", None, "Latn") in prigozhin.names
    assert Name("هيئة تحرير الشام", "alias", "ar", "Arab") in by_id["hts"].names
    assert Name("Александар Вучић", "alias", "sr", "Cyrl") in by_id["vucic"].names
    assert by_id["wagner"].identifiers == {"registrationNumber": "TEST-0001"}
    assert by_id["zetas"].schema == "Company"


def test_reads_relations_with_unresolved_citations(registry_data: Path) -> None:
    parsed = read(registry_data / "registry.ftm.jsonl")
    by_id = {r.id: r for r in parsed.relations}
    leader = by_id["m-prigozhin-wagner"]
    assert (leader.schema, leader.source_id, leader.target_id, leader.role) == (
        "Membership", "prigozhin", "wagner", "leader"
    )
    assert (leader.start_date, leader.end_date) == ("2014", "2023-08-23")
    assert leader.citations == [Citation(url="https://example.org/news/wagner-founder")]
    assert by_id["m-thaci-kla"].citations == [
        Citation(article_id="https://example.org/articles/kla-history")
    ]
    link = by_id["l-kla-kpc"]
    assert (link.schema, link.source_id, link.target_id, link.role) == (
        "UnknownLink", "kla", "kpc", "merged-into"
    )
    assert parsed.lines["l-kla-kpc"] == 11


def test_each_bad_line_is_reported_with_its_number(registry_data: Path) -> None:
    parsed = read(registry_data / "bad.ftm.jsonl")
    errors = {e.line: e for e in parsed.errors}
    expected = {
        2: "invalid JSON",
        3: "unknown schema 'Ship'",
        4: "missing name",
        5: "unknown country code 'zz'",
        7: "without a citation",
        8: "duplicate id 'p-ok': first used on line 1",
        9: "not a JSON object",
        10: "missing id",
        11: "invalid startDate 'last spring'",
        12: "invalid topic 'Crime Terror'",
    }
    assert sorted(errors) == sorted(expected)
    for line, words in expected.items():
        assert words in errors[line].message, (line, errors[line].message)
    assert errors[3].record_id == "ship"
    # The good lines around them are read; the relation to an unknown id is the
    # import service's to judge, since the id may already be in the database.
    assert [e.id for e in parsed.entities] == ["p-ok", "o-ok"]
    assert [r.id for r in parsed.relations] == ["m-ghost", "m-ok"]
    assert parsed.lines["o-ok"] == 14


def test_editor_marker_allows_an_uncited_relation() -> None:
    line = json.dumps(
        {"id": "r1", "schema": "Membership", "kartoteka": {"editor_asserted": True},
         "properties": {"member": ["a"], "organization": ["b"], "role": ["member"]}}
    )
    parsed = read_ftm([line])
    assert parsed.errors == []
    assert parsed.relations[0].editor_asserted is True
    assert parsed.relations[0].citations == []


def test_written_lines_load_with_followthemoney_and_read_back_equal(registry_data: Path) -> None:
    parsed = read(registry_data / "registry.ftm.jsonl")
    extra = Relation(
        "r-editor", "Membership", "thaci", "kpc", "commander",
        citations=[], editor_asserted=True,
    )
    cited = Relation(
        "r-article", "UnknownLink", "kla", "wagner", "rival",
        citations=[Citation(article_id="a1b2c3"), Citation(article_id="x", url="https://e.org/x")],
    )
    records: list[Entity | Relation] = [*parsed.entities, *parsed.relations, extra, cited]
    lines = list(write_ftm(records))
    for line in lines:
        proxy = ftm_model.get_proxy(json.loads(line), cleaned=False)
        assert proxy.id == json.loads(line)["id"]
        assert proxy.schema.name == json.loads(line)["schema"]
    people = [ftm_model.get_proxy(json.loads(x)) for x in lines]
    vucic = next(p for p in people if p.id == "vucic")
    assert "Александар Вучић" in vucic.get("alias")
    article = json.loads(lines[-1])["properties"]
    assert article["proof"] == ["a1b2c3"] and article["sourceUrl"] == ["https://e.org/x"]
    again = read_ftm(lines)
    assert again.errors == []
    assert again.entities == parsed.entities
    assert again.relations[: len(parsed.relations)] == parsed.relations
    assert again.relations[-2].editor_asserted is True


def test_active_periods_read_and_write_as_ftm_dates() -> None:
    """A body's founding and dissolution, a person's birth and death (issue 13: linking
    weighs an article's date by them)."""
    lines = [
        json.dumps({"id": "ansar-iq", "schema": "Organization", "properties": {
            "name": ["Ansar al-Islam"], "incorporationDate": ["2001-12"],
            "dissolutionDate": ["2014"]}}),
        json.dumps({"id": "godane", "schema": "Person", "properties": {
            "name": ["Ahmed Abdi Godane"], "birthDate": ["1977-07-10"],
            "deathDate": ["2014-09-01T00:00:00"]}}),
        json.dumps({"id": "plain", "schema": "Organization", "properties": {"name": ["X"]}}),
    ]
    parsed = read_ftm(lines)
    assert parsed.errors == []
    assert [(e.start_date, e.end_date) for e in parsed.entities] == [
        ("2001-12", "2014"), ("1977-07-10", "2014-09-01"), (None, None)]
    written = [json.loads(line)["properties"] for line in write_ftm(parsed.entities)]
    assert written[0]["incorporationDate"] == ["2001-12"]
    assert written[1]["deathDate"] == ["2014-09-01"]
    assert "incorporationDate" not in written[2]
    for line in write_ftm(parsed.entities):
        ftm_model.get_proxy(json.loads(line))  # valid FtM
    assert read_ftm(list(write_ftm(parsed.entities))).entities == parsed.entities
    bad = read_ftm([json.dumps({"id": "b", "schema": "Person", "properties": {
        "name": ["B"], "birthDate": ["sometime"]}})])
    assert bad.entities == [] and "birthDate" in str(bad.errors[0])
