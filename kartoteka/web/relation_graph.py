"""An entity's relations drawn as SVG on the server: no script, printable, linkable.

The entity heads a tree: a trunk runs down from it, and each related entity
sits on a branch of its own row, the roles between the two written above the
branch (several relations with one entity share a branch).  Rows are bands
that nothing crosses, so no label can overlap another or a node, whatever
the names; text is cut to the room its band has (the full text is in each
``<title>`` and in the list beside the drawing).  The drawing is 400 units
wide and shown at most 400 pixels wide, so on a phone it shrinks little and
its 13-14 px text stays legible.  Every node links to its entity page.  All
text is escaped here: names and roles come from registry files and editors.
Styling is by class (the page's policy forbids inline style).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from kartoteka.i18n import gettext as _
from kartoteka.services.entity_views import EntityRef, RelationLine
from kartoteka.web.labels import role_label
from kartoteka.web.render import path_segment

WIDTH = 400
PAD = 12
CENTRE_R, NODE_R = 10, 7
ROW = 46  # one band per related entity: a role line above, up to two name lines
TRUNK_X = PAD + CENTRE_R
TOP = PAD + CENTRE_R + 4
NODE_X = 180
NAME_FONT, ROLE_FONT = 14, 13  # must match .graph-node text and .graph-role in site.css
EM_WIDTH = 0.62  # a generous average glyph width, in ems, for cutting text to fit
MAX_NEIGHBOURS = 24


@dataclass(slots=True)
class Edge:
    """Everything between the centre and one other entity."""

    other: EntityRef
    roles: list[str] = field(default_factory=list)
    outgoing: bool = False
    incoming: bool = False


def _fits(room: float, font: int, bold: bool = False) -> int:
    return int(room / (font * (EM_WIDTH + (0.06 if bold else 0))))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _lines(text: str, limit: int, most: int = 2) -> list[str]:
    """Words packed into at most ``most`` lines of ``limit`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return [_short(line, limit) for line in lines] or [""]


def _edges(lines: Sequence[RelationLine]) -> list[Edge]:
    edges: dict[str, Edge] = {}
    for line in lines:
        edge = edges.setdefault(line.other.id, Edge(line.other))
        role = role_label(line.relation.role)
        if role and role not in edge.roles:
            edge.roles.append(role)
        edge.outgoing |= line.outgoing
        edge.incoming |= not line.outgoing
    return sorted(edges.values(), key=lambda e: (e.other.name.casefold(), e.other.id))


def _href(entity_id: str) -> str:
    return "/entities/" + escape(path_segment(entity_id))


def _row(edge: Edge, y: float) -> tuple[str, str]:
    """The branch with its role label, and the node with its name, for one row."""
    markers = (' marker-end="url(#graph-arrow)"' if edge.outgoing else "") + (
        ' marker-start="url(#graph-arrow)"' if edge.incoming else ""
    )
    roles = ", ".join(edge.roles) or _("related")
    role_x = TRUNK_X + 10
    branch = (
        f'<line class="graph-edge" x1="{TRUNK_X}" y1="{y}" x2="{NODE_X - NODE_R - 1}" '
        f'y2="{y}"{markers}/>'
        f'<text class="graph-role" x="{role_x}" y="{y - 6}">'
        f"<title>{escape(roles)}</title>"
        f"{escape(_short(roles, _fits(NODE_X - NODE_R - 4 - role_x, ROLE_FONT)))}</text>"
    )
    name_x = NODE_X + NODE_R + 6
    lines = _lines(edge.other.name, _fits(WIDTH - PAD - name_x, NAME_FONT))
    # A space between lines keeps the name's words apart in its text content.
    tspans = " ".join(
        f'<tspan x="{name_x}" dy="{0 if i == 0 else NAME_FONT + 2}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    kind = escape(edge.other.schema.lower() or "unknown")
    node = (
        f'<a class="graph-node graph-{kind}" href="{_href(edge.other.id)}">'
        f"<title>{escape(edge.other.name)}</title>"
        f'<circle cx="{NODE_X}" cy="{y}" r="{NODE_R}"/>'
        f'<text x="{name_x}" y="{y + 5}">{tspans}</text></a>'
    )
    return branch, node


def relation_graph(centre: EntityRef, lines: Sequence[RelationLine]) -> Markup:
    """The SVG, or empty markup when the entity has no relations."""
    edges = _edges(lines)
    if not edges:
        return Markup("")
    shown = edges[:MAX_NEIGHBOURS]
    rows = [TOP + ROW * (index + 1) for index in range(len(shown))]
    height = rows[-1] + NAME_FONT + 2 + PAD + 6
    name = escape(centre.name)
    # Outside the f-strings: the extractor (`make messages`) does not look inside them.
    title = escape(_("Relations of %(name)s")) % {"name": name}
    related = _("related")
    summary = "; ".join(
        f"{escape(e.other.name)}: {escape(', '.join(e.roles) or related)}" for e in shown
    )
    if len(edges) > len(shown):
        more = len(edges) - len(shown)
        summary += escape(_("; and %(more)s more, listed below")) % {"more": more}
    out = [
        f'<svg class="relation-graph" viewBox="0 0 {WIDTH} {height}" role="group" '
        'aria-labelledby="graph-title graph-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="graph-title">{title}</title>',
        f'<desc id="graph-desc">{summary}</desc>',
        '<defs><marker id="graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path class="graph-arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        f'<line class="graph-trunk" x1="{TRUNK_X}" y1="{TOP + CENTRE_R}" '
        f'x2="{TRUNK_X}" y2="{rows[-1]}"/>',
    ]
    nodes: list[str] = []
    for edge, y in zip(shown, rows, strict=True):
        branch, node = _row(edge, y)
        out.append(branch)
        nodes.append(node)
    out.extend(nodes)
    centre_x = TRUNK_X + CENTRE_R + 8
    out.append(
        f'<g class="graph-node graph-centre graph-{escape(centre.schema.lower() or "unknown")}">'
        f"<title>{name}</title>"
        f'<circle cx="{TRUNK_X}" cy="{TOP}" r="{CENTRE_R}"/>'
        f'<text x="{centre_x}" y="{TOP + 5}">'
        f"{escape(_short(centre.name, _fits(WIDTH - PAD - centre_x, NAME_FONT, bold=True)))}"
        "</text></g>"
    )
    out.append("</svg>")
    return Markup("".join(out))
