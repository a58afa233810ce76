"""The one place tests build what they need, through the store's own API (no SQL, no extractor):
reports with claims and entities (``add_report`` from texts and speakers; ``add_extracted_report`` from
``claim``/``entity`` rows), the sample and hostile stores behind conftest's fixtures, hostile text, and
waits on a condition for Pilot tests."""

from __future__ import annotations

import multiprocessing
import time
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


# Text an adversary could put in a report: markup, terminal escapes, bidi overrides.
HOSTILE = ("[/] [@click=app.quit]quit[/] [bold]bold \x1b[31mred\x1b[0m \x1b]0;pwned\x07 "
           "\x1b]52;c;aGVsbG8=\x07 \x9b2J \u202eevil\u202c end")


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def claim(body: str, text: str, **fields) -> ExtractedClaim:
    start, end = _span(body, text)
    return ExtractedClaim(start=start, end=end, text=text, **fields)


def children_left(timeout: float = 10.0) -> list:
    """The child processes still running after waiting up to ``timeout`` for them to exit."""
    deadline = time.monotonic() + timeout
    while (children := multiprocessing.active_children()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return children


def entity(body: str, name: str, type_: str, *mention_texts: str) -> ExtractedEntity:
    mentions = [_span(body, m) for m in (mention_texts or (name,))]
    return ExtractedEntity(name=name, type=type_, mentions=mentions)


def add_extracted_report(store: Store, *, title: str, body: str, publisher: str | None, published: str | None,
               claims: list[ExtractedClaim] = (), entities: list[ExtractedEntity] = (), url: str | None = None,
               fmt: str = "text", reliability: str | None = None, affiliation: str | None = None) -> int:
    """Store one report with an extraction made of ``claim``/``entity`` rows (positions checked)."""
    parsed = ParsedReport(title=title, body=body, format=fmt, url=url, published=published, publisher=publisher,
                          original_name=f"{title[:20]}.txt", reliability=reliability, affiliation=affiliation)
    with store.write():
        outcome = store.store_report(parsed, Extraction(claims=list(claims), entities=list(entities)))
    assert outcome.report_id is not None, outcome
    return outcome.report_id


SAMPLE_SHAFAQ_BODY = ("Hamas will open a media and relations office in Baghdad within days, informed sources told "
               "Shafaq News. Ismail Haniyeh reportedly approved the move, the sources said.")
WIRE_BODY = ("A government spokesperson said no request had been received from Hamas to open an office in "
             "Baghdad. \"We have not been approached,\" he said.")
AKHBAR_BODY = ("Ali Bagheri Kani met resistance factions in Baghdad, Al-Akhbar reported, citing a source close "
               "to Kataib Hezbollah. The visit may concern the Hamas office, the source suggested.")


def fill_sample(store: Store) -> dict[str, int]:
    """Three ordinary reports, newest first: wire (06-14), shafaq (06-13), akhbar (06-12)."""
    ids = {}
    ids["akhbar"] = add_extracted_report(
        store, title="Bagheri Kani in Baghdad", body=AKHBAR_BODY, publisher="Al-Akhbar", published="2024-06-12",
        url="https://example.org/akhbar", affiliation="pro-Hezbollah",
        claims=[claim(AKHBAR_BODY, "Ali Bagheri Kani met resistance factions in Baghdad", speaker="Al-Akhbar",
                      chain=["a source close to Kataib Hezbollah", "Al-Akhbar"], cue="reported"),
                claim(AKHBAR_BODY, "The visit may concern the Hamas office", speaker="the source", is_hedged=True)],
        entities=[entity(AKHBAR_BODY, "Ali Bagheri Kani", "PERSON"), entity(AKHBAR_BODY, "Baghdad", "LOC"),
                  entity(AKHBAR_BODY, "Kataib Hezbollah", "ORG")],
    )
    ids["shafaq"] = add_extracted_report(
        store, title="Sources: Hamas to open media office in Baghdad", body=SAMPLE_SHAFAQ_BODY, publisher="Shafaq News",
        published="2024-06-13", url="https://example.org/shafaq",
        claims=[claim(SAMPLE_SHAFAQ_BODY, "Hamas will open a media and relations office in Baghdad within days",
                      speaker="informed sources", chain=["informed sources", "Shafaq News"], cue="told"),
                claim(SAMPLE_SHAFAQ_BODY, "Ismail Haniyeh reportedly approved the move", speaker="the sources",
                      is_hedged=True, speaker_inferred=True)],
        entities=[entity(SAMPLE_SHAFAQ_BODY, "Hamas", "ORG"), entity(SAMPLE_SHAFAQ_BODY, "Baghdad", "LOC"),
                  entity(SAMPLE_SHAFAQ_BODY, "Ismail Haniyeh", "PERSON")],
    )
    ids["wire"] = add_extracted_report(
        store, title="Government spokesperson: no request received", body=WIRE_BODY, publisher="Iraqi News Wire",
        published="2024-06-14", reliability="B",
        claims=[claim(WIRE_BODY, "no request had been received from Hamas to open an office in Baghdad",
                      speaker="A government spokesperson", is_denial=True, cue="said"),
                claim(WIRE_BODY, "We have not been approached", speaker="he", is_quote=True, is_denial=True,
                      speaker_resolved="A government spokesperson")],
        entities=[entity(WIRE_BODY, "Hamas", "ORG"), entity(WIRE_BODY, "Baghdad", "LOC")],
    )
    store.create_hypothesis("Hamas is moving its political office to Baghdad")
    return ids


def fill_hostile(store: Store) -> int:
    body = f"Intro {HOSTILE} said the channel. Hostile entity {HOSTILE} named here."
    return add_extracted_report(
        store, title=f"Hostile {HOSTILE}", body=body, publisher="Evil [/] \x1b]0;x\x07 Channel",
        published="2024-06-15", url="https://example.org/\x1b[31m[/]",
        claims=[ExtractedClaim(start=6, end=6 + len(HOSTILE), text=HOSTILE, speaker=f"the channel {HOSTILE}",
                               chain=[f"relay {HOSTILE}"])],
        entities=[ExtractedEntity(name=f"[bold]Evil{HOSTILE}", type="PERSON",
                                  mentions=[_span(body, "Hostile entity")])],
    )


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """(exit status, standard output, standard error) of ``analyst-tui ARGS`` run in this process."""
    from db.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def is_speaker(claim: ExtractedClaim, name: str) -> bool:
    """``name`` spoke the extracted claim: written alone, or written with its apposition ("Jane Day, a
    spokesperson") and resolved to the name (db/extract/source_span.py), or to the person's name without
    the title written before it ("Dr. Sherine Abed, who runs it" is Sherine Abed)."""
    resolved = claim.speaker_resolved or ""
    return claim.speaker == name or (
        (claim.speaker or "").startswith(name + ", ")
        and (resolved == name or bool(resolved) and name.endswith(" " + resolved)))
