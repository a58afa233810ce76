"""The pieces of the entity recogniser's training that are not the CRF itself: word clusters learnt without
labels, the harmonising of corpus conventions, the sentence-casing and cluster features, and the span gate.

Small inline data only: no shared data, no training run.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench import word_clusters
from bench.train_ner import harmonise
from db.extract.ner import CONFIG_FILE, MODEL_DIR, model
from db.extract.ner_features import Featurizer, Gazetteer, case_class, cluster_key, document_features, sentence_casing


def _toy_corpus() -> list[list[str]]:
    cities = ["Baghdad", "Mosul", "Basra", "Ramadi", "Kirkuk", "Erbil"]
    people = ["Maliki", "Sadr", "Allawi", "Hakim", "Jaafari", "Barzani"]
    verbs = ["said", "warned", "added", "stated"]
    lines = []
    for i in range(40):
        c, p, v = cities[i % 6], people[(i * 5) % 6], verbs[i % 4]
        lines.append(f"They flew to {c} on Monday and stayed in {c} overnight .".split())
        lines.append(f"Prime Minister {p} {v} that the talks failed , aides of {p} {v} .".split())
    return lines


def test_clusters_put_words_used_alike_together_and_apart_from_others():
    # a toy vocabulary of ~20 words only carries a few dimensions
    clusters = word_clusters.build(_toy_corpus(), fine_k=6, mid_k=4, coarse_k=2, dims=4, min_count=3,
                                   contexts=40)
    city = {clusters[w][2] for w in ("baghdad", "mosul", "basra", "ramadi")}
    person = {clusters[w][2] for w in ("maliki", "sadr", "allawi", "hakim")}
    assert len(city) == 1 and len(person) == 1
    assert city != person


def test_clusters_are_the_same_on_every_run():
    a = word_clusters.build(_toy_corpus(), fine_k=6, mid_k=3, coarse_k=2, dims=8, min_count=3, contexts=40)
    b = word_clusters.build(_toy_corpus(), fine_k=6, mid_k=3, coarse_k=2, dims=8, min_count=3, contexts=40)
    assert a == b


def test_clusters_are_written_as_the_featurizer_reads_them(tmp_path):
    from db.extract.ner_features import read_word_clusters

    clusters = {"baghdad": (1, 2, 3), "0000s": (0, 0, 0)}
    word_clusters.write(clusters, tmp_path / "c.tsv")
    assert read_word_clusters(tmp_path / "c.tsv") == {"baghdad": ("1", "2", "3"), "0000s": ("0", "0", "0")}
    assert cluster_key("1990s") == "0000s"


def test_unlabelled_text_strips_feed_markup(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "a.rss").write_text(
        "<rss><item><description>&lt;p&gt;Troops entered Mosul&lt;/p&gt;</description></item></rss>",
        encoding="utf-8")
    lines = [t for t in word_clusters.tokenised_lines(word_clusters.unlabelled_lines(tmp_path))]
    assert ["Troops", "entered", "Mosul"] in lines
    assert not any("<" in tok or "p>" in tok for line in lines for tok in line)


def test_the_featurizer_gives_cluster_features_and_marks_unknown_words():
    f = Featurizer("rich", None, None, {"baghdad": ("1", "2", "3")})
    feats = f.sentence(["in", "Baghdad", "today"])
    assert {"k1=1", "k2=2", "k3=3"} <= set(feats[1])
    assert "k=?" in feats[0]
    assert "1k2=2" in feats[0] and "-1k2=2" in feats[2]
    assert not any(x.startswith("k") for x in Featurizer("rich", None).sentence(["in", "Baghdad"])[1])


def test_sentence_casing_tells_headlines_shouting_and_chat_from_prose():
    def casing(text):
        return sentence_casing([case_class(t) for t in text.split()[1:]])

    assert casing("Iraqi Forces Retake Key Bridge Near Mosul") == "T"
    assert casing("BREAKING NEWS FROM BAGHDAD TONIGHT") == "U"
    assert casing("i flew to baghdad with bob yesterday") == "l"
    assert casing("Obama met Merkel in Berlin on Monday") == "n"
    feats = Featurizer("rich", None, sentence_case=True).sentence("Forces Retake Key Bridge".split())
    assert "sc=T|c=title" in feats[0]


def test_person_tokens_are_a_word_list_feature(tmp_path):
    (tmp_path / "p.txt").write_text("shaalan\nallawi\n", encoding="utf-8")
    gaz = Gazetteer(None, tmp_path / "p.txt")
    assert "g:wdper" in gaz.flags("shaalan")
    assert "g:wdper" not in Gazetteer(None).flags("shaalan")


def test_harmonising_types_a_listed_country_loc_and_drops_a_leading_the():
    tokens = ["the", "North", "Korea", "fired", "and", "American", "officials", "said"]
    tags = ["B-ORG", "I-ORG", "I-ORG", "O", "O", "B-LOC", "O", "O"]
    assert harmonise((tokens, tags))[1] == ["O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O"]
    assert harmonise((tokens, tags), places_as_loc=True)[1] == ["O", "B-LOC", "I-LOC", "O", "O", "O", "O", "O"]
    # an organisation stays one
    assert harmonise((["Hamas", "said"], ["B-ORG", "O"]), places_as_loc=True)[1] == ["B-ORG", "O"]


def test_the_shipped_model_loads_every_word_list_its_config_names():
    config = json.loads((MODEL_DIR / CONFIG_FILE).read_text(encoding="utf-8"))
    m = model()
    assert m is not None
    if config.get("clusters"):
        assert len(m.featurizer.clusters) > 10_000
    if config.get("sentence_case"):
        assert m.featurizer.sentence_case


def test_the_model_is_given_the_word_lists_it_was_trained_with_whatever_the_apps_become(tmp_path, monkeypatch):
    """A word added to an app list for the rules ("African" as a demonym, "Sheriff" as a title) changed the
    shipped model's input without retraining it; the lists ship with the model since."""
    from db.extract import gazetteer as gz
    from db.extract.ner import WORD_LISTS_FILE

    assert (MODEL_DIR / WORD_LISTS_FILE).is_file() and model().featurizer.gazetteer is not None
    trained = Gazetteer(None)
    trained.write_lists(tmp_path / "lists.tsv")
    monkeypatch.setattr(gz, "DEMONYMS", gz.DEMONYMS | {"Wakandan"})
    assert "g:demonym" in Gazetteer(None).flags("wakandan")  # the app's list, as edited
    assert "g:demonym" not in Gazetteer(None, None, tmp_path / "lists.tsv").flags("wakandan")  # the model's
    assert Gazetteer(None, None, tmp_path / "lists.tsv").flags("iraqi") == trained.flags("iraqi")


