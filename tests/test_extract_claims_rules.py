"""Claim rows must be propositions someone asserts, attributed to actors (short texts written for these tests)."""

from __future__ import annotations

import pytest

from db.extract import extract
from tests.factories import is_speaker as _is_speaker


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
    assert _is_speaker(_claim_with(_claims(body), fragment), speaker)


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


def test_a_phrase_closed_by_a_subject_pronoun_is_the_pronoun():
    from db.extract.attribution import _not_a_fragment
    assert _not_a_fragment("Democratic candidate Hillary Clinton said Wednesday she") == "she"
    assert _not_a_fragment("Texas Sen. Ted Cruz is making a pitch to New York voters") == "Texas Sen. Ted Cruz"
    assert _not_a_fragment("Polk County GOP Chairman Will Rogers") == "Polk County GOP Chairman Will Rogers"


def test_a_belief_nested_in_the_same_speakers_statement_is_one_row():
    claims = _claims("Senator Jo Hart said on Monday she believes the inquiry will clear the agency.")
    rows = [c for c in claims if "the inquiry will clear" in c.text]
    assert len(rows) == 1 and rows[0].speaker == "Senator Jo Hart"


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


def test_relay_chain_is_carried_through_anaphoric_sources():
    body = ("Ankara Post: the port will reopen\n"
            "The port will reopen next week, Ankara Post quotes informed Turkish sources as saying in a "
            "conversation with The Ledger.\n"
            "Ships from the south will be checked first, the sources added.\n"
            "The move was confirmed by a senior port official. The harbour fees will rise, the senior port "
            "official said.")
    claims = _claims(body)
    relay = ["informed Turkish sources", "The Ledger", "Ankara Post"]
    assert _claim_with(claims, "The port will reopen next week").chain == relay
    c = _claim_with(claims, "Ships from the south")
    assert c.speaker_resolved == "informed Turkish sources" and c.chain == relay
    c = _claim_with(claims, "The harbour fees will rise")
    assert c.speaker_resolved == "a senior port official"
    assert c.chain[-2:] == ["The Ledger", "Ankara Post"]


def test_a_described_relay_is_the_outlet_and_a_quoted_source_keeps_it():
    body = ("On Monday, Shafaq News, an Iraqi news website, reported that the office will open.\n"
            "The online outlet cited \"informed sources\" as saying that the office will open within two days.\n"
            "On June 15, the Lebanese daily Al-Akhbar published an article about the visit.\n"
            "The daily added that \"informed sources\" confirmed that the two sides discussed the office.")
    claims = _claims(body)
    assert _claim_with(claims, "within two days").chain == ["informed sources", "Shafaq News"]
    rows = [c for c in claims if "the two sides discussed" in c.text]
    assert len(rows) == 1, [(c.speaker, c.text) for c in rows]
    assert rows[0].speaker == "informed sources" and rows[0].chain == ["informed sources", "Al-Akhbar"]


def test_an_account_on_a_platform_is_the_speaker_not_the_platform():
    body = ("On April 24, \"Iraqi Minister,\" an anonymous account on X, claimed that the office was to open "
            "near the airport.[2]\n"
            "The account further claimed that the office will test whether the city is safe for the leaders.\n"
            "[2] X, April 24, 2024.")
    c = _claim_with(_claims(body), "the office will test")
    assert c.speaker_resolved == "Iraqi Minister"


def test_a_pronoun_never_resolves_to_a_place():
    for body in ("The delegation met officials in Baghdad, which said the talks would resume in the spring.",
                 "The delegation arrived in Baghdad on Monday, which said the talks would resume in the spring."):
        c = _claim_with(_claims(body), "the talks would resume")
        assert c.speaker_resolved is None or "Baghdad" not in c.speaker_resolved, c.speaker_resolved


@pytest.mark.parametrize("body, content", [
    ("The airline said in a statement that it was inviting families to Surabaya.", "it was inviting families"),
    ("The army said in a statement on its website that two soldiers were killed.", "two soldiers were killed"),
    ("The ministry said on Tuesday that the road would reopen.", "the road would reopen"),
    ("He said in an interview with Al Jazeera that the talks had failed.", "the talks had failed"),
    ("She said in the town that was bombed no one survived.", "in the town that was bombed"),  # a place: kept
    ("The minister said at a news conference in Baghdad that the talks will resume.", "the talks will resume"),
    ("Smith, a spokesman, said on Monday the road would reopen.", "the road would reopen"),
    ("He said Monday night that the deal was off.", "the deal was off"),
])
def test_how_or_when_it_was_said_is_not_what_was_said(body, content):
    assert _claim_with(_claims(body), content).text.startswith(content)


@pytest.mark.parametrize("body, content, speaker", [
    ("India needs several reforms in the banking sector, Finance Minister Arun Jaitley told reporters on the "
     "sidelines of a two-day banking retreat.", "India needs several reforms", "Finance Minister Arun Jaitley"),
    ("Drought, wind and flooding topped the list of natural disasters that endanger 1,700 military sites, from "
     "large bases to outposts, said the US Department of Defense (DoD).", "Drought, wind and flooding topped",
     "the US Department of Defense (DoD)"),
], ids=["told_reporters_where", "list_before_inverted_cue"])
def test_the_content_before_the_cue_is_what_was_said(body, content, speaker):
    c = _claim_with(_claims(body), content)
    assert c.text.startswith(content) and c.speaker == speaker


def test_an_apposition_left_open_by_a_clause_has_the_cues_own_subject():
    body = ("David Mueller, the DJ sacked after Taylor Swift complained he had groped her at a meet-and-greet, "
            "has been hired by a radio station.")
    assert _claim_with(_claims(body), "he had groped her").speaker == "Taylor Swift"
    body = "Shafaq News, an Iraqi news website, said the office would open."  # closed: the head speaks
    assert _claim_with(_claims(body), "the office would open").speaker_resolved == "Shafaq News"


def test_a_body_described_is_not_the_person_whose_title_names_it():
    body = ('"My heart is filled with sadness for all the families," airline boss Tony Fernandes tweeted.\n\n'
            "The pilot was experienced and the plane last underwent maintenance in mid-November, the airline said.")
    c = _claim_with(_claims(body), "The pilot was experienced")
    assert c.speaker == "the airline"
    assert c.speaker_resolved is None or "Fernandes" not in c.speaker_resolved, c.speaker_resolved
    body = "The health ministry said 40 people were wounded.\n\nThe ministry said the toll could rise."
    assert _claim_with(_claims(body), "the toll could rise").speaker_resolved == "The health ministry"  # a body still


def test_an_outlet_named_with_the_is_not_a_description_taking_up_another_name():
    body = ("AT&T agreed to buy Time Warner last year. The Financial Times first reported the news on Wednesday, "
            "citing three people. The New York Times reported that AT&T had been told to sell Turner Broadcasting.")
    claims = _claims(body)
    assert _claim_with(claims, "the news on Wednesday").speaker_resolved == "Financial Times"
    assert _claim_with(claims, "had been told to sell").speaker_resolved == "New York Times"


@pytest.mark.parametrize("body,fragment", [
    ("The commander is believed to be hiding near the border with Syria.", "hiding near the border"),
    ("The convoy was reportedly hit by two drones near the airport on Sunday.", "hit by two drones"),
    ("The militia leader is thought to have fled to the north of the country.", "fled to the north"),
], ids=["believed_to_be", "reportedly", "is_thought_to"])
def test_unattributed_hedged_reporting_is_a_hedged_claim_with_no_speaker(body, fragment):
    c = _claim_with(_claims(body), fragment)
    assert c.speaker is None and c.speaker_resolved is None and c.is_hedged


