"""Trigram candidates kept between keystrokes, so a query that grows is answered from memory.

While "drone attack erbil" is typed, every keystroke asked the trigram index again for the rows
holding all the query's trigrams: at a million claims the doclists of common trigrams ("att",
"ack") take 12-26 ms to intersect, and reading the candidates' texts another 8-14 ms. A letter
added to a query only adds trigrams, so its matches are a subset of the previous query's: the
rows already read are filtered in memory instead.

What is kept is a newest-first *prefix* of a query's matches (the trigram search reads the
newest first and stops early): every match with a rowid at least that of the last row kept.
Filtering a prefix gives a prefix of the longer query's matches, which answers it exactly when

- the prefix was every match there is (``complete``), or
- it holds at least ``enough`` rows containing the whole query: those score highest and are the
  newest, so no older row could rank above them (the rule the trigram search stops by).

Otherwise the caller asks the index. Case is folded with ``str.casefold`` on both sides; the
trigram tokenizer folds a few characters differently (``ß``), which at worst keeps such a row.
"""

from __future__ import annotations

from dataclasses import dataclass

KEPT_QUERIES = 8  # recent queries kept, so backspacing to a shorter query is answered from memory too


@dataclass
class Candidates:
    grams: frozenset[str]
    rows: list[tuple[int, str]]  # (rowid, text), newest first
    folded: list[str]  # the texts casefolded, in the same order
    complete: bool  # every row that holds the grams, not only the newest


class GrowingQueryCache:
    """The candidates of the last few trigram queries on one table."""

    def __init__(self) -> None:
        self._kept: list[Candidates] = []

    def forget(self) -> None:
        self._kept.clear()

    def remember(self, grams: frozenset[str], rows: list[tuple[int, str]], complete: bool,
                 folded: list[str] | None = None) -> None:
        if not grams:
            return
        folded = folded if folded is not None else [text.casefold() for _, text in rows]
        self._kept = [c for c in self._kept if c.grams != grams][-(KEPT_QUERIES - 1):]
        self._kept.append(Candidates(grams, rows, folded, complete))

    def answer(self, grams: frozenset[str], needle: str = "", enough: int | None = None) -> Candidates | None:
        """The candidates for ``grams`` from a kept query whose grams they include, or None when
        none can answer exactly (see the module's note). ``enough`` None: only a complete set
        answers (for a ranking that looks at every candidate)."""
        for kept in sorted((c for c in self._kept if c.grams <= grams), key=lambda c: -len(c.grams)):
            added = grams - kept.grams
            if added:
                keep = [i for i, text in enumerate(kept.folded) if all(g in text for g in added)]
                rows = [kept.rows[i] for i in keep]
                folded = [kept.folded[i] for i in keep]
            else:
                rows, folded = kept.rows, kept.folded
            if kept.complete or (enough is not None and sum(1 for text in folded if needle in text) >= enough):
                found = Candidates(grams, rows, folded, kept.complete)
                if added:
                    self.remember(grams, rows, kept.complete, folded)
                return found
        return None
