"""Citations: the defects of issue 18 (bylines that name nobody; APA capitalising after a dash), the one
sanitiser shared with db/text_safety.py, and the one attribution-chain formatter (db/attribution.py)."""

from __future__ import annotations

import pytest

from db.attribution import attribution_chain, attribution_text, chain_arrows, chain_prose
from db.cite import STYLES, cite_claim, cite_report, sentence_case
from db.models import Claim, Report, Source
from db.render import speaker_line
from db.text_safety import field_line, one_line


def _report(**kw) -> Report:
    base = dict(id=1, title="Hamas office opens", body="", status="new", format="text",
                imported_at="2024-07-01T00:00:00", content_hash="h", published="2024-06-13",
                source=Source(id=1, name="Shafaq News", kind="outlet", reliability="B"))
    base.update(kw)
    return Report(**base)


def _claim(**kw) -> Claim:
    base = dict(id=7, report_id=1, start=0, end=10, text="The office opens", speaker=None, speaker_resolved=None,
                speaker_inferred=False, cue=None, chain=[], is_quote=False, is_hedged=False, is_denial=False,
                credibility=3, rule="", confidence=0.5)
    base.update(kw)
    return Claim(**base)


@pytest.mark.parametrize("byline", ["Staff reporter", "Staff", "Agencies", "AFP staff", "Staff and agencies",
                                    "Reuters Staff", "staff writers", "News desk"])
def test_a_byline_naming_nobody_is_not_an_author(byline):
    report = _report(author=byline)
    unsigned = _report(author=None)
    for style in ("chicago-note", "chicago-bib", "apa", "mla", "ris"):
        assert cite_report(report, style) == cite_report(unsigned, style), (byline, style)
    assert "Reporter, S." not in cite_report(report, "apa")
    assert cite_report(report, "apa").startswith("Shafaq News. (2024, June 13).")


@pytest.mark.parametrize("person", ["Jane Doe", "Staffan Lindberg", "Agnes Staff-Jones"])
def test_a_person_named_like_a_byline_is_still_an_author(person):
    assert person.split()[-1].split("-")[0] in cite_report(_report(author=person), "apa")


@pytest.mark.parametrize("title, expected", [
    ("Hamas Office In Baghdad \u2013 To What End?", "Hamas office in Baghdad \u2013 to what end?"),
    ("Hamas office in Baghdad \u2013 To what end?", "Hamas office in Baghdad \u2013 to what end?"),
    ("Hamas Office In Baghdad \u2014 To What End?", "Hamas office in Baghdad \u2014 to what end?"),
    ("Iran and Iraq \u2013 Baghdad talks", "Iran and Iraq \u2013 Baghdad talks"),
    ("Media: Hamas leaders to move", "Media: Hamas leaders to move"),
])
def test_apa_sentence_case_does_not_capitalise_after_a_dash(title, expected):
    assert sentence_case(title) == expected
    assert f"*{expected}*" in cite_report(_report(title=title), "apa")


def test_chicago_title_case_still_capitalises_after_a_dash():
    assert '"Hamas Office in Baghdad \u2013 To What End?"' in cite_report(
        _report(title="Hamas office in Baghdad \u2013 to what end?"), "chicago-note")


@pytest.mark.parametrize("hidden", ["\u200f", "\u200b", "\u202e", "\u2066", "\x1b"])
def test_every_style_shows_hidden_characters_as_the_app_does(hidden):
    """APA kept U+200F and U+200B while the panes showed them: one sanitiser now (field_line)."""
    report = _report(title=f"Hani{hidden}yeh in Baghdad", author=f"Jane{hidden} Doe")
    shown = one_line(hidden)
    assert shown != hidden
    for style in STYLES:
        out = cite_report(report, style)
        assert hidden not in out, style
        assert shown in out, style
    assert field_line(f"a{hidden}b") == one_line(f"a{hidden}b")


RELAYED = dict(speaker="informed sources", chain=["informed sources", "The National", "Caliber.Az"])


def test_one_chain_formatter_for_panes_show_citations_and_export():
    from db.export import ExportRecord, export_csv, export_markdown
    from tui.widgets.claims import claim_attribution

    claim = _claim(**RELAYED)
    arrows = "informed sources \u2192 The National \u2192 Caliber.Az"
    assert attribution_text(claim) == arrows
    assert claim_attribution(claim) == arrows
    assert speaker_line(claim) == arrows
    prose = "informed sources, quoted by The National, via Caliber.Az"
    assert attribution_text(claim, prose=True) == prose
    report = _report(source=Source(id=2, name="Caliber.Az", kind="outlet"))
    assert prose in cite_claim(claim, report, "intel")
    assert prose in export_markdown([ExportRecord(report=report, claims=[claim])])
    assert "informed sources > The National > Caliber.Az" in export_csv([ExportRecord(report=report, claims=[claim])])


def test_the_chain_rules_are_the_same_everywhere():
    """A speaker outside the chain: the pane put it first, ``show`` after it in brackets, citations left it
    out. The chain is the attribution; the speaker stands in only without one."""
    from tui.widgets.claims import claim_attribution

    claim = _claim(speaker="the source", chain=["a source close to Kataib Hezbollah", "Al-Akhbar"])
    assert claim_attribution(claim) == speaker_line(claim) == "a source close to Kataib Hezbollah \u2192 Al-Akhbar"
    resolved = _claim(speaker="he", speaker_resolved="A government spokesperson")
    assert attribution_chain(resolved) == ["A government spokesperson"]
    assert claim_attribution(resolved) == "A government spokesperson"
    repeated = _claim(chain=["The National", "the national", "Caliber.Az"])
    assert attribution_chain(repeated) == ["The National", "Caliber.Az"]
    assert claim_attribution(_claim()) == "unattributed" and speaker_line(_claim()) == "(unattributed)"
    assert chain_arrows(["a\x1bb", ""]) == one_line("a\x1bb") and chain_prose([]) == ""