def test_the_subject_of_is_expected_to_is_not_a_speaker():
    claims = _claims("The country is expected to be among the major contributors to reconstruction.")
    assert all(c.speaker != "The country" for c in claims)


@pytest.mark.parametrize("body,fragment,hedged", [
    ("Weekly unemployment claims rose to 250,000 last week, the department said.", "rose to 250,000", False),
    ("The minister said the plan might fail if the talks collapse next month.", "might fail", True),
    ("The minister said the convoy may have been hit by mistake near the border.", "may have been hit", True),
    ("The minister said the ceasefire will begin in May across the whole region.", "begin in May", False),
], ids=["unemployment_claims", "might", "may", "may_month"])
def test_hedge_flag(body, fragment, hedged):
    assert _claim_with(_claims(body), fragment).is_hedged is hedged


@pytest.mark.parametrize("body,fragment,denial", [
    ("The ministry said it would neither confirm nor deny that its jets struck the convoy.", "its jets struck", False),
    ("The group said it was not responsible for the attack on the embassy.", "not responsible", True),
    ("The army denied that its troops had entered the village overnight.", "troops had entered", True),
], ids=["neither_confirm_nor_deny", "not_responsible", "denied"])
def test_denial_flag(body, fragment, denial):
    claims = _claims(body)
    hits = [c for c in claims if fragment in c.text]
    assert hits and all(c.is_denial is denial for c in hits), [(c.text, c.is_denial) for c in hits]


def test_neither_confirmed_nor_denied_makes_no_row_for_a_fragment_speaker():
    claims = _claims("The ministry neither confirmed nor denied that its jets struck the convoy.")
    assert all("neither" not in (c.speaker or "") and "nor" not in (c.speaker or "").split() for c in claims)
    assert not any(c.is_denial for c in claims)


@pytest.mark.parametrize("body,fragment", [
    ('The minister said, "We will not allow the border to close again this year."', "We will not allow"),
    ('The minister said the deal was "dead in the water" after the vote in parliament.', "dead in the water"),
], ids=["said_comma_quote", "partial_quote"])
def test_quoted_speech_is_flagged(body, fragment):
    assert _claim_with(_claims(body), fragment).is_quote


def test_a_trailing_footnote_mark_is_left_out_of_the_claim_and_still_cites_it():
    body = ("On June 11, a Telegram channel posted photos of what it said was the opening of the office.[1]\n\n"
            "[1] Telegram, June 11, 2024.\n")
    ex = extract(body)
    c = min((c for c in ex.claims if "the opening of the office" in c.text), key=lambda c: len(c.text))
    assert not c.text.rstrip().endswith("]")
    marker = ex.cited_sources[0].markers[0]
    assert 0 <= marker[0] - c.end <= 40  # the store links a claim to the mark that closely follows it


def test_first_person_statements_of_a_press_release_are_the_issuers():
    body = ("Statement on the attack in Kabul\n\n"
            "We condemn the attack on the embassy in the strongest terms and stand with the victims.\n")
    c = _claim_with(extract(body, publisher="Ministry of Foreign Affairs").claims, "the attack on the embassy")
    assert c.speaker_resolved == "Ministry of Foreign Affairs"


def test_one_row_per_sentence_in_a_relay_of_sources():
    body = ("According to the sources, the move was reviewed last month by the two leaders, who spoke by "
            "telephone, the senior MP said.")
    rows = [c for c in _claims(body) if "reviewed last month" in c.text]
    assert len(rows) == 1, [(c.speaker, c.text) for c in rows]


@pytest.mark.parametrize("body", [
    "Why The United States Backs Israel Over The Objections Of Allies",
    "Officials said The United States will not accept the terms of the deal.",
])
def test_the_united_states_is_not_the_verb_state(body):
    assert all(c.cue not in ("states", "state") for c in _claims(body))


@pytest.mark.parametrize("body,fragment", [
    ("The episode was revealed last week in documents made public by the investigators.", "in documents made public"),
    ("Clinton has been asked to release the transcripts of these speeches many times.", "release the transcripts"),
    ("Three city commissioners were charged with receiving bribes from the developers.", "receiving bribes"),
    ("\"Eight years ago she was the favourite, and, as they say in baseball, he boat-raced her,\" he said.",
     "he boat-raced her"),
], ids=["passive_revealed", "passive_asked", "passive_charged", "as_they_say"])
def test_a_subject_of_a_passive_or_an_idiom_is_not_a_speaker(body, fragment):
    claims = _claims(body)
    bad = [(c.speaker, c.text) for c in claims if fragment in c.text and c.speaker and c.speaker.lower() in (
        "the episode", "clinton", "three city commissioners", "they")]
    assert not bad, bad


def test_an_adjectival_worry_keeps_its_subject():
    c = _claim_with(_claims("The Mexican government is worried that the rhetoric could hurt trade with the north."),
                    "the rhetoric could hurt")
    assert c.speaker == "The Mexican government"


@pytest.mark.parametrize("body", [
    "The Latest: Clinton leads in the polls\nWASHINGTON (AP) - The Latest on the campaign in the lead up to the vote.",
    "They have names, and hopes and dreams that deserve to be respected by everyone here.",
    "He still has to go through a round of follow-up questions from the committee and a vote.",
], ids=["rubric_headline", "plural_noun_hopes", "plural_noun_questions"])
def test_rubrics_and_plural_nouns_make_no_claim(body):
    assert not _claims(body), [(c.speaker, c.cue, c.text) for c in _claims(body)]


def test_he_does_not_resolve_to_a_person_the_text_shows_is_a_woman():
    body = ("Ms. Maria Lopez chaired the hearing, and she opened it. Mrs. Lopez said the budget was late. "
            "Ms. Lopez said her office had asked twice.\n"
            "He said the ministry would answer by Friday.")
    c = _claim_with(_claims(body), "the ministry would answer")
    assert c.speaker_resolved is None or "Lopez" not in c.speaker_resolved


def test_a_clause_is_not_a_speaker_and_an_adverb_is_not_part_of_one():
    claims = _claims("Karenga matter-of-factly explained that the forces out to get him included the FBI. "
                     "David Duke invented a holiday, which he based on the book, and teachers began celebrating it.")
    assert _claim_with(claims, "the forces out to get him").speaker == "Karenga"
    assert all("invented" not in (c.speaker or "") for c in claims)


@pytest.mark.parametrize("body,fragment", [
    ("Informed sources told Shafaq News that the office will open in Baghdad within two days.", "the office will open"),
    ("The office will open in Baghdad within two days, informed sources told Shafaq News.", "The office will open"),
    ("According to informed sources who spoke to Shafaq News, the office will open within two days.",
     "the office will open"),
], ids=["told_outlet_that", "content_then_told_outlet", "according_to_sources_who_spoke_to"])
def test_an_outlet_told_is_a_relay_in_the_chain(body, fragment):
    c = _claim_with(_claims(body), fragment)
    assert c.speaker.lower() == "informed sources" and c.chain[-1] == "Shafaq News", (c.speaker, c.chain)


def test_a_person_told_is_no_relay():
    c = _claim_with(_claims("The minister told Clinton that the talks would resume next month in Geneva."),
                    "the talks would resume")
    assert c.chain == ["The minister"]


def test_a_pronoun_in_a_fronted_clause_is_the_main_clauses_subject():
    body = ("Jessica Lane praised the script. Although he said it was wild to see himself in the teaser, "
            "Oscar Reyes stopped short of revealing anything about the film.")
    c = _claim_with(_claims(body), "it was wild")
    assert c.speaker_resolved == "Oscar Reyes"
    assert "stopped short" not in c.text


