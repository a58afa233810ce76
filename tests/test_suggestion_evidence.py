"""Suggested links an analyst can trust (issue 20): a denial worded unlike what it denies is found
by its event, actors and date, from an independent speaker, once per denying and asserting
origin, with its reason; a stray "no" is no denial; the same event told in other words by an
independent origin corroborates, a plan does not corroborate a deed."""

from __future__ import annotations

import pytest

from db.analysis.denials import denied_frames, main_event, prospective, same_named_speaker
from db.analysis.event_frames import frames_of
from tests.factories import add_extracted_report, claim, entity

ASSERTION = ("BAGHDAD — Hamas will open an office in Baghdad, informed sources told the Tigris Post. Within two days "
             "Hamas will inaugurate an office in Baghdad for media work with the Iraqi government's approval, one of "
             "the sources said.")
DENIAL = ("BAGHDAD — The Iraqi government has received no request from Hamas for an office in Baghdad, a "
          "government spokesperson said on Friday.\n\n\"No Palestinian faction has applied to any ministry for a "
          "licence to open an office, and no approval has been issued,\" the spokesperson said.")
RELAY = ("According to the Tigris Post, Hamas will inaugurate an office in Baghdad within two days with the "
         "government's approval.")
STRAY_NO = ("BAGHDAD — Hamas and Iraqi officials met on Monday, Gulf Wire reported. There had been no meaningful "
            "contact between the mediators and Hamas in Baghdad since then, a diplomat said.")
DEED = ("BAGHDAD — A Hamas office had opened in Baghdad, a contributor told the desk. Neighbours saw guests arrive "
        "at the house.")
DEED_AGAIN = ("DOHA — \"Earlier this month Hamas opened a political office in Baghdad, headed by the senior official "
              "Mohammed Al Hafy. A media bureau is expected to follow in the coming weeks, with staff seconded from "
              "Doha and security arranged by allied factions,\" one of the sources told the Gulf Courier.")
PLAN = "BAGHDAD — Hamas will inaugurate a representative office in Baghdad next month, sources told the Cedar Daily."
ECHO = "The reports said Hamas opened a political office in Baghdad this month, the Desert Times wrote."


def _report(store, title, body, publisher, published, text, speaker, chain=None, *, denial=False, names=()):
    return add_extracted_report(
        store, title=title, body=body, publisher=publisher, published=published, reliability="B",
        claims=[claim(body, text, speaker=speaker, chain=chain or [speaker], is_denial=denial)],
        entities=[entity(body, n, "ORG" if n == "Hamas" else "LOC") for n in names])


def _claim_of(store, report_id):
    return store.claim_ids_for_report(report_id)[0]


@pytest.fixture
def office(store):
    ids = {
        "assertion": _report(store, "Hamas office within days", ASSERTION, "Tigris Post", "2024-06-13",
                             "Within two days Hamas will inaugurate an office in Baghdad for media work with the Iraqi "
                             "government's approval", "one of the sources",
                             ["one of the sources", "Tigris Post"], names=("Hamas", "Baghdad")),
        "denial": _report(store, "Government: no request", DENIAL, "Iraqi News Wire", "2024-06-14",
                          "No Palestinian faction has applied to any ministry for a licence to open an office, and no "
                          "approval has been issued", "a government spokesperson", denial=True,
                          names=("Hamas", "Baghdad")),
    }
    store.update_families(ids.values())
    return ids


def test_a_denial_worded_unlike_what_it_denies_is_suggested_with_its_reason(store, office):
    assertion, denial = _claim_of(store, office["assertion"]), _claim_of(store, office["denial"])
    offered = [s for s in store.suggested_links(assertion) if s.type == "contradicts"]
    assert [s.other_id for s in offered] == [denial]
    reason = offered[0].reason
    assert reason.startswith("denial by a government spokesperson (Iraqi News Wire, 2024-06-14) of Tigris Post's claim")
    assert "same actors" in reason and "Hamas" in reason and "Baghdad" in reason
    assert "same event: approval, opening" in reason and "1 day apart" in reason
    # the same pair from the denial's side, and in the store-wide list, once
    assert [s.other_id for s in store.suggested_links(denial) if s.type == "contradicts"] == [assertion]
    assert [s.pair for s in store.suggested_links() if s.type == "contradicts"] == [tuple(sorted((assertion, denial)))]


def test_a_denial_is_offered_once_per_origin_not_against_each_echo(store, office):
    relay = _report(store, "Hamas office: relay", RELAY, "Valley Herald", "2024-06-14",
                    "Hamas will inaugurate an office in Baghdad within two days with the government's approval",
                    "the Tigris Post", ["Tigris Post"], names=("Hamas", "Baghdad"))
    store.update_families([relay])
    denial = _claim_of(store, office["denial"])
    offered = [s for s in store.suggested_links(denial) if s.type == "contradicts"]
    assert [s.other_id for s in offered] == [_claim_of(store, office["assertion"])]


def test_a_denial_weeks_before_or_long_after_answers_nothing(store, office):
    with store.write():
        store.conn.execute("UPDATE reports SET published = '2024-09-30' WHERE id = ?", (office["denial"],))
    assert [s for s in store.suggested_links(_claim_of(store, office["assertion"])) if s.type == "contradicts"] == []
    with store.write():
        store.conn.execute("UPDATE reports SET published = '2024-05-01' WHERE id = ?", (office["denial"],))
    assert [s for s in store.suggested_links(_claim_of(store, office["assertion"])) if s.type == "contradicts"] == []


