"""The accessibility statement's measurements: the results file the real-render tests write, and the
Markdown the statement includes. The statement says what held, what did not, and what was not measured."""

from __future__ import annotations

import datetime

from servicenamnden.render import statement

DAY = datetime.date(2026, 12, 3)


def _results(**given: str) -> dict:
    return statement.results_document(given, DAY, "1.11.0", 13)


def test_a_claim_that_held_is_stated_with_its_date():
    text = statement.statement_markdown(_results(axe=statement.HELD))
    held = text.split("Mätningarna visade att", 1)[1].split("Detta", 1)[0]
    assert "3 december 2026" in text and "Quarto 1.11.0" in text
    assert statement.CLAIMS["axe"] in held
    assert statement.CLAIMS["sidled"] not in held


def test_a_claim_that_failed_is_said_to_fail_and_not_claimed():
    text = statement.statement_markdown(_results(axe=statement.HELD, sidled=statement.FAILED))
    held = text.split("Mätningarna visade att", 1)[1].split("Detta", 1)[0]
    failed = text.split("**inte** vid mätningen:", 1)[1].split("Detta mättes inte", 1)[0]
    assert statement.CLAIMS["sidled"] in failed and statement.CLAIMS["sidled"] not in held


def test_a_claim_not_measured_is_said_not_to_be_measured():
    text = statement.statement_markdown(_results(axe=statement.HELD))
    missing = text.split("Detta mättes inte den gången", 1)[1]
    assert all(statement.CLAIMS[k] in missing for k in statement.CLAIMS if k != "axe")


def test_every_claim_held_leaves_no_list_of_failures_or_gaps():
    text = statement.statement_markdown(_results(**dict.fromkeys(statement.CLAIMS, statement.HELD)))
    assert "inte** vid" not in text and "mättes inte" not in text
    assert text.rstrip().endswith(".")


def test_without_results_the_statement_claims_nothing(tmp_path):
    text = statement.statement_markdown(statement.read_results(tmp_path))
    assert "har ännu inte mätts" in text
    assert not any(sentence in text for sentence in statement.CLAIMS.values())


def test_results_round_trip_through_the_file(tmp_path):
    (tmp_path / "assets").mkdir()
    statement.write_results(tmp_path, _results(pdf=statement.FAILED))
    read = statement.read_results(tmp_path)
    assert read["datum"] == "2026-12-03" and read["resultat"]["pdf"] == statement.FAILED
    assert read["resultat"]["axe"] == statement.NOT_MEASURED
    included = statement.write_include(tmp_path).read_text(encoding="utf-8")
    assert included == statement.statement_markdown(read)


def test_the_committed_statement_text_is_what_the_committed_results_give(root):
    """The Markdown the statement includes is made from the results file, never edited by hand."""
    included = (root / statement.INCLUDE_FILE).read_text(encoding="utf-8")
    assert included == statement.statement_markdown(statement.read_results(root))
    assert f"{{{{< include {statement.INCLUDE_FILE} >}}}}" in (root / "tillganglighet.qmd").read_text(
        encoding="utf-8"
    )
