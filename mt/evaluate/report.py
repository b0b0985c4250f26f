"""A report per run: Markdown for the terminal and git, one self-contained HTML file with figures.

Figures are drawn with matplotlib as inline SVG (text as paths, so no article text reaches the
markup); everything else goes through Jinja2 with autoescaping, since article text is untrusted.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mt.evaluate.align_score import score_alignments
from mt.evaluate.mt_metrics import SegmentStats
from mt.fileio import atomic_write

MAX_SHOWN = 50  # articles in the report's table and per-article figure
MAX_PATHS = 12  # articles whose alignment path is drawn
TER_MAX_SEGMENTS = 200  # beyond this many segments, TER on a seeded sample of this many


@dataclass
class ArticleReport:
    id: str
    ar_id: str | None
    title: str
    beads: int
    mean_score: float
    mt: dict | None = None  # BLEU, chrF++, TER, segments
    alignment: dict | None = None  # strict/lax against gold
    similarity: list[list[float]] | None = None  # turn-level 1-1 scores, Arabic rows × English columns
    path: list[tuple[list[int], list[int]]] = field(default_factory=list)  # turn beads
    gold: list[tuple[list[int], list[int]]] | None = None


@dataclass
class ReportData:
    engines: dict
    articles: list[ArticleReport]
    mt: dict | None  # corpus scores
    signatures: dict[str, str]
    alignment: dict | None
    bead_scores: list[float]
    kinds: dict[str, int]
    worst_turns: list[dict]
    synthetic: int
    notes: list[str] = field(default_factory=list)
    uncertain: list[tuple[str, str]] = field(default_factory=list)  # (article, warning): turns to check by hand

    def summary(self) -> dict:
        return {"mt": self.mt, "alignment": self.alignment, "kinds": self.kinds, "synthetic": self.synthetic,
                "articles": len(self.articles), "signatures": self.signatures}


def _gold_for(article, gold_dir: Path | None):
    if gold_dir is None:
        return None
    path = Path(gold_dir) / f"{Path(article.source.path).stem}.json"
    if not path.is_file():
        return None
    from mt.errors import InputError

    try:
        beads = json.loads(path.read_text("utf-8"))["beads"]
        out = [(tuple(a), tuple(e)) for a, e in beads]
        if not all(isinstance(i, int) for a, e in out for i in (*a, *e)):
            raise TypeError
        return out
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise InputError('not a gold alignment: expected {"beads": [[[arabic turn ids], [english turn ids]], ...]}',
                         str(path)) from None


def collect(store, articles, pairs, gold_dir: Path | None, *, engines: dict | None = None,
            similarity: dict[str, list[list[float]]] | None = None) -> ReportData:
    """Everything the report shows, computed from the store. ``similarity``: per English article, the turn
    similarity the alignment used (the align stage records it); where it is missing, the first pass's, recomputed."""
    from mt.align import Aligner, DocPair

    by_id = {a.id: a for a in articles}
    notes: list[str] = []
    reports: list[ArticleReport] = []
    hyps: list[str] = []
    refs: list[str] = []
    scores: list[float] = []
    kinds: Counter[str] = Counter()
    turn_rows: list[dict] = []
    rows_of: dict[str, list[int]] = {}  # an article's segments among all scored
    gold_all, test_all = [], []
    synthetic = 0
    aligner = None  # only for articles whose alignment did not record its similarity
    for p in pairs:
        e = by_id[p.en_id]
        beads = store.beads(p.en_id)
        if not p.ar_id:
            synthetic += len(beads)
            continue
        a = by_id[p.ar_id]
        human = [b for b in beads if b.origin == "human"]
        complete = [b for b in human if b.complete]
        kinds.update(b.kind for b in human)
        scores.extend(b.score for b in complete)
        rep = ArticleReport(p.en_id, p.ar_id, e.title or p.en_id, len(human),
                            float(np.mean([b.score for b in complete])) if complete else 0.0)
        with_mt = [b for b in complete if b.mt is not None]
        if with_mt:
            start = len(hyps)
            rows_of[p.en_id] = list(range(start, start + len(with_mt)))
            hyps += [b.mt or "" for b in with_mt]
            refs += [b.en for b in with_mt]
            per_turn: defaultdict[int | None, list[int]] = defaultdict(list)
            for k, b in enumerate(with_mt):
                per_turn[b.parent].append(start + k)
            for t, rows in per_turn.items():
                turn_rows.append({"article": p.en_id, "turn": t, "role": with_mt[rows[0] - start].role, "rows": rows,
                                  "mt": " ".join(hyps[r] for r in rows), "en": " ".join(refs[r] for r in rows),
                                  "ar": " ".join(with_mt[r - start].ar for r in rows)})
        turns = store.beads(p.en_id, level="turn")
        rep.path = [(list(b.ar_index), list(b.en_index)) for b in turns]
        used = (similarity or {}).get(p.en_id)
        if used is None:
            aligner = aligner or Aligner()
            doc = DocPair([t.text for t in a.turns], [t.text for t in e.turns], "ar", "en",
                          [t.role for t in a.turns], [t.role for t in e.turns])
            used = aligner.similarity(doc).round(3).tolist()
        rep.similarity = used
        gold = _gold_for(e, gold_dir)
        if gold is not None:
            test = [(tuple(b.ar_index), tuple(b.en_index)) for b in turns]
            n_ar, n_en = len(a.turns), len(e.turns)
            if max((i for g in gold for i in g[0]), default=-1) >= n_ar or max((j for g in gold for j in g[1]), default=-1) >= n_en:
                notes.append(f"{p.en_id}: gold turns do not match the ingested turns; not scored")
            else:
                rep.gold = [(list(x), list(y)) for x, y in gold]
                rep.alignment = _align_dict(score_alignments([gold], [test]))
                gold_all.append(gold)
                test_all.append(test)
        reports.append(rep)
    corpus, sigs = None, {}
    if hyps:
        # each segment's statistics once; articles, turns and the corpus are sums of them (as sacrebleu's corpus score is)
        stats = SegmentStats(hyps, refs, "en", ter_max=TER_MAX_SEGMENTS)
        if stats.ter_sampled:
            notes.append(f"TER is measured on a seeded sample of {len(stats.ter_rows)} of {stats.n} segments (its shift search "
                         f"costs tens of milliseconds a segment), for the corpus only; BLEU and chrF++ on every segment")
        for r in reports:
            if r.id in rows_of:
                r.mt = stats.scores(rows_of[r.id]).as_dict()
        cs = stats.scores()
        corpus, sigs = cs.as_dict(), cs.signatures
        for row, s in zip(turn_rows, stats.group_scores([r.pop("rows") for r in turn_rows])):
            row.update(s)
    worst = sorted(turn_rows, key=lambda r: r.get("chrF++", 0))[:10]
    alignment = _align_dict(score_alignments(gold_all, test_all)) if gold_all else None
    uncertain = [(a.id, w) for a in articles for w in a.warnings if w.startswith("roles uncertain")]
    return ReportData(engines or {}, reports, corpus, sigs, alignment, scores, dict(sorted(kinds.items())), worst,
                      synthetic, notes, uncertain)


