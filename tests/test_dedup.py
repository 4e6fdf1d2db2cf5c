from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kartoteka.dedup import (
    DEFAULT_THRESHOLD,
    NUM_PERM,
    RepostIndex,
    repost_threshold,
    shingles,
    signature,
    similarity,
)
from kartoteka.ingest.base import Input, ReadOptions
from kartoteka.ingest.telegram import TelegramReader
from kartoteka.model import ArticleDraft

ROOT = Path(__file__).resolve().parent.parent
TELEGRAM = ROOT / "tests" / "data" / "ingest" / "telegram"
CORPUS = ROOT / "tests" / "data" / "corpus"

REPORT = (
    "Police in the northern district arrested four men suspected of running an extortion "
    "ring that targeted small shops along the market street. Shop owners told investigators "
    "that they were threatened with arson if they refused to pay every month. The suspects "
    "were found with cash, two pistols and notebooks listing payments from more than thirty "
    "businesses. Prosecutors said more arrests were expected in the coming weeks."
)
EDITED = (
    "Forwarded from @district_news\n"
    "Police in the northern district arrested four men suspected of running an extortion "
    "ring that targeted small shops along the market street. Shop owners told investigators "
    "they were threatened with arson if they refused to pay each month. The suspects "
    "were found with cash, two pistols and notebooks listing payments from over thirty "
    "businesses. Prosecutors said more arrests were expected in the coming weeks.\n#crime"
)
SAME_TOPIC = (
    "Shop owners along the market street in the northern district say the extortion has not "
    "stopped since the arrests. Several of them told reporters that new men came to collect "
    "payments last week. Police said they were aware of the reports and that the "
    "investigation into the ring, in which four men were arrested, remains open."
)


def test_signature_is_compact_bytes_and_folds_case_and_diacritics() -> None:
    stored = signature(REPORT)
    assert isinstance(stored, bytes) and len(stored) == 1 + 4 * NUM_PERM
    assert signature(REPORT) == stored
    assert signature("Vučić met LAVROV in Belgrade") == signature("vucic met lavrov in belgrade")
    assert shingles("one two three four five") == {"one two three four", "two three four five"}
    assert shingles("short text") == {"short text"}


def test_lightly_edited_copy_is_found_and_a_same_topic_article_is_not() -> None:
    index = RepostIndex.from_pairs([("report", signature(REPORT))], threshold=DEFAULT_THRESHOLD)
    [found] = index.query(signature(EDITED))
    assert found.article_id == "report" and found.similarity >= DEFAULT_THRESHOLD
    assert index.query(signature(SAME_TOPIC)) == []
    assert similarity(signature(REPORT), signature(SAME_TOPIC)) < 0.1


def _posts(name: str) -> list[ArticleDraft]:
    path = TELEGRAM / name
    items = TelegramReader().read(Input(str(path), path.read_bytes()), ReadOptions())
    return [i for i in items if isinstance(i, ArticleDraft)]


def test_telegram_post_reposted_by_a_second_channel() -> None:
    originals = _posts("single_channel.json")
    index = RepostIndex.from_pairs((str(p.extra["telegram_id"]), signature(p.body))
                                   for p in originals)
    repost, unrelated = _posts("repost_channel.json")
    assert [c.article_id for c in index.query(signature(repost.body))] == ["4"]
    assert index.query(signature(unrelated.body)) == []


def test_index_rebuilt_from_signatures_made_in_another_process() -> None:
    code = ("import sys; from kartoteka.dedup import signature; "
            "sys.stdout.write(signature(sys.stdin.read()).hex())")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "12345"}
    stored_hex = subprocess.run([sys.executable, "-c", code], input=REPORT, text=True,
                                capture_output=True, check=True, env=env).stdout
    stored = bytes.fromhex(stored_hex)
    assert stored == signature(REPORT)
    index = RepostIndex.from_pairs([("from-db", stored)])
    assert [c.article_id for c in index.query(signature(EDITED))] == ["from-db"]


def test_empty_text_matches_nothing_and_ids_can_be_replaced() -> None:
    index = RepostIndex(threshold=0.5)
    index.add("empty", signature(""))
    index.add("a", signature(REPORT))
    assert index.query(signature("")) == []
    assert [c.article_id for c in index.query(signature(REPORT))] == ["a"]
    index.add("a", signature(SAME_TOPIC))  # a new revision replaces the old signature
    assert index.query(signature(REPORT)) == []
    index.remove("a")
    assert "a" not in index and len(index) == 1


def test_most_similar_first() -> None:
    index = RepostIndex.from_pairs([("copy", signature(EDITED)), ("same", signature(REPORT))],
                                   threshold=0.4)
    found = index.query(signature(REPORT))
    assert [c.article_id for c in found] == ["same", "copy"]
    assert found[0].similarity == 1.0 > found[1].similarity


def test_threshold_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KARTOTEKA_REPOST_THRESHOLD", raising=False)
    assert repost_threshold() == DEFAULT_THRESHOLD
    monkeypatch.setenv("KARTOTEKA_REPOST_THRESHOLD", "0.8")
    assert repost_threshold() == 0.8 and RepostIndex().threshold == 0.8
    monkeypatch.setenv("KARTOTEKA_REPOST_THRESHOLD", "high")
    with pytest.raises(ValueError, match="KARTOTEKA_REPOST_THRESHOLD='high' is not a number"):
        repost_threshold()


def test_a_foreign_blob_is_refused() -> None:
    with pytest.raises(ValueError, match="not a kartoteka repost signature"):
        RepostIndex().add("x", b"\x00" * 10)


def test_signature_is_datasketch_minhash_with_its_default_hash() -> None:
    """Stored signatures must stay comparable: the fast path hashes as datasketch does."""
    from datasketch import MinHash

    from kartoteka import dedup

    texts = ["", "one", "The quick brown fox jumps over the lazy dog, twice over.",
             "Войска вошли в Ёлкино; Vučić said so again and again and again.",
             "a\nb\tc  d\u00a0e \U0001d400x ﬁne 漢字 العربية", REPORT, EDITED, SAME_TOPIC]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*"))
              if p.suffix in {".md", ".txt"}]
    assert len(texts) > 10
    for text in texts:
        reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme=dedup.SCHEME)
        reference.update_batch([s.encode("utf-8") for s in dedup.shingles(text)])
        assert dedup.signature(text)[1:] == reference.hashvalues.astype("<u4").tobytes()
