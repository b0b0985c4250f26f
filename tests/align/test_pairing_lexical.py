"""Pairing on the articles' words through a lexicon: the evidence that separates articles with no names or numbers."""

import numpy as np
import pytest

from mt.align.bootstrap import learn
from mt.align.pairing import PairParams, StoreLexicon, evidence, lexical_similarity, pair_articles, store_lexicon
from mt.records import Article, Byline, Source, Turn
from mt.text.tokenize import word_tokens

# a small word table's teaching text, in our own words: each line once in each language
TEACH = [
    ("الماء في القرية قليل", "the water in the village is scarce"),
    ("المدرسة مغلقة منذ الشتاء", "the school has been closed since the winter"),
    ("الخبز غال في السوق", "bread is expensive in the market"),
    ("المستشفى يحتاج إلى الكهرباء", "the hospital needs electricity"),
    ("المزارعون يزرعون القمح", "the farmers grow wheat"),
    ("الأطفال يذهبون إلى المدرسة", "the children go to school"),
    ("السوق مزدحم بالناس", "the market is crowded with people"),
    ("الأطباء في المستشفى متعبون", "the doctors in the hospital are tired"),
    ("القمح يحتاج إلى الماء", "wheat needs water"),
    ("الكهرباء مقطوعة في القرية", "the electricity is cut in the village"),
    ("المعلمون في المدرسة", "the teachers at the school"),
    ("الناس يشترون الخبز", "people buy bread"),
] * 3

TOPICS = {
    "school": ("the school has been closed since the winter and the children and the teachers wait",
               "المدرسة مغلقة منذ الشتاء والأطفال والمعلمون ينتظرون"),
    "hospital": ("the hospital needs electricity and the doctors are tired",
                 "المستشفى يحتاج إلى الكهرباء والأطباء متعبون"),
    "market": ("bread is expensive in the market and people buy less bread",
               "الخبز غال في السوق والناس يشترون خبزا أقل"),
    "farm": ("the farmers grow wheat and the wheat needs water",
             "المزارعون يزرعون القمح والقمح يحتاج إلى الماء"),
}


def art(aid: str, lang: str, text: str) -> Article:
    return Article(aid, lang, None, None, Byline(), Source(f"{aid}.txt", aid.ljust(64, "0")[:64], "utf-8", "text"),
                   (Turn(0, "paragraph", text),))


def table():
    return learn([word_tokens(a, "ar") for a, _ in TEACH], [word_tokens(e, "en") for _, e in TEACH], np.ones(len(TEACH)))


def articles():
    en = [art(f"{k}-en", "en", e) for k, (e, _) in TOPICS.items()]
    ar = [art(f"{k}-ar", "ar", a) for k, (_, a) in reversed(TOPICS.items())]  # not in the English order
    return en, ar


# a model that trusts the words: what `mt pair fit` learns on real collections, in miniature
WORDS = PairParams({"lexicon": 0.0, "lexical": 6.0, "lexical_margin": 12.0}, -3.0, 0.9, {}, lexicon_threshold=0.5)


def test_each_article_is_most_like_its_own_translation():
    en, ar = articles()
    sim = lexical_similarity(en, ar, table())
    for i, e in enumerate(en):
        best = max(range(len(ar)), key=lambda j: sim[(i, j)])
        assert ar[best].id == e.id.replace("-en", "-ar")
    # the cells asked for are the cells of the whole matrix
    cells = [[0, 2], [1], [], [3, 0]]
    part = lexical_similarity(en, ar, table(), cells)
    assert set(part) == {(0, 0), (0, 2), (1, 1), (3, 3), (3, 0)}
    assert all(part[k] == pytest.approx(sim[k]) for k in part)


def test_words_pair_what_names_and_numbers_cannot():
    en, ar = articles()
    without = pair_articles(en, ar, params=WORDS)
    assert not any(p.ar_id for p in without)  # no names, no numbers, no dates: nothing to go on
    pairs = pair_articles(en, ar, params=WORDS, lexicon=table())
    assert {p.en_id: p.ar_id for p in pairs} == {e.id: e.id.replace("-en", "-ar") for e in en}
    for p in pairs:
        assert p.evidence["lexical_margin"] > 0 and p.evidence["lexical"] > 0.3
    # the same through blocked candidates: every English article meets every Arabic one only when the blocking lets it
    assert {p.en_id: p.ar_id for p in pair_articles(en, ar, params=WORDS, lexicon=table(), dense_cells=0)}.keys() == {e.id for e in en}


def test_margin_is_against_the_best_other_cell_of_row_and_column():
    en, ar = articles()
    _, ev = evidence(en, ar, lexicon=table())
    sim = lexical_similarity(en, ar, table())
    for (i, j), e in ev.items():
        others = [sim[(i, k)] for k in range(len(ar)) if k != j] + [sim[(k, j)] for k in range(len(en)) if k != i]
        assert e["lexical_margin"] == pytest.approx(sim[(i, j)] - max(others), abs=2e-3)


