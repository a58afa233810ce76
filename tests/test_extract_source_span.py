"""The speaker as written keeps its apposition; the actor (speaker_resolved) stays the name."""

from __future__ import annotations

import pytest

from db.extract import extract


def _row(body: str, fragment: str):
    hits = [c for c in extract(body).claims if fragment in c.text]
    assert hits, [(c.speaker, c.text) for c in extract(body).claims]
    return min(hits, key=lambda c: len(c.text))


@pytest.mark.parametrize("body, fragment, written, actor", [
    ("Tad Devine, Sanders' senior media adviser, said Republicans are engaged in misguided mischief.",
     "Republicans are engaged", "Tad Devine, Sanders' senior media adviser", "Tad Devine"),
    ('"This campaign is changing American politics," Jeff Weaver, Sanders\' campaign manager, said in a statement.',
     "This campaign is changing", "Jeff Weaver, Sanders' campaign manager", "Jeff Weaver"),
    ('"It is my last chance to meet an honest politician," said Stacey Edwards, 31, with her son in tow.',
     "my last chance", "Stacey Edwards, 31", "Stacey Edwards"),
    ('"The budget is a fantasy," said Mary Kay Henry, president of the Service Employees International Union.',
     "The budget is a fantasy", "Mary Kay Henry, president of the Service Employees International Union",
     "Mary Kay Henry"),
    ("Rosa Lind, a historian of the port, for example, said the docks were older than the town.",
     "the docks were older", "Rosa Lind, a historian of the port", "Rosa Lind"),
    ("Larry Cohen, a senior adviser to Mr. Sanders, has also said that the party is split.",
     "the party is split", "Larry Cohen, a senior adviser to Mr. Sanders", "Larry Cohen"),
], ids=["role_in_title_case", "role_after_quote", "age_then_with", "inverted_to_sentence_end", "aside_dropped",
        "auxiliaries_dropped"])
def test_apposition_is_written_and_the_name_is_the_actor(body, fragment, written, actor):
    c = _row(body, fragment)
    assert (c.speaker, c.speaker_resolved) == (written, actor)
    assert body.find(c.speaker) >= 0  # as written: a slice of the text


@pytest.mark.parametrize("body, fragment, speaker", [
    ("In Ohio, the senator said the plan is dead for this year.", "the plan is dead", "the senator"),
    ("He said the plan is dead for this year, and she agreed.", "the plan is dead", "He"),
    ("Mr. Obama, speaking in Ohio, said the plan is dead for this year.", "the plan is dead", "Mr. Obama"),
], ids=["opening_phrase_is_no_name", "pronoun_untouched", "participle_aside_not_an_apposition"])
def test_no_apposition_is_invented(body, fragment, speaker):
    c = _row(body, fragment)
    assert c.speaker == speaker
    assert "Ohio" not in (c.speaker_resolved or "")
