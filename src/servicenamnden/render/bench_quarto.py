"""``make bench-quarto``: a real ``quarto render`` right after ``make check``, and where Quarto's time goes.

Issue 18 asks for the real render's time next to ``make check``'s, measured in one run (goal: at most
3x). Each run is ``make check`` and, directly after it, ``quarto render`` with the project's environment
first on ``PATH`` (as ``make report`` runs it), with the machine's load (1 minute) before, between and
after: on a shared machine the load says how far to trust a run. Quarto's output lines are timestamped
as they arrive, which splits the render into its steps: Quarto starting and reading the project, the
pre-render step, Quarto reading the project again (it always does after a pre-render script), each
document in turn (the article in both its formats) and the post-render step.

Without Quarto on ``PATH`` it says so in one line and measures nothing (exit code 2).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from servicenamnden.present import fmt
from servicenamnden.render.bench import BenchError, machine, timed_command
from servicenamnden.render.project import load_project, quarto_command

RATIO_GOAL = 3.0
RUNS = 3
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SCRIPT = re.compile(r"^Running script ")
DOCUMENT = re.compile(r"^\[\s*(\d+)/(\d+)\]\s+(\S+)")
PRE_RENDER_DONE = re.compile(r"^Pre-render: ")

Line = tuple[float, str]


def plain(text: str) -> str:
    """A line of Quarto's output without its colour codes and surrounding space."""
    return ANSI.sub("", text).strip()


def _first(lines: list[Line], pattern: re.Pattern[str], after: float = -1.0) -> float | None:
    return next((at for at, text in lines if at > after and pattern.search(text)), None)


def steps(lines: list[Line], end: float) -> list[tuple[str, float]]:
    """The render's steps and their seconds, from Quarto's timestamped output lines (seconds since start).

    A step runs from the line that starts it to the line that starts the next; a step whose line is
    missing (no pre-render output, say) is left out rather than guessed.
    """
    lines = [(at, plain(text)) for at, text in lines]
    marks: list[tuple[str, float]] = [("Quarto startar och läser projektet", 0.0)]
    pre_render = _first(lines, SCRIPT)
    if pre_render is not None:
        marks.append(("pre-render-steget", pre_render))
        done = _first(lines, PRE_RENDER_DONE, pre_render)
        if done is not None:
            marks.append(("Quarto läser projektet igen", done))
    documents = [(at, match) for at, text in lines if (match := DOCUMENT.match(text))]
    for at, match in documents:
        marks.append((match.group(3), at))
    last = documents[-1][0] if documents else marks[-1][1]
    post_render = _first(lines, SCRIPT, last)
    if post_render is not None and post_render != pre_render:
        marks.append(("post-render-steget", post_render))
    bounds = [at for _, at in marks[1:]] + [end]
    return [(name, stop - start) for (name, start), stop in zip(marks, bounds, strict=True)]


def timed_lines(command: list[str], root: Path, env: dict[str, str]) -> tuple[float, int, list[Line]]:
    """Run ``command``, stamping each output line (stdout and stderr together) with its second since start."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    assert process.stdout is not None
    lines = [(time.perf_counter() - started, line.rstrip("\n")) for line in process.stdout]
    code = process.wait()
    return time.perf_counter() - started, code, lines


def _load() -> str:
    return fmt.number(os.getloadavg()[0], 1)


def one_run(root: Path, venv: Path) -> tuple[float, float, list[tuple[str, float]], str]:
    """``make check`` then ``quarto render``: their seconds, the render's steps and the loads seen."""
    before = _load()
    check, _, result = timed_command(["make", "-s", "--no-print-directory", "check", f"VENV={venv}"], root)
    if result.returncode:
        raise BenchError(f"make check misslyckades:\n{result.stdout}{result.stderr}")
    between = _load()
    command, env = quarto_command("quarto", None)  # as make report runs it
    seconds, code, lines = timed_lines(command, root, env)
    if code:
        raise BenchError("quarto render misslyckades:\n" + "\n".join(text for _, text in lines[-30:]))
    return check, seconds, steps(lines, seconds), f"{before}, {between}, {_load()}"


def environment_note(root: Path, venv: Path) -> str | None:
    """A warning when the environment is a folder inside the project: Quarto walks it twice a render.

    Quarto resolves its resource exclusions by walking the whole project folder, hidden folders too, when
    a render starts and again after the pre-render step; an environment inside it cost about 3 s each time.
    """
    if not venv.resolve().is_relative_to(root.resolve()):
        return None
    return (
        f"Obs: miljön ({venv}) ligger i projektmappen, och Quarto går igenom den två gånger per rendering "
        "(ungefär 3 s var gång). Flytta ut den med rm -rf .venv && make setup."
    )


def ratio_line(check: float, render: float) -> str:
    """``make check`` against ``quarto render`` as the README's table writes it."""
    ratio = render / check
    verdict = "uppfyllt" if ratio <= RATIO_GOAL else "EJ uppfyllt"
    return (
        f"{fmt.number(check, 1)} s mot {fmt.number(render, 1)} s: {fmt.number(ratio, 1)}x "
        f"(mål högst {fmt.number(RATIO_GOAL, 0)}x – {verdict})"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure ``RUNS`` runs (or the number given) and print each, their sum and the fastest render's steps."""
    argv = sys.argv[1:] if argv is None else argv
    if shutil.which("quarto") is None:
        print("make bench-quarto kräver Quarto på PATH; inget har mätts.", flush=True)
        return 2
    runs = int(argv[0]) if argv else RUNS
    project = load_project()
    venv = Path(sys.prefix)
    print(f"Mätt {datetime.datetime.now():%Y-%m-%d %H.%M} på {machine()}.", flush=True)
    if (note := environment_note(project.root, venv)) is not None:
        print(note, flush=True)
    results = []
    for number in range(1, runs + 1):
        try:
            check, render, found, loads = one_run(project.root, venv)
        except BenchError as exc:
            print(exc, flush=True)
            return 1
        results.append((check, render, found))
        print(
            f"Körning {number} (last {loads}): make check mot quarto render {ratio_line(check, render)}",
            flush=True,
        )
    print(f"Summan av {runs}: {ratio_line(sum(r[0] for r in results), sum(r[1] for r in results))}")
    _, fastest, found = min(results, key=lambda r: r[1])
    print(f"Den snabbaste renderingen ({fmt.number(fastest, 1)} s), steg för steg:")
    for name, seconds in found:
        print(f"  {name}: {fmt.number(seconds, 1)} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
