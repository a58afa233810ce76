"""Trigram candidates kept between keystrokes, so a query that grows is answered from memory.

While "drone attack erbil" is typed, every keystroke asked the trigram index again for the rows
holding all the query's trigrams: at a million claims the doclists of common trigrams ("att",
"ack") take 12-26 ms to intersect, and reading the candidates' texts another 8-14 ms. A letter
added to a query only adds trigrams, so its matches are a subset of the previous query's: the
rows already read are filtered in memory instead.

What is kept is a newest-first *prefix* of a query's matches (the trigram search reads the
newest first and stops early): every match with a rowid at least ``reaches``. Filtering a prefix
gives a prefix of the longer query's matches, with the same ``reaches``. The caller reads on from
the index only what is older than that (``rowid < reaches``), unless the prefix already answers:

- it is every match there is (``complete``), or
- it holds as many rows as a search reads (``CANDIDATES``), or
- it holds at least ``enough`` rows containing the whole query: those score highest and are the
  newest, so no older row could rank above them (the rule the trigram search stops by).

A query whose letters add no trigram ("refused t", "refused to") is the same prefix again: before,
each of those keystrokes read the same 2,000 rows from the index a second time.

Case is folded with ``str.casefold`` on both sides; the trigram tokenizer folds a few characters
differently (``ß``), which at worst keeps such a row.
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
    reaches: int | None  # every match with a rowid at least this is in ``rows`` (None: nothing was read)


class GrowingQueryCache:
    """The candidates of the last few trigram queries on one table."""

    def __init__(self) -> None:
        self._kept: list[Candidates] = []

    def forget(self) -> None:
        self._kept.clear()

    def remember(self, grams: frozenset[str], rows: list[tuple[int, str]], complete: bool,
                 folded: list[str] | None = None, reaches: int | None = None) -> None:
        """Keep what was read for ``grams``; ``reaches`` defaults to the oldest row's id."""
        if not grams:
            return
        folded = folded if folded is not None else [text.casefold() for _, text in rows]
        if reaches is None and rows:
            reaches = rows[-1][0]
        self._kept = [c for c in self._kept if c.grams != grams][-(KEPT_QUERIES - 1):]
        self._kept.append(Candidates(grams, rows, folded, complete, reaches))

    def known(self, grams: frozenset[str]) -> Candidates | None:
        """What is known of the matches of ``grams``, filtered from a kept query whose grams are
        among them (None if none is): a complete one first, else the one read furthest back (the
        least left to read), else the one with the most grams (the fewest rows to filter)."""
        kept = max((c for c in self._kept if c.grams <= grams), default=None,
                   key=lambda c: (c.complete, -(c.reaches or 0), len(c.grams)))
        if kept is None:
            return None
        added = grams - kept.grams
        if not added:
            return kept
        keep = [i for i, text in enumerate(kept.folded) if all(g in text for g in added)]
        return Candidates(grams, [kept.rows[i] for i in keep], [kept.folded[i] for i in keep], kept.complete,
                          kept.reaches)
