"""The names the prose may use, with each one's value for the year and where the article uses it.

``make varden AR=2024`` prints this list, so the controller who rewrites a paragraph can find the
name of a figure without reading Python: ``sjukfranvaro.totalt`` (written ``{{< v sjukfranvaro.totalt >}}``),
``6,1 %``, and the sentence of
``report.qmd`` it stands in today (which says what it means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicenamnden.present.values import Arsvarden
from servicenamnden.present.values.base import MISSING_SPAN, Varden

BOUNDARIES = (". ", ".\n", "\n\n", "\n- ", "\n* ", "\n::")
INLINE = re.compile(r"\{\{<\s*v\s+(?!kontroll\.)([\w.]+)\s*>\}\}")  # {{< v NAME >}}


@dataclass(frozen=True)
class NamedValue:
    """One name of the year's values: its value for the year as the prose shows it, and a sentence that uses it."""

    name: str
    value: str
    used_in: str


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start:end``, on one line, its other inline values shortened."""
    left = max(text.rfind(b, 0, start) + len(b) for b in BOUNDARIES)
    right_candidates = [i for i in (text.find(b, end) for b in BOUNDARIES) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    sentence = text[max(left, 0) : right + 1].strip().lstrip("-*:").strip()
    sentence = INLINE.sub(lambda m: f"[{m.group(1)}]", sentence).replace("**", "")
    return " ".join(sentence.split())


def usages(qmd: str) -> dict[str, str]:
    """Each ``group.name`` the article uses → the first sentence it stands in."""
    found: dict[str, str] = {}
    for match in INLINE.finditer(qmd):
        found.setdefault(match.group(1), _sentence_around(qmd, match.start(), match.end()))
    return found


def named_values(values: Arsvarden, qmd: str) -> list[NamedValue]:
    """Every name of the year's values, in the order of its groups, with its value and its use."""
    used = usages(qmd)
    out: list[NamedValue] = []
    for group in values.__dataclass_fields__:
        item = getattr(values, group)
        if isinstance(item, Varden):
            for key in dir(item):
                if key == "noter":
                    continue
                name = f"{group}.{key}"
                shown = str(getattr(item, key)).replace(MISSING_SPAN, "– (saknas; meningen utelämnas)")
                out.append(NamedValue(name, shown, used.get(name, "")))
        elif not callable(item):
            out.append(NamedValue(group, str(item), used.get(group, "")))
    return out


def markdown_table(rows: list[NamedValue], ar: int) -> str:
    """The list as a Markdown table with a heading, for the terminal or a file."""
    lines = [
        f"# Namn som texten kan använda, {ar}",
        "",
        "Skriv `{{< v NAMN >}}` i report.qmd. Värdet är det som visas för året.",
        "",
        "| Namn | Värde | Används i dag i |",
        "| --- | --- | --- |",
    ]
    for row in rows:
        cells = [row.name, row.value, row.used_in or "(används inte)"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)
