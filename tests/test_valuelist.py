"""make varden: every name the prose may use, its value for the year and the sentence it stands in."""

from __future__ import annotations

from pathlib import Path

from servicenamnden.render.valuelist import markdown_table, named_values, usages

ROOT = Path(__file__).resolve().parents[1]


def test_a_name_is_listed_with_the_sentence_it_stands_in():
    qmd = "Intro.\n\n- **Ekonomi.** Resultatet blev {{< v resultat.resultat >}} i år. Nästa mening.\n"
    assert usages(qmd) == {"resultat.resultat": "Ekonomi. Resultatet blev [resultat.resultat] i år."}


def test_every_name_the_article_uses_is_listed_with_its_value_for_the_year(v):
    qmd = (ROOT / "report.qmd").read_text(encoding="utf-8")
    rows = {row.name: row for row in named_values(v, qmd)}  # v: the 2023 values (conftest.py)
    for name in usages(qmd):
        assert name in rows, name
        assert rows[name].value.strip() and rows[name].used_in
    assert rows["ar"].value == "2023"
    table = markdown_table(list(rows.values()), 2023)
    assert table.count("\n| ") == len(rows) + 2  # heading row and rule
