"""Citations: hand-checked strings for the seed reports, missing fields, escaping, capitalisation, fuzzing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.cite import (
    STYLES,
    bibtex_escape,
    chain_text,
    cite_claim,
    cite_report,
    parse_partial_date,
    sentence_case,
    strip_controls,
    title_case,
)
from db.models import Claim, Report, Source

JTTM = "Jihad and Terrorism Threat Monitor"
MEMRI_TITLE = (
    "Outlet Affiliated With Iran-Backed Iraqi Militia Publishes Photos Showing Leaders Attending Inauguration Of "
    "Hamas Office In Baghdad, Anti-Iran Account On X: New Office To Test Whether Baghdad Suitable Alternative For "
    "Hamas Top Leadership In Qatar"
)
CALIBER_TITLE = "Media: Hamas leaders to move to Iraq due to US pressure"


def make_report(**kw) -> Report:
    base = dict(id=1, title="A title", body="", status="new", format="text", imported_at="2024-07-01T00:00:00",
                content_hash="h")
    base.update(kw)
    return Report(**base)


def make_claim(**kw) -> Claim:
    base = dict(id=7, report_id=1, start=0, end=10, text="The Iraqi government approved the move last month",
                speaker=None, speaker_resolved=None, speaker_inferred=False, cue=None, chain=[], is_quote=False,
                is_hedged=False, is_denial=False, credibility=3, rule="", confidence=0.5)
    base.update(kw)
    return Claim(**base)


@pytest.fixture
def memri() -> Report:
    src = Source(id=1, name="MEMRI", full_name="Middle East Media Research Institute", kind="outlet", reliability="B")
    return make_report(title=MEMRI_TITLE, source=src, published="2024-06-24", credibility=3)


@pytest.fixture
def caliber() -> Report:
    return make_report(id=3, title=CALIBER_TITLE, source=Source(id=2, name="Caliber.Az", kind="outlet"))


@pytest.fixture
def relayed_claim() -> Claim:
    return make_claim(report_id=3, speaker="informed Iraqi sources",
                      chain=["informed Iraqi sources", "The National", "Caliber.Az"])


# --- the hand-checked strings (shared/notes/analyst-domain.md) ----------------------------------


def test_chicago_note_memri(memri):
    assert cite_report(memri, "chicago-note", container=JTTM) == (
        'Middle East Media Research Institute (MEMRI), "Outlet Affiliated with Iran-Backed Iraqi Militia Publishes '
        "Photos Showing Leaders Attending Inauguration of Hamas Office in Baghdad, Anti-Iran Account on X: New Office "
        'to Test Whether Baghdad Suitable Alternative for Hamas Top Leadership in Qatar," Jihad and Terrorism Threat '
        "Monitor, June 24, 2024."
    )


def test_apa_memri(memri):
    assert cite_report(memri, "apa", container=JTTM) == (
        "Middle East Media Research Institute. (2024, June 24). *Outlet affiliated with Iran-backed Iraqi militia "
        "publishes photos showing leaders attending inauguration of Hamas office in Baghdad, anti-Iran account on X: "
        "New office to test whether Baghdad suitable alternative for Hamas top leadership in Qatar*. MEMRI Jihad and "
        "Terrorism Threat Monitor."
    )


def test_chicago_bib_undated(caliber):
    assert cite_report(caliber, "chicago-bib") == (
        'Caliber.Az. "Media: Hamas Leaders to Move to Iraq Due to US Pressure." n.d.'
    )


def test_chicago_note_claim_through_chain(caliber, relayed_claim):
    assert cite_claim(relayed_claim, caliber, "chicago-note") == (
        'The National, citing unnamed "informed Iraqi sources," quoted in "Media: Hamas Leaders to Move to Iraq Due '
        'to US Pressure," Caliber.Az, n.d.'
    )


def test_chain_text():
    assert chain_text(["informed Iraqi sources", "The National", "Caliber.Az"]) == (
        "informed Iraqi sources, quoted by The National, via Caliber.Az"
    )
    assert chain_text(["A", "B"], last_via=False) == "A, quoted by B"
    assert chain_text([]) == ""


def test_claim_without_chain_uses_speaker(caliber):
    claim = make_claim(speaker="the account", speaker_resolved="Iraqi Minister", chain=[])
    out = cite_claim(claim, caliber, "markdown")
    assert "Iraqi Minister, via Caliber.Az" in out
    out = cite_claim(make_claim(speaker="the sources"), caliber, "intel")
    assert "the sources, via Caliber.Az" in out


def test_apa_sentence_case_title_already_sentence_case(caliber):
    assert cite_report(caliber, "apa") == "Caliber.Az. (n.d.). *Media: Hamas leaders to move to Iraq due to US pressure*."


def test_mla(memri, caliber):
    assert cite_report(memri, "mla", container=JTTM) == (
        '"Outlet Affiliated with Iran-Backed Iraqi Militia Publishes Photos Showing Leaders Attending Inauguration of '
        "Hamas Office in Baghdad, Anti-Iran Account on X: New Office to Test Whether Baghdad Suitable Alternative for "
        'Hamas Top Leadership in Qatar." *Jihad and Terrorism Threat Monitor*, Middle East Media Research Institute, '
        "24 June 2024."
    )
    caliber.url = "https://caliber.az/en/post/1"
    assert cite_report(caliber, "mla", accessed=date(2025, 9, 3)) == (
        '"Media: Hamas Leaders to Move to Iraq Due to US Pressure." *Caliber.Az*, caliber.az/en/post/1. '
        "Accessed 3 Sept. 2025."
    )


def test_intel_line():
    src = Source(id=5, name="Shafaq News", kind="outlet", affiliation="anti-Iran Iraqi news website", reliability="B")
    r = make_report(title="No camp for Hamas", source=src, published="2024-06-13", url="https://shafaq.com/en/x",
                    credibility=3)
    assert cite_report(r, "intel") == (
        'Shafaq News (anti-Iran Iraqi news website), "No camp for Hamas", 13 Jun 2024, <https://shafaq.com/en/x>. '
        "Source B, information 3."
    )
    claim = make_claim(text="x" * 300, chain=["Shafaq News"], credibility=5)
    out = cite_claim(claim, r, "intel")
    assert out.endswith("Source B, information 5.")
    assert "\u2026" in out and "x" * 300 not in out  # excerpt ellipsised


def test_markdown(caliber, relayed_claim):
    caliber.url = "https://caliber.az/en/post/1"
    assert cite_report(caliber, "markdown") == (
        "Caliber.Az, [Media: Hamas leaders to move to Iraq due to US pressure](https://caliber.az/en/post/1), n.d."
    )
    out = cite_claim(relayed_claim, caliber, "markdown")
    assert out.startswith("\u201cThe Iraqi government approved the move last month\u201d \u2014 informed Iraqi sources, "
                          "quoted by The National, via Caliber.Az: [")


def test_markdown_escapes_and_refuses_unsafe_links():
    r = make_report(title="Click [here](javascript:alert(1)) *now*", url="javascript:alert(1)")
    out = cite_report(r, "markdown")
    assert not re.search(r"(?<!\\)\]\(javascript", out)  # no live link
    assert "\\[here\\]" in out and "\\*now\\*" in out


# --- missing fields -----------------------------------------------------------------------------


BARE = make_report(title="Bare report")
NO_TITLE = make_report(title="", source=Source(id=1, name="X"))


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("report", [BARE, NO_TITLE, make_report(title="Q?", published="2024")],
                         ids=["bare", "no-title", "question"])
def test_missing_fields_never_print_none_or_empty_parens(style, report):
    for out in (cite_report(report, style), cite_claim(make_claim(), report, style),
                cite_claim(make_claim(text="", chain=[]), report, style)):
        assert "None" not in out
        assert "()" not in out and "( )" not in out
        assert '""' not in out
        assert ",," not in out and ".." not in out.replace("...", "") and ", ," not in out
        assert ".," not in out and "?," not in out and '?,"' not in out and "?." not in out
        assert out.strip() == out.rstrip("\n").strip() and out


def test_no_date_is_nd():
    assert "n.d." in cite_report(BARE, "chicago-note")
    assert "n.d." in cite_report(BARE, "chicago-bib")
    assert "(n.d.)" in cite_report(BARE, "apa")
    assert "n.d." not in cite_report(BARE, "mla")


def test_no_author_org_is_author_and_author_is_inverted(memri):
    memri.author = "Jane Doe"
    assert cite_report(memri, "chicago-bib").startswith('Doe, Jane. "Outlet')
    assert cite_report(memri, "apa").startswith("Doe, J. (2024, June 24).")
    assert cite_report(memri, "mla").startswith('Doe, Jane. "Outlet')
    assert "AU  - Doe, Jane" in cite_report(memri, "ris")
    memri.author = None
    assert cite_report(memri, "apa").startswith("Middle East Media Research Institute. (2024")


def test_title_question_mark_takes_no_extra_punctuation():
    r = make_report(title="Is Hamas moving to Baghdad?", source=Source(id=1, name="Caliber.Az"), published="2024-06")
    assert cite_report(r, "chicago-note") == 'Caliber.Az, "Is Hamas Moving to Baghdad?" June 2024.'
    assert cite_report(r, "chicago-bib") == 'Caliber.Az. "Is Hamas Moving to Baghdad?" June 2024.'
    assert cite_report(r, "apa") == "Caliber.Az. (2024, June). *Is Hamas moving to Baghdad?*"


def test_partial_dates():
    assert parse_partial_date("2024-06-24").day == 24
    assert parse_partial_date("2024-06").day is None
    assert parse_partial_date("2024").month is None
    assert parse_partial_date("2024-06-24T10:00:00Z").day == 24
    for bad in ("2024-13-01", "2024-02-30", "June 2024", "", "0000", None, 20240624):
        assert parse_partial_date(bad) is None
    r = make_report(title="T", published="2024-02")
    assert "(2024, February)" in cite_report(r, "apa")
    assert "PY  - 2024\nDA  - 2024/02//" in cite_report(r, "ris")
    assert "n.d." in cite_report(make_report(title="T", published="garbage"), "chicago-note")


def test_accessed_date():
    r = make_report(title="T", url="https://e.com/a")
    assert "accessed March 2, 2025" in cite_report(r, "chicago-note", accessed=date(2025, 3, 2))
    assert "Retrieved March 2, 2025, from https://e.com/a" in cite_report(r, "apa", accessed=date(2025, 3, 2))
    assert "urldate = {2025-03-02}" in cite_report(r, "bibtex", accessed=date(2025, 3, 2))
    assert "Y2  - 2025/03/02/" in cite_report(r, "ris", accessed=date(2025, 3, 2))
    r.published = "2024-01-01"  # dated: Chicago and APA leave the access date out
    assert "accessed" not in cite_report(r, "chicago-note", accessed=date(2025, 3, 2))


def test_unknown_style():
    with pytest.raises(ValueError):
        cite_report(BARE, "harvard")


# --- BibTeX and RIS -----------------------------------------------------------------------------


def test_bibtex_escape():
    assert bibtex_escape("A & B 100% $5 #1 a_b {x} ~ ^ \\") == (
        # braces as commands: BibTeX counts "\{" and "\}" as group braces (issue 17.8)
        r"A \& B 100\% \$5 \#1 a\_b \textbraceleft{}x\textbraceright{} \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{}"
    )


def _braces_balanced(text: str) -> bool:
    depth = 0
    text = re.sub(r"\\[{}]", "", text)
    for ch in text:
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_entry(memri, caliber):
    out = cite_report(memri, "bibtex", container=JTTM)
    assert out.startswith("@online{memri-2024-outlet,\n")
    assert "  author = {{Middle East Media Research Institute}},\n" in out
    assert "  date = {2024-06-24},\n" in out and out.endswith("}\n")
    assert cite_report(caliber, "bibtex").startswith("@online{caliberaz-nd-media,")
    nasty = make_report(title="{Evil} } & 50% $x #y_z ~ ^ \\end", url="https://e.com/a{b}%20c",
                        source=Source(id=1, name="Ünïcode & Co"), published="2023")
    out = cite_report(nasty, "bibtex")
    assert _braces_balanced(out)
    assert out.startswith("@online{unicodeco-2023-evil,")
    assert "url = {https://e.com/a%7Bb%7D%20c}" in out
    assert cite_report(nasty, "bibtex") == out  # stable


def test_ris_is_valid(memri, caliber, relayed_claim):
    for out in (cite_report(memri, "ris", container=JTTM), cite_claim(relayed_claim, caliber, "ris")):
        lines = out.rstrip("\n").split("\n")
        assert lines[0] in ("TY  - NEWS", "TY  - ELEC")
        assert lines[-1] == "ER  - "
        assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
    out = cite_report(memri, "ris", container=JTTM)
    assert "TI  - " + MEMRI_TITLE in out and "T2  - " + JTTM in out and "PB  - Middle East Media Research Institute" in out
    assert "DA  - 2024/06/24/" in out and "PY  - 2024" in out
    account = make_report(title="a post\nER  - injected", source=Source(id=9, name="Iraqi Minister", kind="account"))
    out = cite_report(account, "ris")
    assert out.startswith("TY  - ELEC\n")
    assert out.count("ER  - ") == 1 and out[-8:] == "\nER  - \n"


# --- capitalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize("given_, expected", [
    ("the war over the border", "The War over the Border"),
    ("what they are fighting for", "What They Are Fighting For"),
    ("Media: a new front", "Media: A New Front"),
    ("US and UK sanctions on MEMRI", "US and UK Sanctions on MEMRI"),
    ("iPhone sales in the McDonald era", "iPhone Sales in the McDonald Era"),
    ("out-of-date iran-backed groups", "Out-of-Date Iran-Backed Groups"),
    ("HAMAS LEADERS TO MOVE TO IRAQ", "Hamas Leaders to Move to Iraq"),
    ("\"quoted\" words as a test", "\"Quoted\" Words as a Test"),
    ("", ""),
    # where citeproc-py and the CSL styles were right (tests/test_csl.py):
    ("possible Hamas premises in al-Jadriya", "Possible Hamas Premises in al-Jadriya"),
    ("al-Sudani meets Haniyeh", "Al-Sudani Meets Haniyeh"),
    ("the 1990s: a decade", "The 1990s: A Decade"),
    ("Gene Sharp dies at 90", "Gene Sharp Dies at 90"),
    ("Trump's speech was bad. the response was worse", "Trump's Speech Was Bad. The Response Was Worse"),
    ("Mr. Haniyeh in Baghdad", "Mr. Haniyeh in Baghdad"),
])
def test_title_case(given_, expected):
    assert title_case(given_) == expected


@pytest.mark.parametrize("given_, expected", [
    ("Hamas Leaders To Move To Iraq Due To US Pressure", "Hamas leaders to move to Iraq due to US pressure"),
    ("Media: Hamas leaders to move to Iraq", "Media: Hamas leaders to move to Iraq"),
    ("Prime Minister Mohammed Shia Al Sudani Speaks To Haniyeh",
     "Prime Minister Mohammed Shia Al Sudani speaks to Haniyeh"),
    ("The Foreign Ministry Denies The Report", "The foreign ministry denies the report"),
    ("A New Office In Baghdad", "A new office in Baghdad"),
    ("lowercase title here", "Lowercase title here"),
])
def test_sentence_case(given_, expected):
    assert sentence_case(given_) == expected


def test_sentence_case_uses_body_as_hint():
    title = "Islamic State Claims Attack On Convoy"
    assert sentence_case(title) == "Islamic state claims attack on convoy"
    body = "Fighters of the Islamic State said on Sunday that the attack on the convoy killed 12."
    assert sentence_case(title, body) == "Islamic State claims attack on convoy"


# --- untrusted text -----------------------------------------------------------------------------

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def test_strip_controls():
    assert strip_controls("a\x1b[31mb\u202ec\x85d\te\nf\x7f") == "a[31mbcd\te\nf"


def test_control_characters_removed_from_every_style():
    src = Source(id=1, name="Evil\u202e News\x1b[2J", full_name="Evil\x00 Corp\u2066", affiliation="\x9bbad",
                 reliability="C", kind="outlet")
    r = make_report(title="Title\x07 with\u202e\nbidi", source=src, author="J\x08ane Doe", url="https://e.com/\x00",
                    published="2024-06-01")
    c = make_claim(text="said \x1b]0;pwned\x07 this", chain=["a\u2067b", "Evil\u202e News\x1b[2J"])
    for style in STYLES:
        for out in (cite_report(r, style), cite_claim(c, r, style)):
            assert not FORBIDDEN.search(out), (style, out)


text_st = st.text(max_size=80)
opt_text = st.none() | text_st
published_st = st.none() | text_st | st.dates().map(lambda d: d.isoformat()) | st.from_regex(
    r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")


@st.composite
def reports(draw):
    source = draw(st.none() | st.builds(
        Source, id=st.integers(), name=text_st, kind=text_st, affiliation=opt_text,
        reliability=text_st | st.sampled_from("ABCDEF"), full_name=opt_text, url=opt_text))
    return make_report(title=draw(text_st), body=draw(st.text(max_size=200)), source=source, author=draw(opt_text),
                       url=draw(opt_text), published=draw(published_st), language=draw(opt_text),
                       tags=draw(st.lists(text_st, max_size=3)), credibility=draw(st.integers(-3, 9)))


claims = st.builds(
    make_claim, text=text_st, speaker=opt_text, speaker_resolved=opt_text, chain=st.lists(text_st, max_size=4),
    credibility=st.integers(-3, 9))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), claim=claims, style=st.sampled_from(list(STYLES)), container=opt_text,
       accessed=st.none() | st.dates())
def test_never_raises_and_never_emits_controls(report, claim, style, container, accessed):
    for out in (cite_report(report, style, accessed=accessed, container=container),
                cite_claim(claim, report, style, accessed=accessed, container=container)):
        assert isinstance(out, str) and out
        assert not FORBIDDEN.search(out)
        if style == "bibtex":
            assert _braces_balanced(out)
        if style == "ris":
            lines = out.rstrip("\n").split("\n")
            assert lines[-1] == "ER  - " and all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
        else:
            assert "\n" not in out.rstrip("\n") or style == "bibtex"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.none() | st.text(max_size=200))
def test_case_functions_never_raise(title, hint):
    assert isinstance(title_case(title), str)
    assert isinstance(sentence_case(title, hint), str)
