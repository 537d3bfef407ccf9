"""The layout of the package, for every module of src/: short modules, no private names across modules,
and data flowing one way through the stages (io → domain → present → reconcile → render).

``errors`` and ``paths`` are the base every stage may use, and they use no stage; ``cli`` and
``__main__`` are the commands on top, which may use every stage. A module may import its own stage and
the stages before it, never a later one: not at the top of the file and not inside a function.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "servicenamnden"
STAGES = ("io", "domain", "present", "reconcile", "render")
BASE = frozenset({"errors", "paths"})
COMMANDS = frozenset({"cli", "__main__"})
MAX_LINES = 500


def modules() -> dict[str, Path]:
    """Dotted name → file, for every module of the package."""
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


@cache
def parsed(path: Path) -> ast.Module:
    """The syntax tree of a file, parsed once for all the checks."""
    return ast.parse(path.read_text(encoding="utf-8"))


def rank(module: str) -> int:
    """Where a module of the package stands: 0 the base, 1–5 the stages in order, 6 the commands."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if top in STAGES:
        return 1 + STAGES.index(top)
    if top in COMMANDS:
        return 1 + len(STAGES)
    if top in BASE or top == "":
        return 0
    raise AssertionError(f"{module}: en modul utanför stegen; lägg den i ett steg eller i BASE")


def imported(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of the package in ``path``, relative ones resolved."""
    tree = parsed(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names = [".".join([*base, *([node.module] if node.module else [])])]
            else:
                names = [node.module or ""]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] == PACKAGE]
    return found


def upward_imports(name: str, path: Path) -> list[str]:
    """The imports in module ``name`` (file ``path``) of a later stage than its own."""
    return [
        f"{path.name}:{line} importerar {target}"
        for line, target in imported(name, path)
        if rank(target) > rank(name)
    ]


def private_uses(path: Path) -> list[str]:
    """``from x import _y``, ``from x._y import …`` and ``x._y``: reaching into another module's insides
    (``self._y``, ``cls._y`` and ``other._y`` are the object's own)."""
    found = []
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.ImportFrom):
            parts = [*(node.module or "").split("."), *(a.name for a in node.names)]
            found += [
                f"{path.name}:{node.lineno} {p}"
                for p in parts
                if p.startswith("_") and not p.startswith("__")
            ]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls", "other"}):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_every_module_is_placed_and_the_stages_are_all_there():
    ranks = {name: rank(name) for name in modules()}
    assert {name.split(".")[1] for name in ranks if name.count(".") >= 1} >= set(STAGES) | BASE | COMMANDS


def test_nothing_imports_a_later_stage():
    """Before: io.template imported domain.years, present.opendata render.quarto_exec, errors io.text."""
    assert [found for name, path in modules().items() for found in upward_imports(name, path)] == []


def test_no_module_is_over_500_lines():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}  # split the module


def test_no_private_name_is_used_across_modules():
    assert [found for path in modules().values() for found in private_uses(path)] == []


def test_the_rules_find_what_they_are_for(tmp_path):
    """The rules on a made-up io module: an import of the domain inside a function, a relative import of
    a private name, another module's private attribute; the object's own private attribute is fine."""
    path = tmp_path / "template.py"
    path.write_text(
        "from ..paths import data_dir\n"
        "def default(self):\n"
        "    from servicenamnden.domain.years import x\n"
        "    from ..io import _y\n"
        "    return data_dir._cache, self._own\n",
        encoding="utf-8",
    )
    assert upward_imports("servicenamnden.io.template", path) == [
        "template.py:3 importerar servicenamnden.domain.years"
    ]
    assert private_uses(path) == ["template.py:4 _y", "template.py:5 data_dir._cache"]
