"""Document pairing: which Arabic article is the source of which English one.

From an explicit manifest when there is one; otherwise by evidence between every English and
Arabic article — names (consonant skeletons across scripts), numbers, publication dates, the shape
of the interview (how many questions), the articles' words compared through a lexicon when there is one
(the store's corpus lexicon), and the machine translation's chrF when an engine is given — weighed by a
fitted logistic model, then a one-to-one assignment (Hungarian algorithm) with a threshold. English
articles with no Arabic source stay in the corpus, marked as such.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from mt.align.scorers.match import arabic_skeleton, latin_skeleton, numbers
from mt.errors import InputError
from mt.records import Article, Pairing
from mt.text.arabic import normalize_for_matching

WEIGHTS = {"names": 0.4, "numbers": 0.25, "date": 0.15, "shape": 0.2}  # the hand-set values, when no fitted file is found
MT_WEIGHT = 0.5  # when machine translation is available, chrF takes half the weight
FEATURES = ("names", "shared_names", "numbers", "shared_numbers", "date", "dated", "shape", "length", "lexicon", "lexical",
            "lexical_margin")
# the values shipped with mt: ``mt pair fit`` on the four development collections (eval/bench_pair.py measures them
# held out by collection)
PARAMS_FILE = Path(__file__).parent / "data" / "pairing.json"


@dataclass(frozen=True)
class PairParams:
    """Fitted values of the text evidence (``mt pair fit``): a logistic model of "this Arabic article is the English one's
    source" over :data:`FEATURES`, and the thresholds chosen for precision, without and with a lexicon (lexical
    evidence separates pairs so much better that one threshold for both would throw most of it away)."""

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict
    lexicon_threshold: float | None = None
    # "hand": without a lexicon, the hand-set weighted sum decides (see WITHOUT_LEXICON); "fitted": this model
    without_lexicon: str = "fitted"

    def threshold_for(self, lexicon: bool) -> float:
        return self.lexicon_threshold if lexicon and self.lexicon_threshold is not None else self.threshold

    def for_mode(self, lexicon: bool) -> PairParams:
        """The values that decide with or without a lexicon."""
        return HAND if not lexicon and self.without_lexicon == "hand" else self

    @classmethod
    def load(cls, path: Path) -> PairParams:
        import json

        try:
            d = json.loads(Path(path).read_text("utf-8"))
            lt = d.get("lexicon_threshold")
            mode = d.get("without_lexicon", "fitted")
            if mode not in ("hand", "fitted"):
                raise ValueError(f"without_lexicon is {mode!r}, not hand or fitted")
            return cls(dict(d["weights"]), float(d["bias"]), float(d["threshold"]), d.get("meta", {}),
                       None if lt is None else float(lt), mode)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"cannot read pairing values: {e}", str(path)) from None

    def save(self, path: Path) -> None:
        import json

        from mt.fileio import atomic_write

        body = {"format": "mt-pairing", "version": 1, "weights": self.weights, "bias": self.bias, "threshold": self.threshold,
                "lexicon_threshold": self.lexicon_threshold, "without_lexicon": self.without_lexicon, "meta": self.meta}
        atomic_write(Path(path), json.dumps(body, indent=1, ensure_ascii=False) + "\n")

    @property
    def digest(self) -> str:
        """A short hash of the numbers: what a stored pairing says it was made with."""
        import hashlib
        import json

        body = json.dumps({"w": self.weights, "b": self.bias, "t": self.threshold, "lt": self.lexicon_threshold,
                           "hand": bool(self.meta.get("hand")), "without": self.without_lexicon}, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:12]

    def probability(self, f: list[float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in zip(FEATURES, f))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


HAND = PairParams({}, 0.0, 0.35, {"hand": True})  # the weighted sum of WEIGHTS, as before values were fitted


def load_pair_params(path: Path | None = None) -> PairParams:
    """``path``, else ``$MT_PAIR_PARAMS``, else the values shipped with mt, else the hand-set ones."""
    import os

    p = Path(path or os.environ.get("MT_PAIR_PARAMS") or PARAMS_FILE)
    return PairParams.load(p) if p.exists() else HAND


def pair_features(ev: dict, e: Article, a: Article) -> list[float]:
    dated = 1.0 if e.date and a.date else 0.0
    le, la = max(1, len(_text(e))), max(1, len(_text(a)))
    lex = "lexical" in ev
    return [ev["names"], math.log1p(ev["shared_names"]), ev["numbers"], math.log1p(len(ev["shared_numbers"])),
            ev["date"] * dated, dated, ev["shape"], abs(math.log(la / le)), float(lex), ev.get("lexical", 0.0),
            ev.get("lexical_margin", 0.0)]


def _text(a: Article, speakers: bool = True) -> str:
    # speakers too: the interviewer's and the interviewee's names are often only in the labels of their turns (but
    # not for chrF, whose machine translation is of the turns' text alone)
    return "\n".join([a.title or ""] + [f"{t.speaker}: {t.text}" if t.speaker and speakers else t.text for t in a.turns])


def _name_skeletons(a: Article) -> list[str]:
    if a.lang == "ar":
        words = re.findall(r"[\u0621-\u064a\u0671]+", normalize_for_matching(_text(a)))
        return [s for s in (arabic_skeleton(w) for w in words) if len(s) >= 3]
    words = re.findall(r"\b[A-Z][\w'’-]+", _text(a))
    return [s for s in (latin_skeleton(w) for w in words) if len(s) >= 3]


def _idf(docs: list[set[str]]) -> dict[str, float]:
    df = Counter(x for d in docs for x in d)
    n = len(docs)
    return {x: math.log((n + 1) / (c + 0.5)) + 0.1 for x, c in df.items()}


def _overlap(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    """Weighted Dice: what the two sets share, weighted by rarity across the corpus."""
    wa = sum(idf.get(x, 1.0) for x in a)
    wb = sum(idf.get(x, 1.0) for x in b)
    if not wa or not wb:
        return 0.0
    shared = sum(idf.get(x, 1.0) for x in a & b)
    return 2 * shared / (wa + wb)


def _date_score(d1: str | None, d2: str | None, max_days: int) -> float:
    if not d1 or not d2:
        return 0.5  # unknown: neither for nor against
    days = abs((dt.date.fromisoformat(d1) - dt.date.fromisoformat(d2)).days)
    return max(0.0, 1.0 - days / max_days) if days <= max_days else 0.0


def _shape(a: Article, b: Article) -> float:
    qa = sum(t.role == "question" for t in a.turns)
    qb = sum(t.role == "question" for t in b.turns)
    if qa == qb == 0:
        return 0.5
    return 1.0 - abs(qa - qb) / max(qa, qb)


def _bags(arts: list[Article], lang: str) -> tuple[Any, list[str]]:
    """Word counts of each article (rows) over the articles' vocabulary."""
    from scipy import sparse

    from mt.text.tokenize import word_tokens

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, a in enumerate(arts):
        for w in word_tokens(_text(a), lang):
            rows.append(r)
            cols.append(vocab.setdefault(w, len(vocab)))
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(arts), max(1, len(vocab))))
    m.sum_duplicates()
    return m, list(vocab)


