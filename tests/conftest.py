"""Shared fixtures: small stores written through the store's API (with hand-made extractions,
so tests do not depend on the extractor's quality), the demo corpus, hostile text, and a
machine without a system clipboard."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from db.models import ExtractedClaim, ExtractedEntity, Extraction, ParsedReport
from db.store import Store

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


def add_report(store: Store, *, title: str, body: str, publisher: str | None, published: str | None,
               claims: list[ExtractedClaim] = (), entities: list[ExtractedEntity] = (), url: str | None = None,
               fmt: str = "text", reliability: str | None = None, affiliation: str | None = None) -> int:
    parsed = ParsedReport(title=title, body=body, format=fmt, url=url, published=published, publisher=publisher,
                          original_name=f"{title[:20]}.txt", reliability=reliability, affiliation=affiliation)
    with store.write():
        outcome = store.store_report(parsed, Extraction(claims=list(claims), entities=list(entities)))
    assert outcome.report_id is not None, outcome
    return outcome.report_id


SHAFAQ_BODY = ("Hamas will open a media and relations office in Baghdad within days, informed sources told "
               "Shafaq News. Ismail Haniyeh reportedly approved the move, the sources said.")
WIRE_BODY = ("A government spokesperson said no request had been received from Hamas to open an office in "
             "Baghdad. \"We have not been approached,\" he said.")
AKHBAR_BODY = ("Ali Bagheri Kani met resistance factions in Baghdad, Al-Akhbar reported, citing a source close "
               "to Kataib Hezbollah. The visit may concern the Hamas office, the source suggested.")


def fill_sample(store: Store) -> dict[str, int]:
    """Three ordinary reports, newest first: wire (06-14), shafaq (06-13), akhbar (06-12)."""
    ids = {}
    ids["akhbar"] = add_report(
        store, title="Bagheri Kani in Baghdad", body=AKHBAR_BODY, publisher="Al-Akhbar", published="2024-06-12",
        url="https://example.org/akhbar", affiliation="pro-Hezbollah",
        claims=[claim(AKHBAR_BODY, "Ali Bagheri Kani met resistance factions in Baghdad", speaker="Al-Akhbar",
                      chain=["a source close to Kataib Hezbollah", "Al-Akhbar"], cue="reported"),
                claim(AKHBAR_BODY, "The visit may concern the Hamas office", speaker="the source", is_hedged=True)],
        entities=[entity(AKHBAR_BODY, "Ali Bagheri Kani", "PERSON"), entity(AKHBAR_BODY, "Baghdad", "LOC"),
                  entity(AKHBAR_BODY, "Kataib Hezbollah", "ORG")],
    )
    ids["shafaq"] = add_report(
        store, title="Sources: Hamas to open media office in Baghdad", body=SHAFAQ_BODY, publisher="Shafaq News",
        published="2024-06-13", url="https://example.org/shafaq",
        claims=[claim(SHAFAQ_BODY, "Hamas will open a media and relations office in Baghdad within days",
                      speaker="informed sources", chain=["informed sources", "Shafaq News"], cue="told"),
                claim(SHAFAQ_BODY, "Ismail Haniyeh reportedly approved the move", speaker="the sources",
                      is_hedged=True, speaker_inferred=True)],
        entities=[entity(SHAFAQ_BODY, "Hamas", "ORG"), entity(SHAFAQ_BODY, "Baghdad", "LOC"),
                  entity(SHAFAQ_BODY, "Ismail Haniyeh", "PERSON")],
    )
    ids["wire"] = add_report(
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
    return add_report(
        store, title=f"Hostile {HOSTILE}", body=body, publisher="Evil [/] \x1b]0;x\x07 Channel",
        published="2024-06-15", url="https://example.org/\x1b[31m[/]",
        claims=[ExtractedClaim(start=6, end=6 + len(HOSTILE), text=HOSTILE, speaker=f"the channel {HOSTILE}",
                               chain=[f"relay {HOSTILE}"])],
        entities=[ExtractedEntity(name=f"[bold]Evil{HOSTILE}", type="PERSON",
                                  mentions=[_span(body, "Hostile entity")])],
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "analyst.db"


@pytest.fixture
def store(db_path: Path):
    """An empty store in a file (a file, so worker threads can open their own connection)."""
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def sample_store(store: Store):
    """Three small reports with hand-made claims and entities and an active hypothesis.
    ``sample_store.ids`` maps "wire", "shafaq", "akhbar" to report ids."""
    store.ids = fill_sample(store)
    return store


@pytest.fixture
def hostile_store(sample_store: Store):
    """The sample plus one report whose every field is hostile; ``hostile_store.hostile_id``."""
    sample_store.hostile_id = fill_hostile(sample_store)
    return sample_store


@pytest.fixture
def demo_store(store: Store):
    """The real demo corpus (``seeds/``), imported with the real extractor."""
    from db.paths import demo_corpus_dir

    folder = demo_corpus_dir()
    if not folder.is_dir() or not any(folder.iterdir()):
        pytest.skip("no demo corpus in seeds/")
    from db.demo import import_demo

    import_demo(store)
    return store


@pytest.fixture
def no_system_clipboard(monkeypatch):
    """pyperclip behaves as on a machine with no xclip, xsel or wl-copy."""
    import pyperclip

    def fail(_text):
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system.")

    monkeypatch.setattr(pyperclip, "copy", fail)


@pytest.fixture
def system_clipboard(monkeypatch):
    """pyperclip works; what it was given is in the returned list."""
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch) -> Path:
    """A settings file of its own for the test (also through $ANALYST_TUI_CONFIG)."""
    path = tmp_path / "config.json"
    monkeypatch.setenv("ANALYST_TUI_CONFIG", str(path))
    return path


@pytest.fixture
def make_tui_app(config_file: Path):
    """Build the triage app over a store: ``make_tui_app(store, keymap={...})``."""

    def make(store: Store, **config_fields):
        from tui.app import AnalystApp
        from tui.config import Config

        config = Config.load(config_file)
        for key, value in config_fields.items():
            setattr(config, key, value)
        return AnalystApp(store, config=config, cursor_blink=False)

    return make
