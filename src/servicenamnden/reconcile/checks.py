"""Avstämningar: the public face of the reconciliation stage (what cli.py, report.qmd and the notebook call).

The stage has two kinds of check (see :mod:`.model`): the year's own data against themselves, run for
every report year (:mod:`.year`), and the claims of a published document (``data/pastaenden.csv``,
the 2023 transcription), judged only in the report for the year that document reports on, one module
per family (:mod:`.claims_sums`, :mod:`.claims_changes`, :mod:`.claims_repeats`,
:mod:`.claims_derived`). Each family is a table of rule rows that one loop runs (:mod:`.engine`).
:mod:`.run` runs them for a year, once per data and year; :mod:`.summary` counts and lists them.
"""

from servicenamnden.reconcile.checks_file import CHECKS_CSV
from servicenamnden.reconcile.model import (
    AVVIKER,
    DOCUMENT,
    FAMILIES,
    INOM_AVRUNDNING,
    KINDS,
    SAKNAS,
    STAMMER,
    STATUS_ORDER,
    YEAR_DATA,
    Check,
    Claim,
    Status,
    format_amount,
    rounding,
)
from servicenamnden.reconcile.run import (
    evaluate,
    ordered,
    run_all,
    share_with_kernels,
    unchecked_claims,
    unverifiable_claims,
)
from servicenamnden.reconcile.sources import Sources, document_year, read_claims
from servicenamnden.reconcile.summary import (
    checks_frame,
    checks_values,
    difference_line,
    family_summary,
    not_made_line,
    not_made_sentence,
    summary,
    summary_line,
    write_csv,
)

__all__ = [
    "AVVIKER",
    "CHECKS_CSV",
    "DOCUMENT",
    "FAMILIES",
    "INOM_AVRUNDNING",
    "KINDS",
    "SAKNAS",
    "STAMMER",
    "STATUS_ORDER",
    "Status",
    "YEAR_DATA",
    "Check",
    "Claim",
    "Sources",
    "checks_frame",
    "checks_values",
    "difference_line",
    "document_year",
    "evaluate",
    "family_summary",
    "format_amount",
    "not_made_line",
    "not_made_sentence",
    "ordered",
    "read_claims",
    "rounding",
    "run_all",
    "share_with_kernels",
    "summary",
    "summary_line",
    "unchecked_claims",
    "unverifiable_claims",
    "write_csv",
]
