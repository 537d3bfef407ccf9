"""Inline values for the article's prose.

Quarto inserts an inline expression's ``text/markdown`` as it is, but a plain string as its repr with
the quotes stripped, which would show a non-breaking space as ``\\xa0``. Every value the prose shows
is therefore a :class:`Md`: a string that also renders itself as Markdown.

Text that comes from data is never Markdown: :func:`text_md` escapes it, so ``<script>``, ``**fet**``,
``[länk](javascript:…)`` or ``@tbl-x`` in a data file reach the reader as those very characters, in the
HTML, in the PDF and in the preview alike. Only text the code builds on purpose is :func:`md`.

>>> text_md("<img src=x onerror=alert(1)>")
'\\\\<img src=x onerror=alert(1)\\\\>'
>>> text_md("- 3 % & **fet**")
'\\\\- 3 % \\\\& \\\\*\\\\*fet\\\\*\\\\*'
>>> text_md("2023. Slut")
'2023\\\\. Slut'
>>> shown_text(text_md("+1,2 mnkr & <b>"))
'+1,2 mnkr & <b>'
"""

from __future__ import annotations

import re

# ASCII punctuation that means something in Pandoc's Markdown (or HTML inside it) anywhere in a line;
# Pandoc treats a backslash before any ASCII punctuation as the character itself, so escaping is safe.
SIGNIFICANT = frozenset("\\`*_{}[]<>#+!|~^$@&")
# What makes a line a list item, heading, quote, div or table when it stands first on the line.
LEADING = re.compile(r"^([-+*#>:=|%]|[0-9]+[.)]|[A-Za-z][.)](?=\s|$)|\()")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# The class of a traced figure's span: ``[12,3 mnkr]{.hv data-v="resultat.resultat"}`` (issue 20).
# Quarto makes it a <span> in HTML and plain text in Typst; the post-render step and the preview make
# it a button that opens the figure's provenance.
TRACED_CLASS = "hv"


class Md(str):
    """A string that IPython (and so Quarto) displays as Markdown, unescaped."""

    def _repr_markdown_(self) -> str:
        return str(self)


def md(text: object) -> Md:
    """Wrap text the code wrote on purpose as Markdown for inline use (never text from data)."""
    return Md(str(text))


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown- or HTML-significant character backslash-escaped, on one line."""
    text = LINE_BREAKS.sub(" ", text)
    lead = LEADING.match(text)
    escaped = "".join(f"\\{c}" if c in SIGNIFICANT else c for c in text)
    if lead and lead.group(0)[-1] not in SIGNIFICANT:  # a marker escaping above left alone
        marker = lead.group(0)
        escaped = marker[:-1] + "\\" + marker[-1] + escaped[len(marker) :]
    return escaped


def shown_text(markdown: str) -> str:
    """What a reader sees of escaped inline Markdown: the backslashes before punctuation gone."""
    return ESCAPED.sub(r"\1", markdown)


def text_md(text: object) -> Md:
    """Data text as inline Markdown that shows exactly that text: nothing in it is markup."""
    if isinstance(text, Md):
        return text
    return Md(escape_markdown(str(text)))
