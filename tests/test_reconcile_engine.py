"""The reconciliation's engine: rule tables run by one loop, once per data and year in a process.

The pre-render step used to run every rule twice (the validation, then the CSV download) and ``make
check`` in its own process twice as well; the article and the appendix notebook each asked again in
their kernel. Here the rules run once per content of the data folder and year in a process, and the
kernels the step starts read the list it shared (``make check``: one run in all).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from servicenamnden import cli
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.io import data
from servicenamnden.reconcile import checks, run
from servicenamnden.reconcile.engine import Found, Rule, apply, exact
from servicenamnden.reconcile.model import FAMILIES, KINDS, Status
from servicenamnden.reconcile.sources import Sources
from servicenamnden.render import prerender

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "servicenamnden"


@pytest.fixture()
def evaluations(monkeypatch, tmp_path) -> list[int]:
    """Every time the rules are evaluated in this process (the cache emptied first, and the shared list
    kept in a folder of the test's own, not the project's ``_build/``): the years."""
    calls: list[int] = []
    evaluate = run.evaluate
    monkeypatch.setattr(run, "evaluate", lambda src, ar=None: calls.append(ar) or evaluate(src, ar))
    monkeypatch.setattr(run, "shared_path", lambda: tmp_path / run.SHARED_NAME)
    run.clear_cache()
    yield calls
    run.clear_cache()


@pytest.mark.slow  # a whole-data run
def test_the_same_data_and_year_are_evaluated_once(evaluations):
    first = checks.run_all(ar=2023)
    assert checks.run_all(ar=2023) == first
    checks.unchecked_claims()  # the document's year: the same list
    assert evaluations == [2023]


@pytest.mark.slow  # two whole-data runs
def test_changed_data_are_evaluated_again(evaluations, data_copy):
    before = checks.run_all(data_copy, ar=2023)
    path = data_copy / "pastaenden.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",103941,tkr,", ",103942,tkr,"), encoding="utf-8"
    )
    data.clear_cache()  # the loaded files are cached apart from the checks
    after = {c.id: c for c in checks.run_all(data_copy, ar=2023)}
    assert evaluations == [2023, 2023]
    assert (
        after["ms_ao_totalt_2023"].expected
        == 103942
        != {c.id: c for c in before}["ms_ao_totalt_2023"].expected
    )


@pytest.mark.slow  # validates every data file and runs the rules
def test_the_pre_render_step_runs_the_checks_once(evaluations, monkeypatch):
    monkeypatch.setattr(prerender, "execute_all", lambda *args, **kwargs: {})  # no kernels
    monkeypatch.setattr(prerender, "check_project", lambda project, executed: [])
    assert prerender.main(["--ar", "2023"]) == 0
    assert evaluations == [2023]


@pytest.mark.slow  # validates every data file and runs the rules
def test_make_check_runs_the_checks_once_in_its_own_process(evaluations, monkeypatch):
    monkeypatch.setattr(prerender, "execute_all", lambda *args, **kwargs: {})  # the kernels count their own
    monkeypatch.setattr(cli, "check_project", lambda project, executed: [])
    monkeypatch.setattr(cli, "check_download_links", lambda *args: [])
    assert cli.main(["check", "--ar", "2023"]) == 0
    assert evaluations == [2023]


def test_rule_rows_have_unique_ids_known_families_and_fill_their_templates():
    rows = (*run.YEAR_RULES, *run.DOCUMENT_RULES)
    assert len({r.id for r in rows}) == len(rows)
    assert {r.family for r in rows} <= set(FAMILIES) and {r.kind for r in rows} <= set(KINDS)
    for row in rows:
        assert row.id == run.rule(row.id).id
        assert row.claims or "{claim}" not in row.check_id  # a row over the year's data names no claim


def test_every_check_names_its_rule_and_a_document_check_its_claim(checks_2023):
    ids = {r.id for r in (*run.YEAR_RULES, *run.DOCUMENT_RULES)}
    assert all(c.rule in ids for c in checks_2023)
    for check in checks_2023:
        if run.rule(check.rule).claims:
            assert check.claim_ids and check.id.startswith(check.claim_ids[0])


def test_statuses_are_an_enum_with_the_words_the_report_shows():
    assert [s.value for s in Status] == [
        "stämmer",
        "stämmer inom avrundning",
        "avviker",
        "kan inte göras: underlaget saknas",
    ]
    assert Status.INOM_AVRUNDNING.label == "Stämmer inom avrundning"
    assert Status.INOM_AVRUNDNING.short == "Inom avrundning"
    assert f"{Status.AVVIKER}" == "avviker" and checks.AVVIKER is Status.AVVIKER


def test_one_rounding_and_one_list_join_in_the_package():
    text = {path: path.read_text(encoding="utf-8") for path in SRC.rglob("*.py")}
    rounding = [p.relative_to(SRC) for p, t in text.items() if re.search(r"def _?round_half_up\b", t)]
    joins = [p.relative_to(SRC) for p, t in text.items() if re.search(r'\+ " och " \+', t)]
    assert rounding == [Path("domain/rounding.py")]
    assert joins == [Path("present/fmt.py")]


def test_a_row_whose_template_names_a_missing_word_is_one_swedish_line():
    row = Rule(
        id="prov",
        family="summa",
        compute=lambda src: Found(1.0, expected=1.0),
        check_id="prov",
        description="Prov {saknas}",
        tolerance=exact("antal, exakt"),
        unit="antal",
    )
    with pytest.raises(CheckDefinitionError, match=r"^Avstämningsregeln prov: mallen .*'saknas'"):
        apply(row, Sources())


@pytest.mark.slow  # a whole-data run and a second Python process
def test_a_process_started_after_sharing_reads_the_list_instead_of_running_the_rules(evaluations, tmp_path):
    shared = checks.share_with_kernels(ar=2023)
    assert shared == run.shared_path() and shared.parent == tmp_path
    # The child looks where a kernel would, pointed at the test's folder instead of the project's _build/.
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from servicenamnden.reconcile import checks, run\n"
        "run.shared_path = lambda: Path(sys.argv[1])\n"
        "found = checks.run_all(ar=2023)\n"
        "json.dump([sum(run.EVALUATIONS.values()), [(c.id, c.status, c.expected_text, c.explanation) for c in found]],"
        " sys.stdout, ensure_ascii=False)\n"
    )

    def child_run() -> list:
        child = subprocess.run(
            [sys.executable, "-c", script, str(shared)], capture_output=True, text=True, check=True, cwd=ROOT
        )
        return json.loads(child.stdout)

    count, listed = child_run()
    here = [[c.id, c.status, c.expected_text, c.explanation] for c in checks.run_all(ar=2023)]
    assert count == 0 and listed == here
    # Other data (or other code) than the shared list was made from: the rules run again.
    stale = json.loads(shared.read_text(encoding="utf-8"))
    stale["key"][0] = "annat innehåll"
    shared.write_text(json.dumps(stale), encoding="utf-8")
    assert child_run()[0] == 1


def test_the_shared_list_lies_in_the_projects_build_folder_where_quartos_own_kernels_look():
    """Quarto starts the article's kernel itself, without the pre-render step's environment: the list
    must be found from the project alone."""
    assert run.shared_path() == ROOT / "_build" / run.SHARED_NAME
