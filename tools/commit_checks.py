"""Two pre-commit checks that need no hook repository (nothing is downloaded; .pre-commit-config.yaml runs
them with the project's Python):

    python tools/commit_checks.py large-files [--max-kb 500] FILE...
    python tools/commit_checks.py secrets FILE...

Both read what is staged, which is what the commit stores, not the work tree.

``large-files`` stops a commit that adds a file over ``--max-kb`` kilobytes (as pre-commit-hooks'
check-added-large-files does): data and figures are small text, a large file is almost always a render
or an export that belongs outside git. ``secrets`` stops a commit whose text holds a private key, a cloud
or code-hosting token, a password in a URL or a password-like assignment with a literal value. A line
that must keep such a text says so with ``pragma: allowlist secret`` (detect-secrets' marker).

Each finding is one line on stderr; the exit code is 1 when there is one.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable

MAX_KB = 500
ALLOW = "pragma: allowlist secret"
SECRETS = {
    "en privat nyckel": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "en AWS-nyckel": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "en GitHub-token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"),
    "en GitLab-token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    "en Slack-token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "en Google-nyckel": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "en API-nyckel": re.compile(r"\b(?:sk|rk)[-_](?:live|ant|proj)[-_][A-Za-z0-9_-]{16,}"),
    "ett lösenord i en adress": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s:@]{3,}@"),
    "ett lösenord i klartext": re.compile(
        r"(?i)\b(?:password|passwd|lösenord|secret|api[_-]?key|access[_-]?token|auth[_-]?token)\b"
        r"\s*[:=]\s*['\"][^'\"\s]{8,}['\"]"
    ),
}


def git(*args: str) -> bytes:
    return subprocess.run(["git", *args], capture_output=True, check=True).stdout


def staged(path: str) -> bytes:
    """The content of ``path`` as staged (``git show :path``)."""
    return git("show", f":{path}")


def added_files() -> set[str]:
    """The files this commit adds (new in the index compared with HEAD)."""
    listed = git("diff", "--cached", "--name-only", "--diff-filter=A", "-z")
    return {name for name in listed.decode("utf-8").split("\0") if name}


def large_files(paths: Iterable[str], max_kb: int = MAX_KB) -> list[str]:
    """One line per added file over ``max_kb`` kilobytes."""
    added = added_files()
    found = []
    for path in paths:
        if path not in added:
            continue
        size = int(git("cat-file", "-s", f":{path}").decode().strip())
        if size > max_kb * 1024:
            found.append(
                f"{path}: {size // 1024} kB; en fil över {max_kb} kB checkas inte in "
                "(lägg renderingar och exporter utanför git)"
            )
    return found


def secrets_in(path: str, content: bytes) -> list[str]:
    """One line per line of ``content`` that holds something like a secret (the secret itself not shown)."""
    if b"\0" in content:  # binary: nothing to read as text
        return []
    found = []
    for number, line in enumerate(content.decode("utf-8", errors="replace").splitlines(), start=1):
        if ALLOW in line:
            continue
        for what, pattern in SECRETS.items():
            if pattern.search(line):
                found.append(
                    f"{path}, rad {number}: ser ut som {what}; checka inte in hemligheter "
                    f"(är det ingen hemlighet, skriv '{ALLOW}' på raden)"
                )
                break
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kontroller före commit: stora filer och hemligheter")
    parser.add_argument("check", choices=["large-files", "secrets"])
    parser.add_argument("--max-kb", type=int, default=MAX_KB)
    parser.add_argument("files", nargs="*")
    args = parser.parse_intermixed_args(argv)  # the files come after --max-kb
    if args.check == "large-files":
        found = large_files(args.files, args.max_kb)
    else:
        found = [line for path in args.files for line in secrets_in(path, staged(path))]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
