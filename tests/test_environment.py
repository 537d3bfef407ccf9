"""The locked environment and the repository's hygiene: lock file, environment.yml, git filter, hooks.

Quarto writes the executed outputs into ``notebooks/*.ipynb`` when it renders and appends its entries to
``.gitignore``; a rendered work tree must stay clean in git and must not fail the harness.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

from servicenamnden.render import lockfile
from servicenamnden.render.project import load_project
from servicenamnden.render.static_checks import check_project

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
COMMIT_CHECKS = ROOT / "tools" / "commit_checks.py"
# The two lines Quarto appends to .gitignore when a trimmed line does not match exactly
# (src/project/project-gitignore.ts: kQuartoIgnore and the .quarto_ipynb intermediates).
QUARTO_GITIGNORE = ["/.quarto/", "**/*.quarto_ipynb"]
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.11.7",
}
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    "_preview",
    "_manuscript",
    ".quarto",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
)


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def lock_requirements() -> list[Requirement]:
    """Every pinned line of the lock, with its environment marker."""
    text = LOCK.read_text(encoding="utf-8")
    return [
        Requirement(line.split(" \\")[0].strip()) for line in text.splitlines() if lockfile.PIN.match(line)
    ]


def makefile_nbstripout_text() -> str:
    """The Makefile's NBSTRIPOUT_ARGS, as written: the options of the git filter."""
    match = re.search(r"^NBSTRIPOUT_ARGS := (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert match, "Makefile: NBSTRIPOUT_ARGS saknas"
    return match.group(1).strip()


def makefile_nbstripout_args() -> list[str]:
    return shlex.split(makefile_nbstripout_text())


def hermetic_env(repo: Path) -> dict[str, str]:
    """The environment for git and make in a scratch repository: no user or system git config."""
    return {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
    }


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **hermetic_env(repo),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check)


def quarto_writes_outputs(path: Path, params: dict | None = None) -> None:
    """Leave in ``path`` what Quarto's Jupyter engine writes back into a rendered ``.ipynb``.

    After src/resources/jupyter/notebook.py: the parameters -P gives in a cell tagged
    ``injected-parameters`` after the ``parameters`` cell and in ``metadata.papermill``, every code cell's
    outputs and execution count, the kernel's ``language_info``; written with ``nbformat.write``.
    """
    nb = nbformat.read(path, as_version=4)
    if params:
        index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        injected = nbformat.v4.new_code_cell(
            "# Injected Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in params.items())
        )
        injected.metadata["tags"] = ["injected-parameters"]
        nb.cells.insert(index + 1, injected)
        nb.metadata["papermill"] = {"parameters": params}
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    # what the pre-render step writes for a table: HTML as a raw block in markdown
                    data={
                        "text/markdown": "```{=html}\n<table><tr><td>1</td></tr></table>\n```",
                        "text/plain": "GT",
                    },
                ),
                nbformat.v4.new_output("stream", name="stdout", text="klart\n"),
            ]
    nb.metadata["language_info"] = LANGUAGE_INFO
    nbformat.write(nb, path)


def has_outputs(text: str) -> bool:
    nb = nbformat.reads(text, as_version=4)
    return any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def make(repo: Path, target: str) -> None:
    """Run a Makefile target in ``repo`` with the running interpreter's environment as the venv."""
    result = subprocess.run(
        ["make", "-s", target, f"VENV={sys.prefix}"],
        cwd=repo,
        env=hermetic_env(repo),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture()
def repo(tmp_path: Path, committed) -> Path:
    """A git repository of the project's files with the filter and hooks installed as make setup does."""
    target = tmp_path / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    for path in (ROOT / "notebooks").glob("*.ipynb"):  # as committed, also after a render here
        (target / "notebooks" / path.name).write_text(committed(path), encoding="utf-8")
    (target / ".venv").symlink_to(sys.prefix)  # the hooks run the tools from .venv
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "start")
    make(target, "hooks")
    return target


# --- the lock file and environment.yml ---------------------------------------------------------------


def test_the_lock_pins_every_declared_package_within_its_range():
    locked = lockfile.pins(LOCK.read_text(encoding="utf-8"))
    for requirement in declared():
        name = lockfile.normalise(requirement.name)
        assert name in locked, f"{name} står i pyproject.toml men inte i requirements.lock: kör make lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (name, locked[name])


def test_every_pin_in_the_lock_carries_hashes():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8").split("\n", 2)[2])
    pinned = [e for e in entries if lockfile.PIN.match(e)]
    assert len(pinned) > 50
    assert all("--hash=sha256:" in e for e in pinned)


