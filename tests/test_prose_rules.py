"""The executed article's prose obeys the formatter's rules: no sign against a direction word, no empty range."""

from __future__ import annotations

import re

import pytest

from servicenamnden.present import fmt


def test_no_signed_amount_next_to_a_direction_word(article_markdown):
    assert fmt.direction_conflicts(article_markdown) == []


def ranges(text: str) -> list[tuple[str, str]]:
    """Each "mellan A och B" of the prose, and each "mellan" without its "och" (as (A, ""))."""
    flat = re.sub(r"[ \t\n]+", " ", text)  # keeps the non-breaking spaces
    found = []
    for match in re.finditer(r"\bmellan ([^ ]+)( och ([^ ]+))?", flat):
        found.append((match.group(1), match.group(3) or ""))
    return found


def test_the_range_scanner_finds_a_collapsed_range():
    assert ranges("höjdes med mellan 3,4\u00a0% år 2024") == [("3,4\u00a0%", "")]
    assert ranges("med mellan\n4,7\u00a0% och 5,3\u00a0% år") == [("4,7\u00a0%", "5,3\u00a0%")]


def test_no_range_whose_ends_are_the_same(article_markdown):
    bad = [(lo, hi) for lo, hi in ranges(article_markdown) if re.match(r"[−+]?\d", lo) and hi in ("", lo)]
    assert bad == []


@pytest.fixture(scope="module")
def article_text_2024(project, root) -> str:
    """The article executed alone for the invented 2024 data, where every fee rises by the same percentage."""
    from servicenamnden.io import data
    from servicenamnden.render.artikelvarden import execute_article

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SN_DATA", str(root / "tests" / "fixtures" / "data_2024"))
        data.clear_cache()
        result = execute_article(project.article, {"ar": 2024})
    data.clear_cache()
    return "\n".join(c.source for c in result.notebook.cells if c.cell_type == "markdown")


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_2024_prose_keeps_the_rules_too(article_text_2024):
    bad = [(lo, hi) for lo, hi in ranges(article_text_2024) if re.match(r"[−+]?\d", lo) and hi in ("", lo)]
    assert (fmt.direction_conflicts(article_text_2024), bad) == ([], [])