def test_the_gate_drops_spans_below_the_threshold_and_junk_the_rules_veto(monkeypatch):
    m = model()
    tokens = "Thanks For The Prompt Service And Great Job , Ali Hassan".split()
    raw = [(0, 6, "ORG", 0.9), (9, 11, "PERSON", 0.95), (9, 10, "PERSON", 0.2)]
    monkeypatch.setattr(m, "tag_tokens", lambda toks: raw)
    assert m.entities(tokens, 0.5) == [(9, 11, "PERSON", 0.95)]
    assert (9, 10, "PERSON", 0.2) in m.entities(tokens, 0.0)


# --- one reading of a name per document --------------------------------------------------------------------

def test_a_sure_name_is_carried_to_its_other_mentions_in_the_document():
    from db.extract.ner import propagate

    doc = ["Google 's IPO was priced high .".split(), "Now people wonder if Google can survive .".split(),
           "Google Maps and google are not it .".split()]
    tagged = [[(0, 1, "ORG", 0.97)], [], [(0, 2, "LOC", 0.3)]]
    out = propagate(doc, tagged, 0.6)
    assert out[1] == [(4, 5, "ORG", 0.97)]
    # another name overlapping it stands, and a lower-case word is no mention of it
    assert out[2] == [(0, 2, "LOC", 0.3)]
    assert out[0] == [(0, 1, "ORG", 0.97)]