def test_nothing_the_project_leaves_out_is_locked():
    """nbconvert went with the layout change; the lock must not bring it back as a direct dependency."""
    names = {lockfile.normalise(r.name) for r in declared()}
    assert "nbconvert" not in names
    assert "nbconvert" not in lockfile.pins(LOCK.read_text(encoding="utf-8"))


def imported_modules(path: Path) -> set[str]:
    """The top-level modules a Python file imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_declared_packages_cover_the_imports():
    """Every third-party module imported in src and tests is declared, not only pulled in by another package."""
    modules = set().union(
        *(imported_modules(p) for p in [*(ROOT / "src").rglob("*.py"), *(ROOT / "tests").glob("*.py")])
    )
    third_party = modules - set(sys.stdlib_module_names) - {"servicenamnden", "__future__", "conftest"}
    distributions = importlib.metadata.packages_distributions()
    names = {lockfile.normalise(r.name) for r in declared()}
    undeclared = sorted(
        m for m in third_party if not {lockfile.normalise(d) for d in distributions.get(m, [m])} & names
    )
    assert undeclared == [], "importeras men står inte i pyproject.toml"


def test_environment_yml_names_the_locked_versions():
    env_text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    locked = lockfile.pins(LOCK.read_text(encoding="utf-8"))
    pinned = lockfile.environment_pins(env_text)
    assert pinned == {name: locked[name] for name in pinned}
    assert set(pinned) == {lockfile.normalise(r.name) for r in declared()}
    assert lockfile.pin_environment(env_text, locked) == env_text, "environment.yml: kör make lock"


def test_the_environment_runs_the_locked_versions():
    """The interpreter running the tests was installed from the lock (make setup; CI from a clean clone)."""
    wrong = {}
    for requirement in lock_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        wanted = next(iter(requirement.specifier)).version
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != wanted:
            wrong[requirement.name] = (installed, wanted)
    assert wrong == {}, (
        "installerat ≠ låst: kör make setup (eller make lock efter en ändring i pyproject.toml)"
    )


def test_make_setup_installs_from_the_lock_then_the_project_without_dependencies(tmp_path):
    result = subprocess.run(
        ["make", "-n", "-B", "setup", f"VENV={tmp_path / 'v'}"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    from_lock = next(i for i, line in enumerate(lines) if "--require-hashes -r requirements.lock" in line)
    project = next(i for i, line in enumerate(lines) if "pip install --quiet --no-deps -e ." in line)
    assert from_lock < project
    assert not any(re.search(r"pip install(?!.*(-r requirements\.lock|--no-deps))", line) for line in lines)
    assert any("pre-commit install" in line for line in lines)
    assert any("filter.nbstripout.clean" in line for line in lines)


def link_environment(folder: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``make env`` in ``folder`` (a copy of the Makefile) with ``home`` as the home folder."""
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CACHE_HOME", None)
    return subprocess.run(["make", "-s", "env", *args], cwd=folder, env=env, capture_output=True, text=True)


