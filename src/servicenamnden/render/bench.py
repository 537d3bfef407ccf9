"""``make bench``: the checks' time against their floor, the weight of the pages, the test suite's time.

A benchmark, not a timed test: it measures once on this machine and prints what it found.

1. The wall time of ``make check``'s work (validation, execution of every document, static checks)
   and its floor: starting as many Jupyter kernels as there are documents, as many at a time as the
   build runs, each doing the documents' imports. Both are measured twice, alternately, and the best
   of each kept. The ratio is printed as ``N.NNx`` (goal ≤ 1.5x).
2. The bytes of the preview's article page with everything it loads, and of the article as Quarto
   carries it (both drawings of every chart inside the page) with the project's stylesheets, both
   against the 400 kB goal (Quarto's own files come on top of the second); the PDF (goal ≤ 2 MB).
3. The unit tests' time: ``make test-fast`` itself (no kernel, no browser; goal ≤ 20 s), run by make as a
   developer runs it, best of two, with its CPU time and the machine's load beside the wall time (on a
   loaded machine the wall time says more about the others than about the tests); and the whole test
   suite's time.
"""

from __future__ import annotations

import datetime
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

from servicenamnden.present import fmt
from servicenamnden.render.build import default_jobs
from servicenamnden.render.preview import PREVIEW_DIR, internalize_images
from servicenamnden.render.project import load_project

IMPORTS = "import servicenamnden, pandas, great_tables, matplotlib"
RATIO_GOAL = 1.5
REPEATS = 2
PAGE_GOAL_BYTES = 400_000
STYLESHEETS = ("assets/report.css", "assets/tables.css")
PDF_GOAL_BYTES = 2_000_000
FAST_TESTS_GOAL_SECONDS = 20.0
FAST_TESTS = ["make", "-s", "--no-print-directory", "test-fast"]  # the command itself, not a copy of it
T = TypeVar("T")


