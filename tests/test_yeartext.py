"""Text written for a year: marked when another year is rendered, its conditions checked; sentences whose
figure is missing left out. The preview's Python and Quarto's Lua filter must do the same."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from servicenamnden.errors import TextError
from servicenamnden.present.values.base import MISSING_SPAN
from servicenamnden.present.values.villkor import VILLKOR, Villkor
from servicenamnden.render import yeartext
from servicenamnden.render.metadata import report_metadata

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "assets" / "arstext.lua"

QMD = f"""# Ekonomi {{#sec-ekonomi}}

::: {{.arstext ar="2023" forutsatter="sant falskt"}}
Intäkterna blev lägre än budget. Andelen blev {MISSING_SPAN} mot förra året. Det gick bl.a. bra.
:::

## Miljö

::: {{.arstext ar="2024"}}
Skriven för 2024.
:::

- **Ekonomi.** Resultatet blev {MISSING_SPAN}.
- **Miljö.** Sju av nio mål nåddes. Andelen var {MISSING_SPAN}.
"""

REGISTRY = {
    "sant": Villkor("det som gäller", lambda load, ar: True),
    "falskt": Villkor("intäkterna blev lägre än budget", lambda load, ar: False),
    "okant": Villkor("något som inte kan bedömas", lambda load, ar: None),
}


def test_year_texts_are_found_with_their_section_line_year_and_conditions():
    texts = yeartext.year_texts(QMD)
    assert [(t.section, t.line, t.ar, t.forutsatter) for t in texts] == [
        ("Ekonomi", 3, 2023, ("sant", "falskt")),
        ("Miljö", 9, 2024, ()),
    ]


def test_a_year_text_without_a_year_is_refused():
    with pytest.raises(ValueError, match="rad 1"):
        yeartext.year_texts("::: {.arstext}\nText.\n:::\n")


def test_stale_text_is_listed_by_section_only_for_another_year():
    texts = yeartext.year_texts(QMD)
    assert yeartext.stale_lines(texts, 2024) == ["Ekonomi: 1 stycke(n) skrivna för 2023 (rad 3)"]
    assert yeartext.stale_lines(texts, 2023) == ["Miljö: 1 stycke(n) skrivna för 2024 (rad 9)"]


def test_a_contradicted_condition_is_an_error_for_its_own_year_and_a_warning_for_another():
    texts = yeartext.year_texts(QMD)
    errors, warnings = yeartext.condition_problems(texts, 2023, lambda name: None, REGISTRY)
    assert len(errors) == 1 and not warnings
    assert "intäkterna blev lägre än budget" in errors[0] and "rad 3" in errors[0] and "2023" in errors[0]
    errors, warnings = yeartext.condition_problems(texts, 2024, lambda name: None, REGISTRY)
    assert not errors and len(warnings) == 1


def test_an_unknown_condition_and_an_undecidable_one():
    texts = yeartext.year_texts('::: {.arstext ar="2023" forutsatter="saknas okant"}\nText.\n:::\n')
    errors, _ = yeartext.condition_problems(texts, 2023, lambda name: None, REGISTRY)
    assert len(errors) == 1 and "'saknas' finns inte" in errors[0]


def test_check_article_raises_one_line_per_contradicted_sentence(tmp_path, monkeypatch):
    article = tmp_path / "report.qmd"
    article.write_text(QMD, encoding="utf-8")
    monkeypatch.setitem(VILLKOR, "sant", REGISTRY["sant"])
    monkeypatch.setitem(VILLKOR, "falskt", REGISTRY["falskt"])
    with pytest.raises(TextError) as raised:
        yeartext.check_article(article, 2023, lambda name: None)
    assert len(str(raised.value).splitlines()) == 1
    stale, warnings = yeartext.check_article(article, 2024, lambda name: None)
    assert stale and len(warnings) == 1


def test_every_condition_the_article_names_is_registered_and_holds_for_its_year():
    texts = yeartext.year_texts((ROOT / "report.qmd").read_text(encoding="utf-8"))
    from servicenamnden.io import data

    for text in texts:
        errors, _ = yeartext.condition_problems([text], text.ar, data.load)
        assert not errors, errors


def test_the_committed_report_is_written_for_the_year_the_source_reports():
    texts = yeartext.year_texts((ROOT / "report.qmd").read_text(encoding="utf-8"))
    assert not yeartext.stale_lines(texts, 2023)


def plain(html_or_md: str) -> str:
    """Text without tags, emphasis markers and extra space, for comparing the two filters."""
    text = re.sub(r"<[^>]+>", " ", html_or_md)
    text = re.sub(r"[*#\\]|^- ", "", text, flags=re.M)
    text = re.sub(r"^:+.*$", "", text, flags=re.M)
    return " ".join(text.split())


def test_the_preview_marks_stale_text_and_drops_sentences_with_a_missing_figure():
    out = yeartext.filter_markdown(QMD, 2024)
    assert out.count(yeartext.stale_message(2023, 2024)) == 1
    assert "Andelen blev" not in out and "Intäkterna blev lägre än budget. Det gick bl.a. bra." in out
    assert "Resultatet" not in out and "**Ekonomi.**" not in out  # a label alone is dropped too
    assert "Sju av nio mål nåddes." in out and "Andelen var" not in out
    assert "\u2013" not in out
    assert yeartext.stale_message(2023, 2023) not in yeartext.filter_markdown(QMD, 2023)
    assert "Texten är skriven för" not in yeartext.filter_markdown(QMD, None)


def pandoc() -> str | None:
    try:
        import pypandoc
    except ImportError:
        return None
    return pypandoc.get_pandoc_path()


@pytest.mark.parametrize("ar", [2023, 2024])
def test_the_lua_filter_does_what_the_preview_does(ar, tmp_path):
    executable = pandoc()
    if executable is None:
        pytest.skip("pandoc (pypandoc-binary) saknas")
    meta = report_metadata(ar)["rapport"]
    source = tmp_path / "in.md"
    front = "\n".join(f'  {k}: "{v}"' for k, v in meta.items())
    source.write_text(f"---\nrapport:\n{front}\n---\n\n{QMD}", encoding="utf-8")
    lua = subprocess.run(
        [executable, str(source), "--lua-filter", str(LUA), "-t", "plain", "--wrap=none"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    python = yeartext.filter_markdown(QMD, ar)
    python = re.sub(r"\{#[\w-]+\}", "", python)
    assert plain(lua) == plain(python)
    assert (yeartext.stale_message(2023, ar) in lua) == (ar != 2023)


def test_the_lua_filter_is_listed_for_quarto():
    import yaml

    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    # after Quarto's own filters, so that the values of the shortcodes (a missing one too) are filled in
    assert {"path": "assets/arstext.lua", "at": "post-quarto"} in config["filters"]
    assert LUA.exists()


CONDITIONAL = """Före.