@pytest.mark.slow  # makes real environments (venv and ensurepip)
def test_make_setup_puts_the_environment_outside_the_project_and_links_it(tmp_path):
    """Quarto walks the whole project folder, hidden folders too, at the start of a render and again after
    the pre-render step; ~25 000 files of an environment inside it cost about 3 s each time (issue 18)."""
    project, home = tmp_path / "projekt", tmp_path / "hem"
    project.mkdir()
    result = link_environment(project, home)
    assert result.returncode == 0, result.stderr
    link = project / ".venv"
    assert link.is_symlink()
    target = link.resolve()
    assert target.is_dir() and target.is_relative_to(home / ".cache" / "servicenamnden")
    assert not target.is_relative_to(project)
    python = subprocess.run(
        [link / "bin" / "python", "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True
    )
    assert python.returncode == 0 and Path(python.stdout.strip()).resolve() == target
    setup = subprocess.run(["make", "-n", "-B", "setup"], cwd=ROOT, capture_output=True, text=True)
    assert "make --no-print-directory env" in setup.stdout, "make setup makes the environment this way"


@pytest.mark.slow  # makes real environments (venv and ensurepip)
def test_the_environment_link_is_kept_renewed_and_not_forced_on_a_chosen_place(tmp_path):
    """A second run keeps the place; an emptied cache is made again; an older .venv/ or a chosen VENV stay."""
    project, home = tmp_path / "projekt", tmp_path / "hem"
    project.mkdir()
    assert link_environment(project, home).returncode == 0
    target = (project / ".venv").resolve()
    assert link_environment(project, home).returncode == 0  # a second run keeps the same place
    assert (project / ".venv").resolve() == target
    shutil.rmtree(target)  # the cache was emptied: the environment comes back in the same place
    assert link_environment(project, home).returncode == 0 and (target / "bin" / "python").exists()
    other = tmp_path / "annan"
    other.mkdir()
    (other / ".venv").mkdir()  # an environment made in the project folder before is left as it is
    assert link_environment(other, home).returncode == 0
    assert not (other / ".venv").is_symlink()
    chosen = tmp_path / "vald"
    chosen.mkdir()
    assert link_environment(chosen, home, f"VENV={tmp_path / 'min-miljo'}").returncode == 0
    assert not (chosen / ".venv").exists() and (tmp_path / "min-miljo" / "bin" / "python").exists()


def test_git_ignores_the_environment_as_a_link_too(tmp_path):
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    (tmp_path / ".venv").symlink_to(tmp_path.parent)
    git(tmp_path, "init", "-q")
    status = git(tmp_path, "status", "--porcelain", "--untracked-files=all").stdout
    assert ".venv" not in status


# --- git: the filter, the hooks and what Quarto leaves behind -----------------------------------------


def test_gitignore_already_has_what_quarto_appends():
    lines = [line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()]
    assert [entry for entry in QUARTO_GITIGNORE if entry not in lines] == []


def test_pre_commit_hooks_are_local_and_strip_as_the_filter_does():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert set(hooks) == {
        "ruff-check",
        "ruff-format",
        "nbstripout",
        "check-added-large-files",
        "check-secrets",
    }
    assert all(h["language"] == "unsupported" for h in hooks.values())
    assert f"nbstripout --verify {makefile_nbstripout_text()} " in hooks["nbstripout"]["entry"]
    # The large-file and secrets checks are the repository's own script, run with the project's Python.
    for hook, check in (("check-added-large-files", "large-files"), ("check-secrets", "secrets")):
        assert hooks[hook]["entry"].startswith(f".venv/bin/python {COMMIT_CHECKS.relative_to(ROOT)} {check}")
    assert COMMIT_CHECKS.exists()


def test_ci_lints_before_it_tests():
    steps = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert steps.index("make lint") < steps.index("make test")
    assert (
        "tools"
        in re.search(r"^lint:.*?(?=^\S)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M | re.S)[0]
    )


def commit_checks():
    """tools/commit_checks.py (not a package: loaded by path)."""
    spec = importlib.util.spec_from_file_location("commit_checks", COMMIT_CHECKS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Written in pieces so that this file holds no text the secrets check would stop.
FAKE_KEY = "-----BEGIN " + "OPENSSH PRIVATE KEY-----"
FAKE_TOKEN = "ghp" + "_" + "a1B2" * 9


@pytest.mark.parametrize(
    ("line", "what"),
    [
        (FAKE_KEY, "en privat nyckel"),
        (f"token: {FAKE_TOKEN}", "en GitHub-token"),
        ("AKIA" + "ABCDEFGHIJKLMNOP", "en AWS-nyckel"),
        ("url = 'https://kontroll:" + "hemligt1@example.invalid/data'", "ett lösenord i en adress"),
        ('password = "' + 'sommar2024!"', "ett lösenord i klartext"),
    ],
)
def test_the_secrets_check_finds_keys_tokens_and_passwords(line, what):
    found = commit_checks().secrets_in("x.py", f"a = 1\n{line}\n".encode())
    assert len(found) == 1 and found[0].startswith(f"x.py, rad 2: ser ut som {what};")
    assert FAKE_TOKEN not in found[0] and "sommar2024" not in found[0]  # the secret is not repeated


def test_the_secrets_check_passes_the_project_and_an_allowed_line():
    checks = commit_checks()
    assert checks.secrets_in("x.py", f"{FAKE_KEY}  # {checks.ALLOW}\n".encode()) == []
    assert checks.secrets_in("bild.png", b"\x89PNG\0" + FAKE_KEY.encode()) == []  # binary
    for name in ("Makefile", "requirements.lock", "data/pastaenden.csv", "report.qmd", "README.md"):
        assert checks.secrets_in(name, (ROOT / name).read_bytes()) == [], name


def test_notebooks_are_committed_as_the_filter_leaves_them(committed, tmp_path):
    """No outputs, and nothing the filter would change: a clean work tree stays clean once the filter is on."""
    notebooks = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):  # as committed: a rendered tree has outputs
        (tmp_path / path.name).write_text(committed(path), encoding="utf-8")
        notebooks.append(str(tmp_path / path.name))
    result = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", *makefile_nbstripout_args(), *notebooks],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_a_rendered_work_tree_is_clean_in_git_and_passes_the_static_checks(repo):
    notebooks = sorted((repo / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        quarto_writes_outputs(path, {"ar": 2024})
    (repo / ".quarto").mkdir()
    (repo / ".quarto" / "xref").write_text("{}", encoding="utf-8")
    (repo / "report.quarto_ipynb").write_text("{}", encoding="utf-8")

    assert all(has_outputs(p.read_text(encoding="utf-8")) for p in notebooks)  # the render really wrote them
    assert git(repo, "diff").stdout == ""  # the filter: what git would store is what is committed
    make(repo, "refresh-git")  # what make report and make check do last
    assert git(repo, "status", "--porcelain").stdout == ""
    assert git(repo, "diff", "--cached").stdout == ""
    assert check_project(load_project(repo)) == []


@pytest.mark.slow
def test_refreshing_git_after_a_render_leaves_a_real_change_unstaged(repo):
    changed, rendered = repo / "notebooks" / "mal.ipynb", repo / "notebooks" / "miljo.ipynb"
    quarto_writes_outputs(changed)
    quarto_writes_outputs(rendered)
    nb = nbformat.read(changed, as_version=4)
    nb.cells[0].source += "\n\nEn ändrad mening."
    nbformat.write(nb, changed)

    make(repo, "refresh-git")
    assert git(repo, "status", "--porcelain").stdout == " M notebooks/mal.ipynb\n"
    assert git(repo, "diff", "--cached").stdout == ""


@pytest.mark.slow
def test_a_commit_after_a_render_carries_no_outputs(repo):
    path = repo / "notebooks" / "sjukfranvaro.ipynb"
    quarto_writes_outputs(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\nEn ändrad mening."
    nbformat.write(nb, path)

    result = git(repo, "commit", "-q", "-am", "ny mening", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    committed = git(repo, "show", "HEAD:notebooks/sjukfranvaro.ipynb").stdout
    assert "En ändrad mening." in committed and not has_outputs(committed)
    assert has_outputs(path.read_text(encoding="utf-8"))  # the work tree keeps what Quarto rendered


@pytest.mark.slow
def test_without_the_filter_the_hook_stops_a_notebook_with_outputs(repo):
    git(repo, "config", "--remove-section", "filter.nbstripout")
    path = repo / "notebooks" / "mal.ipynb"
    quarto_writes_outputs(path)
    git(repo, "add", "notebooks/mal.ipynb")
    assert has_outputs(git(repo, "show", ":notebooks/mal.ipynb").stdout)

    result = git(repo, "commit", "-q", "-m", "utdata", check=False)
    assert result.returncode != 0
    assert "notebooks/mal.ipynb: notebooken checkas in med utdata" in result.stdout + result.stderr
    assert not has_outputs(git(repo, "show", "HEAD:notebooks/mal.ipynb").stdout)


@pytest.mark.slow
def test_the_hooks_stop_a_large_file_and_a_key_and_let_a_small_file_through(repo):
    (repo / "export.xlsx").write_bytes(b"x" * 600 * 1024)
    git(repo, "add", "export.xlsx")
    result = git(repo, "commit", "-q", "-m", "stor fil", check=False)
    assert result.returncode != 0
    assert "export.xlsx: 600 kB; en fil över 500 kB checkas inte in" in result.stdout + result.stderr
    git(repo, "rm", "-q", "--cached", "export.xlsx")

    (repo / "nyckel.txt").write_text(f"{FAKE_KEY}\n", encoding="utf-8")
    git(repo, "add", "nyckel.txt")
    result = git(repo, "commit", "-q", "-m", "nyckel", check=False)
    assert (
        result.returncode != 0
        and "nyckel.txt, rad 1: ser ut som en privat nyckel" in result.stdout + result.stderr
    )
    git(repo, "rm", "-q", "--cached", "nyckel.txt")

    (repo / "notering.txt").write_text("En liten fil.\n", encoding="utf-8")
    git(repo, "add", "notering.txt")
    result = git(repo, "commit", "-q", "-m", "liten fil", check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_papermill_is_what_quarto_injects_parameters_with_and_the_harness_agrees():
    """Quarto's Jupyter engine calls papermill's translate_parameters for -P; hence papermill is declared."""
    from papermill.translators import translate_parameters

    from servicenamnden.render.quarto_exec import inject_parameters

    def assignments(source: str) -> list[str]:
        return [line for line in source.splitlines() if line.strip() and not line.startswith("#")]

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("ar = None")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    inject_parameters(nb, {"ar": 2024})
    by_quarto = translate_parameters("python3", "python", {"ar": 2024}, "Injected Parameters")
    assert assignments(nb.cells[1].source) == assignments(by_quarto) == ["ar = 2024"]