def _align_dict(s) -> dict:
    return {"strict_precision": round(s.precision_strict, 4), "strict_recall": round(s.recall_strict, 4),
            "strict_f1": round(s.f1_strict, 4), "lax_f1": round(s.f1_lax, 4)}


# -- figures --------------------------------------------------------------------------------------

def _safe_href(tag: str, value: str) -> bool:
    """A link inside the figure itself, or a raster image embedded in it (matplotlib's heatmaps); nothing else."""
    if value.startswith("#"):
        return True
    return tag == "image" and value.startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))


def _svg(fig) -> str:
    """The figure as inline SVG, made safe to put into the page unescaped.

    Text is drawn as paths, but matplotlib keeps each label in an XML comment (escaped); comments are
    dropped, and anything that could run (script, foreignObject, event attributes, links) is removed;
    embedded PNG and JPEG images (the heatmaps) stay.
    """
    import matplotlib.pyplot as plt
    from lxml import etree

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    root = etree.fromstring(buf.getvalue(), etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True))
    for el in list(root.iter()):
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag in ("script", "foreignObject", "a"):
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            if etree.QName(attr).localname.lower().startswith("on") or attr.endswith("href") and not _safe_href(tag, el.attrib[attr]):
                del el.attrib[attr]
    return etree.tostring(root, encoding="unicode")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "mt-report", "font.size": 9})
    return plt


