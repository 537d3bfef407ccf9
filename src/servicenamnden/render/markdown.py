"""Quarto-flavoured Markdown as HTML, for the preview: headings with ids and Quarto's section numbers,
fenced divs, numbered tables and figures, cross-references as links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import mistune

from servicenamnden.render.static_checks import CROSSREF, EMBED

PREFIX = {"tbl": "Tabell", "fig": "Figur", "sec": "Avsnitt"}  # Quarto's Swedish prefixes
HEADING = re.compile(r"^(#{1,6})\s+(.+)$", re.M)
plain_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


@dataclass(frozen=True)
class Section:
    """A heading of the article: its level, Quarto's number (``3.2``; empty if unnumbered), id, title."""

    level: int
    number: str
    ident: str
    title: str


def heading_parts(raw: str) -> tuple[str, str, bool]:
    """``Title {#sec-x .unnumbered}`` → (title, id, unnumbered)."""
    attrs = re.search(r"\{([^}]*)\}\s*$", raw)
    title = re.sub(r"\s*\{[^}]*\}\s*$", "", raw).strip()
    ident = re.search(r"#([\w-]+)", attrs.group(1)) if attrs else None
    unnumbered = bool(attrs and re.search(r"\.unnumbered|(^|\s)-(\s|$)", attrs.group(1)))
    return title, ident.group(1) if ident else "", unnumbered


def slug(title: str) -> str:
    """An id for a heading without one, as pandoc makes them (lower case, words joined by hyphens)."""
    text = re.sub(r"<[^>]+>|[^\w\s-]", "", title.lower()).strip()
    return re.sub(r"\s+", "-", text) or "avsnitt"


def number_sections(texts: list[str]) -> list[Section]:
    """Every heading of the Markdown texts, numbered the way Quarto does with ``number-sections``."""
    counters = [0] * 6
    found = []
    for text in texts:
        for match in HEADING.finditer(strip_code(text)):
            level = len(match.group(1))
            title, ident, unnumbered = heading_parts(match.group(2))
            number = ""
            if not unnumbered:
                counters[level - 1] += 1
                counters[level:] = [0] * (6 - level)
                number = ".".join(str(c) for c in counters[:level])
            found.append(Section(level, number, ident or slug(title), title))
    return found


def strip_code(text: str) -> str:
    """Markdown without fenced code blocks (a ``#`` there is not a heading)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


@dataclass
class Numbering:
    """Numbers of tables, figures and sections in order of appearance, as Quarto gives them."""

    numbers: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=lambda: {"tbl": 0, "fig": 0})
    sections: list[Section] = field(default_factory=list)
    _next_section: int = 0

    @property
    def section_numbers(self) -> dict[str, str]:
        """Section id → its number."""
        return {s.ident: s.number for s in self.sections}

    def next_section(self) -> Section | None:
        """The next heading in document order (headings are met in the order they were numbered)."""
        if self._next_section >= len(self.sections):
            return None
        self._next_section += 1
        return self.sections[self._next_section - 1]

    def assign(self, label: str) -> int:
        kind = label.split("-", 1)[0]
        if label not in self.numbers and kind in self.counters:
            self.counters[kind] += 1
            self.numbers[label] = self.counters[kind]
        return self.numbers.get(label, 0)

    def name(self, label: str) -> str:
        return f"{PREFIX[label.split('-', 1)[0]]} {self.numbers[label]}"


def heading_markup(text: str, shift: int, numbering: Numbering | None = None) -> str:
    """``# Title {#sec-x}`` → an ``<hN id>`` with Quarto's section number when the page numbers them.

    Headings shift down so the page title stays the only h1.
    """

    def repl(match: re.Match) -> str:
        level = min(6, len(match.group(1)) + shift)
        title, ident, _ = heading_parts(match.group(2))
        section = numbering.next_section() if numbering is not None and numbering.sections else None
        ident = ident or (section.ident if section else "")
        attr = f' id="{ident}"' if ident else ""
        number = (
            f'<span class="header-section-number">{section.number}</span> '
            if section and section.number
            else ""
        )
        return f"<h{level}{attr}>{number}{mistune.html(title).strip()[3:-4]}</h{level}>"

    return HEADING.sub(repl, text)


def div_open(match: re.Match) -> str:
    """``::: {.name when-format="html"}`` → ``<div class="name when-html">``, blank line after it."""
    classes = match.group(1)
    if re.search(r'when-format="?html', match.group(0)):
        classes += " when-html"
    return f'\n<div class="{classes}">\n\n'


def fenced_divs(text: str) -> str:
    """Pandoc fenced divs as HTML blocks, with blank lines around them so Markdown inside is rendered."""
    text = re.sub(r"^:::+[ \t]*\{?\.?([\w-]+)[^}\n]*\}?[ \t]*$", div_open, text, flags=re.M)
    return re.sub(r"^:::+[ \t]*$", "\n</div>\n", text, flags=re.M)


def markdown_to_html(text: str, numbering: Numbering, shift: int = 1) -> str:
    """Quarto-flavoured Markdown → HTML: headings with ids, divs, cross-references as links."""
    text = fenced_divs(heading_markup(text, shift, numbering))
    text = EMBED.sub(lambda m: f"\n<!--EMBED {m.group(1)}#{m.group(2)}-->\n", text)

    def ref(match: re.Match) -> str:
        label = match.group(1)
        if label.startswith("sec-"):
            number = numbering.section_numbers.get(label)
            return (
                f'<a href="#{label}">{PREFIX["sec"]} {number}</a>'
                if number
                else f'<a href="#{label}">{PREFIX["sec"]}</a>'
            )
        numbering.assign(label)
        return f'<a href="#{label}">{numbering.name(label)}</a>'

    text = CROSSREF.sub(ref, text)
    return plain_markdown(text)