def test_an_outlet_repeating_the_assertion_does_not_deny_it(store, office):
    # Its own report of the claim, negated elsewhere in the sentence, is the outlet's, not a second speaker's.
    text = "Hamas has not yet opened the office in Baghdad it will inaugurate with government approval"
    body = f"BAGHDAD — {text}, the Tigris Post reported on Saturday."
    same = _report(store, "Follow-up", body, "Tigris Post", "2024-06-15", text, "the Tigris Post", ["Tigris Post"],
                   names=("Hamas", "Baghdad"))
    store.update_families([same])
    assert all(s.other_id != _claim_of(store, same) for s in store.suggested_links(_claim_of(store, office["assertion"])))


def test_a_stray_no_is_no_denial(store, office):
    stray = _report(store, "Mediators", STRAY_NO, "Gulf Wire", "2024-06-14",
                    "There had been no meaningful contact between the mediators and Hamas in Baghdad since then",
                    "a diplomat", names=("Hamas", "Baghdad"))
    store.update_families([stray])
    assert all(s.type != "contradicts" or _claim_of(store, stray) not in s.pair for s in store.suggested_links())


def test_the_same_deed_told_in_other_words_by_an_independent_origin_corroborates(store):
    deed = _report(store, "Stringer note", DEED, None, "2024-06-17", "A Hamas office had opened in Baghdad",
                   "a contributor", names=("Hamas", "Baghdad"))
    again = _report(store, "Hamas opens office", DEED_AGAIN, "Gulf Courier", "2024-06-20",
                    "Earlier this month Hamas opened a political office in Baghdad, headed by the senior official "
                    "Mohammed Al Hafy. A media bureau is expected to follow in the coming weeks, with staff seconded "
                    "from Doha and security arranged by allied factions", "one of the sources",
                    ["one of the sources", "Gulf Courier"],
                    names=("Hamas", "Baghdad"))
    plan = _report(store, "Hamas to open office", PLAN, "Cedar Daily", "2024-06-18",
                   "Hamas will inaugurate a representative office in Baghdad next month", "sources",
                   names=("Hamas", "Baghdad"))
    echo = _report(store, "Reports", ECHO, "Desert Times", "2024-06-19", "Hamas opened a political office in Baghdad this month",
                   "The reports", names=("Hamas", "Baghdad"))
    store.update_families([deed, again, plan, echo])
    offered = {s.other_id: s for s in store.suggested_links(_claim_of(store, deed)) if s.type == "corroborates"}
    assert _claim_of(store, again) in offered
    assert _claim_of(store, plan) not in offered  # a plan does not confirm a deed
    assert _claim_of(store, echo) not in offered  # "the reports said": no origin of its own
    reason = offered[_claim_of(store, again)].reason
    assert "independent origin" in reason and "same event: opening" in reason


@pytest.mark.parametrize(("text", "flagged", "frames"), [
    ("no approval has been issued", False, {"approval"}),
    ("it had received no request and approved nothing", False, {"approval"}),
    ("there had been no meaningful contact between the mediators", False, set()),
    ("Levant Wire could not verify them", False, set()),
    ("There is no plan to move the leadership. They want to pressure the movement in the talks", True, {"relocation"}),
])
def test_what_a_denial_denies(text, flagged, frames):
    assert denied_frames(text, flagged) == frames


def test_event_frames_mood_and_speakers():
    assert frames_of("the movement will inaugurate an office") == {"opening"}
    assert frames_of("the Hamas movement, a source close to it said") == frozenset()  # not "move", not "close"
    assert main_event("held discussions on opening such an office") == "talks"
    assert main_event("Hamas opened a political office") == "opening"
    assert prospective("Hamas is preparing to open an office") and not prospective("Hamas opened an office")
    assert same_named_speaker("a government spokesperson", "The Iraqi government")
    assert not same_named_speaker("the official", "a Hamas official")  # anonymous: never assumed one
    assert not same_named_speaker("a spokesman", "the spokesman")  # a role names nobody


def _growth(function, make, small: int = 4000, factor: int = 16) -> float:
    """Cost per character at ``factor`` times the size over the small size's, in CPU time (seven
    engineers share two cores: wall time measures them), the least of three runs each."""
    import time

    def cpu(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            function(text)
            best = min(best, time.process_time() - started)
        return max(best, 1e-4)

    return cpu(make(small * factor)) / (factor * cpu(make(small)))


def test_reading_events_is_linear_in_hostile_text():
    # frames_of.__wrapped__: past its cache, which would time a repeated run at nothing
    assert _growth(frames_of.__wrapped__, lambda n: "no open set up " * n) < 3.5
    assert _growth(lambda t: denied_frames(t, False), lambda n: "no " * n) < 3.5


def test_a_claim_rated_in_the_ach_matrix_is_among_the_claims_of_the_brief(store, office):
    """Found in tmux: claims added to the matrix and rated there were in its table but not among
    "The claims and their grades", which listed only claims given a stance."""
    from db.analysis.brief import render

    hypothesis = store.create_hypothesis("Hamas opens an office in Baghdad")
    denial = _claim_of(store, office["denial"])
    store.set_ach_cell([denial], hypothesis, "II")
    claims_section = render(store, hypothesis).split("## The claims and their grades", 1)[1].split("\n## ", 1)[0]
    assert f"### Claim {denial}: Iraqi News Wire" in claims_section
    assert "(refutes the hypothesis)" in render(store, hypothesis)


def test_names_around_a_claim_are_read_in_linear_time():
    """Found by profiling: each capitalised word was checked against every entity mention."""
    from db.analysis.denials import _names

    def names(body: str) -> None:
        mentions = [(i, i + 5, "Hamas", 1) for i in range(0, len(body), 12)]
        _names(body, 0, len(body), mentions)

    assert _growth(names, lambda n: "Hamas Alpha " * n, small=500) < 3.5
