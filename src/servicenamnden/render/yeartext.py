"""Text written for one year, and sentences whose figure the year's data lack.

Narrative that is not computed belongs to the year it was written for. In ``report.qmd`` it stands in
a fenced div ``::: {.arstext ar="2023" forutsatter="villkor …"}``. Rendering another year marks each
such div visibly ("Texten är skriven för 2023 och inte uppdaterad för 2024."), and ``make check``
lists them by section and tests the conditions (:mod:`servicenamnden.present.values.villkor`) that
the fixed words of a div written for the year rely on.

A value the data lack is shown as the span ``[–]{.saknas}``; a sentence holding one is left out as a
whole, and the group's note (``notera``) says once what is missing. Quarto does both through the Lua
filter ``assets/arstext.lua``; the preview through :func:`filter_markdown`. Both take the words of
the mark from the metadata the pre-render step writes (:func:`metadata`), so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from servicenamnden.errors import TextError
from servicenamnden.present.values.base import MISSING_SPAN
from servicenamnden.render.markdown import HEADING, heading_parts

YEAR_CLASS = "arstext"
STALE_CLASS = "inaktuell"
STALE_LABEL = "Ej uppdaterad."
STALE_TEMPLATE = "Texten är skriven för {skriven} och inte uppdaterad för {ar}."

DIV_OPEN = re.compile(r"^(:{3,})\s*\{([^}]*)\}\s*$")
DIV_CLOSE = re.compile(r"^(:{3,})\s*$")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
SENTENCE_END = re.compile(r"(?<=[.!?])[ \t\n]+(?=[A-ZÅÄÖ0-9\[*_\u2013\u2212])")
LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)", re.M)


@dataclass(frozen=True)
class YearText:
    """One div of year-written text: where it stands, the year it was written for, what it assumes."""

    section: str
    line: int
    ar: int
    forutsatter: tuple[str, ...]


def stale_message(skriven: int | str, ar: int | str) -> str:
    """The words of the mark: "Texten är skriven för 2023 och inte uppdaterad för 2024."."""
    return STALE_TEMPLATE.format(skriven=skriven, ar=ar)


def metadata() -> dict[str, str]:
    """What the Lua filter needs besides the year (under ``rapport`` in ``_rapport.yml``)."""
    return {
        "inaktuell-etikett": STALE_LABEL,
        "inaktuell-text": STALE_TEMPLATE,
    }


def _div_classes_and_attributes(inside: str) -> tuple[set[str], dict[str, str]]:
    """The classes and ``key="value"`` attributes of a fenced div's ``{…}``."""
    classes = set(re.findall(r"(?:^|\s)\.([\w-]+)", inside))
    return classes, dict(ATTRIBUTE.findall(inside))