::: {.content-visible when-meta="villkor.publicerat"}
Indexet är publicerat.
:::

::: {.content-hidden when-meta="villkor.publicerat"}
Indexet är ännu inte publicerat.
:::

::: {.content-visible when-format="html"}
Bara på webben.
:::
"""


@pytest.mark.parametrize("holds", [True, False])
def test_conditional_text_is_shown_as_quarto_shows_it(holds):
    out = yeartext.filter_markdown(CONDITIONAL, 2023, {"publicerat": holds})
    assert ("Indexet är publicerat." in out) == holds
    assert ("Indexet är ännu inte publicerat." in out) == (not holds)
    assert "Före." in out and "Bara på webben." in out


def test_the_metadata_judges_every_registered_condition_for_the_year(monkeypatch):
    monkeypatch.setitem(VILLKOR, "sant", REGISTRY["sant"])
    monkeypatch.setitem(VILLKOR, "okant", REGISTRY["okant"])
    flags = report_metadata(2023)["villkor"]
    assert flags["sant"] is True and flags["okant"] is False


def test_a_switch_on_an_unknown_condition_is_refused():
    assert yeartext.unknown_switches(CONDITIONAL, REGISTRY) == [
        "report.qmd rad 3: villkoret 'publicerat' i when-meta finns inte.",
        "report.qmd rad 7: villkoret 'publicerat' i when-meta finns inte.",
    ]
    assert not yeartext.unknown_switches((ROOT / "report.qmd").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_make_check_fails_in_one_line_when_the_years_data_contradict_text_written_for_it(tmp_path):
    """The invented 2024 data contradict a fixed word (Område 5 under budget): once the paragraph says it
    is written for 2024, `check --ar 2024` stops on it with one Swedish line, before any document runs."""
    import os
    import sys

    article = (ROOT / "report.qmd").read_text(encoding="utf-8")
    marker = 'forutsatter="omrade_2_over_budget ms_lonekostnader_sjonk omrade_5_under_budget"'
    assert marker in article
    for name in ("report.qmd", "_quarto.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "report.qmd").write_text(
        article.replace(f'::: {{.arstext ar="2023" {marker}}}', f'::: {{.arstext ar="2024" {marker}}}'),
        encoding="utf-8",
    )
    env = {**os.environ, "SN_PROJECT": str(tmp_path), "SN_DATA": str(ROOT / "tests/fixtures/data_2024")}
    result = subprocess.run(
        [sys.executable, "-m", "servicenamnden", "check", "--ar", "2024"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr  # one per contradicted condition of that paragraph
    assert all(line.startswith("Texten stämmer inte med årets data: report.qmd rad ") for line in lines)
    assert "Område 5" in result.stderr or "omrade_5" in result.stderr or "område 5" in result.stderr
    assert "Körning:" not in result.stdout