def test_a_name_found_with_two_types_takes_the_surer_one_and_unsure_names_carry_nothing():
    from db.extract.ner import propagate

    doc = ["Jordan said it would help .".split(), "Officials in Jordan agreed .".split(),
           "Petra was quiet .".split(), "They left Petra .".split()]
    tagged = [[(0, 1, "PERSON", 0.7)], [(2, 3, "LOC", 0.95)], [(0, 1, "LOC", 0.4)], []]
    out = propagate(doc, tagged, 0.6)
    assert out[0] == [(0, 1, "LOC", 0.95)]
    assert out[3] == []  # "Petra" was never sure


def test_the_app_reads_a_report_as_one_document(monkeypatch):
    from db.extract.ner import ner_spans
    from db.extract.sentences import split_sentences

    m = model()
    if m.anchor is None:
        pytest.skip("the shipped model carries no names")
    body = ("Ever since the first whispers about Google's IPO, investors have feared the price. "
            "What they wonder is whether Google can be anything more than a search engine.")
    # the model sure of "Google" in the first sentence only (the first shipped model missed the second
    # mention on its own; later ones find it, so the model's answer is fixed here)
    monkeypatch.setattr(m, "tag_document", lambda doc: [[(i, i + 1, "ORG", 0.97) for i, t in enumerate(toks)
                                                         if t == "Google" and "IPO" in toks] for toks in doc])
    sents = split_sentences(body)
    found = {(body[s.start:s.end], s.start) for s in ner_spans(body, sents) if s.type == "ORG"}
    second = body.index("Google", body.index("wonder"))
    assert ("Google", second) in found
    # the same sentence alone is no document with a sure mention: nothing to carry
    alone = body[body.index("What"):]
    assert "Google" not in {alone[s.start:s.end] for s in ner_spans(alone, split_sentences(alone))}
    monkeypatch.undo()
    # the shipped model itself finds both mentions in the report
    assert {body[s.start:s.end] for s in ner_spans(body, sents) if s.type == "ORG"} >= {"Google"}


def test_a_sure_persons_last_name_alone_is_the_person_when_asked():
    from db.extract.ner import propagate

    doc = ["Prime Minister Iyad Allawi spoke .".split(), "Allawi said the vote would go ahead .".split()]
    tagged = [[(2, 4, "PERSON", 0.9)], []]
    assert propagate(doc, tagged, 0.6)[1] == []
    assert propagate(doc, tagged, 0.6, surnames=True)[1] == [(0, 1, "PERSON", 0.9)]


# --- third round: capitalised runs, a dev set like the held-out files ---------------------------------------

def test_capitalised_runs_join_names_across_of_and_stop_at_punctuation():
    from db.extract.ner_features import capitalised_runs

    tokens = ("The Greater New Orleans Fair Housing Action Center ( GNOFHAC ) sued the Court of the District "
              "of Columbia , said Perry .").split()
    runs = [" ".join(tokens[a:b]) for a, b in capitalised_runs(tokens)]
    assert runs == ["The Greater New Orleans Fair Housing Action Center", "GNOFHAC",
                    "Court of the District of Columbia", "Perry"]


