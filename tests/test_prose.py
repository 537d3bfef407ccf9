"""The article's prose states no figure typed by hand: every number comes from data as an inline value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicenamnden.render.quarto_exec import INLINE

ROOT = Path(__file__).resolve().parents[1]

# The only digits allowed in prose, each for a reason:
ALLOWED = [
    (re.compile(r"\b(19|20)\d\d\b"), "years that name a period or a plan, e.g. a plan for 2024–2030"),
    (re.compile(r"^\s*\d+\.\s", re.M), "numbered list markers"),
    (re.compile(r"\bMicrosoft365\b"), "a product's name (the project Microsoft365)"),
]


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of prose: no front matter, code, inline code, shortcodes, ids or references."""
    lines = text.splitlines()
    out, in_code, in_front = [], False, False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if number == 1 and stripped == "---":
            in_front = True
            continue
        if in_front:
            in_front = stripped != "---"
            continue
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code or stripped.startswith(("#|", ":::", "<!--")):
            continue
        line = re.sub(r"`[^`]*`", " ", line)
        line = re.sub(r"\{\{<.*?>\}\}", " ", line)
        line = re.sub(r"\{#[^}]*\}", " ", line)
        line = re.sub(r"@[\w-]+", " ", line)
        out.append((number, line))
    return out


def typed_figures(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in prose_lines(text):
        for pattern, _reason in ALLOWED:
            line = pattern.sub(" ", line)
        for match in re.finditer(r"\d[\d\u00a0 ,.]*", line):
            found.append((number, match.group().strip()))
    return found


def test_no_typed_figures_in_the_article():
    text = (ROOT / "report.qmd").read_text(encoding="utf-8")
    assert typed_figures(text) == []


def test_the_scanner_finds_typed_figures():
    sample = (
        "---\ntitle: x\n---\n\nResultatet blev −14,9 mnkr och `{python} ek.resultat` för Område 4 år 2023.\n"
    )
    assert typed_figures(sample) == [(5, "14,9"), (5, "4")]


def test_inline_values_are_named_values_not_code_or_notes():
    """Inline expressions only name a value (`v.group.name`), or download links with format and size
    (`v.lankar("tbl-…")` under a table, `v.lank("tbl-…")`, `v.fillank("file", "words")`); a note that may
    be absent is a block."""
    text = (ROOT / "report.qmd").read_text(encoding="utf-8")
    expressions = INLINE.findall(text)
    assert len(expressions) > 100
    named = re.compile(
        r'^(v(\.[a-z][a-z0-9_]*){1,2}|kontroll\.[a-z_]+|v\.lankar?\("tbl-[a-z0-9-]+"\)|v\.fillank\("[\w.]+", "[^"]+"\))$'
    )
    assert [e for e in expressions if not named.match(e.strip())] == []
    assert [e for e in expressions if "noter" in e or "saknas" in e or "notera" in e] == []


def test_the_setup_is_one_call():
    text = (ROOT / "report.qmd").read_text(encoding="utf-8")
    setup = text.split("```{python}")[2].split("```")[0]
    code = [line for line in setup.splitlines() if line.strip() and not line.startswith(("#", "from "))]
    assert code == ["v = arets_varden(ar)", "kontroll = checks_values(run_all(ar=ar))"]


class _Counts:
    """Stands in for the data checks' counts, which need the whole reconciliation."""

    def __getattr__(self, name: str) -> str:
        return "1"


@pytest.mark.parametrize("fixture", [None, "tests/fixtures/data_2024"])
@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_every_inline_value_exists_and_is_never_empty(fixture, monkeypatch):
    """Without a kernel: each `{python} …` of the article names a value that exists and is not empty."""
    from servicenamnden.io import data
    from servicenamnden.present.values import arets_varden

    if fixture:
        monkeypatch.setenv("SN_DATA", str(ROOT / fixture))
    data.clear_cache()
    try:
        values = arets_varden(None)
        text = (ROOT / "report.qmd").read_text(encoding="utf-8")
        for expression in INLINE.findall(text):
            shown = eval(expression.strip(), {"v": values, "kontroll": _Counts()})
            assert isinstance(shown, str) and shown.strip(), expression
    finally:
        data.clear_cache()