def figure_scores(scores: list[float]) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.hist(scores, bins=np.linspace(0, 1, 21), color="#3b6ea5", edgecolor="white")
    ax.set_xlabel("bead score (P correct)")
    ax.set_ylabel("sentence beads")
    ax.set_title("Distribution of bead scores")
    return _svg(fig)


def figure_articles(articles: list[ArticleReport]) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(articles)))
    y = np.arange(len(articles))
    chrf = [a.mt["chrF++"] / 100 if a.mt else 0 for a in articles]
    mean = [a.mean_score for a in articles]
    f1 = [a.alignment["strict_f1"] if a.alignment else 0 for a in articles]
    ax.barh(y - 0.27, mean, 0.26, label="mean bead score", color="#3b6ea5")
    ax.barh(y, f1, 0.26, label="alignment F1 vs gold", color="#6aa84f")
    ax.barh(y + 0.27, chrf, 0.26, label="MT chrF++ / 100", color="#e69138")
    ax.set_yticks(y, [a.id[:40] for a in articles])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 / max(1, len(articles)) - 0.08), ncol=3, fontsize=7)
    ax.set_title("Per article")
    return _svg(fig)


def figure_path(a: ArticleReport) -> str:
    plt = _plt()
    S = np.array(a.similarity or [[0.0]])
    n, m = S.shape
    fig, ax = plt.subplots(figsize=(min(7, 1.5 + 0.3 * m), min(7, 1.2 + 0.3 * n)))
    lim = max(1e-6, float(np.abs(S).max()))
    im = ax.imshow(S, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    fig.colorbar(im, ax=ax, fraction=0.04, label="1-1 score")
    for kind, beads, style in (("gold", a.gold or [], dict(marker="s", s=90, facecolors="none", edgecolors="#222", linewidths=1.2)),
                               ("aligned", a.path, dict(marker="o", s=22, color="#111"))):
        xs, ys = [], []
        for src, tgt in beads:
            for i in src:
                for j in tgt:
                    ys.append(i)
                    xs.append(j)
        if xs:
            ax.scatter(xs, ys, label=kind, **style)
    ax.set_xlabel("English turn")
    ax.set_ylabel("Arabic turn")
    ax.set_title(a.id[:60])
    if a.path:
        ax.legend(loc="upper right", fontsize=7)
    return _svg(fig)


# -- writing --------------------------------------------------------------------------------------

def _fmt(v) -> str:
    return "—" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)


def mt_heading(engines: dict) -> tuple[str, str]:
    """What the Arabic → English output is called in the report, and a note when it is not a translation."""
    eng = engines.get("ar-en") or {}
    if eng.get("name") == "lexicon":
        return ("Word glosses (lexicon)", "The lexicon engine glosses word by word: these scores are a floor to compare a "
                "model against, not the quality of a translation. Give a model (--engine hf/ct2 --model …) for MT figures.")
    return "Machine translation", ""