WORD_NEIGHBOURS = 10  # in blocked pairing, each article's nearest in words are candidates (and their rivals for the margin)
MIN_COVERAGE = 0.3  # a lexicon that knows fewer of the Arabic articles' words than this is not used (see WordSpace)


@dataclass
class WordSpace:
    """English and Arabic articles as vectors over the words of both languages: the Arabic put into English words and
    the English into Arabic ones through a lexicon (anything with ``matrices(src_vocab, tgt_vocab)``, as
    :class:`mt.align.bootstrap.LinkModel`: p(English word | Arabic word) and back), each language's words weighted by
    their rarity among its articles, counts dampened (square root). The dot product of two articles is the mean of
    their cosines in the two languages: on a held-out collection, 354 of 359 true pairs are each other's nearest
    that way, 324 in English words alone.

    ``coverage``: the share of the Arabic articles' words the lexicon has a translation for. Below
    :data:`MIN_COVERAGE` (a store that has aligned a few sentences) every article is about as far from every other,
    and the words would only veto pairs the other evidence makes; such a lexicon is left out."""

    en: Any
    ar: Any
    coverage: float
    ids: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # the articles it was built on (English, Arabic)
    table: Any = None  # the word table it was built with

    @classmethod
    def on(cls, en: list[Article], ar: list[Article], lexicon) -> WordSpace:
        """``lexicon`` over these articles: built from a word table, or a space already built on them (or rebuilt
        from its table when it was built on others)."""
        if not isinstance(lexicon, WordSpace):
            return cls.build(en, ar, lexicon)
        if lexicon.ids == (tuple(a.id for a in en), tuple(a.id for a in ar)):
            return lexicon
        if lexicon.table is None:
            raise ValueError("a WordSpace built on other articles, without the table to build it again")
        return cls.build(en, ar, lexicon.table)

    @classmethod
    def build(cls, en: list[Article], ar: list[Article], lexicon) -> WordSpace:
        from scipy import sparse

        ids = (tuple(a.id for a in en), tuple(a.id for a in ar))
        E, ev = _bags(en, "en")
        A, av = _bags(ar, "ar")
        if not ev or not av:  # no words on one side: nothing to compare, and a lexicon that knows none of them
            return cls(sparse.csr_matrix((len(en), 1)), sparse.csr_matrix((len(ar), 1)), 0.0, ids, lexicon)
        fwd, bwd = lexicon.matrices(av, ev)
        # both directions must agree, as in the aligner's lexical scorer: IBM-1 links any rare word to "the"
        both = fwd.multiply(bwd.T.tocsr()).sqrt().tocsr()
        mass = np.asarray(A.sum(axis=0)).ravel()
        known = np.asarray(both.sum(axis=1)).ravel() > 0
        coverage = float(mass[known].sum() / mass.sum()) if mass.sum() else 0.0
        def rarity(M, n: int) -> np.ndarray:
            return np.maximum(np.log((n + 1) / (np.asarray((M > 0).sum(axis=0)).ravel() + 0.5)), 0.1)

        def unit(M, idf):
            M = M.multiply(idf[None, :]).tocsr()
            M.data = np.sqrt(M.data)
            norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
            # 1/√2: the two languages' unit vectors side by side make a unit vector, and dot products their mean cosine
            return (sparse.diags(np.where(norms > 0, np.sqrt(0.5) / np.maximum(norms, 1e-12), 0.0)) @ M).tocsr()

        idf_en, idf_ar = rarity(E, len(en)), rarity(A, len(ar))
        en_side = sparse.hstack([unit(E, idf_en), unit(E @ both.T, idf_ar)]).tocsr()
        ar_side = sparse.hstack([unit(A @ both, idf_en), unit(A, idf_ar)]).tocsr()
        return cls(en_side, ar_side, coverage, ids, lexicon)

    def nearest(self, k: int = WORD_NEIGHBOURS, rows: int = 512) -> list[set[int]]:
        """For each English article, the Arabic ones among the ``k`` nearest to it in words, or to which it is among
        the ``k`` nearest: the candidates words give to blocked pairing (computed a block of rows at a time)."""
        n, m = self.en.shape[0], self.ar.shape[0]
        out: list[set[int]] = [set() for _ in range(n)]
        best_of_col = np.full((min(k, n), m), -1.0), np.full((min(k, n), m), -1, dtype=np.int64)
        kk = min(k, m)
        for start in range(0, n, rows):
            block = (self.en[start:start + rows] @ self.ar.T).toarray()
            top = np.argpartition(-block, kk - 1, axis=1)[:, :kk] if kk < m else np.tile(np.arange(m), (len(block), 1))
            for r, js in enumerate(top):
                out[start + r].update(int(j) for j in js if block[r, j] > 0)
            # the k best English rows of every Arabic column so far
            vals, idx = best_of_col
            both_v = np.vstack([vals, block])
            both_i = np.vstack([idx, np.arange(start, start + len(block))[:, None].repeat(m, axis=1)])
            keep = np.argsort(-both_v, axis=0, kind="stable")[: len(vals)]
            best_of_col = np.take_along_axis(both_v, keep, axis=0), np.take_along_axis(both_i, keep, axis=0)
        vals, idx = best_of_col
        for r, j in zip(*np.nonzero((idx >= 0) & (vals > 0))):
            out[int(idx[r, j])].add(int(j))
        return out

    def similarity(self, cells: list[list[int]] | None = None) -> dict[tuple[int, int], float]:
        """Cosine of each English article with each Arabic one: every pair, or the ``cells`` asked for."""
        if cells is None:
            S = (self.en @ self.ar.T).toarray()
            return {(i, j): float(S[i, j]) for i in range(S.shape[0]) for j in range(S.shape[1])}
        out: dict[tuple[int, int], float] = {}
        for i, js in enumerate(cells):
            if js:
                row = np.asarray((self.ar[js] @ self.en[i].T).todense()).ravel()
                out.update({(i, j): float(v) for j, v in zip(js, row)})
        return out