def test_the_threshold_depends_on_whether_there_is_a_lexicon():
    assert WORDS.threshold_for(True) == 0.5 and WORDS.threshold_for(False) == 0.9
    assert PairParams({}, 0.0, 0.4, {}).threshold_for(True) == 0.4
    assert WORDS.digest != PairParams(WORDS.weights, WORDS.bias, WORDS.threshold, {}, 0.6).digest


def test_store_lexicon_leaves_out_the_articles_being_paired(tmp_path):
    from mt.align.memory import CorpusLexicon
    from mt.store import Store

    with Store(tmp_path / "s.db") as store:
        assert store_lexicon(store) is None  # nothing learnt yet: no lexical evidence, not an empty one
        CorpusLexicon(store).learn("article:school-en", [(a, e, 1.0) for a, e in TEACH])
        assert store_lexicon(store, ["school-en"]) is None  # only what this run's own articles taught
        CorpusLexicon(store).learn("doc:other", [(a, e, 1.0) for a, e in TEACH])
        lex = store_lexicon(store, ["school-en"])
        assert isinstance(lex, StoreLexicon) and set(lex.sources) == {"doc:other"}
        en, ar = articles()
        pairs = pair_articles(en, ar, params=WORDS, lexicon=lex)
        assert {p.en_id: p.ar_id for p in pairs} == {e.id: e.id.replace("-en", "-ar") for e in en}
        before = lex.digest
        CorpusLexicon(store).learn("doc:more", [(a, e, 1.0) for a, e in TEACH[:4]])
        after = store_lexicon(store, ["school-en"]).digest
        assert after != before
        CorpusLexicon(store).learn("doc:more", [(a, e, 1.0) for a, e in TEACH[:8]])  # aligned again: same state, other counts
        assert store_lexicon(store, ["school-en"]).digest != after


def test_a_pair_the_words_point_away_from_is_not_made_and_says_why():
    from mt.align.pairing import unpaired_reason

    school = art("school-en", "en", TOPICS["school"][0] + ", said Karim Haddad")
    hospital_en = art("hospital-en", "en", TOPICS["hospital"][0])
    hospital_ar = art("hospital-ar", "ar", TOPICS["hospital"][1] + " قال كريم حداد")
    names = PairParams({"names": 20.0, "lexical": 6.0, "lexical_margin": 12.0}, -3.0, 0.5, {}, lexicon_threshold=0.5)
    # the names alone pair the school interview with the hospital one
    assert {p.en_id: p.ar_id for p in pair_articles([school], [hospital_ar], params=names)} == {"school-en": "hospital-ar"}
    pairs = {p.en_id: p for p in pair_articles([school, hospital_en], [hospital_ar], params=names, lexicon=table())}
    assert pairs["hospital-en"].ar_id == "hospital-ar"
    lone = pairs["school-en"]
    assert lone.ar_id is None and lone.evidence["nearer_in_words"] == "hospital-ar" and lone.evidence["nearer_score"] > 0.9
    assert "nearer" in unpaired_reason(lone.evidence) and "hospital-ar" in unpaired_reason(lone.evidence)
    blocked = {p.en_id: p for p in pair_articles([school, hospital_en], [hospital_ar], params=names, lexicon=table(), dense_cells=0)}
    assert blocked["school-en"].evidence.get("nearer_in_words") == "hospital-ar"
    # with no threshold at all, every English article with a candidate left is paired, and the reasons still hold
    loose = {p.en_id: p for p in pair_articles([school, hospital_en], [hospital_ar], params=names, lexicon=table(), threshold=0.0)}
    assert loose["hospital-en"].ar_id == "hospital-ar" and loose["school-en"].ar_id is None


def test_without_a_lexicon_the_shipped_file_can_leave_the_decision_to_the_hand_set_weights(tmp_path):
    from mt.align.pairing import HAND

    hand = PairParams(WORDS.weights, WORDS.bias, WORDS.threshold, {}, 0.5, "hand")
    assert hand.for_mode(False) is HAND and hand.for_mode(True) is hand and WORDS.for_mode(False) is WORDS
    assert hand.digest != WORDS.digest
    hand.save(tmp_path / "p.json")
    assert PairParams.load(tmp_path / "p.json") == hand
    # the hand-set sum pairs on names and numbers where the fitted words model, without words, has nothing
    en = [art("a-en", "en", "Karim Haddad spoke in Daraa on 2015-05-11 about 40,000 people"), art("b-en", "en", "the school")]
    ar = [art("a-ar", "ar", "تحدث كريم حداد في درعا عن 40000 شخص"), art("b-ar", "ar", "المستشفى")]
    assert [p.ar_id for p in pair_articles(en, ar, params=hand)] == ["a-ar", None]
    assert [p.ar_id for p in pair_articles(en, ar, params=WORDS)] == [None, None]
    bad = tmp_path / "bad.json"
    bad.write_text((tmp_path / "p.json").read_text().replace('"hand"', '"guess"'))
    with pytest.raises(Exception, match="without_lexicon"):
        PairParams.load(bad)


def test_a_lexicon_that_knows_too_few_of_the_words_is_left_out():
    from mt.align.pairing import MIN_COVERAGE, WordSpace

    en, ar = articles()
    assert WordSpace.build(en, ar, table()).coverage > 0.6
    one = TEACH[:1] * 3  # a store that has aligned one sentence
    tiny = learn([word_tokens(a, "ar") for a, _ in one], [word_tokens(e, "en") for _, e in one], np.ones(3))
    assert WordSpace.build(en, ar, tiny).coverage < MIN_COVERAGE
    hand = PairParams(WORDS.weights, WORDS.bias, WORDS.threshold, {}, 0.5, "hand")
    named = [art("a-en", "en", "Karim Haddad spoke in Daraa about 40,000 people and the water")]
    arabic = [art("a-ar", "ar", "تحدث كريم حداد في درعا عن 40000 شخص والماء")]
    pairs = pair_articles(named, arabic, params=hand, lexicon=tiny)
    assert [p.ar_id for p in pairs] == ["a-ar"] and "lexical" not in pairs[0].evidence  # decided as with no lexicon


def linked_site():
    """Six interviews a site links to their translations, each a few of the teaching lines, and the four topics
    (unlinked)."""
    from dataclasses import replace

    def at(a: Article, url: str) -> Article:
        return replace(a, source=replace(a.source, canonical=url, url=url))

    linked_en, linked_ar = [], []
    for k in range(6):  # six interviews the site links to their translations, each a few of the teaching lines
        lines = [TEACH[(k + d) % 12] for d in range(6)]
        e = Article(f"l{k}-en", "en", None, None, Byline(), Source(f"l{k}-en.txt", f"l{k}en".ljust(64, "0"), "utf-8", "text"),
                    tuple(Turn(i, "paragraph", en) for i, (_, en) in enumerate(lines)))
        a = Article(f"l{k}-ar", "ar", None, None, Byline(), Source(f"l{k}-ar.txt", f"l{k}ar".ljust(64, "0"), "utf-8", "text"),
                    tuple(Turn(i, "paragraph", ar) for i, (ar, _) in enumerate(lines)))
        linked_en.append(at(e, f"https://site.example/en/talk-{'abcdef'[k]}/"))
        linked_ar.append(at(a, f"https://site.example/ar/talk-{'abcdef'[k]}/"))
    return linked_en, linked_ar


def test_the_pairs_the_pages_link_teach_the_words_that_pair_the_rest():
    linked_en, linked_ar = linked_site()
    en, ar = articles()
    pairs = {p.en_id: p for p in pair_articles(linked_en + en, linked_ar + ar, params=WORDS)}
    assert all("decisive" in pairs[e.id].evidence for e in linked_en)
    for e in en:  # the unlinked ones, by the words the linked ones taught
        assert pairs[e.id].ar_id == e.id.replace("-en", "-ar")
        assert pairs[e.id].evidence["words_from"] == "the 6 pairs the pages link"
    alone = {p.en_id: p.ar_id for p in pair_articles(linked_en + en, linked_ar + ar, params=WORDS, learn_from_links=False)}
    assert all(alone[e.id] is None for e in en)
    # five linked pairs are the least the words are learnt from
    few = {p.en_id: p.ar_id for p in pair_articles(linked_en[:4] + en, linked_ar[:4] + ar, params=WORDS)}
    assert all(few[e.id] is None for e in en)


@pytest.mark.parametrize("rows", [3, 512])
def test_nearest_in_words_are_each_rows_and_each_columns_best(rows):
    from scipy import sparse

    from mt.align.pairing import WordSpace

    en = sparse.random(23, 40, density=0.2, random_state=1, format="csr")
    ar = sparse.random(17, 40, density=0.2, random_state=2, format="csr")
    space = WordSpace(en, ar, 1.0)
    S = (en @ ar.T).toarray()
    k = 4
    want = [set() for _ in range(23)]
    for i in range(23):
        want[i] |= {int(j) for j in np.argsort(-S[i])[:k] if S[i, j] > 0}
    for j in range(17):
        for i in np.argsort(-S[:, j])[:k]:
            if S[i, j] > 0:
                want[int(i)].add(j)
    assert space.nearest(k, rows=rows) == want


def test_cli_pair_says_where_the_words_came_from(tmp_path):
    from mt.store import Store
    from tests.helpers import mt

    linked_en, linked_ar = linked_site()
    en, ar = articles()
    with Store(tmp_path / "s.db") as store:
        for a in linked_en + linked_ar + en + ar:
            store.add_article(a)
    WORDS.save(tmp_path / "words.json")
    r = mt("pair", "--db", tmp_path / "s.db", "--params", tmp_path / "words.json")
    assert r.returncode == 0, r.stderr
    assert "words learnt from the 6 pairs the pages link" in " ".join(r.stdout.split())


def test_articles_without_words_are_not_compared_in_words():
    en, ar = articles()
    dots_ar, dots_en = art("n-ar", "ar", "..."), art("n-en", "en", "...")
    assert [p.ar_id for p in pair_articles(en, [dots_ar], params=WORDS, lexicon=table())] == [None] * 4
    assert [p.ar_id for p in pair_articles([dots_en], ar, params=WORDS, lexicon=table())] == [None]


def test_a_store_lexicon_too_small_to_use_leaves_the_links_to_teach():
    linked_en, linked_ar = linked_site()
    en, ar = articles()
    one = TEACH[:1] * 3
    tiny = learn([word_tokens(a, "ar") for a, _ in one], [word_tokens(e, "en") for _, e in one], np.ones(3))
    pairs = {p.en_id: p for p in pair_articles(linked_en + en, linked_ar + ar, params=WORDS, lexicon=tiny)}
    assert all(pairs[e.id].ar_id == e.id.replace("-en", "-ar") and "words_from" in pairs[e.id].evidence for e in en)


def test_no_learning_from_links_holds_for_links_found_among_the_rest():
    from dataclasses import replace

    import mt.align.pairing as pairing

    def page(aid, lang, url, alternates=()):
        a = art(aid, lang, "the school is closed" if lang == "en" else "المدرسة مغلقة")
        return replace(a, source=replace(a.source, url=url, alternates=tuple(alternates)))

    en, ar = articles()  # and articles no link pairs, left for the words
    for k in range(6):  # two English pages share an article number until one of them is paired by its own link
        n = 20480 + k
        en += [page(f"e{k}", "en", f"https://site.example/en/story/{n}"),
               page(f"f{k}", "en", f"https://site.example/en/more/{n}", [("ar", f"https://site.example/ar/x/{70000 + k}")])]
        ar += [page(f"a{k}", "ar", f"https://site.example/ar/news/{n}"), page(f"b{k}", "ar", f"https://site.example/ar/x/{70000 + k}")]
    calls = []
    real = pairing.linked_lexicon
    try:
        pairing.linked_lexicon = lambda pairs: calls.append(len(pairs)) or real(pairs)
        made = {p.en_id: p.ar_id for p in pair_articles(en, ar, learn_from_links=False)}
        assert calls == []
        assert all(made[f"e{k}"] == f"a{k}" and made[f"f{k}"] == f"b{k}" for k in range(6))
        pair_articles(en, ar)
        assert calls  # and it does learn when allowed
    finally:
        pairing.linked_lexicon = real


def test_a_word_space_built_on_other_articles_is_built_again_from_its_table():
    from mt.align.pairing import WordSpace

    linked_en, linked_ar = linked_site()
    en, ar = articles()
    space = WordSpace.build(linked_en + en, linked_ar + ar, table())
    pairs = {p.en_id: p.ar_id for p in pair_articles(linked_en + en, linked_ar + ar, params=WORDS, lexicon=space)}
    assert all(pairs[e.id] == e.id.replace("-en", "-ar") for e in en)
    with pytest.raises(ValueError, match="other articles"):
        WordSpace.on(en[:2], ar, WordSpace(space.en, space.ar, 1.0))


def test_a_vetoed_pair_is_not_made_even_with_no_threshold():
    school = art("school-en", "en", TOPICS["school"][0] + ", said Karim Haddad")
    hospital_en, farm_en = art("hospital-en", "en", TOPICS["hospital"][0]), art("farm-en", "en", TOPICS["farm"][0])
    hospital_ar = art("hospital-ar", "ar", TOPICS["hospital"][1] + " قال كريم حداد")
    market_ar = art("market-ar", "ar", TOPICS["market"][1])  # nearer in words to someone else for both English left
    names = PairParams({"names": 20.0, "lexical": 6.0, "lexical_margin": 12.0}, -3.0, 0.5, {}, lexicon_threshold=0.5)
    for kw in ({}, {"dense_cells": 0}):
        pairs = {p.en_id: p.ar_id for p in pair_articles([hospital_en, school, farm_en], [hospital_ar, market_ar], params=names,
                                                         lexicon=table(), threshold=0.0, **kw)}
        assert pairs == {"hospital-en": "hospital-ar", "school-en": None, "farm-en": None}
