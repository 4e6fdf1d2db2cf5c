"""Writes the binary fixtures (WARC and gzip files) from the text fixtures beside them.

Run it again after changing a source fixture; the outputs are committed so
that tests need no generation step.  gzip members get mtime 0 so that the
bytes do not change from run to run.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def warc(compress: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    info = writer.create_warcinfo_record("archive.warc.gz", {"software": "kartoteka tests"})
    writer.write_record(info)
    pages = [
        ("https://valley-courier.example/news/arms-cache?utm=feed",
         HERE / "html" / "canonical.html", "2024-02-15T10:00:00Z", "200 OK",
         "text/html; charset=utf-8"),
        ("https://granica-vesti.example/clanak/hapsenje", HERE / "html" / "og_url.html",
         "2024-02-16T11:30:00Z", "200 OK", "text/html"),
        ("https://blank.example/", HERE / "html" / "no_text.html",
         "2024-02-16T11:31:00Z", "200 OK", "text/html"),
        ("https://valley-courier.example/missing", None, "2024-02-16T11:32:00Z", "404 Not Found",
         "text/html"),
        ("https://valley-courier.example/logo.png", None, "2024-02-16T11:33:00Z", "200 OK",
         "image/png"),
    ]
    for uri, source, date, status, content_type in pages:
        if source is not None:
            payload = source.read_bytes()
        elif "png" in content_type:
            payload = b"\x89PNG\r\n\x1a\n"
        else:
            payload = b"<html><body>Not found</body></html>"
        request = writer.create_warc_record(
            uri, "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", uri.split("/")[2])],
                                          is_http_request=True),
            warc_headers_dict={"WARC-Date": date})
        writer.write_record(request)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(payload), http_headers=http,
            warc_headers_dict={"WARC-Date": date}))
    return out.getvalue()


def main() -> None:
    (HERE / "warc").mkdir(exist_ok=True)
    (HERE / "gzip").mkdir(exist_ok=True)
    archive = warc(compress=True)
    (HERE / "warc" / "archive.warc.gz").write_bytes(archive)
    (HERE / "warc" / "archive.warc").write_bytes(warc(compress=False))
    (HERE / "warc" / "truncated.warc.gz").write_bytes(archive[: len(archive) * 2 // 3])
    (HERE / "gzip" / "result.json.gz").write_bytes(
        gz((HERE / "telegram" / "single_channel.json").read_bytes()))
    (HERE / "gzip" / "articles.jsonl.gz").write_bytes(
        gz((HERE / "jsonl" / "articles.jsonl").read_bytes()))
    page = (HERE / "html" / "canonical.html").read_bytes()
    (HERE / "gzip" / "page.html.gz").write_bytes(gz(page))
    (HERE / "gzip" / "atom.xml.gz").write_bytes(gz((HERE / "feeds" / "atom.xml").read_bytes()))
    whole = gz((HERE / "feeds" / "rss20.xml").read_bytes())
    (HERE / "gzip" / "cut.xml.gz").write_bytes(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