def year_texts(qmd: str) -> list[YearText]:
    """Every year-written div of a ``.qmd`` with its section title, line and conditions."""
    found: list[YearText] = []
    section, in_code = "", False
    for number, line in enumerate(qmd.splitlines(), 1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = HEADING.match(line)
        if heading:
            section = heading_parts(heading.group(2))[0]
            continue
        opened = DIV_OPEN.match(line)
        if opened:
            classes, attributes = _div_classes_and_attributes(opened.group(2))
            if YEAR_CLASS in classes:
                if not re.fullmatch(r"\d{4}", attributes.get("ar", "")):
                    raise ValueError(f'report.qmd, rad {number}: en {YEAR_CLASS}-text saknar ar="ÅÅÅÅ"')
                conditions = tuple(attributes.get("forutsatter", "").split())
                found.append(YearText(section, number, int(attributes["ar"]), conditions))
    return found


def stale(texts: list[YearText], ar: int) -> list[YearText]:
    """The texts not written for report year ``ar``."""
    return [t for t in texts if t.ar != ar]


def stale_lines(texts: list[YearText], ar: int) -> list[str]:
    """One line per section whose text is not yet written for ``ar`` (for ``make check``)."""
    by_section: dict[str, list[YearText]] = {}
    for text in stale(texts, ar):
        by_section.setdefault(text.section, []).append(text)
    return [
        f"{section}: {len(items)} stycke(n) skrivna för {', '.join(sorted({str(t.ar) for t in items}))}"
        f" (rad {', '.join(str(t.line) for t in items)})"
        for section, items in by_section.items()
    ]


def condition_problems(
    texts: list[YearText],
    ar: int,
    load: Callable[[str], pd.DataFrame],
    registry: dict | None = None,
) -> tuple[list[str], list[str]]:
    """(errors, warnings) for the conditions the texts name, judged on report year ``ar``'s data.

    A text written for ``ar`` whose condition the data contradict is an error: the sentence would be
    false. A text written for another year is already marked as not updated; its contradicted
    conditions are warnings that tell the controller what to rewrite. An unknown name is an error.
    """
    if registry is None:
        from servicenamnden.present.values.villkor import VILLKOR as registry
    errors: list[str] = []
    warnings: list[str] = []
    for text in texts:
        for name in text.forutsatter:
            where = f"report.qmd rad {text.line} ({text.section})"
            condition = registry.get(name)
            if condition is None:
                known = ", ".join(sorted(registry)) or "inga"
                errors.append(f"{where}: villkoret '{name}' finns inte; kända villkor: {known}.")
                continue
            if condition.galler(load, ar) is not False:
                continue
            line = f"{where}: texten förutsätter att {condition.beskrivning}, men det gäller inte för {ar}."
            (errors if text.ar == ar else warnings).append(line)
    return errors, warnings


def _drop_missing_sentences(paragraph: str) -> str:
    """``paragraph`` without the sentences that hold a missing value."""
    sentences = SENTENCE_END.split(paragraph)
    kept = [s for s in sentences if MISSING_SPAN not in s]
    return " ".join(kept).strip()


def _drop_in_block(block: str) -> str:
    """A Markdown block (a paragraph or a list) without its sentences that hold a missing value."""
    if MISSING_SPAN not in block:
        return block
    items = LIST_ITEM.split(block)
    if len(items) > 1:  # a list: ['', marker, text, marker, text, …]
        out = [items[0]] if items[0].strip() else []
        for marker, text in zip(items[1::2], items[2::2], strict=True):
            kept = _drop_missing_sentences(text.strip())
            if kept and not re.fullmatch(r"\*\*[^*]+\*\*", kept):
                out.append(marker + kept + "\n")
        return "".join(out).rstrip("\n")
    return _drop_missing_sentences(block)


def _shown(classes: set[str], attributes: dict[str, str], flags: dict[str, bool]) -> bool:
    """Whether a ``content-visible``/``content-hidden`` div with ``when-meta="villkor.X"`` is shown."""
    key = attributes.get("when-meta", "")
    if not key.startswith("villkor."):
        return True
    holds = bool(flags.get(key.removeprefix("villkor."), False))
    return holds if "content-visible" in classes else not holds if "content-hidden" in classes else True


def conditional_divs(text: str, flags: dict[str, bool]) -> str:
    """``text`` without the conditional divs whose condition says hide, as Quarto shows it."""
    out: list[str] = []
    hiding_until: int | None = None  # the depth at which the hidden div closes
    depth = 0
    for line in text.split("\n"):
        opened, closed = DIV_OPEN.match(line), DIV_CLOSE.match(line)
        if opened:
            depth += 1
            classes, attributes = _div_classes_and_attributes(opened.group(2))
            if hiding_until is None and not _shown(classes, attributes, flags):
                hiding_until = depth
        if hiding_until is None:
            out.append(line)
        if closed and depth:
            if hiding_until == depth:
                hiding_until = None
            depth -= 1
    return "\n".join(out)


def filter_markdown(text: str, ar: int | None, flags: dict[str, bool] | None = None) -> str:
    """What Quarto does with the year's text, for the preview: hide conditional divs whose condition
    does not hold (``flags``), mark divs not written for ``ar`` (none when ``ar`` is ``None``), and drop
    the sentences that hold a missing value (``assets/arstext.lua``)."""
    lines = conditional_divs(text, flags or {}).split("\n")
    out: list[str] = []
    for line in lines:
        out.append(line)
        opened = DIV_OPEN.match(line)
        if opened:
            classes, attributes = _div_classes_and_attributes(opened.group(2))
            if ar is not None and YEAR_CLASS in classes and attributes.get("ar") not in (None, str(ar)):
                out.append("")
                out.append(f'<p class="{STALE_CLASS}-markering">{_mark_html(attributes["ar"], ar)}</p>')
                out.append("")
    blocks = re.split(r"(\n[ \t]*\n)", "\n".join(out))
    return "".join(_drop_in_block(b) if not b.strip() == "" else b for b in blocks).replace(
        MISSING_SPAN, "\u2013"
    )


def _mark_html(skriven: str, ar: int) -> str:
    """The visible mark at the top of a stale div, as HTML for the preview."""
    return f"<strong>{STALE_LABEL}</strong> {stale_message(skriven, ar)}"


def unknown_switches(qmd: str, registry: dict | None = None) -> list[str]:
    """A line for each ``when-meta="villkor.NAMN"`` whose condition is not registered (Quarto would
    silently treat it as false)."""
    if registry is None:
        from servicenamnden.present.values.villkor import VILLKOR as registry
    lines = []
    for number, line in enumerate(qmd.splitlines(), 1):
        for name in re.findall(r'when-meta="villkor\.([\w-]+)"', line):
            if name not in registry:
                lines.append(f"report.qmd rad {number}: villkoret '{name}' i when-meta finns inte.")
    return lines


def check_article(article: Path, ar: int, load: Callable[[str], pd.DataFrame]) -> tuple[list[str], list[str]]:
    """The article's year-written text for report year ``ar``: (lines on stale text, warnings).

    Raises :class:`~servicenamnden.errors.TextError` when text written for ``ar`` says what its data
    contradict, or names an unknown condition: those sentences would be false.
    """
    qmd = article.read_text(encoding="utf-8")
    texts = year_texts(qmd)
    errors, warnings = condition_problems(texts, ar, load)
    errors += unknown_switches(qmd)
    if errors:
        raise TextError("\n".join(errors))
    return stale_lines(texts, ar), warnings


def report_lines(stale_sections: list[str], warnings: list[str], ar: int) -> list[str]:
    """What ``make check`` prints about the year's text: nothing for a year whose text is all written."""
    if not stale_sections:
        return [f"Text: all årsbunden text är skriven för {ar}."]
    lines = [f"Text som inte är skriven för {ar} (markeras i rapporten; skriv om och ändra ar=):"]
    lines += [f"  {line}" for line in stale_sections]
    lines += [f"  Stämmer inte längre: {w}" for w in warnings]
    return lines