def test_run_features_give_every_word_of_a_name_its_last_word_and_the_words_outside():
    f = Featurizer("rich", None, runs=True)
    feats = f.sentence("by Greater New Orleans Housing Center said".split())
    assert {"rend=center", "rprev=by", "rnext=said", "rl=5", "rpos=B"} <= set(feats[1])
    assert "rpos=E" in feats[5]
    assert not any(x.startswith("r") and "=" in x and x[:2] in ("rl", "re") for x in feats[0])
    assert not any(x.startswith("rend") for x in Featurizer("rich", None).sentence(["Greater", "Center"])[0])


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_mixed_dev_set_is_never_trained_on_until_asked(tmp_path):
    from bench import train_ner as tn

    def gum(split, genres):
        return "".join(f"# newdoc id = GUM_{g}_{i}\n{split}{g.title()}{i}\tB-ORG\nsaid\tO\n\n"
                       for i, g in enumerate(genres))

    _write(tmp_path / "gum_ner/gum_train.iob2", gum("train", ["news", "bio"]))
    _write(tmp_path / "gum_ner/gum_dev.iob2", gum("dev", ["interview", "academic"]))
    _write(tmp_path / "gum_ner/gum_test.iob2", gum("test", ["news"]))
    _write(tmp_path / tn.WIKIGOLD_FILE,
           "".join(f"-DOCSTART- O\n\nWiki{i} I-LOC\n\n" for i in range(12)))
    _write(tmp_path / tn.DEV_FILE,
           "".join(f"# newdoc id = d{i}\n1\tEwt{i}\tB-PER\n\n" for i in range(4)))
    parts = tn.dev_parts(tmp_path, "mixed")
    dev = {tok for docs in parts.values() for d in docs for toks, _ in d for tok in toks}
    assert dev == {"Ewt1", "Ewt3", "devInterview0", "testNews0", "said", "Wiki5", "Wiki11"}
    corpora = ["ewt_dev_half", "gum", "wikigold"]
    train = {tok for toks, _ in tn.training_sentences(tmp_path, corpora, True, dev_set="mixed") for tok in toks}
    assert not train & (dev - {"said"})
    assert {"Ewt0", "Ewt2", "trainNews0", "trainBio1", "devAcademic1", "Wiki0", "Wiki6"} <= train
    old = {tok for toks, _ in tn.training_sentences(tmp_path, corpora, True, dev_set="ewt") for tok in toks}
    assert "devInterview0" in old and "Wiki5" in old and "Ewt1" not in old
    every = tn.training_sentences(tmp_path, corpora, True, dev_set="mixed", train_on_dev=True, news_copies=2)
    assert {tok for toks, _ in every for tok in toks} >= dev
    assert sum(toks == ["trainNews0", "said"] for toks, _ in every) == 2  # news repeated, the rest not
    assert sum(toks == ["trainBio1", "said"] for toks, _ in every) == 1


def test_a_bracketed_acronym_takes_the_type_of_the_name_it_spells():
    from db.extract.ner import define_acronyms

    doc = ["The World Health Organisation ( WHO ) warned .".split(), "Kennedy Space Center ( NASA ) opened .".split()]
    tagged = [[(1, 4, "ORG", 0.9)], [(0, 3, "LOC", 0.8), (4, 5, "ORG", 0.95)]]
    out = define_acronyms(doc, tagged)
    assert out[0] == [(1, 4, "ORG", 0.9), (5, 6, "ORG", 0.9)]
    assert out[1] == tagged[1]  # "NASA" does not spell Kennedy Space Center


# --- fourth round: document features, conjunctions, the tagger's input for every feature set --------------

def test_the_taggers_scores_give_the_tags_and_marginals_of_the_feature_strings():
    # the tagger is given each token's summed scores as a few weighted attributes (crf_scores): the same
    # tags and marginals as crfsuite's own reading of the feature strings, for every feature set
    import pycrfsuite

    from db.extract.crf_scores import Basis, CrfWeights, TokenScores
    from db.extract.ner import MODEL_DIR, MODEL_FILE, model

    shipped = model()
    crf = CrfWeights(MODEL_DIR / MODEL_FILE)
    basis = Basis(crf)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_DIR / MODEL_FILE))
    doc = ["The Greater New Orleans Fair Housing Action Center said on Monday that Mr. Smith left .".split(),
           [], "WASHINGTON ( Reuters ) -".split(), ["Hi"],
           "Iyad Allawi met the Dawa Party leaders in Baghdad and Najaf , officials told AFP .".split()]
    featurizers = [shipped.featurizer, Featurizer("plain", None)] + [
        Featurizer("rich", shipped.featurizer.gazetteer, shipped.featurizer.case_lexicon, **kw)
        for kw in ({}, {"runs": True}, {"conj": True}, {"sentence_case": True}, {"doc": True})]
    for f in featurizers:
        scores = TokenScores(f, crf)
        for _ in range(2):  # (the second time from the per-spelling cache)
            items = basis.items(scores.document(doc, document_features(f, doc) if f.doc else None))
            start = 0
            for sentence, more in zip(doc, document_features(f, doc), strict=True):
                if not sentence:
                    continue
                strings = f.sentence(sentence)
                if f.doc:
                    strings = [[*x, *m] for x, m in zip(strings, more, strict=True)]
                tagger.set(strings)
                tags = tagger.tag()
                marginals = [tagger.marginal(t, k) for k, t in enumerate(tags)]
                tagger.set(items[start:start + len(sentence)])
                assert tagger.tag() == tags
                assert [tagger.marginal(t, k) for k, t in enumerate(tags)] == pytest.approx(marginals, abs=1e-12)
                start += len(sentence)
    assert shipped.tag_document(doc)[0] == shipped.tag_tokens(doc[0])


