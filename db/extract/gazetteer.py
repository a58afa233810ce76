"""General word lists: places, demonyms, given names, platforms, and the cue words that type a name.

The lists live in ``data/`` (see its README for origin and licence); cue words are short closed classes
kept here because they are grammar rather than knowledge.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> frozenset[str]:
    try:
        lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    except OSError:  # a broken install must degrade, not crash the import path
        return frozenset()
    return frozenset(l.strip() for l in lines if l.strip() and not l.startswith("#"))


COUNTRIES = _load("countries.txt")
PLACES = _load("places.txt") | COUNTRIES
DEMONYMS = _load("demonyms.txt")
GIVEN_NAMES = _load("given_names.txt")
PLATFORMS = _load("media.txt")
ORGANISATIONS = _load("organisations.txt")  # named by one word or an acronym: "Hamas", "PKK"
NOT_NAMES = _load("not_names.txt")  # weapon and technology acronyms: "VBIED", "UAV"

PLACES_LOWER = frozenset(p.lower() for p in PLACES)

# Titles and roles that precede a person's name ("Dr. Hussam", "acting foreign minister Ali").
PERSON_TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame lord lady sheikh shaykh sheik hajj haj hajji
    imam ayatollah mullah emir amir king queen prince princess sultan president vice-president
    premier chancellor minister secretary senator sen sen. rep rep. representative congressman
    congresswoman governor gov gov. mayor judge justice general gen gen. colonel col col. lieutenant lt
    lt. major maj maj. captain capt capt. sergeant sgt sgt. commander admiral marshal brigadier
    spokesman spokeswoman spokesperson ambassador envoy leader chairman chairwoman chair director
    official officer deputy secretary-general head assistant adviser advisor aide candidate pope cardinal bishop rabbi father
    reverend rev rev. saint st detective det det. investigator inspector sheriff trooper constable superintendent
    """.split()
)
# Words that may sit between a title and a name without ending the title ("Prime Minister", "foreign
# minister", "acting").
TITLE_FILLERS = frozenset(
    """prime foreign defence defense interior finance acting former deputy vice chief senior top
    supreme head secretary-general general state army party political military security
    """.split()
)

# Heads that make a capitalised sequence an organisation.
ORG_HEADS = frozenset(
    """ministry ministries party movement brigades brigade battalions battalion army front council institute
    institution bureau committee commission organization organisation union corporation corp corp.
    inc inc. ltd company co. bank university college group forces force guard guards militia militias
    federation association league agency authority department office administration government
    parliament assembly congress senate court police service services foundation fund alliance coalition
    network center centre unit units division regiment corps command fleet navy
    mobilization mobilisation resistance brotherhood jihad framework hezbollah hizbullah hizballah taliban
    """.split()
)
# Arabic/Persian words for the same heads, as they appear in transliterated group names.
ORG_HEADS_TRANSLITERATED = frozenset(
    """kataib kata'ib katai'b saraya harakat harakat hizb jaysh jaish liwa asaib asa'ib ansar jabhat
    jabhat tanzim majlis hashd sepah basij tayyar
    """.split()
)
# Heads that make a capitalised sequence an outlet.
MEDIA_HEADS = frozenset(
    """news times post daily journal gazette herald tribune telegraph press tv television radio
    channel agency broadcasting broadcaster network magazine review weekly monitor observer chronicle
    today online media report reporter express mirror courier sun star insider wire dispatch
    """.split()
)
# Common nouns that, right before a name, say it is an outlet ("the daily Al-Akhbar").
MEDIA_NOUNS = frozenset(
    """daily newspaper paper outlet website site channel broadcaster agency magazine weekly tabloid
    account blog outlet network station portal""".split()
)
LOC_HEADS = frozenset(
    """airport area district province governorate city town village region county state street square
    road avenue bridge port base camp valley river mountains mountain island islands strait sea gulf bay
    neighborhood neighbourhood quarter desert border crossing hospital""".split()
)
# The place heads that make a name a place whatever else is said of it: a hospital, a village or a street
# named after a person is still no person ("Al-Shifa Hospital", "Rashid Street"). Not "state" ("Islamic
# State"), "base", "camp", "port" or "area", which open or end organisation names too.
UNAMBIGUOUS_LOC_HEADS = frozenset(
    """airport district province governorate city town village county street square road avenue bridge valley
    river mountains mountain island islands strait sea gulf bay neighborhood neighbourhood desert crossing
    hospital""".split()
)
MONTHS = frozenset(
    """january february march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec""".split()
)
# Function words that only a Title Case headline capitalises inside a run ("Photos Of Faction Leaders At ...").
TITLE_CASE_FUNCTION_WORDS = frozenset("""Of At In The To For On With From By Into Onto As A An Over After Before About
    Amid Against Despite Via Near Under Upon Is Are Was Were Will Be Has Have Had""".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Words that follow "may" the modal, never "May" the name: "Trump May Not Have ...", "Trump May be Aligning"
AFTER_A_MODAL = frozenset("be not have been soon never well still yet".split())
# Finite auxiliaries: after a speaker set off by commas they resume the interrupted clause ("The best part,
# said the mayor, was the park"), where an apposition would describe the speaker
FINITE_AUXILIARIES = frozenset("is was are were has had have will would can could should may might must does did".split())


@lru_cache(maxsize=4096)
def is_place(name: str) -> bool:
    return name.lower() in PLACES_LOWER
