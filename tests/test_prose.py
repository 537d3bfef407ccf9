"""The article's prose states no figure typed by hand: every number comes from data as an inline value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicenamnden.render.artikelvarden import CODE_HINT, evaluate_article, has_code, shortcodes
from servicenamnden.render.quarto_exec import ExecutionError

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
        "---\ntitle: x\n---\n\nResultatet blev −14,9 mnkr och {{< v ek.resultat >}} för Område 4 år 2023.\n"
    )
    assert typed_figures(sample) == [(5, "14,9"), (5, "4")]


def test_values_are_named_values_not_code_or_notes():
    """A value in a sentence only names a value (`{{< v group.name >}}`, `{{< v kontroll.name >}}`) or a
    download link's text with format and size (`{{< fil file "words" >}}`); notes that may be absent and
    the links under a table are blocks, each a paragraph of its own."""
    text = (ROOT / "report.qmd").read_text(encoding="utf-8")
    codes = shortcodes(text)
    assert len(codes) > 400
    named = re.compile(r"^([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?|kontroll\.[a-z_]+)$")
    inline = [c for c in codes if not c.block]
    assert {c.name for c in inline} == {"v", "fil"}
    assert [c.code for c in codes if c.name == "v" and (len(c.args) != 1 or not named.match(c.args[0]))] == []
    assert [c.code for c in inline if "noter" in c.key or "saknas" in c.key] == []
    assert {c.name for c in codes if c.block} == {"notera", "lank", "v"}  # v: kontroll.ej_gjorda
    assert [
        c.code for c in codes if c.name == "lank" and not re.fullmatch(r"tbl-[a-z0-9-]+", c.args[0])
    ] == []


def test_the_article_has_no_executable_code():
    """Quarto executes an article with code once per format and makes a notebook view of it; the
    pre-render step computes the values instead (render/artikelvarden.py)."""
    article = ROOT / "report.qmd"
    assert not has_code(article)
    assert "{python}" not in article.read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", [None, "tests/fixtures/data_2024"])
@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_every_value_exists_and_is_never_empty_in_a_sentence(fixture, monkeypatch):
    """Without a kernel: each shortcode of the article names a value that exists; in a sentence it is never
    empty (evaluate_article stops otherwise)."""
    from servicenamnden.domain.years import resolve_year
    from servicenamnden.io import data

    if fixture:
        monkeypatch.setenv("SN_DATA", str(ROOT / fixture))
    data.clear_cache()
    try:
        text = (ROOT / "report.qmd").read_text(encoding="utf-8")
        values = evaluate_article(text, resolve_year(None))
        assert sum(len(found) for found in values.values()) == len(shortcodes(text))
        inline = {c.key for c in shortcodes(text) if not c.block}
        assert all(shown.strip() for key in inline for shown in values[key])
    finally:
        data.clear_cache()


def test_an_unknown_name_stops_with_a_line_naming_the_line_of_the_article():
    qmd = "---\ntitle: x\n---\n\nResultatet blev {{< v resultat.finns_inte >}}.\n"
    with pytest.raises(ExecutionError) as stop:
        evaluate_article(qmd, 2023)
    message = str(stop.value)
    assert message.startswith("report.qmd, rad 5: {{< v resultat.finns_inte >}} går inte att räkna fram")
    assert "finns_inte" in message and "\n" not in message


def test_an_unknown_group_and_an_empty_value_in_a_sentence_stop():
    with pytest.raises(ExecutionError, match=r"^report.qmd, rad 1: \{\{< v ingen.grupp >\}\} går inte"):
        evaluate_article("{{< v ingen.grupp >}}", 2023)
    # no table has this label, so it has no links: nothing, which a sentence cannot hold
    with pytest.raises(
        ExecutionError, match=r"^report.qmd, rad 2: \{\{< lank tbl-ingen >\}\} gav inget värde"
    ):
        evaluate_article("Text.\nSå här {{< lank tbl-ingen >}} mitt i.", 2023)
    assert evaluate_article("Text.\n\n{{< lank tbl-ingen >}}\n", 2023) == {"lank tbl-ingen": [""]}


def test_the_converter_rewrites_the_old_python_syntax_to_shortcodes():
    """tools/kortkoder.py, for a text written before the change (a branch merged later)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kortkoder", ROOT / "tools" / "kortkoder.py")
    kortkoder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kortkoder)
    old = (
        "```{python}\n#| tags: [parameters]\nar = None\n```\n\n```{python}\n#| include: false\nv = 1\n```\n\n"
        "År `{python} v.ar`: `{python} v.resultat.resultat` av `{python} kontroll.antal`, "
        '[`{python} v.fillank("a.csv", "alla rader")`](downloads/a.csv).\n\n'
        '```{python}\nnotera(v.resultat, v.justering)\n```\n\n```{python}\nv.lank("tbl-x")\n```\n'
    )
    new = (
        "År {{< v ar >}}: {{< v resultat.resultat >}} av {{< v kontroll.antal >}}, "
        '[{{< fil a.csv "alla rader" >}}](downloads/a.csv).\n\n'
        "{{< notera resultat justering >}}\n\n{{< lank tbl-x >}}\n"
    )
    assert kortkoder.convert(old) == new and kortkoder.convert(new) == new
    assert not has_code_text(new)
    with pytest.raises(SystemExit, match="Okänd kodcell: print"):
        kortkoder.convert("```{python}\nprint(1)\n```\n")


def has_code_text(text: str) -> bool:
    """:func:`has_code` for a text."""
    return any(CODE_HINT.search(line) for line in text.splitlines())
