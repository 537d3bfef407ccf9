"""Inline values for the article's prose.

Quarto inserts an inline expression's ``text/markdown`` as it is, but a plain string as its repr with
the quotes stripped, which would show a non-breaking space as ``\\xa0``. Every value the prose shows
is therefore a :class:`Md`: a string that also renders itself as Markdown.
"""

from __future__ import annotations


class Md(str):
    """A string that IPython (and so Quarto) displays as Markdown, unescaped."""

    def _repr_markdown_(self) -> str:
        return str(self)


def md(text: object) -> Md:
    """Wrap any text for inline use."""
    return Md(str(text))