def test_the_taggers_scores_stay_right_when_their_cache_of_spellings_starts_again(monkeypatch):
    # the cache is emptied between documents, never while a document's tokens are being looked up
    import db.extract.crf_scores as crf_scores
    from db.extract.ner import MODEL_DIR, MODEL_FILE

    shipped = model()
    crf = crf_scores.CrfWeights(MODEL_DIR / MODEL_FILE)
    doc = ["Iyad Allawi met the Dawa Party leaders in Baghdad and Najaf , officials told AFP .".split(),
           "The United Nations envoy said on Monday that talks would resume in Geneva .".split()]
    expected = crf_scores.TokenScores(shipped.featurizer, crf).document(doc)
    monkeypatch.setattr(crf_scores, "_MAX_SPELLINGS", 5)
    small = crf_scores.TokenScores(shipped.featurizer, crf)
    for _ in range(3):
        assert np.allclose(small.document(doc), expected, rtol=0, atol=1e-12)
        assert len(small._spellings) <= 5 + sum(map(len, doc))


def test_the_taggers_scores_need_a_model_file(tmp_path):
    from db.extract.crf_scores import CrfWeights

    (tmp_path / "x.crfsuite").write_bytes(b"not a model at all, just some bytes" * 4)
    with pytest.raises(ValueError):
        CrfWeights(tmp_path / "x.crfsuite")


def test_document_features_say_what_a_words_other_mentions_look_like():
    from db.extract.ner_features import document_features

    f = Featurizer("rich", Gazetteer(None), doc=True)
    doc = [["Allawi", "said", "no", "."], ["Iyad", "Allawi", "met", "the", "Dawa", "Party", "."],
           ["Dawa", "leaders", "said", "."]]
    out = document_features(f, doc)
    assert {"d:cap", "d:runlast"} <= set(out[0][0])  # the sentence opener is written capitalised elsewhere
    assert "d:n=said" in out[1][1]  # "Allawi said" elsewhere
    assert {"d:pthe", "d:runfirst"} <= set(out[2][0])  # "the Dawa Party" elsewhere
    assert out[0][2] == [] and out[1][0] == []  # a word met once has none


def test_strip_titles_leaves_a_person_without_president_or_mr(monkeypatch):
    from bench import train_ner as tn

    monkeypatch.setattr(tn, "STRIP_TITLES", True)
    tokens = ["President", "Barack", "Obama", "met", "Queen", "Elizabeth"]
    _, tags = tn.harmonise((tokens, ["B-PERSON", "I-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"]))
    assert tags == ["O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"]


def test_training_documents_give_one_document_per_sentence_without_markers(tmp_path):
    from bench import train_ner as tn

    _write(tmp_path / "btc/btc.train", "Obama\tB-PER\n\nParis\tB-LOC\n\n")
    _write(tmp_path / "btc/btc.dev", "Acme\tB-ORG\n\n")
    _write(tmp_path / "btc/btc.test", "x\tO\n\n")
    docs = tn.training_documents(tmp_path, ["btc"], True)
    assert [[toks for toks, _ in d] for d in docs] == [[["Obama"]], [["Paris"]], [["Acme"]], [["x"]]]
    assert [s for d in docs for s in d] == tn.training_sentences(tmp_path, ["btc"], True)
