"""The controller's commands: ``check`` and ``report`` (what ``make check`` and ``make report`` run)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

from servicenamnden.domain.years import resolve_year
from servicenamnden.errors import CheckDefinitionError, DataError
from servicenamnden.io import data
from servicenamnden.io.lock import locked
from servicenamnden.paths import project_root
from servicenamnden.reconcile import checks
from servicenamnden.render.build import execute_all
from servicenamnden.render.project import load_project
from servicenamnden.render.quarto_exec import ExecutionError
from servicenamnden.render.static_checks import check_project

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
    """Validate data, execute every document, run the static checks. Returns (exit code, executed)."""
    validate()
    avstamningar = checks.run_all(ar=ar)  # a broken check stops here, with one line, before any document runs
    project = load_project()
    params = {"ar": ar} if ar is not None else {}
    started = time.perf_counter()
    executed = execute_all(project, params)
    _say(f"Körning: {len(executed)} dokument utan fel ({time.perf_counter() - started:.1f} s).")
    problems = check_project(project, executed)
    for problem in problems:
        _say(f"Kontroll: {problem}")
    if not problems:
        inline = sum(len(d.inline_values) for d in executed.values())
        _say(f"Statiska kontroller: inbäddningar, hänvisningar och filer stämmer ({inline} inline-värden).")
    _report_checks(avstamningar, ar)
    return (1 if problems else 0), executed


def _report_checks(avstamningar: list[checks.Check], ar: int | None) -> None:
    """The avstämningar: a summary line and one line per differing check. A difference never fails."""
    _say(checks.summary_line(avstamningar))
    for check in avstamningar:
        if check.status == checks.AVVIKER:
            _say(f"  {checks.difference_line(check)}")
    without = len(checks.unverifiable_claims(ar=resolve_year(ar)))
    if without:
        _say(f"  {without} uppgifter i källan saknar underlag att stämmas av mot (se sidan Datakontroller).")


def run_report(ar: int | None) -> int:
    code, executed = run_check(ar)
    if code:
        return code
    project = load_project()
    from servicenamnden.present.opendata import DOWNLOADS_DIR, write_downloads

    write_downloads(executed, project.root / DOWNLOADS_DIR)  # each table's CSV, linked beside the table
    all_checks = checks.run_all(ar=ar)  # the complete list of avstämningar, numbers as numbers
    checks.write_csv(all_checks, project.root / DOWNLOADS_DIR / checks.CHECKS_CSV)
    quarto = shutil.which("quarto")
    if quarto and not os.environ.get("SN_FORCE_PREVIEW"):
        command = [quarto, "render"] + (["-P", f"ar:{ar}"] if ar is not None else [])
        _say("Kör " + " ".join(command))
        return subprocess.call(command, cwd=project.root)
    from servicenamnden.render.preview import write_preview

    out = write_preview(project, executed)
    checks.write_csv(all_checks, out / DOWNLOADS_DIR / checks.CHECKS_CSV)
    _say(
        f"Förhandsvisning (inte Quarto): {out.relative_to(project.root)}/index.html och "
        f"{out.relative_to(project.root)}/report.pdf. {QUARTO_HINT}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="servicenamnden", description="Servicenämndens verksamhetsberättelse"
    )
    parser.add_argument("command", choices=["validate", "check", "report"])
    parser.add_argument(
        "--ar", type=int, default=None, help="rapportåret (standard: senaste året med fullständiga data)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return validate()
        with locked(project_root(), say=_say):  # two runs in one clone wait for each other
            if args.command == "check":
                return run_check(args.ar)[0]
            return run_report(args.ar)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ExecutionError as exc:
        print(f"Körningen stoppade: {exc}", file=sys.stderr)
        return 1
    except CheckDefinitionError as exc:
        print(f"Avstämningen kan inte göras: {exc}", file=sys.stderr)
        return 1
