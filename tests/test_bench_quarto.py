"""make bench-quarto: the render's steps read from Quarto's timestamped output, and no Quarto, no measurement."""

from __future__ import annotations

import pytest

from servicenamnden.render import bench_quarto

# Quarto 1.11's lines as a real render printed them (colour codes included), with invented times.
RENDER = [
    (4.3, "\x1b[1m\x1b[34mRunning script 'python'\x1b[39m\x1b[22m"),
    (17.6, "Text: all årsbunden text är skriven för 2023."),
    (
        17.7,
        "Pre-render: data validerade, rapportår 2023, 10 notebooks körda (11.5 s); Quarto kör nu report.qmd.",
    ),
    (21.1, "\x1b[1m\x1b[34m[1/3] notebooks/mal.ipynb\x1b[39m\x1b[22m"),
    (22.7, "\x1b[1m\x1b[34m[2/3] tillganglighet.qmd\x1b[39m\x1b[22m"),
    (24.0, "\x1b[1m\x1b[34m[3/3] report.qmd\x1b[39m\x1b[22m"),
    (39.5, "[typst]: Compiling report.typ to report.pdf...DONE"),
    (40.0, "\x1b[1m\x1b[34mRunning script 'python'\x1b[39m\x1b[22m"),
    (42.0, "Output created: _manuscript/index.html"),
]


def test_the_render_splits_into_its_steps():
    found = dict(bench_quarto.steps(RENDER, 42.5))
    assert list(found) == [
        "Quarto startar och läser projektet",
        "pre-render-steget",
        "Quarto läser projektet igen",
        "notebooks/mal.ipynb",
        "tillganglighet.qmd",
        "report.qmd",
        "post-render-steget",
    ]
    assert found["pre-render-steget"] == pytest.approx(13.4)
    assert found["Quarto läser projektet igen"] == pytest.approx(3.4)
    assert found["report.qmd"] == pytest.approx(16.0)
    assert found["post-render-steget"] == pytest.approx(2.5)
    assert sum(found.values()) == pytest.approx(42.5)


def test_a_render_without_pre_and_post_render_has_no_such_steps():
    lines = [(at, text) for at, text in RENDER if "Running script" not in text and "Pre-render" not in text]
    found = dict(bench_quarto.steps(lines, 42.5))
    assert "pre-render-steget" not in found and "post-render-steget" not in found
    assert found["Quarto startar och läser projektet"] == pytest.approx(21.1)
    assert sum(found.values()) == pytest.approx(42.5)


def test_the_ratio_is_judged_against_three():
    assert bench_quarto.ratio_line(14.0, 42.0).endswith("3,0x (mål högst 3x – uppfyllt)")
    assert "EJ uppfyllt" in bench_quarto.ratio_line(14.0, 43.4)


def test_without_quarto_nothing_is_measured(monkeypatch, capsys):
    monkeypatch.setattr(bench_quarto.shutil, "which", lambda name: None)
    assert bench_quarto.main([]) == 2
    assert capsys.readouterr().out.strip() == "make bench-quarto kräver Quarto på PATH; inget har mätts."


def test_an_environment_inside_the_project_is_named_as_what_slows_quarto(tmp_path):
    project = tmp_path / "projekt"
    inside = project / ".venv"
    inside.mkdir(parents=True)
    outside = tmp_path / "cache" / "miljo"
    outside.mkdir(parents=True)
    note = bench_quarto.environment_note(project, inside)
    assert note is not None and ".venv" in note and "make setup" in note
    linked = tmp_path / "annat" / ".venv"
    linked.parent.mkdir()
    linked.symlink_to(outside)
    assert bench_quarto.environment_note(linked.parent, linked) is None
    assert bench_quarto.environment_note(project, outside) is None
