"""Reports: figures present in the HTML, hostile article text escaped everywhere."""

from __future__ import annotations

from lxml import html as lhtml

from mt.evaluate.report import ArticleReport, ReportData, html, markdown, write_report

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def data() -> ReportData:
    a = ArticleReport("a-en", "a-ar", f"Title {HOSTILE}", 3, 0.8, {"BLEU": 10.0, "chrF++": 40.0, "TER": 70.0, "segments": 3},
                      {"strict_precision": 1.0, "strict_recall": 1.0, "strict_f1": 1.0, "lax_f1": 1.0},
                      [[2.0, -1.0], [-1.0, 2.0]], [([0], [0]), ([1], [1])], [([0], [0]), ([1], [1])])
    b = ArticleReport("b-en", "b-ar", "Plain", 2, 0.6, None, None, [[1.0]], [([0], [0])])
    return ReportData({"ar-en": {"name": "lexicon", "reason": f"because {HOSTILE}"}}, [a, b],
                      {"BLEU": 10.0, "chrF++": 40.0, "TER": 70.0, "segments": 5}, {"BLEU": "nrefs:1|tok:13a"},
                      {"strict_precision": 1.0, "strict_recall": 1.0, "strict_f1": 1.0, "lax_f1": 1.0},
                      [0.9, 0.8, 0.2, 0.95, 0.5], {"1-1": 4, "2-1": 1}, [
                          {"article": "a-en", "turn": 1, "role": "answer", "chrF++": 12.0, "en": HOSTILE, "mt": HOSTILE,
                           "ar": "سؤال " + HOSTILE}],
                      0, [f"note {HOSTILE}"])


def test_html_has_figures_and_no_live_markup(tmp_path):
    page_text = html(data())
    page = lhtml.fromstring(page_text)
    assert not page.xpath("//script") and not page.xpath("//img")
    assert page_text.count("&lt;script&gt;") >= 4  # title, reason, turn text, note: shown, as text
    figs = {f.get("id"): f for f in page.xpath("//figure")}
    assert {"fig-scores", "fig-articles", "fig-path-1", "fig-path-2"} <= set(figs)
    for f in figs.values():
        svg = f.xpath(".//*[local-name()='svg']")
        assert svg and svg[0].xpath(".//*[local-name()='path']")  # something is drawn
    paths = write_report(data(), tmp_path)
    assert all(p.exists() for p in paths.values())


def test_path_figures_keep_their_heatmap_and_nothing_else_links():
    page = lhtml.fromstring(html(data()))
    for k in (1, 2):
        images = page.xpath(f"//figure[@id='fig-path-{k}']//*[local-name()='image']")
        hrefs = [v for im in images for a, v in im.attrib.items() if a.endswith("href")]
        assert hrefs and all(h.startswith("data:image/png;base64,") for h in hrefs)
    for el in page.xpath("//*[local-name()='svg']//*"):
        for a, v in el.attrib.items():
            assert not a.endswith("href") or v.startswith(("#", "data:image/png;base64,", "data:image/jpeg;base64,"))


def test_svg_sanitiser_keeps_only_raster_data_images():
    from mt.evaluate.report import _safe_href

    assert _safe_href("image", "data:image/png;base64,AAAA") and _safe_href("image", "data:image/jpeg;base64,AAAA")
    assert _safe_href("use", "#p1")
    assert not _safe_href("image", "data:image/svg+xml;base64,AAAA")
    assert not _safe_href("image", "javascript:alert(1)") and not _safe_href("image", "https://example.org/x.png")
    assert not _safe_href("a", "data:image/png;base64,AAAA")


def test_weakest_turns_show_the_arabic_right_to_left():
    page = lhtml.fromstring(html(data()))
    cells = page.xpath("//td[@dir='rtl']")
    assert cells and cells[0].text_content().startswith("سؤال <script>")


def test_markdown_escapes_and_tabulates():
    md = markdown(data())
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "| a-en | 3 | 0.80 | 10.00 | 40.00 | 70.00 | 1.00 |" in md
    assert "| b-en | 2 | 0.60 | — | — | — | — |" in md
    assert "`nrefs:1|tok:13a`" in md


def test_figures_carry_no_article_text_and_nothing_that_runs():
    from mt.evaluate.report import figure_articles, figure_path

    a = ArticleReport(f"id {HOSTILE} -->", "x", "t", 1, 0.5, None, None, [[1.0, 0.0]], [([0], [0])])
    for svg in (figure_path(a), figure_articles([a])):
        assert "<!--" not in svg and "alert" not in svg and "<script" not in svg and "onerror" not in svg
        assert svg.startswith("<svg") and "<path" in svg


def test_a_report_over_many_articles_stays_a_page_with_every_article_a_click_away(tmp_path):
    from dataclasses import replace

    from mt.evaluate.report import MAX_PATHS, MAX_SHOWN

    base = data()
    many = [replace(base.articles[1], id=f"art{k:04d}-en", mean_score=k / 1000) for k in range(400)]
    paths = write_report(replace(base, articles=many + [base.articles[0]]), tmp_path)
    page = lhtml.fromstring(paths["html"].read_bytes())
    assert len(page.xpath("//figure[@class='path']")) == MAX_PATHS
    rows = page.xpath("//h2[.='Articles']/following-sibling::table[1]//tr")[1:]
    assert len(rows) == MAX_SHOWN and rows[0].xpath("string(td[1])") == "art0000-en"  # the weakest first to check
    assert "of 401" in page.xpath("string(//p[@id='articles-shown'])")
    full = lhtml.fromstring(paths["articles"].read_bytes())
    assert len(full.xpath("//table//tr")) == 402 and page.xpath("//a[@href='articles.html']")
    assert not full.xpath("//script") and not full.xpath("//img") and HOSTILE in full.text_content()  # text, escaped
    assert paths["html"].stat().st_size < 2_000_000


def test_word_glosses_are_never_called_a_translation():
    page = lhtml.fromstring(html(data()))
    assert page.xpath("//h2[@id='mt-heading']")[0].text_content() == "Word glosses (lexicon)"
    assert "not the quality of a translation" in page.xpath("//p[@id='mt-note']")[0].text_content()
    assert "machine translation" not in " ".join(th.text_content() for th in page.xpath("//th"))
    assert "## Word glosses (lexicon)" in markdown(data())
    hf = data()
    hf.engines = {"ar-en": {"name": "hf", "reason": "given"}}
    assert lhtml.fromstring(html(hf)).xpath("//h2[@id='mt-heading']")[0].text_content() == "Machine translation"