def lexical_similarity(en: list[Article], ar: list[Article], lexicon, cells: list[list[int]] | None = None) -> dict[tuple[int, int], float]:
    """Cosine between each English article and each Arabic one put into English words through ``lexicon``
    (:class:`WordSpace`); only the ``cells`` asked for (default: every pair)."""
    return WordSpace.build(en, ar, lexicon).similarity(cells)


class StoreLexicon:
    """The store's corpus lexicon as a word table for pairing, without what the store learnt from ``own`` articles
    (a run's pairing must not learn from its own alignments: its mistakes would come back as evidence, and every
    rerun would pair again)."""

    def __init__(self, store, own: Sequence[str] = ()):
        from mt.align.memory import CorpusLexicon

        self.exclude = tuple(sorted(f"article:{i}" for i in own))
        # a source's state, what it weighs and when it last changed: a document aligned again keeps its state, not its counts
        self.sources = {src.source: f"{src.state}@{src.updated_at}:{src.pairs}:{src.entries}" for src in store.lexicon_sources()
                        if src.source not in set(self.exclude)}
        self._lexicon = CorpusLexicon(store, "ar", "en", exclude=self.exclude)

    @property
    def empty(self) -> bool:
        return not self.sources

    @property
    def digest(self) -> str:
        """What the table was learnt from: its sources and their review states."""
        import hashlib
        import json

        return hashlib.sha256(json.dumps(sorted(self.sources.items())).encode()).hexdigest()[:12]

    def matrices(self, src_vocab: list[str], tgt_vocab: list[str]):
        from mt.align.bootstrap import LinkModel

        fwd, bwd = self._lexicon.counts(src_vocab, tgt_vocab)
        return LinkModel(None, None, fwd, bwd).matrices(src_vocab, tgt_vocab)