def test_he_after_a_described_person_speaking_is_that_person():
    body = ("\"Scripts are vague on back-story,\" the director said after the screening.\n"
            "He said the actor picked a period of unrest in Colombia for his character.")
    c = _claim_with(_claims(body), "the actor picked")
    assert c.speaker_resolved == "the director"


@pytest.mark.parametrize("body,fragment,speaker", [
    ("But there has been a surge of people registering as independents, which Democrats say could be aiding "
     "Mr. Sanders.", "could be aiding", "Democrats"),
    ("Mrs. Clinton's Iraq war vote, which she has repeatedly said was a mistake, was a factor in her defeat.",
     "was a mistake", "she"),
], ids=["which_democrats_say", "which_she_said"])
def test_an_object_relative_clause_speaks_through_its_subject(body, fragment, speaker):
    c = _claim_with(_claims(body), fragment)
    assert c.speaker == speaker
    if speaker == "she":
        assert c.speaker_resolved == "Mrs. Clinton"


@pytest.mark.parametrize("body,fragment", [
    ("Clinton, who once praised the deal, said it was a mistake to sign it.", "the deal, said"),
    ("Hillary Clinton won the primary on Tuesday, adding to her sizable delegate lead over Sanders.",
     "her sizable delegate lead"),
    ("Visitors are welcome and are advised to bring a flash drive for digital copies.", "flash drive"),
    ('The society is offering a new online study this year called "Researching Your Ancestors" by Craig Scott.',
     "Researching Your Ancestors"),
    ("As a front-runner she has maintained her status in the polls for months.", "her status"),
], ids=["who_praised", "adding_to", "are_welcome", "called_naming", "maintained_np"])
def test_no_claim_from_a_verb_used_otherwise(body, fragment):
    _no_claim_with(_claims(body), fragment)


@pytest.mark.parametrize("speaker,expected", [
    ("However on March 6 Mr Joseph", "Mr Joseph"),
    ("The navy initially", "The navy"),
    ("said the prime minister", "the prime minister"),
    ("Previously unseen papers show Mrs Thatcher", "Mrs Thatcher"),
    ("Asked", None),
], ids=["opening_adverbial", "trailing_adverb", "inverted_said", "papers_show", "participle"])
def test_speaker_cleanup(speaker, expected):
    from db.extract.attribution import _ly_tail, plausible_speaker
    assert plausible_speaker(_ly_tail(speaker)) == expected


def test_a_superlative_makes_the_cue_a_noun_and_a_coordination_tail_is_no_claim():
    claims = _claims("My biggest fear for 2015 is of a default by Russia on its foreign debt. "
                     "Pupils were ranked with little regard to how much or little pupils understand and can do.")
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_she_skips_a_lord():
    body = ("Mrs Thatcher wrote to the minister in March. Lord Baker said the exam was hard to introduce.\n"
            "She warned that the change might lower standards in the schools.")
    c = _claim_with(_claims(body), "might lower standards")
    assert c.speaker_resolved != "Lord Baker"


def test_a_short_quote_before_a_comma_is_not_a_name_in_apposition():
    claims = _claims("“It’s unanimous,” councilmember Mark Levine said of the support for ending the contracts.")
    assert all(c.speaker != "It’s unanimous" for c in claims)
    assert not any(c.text.startswith("of the support") for c in claims)


def test_said_to_an_audience_and_generic_you_make_no_claim():
    assert not _claims("Trump said to a crowd of about 500 people in the hall on Friday.")
    assert not _claims("Depending on which poll you believe, around 17 percent of voters may still be undecided.")


def test_every_word_list_the_rules_read_is_in_the_data_files():
    import re
    from pathlib import Path

    from db.extract.wordlists import sections
    root = Path(__file__).resolve().parents[1] / "db" / "extract"
    used = set()
    for path in root.glob("*.py"):
        used |= set(re.findall(r'word_set\("(\w+\.txt)", "(\w+)"\)', path.read_text(encoding="utf-8")))
        used |= set(re.findall(r'\bwords\("(\w+\.txt)", "(\w+)"\)', path.read_text(encoding="utf-8")))
    assert len(used) >= 20
    for name, section in used:
        assert sections(name).get(section), f"{name} has no section [{section}]"


@pytest.mark.parametrize("body,speaker", [
    ("WASHINGTON: Clinton leads in polls\nHillary Clinton leads Donald Trump by six points among likely voters.", None),
    ("NATO: Russian troops massed at the border\nRussian troops have massed at the border in large numbers.", "NATO"),
], ids=["dateline", "acronym_speaks"])
def test_a_capitalised_place_before_a_colon_is_a_dateline(body, speaker):
    rows = [c for c in _claims(body) if c.rule == "headline_lede"]
    assert [c.speaker for c in rows] == ([speaker] if speaker else [])


def test_a_long_subject_is_the_speaker_of_its_participle_continuation():
    body = ("Analysis shows that lawsuits are one of his negotiating tools. The attorney general of the state of "
            "New York is suing Trump for $40 million, claiming Trump University is a fraud.")
    c = _claim_with(_claims(body), "Trump University is a fraud")
    assert c.speaker == "The attorney general of the state of New York"


@pytest.mark.parametrize("speaker", ["Let me", "Rubio’s team winning", "always been an undercurrent of conservative"])
def test_more_fragments(speaker):
    from db.extract.attribution import plausible_speaker
    assert plausible_speaker(speaker) is None


@pytest.mark.parametrize("speaker,ok", [
    ("weaker", False), ("sophomoric bromance", False), ("The clampdown backfired", False),
    ("Prior to the publication of the report", False),
    ("officials familiar with the system", True), ("senior officials", True), ("police", True),
    ("the ministry", True), ("party spokesman", True), ("the accused", True),
], ids=lambda v: str(v))
def test_a_lowercase_speaker_needs_an_actor_head_and_a_clause_is_none(speaker, ok):
    from db.extract.attribution import plausible_speaker
    assert (plausible_speaker(speaker) is not None) is ok


def test_a_relative_clause_speaker_is_the_relative():
    from db.extract.attribution import plausible_speaker
    assert plausible_speaker("who was the first to tweet under the hashtag") == "who"


def test_first_person_in_a_quote_after_the_speakers_quote_is_that_speaker():
    body = ("“I don’t know that I particularly said the word ‘failed,’” Doherty said. “What I said was that "
            "Gov. Christie has missed his opportunity to make a great mark on the state.”")
    claims = _claims(body)
    c = _claim_with(claims, "has missed his opportunity")
    assert c.speaker_resolved == "Doherty"
    assert all(c.speaker_resolved == "Doherty" for c in claims if c.speaker == "I")


def test_agreeing_to_act_is_no_claim():
    _no_claim_with(_claims("He is the only Republican who has so far agreed to vote to override the veto."),
                   "vote to override")


def test_a_transcript_label_is_the_speaker_and_a_question_is_no_claim():
    body = ("Interview transcript\n"
            "FALLIN: Well, I think the whole nation needs to work together and come to terms with this.\n"
            "RAMOS: Secretary Clinton, do you think the attack could have been prevented at all?")
    claims = _claims(body)
    c = _claim_with(claims, "the whole nation needs")
    assert c.speaker_resolved == "FALLIN"
    _no_claim_with(claims, "could have been prevented")


@pytest.mark.parametrize("shape", [
    "He shows" + " " * 40000 + "x.",
    "He recalled" + " ," * 20000 + " that.",
    "X told " + "Shafaq " * 8000 + "News that it is so.",
    "According to sources who spoke to " + "A" * 20000 + ", it is so.",
    "X, he said" + ",a" * 2000 + " zz",
    "X, he said " + "1," * 3000 + " zz",
    "Officials, he said" + " " * 20000 + "x.",
    "Jo Smith" + " has also" * 40 + " LONG said the town is safe.",
], ids=["spaces_after_cue", "commas_after_cue", "long_outlet", "long_relay", "comma_letter_runs", "comma_digit_runs",
        "spaces_after_said", "aux_runs"])
