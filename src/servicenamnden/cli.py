"""The controller's commands: ``check`` and ``report`` (what ``make check`` and ``make report`` run)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from pathlib import Path

from servicenamnden.domain.years import requested_year, resolve_year
from servicenamnden.io import data
from servicenamnden.io.lock import locked
from servicenamnden.paths import project_root
from servicenamnden.present.opendata import DOWNLOADS_DIR
from servicenamnden.reconcile import checks
from servicenamnden.render.outputs import preserved
from servicenamnden.render.prerender import STOPS, prepare, report_stop, year_params
from servicenamnden.render.prerender import execute_for_render as execute_all
from servicenamnden.render.project import load_project, quarto_command
from servicenamnden.render.static_checks import check_download_links, check_project

QUARTO_HINT = (
    "Installera Quarto 1.5 eller senare (https://quarto.org/docs/get-started/) och kör make report igen."
)


def _say(message: str) -> None:
    print(message, flush=True)


def validate() -> int:
    """Validate every data file; print one line per file."""
    counts = data.validate_all()
    _say(f"Data: {len(counts)} filer validerade ({sum(counts.values())} rader).")
    return 0


def run_check(ar: int | None) -> tuple[int, dict]:
    """Quarto's pre-render step (validate data and checks, write the year's metadata, execute the
    notebooks into place), the article as Quarto executes it, then the static checks.
    Returns (exit code, executed)."""
    validate()
    project = load_project()
    ar = requested_year(ar)
    # A wrong file or a broken check stops here, with one line, before any document runs.
    year, avstamningar, text_lines = prepare(project, ar)
    _say(f"Rapportår: {year}.")
    for line in text_lines:
        _say(line)
    started = time.perf_counter()
    executed = execute_all(project, year_params(ar))
    _say(f"Körning: {len(executed)} dokument utan fel ({time.perf_counter() - started:.1f} s).")
    problems = check_project(project, executed)
    problems += check_download_links(project, executed, project.root / DOWNLOADS_DIR)
    for problem in problems:
        _say(f"Kontroll: {problem}")
    if not problems:
        inline = sum(len(d.inline_values) for d in executed.values())
        _say(
            f"Statiska kontroller: inbäddningar, hänvisningar och filer stämmer ({inline} värden i artikeln)."
        )
    _report_checks(avstamningar, year)
    return (1 if problems else 0), executed


def _report_checks(avstamningar: list[checks.Check], ar: int) -> None:
    """The avstämningar: a summary line and one line per differing check. A difference never fails."""
    _say(checks.summary_line(avstamningar))
    for check in avstamningar:
        if check.status == checks.AVVIKER:
            _say(f"  {checks.difference_line(check)}")
        elif check.status == checks.SAKNAS:
            _say(f"  {checks.not_made_line(check)}")
    without = len(checks.unverifiable_claims(ar=ar))
    if without:
        _say(f"  {without} uppgifter i källan saknar underlag att stämmas av mot (se sidan Datakontroller).")


def list_values(ar: int | None) -> int:
    """Print every name the prose may use with its value for the year and where it is used today."""
    from servicenamnden.present.values import arets_varden
    from servicenamnden.render.valuelist import markdown_table, named_values

    data.validate_all()
    year = resolve_year(ar)
    article = load_project().article.read_text(encoding="utf-8")
    _say(markdown_table(named_values(arets_varden(year), article), year))
    return 0


def quarto_binary() -> str | None:
    """The ``quarto`` to render with, or ``None`` (absent, or the preview forced with SN_FORCE_PREVIEW)."""
    quarto = shutil.which("quarto")
    return quarto if quarto and not os.environ.get("SN_FORCE_PREVIEW") else None


def run_report(ar: int | None) -> int:
    """``quarto render`` where Quarto exists (its pre-render step validates and executes the notebooks,
    Quarto executes the article: each document once); otherwise ``check`` and a preview."""
    quarto = quarto_binary()
    if quarto:
        return run_quarto(quarto, load_project().root, ar)
    code, executed = run_check(ar)
    if code:
        return code
    project = load_project()
    from servicenamnden.render.preview import write_preview

    out = write_preview(project, executed, requested_year(ar))
    _say(
        f"Förhandsvisning (inte Quarto): {out.relative_to(project.root)}/index.html och "
        f"{out.relative_to(project.root)}/report.pdf. {QUARTO_HINT}"
    )
    return 0


def run_quarto(quarto: str, root: Path, ar: int | None) -> int:
    """Run ``quarto render`` in ``root``; returns its exit code."""
    command, env = quarto_command(quarto, ar)
    _say("Kör " + " ".join(command))
    return subprocess.call(command, cwd=root, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="servicenamnden", description="Servicenämndens verksamhetsberättelse"
    )
    parser.add_argument("command", choices=["validate", "check", "report", "varden"])
    parser.add_argument(
        "--ar", type=int, default=None, help="rapportåret (standard: senaste året med fullständiga data)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return validate()
        if args.command == "varden":
            return list_values(args.ar)
        with locked(project_root(), say=_say):  # two runs in one clone wait for each other
            if args.command == "report" and quarto_binary():
                return run_report(args.ar)  # Quarto's pre-render step keeps the outputs when it stops
            with preserved(project_root()):  # a stopped run leaves every output as it was
                if args.command == "check":
                    return run_check(args.ar)[0]
                return run_report(args.ar)
    except STOPS as exc:
        return report_stop(exc)
