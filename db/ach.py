"""Analysis of Competing Hypotheses (Heuer, 1999, ch. 8): hypotheses against the evidence.

The matrix has one column per hypothesis and one row per evidence claim. A row is a claim the
analyst added as evidence (``ach add``), or a claim with a stance toward one of the hypotheses
shown, or one rated in the matrix already, unless the analyst took it out (``ach remove``).

Each cell rates how consistent the claim is with the hypothesis: CC (very consistent), C, N
(neutral or not applicable), I, II (very inconsistent). The analyst's rating is stored per claim
x hypothesis (audited, undoable like a grade); a cell without one takes the claim's stance toward
that hypothesis as its default (supports -> C, refutes -> I, neutral -> N). A cell with neither is
unrated and counts as N.

Weights. A row weighs ``credibility weight x reliability weight``:

- credibility: the claim's Admiralty credibility, or its report's when the claim's is 6 (not
  judged yet): 1 -> 1.0, 2 -> 0.85, 3 -> 0.7, 4 -> 0.5, 5 -> 0.3, 6 -> 0.6;
- reliability: the report's source, A -> 1.0, B -> 0.85, C -> 0.7, D -> 0.5, E -> 0.3, F -> 0.6
  (a report without a source counts as F).

"Cannot be judged" (6, F) sits between "possibly true / fairly reliable" and "doubtful / not
usually reliable": no basis either way, so it is neither trusted nor discounted much.

Scores. A hypothesis' weighted inconsistency is ``sum over rows of weight x (1 for I, 2 for II)``
(the PARC ACH tool's score): the hypothesis with the least inconsistent evidence survives, not
the one with the most consistent. Its weighted consistency (1 for C, 2 for CC) is shown beside it
and breaks ties. Hypotheses are ranked least inconsistent first.

Diagnosticity. A row rated alike for every hypothesis tells them nothing apart. A row's
diagnosticity is ``weight x (highest - lowest rating)`` over the hypotheses shown, ratings
counted CC 2, C 1, N 0, I -1, II -2; rows above 0 are diagnostic, and those with the highest
diagnosticity are marked most diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable

from .errors import InvalidValue, NotFound
from .team import mine
from .grading import Change
from .timeutil import utc_now

CONSISTENCY = ("CC", "C", "N", "I", "II")
CONSISTENCY_LABELS = {
    "CC": "very consistent",
    "C": "consistent",
    "N": "neutral or not applicable",
    "I": "inconsistent",
    "II": "very inconsistent",
}
LEVEL = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
INCONSISTENCY = {"I": 1, "II": 2}
CONSISTENCY_POINTS = {"C": 1, "CC": 2}
STANCE_DEFAULT = {"supports": "C", "refutes": "I", "neutral": "N"}
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.85, 3: 0.7, 4: 0.5, 5: 0.3, 6: 0.6}
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.85, "C": 0.7, "D": 0.5, "E": 0.3, "F": 0.6}
ROW_FIELD = "ach_row"
CELL_FIELD = "ach:"  # + hypothesis id


def row_weight(credibility: int, reliability: str | None) -> float:
    return CREDIBILITY_WEIGHT.get(credibility, CREDIBILITY_WEIGHT[6]) * RELIABILITY_WEIGHT.get(reliability or "F", 0.6)


def consistency_code(text: object) -> str | None:
    """An analyst's typed rating ("cc", "C", "ii") as its code; "-" (or empty) means none."""
    code = str(text).strip().upper()
    if code in ("-", "", "NONE"):
        return None
    if code not in CONSISTENCY:
        raise InvalidValue(f"unknown consistency {text!r}; use CC, C, N, I, II or - (back to the default)")
    return code


@dataclass
class AchCell:
    value: str | None  # CC, C, N, I, II, or None: unrated
    origin: str  # "analyst" (rated in the matrix), "stance" (the default from a stance), "none"

    @property
    def counted(self) -> str:
        return self.value or "N"


@dataclass
class AchRow:
    claim_id: int
    report_id: int
    text: str
    speaker: str | None
    source: str | None
    reliability: str
    credibility: int
    weight: float
    cells: dict[int, AchCell]
    added: bool  # the analyst added it (not only a stance)
    diagnosticity: float = 0.0
    most_diagnostic: bool = False

    @property
    def diagnostic(self) -> bool:
        return self.diagnosticity > 0


@dataclass
class AchHypothesis:
    id: int
    title: str
    active: bool
    inconsistency: float = 0.0
    consistency: float = 0.0
    inconsistent_rows: int = 0
    rank: int = 0  # 1: least inconsistent


@dataclass
class AchMatrix:
    hypotheses: list[AchHypothesis]  # the columns, in the order asked for (else by id)
    rows: list[AchRow] = field(default_factory=list)  # by report date, then position in the report

    @property
    def ranking(self) -> list[AchHypothesis]:
        """Least inconsistent first."""
        return sorted(self.hypotheses, key=lambda h: h.rank)

    def row(self, claim_id: int) -> AchRow | None:
        return next((r for r in self.rows if r.claim_id == claim_id), None)


