"""The file of the complete list of avstämningar, named without loading the checks (issue 18).

The post-render step links a count's rows to the list's rows and reads no data: it needs the name alone.
"""

from __future__ import annotations

from pathlib import Path

CHECKS_CSV = "avstamningar.csv"  # the complete list, written beside the tables' CSVs by the report build
# A count of checks names the checks themselves as its rows: rows of the complete list (the CSV's stem as
# the file, the check's id and description as the key, as its columns ``id`` and ``kontroll`` say).
CHECKS_FILE = Path(CHECKS_CSV).stem
