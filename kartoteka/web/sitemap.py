"""``/sitemap.xml``: the public pages a search engine may crawl."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kartoteka.services.sitemap import sitemap_entries
from kartoteka.web.deps import DatabaseDep

router = APIRouter(include_in_schema=False)


@router.get("/sitemap.xml")
def sitemap(request: Request, db: DatabaseDep) -> Response:
    base = str(request.base_url).rstrip("/")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for entry in sitemap_entries(db):
        day = entry.modified.date().isoformat() if entry.modified else None
        modified = f"<lastmod>{day}</lastmod>" if day else ""
        lines.append(f"<url><loc>{escape(base + entry.path)}</loc>{modified}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", media_type="application/xml")
