"""An entity's relations drawn as SVG on the server: no script, printable, linkable.

The entity sits in the centre and each related entity on an ellipse around
it; an edge carries the roles between the two (several relations with one
entity share one edge).  Every node links to its entity page.  All text is
escaped here: names and roles come from registry files and editors.  Styling
is by class (the site's stylesheet), since the page's policy forbids inline
style.  Screen readers get a title and a description; the page lists the
same relations as text next to the drawing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from kartoteka.services.entity_views import EntityRef, RelationLine
from kartoteka.web.render import path_segment

WIDTH, HEIGHT = 720, 440
RX, RY = 240, 160
NODE_R, CENTRE_R = 9, 14
MAX_NEIGHBOURS = 24
LABEL_CHARS = 26


@dataclass(slots=True)
class Edge:
    """Everything between the centre and one other entity."""

    other: EntityRef
    roles: list[str] = field(default_factory=list)
    outgoing: bool = False
    incoming: bool = False


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _edges(lines: Sequence[RelationLine]) -> list[Edge]:
    edges: dict[str, Edge] = {}
    for line in lines:
        edge = edges.setdefault(line.other.id, Edge(line.other))
        if line.relation.role and line.relation.role not in edge.roles:
            edge.roles.append(line.relation.role)
        edge.outgoing |= line.outgoing
        edge.incoming |= not line.outgoing
    return sorted(edges.values(), key=lambda e: (e.other.name.casefold(), e.other.id))


def _href(entity_id: str) -> str:
    return "/entities/" + escape(path_segment(entity_id))


def relation_graph(centre: EntityRef, lines: Sequence[RelationLine]) -> Markup:
    """The SVG, or empty markup when the entity has no relations."""
    edges = _edges(lines)
    if not edges:
        return Markup("")
    shown = edges[:MAX_NEIGHBOURS]
    cx, cy = WIDTH / 2, HEIGHT / 2
    name = escape(centre.name)
    summary = "; ".join(
        f"{escape(e.other.name)}: {escape(', '.join(e.roles) or 'related')}" for e in shown
    )
    if len(edges) > len(shown):
        summary += f"; and {len(edges) - len(shown)} more, listed below"
    out = [
        f'<svg class="relation-graph" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        'aria-labelledby="graph-title graph-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="graph-title">Relations of {name}</title>',
        f'<desc id="graph-desc">{summary}</desc>',
        '<defs><marker id="graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path class="graph-arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    nodes: list[str] = []
    for index, edge in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * index / len(shown)
        x, y = cx + RX * math.cos(angle), cy + RY * math.sin(angle)
        # The edge stops at both circles so arrowheads stay visible.
        length = math.hypot(x - cx, y - cy)
        ux, uy = (x - cx) / length, (y - cy) / length
        x1, y1 = cx + ux * CENTRE_R, cy + uy * CENTRE_R
        x2, y2 = x - ux * NODE_R, y - uy * NODE_R
        markers = (' marker-end="url(#graph-arrow)"' if edge.outgoing else "") + (
            ' marker-start="url(#graph-arrow)"' if edge.incoming else ""
        )
        out.append(
            f'<line class="graph-edge" x1="{x1:.1f}" y1="{y1:.1f}" '
            f'x2="{x2:.1f}" y2="{y2:.1f}"{markers}/>'
        )
        roles = ", ".join(edge.roles) or "related"
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        out.append(
            f'<text class="graph-role" x="{mx:.1f}" y="{my - 4:.1f}" text-anchor="middle">'
            f"<title>{escape(roles)}</title>{escape(_short(roles, 22))}</text>"
        )
        # Names sit centred above nodes in the upper half, below in the lower
        # half, so they never run off the drawing's sides.
        dy = -NODE_R - 6 if y < cy else NODE_R + 16
        kind = escape(edge.other.schema.lower() or "unknown")
        nodes.append(
            f'<a class="graph-node graph-{kind}" href="{_href(edge.other.id)}">'
            f"<title>{escape(edge.other.name)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_R}"/>'
            f'<text x="{x:.1f}" y="{y + dy:.1f}" text-anchor="middle">'
            f"{escape(_short(edge.other.name))}</text></a>"
        )
    out.extend(nodes)
    out.append(
        f'<g class="graph-node graph-centre graph-{escape(centre.schema.lower() or "unknown")}">'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{CENTRE_R}"/>'
        f'<text x="{cx:.1f}" y="{cy + CENTRE_R + 16:.1f}" text-anchor="middle">'
        f"{escape(_short(centre.name, 34))}</text></g>"
    )
    out.append("</svg>")
    return Markup("".join(out))