def markdown(data: ReportData) -> str:
    L = ["# mt run report", ""]
    for k, v in data.engines.items():
        L.append(f"- engine {_md(k.replace('-', '→'))}: **{_md(v['name'])}** ({_md(v['reason'])})")
    L.append("")
    if data.mt:
        title, note = mt_heading(data.engines)
        L += [f"## {title} (Arabic → English, against the published English)", ""] + ([note, ""] if note else []) + [
              "| BLEU | chrF++ | TER | segments |", "|---:|---:|---:|---:|",
              f"| {data.mt['BLEU']:.2f} | {data.mt['chrF++']:.2f} | {data.mt['TER']:.2f} | {data.mt['segments']} |", ""]
        L += [f"- {k}: `{v}`" for k, v in data.signatures.items()] + [""]
    if data.alignment:
        al = data.alignment
        L += ["## Alignment against gold (turn level)", "",
              f"strict P {al['strict_precision']:.3f} · R {al['strict_recall']:.3f} · F1 {al['strict_f1']:.3f} · lax F1 {al['lax_f1']:.3f}", ""]
    L += ["## Articles", "", "| article | beads | mean score | BLEU | chrF++ | TER | align F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for a in data.articles:
        mt = a.mt or {}
        L.append(f"| {_md(a.id)} | {a.beads} | {a.mean_score:.2f} | {_fmt(mt.get('BLEU'))} | {_fmt(mt.get('chrF++'))} | "
                 f"{_fmt(mt.get('TER'))} | {_fmt(a.alignment['strict_f1'] if a.alignment else None)} |")
    L += ["", "## Beads by type", "", " · ".join(f"{_md(k)}: {v}" for k, v in data.kinds.items()) or "none", ""]
    if data.synthetic:
        L += [f"Synthetic (machine-translated English-only articles, kept apart): {data.synthetic} beads.", ""]
    if data.worst_turns:
        L += ["## Weakest turns by chrF++", "", "| article | turn | role | chrF++ |", "|---|---:|---|---:|"]
        L += [f"| {_md(r['article'])} | {r['turn']} | {_md(r['role'])} | {r.get('chrF++', 0):.1f} |" for r in data.worst_turns]
        L.append("")
    if data.uncertain:
        L += ["## Articles whose roles are uncertain", "", "Ingestion could not tell who asks; check their turns.", ""]
        L += [f"- {_md(i)}: {_md(w)}" for i, w in data.uncertain] + [""]
    L += [f"> {_md(n)}" for n in data.notes]
    return "\n".join(L) + "\n"


def _md(text: str) -> str:
    """Markdown table cells: pipes and angle brackets escaped, one line."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")




def _templates():
    """The report's templates, autoescaped: article text is untrusted."""
    from jinja2 import Environment, PackageLoader

    return Environment(loader=PackageLoader("mt.evaluate", "templates"), autoescape=True)


def html(data: ReportData) -> str:

    env = _templates()
    # a report over hundreds of articles stays a page that opens at once: the articles to check first (lowest mean
    # bead score) in the table and its figure, path figures for fewer still; every article is in articles.html
    first = sorted(data.articles, key=lambda a: a.mean_score)
    shown = [a for a in data.articles if a in first[:MAX_SHOWN]]
    drawn = [a for a in data.articles if a in first[:MAX_PATHS]]
    return env.get_template("report.html").render(
        engines=data.engines, mt=data.mt, signatures=data.signatures, alignment=data.alignment,
        fig_scores=figure_scores(data.bead_scores), fig_articles=figure_articles(shown),
        articles=shown, total_articles=len(data.articles), kinds=data.kinds, synthetic=data.synthetic,
        paths=[(a, figure_path(a)) for a in drawn], max_shown=MAX_SHOWN, max_paths=MAX_PATHS,
        worst=data.worst_turns, notes=data.notes, fmt=_fmt, uncertain=data.uncertain, mt_heading=mt_heading(data.engines),
    )


def articles_html(data: ReportData) -> str:
    """Every article's figures, one row each: the detail a click away from the report."""
    env = _templates()
    return env.get_template("articles.html").render(articles=data.articles, fmt=_fmt)


def write_report(data: ReportData, out_dir: Path) -> dict[str, Path]:
    out_dir = Path(out_dir)
    paths = {"markdown": out_dir / "report.md", "html": out_dir / "report.html", "json": out_dir / "report.json"}
    atomic_write(paths["markdown"], markdown(data))
    atomic_write(paths["html"], html(data))
    paths["articles"] = out_dir / "articles.html"
    atomic_write(paths["articles"], articles_html(data))
    atomic_write(paths["json"], json.dumps(data.summary() | {"per_article": [
        {"id": a.id, "ar_id": a.ar_id, "beads": a.beads, "mean_score": round(a.mean_score, 4), "mt": a.mt,
         "alignment": a.alignment} for a in data.articles]}, ensure_ascii=False, indent=2) + "\n")
    return paths
