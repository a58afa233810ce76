"""The team's view of one report, claim or source: every analyst's grade, stance and note side by
side, the consensus ("B (2) / C (1)") and whether the team disagrees. Read-only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..errors import InvalidValue, NotFound
from .mine import GRADE_TABLES


@dataclass
class Judged:
    """One judged field ("credibility", "reliability", "stance: <hypothesis>") across the team."""

    field: str
    base: object  # the value the row came with: what an analyst who has not judged it sees
    by_analyst: dict[str, object] = field(default_factory=dict)

    @property
    def counts(self) -> list[tuple[object, int]]:
        """Values with how many analysts gave each, most given first."""
        return sorted(Counter(self.by_analyst.values()).items(), key=lambda item: (-item[1], str(item[0])))

    @property
    def consensus(self) -> str:
        """"B (2) / C (1)"; "-" where nobody judged it."""
        return " / ".join(f"{value} ({n})" for value, n in self.counts) or "-"

    @property
    def disputed(self) -> bool:
        return len(set(self.by_analyst.values())) > 1


@dataclass
class TeamView:
    kind: str
    target_id: int
    judged: list[Judged] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # analyst -> note

    @property
    def disputed(self) -> bool:
        return any(j.disputed for j in self.judged)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.target_id, "disputed": self.disputed,
                "judgements": [{"field": j.field, "base": j.base, "consensus": j.consensus, "disputed": j.disputed,
                                "by_analyst": j.by_analyst} for j in self.judged],
                "notes": self.notes}


class TeamMixin:
    """Part of the store."""

    def team_view(self, kind: str, target_id: int) -> TeamView:
        """Every analyst's judgements of one report (its credibility and its source's reliability),
        claim (credibility, stance toward each hypothesis) or source (reliability), and their notes."""
        if kind not in ("report", "claim", "source"):
            raise InvalidValue(f"the team view is of a report, claim or source, not {kind!r}")
        view = TeamView(kind, target_id)
        table = {"report": "reports", "claim": "claims", "source": "sources"}[kind]
        column = "reliability" if kind == "source" else "credibility"
        row = self.conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (target_id,)).fetchone()  # type: ignore[attr-defined]
        if row is None:
            raise NotFound(f"no {kind} {target_id}")
        view.judged.append(self._judged(kind, column, target_id, row[0]))
        if kind == "report":
            source = self.conn.execute("SELECT s.id, s.reliability FROM reports r JOIN sources s ON s.id = r.source_id "  # type: ignore[attr-defined]
                                       "WHERE r.id = ?", (target_id,)).fetchone()
            if source is not None:
                view.judged.append(self._judged("source", "reliability", source[0], source[1]))
        if kind == "claim":
            stances: dict[int, Judged] = {}
            for hypothesis_id, title, analyst, stance in self.conn.execute(  # type: ignore[attr-defined]
                    "SELECT h.id, h.title, st.analyst, st.stance FROM claim_stances st JOIN hypotheses h "
                    "ON h.id = st.hypothesis_id WHERE st.claim_id = ? ORDER BY h.id, st.analyst", (target_id,)):
                stances.setdefault(hypothesis_id, Judged(f"stance: {title}", None, {})).by_analyst[analyst] = stance
            view.judged += stances.values()
        view.notes = dict(self.conn.execute(  # type: ignore[attr-defined]
            "SELECT analyst, text FROM notes WHERE target_kind = ? AND target_id = ? ORDER BY analyst", (kind, target_id)))
        return view

    def _judged(self, kind: str, column: str, target_id: int, base: object) -> Judged:
        grades, key, value = GRADE_TABLES[(kind, column)]
        label = "reliability of the source" if (kind, column) == ("source", "reliability") else column
        return Judged(label, base, dict(self.conn.execute(  # type: ignore[attr-defined]
            f"SELECT analyst, {value} FROM {grades} WHERE {key} = ? ORDER BY analyst", (target_id,))))

    def disputed_claims(self, claim_ids: list[int]) -> set[int]:
        """The claims whose credibility, or stance toward one hypothesis, analysts disagree on."""
        return self._ids_where(claim_ids, """SELECT claim_id FROM claim_grades WHERE claim_id IN ({marks})
            GROUP BY claim_id HAVING count(DISTINCT credibility) > 1
            UNION SELECT claim_id FROM claim_stances WHERE claim_id IN ({marks})
            GROUP BY claim_id, hypothesis_id HAVING count(DISTINCT stance) > 1""")

    def disputed_reports(self, report_ids: list[int]) -> set[int]:
        """Of these reports, those whose credibility, or whose source's reliability, analysts
        disagree on: one read for a page of the queue."""
        return self._ids_where(report_ids, """SELECT report_id FROM report_grades WHERE report_id IN ({marks})
            GROUP BY report_id HAVING count(DISTINCT credibility) > 1
            UNION SELECT r.id FROM reports r WHERE r.id IN ({marks}) AND r.source_id IN (
                SELECT source_id FROM source_grades GROUP BY source_id HAVING count(DISTINCT reliability) > 1)""")

    def _ids_where(self, ids: list[int], sql: str) -> set[int]:
        """The ids the query returns, asked 400 at a time (``{marks}``, twice: the ids' placeholders)."""
        out: set[int] = set()
        ids = list(ids)
        for start in range(0, len(ids), 400):
            chunk = ids[start:start + 400]
            out.update(r[0] for r in self.conn.execute(  # type: ignore[attr-defined]
                sql.format(marks=",".join("?" * len(chunk))), chunk + chunk))
        return out

    def report_disputed(self, report_id: int) -> bool:
        """Analysts disagree on the report's credibility or on its source's reliability."""
        return self.conn.execute(  # type: ignore[attr-defined]
            """SELECT 1 FROM report_grades WHERE report_id = ? GROUP BY report_id HAVING count(DISTINCT credibility) > 1
               UNION SELECT 1 FROM source_grades WHERE source_id = (SELECT source_id FROM reports WHERE id = ?)
               GROUP BY source_id HAVING count(DISTINCT reliability) > 1""", (report_id, report_id)).fetchone() is not None