LINKED_TO_LEARN = 300  # linked pairs at most that the words are learnt from (a sample is enough, and each is aligned)
LINKED_MIN = 5  # fewer linked pairs teach too few words to compare articles by


def linked_lexicon(pairs: list[tuple[Article, Article]]):
    """What the pairs the pages link teach about words: their turns aligned (one bootstrap for all) and IBM-1
    learnt on the aligned turns, each weighted by its posterior squared as in the aligner's own bootstrap. None
    with fewer than :data:`LINKED_MIN` pairs."""
    if len(pairs) < LINKED_MIN:
        return None
    from mt.align import Aligner, DocPair, align_many_texts
    from mt.align.bootstrap import learn
    from mt.align.memory import bead_pairs
    from mt.errors import InputError

    # an even sample over the archive, not its first pages
    chosen = [pairs[k] for k in sorted({int(round(x)) for x in np.linspace(0, len(pairs) - 1, min(len(pairs), LINKED_TO_LEARN))})]
    docs = [DocPair([t.text for t in a.turns], [t.text for t in e.turns], "ar", "en") for e, a in chosen]
    src: list[list[str]] = []
    tgt: list[list[str]] = []
    weights: list[float] = []
    for d, al in zip(docs, align_many_texts(docs, Aligner())):
        s, t, w = bead_pairs(d, al)
        src += s
        tgt += t
        weights += w
    try:
        return learn(src, tgt, weights)
    except InputError:
        return None


def store_lexicon(store, own: Sequence[str] = ()) -> StoreLexicon | None:
    """The store's corpus lexicon for pairing (:class:`StoreLexicon`), or None when it has learnt nothing yet."""
    lex = StoreLexicon(store, own)
    return None if lex.empty else lex