def test_the_new_patterns_stay_linear_on_hostile_shapes(shape):
    import time
    t = time.perf_counter()
    extract(shape)
    assert time.perf_counter() - t < 2.0


@pytest.mark.parametrize("body,fragment,speaker", [
    ("Even Republicans who have praised his candidacy warned on Tuesday that the party may have to split.",
     "the party may have to split", "Even Republicans who have praised his candidacy"),
    ("The April survey found Clinton leading Sanders by seven points among likely voters.", "Clinton leading",
     "The April survey"),
    ("The campaign has released a Web video that accuses Cruz of being welcoming to Syrian refugees.",
     "Cruz of being welcoming", "a Web video"),
], ids=["relative_before_participle", "found_name_clause", "that_relative_antecedent"])
def test_over_filtering_guards(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker


@pytest.mark.parametrize("body,fragment,speaker", [
    ("Fans chanted, “Build a wall,” referring to the vow to construct a wall on the border, the Chicago Tribune "
     "reports.", "Build a wall", "the Chicago Tribune"),
    ("Still, Cruz will be re-evaluating how he approaches his colleagues, a source close to him said.",
     "re-evaluating", "a source close to him"),
    ("Listing several of his business ventures she added, Donald Trump is a proven businessman.",
     "a proven businessman", "she"),
    ("Carson did not mention any of his opponents by name, but told his supporters, “our nation is in horrible "
     "trouble.”", "horrible trouble", "Carson"),
    ("The retired neurosurgeon has provided no details about his plan, saying in his statement only that he was "
     "refining some practices.", "refining some practices", "The retired neurosurgeon"),
    ("The ministry issued a statement saying that the border would reopen on Monday.", "the border would reopen",
     "The ministry"),
], ids=["tribune_reports", "source_close_to_him", "participial_then_she", "but_told", "retired_adjective",
        "statement_saying"])
def test_more_over_filtering_guards(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker


@pytest.mark.parametrize("body,fragment,speaker", [
    ("One poll shows Ted Cruz 16 points ahead of Trump in Indiana.", "16 points ahead", "One poll"),
    ("Nelson Diaz, a former aide, said of Mr. Rubio: \"He is very in touch with his Cuban background.\"",
     "in touch with his Cuban", "Nelson Diaz"),
    ("In contrast, Clinton has maintained support among black voters, Fox found.", "maintained support", "Fox"),
    ("He agreed to sell it to Mr. Trump in 2010, records show.", "agreed to sell", "records"),
    ("A CNN poll in January shows 68% of Democratic voters say gun policy will be very important.",
     "gun policy", "A CNN poll in January"),
], ids=["shows_name_number", "said_of_colon", "fox_found", "records_show", "shows_percent"])
def test_findings_reported_around_their_content(body, fragment, speaker):
    c = _claim_with(_claims(body), fragment)
    assert _is_speaker(c, speaker)
    assert not c.text.startswith("of ")


def test_a_that_relative_after_a_clause_points_to_the_nouns_closing_it():
    c = _claim_with(_claims("Karenga was quick to criticize Nigerian newspapers that claimed that certain American "
                            "radicals were CIA operatives."), "were CIA operatives")
    assert c.speaker == "Nigerian newspapers"


def test_a_place_closing_a_phrase_is_not_the_antecedent_of_that():
    claims = _claims("Online discussions among pilots have centred on unconfirmed radar data from Malaysia that "
                     "suggested the aircraft was climbing too slowly in poor weather.")
    assert all(c.speaker != "Malaysia" for c in claims)


@pytest.mark.parametrize("stamp", ["16.06", "07:49", "0.30"])
def test_a_live_blog_entry_time_is_not_part_of_the_speaker(stamp):
    """Seen on a saved live blog: "14.29 Indonesian authorities said ..." named "14.29 Indonesian
    authorities" as the speaker."""
    body = f"Live coverage\n\n{stamp} Indonesian authorities said the search would resume at first light on Friday.\n"
    claim = _claim_with(_claims(body), "the search would resume")
    assert (claim.speaker_resolved or claim.speaker) == "Indonesian authorities"


def test_a_figure_that_is_no_clock_time_stays():
    body = "Report\n\nThe 12.5 million voters said the vote had been fair and open to all.\n"
    assert not _is_clock_time("12.5") and _is_clock_time("23.59") and not _is_clock_time("24.00")
    _claims(body)  # never raises


from db.extract.attribution import _is_clock_time  # noqa: E402


@pytest.mark.parametrize("body,fragment,speaker", [
    ("Marco Rubio: I'm Not Interested In Being Vice President\n", "Not Interested In Being", "Marco Rubio"),
    ('Earlier.\nBush: "The mission is to destroy ISIS -- not to contain it."', "The mission is to destroy", "Bush"),
], ids=["headline_name_colon", "name_colon_quote"])
def test_a_name_before_a_colon_opening_a_line_speaks(body, fragment, speaker):
    c = _claim_with(_claims(body), fragment)
    assert (c.speaker, c.rule) == (speaker, "colon_attribution")


@pytest.mark.parametrize("body", [
    "Related: Five things to know about the new border wall plan\n",
    "WASHINGTON: The Senate passed the spending bill on Monday night.\n",
    "Among the charity's accomplishments: its initiative cut the cost of drugs by half.\n",
    "Pro-Hizbullah Daily: Hamas, Iraqi Government Discuss Opening Office\n",
    "The talks went on: the delegates met again on Monday to sign it.\n",
], ids=["label", "dateline", "preposition", "outlet_heading", "mid_sentence_colon"])
def test_a_label_dateline_or_heading_before_a_colon_is_nobody(body):
    assert not [c for c in _claims(body) if c.rule == "colon_attribution"]


@pytest.mark.parametrize("body,fragment,speaker", [
    ("According to state law, no one may solicit a vote within 150 feet of a polling place.", "no one may solicit",
     "state law"),
    ("The plan would cost about $1.38 trillion a year, according to a court filing.", "The plan would cost",
     "a court filing"),
    ("The network censured his first report, according to him, and he left the country.", "The network censured",
     "him"),
], ids=["law", "filing", "object_pronoun"])
def test_according_to_a_document_names_it_as_the_source(body, fragment, speaker):
    c = _claim_with(_claims(body), fragment)
    assert (c.speaker, c.rule) == (speaker, "according_to")


def test_according_to_a_time_is_no_source():
    assert not [c for c in _claims("The plan would cost about $1.38 trillion, according to last year.")
                if c.rule == "according_to"]


def test_a_poll_shows_a_finding_without_that():
    c = _claim_with(_claims("The poll showed Mr. Trump with a lead of 20 points among women voters."), "a lead of 20")
    assert c.speaker == "The poll"
    assert not _claims("The senator showed little inclination to compromise on the budget this year.")


def test_asking_not_to_be_named_is_no_claim():
    body = ("The MP, who asked not to be named because of the sensitivity of the subject, said the discussions "
            "were about a representative office.")
    claims = _claims(body)
    _no_claim_with(claims, "not to be named")
    c = _claim_with(claims, "the discussions were about")
    assert c.speaker_resolved == "The MP"


@pytest.mark.parametrize("body", [
    "The MP would not say whether he was the lawmaker quoted by The National on Thursday.",
    "The spokesman did not say that the office had been closed by the government.",
], ids=["would_not_say_whether", "did_not_say_that"])
def test_a_negated_say_asserts_nothing(body):
    assert not [c for c in _claims(body) if c.cue and c.cue.lower().startswith("say")]


@pytest.mark.parametrize("body,fragment", [
    ("Kevin Yearout has added about 80 jobs to his Albuquerque contracting company since July of last year.",
     "80 jobs"),
    ("The plant added 1,200 workers in the spring as orders for the new engine came in.", "1,200 workers"),
    ("Hedge funds typically charge 2 percent of assets, plus 20 percent of gains, and rarely outperform the market.",
     "2 percent of assets"),
], ids=["has_added", "added_a_count", "charge_a_price"])
def test_adding_a_count_is_no_speech(body, fragment):
    _no_claim_with(_claims(body), fragment)


def test_he_added_that_is_still_speech():
    c = _claim_with(_claims("The minister has added that the border will stay closed until the spring."), "border")
    assert c.speaker == "The minister"


def test_a_clause_as_subject_is_no_speaker():
    body = ("That mobility remains low suggests “that local job markets have been basically lousy almost "
            "everywhere” except a few areas benefiting from the energy boom, Burtless said.")
    claims = _claims(body)
    assert not [c for c in claims if "remains" in (c.speaker or "")]
    assert _claim_with(claims, "local job markets").speaker == "Burtless"


@pytest.mark.parametrize("body", [
    "Online buyers are more sophisticated today. Many know to verify that your site is secure before they pay.",
    "Savvy buyers know to look at a reviewer's other reviews to determine whether they can be trusted.",
    "Better yet, add live chat to your site so that buyers can ask questions while they shop.",
], ids=["know_to", "know_to_look", "better_yet"])
def test_advice_is_no_claim(body):
    assert _claims(body) == []


def test_a_banner_word_before_a_colon_is_no_speaker():
    claims = _claims("NEW: Jennifer Lawrence at the Louisville Cardinals basketball game today (Dec. 27)")
    assert not [c for c in claims if (c.speaker or "") == "NEW"]


def test_an_orphan_quote_pages_after_the_last_speaker_is_nobody_s():
    filler = " ".join(["The shop sells bags, shoes and coats to buyers from the whole region."] * 20)
    body = (f"Neil Patel said the shop should test its prices every month.\n\n{filler}\n\n"
            "“Buyers abandon their online shopping sessions because of confusion and complications at checkout, "
            "and confused customers may have a question that they want answered in real time.”")
    c = _claim_with(_claims(body), "abandon their online shopping")
    assert c.speaker is None and not c.speaker_resolved
    near = "Neil Patel said the shop should test its prices every month.\n\n" + body.split(filler + "\n\n")[1]
    assert _claim_with(_claims(near), "abandon their online shopping").speaker_resolved == "Neil Patel"


def test_he_does_not_take_up_an_acronym_speaker():
    body = ("Shadman denies the charges. SIGAR alleges that Shadman paid kickbacks to the contractor's managers.\n\n"
            "He says they flashed a light in his eyes and flew him to the prison at Bagram.")
    c = _claim_with(_claims(body), "flashed a light")
    assert c.speaker_resolved != "SIGAR"


def test_a_speaker_taken_up_by_a_pronoun_has_the_entity_s_full_name():
    body = ("The Rev. Al Sharpton said the criticism was not true.\n\n"
            "For his part, Sharpton is not sure who will replace him after he exits the national stage, but he "
            "said that it’s not up to him to handpick his successor.\n\n"
            "It’s a charge that’s rejected by Sharpton, who noted that his organization has a vibrant chapter.")
    resolved = {c.speaker_resolved for c in _claims(body) if c.speaker_resolved}
    assert "Sharpton" not in resolved and "Al Sharpton" in resolved, resolved


def test_a_clause_with_a_phrasal_verb_is_no_speaker():
    body = ("Politico followed up on the FT report, though its unnamed sources “familiar with the discussions” said "
            "only that the DOJ’s expectations of “structural remedies” were being interpreted as an ultimatum.")
    assert not [c for c in _claims(body) if "followed" in (c.speaker or "")]


@pytest.mark.parametrize("body,good", [
    ("David Mueller previously lost his countersuit accusing Swift of ruining his career", None),
    ("Trump, during his speech to Congress, said the economy was booming.", "Trump"),
], ids=["verb_and_possessive", "preposition_and_possessive"])
def test_a_verb_before_his_or_her_makes_a_clause_no_speaker(body, good):
    speakers = [c.speaker for c in _claims(body)]
    assert not [s for s in speakers if s and "lost his" in s], speakers
    if good:
        assert good in speakers, speakers


def test_an_actor_showing_something_is_the_writer_s_judgement_not_speech():
    assert _claims("The Democratic party showed it had learned nothing from the 2016 defeat.") == []
    c = _claim_with(_claims("The poll showed Mr. Trump with a lead of 20 points among women voters."), "lead of 20")
    assert c.speaker == "The poll"


def test_it_s_is_nobody_and_it_is_never_i():
    body = ("Dave valiantly attempts to swallow his pride. It’s a miniature master class in acting, and one of the "
            "instances in which Foxcatcher threatens to burst its bubble and become a stealth comedy.")
    assert not [c for c in _claims(body) if (c.speaker or "").startswith("It")]
    body = ("“I think we can come back,” I said. The stock went public at $27 in 2013, and earlier this month it "
            "announced that it would have to postpone the dividend that was due in December.")
    c = _claim_with(_claims(body), "postpone the dividend")
    assert (c.speaker_resolved or "").lower() != "i"


@pytest.mark.parametrize("speaker", [
    "it flew through a line of equatorial thunderstorms",
    "the FAA deployed a bunch of sensors in the area to form a network",
    "Yes",
], ids=["pronoun_clause", "acronym_subject_clause", "interjection"])
def test_a_clause_or_an_answer_is_no_speaker(speaker):
    from db.extract.attribution import _not_a_fragment
    assert _not_a_fragment(speaker) is None
    assert _not_a_fragment("They both") == "They both"


@pytest.mark.parametrize("body,fragment,speaker", [
    ("The senator spoke on Monday. He continued, \u201cWe are going to win this state and the White House.\u201d",
     "We are going to win", "He"),
    ("Mr. Obama spoke on Monday. \u201cWe will win this state and the next one,\u201d he continued.",
     "We will win this state", "he"),
], ids=["continued_comma_quote", "quote_then_continued"])
def test_continued_reports_speech_next_to_a_quotation(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker


@pytest.mark.parametrize("body", [
    "The rally continued for an hour after the speech ended in the square.",
    "Clinton continued to fight for the nomination after the primary was over in June.",
    "Before the storm hit the city, the rally continued.",
], ids=["continued_for", "continued_to", "content_then_continued"])
def test_continued_without_a_quotation_reports_nothing(body):
    assert not [c for c in _claims(body) if (c.cue or "").startswith("continu")]


@pytest.mark.parametrize("body,fragment,speaker", [
    ("Sam Lau, a spokesman for the state party, said in a statement. \u201cThere are no paper ballots to recount "
     "in the whole state.\u201d", "There are no paper ballots", "Sam Lau"),
    ("The senator spoke at the debate.\n\nCruz continued:\n\n\u201cYou look at the questions: are you a comic "
     "book villain who wants to win?\u201d", "You look at the questions", "Cruz"),
    ("Bolton spoke about the rules. He said:\n\n\u201cIn all the administrations I have served in, you are "
     "fired when you do that.\u201d", "In all the administrations", "He"),
], ids=["said_in_a_statement_then_quote", "continued_colon_paragraph", "he_said_colon_paragraph"])
def test_a_quotation_after_a_sentence_ending_in_its_cue_is_that_speakers(body, fragment, speaker):
    c = _claim_with(_claims(body), fragment)
    assert c.rule == "quote_continued" and _is_speaker(c, speaker)


@pytest.mark.parametrize("body,fragment", [
    ("\u201cIsn't that sort of a bribe?\u201d Trump asked. \u201cI think it is a bribe and a bad one.\u201d",
     "I think it is a bribe"),
    ("Or maybe Jeb Bush, the consultant Phil Musser says. \u201cSeveral surveys suggest a second look is "
     "occurring.\u201d", "Several surveys suggest"),
    ("The crowd cheered. \u201cWe are here to stay and nobody will move us,\u201d a banner read.", "We are here"),
], ids=["cue_of_a_question_before", "content_before_the_speaker", "no_cue_before"])
def test_a_quotation_after_other_sentences_is_not_continued(body, fragment):
    assert not [c for c in _claims(body) if c.rule == "quote_continued" and fragment in c.text]


@pytest.mark.parametrize("body,fragment", [
    ("\u201cThe population here has changed a lot,\u201d Smith said. \u201cI think she will carry the state on the "
     "Democratic side.\u201d", "she will carry the state"),
    ("\u201cShe thinks the annual exams are just too much for the children,\u201d her mother said.",
     "the annual exams are just too much"),
    ("\u201cThe cuts are real,\u201d Ms. Turner said. \u201cAnd if Democrats believe that it is not going to "
     "happen, they are just wrong.\u201d", "it is not going to happen"),
], ids=["i_think_in_a_continued_quote", "she_thinks_in_a_quote", "democrats_believe_in_a_quote"])
def test_a_private_state_inside_a_quotation_makes_no_row_of_its_own(body, fragment):
    assert not [c for c in _claims(body) if c.text.startswith(fragment)]


def test_a_private_state_outside_quotation_marks_is_still_read():
    c = _claim_with(_claims("Smith, a farmer from Iowa, said he thinks the senator will carry the state."),
                    "the senator will carry the state")
    assert c.speaker_resolved == "Smith" or c.speaker.startswith("Smith")


@pytest.mark.parametrize("body,fragment,speaker", [
    ("Ramos lamented that the danger came from the candidate's ability to rally his crowds.", "the danger came",
     "Ramos"),
    ("Attorney General Loretta Lynch is reaffirming that the inquiry will be handled by career prosecutors.",
     "the inquiry will be handled", "Attorney General Loretta Lynch"),
    ("Foreign policy experts affirm that the treaty is likely to be signed before the summer.",
     "the treaty is likely", "Foreign policy experts"),
    ("The governor proclaimed that the state would never accept the new federal rules.", "the state would never",
     "The governor"),
], ids=["lamented_that", "reaffirming_that", "affirm_that", "proclaimed_that"])
def test_verbs_that_assert_publicly_are_cues(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker


def test_speculating_reports_a_hedged_claim():
    c = _claim_with(_claims("Several analysts speculated that the senator would leave the race in March."),
                    "the senator would leave")
    assert c.speaker == "Several analysts" and c.is_hedged


@pytest.mark.parametrize("body,fragment", [
    ("\u201cWe tried everything,\u201d Menendez said. \u201cThey have said no to everything we put on the table this "
     "year.\u201d", "no to everything"),
    ("\u201cPeople say that the fight for a fair economy is over, but it goes on,\u201d the senator said.",
     "the fight for a fair economy"),
    ("\u201cMany critics warned that the plant would close within a year,\u201d the mayor said.",
     "the plant would close"),
], ids=["they_said_in_a_quote", "people_say_in_a_quote", "many_critics_warned_in_a_quote"])
def test_an_unnamed_speaker_inside_a_quotation_makes_no_row_of_its_own(body, fragment):
    assert not [c for c in _claims(body) if c.text.startswith(fragment)]


def test_a_named_speaker_inside_a_quotation_is_a_relay_row():
    body = "\u201cMinister Karim told us that the road to the border was closed on Sunday,\u201d the official said."
    c = _claim_with(_claims(body), "the road to the border was closed")
    assert c.speaker == "Minister Karim"


@pytest.mark.parametrize("body,fragment,speaker", [
    ("Even after the complaint was filed, Lewandowski continued to say he had never touched the reporter.",
     "he had never touched", "Lewandowski"),
    ("Bolton distanced himself from the movement by saying he would be willing to serve in the administration.",
     "he would be willing", "Bolton"),
    ("Pence went on to say he is confident that the two men are building a relationship.", "he is confident",
     "Pence"),
    ("The governor thanked the volunteers and said the shelters would stay open through the weekend.",
     "the shelters would stay open", "The governor"),
], ids=["continued_to_say", "by_saying", "went_on_to_say", "verb_and_said"])
def test_a_cue_after_another_verb_of_its_clause_has_the_clause_subject(body, fragment, speaker):
    assert _claim_with(_claims(body), fragment).speaker == speaker


@pytest.mark.parametrize("body,fragment", [
    ("Some in the crowd booed, and when Rubio thanked Miami and said it was great to be home, a man yelled.",
     "it was great to be home"),
    ("The conference, in which he laid out the record, then announced that no charges would be brought.",
     "no charges would be brought"),
    ("A few minutes later they reversed themselves, rushed everyone inside and said they will register voters.",
     "they will register voters"),
], ids=["subordinate_clause", "relative_clause", "time_phrase"])
def test_a_cue_after_another_verb_takes_no_subject_across_a_clause(body, fragment):
    c = _claim_with(_claims(body), fragment) if [c for c in _claims(body) if fragment in c.text] else None
    assert c is None or c.speaker not in ("Some in the crowd", "The conference", "A few minutes")

def test_an_outlet_reporting_citing_another_relays_it():
    body = ("Hamas is planning to relocate from Qatar to Iraq as Doha and Washington step up pressure on its "
            "political leaders, Caliber.Az reports, citing The National.")
    c = _claim_with(_claims(body), "Hamas is planning to relocate")
    assert (c.speaker, c.chain) == ("The National", ["The National", "Caliber.Az"])
    assert "Caliber.Az reports" not in c.text


def test_a_pronoun_after_an_unnamed_source_is_that_source_not_the_last_named_person():
    # reuters.com3: "He cautioned" went to the transport official named paragraphs before, at 0.92
    body = ("Transport official Djoko Murjatmodjo said the search would resume on Monday.\n\n"
            "Investigators are focussing on whether the crew took too long to request permission to climb, "
            "said a source close to the probe.\n\n"
            "He cautioned that the investigation was at an early stage.")
    c = _claim_with(_claims(body), "the investigation was at an early stage")
    assert c.speaker == "He"
    assert c.speaker_resolved == "a source close to the probe", c.speaker_resolved


def test_a_pronoun_after_a_named_speaker_still_takes_the_name():
    body = ("A source close to the probe said the crew had asked to climb.\n\n"
            "Transport official Djoko Murjatmodjo said the search would resume on Monday.\n\n"
            "He cautioned that the investigation was at an early stage.")
    c = _claim_with(_claims(body), "the investigation was at an early stage")
    assert c.speaker_resolved in ("Djoko Murjatmodjo", "Transport official Djoko Murjatmodjo"), c.speaker_resolved


def test_he_after_the_boyfriend_told_investigators_is_the_boyfriend():
    # pe.com1: three of the boyfriend's statements went to the defence attorney quoted before him, at 0.95
    body = ("Defense attorney Nic Cocis said his client did not seek to have anyone killed.\n\n"
            "The boyfriend told investigators that the shooter pulled up next to him, search warrant documents say. "
            "He said the car had driven past him twice.")
    c = _claim_with(_claims(body), "the car had driven past him twice")
    assert c.speaker_resolved == "The boyfriend", c.speaker_resolved


@pytest.mark.parametrize("body,text", [
    ("LONDON (Reuters) - A healthcare worker has been diagnosed with Ebola, the Scottish government said on Monday.",
     "A healthcare worker has been diagnosed with Ebola"),
    ("TRENTON — The governor failed to fix the schools, a senator said on Tuesday.",
     "The governor failed to fix the schools"),
    ("WASHINGTON, D.C., Dec 30 (AP) -- The agency will cut 300 jobs, officials said.",
     "The agency will cut 300 jobs"),
], ids=["reuters", "em_dash", "region_date_agency"])
def test_a_place_dateline_is_not_part_of_the_claim(body, text):
    # reuters.com4: the lede's claim read "LONDON (Reuters) - A healthcare worker has been diagnosed ..."
    assert _claim_with(_claims(body), text[2:]).text == text


def test_a_dateline_before_a_colon_is_no_speaker_when_the_headline_names_one():
    # pe.com1's headline: "PERRIS" spoke the whole line at 0.80 and the lede after it at 0.26
    body = ("PERRIS: Woman ordered hit on father of her child, police say\n\n"
            "Judy Avalos, 20, was charged with conspiracy to commit murder after a shooting near Perris.")
    claims = _claims(body)
    c = _claim_with(claims, "Woman ordered hit")
    assert (c.speaker, c.text) == ("police", "Woman ordered hit on father of her child")
    assert not [x for x in claims if x.speaker == "PERRIS"]


def test_a_capitalised_label_before_a_colon_still_speaks():
    c = _claim_with(_claims("RAMOS: The border will stay closed until the end of the year, and nobody disputes that."),
                    "border will stay closed")
    assert c.speaker == "RAMOS"


def test_a_bare_plural_after_an_inverted_cue_is_the_speaker():
    # reuters.com2: "The Java Sea" spoke "oceanographers, but strong currents ..." at 0.78
    body = ("The Java Sea is relatively shallow, making it easier to spot wreckage in the water, say oceanographers, "
            "but strong currents in the area mean any debris would be drifting east.")
    c = _claim_with(_claims(body), "relatively shallow")
    assert (c.speaker, c.text) == ("oceanographers", "The Java Sea is relatively shallow, making it easier to spot "
                                                     "wreckage in the water")


def test_a_month_that_ends_a_name_is_part_of_the_speaker():
    # "Prime Minister Theresa May said" spoke as "Prime Minister Theresa": "May" was cut as a modal
    c = _claim_with(_claims("Prime Minister Theresa May also said the deal was done."), "the deal was done")
    assert c.speaker == "Prime Minister Theresa May"


def test_a_headline_s_capitalised_modal_is_still_a_modal():
    body = "Trump May Not Have Suggested A Muslim Registry, But He Fully Supported One.\n\nThe rally went on."
    assert {c.speaker for c in _claims(body)} <= {"Trump"}


def test_who_after_a_last_name_is_that_person_and_the_main_clause_is_not_said():
    # al.com1: "May, who said ..." went to Lou Holtz, quoted before, with the main clause's ", got the ruling"
    body = ("Both analysts, Lou Holtz and Mark May, disagree about the Big Ten.\n\n"
            "\"I love him,\" Holtz said.\n\n"
            "Both times, May, who said Ohio State and the Big Ten were out of the playoff hunt, got the ruling.")
    c = _claim_with(_claims(body), "were out of the playoff hunt")
    assert (c.speaker_resolved, c.text) == ("Mark May", "Ohio State and the Big Ten were out of the playoff hunt")


@pytest.mark.parametrize("body,text", [
    ("The man, who said the money was his, was arrested.", "the money was his"),
    ("Smith, who said the talks, which were held in Paris, had failed, got the blame.",
     "the talks, which were held in Paris, had failed"),
    ("He met Smith, who said the plan, drafted in May, was flawed.", "the plan, drafted in May, was flawed"),
], ids=["subject", "last_resumption", "object_not_cut"])
def test_a_relative_clause_on_the_subject_ends_where_the_main_verb_resumes(body, text):
    assert _claim_with(_claims(body), text.split(",")[0]).text == text


@pytest.mark.parametrize("body,text", [
    ("When he said the war was over, markets rallied across the region.", "the war was over"),
    ("Although critics say trading prisoners encourages kidnapping, the president has approved the swap.",
     "trading prisoners encourages kidnapping"),
], ids=["when", "although"])
def test_what_a_fronted_clause_s_speaker_says_ends_with_the_clause(body, text):
    # 63 rows of the 457-document diff ran on into the main clause, which is the narrator's
    assert _claim_with(_claims(body), text.split()[1]).text == text


def test_a_fronted_clause_naming_only_the_occasion_is_no_claim():
    # talkingpointsmemo.com1: "a TV station" said "her cell, one woman shushes the room with a waved hand"
    body = "When a TV station calls her cell, one woman shushes the room with a waved hand."
    _no_claim_with(_claims(body), "shushes")


@pytest.mark.parametrize("body,text", [
    ("As Clinton said in a tweet, women won't be punished for exercising their rights.",
     "women won't be punished for exercising their rights"),
    ("The minister said on Monday, the border will reopen next week.", "the border will reopen next week"),
], ids=["tweet", "weekday"])
def test_where_or_when_it_was_said_is_not_part_of_the_claim(body, text):
    assert _claim_with(_claims(body), text.split()[1]).text == text


def test_a_quoted_paragraph_that_says_whose_it_is_is_one_row():
    # foxbusiness.com1: the pull quote was an orphan quotation (nobody's) and an "according to" row at once
    body = ("Add live chat to your site.\n\n"
            "“According to an article on Sitepoint, the top ten reasons buyers abandon their online shopping sessions "
            "are often related to confusion at checkout. Confused customers may have a question.“\n\n"
            "This is especially true for a small brand.")
    rows = [c for c in _claims(body) if "top ten reasons" in c.text]
    assert [(c.speaker, c.rule) for c in rows] == [("an article on Sitepoint", "according_to")]


@pytest.mark.parametrize("body,text", [
    ("If the Hamas leaders are forced out of Qatar, they say they would pick a country where they have a popular "
     "base: Kuwait first, then Algeria, then Tunisia.",
     "they would pick a country where they have a popular base: Kuwait first, then Algeria, then Tunisia"),
    ("The minister said on Sunday, describing recent reports to the contrary as baseless, that the talks go on.",
     None),
], ids=["cue_in_the_main_clause", "participle_after_the_occasion"])
def test_the_demo_s_claims_keep_their_text(body, text):
    claims = _claims(body)
    if text:
        assert _claim_with(claims, "would pick").text == text
    else:
        assert not any(c.text.startswith("describing") for c in claims), [c.text for c in claims]


@pytest.mark.parametrize("body", [
    "They disagree a lot, especially when it comes to Ohio State.",
    "The two men argued bitterly over the budget.",
    "The pilots were so disoriented that they were still arguing over which way was up when the plane hit the sea.",
    "She disagreed with the decision to close the border.",
], ids=["a_lot", "bitterly", "arguing_over", "disagreed_with"])
def test_how_much_someone_disagrees_a_quarrel_or_a_stance_is_no_claim(body):
    # al.com1: "They disagree a lot" was a claim "a lot, ..." at 0.82; theglobeandmail.com1: "they were still
    # arguing over which way was up" was officials' claim at 0.89
    assert _claims(body) == []


def test_a_lot_of_what_was_said_is_still_a_claim():
    assert _claim_with(_claims("He said a lot of people had left the city."), "people had left").speaker == "He"


def test_arguing_that_is_still_a_claim():
    assert _claim_with(_claims("He argued that the plan would fail."), "the plan would fail").speaker == "He"


def test_a_description_in_apposition_is_no_claim_of_what_comes_before():
    # mlive.com1: "The note implied the suspect" was the speaker of "as a white male, had a weapon ..."
    claims = _claims("The note implied the suspect, described as a white male, had a weapon and demanded money, "
                     "he said.")
    assert [(c.speaker, c.text[:13]) for c in claims] == [("he", "The note impl")], [(c.speaker, c.text) for c in claims]


def test_described_as_with_its_describer_is_still_a_claim():
    claim = _claim_with(_claims("Officials described the attack as a deliberate act of terrorism."), "deliberate")
    assert claim.speaker == "Officials"


@pytest.mark.parametrize("body, speaker, text_start", [
    ("John W. Houston, managing director of the Financial Institutions Division of Raymond James Financial "
     "Services, Inc., announced that OnPoint Community Credit Union has partnered with Raymond James.",
     "John W. Houston", "OnPoint"),
    ("Acme Widgets, Inc., announced that it had partnered with the union.", "Acme Widgets, Inc", "it had"),
    ("PORTLAND -- John Houston, managing director of the firm, announced that the union had partnered with it.",
     "John Houston", "the union"),
    ("One of the most popular offerings so far, said the owners, is the Pick 6, where customers create their "
     "own six-pack.", "the owners", "One of the most"),
], ids=["company_suffix_in_apposition", "company_suffix_speaks", "dateline_before_speaker", "cue_inside_clause"])
def test_speaker_and_content_on_a_business_page(body, speaker, text_start):
    # oregonlive.com1 (unseen): "Inc" spoke for John W. Houston; "the owners, is the Pick 6, where ..." was a
    # speaker of "One of the most popular offerings so far"; WASHINGTON — opened a senator's name
    claims = _claims(body)
    assert [(c.speaker, c.text.startswith(text_start)) for c in claims] == [(speaker, True)], \
        [(c.speaker, c.text) for c in claims]
    if "Pick 6" in body:
        assert claims[0].text.endswith("six-pack")


@pytest.mark.parametrize("body, resolved", [
    ("Ron Karenga founded United Slaves. Kwanzaa praises collectivism in every possible area of life. When "
     "Karenga was asked to distinguish Kawaida from classical Marxism, he essentially said that, under Kawaida, "
     "we also hate whites.", "Ron Karenga"),
    ("Earhardt then asked Marco Rubio which states specifically he could win.\n\n“Well, we feel great in every one "
     "of those states,” he said.", "Marco Rubio"),
], ids=["dailycaller_kwanzaa", "polnear_earhardt"])
def test_he_takes_up_a_person_named_since_over_a_one_word_speaker_no_entity_names(body, resolved):
    # dailycaller.com1 (unseen): "he essentially said" was Kwanzaa's at 0.93
    claim = [c for c in _claims(body) if c.speaker in ("he", "He")][-1]
    assert claim.speaker_resolved == resolved, [(c.speaker, c.speaker_resolved, c.text) for c in _claims(body)]


@pytest.mark.parametrize("body", [
    "The scale cell forms strings of proteins called F-actins, which provides a framework for the scales.",
    "A new group called Black Votes Matter is trying to raise $25 million.",
], ids=["wired_proteins", "group_name"])
def test_a_thing_called_by_its_name_is_no_claim(body):
    # wired.com1 (unseen): "The scale cell forms strings of proteins" spoke "F-actins, which provides ..."
    assert _claims(body) == [], [(c.speaker, c.text) for c in _claims(body)]


@pytest.mark.parametrize("body, speaker", [
    ("Bolton called Obama’s ignorance of advice disrespectful to the troops.", "Bolton"),
    ("Sanders’ campaign called AP’s report a rush to judgment.", "Sanders’ campaign"),
])
def test_someone_calling_something_something_is_still_a_claim(body, speaker):
    assert [c.speaker for c in _claims(body)] == [speaker]


def test_a_cue_in_ing_after_a_degree_word_is_an_adjective():
    # theglobeandmail.com2 (unseen): "the United States is showing ever-more promising signs of an economic
    # renaissance" was the United States promising "signs of an economic renaissance"
    assert _claims("Meanwhile, the United States is showing ever-more promising signs of an economic renaissance.") == []
    assert [c.speaker for c in _claims("Officials said the talks were very promising.")] == ["Officials"]


@pytest.mark.parametrize("body", [
    "IBM dropped more than 1% today and its high per share price pushed the DJIA lower as the market closed.",
    "The DJIA stock posting the largest daily gain ahead of the close Monday was Home Depot.",
    "The stock’s 52-week range is $73.96 to $104.80, and the high was posted early Monday.",
], ids=["per_share", "posting_a_gain", "high_was_posted"])
def test_market_figures_are_no_claims(body):
    # 247wallst.com1: "its high per" spoke "price pushed the DJIA lower", "The DJIA stock" posted a claim
    assert _claims(body) == [], [(c.speaker, c.text) for c in _claims(body)]


def test_a_post_on_a_platform_is_still_a_claim():
    assert [c.speaker for c in _claims("The minister posted on Facebook that the war was over.")] == ["The minister"]


@pytest.mark.parametrize("body", [
    "Hockey players and Future City competitors are among groups expected to bring more than 5,900 people together.",
    "(Hey, we wrote about that too.)",
    "She warned about the risks of the plan.",
    "One bright note in the survey: 58 percent of women oppose it.",
    "Just last month, our own sports department produced a revealing special report on former Dallas Cowboy stars.",
    "Twitter shut down the account of a group that calls itself Asawitri Media.",
], ids=["expected_to", "wrote_about", "warned_about", "one_bright_note", "revealing_special_report", "calls_itself"])
def test_topics_nouns_and_expectations_are_no_claims(body):
    # dallasnews.com2 and al.com2 (unseen): 'we' wrote "about that too.)", "One bright" noted "in the survey: ...",
    # "Hockey players" were expected "to bring more than 5,900 people"
    assert _claims(body) == [], [(c.speaker, c.text) for c in _claims(body)]


def test_about_a_quantity_is_still_what_was_said():
    claim = _claims("The budget office said about half of the adjustment reflected revenue losses.")[0]
    assert claim.speaker == "The budget office" and claim.text.startswith("about half")


def test_a_long_or_open_question_after_about_may_still_be_a_claim():
    claims = _claims("Critics worried about whether what he is proposing is politically realistic.")
    assert [c.speaker for c in claims] == ["Critics"], [(c.speaker, c.text) for c in claims]


@pytest.mark.parametrize("body, speaker, resolved", [
    ("Poet Philip Larkin once described all plots as a beginning, a muddle and an end.", "Poet Philip Larkin",
     "Philip Larkin"),
    ("Dan Richter of Demand Media says that sitcoms are typically 22 minutes long.", "Dan Richter of Demand Media",
     "Dan Richter"),
], ids=["role_before", "employer_after"])
def test_a_speaker_with_a_role_resolves_to_the_person(body, speaker, resolved):
    # theatlantic.com1 (unseen): "Dan Richter of Demand Media" and "Poet Philip Larkin" stood for themselves
    claim = _claims(body)[0]
    assert (claim.speaker, claim.speaker_resolved) == (speaker, resolved)


def test_it_goes_on_with_the_body_that_spoke_not_the_group_named_since():
    # the demo's Northgate digest: "It described the office as a test run" was Haniyeh's, then Hamas's
    body = ('As early as April 24, "Iraqi Minister," an anonymous anti-Iran account on X, had claimed that Hamas '
            "would open an office near Baghdad. On June 14, the account alleged that Hamas leader Ismail Haniyeh "
            "had rejected a full move to Baghdad. It described the office as a test run staffed by little-known "
            "members.")
    claim = _claim_with(_claims(body), "a test run")
    assert claim.speaker_resolved == "Iraqi Minister", [(c.speaker, c.speaker_resolved) for c in _claims(body)]
