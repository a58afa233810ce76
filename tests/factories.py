"""Building small stores for tests through the store's own API (no SQL, no extractor)."""

from __future__ import annotations

from pathlib import Path

from db.models import ExtractedClaim, ExtractedCitedSource, ExtractedEntity, Extraction, ParsedReport
from db.store import Store


def span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def add_report(store: Store, *, title: str, body: str, publisher: str | None = "Shafaq News",
               published: str | None = "2024-06-13", claims: list[tuple[str, str | None]] = (),
               entities: list[tuple[str, str, list[str]]] = (), footnotes: list[tuple[str, str, str | None, str]] = (),
               fmt: str = "text", **parsed) -> int:
    """Store one report. ``claims``: (claim text in body, speaker); ``entities``: (name, type, [texts mentioned]);
    ``footnotes``: (ref, source, date, raw line in body)."""
    extraction = Extraction(version="test")
    for text, speaker in claims:
        start, end = span(body, text)
        extraction.claims.append(ExtractedClaim(start, end, text, speaker=speaker, cue="said" if speaker else None,
                                                chain=[speaker] if speaker else [], rule="test", confidence=0.9))
    for name, type_, mentioned in entities:
        mentions = []
        for text in mentioned:
            start = body.find(text)
            while start >= 0:
                mentions.append((start, start + len(text)))
                start = body.find(text, start + 1)
        extraction.entities.append(ExtractedEntity(name, type_, aliases=[m for m in mentioned if m != name],
                                                   mentions=mentions, rule="test"))
    for ref, source, date, raw in footnotes:
        start, end = span(body, raw)
        marker = body.find(f"[{ref}]")
        extraction.cited_sources.append(ExtractedCitedSource(ref, source, date, raw, start, end,
                                                             markers=[(marker, marker + len(ref) + 2)] if marker >= 0 else []))
    with store.write():
        outcome = store.store_report(
            ParsedReport(title=title, body=body, format=fmt, publisher=publisher, published=published, **parsed),
            extraction)
    return outcome.report_id


SHAFAQ_BODY = (
    "Hamas to open media office in Baghdad\n"
    "June 13, 2024\n"
    "Shafaq News reported that Hamas intends to open an office in the Iraqi capital.[1] "
    "The office work will be limited to public relations, the source said. "
    "Reports of a camp on the outskirts of Baghdad are false, the source added.\n"
    "[1] Shafaq, June 13, 2024.\n"
)


def seeded_store(path: Path | str = ":memory:") -> Store:
    store = Store.open(path)
    add_report(store, title="Hamas to open media office in Baghdad", body=SHAFAQ_BODY,
               claims=[("Hamas intends to open an office in the Iraqi capital", "Shafaq News"),
                       ("The office work will be limited to public relations", "the source"),
                       ("Reports of a camp on the outskirts of Baghdad are false", "the source")],
               entities=[("Hamas", "ORG", ["Hamas"]), ("Baghdad", "LOC", ["Baghdad"]),
                         ("Shafaq News", "MEDIA", ["Shafaq News"])],
               footnotes=[("1", "Shafaq", "2024-06-13", "[1] Shafaq, June 13, 2024.")])
    add_report(store, title="Haniyeh refused to move to Baghdad", publisher="Iraqi Minister", published="2024-06-14",
               body="Haniyeh refused to move to Baghdad\nIsmail Haniyeh refused to move to Baghdad completely, "
                    "the account claimed, saying the city is unsafe.\n",
               claims=[("Ismail Haniyeh refused to move to Baghdad completely", "the account")],
               entities=[("Ismail Haniyeh", "PERSON", ["Ismail Haniyeh"]), ("Baghdad", "LOC", ["Baghdad"])])
    add_report(store, title="Red Sea shipping incident", publisher="Levant Wire", published="2024-06-10",
               body="Red Sea shipping incident\nA cargo vessel reported an explosion near its hull, "
                    "the maritime agency said.\n",
               claims=[("A cargo vessel reported an explosion near its hull", "the maritime agency")])
    return store


async def wait_until(pilot, condition, *, what: str, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds: a wait on what the test needs, not on a guessed time."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


def palette_offers(app, words: str) -> bool:
    """The command palette is open and its first match contains ``words`` (its search runs in a worker)."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return False
    matches = app.screen.query_one(CommandList)
    if not matches.option_count:
        return False
    return words.lower() in str(matches.get_option_at_index(0).prompt).lower()


async def wait_for_results(pilot, screen) -> None:
    """The search worker runs for the dialog's life, so wait for its answer, not for it to end."""
    await wait_until(pilot, lambda: screen.shown_generation == screen.generation, what="search results")