def _margins(sim: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """How far each cell stands above the best other cell of its row and of its column: relative evidence, which
    transfers between collections where the level of similarity does not (a lexicon learnt on other text)."""
    rows: dict[int, list[float]] = {}
    cols: dict[int, list[float]] = {}
    for (i, j), v in sim.items():
        rows.setdefault(i, []).append(v)
        cols.setdefault(j, []).append(v)
    top = {k: sorted(v, reverse=True)[:2] + [0.0, 0.0] for k, v in rows.items()}
    topc = {k: sorted(v, reverse=True)[:2] + [0.0, 0.0] for k, v in cols.items()}

    def other(t: list[float], v: float) -> float:
        return t[1] if t[0] == v else t[0]

    return {(i, j): v - max(other(top[i], v), other(topc[j], v)) for (i, j), v in sim.items()}


def evidence(en: list[Article], ar: list[Article], *, max_days: int = 7, mt: dict[str, str] | None = None,
             cells: list[list[int]] | None = None, params: PairParams | None = None,
             lexicon=None) -> tuple[Any, dict[tuple[int, int], dict]]:
    """Score matrix (English × Arabic) in [0, 1], and the evidence behind each cell (``cells``: for each English
    article, the only Arabic ones to score; the rest stay 0). With fitted ``params`` a cell is the probability that
    the Arabic article is the English one's source; without, the hand-set weighted sum. ``lexicon``: a word table or a
    :class:`WordSpace` built on it, which adds the articles' similarity in words to the evidence and vetoes a pair the
    words point away from (:func:`pair_articles` leaves out a lexicon that knows too few of the words)."""
    en_names = [set(_name_skeletons(a)) for a in en]
    ar_all = [set(_name_skeletons(a)) for a in ar]
    english_skeletons = set().union(*en_names) if en_names else set()
    ar_names = [s & english_skeletons for s in ar_all]  # an Arabic word counts as a name when English has it
    en_nums = [set(numbers(_text(a))) for a in en]
    ar_nums = [set(numbers(_text(a))) for a in ar]
    idf_names = _idf(en_names + ar_names)
    idf_nums = _idf(en_nums + ar_nums)
    chrf = None
    if mt:
        from sacrebleu.metrics import CHRF

        chrf = CHRF()
    S = np.zeros((len(en), len(ar))) if cells is None else _Sparse()
    E: dict[tuple[int, int], dict] = {}
    if lexicon is not None and en and ar:
        lexicon = WordSpace.on(en, ar, lexicon)
    lex = lexicon.similarity(cells) if isinstance(lexicon, WordSpace) and en and ar else None
    margin = _margins(lex) if lex is not None else None
    for i, e in enumerate(en):
        for j in (range(len(ar)) if cells is None else cells[i]):
            a = ar[j]
            ev: dict = {
                "names": round(_overlap(en_names[i], ar_names[j], idf_names), 3),
                "shared_names": len(en_names[i] & ar_names[j]),
                "numbers": round(_overlap(en_nums[i], ar_nums[j], idf_nums), 3),
                "shared_numbers": sorted(en_nums[i] & ar_nums[j], key=lambda x: (len(x), x))[:8],
                "date": round(_date_score(e.date, a.date, max_days), 3),
                "shape": round(_shape(e, a), 3),
            }
            if lex is not None and margin is not None:
                ev["lexical"] = round(lex[(i, j)], 3)
                ev["lexical_margin"] = round(margin[(i, j)], 3)
            fitted = params is not None and not params.meta.get("hand")
            score = params.probability(pair_features(ev, e, a)) if fitted and params else sum(WEIGHTS[k] * ev[k] for k in WEIGHTS)
            if chrf is not None and mt is not None and a.id in mt:
                ev["chrf"] = round(chrf.sentence_score(mt[a.id], [_text(e, speakers=False)]).score / 100.0, 3)
                score = (1 - MT_WEIGHT) * score + MT_WEIGHT * min(1.0, 2 * ev["chrf"])
            if margin is not None and margin[(i, j)] <= 0:
                # with a lexicon, a pair is made only where the words agree both ways: on the development collections
                # every false pair the other evidence made had another article nearer in words, and 1 to 6 % of the true
                # ones (the two collections looked at)
                ev["words_elsewhere"] = round(score, 3)
                score = 0.0
            S[i, j] = score
            E[(i, j)] = ev
    return S, E


DENSE_CELLS = 250_000  # up to this many English × Arabic pairs, every pair is scored; beyond, only candidates


def _candidates(en: list[Article], ar: list[Article], en_feats: list[set[str]], ar_feats: list[set[str]],
                max_days: int) -> list[list[int]]:
    """For each English article, the Arabic ones that share a name or number rare enough to tell articles apart,
    or that appeared within ``max_days``: the only pairs that can reach the threshold without a translation
    (shape alone weighs 0.2). Blocking keeps pairing linear in the corpus instead of quadratic."""
    index: dict[str, list[int]] = {}
    for j, feats in enumerate(ar_feats):
        for f in feats:
            index.setdefault(f, []).append(j)
    limit = max(20, len(ar) // 100)  # "Syria", "2015": in every article, they block nothing
    by_day: dict[str, list[int]] = {}
    for j, a in enumerate(ar):
        if a.date:
            by_day.setdefault(a.date[:10], []).append(j)
    out = []
    for i, e in enumerate(en):
        c: set[int] = set()
        for f in en_feats[i]:
            hits = index.get(f, [])
            if len(hits) <= limit:
                c.update(hits)
        if e.date:
            day = dt.date.fromisoformat(e.date[:10])
            for k in range(-max_days, max_days + 1):
                c.update(by_day.get((day + dt.timedelta(days=k)).isoformat(), []))
        out.append(sorted(c))
    return out


_LANG_PART = re.compile(r"^(?:ar|en|arabic|english|ara|eng)$", re.I)


def _without_language(address: str) -> str:
    """An address with its language part taken out: ``/en/``, ``/ar/`` path segments, ``en.`` / ``ar.`` hosts,
    ``lang=`` parameters."""
    host, _, rest = address.partition("/")
    host = re.sub(r"^(?:ar|en)\.", "", host)
    path, _, query = rest.partition("?")
    path = "/".join(seg for seg in path.split("/") if not _LANG_PART.match(seg))
    query = "&".join(q for q in query.split("&") if q and not re.match(r"^(?:lang|language|hl)=", q, re.I))
    return f"{host}/{path}" + (f"?{query}" if query else "")


def _article_numbers(address: str) -> set[tuple[str, str]]:
    """(site, number) for each number of four digits or more in an address's path that is not a year: the id a news
    CMS gives an article in every language."""
    host, _, rest = _without_language(address).partition("/")
    path = rest.partition("?")[0]
    return {(host, m) for m in re.findall(r"(?<![0-9])([0-9]{4,})(?![0-9])", path) if not (len(m) == 4 and 1900 <= int(m) <= 2100)}


def link_pairs(en: list[Article], ar: list[Article]) -> dict[int, tuple[int, str]]:
    """English index → (Arabic index, why) where the pages themselves say they are one article in two languages:
    one links to the other as its translation (hreflang, a language switcher), or both have one address but for
    its language part. An Arabic page two English pages claim goes to neither by this rule."""
    from mt.ingest.links import normalize_url

    def at(arts: list[Article]) -> dict[str, int]:
        out: dict[str, int] = {}
        for k, a in enumerate(arts):
            for u in (a.source.canonical, a.source.url):
                if (n := normalize_url(u)) is not None:
                    out.setdefault(n, k)
        return out

    ar_at, en_at = at(ar), at(en)
    found: dict[int, set[tuple[int, str]]] = {}
    for i, e in enumerate(en):
        for lang, u in e.source.alternates:
            if lang == "ar" and (to := ar_at.get(normalize_url(u) or "")) is not None:
                found.setdefault(i, set()).add((to, "the English page links to it as its Arabic version"))
    for j, a in enumerate(ar):
        for lang, u in a.source.alternates:
            if lang == "en" and (back := en_at.get(normalize_url(u) or "")) is not None:
                found.setdefault(back, set()).add((j, "it links to the English page as its English version"))
    bare: dict[str, set[int]] = {}
    numbered: dict[tuple[str, str], set[int]] = {}
    for n, j in ar_at.items():
        bare.setdefault(_without_language(n), set()).add(j)
        for key in _article_numbers(n):
            numbered.setdefault(key, set()).add(j)
    en_numbered: dict[tuple[str, str], set[int]] = {}
    for n, i in en_at.items():
        for key in _article_numbers(n):
            en_numbered.setdefault(key, set()).add(i)
    for n, i in en_at.items():
        plain = _without_language(n)
        js = bare.get(plain, set())
        if i not in found and len(js) == 1 and plain != n:
            found[i] = {(next(iter(js)), "its address is the English page's in the other language")}
    for key, owners in en_numbered.items():
        js = numbered.get(key, set())
        if len(owners) == 1 and len(js) == 1 and (i := next(iter(owners))) not in found:
            found[i] = {(next(iter(js)), f"its address has the English page's article number ({key[1]}) on the same site")}
    out: dict[int, tuple[int, str]] = {}
    claims: dict[int, list[int]] = {}
    for i, hits in found.items():
        targets = {j for j, _ in hits}
        if len(targets) == 1:
            j = targets.pop()
            claims.setdefault(j, []).append(i)
            out[i] = (j, "; ".join(sorted(w for _, w in hits)))
    for ids in claims.values():
        if len(ids) > 1:  # two English pages name one Arabic page: the links cannot decide
            for i in ids:
                del out[i]
    return out


def pair_articles(en: list[Article], ar: list[Article], *, threshold: float | None = None, max_days: int = 7,
                  mt: dict[str, str] | None = None, dense_cells: int = DENSE_CELLS, params: PairParams | None = None,
                  lexicon=None, learn_from_links: bool = True) -> list[Pairing]:
    """One Arabic source at most per English article, each Arabic article used once.

    Pages that say they translate each other (:func:`link_pairs`) are paired first, on that evidence alone; with no
    ``lexicon``, what their words teach (:func:`linked_lexicon`) is the lexicon for the rest. The rest: up to
    ``dense_cells`` English × Arabic pairs, every pair is scored and the assignment is optimal (Hungarian); beyond,
    only blocked candidates are scored and the best pairs are taken greedily, best first."""
    linked = link_pairs(en, ar) if en and ar else {}
    if linked:
        used = {j for j, _ in linked.values()}
        rest_en = [e for i, e in enumerate(en) if i not in linked]
        rest_ar = [a for j, a in enumerate(ar) if j not in used]
        taught = None
        if lexicon is not None and rest_en and rest_ar:
            lexicon = WordSpace.on(rest_en, rest_ar, lexicon)
            if lexicon.coverage < MIN_COVERAGE:
                lexicon = None
        if lexicon is None and learn_from_links and rest_en and rest_ar:
            # an archive whose pages link most of their translations teaches the words that pair the rest
            lexicon = taught = linked_lexicon([(en[i], ar[j]) for i, (j, _) in sorted(linked.items())])
        by_id = {p.en_id: p for p in pair_articles(rest_en, rest_ar, threshold=threshold, max_days=max_days, mt=mt,
                                                     dense_cells=dense_cells, params=params, lexicon=lexicon,
                                                     learn_from_links=learn_from_links)}
        if taught is not None:
            by_id = {k: replace(p, evidence=p.evidence | {"words_from": f"the {min(len(linked), LINKED_TO_LEARN)} pairs the pages link"})
                     if "lexical" in p.evidence else p for k, p in by_id.items()}
        return [Pairing(e.id, ar[linked[i][0]].id, 1.0, {"decisive": linked[i][1], "address": ar[linked[i][0]].source.canonical})
                if i in linked else by_id[e.id] for i, e in enumerate(en)]
    if not en:
        return []
    if not ar:
        return [Pairing(e.id, None, 0.0, {"reason": "no Arabic articles"}) for e in en]
    if lexicon is not None:
        lexicon = WordSpace.on(en, ar, lexicon)
        if lexicon.coverage < MIN_COVERAGE:
            lexicon = None
    params = (params or load_pair_params()).for_mode(lexicon is not None)
    threshold = params.threshold_for(lexicon is not None) if threshold is None else threshold
    if len(en) * len(ar) > dense_cells:
        return _pair_blocked(en, ar, threshold=threshold, max_days=max_days, mt=mt, params=params, lexicon=lexicon)
    from scipy.optimize import linear_sum_assignment

    S, E = evidence(en, ar, max_days=max_days, mt=mt, params=params, lexicon=lexicon)
    rows, cols = linear_sum_assignment(-S)
    # a pair the words vetoed is never made, whatever the threshold
    chosen = {int(r): int(c) for r, c in zip(rows, cols) if S[r, c] >= threshold and "words_elsewhere" not in E[(int(r), int(c))]}
    out = []
    for i, e in enumerate(en):
        if i in chosen:
            j = chosen[i]
            ev = dict(E[(i, j)])
            runner = sorted(S[i], reverse=True)
            ev["margin"] = round(float(S[i, j] - (runner[1] if len(runner) > 1 else 0.0)), 3)
            out.append(Pairing(e.id, ar[j].id, round(float(S[i, j]), 3), ev))
        else:
            best = int(np.argmax(S[i]))
            out.append(Pairing(e.id, None, 0.0, _unpaired(en, ar, S, E, i, best, chosen, threshold, range(len(ar)))))
    return out


def _unpaired(en: list[Article], ar: list[Article], S, E: dict, i: int, best: int, chosen: dict[int, int], threshold: float,
              scored) -> dict:
    """Why English article ``i`` has no source: its best candidate is below the threshold, or went to another article,
    or the other evidence pointed at an Arabic article that is nearer in words to another English one (or the English
    article nearer to another Arabic one)."""
    ev = {"best_candidate": ar[best].id, "best_score": round(float(S[i, best]), 3), "threshold": threshold}
    if S[i, best] >= threshold:
        k = next((k for k, j in chosen.items() if j == best), None)
        if k is not None:
            ev |= {"taken_by": en[k].id, "taken_score": round(float(S[k, best]), 3)}
    row = ((j, E.get((i, j), {})) for j in scored)
    vetoed = [(c["words_elsewhere"], j) for j, c in row if "words_elsewhere" in c and c["words_elsewhere"] >= threshold]
    if vetoed and "taken_by" not in ev:
        score, j = max(vetoed)
        ev |= {"nearer_in_words": ar[j].id, "nearer_score": score}
    return ev


def unpaired_reason(ev: dict) -> str:
    """The reason an unpaired English article gives, in words."""
    if "taken_by" in ev:
        return (f"its best candidate, {ev['best_candidate']} ({ev['best_score']}), is the source of {ev['taken_by']} "
                f"({ev['taken_score']}); pair it by hand with a manifest line if that is wrong")
    if "nearer_in_words" in ev:
        return (f"{ev['nearer_in_words']} would score {ev['nearer_score']}, but in words one of the two is as near to another "
                f"article or nearer; the best other candidate is {ev['best_candidate']} at {ev['best_score']} "
                f"(threshold {ev.get('threshold')})")
    if "best_candidate" in ev:
        return f"no candidate reaches the threshold {ev.get('threshold')}: the best is {ev['best_candidate']} at {ev['best_score']}"
    return str(ev.get("reason", ""))


class _Sparse(dict):
    """Scores of the blocked cells only, indexed like the dense matrix (``S[i, j]``); other cells are 0."""

    def __missing__(self, key) -> float:
        return 0.0


def _features(en: list[Article], ar: list[Article]) -> tuple[list[set[str]], list[set[str]]]:
    en_names = [set(_name_skeletons(a)) for a in en]
    english = set().union(*en_names) if en_names else set()
    ar_names = [set(_name_skeletons(a)) & english for a in ar]
    return ([n | set(numbers(_text(a))) for n, a in zip(en_names, en)],
            [n | set(numbers(_text(a))) for n, a in zip(ar_names, ar)])


def _pair_blocked(en: list[Article], ar: list[Article], *, threshold: float, max_days: int,
                  mt: dict[str, str] | None, params: PairParams | None = None, lexicon=None) -> list[Pairing]:
    en_f, ar_f = _features(en, ar)
    cells = _candidates(en, ar, en_f, ar_f, max_days)
    if isinstance(lexicon, WordSpace):
        cells = [sorted(set(c) | near) for c, near in zip(cells, lexicon.nearest())]
    S, E = evidence(en, ar, max_days=max_days, mt=mt, cells=cells, params=params, lexicon=lexicon)
    ranked = sorted(((s, i, j) for (i, j), s in S.items() if s >= threshold and "words_elsewhere" not in E[(i, j)]),
                    key=lambda x: (-x[0], x[1], x[2]))
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for _score, i, j in ranked:
        if i not in chosen and j not in taken:
            chosen[i] = j
            taken.add(j)
    out = []
    for i, e in enumerate(en):
        row = sorted((S[i, j] for j in cells[i]), reverse=True)
        if i in chosen:
            j = chosen[i]
            ev = dict(E[(i, j)]) | {"margin": round(float(S[i, j] - (row[1] if len(row) > 1 else 0.0)), 3)}
            out.append(Pairing(e.id, ar[j].id, round(float(S[i, j]), 3), ev))
        elif cells[i]:
            best = max(cells[i], key=lambda j: S[i, j])
            out.append(Pairing(e.id, None, 0.0, _unpaired(en, ar, S, E, i, best, chosen, threshold, cells[i])))
        else:
            near = " or is near it in words" if isinstance(lexicon, WordSpace) else ""
            out.append(Pairing(e.id, None, 0.0, {"reason": f"no Arabic article shares a name, a number or the week{near}"}))
    return out


def read_manifest(path: Path) -> list[tuple[str, str | None]]:
    """Rows of (English, Arabic-or-empty): ids or file paths, tab- or comma-separated, an optional header."""
    try:
        lines = Path(path).read_text("utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputError("no such manifest", str(path)) from None
    rows: list[tuple[str, str | None]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in re.split(r"\t|,", line)]
        if n == 1 and parts[0].lower() in ("en", "english", "en_id"):
            continue
        if not parts[0]:
            raise InputError(f"line {n}: no English article", str(path))
        if any(parts[0] == r[0] for r in rows):
            raise InputError(f"line {n}: {parts[0]} is listed twice", str(path))
        if len(parts) > 1 and parts[1] and any(parts[1] == r[1] for r in rows):
            raise InputError(f"line {n}: {parts[1]} is the source of two articles", str(path))
        rows.append((parts[0], parts[1] if len(parts) > 1 and parts[1] else None))
    return rows


def resolve(ref: str, articles: list[Article], base: Path | None = None) -> Article | None:
    """An article by id, by the path it was ingested from (as given, or relative to ``base``), or by that path's file
    name when one article only has it."""
    return _Resolver(articles, base).find(ref)


class _Resolver:
    """:func:`resolve` over many references: the articles indexed once by id, path, resolved path and file name (a
    manifest of thousands of lines would otherwise resolve every article's path once per line)."""

    def __init__(self, articles: list[Article], base: Path | None = None):
        self.base = base
        self.by_id: dict[str, Article] = {}
        self.by_path: dict[str, list[Article]] = {}
        self.by_resolved: dict[Path, list[Article]] = {}
        self.by_name: dict[str, list[Article]] = {}
        for a in articles:
            self.by_id.setdefault(a.id, a)
            self.by_path.setdefault(a.source.path, []).append(a)
            if base is not None:
                self.by_resolved.setdefault(Path(a.source.path).resolve(), []).append(a)
            self.by_name.setdefault(Path(a.source.path).name, []).append(a)

    def find(self, ref: str) -> Article | None:
        if ref in self.by_id:
            return self.by_id[ref]
        exact = self.by_path.get(ref, []) + (self.by_resolved.get((self.base / ref).resolve(), []) if self.base is not None else [])
        # a path names one file; a file name alone may be in two folders, and then it names none
        for found in (exact, self.by_name.get(Path(ref).name, [])):
            distinct = {id(a): a for a in found}
            if len(distinct) == 1:
                return next(iter(distinct.values()))
            if distinct:
                return None
        return None


def pair_from_manifest(path: Path, en: list[Article], ar: list[Article]) -> list[Pairing]:
    """The pairs a manifest declares, resolved to ingested articles; an unknown reference is an error."""
    pairs = []
    base = Path(path).parent
    en_at, ar_at = _Resolver(en, base), _Resolver(ar, base)
    for e_ref, a_ref in read_manifest(path):
        e = en_at.find(e_ref)
        if e is None:
            raise InputError(f"no ingested English article {e_ref!r}", str(path))
        a = ar_at.find(a_ref) if a_ref else None
        if a_ref and a is None:
            raise InputError(f"no ingested Arabic article {a_ref!r}", str(path))
        pairs.append(Pairing(e.id, a.id if a else None, 1.0 if a else 0.0, {"manifest": str(path)}, "manifest"))
    return pairs