class AchMixin:
    """The matrix's reads and writes on the store (see the module's docstring)."""

    # --- reading ------------------------------------------------------------------------------

    def ach_matrix(self, hypothesis_ids: Iterable[int] | None = None) -> AchMatrix:
        hypotheses = self._ach_hypotheses(hypothesis_ids)
        matrix = AchMatrix(hypotheses)
        if not hypotheses:
            return matrix
        shown = [h.id for h in hypotheses]
        marks = ",".join("?" * len(shown))
        claim_ids = [r[0] for r in self.conn.execute(
            f"""SELECT claim_id FROM ach_rows WHERE included = 1
                UNION SELECT claim_id FROM claim_stances WHERE hypothesis_id IN ({marks}) AND analyst = current_analyst()
                UNION SELECT claim_id FROM ach_cells WHERE hypothesis_id IN ({marks}) AND analyst = current_analyst()
                EXCEPT SELECT claim_id FROM ach_rows WHERE included = 0""", shown + shown)]
        if not claim_ids:
            _score(matrix)
            return matrix
        stances: dict[tuple[int, int], str] = {}
        ratings: dict[tuple[int, int], str] = {}
        claims: list[tuple] = []
        added: set[int] = set()
        for start in range(0, len(claim_ids), 400):
            chunk = claim_ids[start:start + 400]
            in_chunk = ",".join("?" * len(chunk))
            claims += self.conn.execute(
                f"""SELECT c.id, c.report_id, c.text, coalesce(c.speaker_resolved, c.speaker), {mine.claim_credibility()},
                           {mine.report_credibility()}, s.name, {mine.source_reliability()}, r.sort_key, c.start
                    FROM claims c JOIN reports r ON r.id = c.report_id LEFT JOIN sources s ON s.id = r.source_id
                    WHERE c.id IN ({in_chunk})""", chunk).fetchall()
            for claim_id, hypothesis_id, stance in self.conn.execute(
                    f"SELECT claim_id, hypothesis_id, stance FROM claim_stances WHERE analyst = current_analyst() "
                    f"AND hypothesis_id IN ({marks}) AND claim_id IN ({in_chunk})", shown + chunk):
                stances[claim_id, hypothesis_id] = stance
            for claim_id, hypothesis_id, value in self.conn.execute(
                    f"SELECT claim_id, hypothesis_id, consistency FROM ach_cells WHERE analyst = current_analyst() "
                    f"AND hypothesis_id IN ({marks}) AND claim_id IN ({in_chunk})", shown + chunk):
                ratings[claim_id, hypothesis_id] = value
            added.update(r[0] for r in self.conn.execute(
                f"SELECT claim_id FROM ach_rows WHERE included = 1 AND claim_id IN ({in_chunk})", chunk))
        claims.sort(key=lambda c: (c[8], c[1], c[9], c[0]))
        for (claim_id, report_id, text, speaker, claim_cred, report_cred, source, reliability, _sort, _start) in claims:
            credibility = claim_cred if claim_cred != 6 else report_cred
            cells = {}
            for h in shown:
                if (claim_id, h) in ratings:
                    cells[h] = AchCell(ratings[claim_id, h], "analyst")
                elif (claim_id, h) in stances:
                    cells[h] = AchCell(STANCE_DEFAULT[stances[claim_id, h]], "stance")
                else:
                    cells[h] = AchCell(None, "none")
            matrix.rows.append(AchRow(claim_id, report_id, text, speaker, source, reliability, credibility,
                                      row_weight(credibility, reliability), cells, claim_id in added))
        _score(matrix)
        return matrix

    def _ach_hypotheses(self, hypothesis_ids: Iterable[int] | None) -> list[AchHypothesis]:
        rows = {r[0]: AchHypothesis(r[0], r[1], bool(r[2]))
                for r in self.conn.execute("SELECT id, title, active FROM hypotheses ORDER BY id")}
        if hypothesis_ids is None:
            return list(rows.values())
        wanted = list(dict.fromkeys(hypothesis_ids))
        missing = [h for h in wanted if h not in rows]
        if missing:
            raise NotFound(f"no hypothesis {', '.join(map(str, missing[:5]))}")
        return [rows[h] for h in wanted]

    # --- writing --------------------------------------------------------------------------------

    def set_ach_cell(self, claim_ids: Iterable[int], hypothesis_id: int, consistency: str | None) -> int:
        """Rate claims against a hypothesis (CC, C, N, I, II); ``None`` (or "-") removes the
        analyst's rating, and the cell shows the stance's default again. One audited batch."""
        value = consistency_code(consistency) if consistency is not None else None
        ids = list(dict.fromkeys(claim_ids))
        with self.write():
            self._check_exist("claim", ids)
            self._check_exist("hypothesis", [hypothesis_id])
            old: dict[int, str] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                old.update(self.conn.execute(
                    f"SELECT claim_id, consistency FROM ach_cells WHERE hypothesis_id = ? AND analyst = current_analyst() "
                    f"AND claim_id IN ({','.join('?' * len(chunk))})", [hypothesis_id, *chunk]).fetchall())
            return self._commit_changes([Change("claim", i, f"{CELL_FIELD}{hypothesis_id}", old.get(i), value, "ach")
                                         for i in ids])

    def add_ach_evidence(self, claim_ids: Iterable[int]) -> int:
        """Make claims rows of the matrix (for every hypothesis). One audited batch."""
        return self._set_ach_rows(claim_ids, True)

    def remove_ach_evidence(self, claim_ids: Iterable[int]) -> int:
        """Take claims out of the matrix, stances and ratings kept (``add`` brings them back)."""
        return self._set_ach_rows(claim_ids, False)

    def _set_ach_rows(self, claim_ids: Iterable[int], included: bool) -> int:
        ids = list(dict.fromkeys(claim_ids))
        with self.write():
            self._check_exist("claim", ids)
            old: dict[int, bool] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                old.update((c, bool(v)) for c, v in self.conn.execute(
                    f"SELECT claim_id, included FROM ach_rows WHERE claim_id IN ({','.join('?' * len(chunk))})", chunk))
            return self._commit_changes([Change("claim", i, ROW_FIELD, old.get(i), included, "ach") for i in ids])

    def _apply_ach(self, change: Change, value: object) -> None:
        """Write an ACH change (or its undo): called by :meth:`GradingMixin._apply`."""
        if change.field == ROW_FIELD:
            if value is None:
                self.conn.execute("DELETE FROM ach_rows WHERE claim_id = ?", (change.target_id,))
            else:
                self.conn.execute(
                    "INSERT INTO ach_rows(claim_id, included, at) VALUES (?, ?, ?) "
                    "ON CONFLICT(claim_id) DO UPDATE SET included = excluded.included, at = excluded.at",
                    (change.target_id, int(bool(value)), utc_now()))
            return
        hypothesis_id = int(change.field[len(CELL_FIELD):])
        if value is None:
            self.conn.execute("DELETE FROM ach_cells WHERE claim_id = ? AND hypothesis_id = ? "
                              "AND analyst = current_analyst()", (change.target_id, hypothesis_id))
        else:
            self.conn.execute(
                "INSERT INTO ach_cells(claim_id, hypothesis_id, analyst, consistency) VALUES (?, ?, current_analyst(), ?) "
                "ON CONFLICT(claim_id, hypothesis_id, analyst) DO UPDATE SET consistency = excluded.consistency",
                (change.target_id, hypothesis_id, value))


