"""The SQL conditions that select reports by status, grade, source, date and tag.

The queue's filter (``store.ReportFilter``) and the search's filters (``query.Query``) name
these fields alike; both are turned into SQL here, so ``grade:A-C`` in a search and
``--grade A-C`` on the command line select the same reports. The SQL expects the reports as
``r`` and, when a source is filtered on, their sources joined as ``s``.
"""

from __future__ import annotations

from .team import mine


def report_conditions(flt, *, with_credibility: bool = True, with_tag: bool = True) -> tuple[list[str], list]:
    """Conditions (to be joined with AND) and their parameters. ``flt`` has ``statuses``,
    ``reliability``, ``credibility``, ``source``, ``date_from``, ``date_to`` and ``tag``;
    claims searches leave credibility and tag out (a claim has its own of each)."""
    clauses: list[str] = []
    params: list = []
    if flt.statuses:
        # "flagged" is a flag beside the status (new, read, dismissed), not one of them
        statuses = [s for s in flt.statuses if s != "flagged"]
        either = [f"r.status IN ({marks(statuses)})"] if statuses else []
        if "flagged" in flt.statuses:
            either.append("r.flagged = 1")
        clauses.append("(" + " OR ".join(either) + ")")
        params += statuses
    if flt.reliability:
        clauses.append(f"{mine.source_reliability()} IN ({marks(flt.reliability)})")
        params += list(flt.reliability)
    if flt.credibility and with_credibility:
        clauses.append(f"{mine.report_credibility()} IN ({marks(flt.credibility)})")
        params += list(flt.credibility)
    if flt.source:
        clauses.append("s.name LIKE ? ESCAPE '\\'")
        params.append("%" + like_escape(flt.source) + "%")
    if flt.date_from:
        # A report dated only "2015" or "2015-06" sorts before every day of its period, yet its
        # period may reach the first day asked for: it is in when it is the year or month of it.
        clauses.append("(r.sort_key >= ? OR r.sort_key IN (?, ?))")
        params += [flt.date_from, flt.date_from[:4], flt.date_from[:7]]
    if flt.date_to:
        clauses.append("r.sort_key <= ?")
        params.append(flt.date_to + "\uffff")  # a day given as YYYY-MM-DD includes that day's times
    if flt.tag and with_tag:
        clauses.append("r.id IN (SELECT g.target_id FROM taggings g JOIN tags t ON t.id = g.tag_id "
                       "WHERE g.target_kind = 'report' AND t.name = ?)")
        params.append(flt.tag)
    return clauses, params


def marks(values) -> str:
    """``?,?,?`` for an IN list of these values."""
    return ",".join("?" * len(values))


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
