"""What fixed words in the prose assume about the year's data.

Narrative text in ``report.qmd`` that is written for one year stands in a fenced div
``::: {.arstext ar="2023" forutsatter="namn namn"}``. A direction or comparison word in it that is not
computed ("lägre än budget", "alla", "för första gången") names, in ``forutsatter``, the condition it
relies on. Each condition is registered here with a Swedish description and a test on the data, so
``make check`` can say which sentence the year's data contradict. A test answers ``None`` when the
data needed to judge it are missing (the sentence then has its note instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

Loader = Callable[[str], pd.DataFrame]


@dataclass(frozen=True)
class Villkor:
    """One condition the fixed words of a paragraph assume: what it says, and whether the data agree."""

    beskrivning: str
    galler: Callable[[Loader, int], bool | None]


VILLKOR: dict[str, Villkor] = {}


def villkor(namn: str, beskrivning: str) -> Callable[[Callable[[Loader, int], bool | None]], Callable]:
    """Register a condition under ``namn`` (decorator): ``@villkor("x", "intäkterna blev lägre …")``."""

    def register(test: Callable[[Loader, int], bool | None]) -> Callable[[Loader, int], bool | None]:
        if namn in VILLKOR:
            raise ValueError(f"villkoret {namn} finns redan")
        VILLKOR[namn] = Villkor(beskrivning, test)
        return test

    return register
