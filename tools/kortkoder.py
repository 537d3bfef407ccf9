"""Rewrite a report.qmd written with Python (`{python} v.x.y` inline, ``notera(...)``/``v.lank(...)`` cells)
to the shortcodes the article uses now (render/artikelvarden.py). Run once on a text from before the change,
for instance after merging a branch that still wrote the old syntax:

    .venv/bin/python tools/kortkoder.py report.qmd

A text already in shortcodes is left as it is; a cell it does not know stops it with one line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SETUP_CELLS = (
    re.compile(r"```\{python\}\n#\| tags: \[parameters\]\n.*?```\n\n", re.S),
    re.compile(r"```\{python\}\n#\| include: false\n.*?```\n\n", re.S),
)
INLINE = re.compile(r"`\{python\} ([^`]+)`")
CELL = re.compile(r"```\{python\}\n(.*?)```", re.S)


def inline(match: re.Match) -> str:
    """An inline expression as its shortcode."""
    expression = match.group(1).strip()
    link = re.fullmatch(r'v\.fillank\("([^"]+)", "([^"]+)"\)', expression)
    if link:
        return f'{{{{< fil {link.group(1)} "{link.group(2)}" >}}}}'
    name = re.fullmatch(r"(?:v\.)?([a-z_0-9]+(?:\.[a-z_0-9]+)?)", expression)
    if not name:
        raise SystemExit(f"Okänt inline-uttryck: {expression}")
    return f"{{{{< v {name.group(1)} >}}}}"


def cell(match: re.Match) -> str:
    """A code cell (a note, the links under a table, the checks not made) as its shortcode."""
    code = match.group(1).strip()
    note = re.fullmatch(r"notera\(([^)]*)\)", code)
    if note:
        groups = " ".join(g.strip().removeprefix("v.") for g in note.group(1).split(","))
        return f"{{{{< notera {groups} >}}}}"
    link = re.fullmatch(r'v\.lank\("([^"]+)"\)', code)
    if link:
        return f"{{{{< lank {link.group(1)} >}}}}"
    if code == "kontroll.ej_gjorda":
        return "{{< v kontroll.ej_gjorda >}}"
    raise SystemExit(f"Okänd kodcell: {code}")


def convert(text: str) -> str:
    """``text`` with every Python expression and cell replaced by its shortcode."""
    for setup in SETUP_CELLS:
        text = setup.sub("", text, count=1)
    return CELL.sub(cell, INLINE.sub(inline, text))


if __name__ == "__main__":
    path = Path(sys.argv[1])
    path.write_text(convert(path.read_text(encoding="utf-8")), encoding="utf-8")