def _score(matrix: AchMatrix) -> None:
    """Fill in scores, ranks and diagnosticity (see the module's docstring)."""
    by_id = {h.id: h for h in matrix.hypotheses}
    for row in matrix.rows:
        for hypothesis_id, cell in row.cells.items():
            hypothesis = by_id[hypothesis_id]
            bad = INCONSISTENCY.get(cell.counted, 0)
            hypothesis.inconsistency += row.weight * bad
            hypothesis.consistency += row.weight * CONSISTENCY_POINTS.get(cell.counted, 0)
            hypothesis.inconsistent_rows += bool(bad)
        levels = [LEVEL[cell.counted] for cell in row.cells.values()]
        row.diagnosticity = row.weight * (max(levels) - min(levels)) if len(levels) > 1 else 0.0
    ranked = sorted(matrix.hypotheses, key=lambda h: (round(h.inconsistency, 9), -round(h.consistency, 9), h.id))
    for rank, hypothesis in enumerate(ranked, start=1):
        hypothesis.rank = rank
    top = max((r.diagnosticity for r in matrix.rows), default=0.0)
    for row in matrix.rows:
        row.most_diagnostic = top > 0 and abs(row.diagnosticity - top) < 1e-9


# --- for whoever shows the matrix ---------------------------------------------------------------

DIAGNOSTIC_MARKS = {"most": "◆", "yes": "◇", "no": ""}


def diagnostic_mark(row: AchRow) -> str:
    return DIAGNOSTIC_MARKS["most" if row.most_diagnostic else "yes" if row.diagnostic else "no"]


def rows_by_diagnosticity(matrix: AchMatrix) -> list[AchRow]:
    """Most diagnostic first (what the analyst should look at first), then in date order."""
    order = {r.claim_id: i for i, r in enumerate(matrix.rows)}
    return sorted(matrix.rows, key=lambda r: (-round(r.diagnosticity, 9), order[r.claim_id]))
