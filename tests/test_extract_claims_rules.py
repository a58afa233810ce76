"""Claim rows must be propositions someone asserts, attributed to actors (short texts written for these tests)."""

from __future__ import annotations

import pytest

from db.extract import extract


def _claims(body):
    ex = extract(body)
    for c in ex.claims:
        assert body[c.start:c.end] == c.text
    return ex.claims


def _claim_with(claims, fragment):
    hits = [c for c in claims if fragment in c.text]
    assert hits, f"no claim contains {fragment!r}: {[(c.speaker, c.text) for c in claims]}"
    return min(hits, key=lambda c: len(c.text))


def _no_claim_with(claims, fragment):
    hits = [(c.speaker, c.text) for c in claims if fragment in c.text]
    assert not hits, f"unexpected claim rows: {hits}"


@pytest.mark.parametrize("body,fragment,speaker", [
    ("The clinic ran out of fuel on Tuesday, said Dr. Sherine Abed, who runs it.", "The clinic ran out", "Dr. Sherine Abed"),
    ("\"We were waiting for the order for weeks,\" said Mr. Rhodes, the adviser.", "waiting for the order", "Mr. Rhodes"),
    ("The talks have stalled over the border, said Gen. J. R. Allen on Monday.", "talks have stalled", "Gen. J. R. Allen"),
], ids=["dr", "mr_after_quote", "title_and_initials"])
def test_a_title_period_does_not_cut_the_speaker(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker


def test_a_figure_with_a_thousands_comma_is_not_split_into_a_speaker():
    c = _claim_with(_claims("Around 10,000 militants said the city had fallen to them overnight."), "the city had fallen")
    assert c.speaker == "Around 10,000 militants"


@pytest.mark.parametrize("body,fragment", [
    ("The Israeli government has previously neither confirmed nor denied that it carried out the strike.",
     "carried out the strike"),
    ("Explaining why he believes the deal is dead, the minister pointed to the missed deadlines.",
     "the deal is dead"),
    ("But here's what I want you to know about the state of the roads this winter.", "the roads"),
], ids=["negated_verb", "participial_opener", "cleft"])
def test_sentence_fragments_are_not_speakers(body, fragment):
    _no_claim_with(_claims(body), fragment)


def test_a_name_then_a_pronoun_subject_is_the_pronoun():
    claims = _claims("Democratic candidate Hillary Clinton said Wednesday she, too, wants an inquiry. "
                     "Senator Jo Hart said Monday she believes the inquiry will clear the agency.")
    assert _claim_with(claims, "the inquiry will clear").speaker == "she"


@pytest.mark.parametrize("body,fragment", [
    ("The ambassador recalled him from the post after the incident in the capital.", "from the post"),
    ("He is now advising the campaign on foreign policy and energy matters.", "the campaign on foreign policy"),
    ("Senator Smith accused of taking bribes from the construction firm", "taking bribes"),
    ("Trump has broken rules in the primaries and shows little inclination to change course.", "little inclination"),
    ("The governor wants the legislature to pass the budget by June.", "the legislature to pass"),
    ("Hillary Clinton has been expanding her networks in states that vote later in the calendar.", "vote later"),
], ids=["recalled", "advising", "accused_of_headline", "shows_noun_phrase", "want", "states_noun"])
def test_verbs_that_report_no_proposition_make_no_claim(body, fragment):
    _no_claim_with(_claims(body), fragment)


@pytest.mark.parametrize("body,fragment,speaker", [
    ("He recalled in 2008 that the station did not take the campaign seriously.", "did not take", "He"),
    ("The survey shows that most voters oppose the new tax on fuel.", "most voters oppose", "The survey"),
    ("Minning ultimately did not run, and Farley said she was never heard from again.", "never heard", "Farley"),
], ids=["recalled_that", "shows_that", "and_clause_is_no_apposition"])
def test_reporting_uses_of_the_same_verbs_still_count(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker
