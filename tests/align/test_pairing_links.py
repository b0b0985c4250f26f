"""Pairing by the pages' own links: hreflang alternates, language switchers (Polylang, WPML, Drupal) and addresses
that differ only by their language part are decisive, whatever the text says."""

from dataclasses import replace
from pathlib import Path

from mt.align.pairing import link_pairs, pair_articles
from mt.ingest import ingest_paths
from mt.ingest.links import normalize_url
from mt.store import Store

HERE = Path(__file__).parents[1] / "data" / "multilingual"
SITES = ("drupal", "newscms", "polylang", "wpml")


def articles():
    arts = ingest_paths([HERE]).articles
    return [a for a in arts if a.lang == "en"], [a for a in arts if a.lang == "ar"]


def test_each_layout_gives_its_links():
    en, ar = articles()
    by = {a.id: a.source for a in en + ar}
    assert dict(by["polylang-en"].alternates)["ar"].startswith("https://www.valley-news.example/ar/2023/05/")
    assert by["polylang-en"].canonical == "https://www.valley-news.example/2023/05/dry-spring/"
    assert dict(by["wpml-en"].alternates) == {"ar": "https://camp-voices.example/ar/tent-school-ar/"}  # a switcher named by language
    assert by["wpml-ar"].canonical == "https://camp-voices.example/ar/tent-school-ar/"  # og:url
    assert dict(by["drupal-en"].alternates) == {"ar": "https://market-daily.example/ar/node/4512"}  # relative, made absolute
    assert by["newscms-en"].alternates == ()


def test_the_links_pair_every_site_and_say_so(tmp_path):
    en, ar = articles()
    pairs = {p.en_id: p for p in pair_articles(en, ar)}
    assert {k: p.ar_id for k, p in pairs.items()} == {f"{s}-en": f"{s}-ar" for s in SITES}
    assert "links to it as its Arabic version" in pairs["polylang-en"].evidence["decisive"]
    assert "in the other language" in pairs["newscms-en"].evidence["decisive"]
    # the links survive the store: pairing stored articles gives the same
    with Store(tmp_path / "s.db") as s:
        for a in en + ar:
            s.add_article(a)
        stored_en = [s.get_article(a.id) for a in en]
        stored_ar = [s.get_article(a.id) for a in ar]
    assert stored_en[0].source == en[0].source
    assert {p.en_id: p.ar_id for p in pair_articles(stored_en, stored_ar)} == {k: p.ar_id for k, p in pairs.items()}


def test_links_beat_text_that_points_elsewhere():
    en, ar = articles()
    # the Arabic texts shuffled between the pages: by text, each English page would find another's Arabic
    texts = [a.turns for a in ar]
    swapped = [replace(a, turns=texts[(k + 1) % len(ar)]) for k, a in enumerate(ar)]
    assert {p.en_id: p.ar_id for p in pair_articles(en, swapped)} == {f"{s}-en": f"{s}-ar" for s in SITES}


def test_two_english_pages_naming_one_arabic_page_are_not_decided_by_links():
    en, ar = articles()
    poly = next(a for a in en if a.id == "polylang-en")
    twin = replace(poly, id="polylang-copy-en", source=replace(poly.source, canonical="https://elsewhere.example/copy"))
    linked = link_pairs(en + [twin], ar)
    names = [a.id for a in en + [twin]]
    assert not any(names[i] in ("polylang-en", "polylang-copy-en") for i in linked)
    assert {names[i] for i in linked} == {"drupal-en", "newscms-en", "wpml-en"}


def test_addresses_are_compared_as_pages_not_strings():
    assert normalize_url("HTTPS://www.Example.org/a/b/?utm_source=x&id=3#top") == normalize_url("http://example.org/a/b?id=3")
    assert normalize_url("https://example.org/a/index.html") == normalize_url("https://example.org/a")
    assert normalize_url("/relative/only") is None and normalize_url(None) is None


def test_head_links_alone_and_named_links_in_the_text():
    from mt.ingest.links import page_links
    from mt.ingest.readers import html_tree

    head_only = html_tree('<html><head><link rel="alternate" hreflang="ar-SY" href="https://a.example/ar/x">'
                          '<link rel="alternate" hreflang="x-default" href="https://a.example/x"></head><body><p>t</p></body></html>')
    assert page_links(head_only).alternates == (("ar", "https://a.example/ar/x"),)
    named = html_tree('<html><head><link rel="canonical" href="https://b.example/en/y"></head><body>'
                      '<p><a href="/ar/y">النسخة العربية</a> <a href="/en/z">en</a> <a href="#top">English</a></p></body></html>')
    links = page_links(named)
    # a full name anywhere counts; a bare code only inside a switcher; a link to the same page never
    assert links.canonical == "https://b.example/en/y" and links.alternates == (("ar", "https://b.example/ar/y"),)


def test_one_article_number_on_one_site_pairs_addresses_with_other_slugs():
    en, ar = articles()
    e = next(a for a in en if a.id == "newscms-en")
    a = next(x for x in ar if x.id == "newscms-ar")
    def at(art, address):
        return replace(art, source=replace(art.source, canonical=address, url=address))

    e2 = at(e, "https://news.example.com/en/articles/88213/night-shift-nurse")
    a2 = at(a, "https://news.example.com/ar/articles/88213/%d9%85%d9%85%d8%b1%d8%b6%d8%a9")
    (why,) = [w for _, w in link_pairs([e2], [a2]).values()]
    assert "article number (88213)" in why
    # a year is not an article number, nor is a number two pages of a side share
    y_en = at(e, "https://news.example.com/en/2023/story")
    y_ar = at(a, "https://news.example.com/ar/2023/qissa")
    assert link_pairs([y_en], [y_ar]) == {}
    twin = at(replace(e2, id="other-en"), "https://news.example.com/en/articles/88213/more")
    assert link_pairs([e2, twin], [a2]) == {}


def test_a_link_to_a_page_not_ingested_and_a_page_linking_to_itself_decide_nothing():
    en, ar = articles()
    missing = [a for a in ar if a.id != "polylang-ar"]  # the page polylang-en links to was not ingested
    pairs = {p.en_id: p for p in pair_articles(en, missing)}
    assert pairs["polylang-en"].ar_id != "polylang-ar" and "decisive" not in pairs["polylang-en"].evidence
    assert all("decisive" in pairs[f"{s}-en"].evidence for s in SITES if s != "polylang")
    # a misconfigured switcher: each page of the pair names itself as its other language
    e = next(a for a in en if a.id == "wpml-en")
    a = next(x for x in ar if x.id == "wpml-ar")
    e_self = replace(e, source=replace(e.source, alternates=(("ar", e.source.canonical or e.source.url),)))
    a_self = replace(a, source=replace(a.source, alternates=(("en", a.source.canonical or a.source.url),)))
    assert e_self.source.alternates[0][1] and a_self.source.alternates[0][1]
    assert link_pairs([e_self], [a_self]) == {}


def test_the_pipeline_says_the_pages_links_paired_them(tmp_path):
    import shutil

    from mt.pipeline import PipelineConfig, run_pipeline

    shutil.copytree(HERE, tmp_path / "corpus")
    result = run_pipeline(PipelineConfig(tmp_path / "corpus", tmp_path / "out", formats=("jsonl",)))
    (stage,) = [s for s in result.stages if s.name == "pair"]
    assert stage.summary["linked"] == 4 and stage.summary["method"] == "evidence"
    assert stage.line.startswith("4 pairs by the pages' own links,")