def _say(text: str) -> None:
    print(text, flush=True)


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Wall time in seconds of ``function()``, and what it returned."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def run(args: list[str], root: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command of this Python in the project folder, capturing its output."""
    return subprocess.run(
        [sys.executable, *args], cwd=root, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


def start_kernel_with_imports(_: int = 0) -> None:
    """Start a Jupyter kernel as the build does, run the documents' imports in it, shut it down."""
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(stderr=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        reply = client.execute_interactive(IMPORTS, timeout=300, output_hook=lambda _msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"Importerna misslyckades i kärnan: {reply['content']}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel()


def kernel_floor(count: int, jobs: int) -> float:
    """Wall time of ``count`` kernels with the imports, ``jobs`` at a time."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        seconds, _ = timed(lambda: list(pool.map(start_kernel_with_imports, range(count))))
    return seconds


class _Loads(HTMLParser):
    """The URLs a page loads by itself: images, scripts, stylesheets, icons, media, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("img", "script", "source", "audio", "video", "iframe", "embed") and values.get("src"):
            self.urls.append(str(values["src"]))
        elif (
            tag == "link"
            and values.get("href")
            and {"stylesheet", "icon", "preload"} & set(str(values.get("rel", "")).split())
        ):
            self.urls.append(str(values["href"]))


def page_weight(page: Path) -> tuple[int, list[str]]:
    """Bytes of a page and the local files it loads (data: URLs are inside the page); URLs elsewhere."""
    parser = _Loads()
    text = page.read_text(encoding="utf-8")
    parser.feed(text)
    total, elsewhere = len(text.encode("utf-8")), []
    for url in parser.urls:
        if url.startswith("data:"):
            continue
        if "//" in url:
            elsewhere.append(url)
            continue
        total += (page.parent / url.split("#")[0].split("?")[0]).stat().st_size
    return total, elsewhere


def machine() -> str:
    """What the figures were measured on."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f", {fmt.number(kib / 1024**2, 0)} GiB minne"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} kärnor{memory}"
        f"{', ' + cpu if cpu else ''}; Python {platform.python_version()}"
    )


def _goal(ok: bool) -> str:
    return "uppfyllt" if ok else "EJ uppfyllt"


def _megabytes(size: int) -> str:
    return f"{fmt.number(size, 0)} byte ({fmt.number(size / 1e6, 2)} MB)"


def _last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip("= ") if lines else ""


class BenchError(Exception):
    """A measured command failed; the message carries its output."""


def checked(name: str, result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``result``, or a BenchError when the command failed."""
    if result.returncode:
        raise BenchError(f"{name} misslyckades:\n{result.stdout}{result.stderr}")
    return result


def check_against_floor(root: Path, documents: int, jobs: int) -> None:
    """Time make check's work and the kernel floor, alternately and twice; print the best of each and the ratio.

    The floor spreads the kernels over the cores (one at a time per core); make check uses its own
    number of workers (``jobs``).
    """
    cores = os.cpu_count() or 1
    floors, checks = [], []
    for _ in range(REPEATS):  # other load on the machine only adds time, so the best run is the truest
        floors.append(kernel_floor(documents, cores))
        checks.append(timed(lambda: checked("make check", run(["-m", "servicenamnden", "check"], root)))[0])
    floor, check = min(floors), min(checks)
    ratio = check / floor
    _say(f"make check: {fmt.number(check, 1)} s ({documents} dokument, {jobs} åt gången; bästa av {REPEATS})")
    _say(
        f"Golv: {fmt.number(floor, 1)} s ({documents} Jupyter-kärnor med importerna, en per kärna "
        f"({cores} åt gången); bästa av {REPEATS})"
    )
    _say(f"Kvot make check/golv: {ratio:.2f}x (mål högst {RATIO_GOAL:.2f}x) – {_goal(ratio <= RATIO_GOAL)}")


def weights(root: Path) -> None:
    """Build the preview, then print the bytes of the article page with what it loads, and of the PDF."""
    command = ["-m", "servicenamnden", "report"]
    seconds, _ = timed(lambda: checked("make report", run(command, root, {"SN_FORCE_PREVIEW": "1"})))
    _say(f"make report (förhandsvisning): {fmt.number(seconds, 1)} s")
    preview = root / PREVIEW_DIR
    page_bytes, elsewhere = page_weight(preview / "index.html")
    outside = f"; laddar också utifrån: {', '.join(elsewhere)}" if elsewhere else ""
    ok = page_bytes <= PAGE_GOAL_BYTES and not elsewhere
    _say(
        f"Artikelsidan med allt den laddar: {_megabytes(page_bytes)}; mål högst 400 kB – {_goal(ok)}{outside}"
    )
    inline = internalize_images((preview / "index.html").read_text(encoding="utf-8"), preview)
    quarto_bytes = len(inline.encode("utf-8")) + sum((root / name).stat().st_size for name in STYLESHEETS)
    _say(
        f"Artikeln som Quarto bär den (diagrammen i sidan) med projektets stilmallar: {_megabytes(quarto_bytes)}"
        f"; mål högst 400 kB före Quartos egna filer – {_goal(quarto_bytes <= PAGE_GOAL_BYTES)}"
    )
    pdf_bytes = (preview / "report.pdf").stat().st_size
    _say(f"PDF: {_megabytes(pdf_bytes)}; mål högst 2 MB – {_goal(pdf_bytes <= PDF_GOAL_BYTES)}")


def timed_command(command: list[str], root: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU seconds (user and system, of the command and its children) of ``command`` in ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, result = timed(lambda: subprocess.run(command, cwd=root, capture_output=True, text=True))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, result


def time_fast_tests(root: Path) -> int:
    """Time ``make test-fast`` (best of two) against its goal, with its CPU time and the load; returns its
    exit code."""
    load = os.getloadavg()[0]
    runs = [timed_command([*FAST_TESTS, f"VENV={Path(sys.prefix)}"], root) for _ in range(REPEATS)]
    seconds, cpu, result = min(runs, key=lambda r: r[0])
    ok = seconds <= FAST_TESTS_GOAL_SECONDS
    _say(
        f"make test-fast: {fmt.number(seconds, 1)} s, CPU {fmt.number(cpu, 1)} s "
        f"({_last_line(result.stdout)}; bästa av {REPEATS}; maskinens last {fmt.number(load, 1)} "
        f"på {os.cpu_count()} kärnor); mål högst {fmt.number(FAST_TESTS_GOAL_SECONDS, 0)} s – {_goal(ok)}"
    )
    return max(r.returncode for _, _, r in runs)


def time_test_suite(root: Path) -> int:
    """Time the whole test suite and print its closing line; returns pytest's exit code."""
    seconds, result = timed(lambda: run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], root))
    _say(f"Testsviten: {fmt.number(seconds, 1)} s ({_last_line(result.stdout)})")
    return result.returncode


def main() -> int:
    """Measure and print; a non-zero exit only when a measured command failed."""
    project = load_project()
    _say(f"Mätt {datetime.date.today().isoformat()} på {machine()}.")
    start_kernel_with_imports()  # warm-up: the first kernel pays for cold file caches
    try:
        check_against_floor(project.root, len(project.documents), default_jobs())
        weights(project.root)
    except BenchError as exc:
        _say(str(exc))
        return 1
    failed = time_fast_tests(project.root)
    return 1 if time_test_suite(project.root) or failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
