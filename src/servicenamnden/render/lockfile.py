"""The locked environment: versions pinned in ``requirements.lock``, and ``environment.yml`` kept in step.

``make lock`` compiles ``requirements.lock`` from ``pyproject.toml`` with uv, then runs this module so that
``environment.yml`` (the conda environment Quarto records for the manuscript) names the same versions.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
ENV_ITEM = re.compile(r"^(\s*-\s+)([A-Za-z0-9][A-Za-z0-9._-]*)(\s*[<>=!~].*?)?(\s*(?:#.*)?)$")
UNPINNED = {"python", "quarto", "pip"}


def normalise(name: str) -> str:
    """A package name compared the way PyPI does (``Jupyter_Core`` and ``jupyter-core`` are one).

    >>> normalise("Jupyter_Core")
    'jupyter-core'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock_text: str) -> dict[str, str]:
    """Package → pinned version, from the ``name==version`` lines of a lock file.

    >>> pins("pandas==3.1.1 \\\\\\n    --hash=sha256:ab\\nGreat_Tables==1.1.0 ; python_version >= '3.11'\\n")
    {'pandas': '3.1.1', 'great-tables': '1.1.0'}
    """
    found: dict[str, str] = {}
    for line in lock_text.splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(normalise(match.group(1)), match.group(2))
    return found


def pin_environment(env_text: str, locked: dict[str, str]) -> str:
    """``environment.yml`` with every package the lock pins set to the locked version (``name==x.y.z``).

    >>> pin_environment("  - pandas>=2.2\\n  - python=3.11\\n", {"pandas": "3.1.1"})
    '  - pandas==3.1.1\\n  - python=3.11\\n'
    """
    lines = []
    for line in env_text.splitlines(keepends=True):
        body = line.rstrip("\n")
        match = ENV_ITEM.match(body)
        if match and normalise(match.group(2)) not in UNPINNED and normalise(match.group(2)) in locked:
            lead, name, _spec, tail = match.groups()
            body = f"{lead}{name}=={locked[normalise(name)]}{tail or ''}"
        lines.append(body + line[len(line.rstrip("\n")) :])
    return "".join(lines)


def environment_pins(env_text: str) -> dict[str, str]:
    """Package → version for every ``name==version`` entry of ``environment.yml`` (conda and pip parts)."""
    found = {}
    for line in env_text.splitlines():
        match = ENV_ITEM.match(line)
        if match and match.group(3) and match.group(3).strip().startswith("=="):
            found[normalise(match.group(2))] = match.group(3).strip()[2:]
    return found


def main(argv: list[str] | None = None) -> int:
    """Rewrite ``environment.yml`` (second argument) to the versions of the lock file (first argument)."""
    lock_path, env_path = (Path(a) for a in (argv if argv is not None else sys.argv[1:]))
    locked = pins(lock_path.read_text(encoding="utf-8"))
    env_text = env_path.read_text(encoding="utf-8")
    env_path.write_text(pin_environment(env_text, locked), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
