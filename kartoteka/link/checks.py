"""Whether a string can be compared or matched as a name at all.

Batch commands (``compare --pairs``, ``match --input``) report each bad line
with this reason and go on with the others.  A name in two scripts
("Ансар al-Islam") is answered, not refused: it is how names are written in
transliterated news, and romanisation brings every word to one alphabet.
"""

from __future__ import annotations

import re

# Halves of a UTF-16 pair alone, as Python keeps undecodable bytes of a command line.
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Longer than any real name; a 10,000-character "name" is a pasted document.
MAX_NAME_CHARS = 300


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a name, in words a user can act on; None when it is one."""
    stripped = name.strip()
    if not stripped:
        return "empty name"
    if len(stripped) > MAX_NAME_CHARS:
        return (f"name of {len(stripped):,} characters; names are at most "
                f"{MAX_NAME_CHARS} characters")
    if _SURROGATE.search(stripped):
        return "not valid UTF-8 text; save the name as UTF-8 and try again"
    if not any(char.isalnum() for char in stripped):
        return f"{stripped[:20]!r} has no letters or digits"
    return None
