"""What the interface's second language costs: catalog loading and rendering pages.

Builds the demo database, turns the page cache off (so every request renders),
and renders the same pages in English (the baseline: gettext returns the
text itself) and in Russian (a catalog lookup per string, Babel's Russian
dates and numbers) in one process, alternating rounds so the machine's load
falls on both alike.  Figures are CPU time of this process (``process_time``),
which moves less than wall time on a shared machine; the load average is
printed beside them.  The last line printed is one JSON object.

    python bench/i18n.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402

from kartoteka import i18n  # noqa: E402
from kartoteka.i18n.choice import COOKIE  # noqa: E402
from kartoteka.services.demo import build_demo  # noqa: E402
from kartoteka.web.app import create_app  # noqa: E402


def catalog_load_ms() -> float:
    """Reading and compiling the Russian .po, as the first Russian request does."""
    i18n.catalog.cache_clear()
    start = time.process_time()
    i18n.catalog("ru")
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, _summary = build_demo(Path(tmp) / "demo.db")
        try:
            load = [catalog_load_ms() for _ in range(5)]
            app = create_app(db, page_cache_bytes=0)
            with TestClient(app) as client:
                first = client.get("/articles?limit=1").text
                article = first.split('class="item-title" href="', 1)[1].split('"', 1)[0]
                pages = ["/", "/articles", article, "/search?q=kosovo", "/entities", "/docs"]
                spent = {"en": 0.0, "ru": 0.0}
                for _ in range(2):  # warm-up: templates compiled, caches filled
                    for language in spent:
                        client.cookies.set(COOKIE, language)
                        for page in pages:
                            client.get(page)
                for _ in range(args.rounds):
                    for language in spent:
                        client.cookies.set(COOKIE, language)
                        start = time.process_time()
                        for page in pages:
                            assert client.get(page).status_code == 200, page
                        spent[language] += time.process_time() - start
        finally:
            db.dispose()
    renders = args.rounds * len(pages)
    en_ms = spent["en"] / renders * 1000
    ru_ms = spent["ru"] / renders * 1000
    figures = {
        "catalog_load_ms_cpu": round(min(load), 2),
        "page_ms_cpu_en_baseline": round(en_ms, 2),
        "page_ms_cpu_ru": round(ru_ms, 2),
        "ru_over_en": round(ru_ms / en_ms, 3),
        "pages": pages,
        "renders_per_language": renders,
        "loadavg": os.getloadavg(),
    }
    print(f"load average {figures['loadavg']} (a shared machine: CPU time, not wall time)")
    print(f"Russian catalog read from .po and compiled: {figures['catalog_load_ms_cpu']} ms CPU")
    print(f"page render, English (baseline): {en_ms:.2f} ms CPU per page")
    print(f"page render, Russian:            {ru_ms:.2f} ms CPU per page "
          f"({figures['ru_over_en']}x)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
