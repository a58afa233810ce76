"""SQL for "my judgement": the acting analyst's grade where they gave one, else the value the
row came with. One place, so every pane, listing, filter and export reads the same thing.

Each function returns an SQL expression over a table alias; the analyst is ``current_analyst()``
(see :mod:`db.analyst`), so no query gains a parameter.
"""

from __future__ import annotations

# (target kind, field) -> (grades table, its key column, its value column): the judged fields.
GRADE_TABLES = {
    ("report", "credibility"): ("report_grades", "report_id", "credibility"),
    ("claim", "credibility"): ("claim_grades", "claim_id", "credibility"),
    ("source", "reliability"): ("source_grades", "source_id", "reliability"),
}


def report_credibility(alias: str = "r") -> str:
    return (f"coalesce((SELECT g.credibility FROM report_grades g WHERE g.report_id = {alias}.id "
            f"AND g.analyst = current_analyst()), {alias}.credibility)")


def claim_credibility(alias: str = "c") -> str:
    return (f"coalesce((SELECT g.credibility FROM claim_grades g WHERE g.claim_id = {alias}.id "
            f"AND g.analyst = current_analyst()), {alias}.credibility)")


def source_reliability(alias: str = "s") -> str:
    """'F' (cannot be judged) where there is no source (a LEFT JOIN's missing row)."""
    return (f"coalesce((SELECT g.reliability FROM source_grades g WHERE g.source_id = {alias}.id "
            f"AND g.analyst = current_analyst()), {alias}.reliability, 'F')")


MY_STANCE = "st.analyst = current_analyst()"  # on a join of claim_stances aliased st
MY_NOTE = "analyst = current_analyst()"  # on the notes table
