"""Phrase glosses: word links in both directions, symmetrised, and the phrases consistent with them.

Links come from eflomal when it is installed (``pip install 'mt[eflomal]'``, GPL-3, a C aligner with an
HMM and fertility) and otherwise from mt's own IBM Model 1 in both directions. Either way the two
directions are symmetrised with grow-diag-final, phrases of up to ``max_len`` source tokens that no
link crosses are counted, and each source phrase keeps its most frequent translation (possibly
nothing: a token the other language leaves out, such as the narrator formula حدثنا). Glossing is a
greedy longest match, left to right.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mt.translate.table import NULL, to_table

Links = set[tuple[int, int]]
NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def have_eflomal() -> bool:
    import importlib.util

    return importlib.util.find_spec("eflomal") is not None


def samplers_for(n_pairs: int) -> int:
    """eflomal's parallel samplers: three (its default, steadier links) for small corpora, two above 10,000
    pairs so that 20,000 pairs train in under two minutes on two cores; ``MT_EFLOMAL_SAMPLERS`` overrides."""
    import os

    if os.environ.get("MT_EFLOMAL_SAMPLERS"):
        return max(1, int(os.environ["MT_EFLOMAL_SAMPLERS"]))
    return 3 if n_pairs <= 10_000 else 2


def eflomal_links(src: list[list[str]], tgt: list[list[str]], seed: int = 12345,
                  samplers: int | None = None) -> tuple[list[Links], list[Links]]:
    """Forward and reverse links from eflomal (source-target index pairs per sentence)."""
    import eflomal

    with tempfile.TemporaryDirectory(prefix="mt-eflomal-") as d:
        p = Path(d)
        # eflomal reads one sentence a line; an empty side must still take its line
        (p / "s").write_text("".join((" ".join(x) or "_") + "\n" for x in src), "utf-8")
        (p / "t").write_text("".join((" ".join(x) or "_") + "\n" for x in tgt), "utf-8")
        np.random.seed(seed)  # eflomal samples; a fixed seed keeps a retrained lexicon the same where it can
        with open(p / "s", encoding="utf-8") as fs, open(p / "t", encoding="utf-8") as ft:
            eflomal.Aligner(n_samplers=samplers or samplers_for(len(src))).align(fs, ft,
                links_filename_fwd=str(p / "f"), links_filename_rev=str(p / "r"), quiet=True)

        def read(name: str) -> list[Links]:  # one line a sentence of "i-j" pairs
            return [{(int(i), int(j)) for i, j in (x.split("-") for x in line.split())}
                    for line in (p / name).read_text("utf-8").splitlines()]
        return read("f"), read("r")


def ibm1_links(src: list[list[str]], tgt: list[list[str]], fwd, bwd) -> tuple[list[Links], list[Links]]:
    """Viterbi links of IBM Model 1 in each direction (a token whose best source is NULL stays unlinked)."""
    def lookup(table):
        index = {w: i for i, w in enumerate(table.src_vocab.tolist())}
        tgt_vocab = table.tgt_vocab.tolist()
        cache: dict[str, dict[str, float]] = {}

        def probs(word: str) -> dict[str, float]:
            if word not in cache:
                i = index.get(word)
                cache[word] = {} if i is None else {
                    tgt_vocab[j]: float(p) for j, p in zip(table.indices[table.indptr[i]:table.indptr[i + 1]],
                                                         table.probs[table.indptr[i]:table.indptr[i + 1]])}
            return cache[word]
        return probs

    p_f, p_b = lookup(fwd), lookup(bwd)

    def links(S, T, probs, flip):
        out = []
        for s, t in zip(S, T):
            rows = [probs(w) for w in s]
            null = probs(NULL)
            ls = set()
            for j, w in enumerate(t):
                best, arg = null.get(w, 0.0), -1
                for i, r in enumerate(rows):
                    p = r.get(w, 0.0)
                    # a word that only ties with NULL still gets the link (one sentence pair: all uniform)
                    if p > best or (arg < 0 and p > 0 and p >= best):
                        best, arg = p, i
                if arg >= 0:
                    ls.add((j, arg) if flip else (arg, j))
            out.append(ls)
        return out

    return links(src, tgt, p_f, False), links(tgt, src, p_b, True)


def grow_diag_final(fwd: Links, rev: Links) -> Links:
    """Koehn's symmetrisation: the intersection, grown into the union next to existing links, then the rest.

    The growing step works from a queue of new links (each is looked at once), not by rescanning.
    """
    union = fwd | rev
    links = set(fwd & rev)
    rows = {i for i, _ in links}
    cols = {j for _, j in links}
    queue = sorted(links)
    while queue:
        i, j = queue.pop()
        for di, dj in NEIGHBOURS:
            p = (i + di, j + dj)
            if p in union and p not in links and (p[0] not in rows or p[1] not in cols):
                links.add(p)
                rows.add(p[0])
                cols.add(p[1])
                queue.append(p)
    for p in sorted(union - links):
        if p[0] not in rows or p[1] not in cols:
            links.add(p)
            rows.add(p[0])
            cols.add(p[1])
    return links


def extract(src: list[str], tgt: list[str], links: Links, max_len: int, counts: Counter) -> None:
    """Count the phrase pairs of one sentence pair: source spans of up to ``max_len`` tokens no link crosses."""
    n_s = len(src)
    linked: dict[int, list[int]] = defaultdict(list)
    lo: dict[int, int] = {}  # the first and last target word each source token links to
    hi: dict[int, int] = {}
    t_lo: dict[int, int] = {}  # the first and last source token each target word links to
    t_hi: dict[int, int] = {}
    for i, j in links:
        if i >= n_s or j >= len(tgt):
            continue
        linked[i].append(j)
        lo[i] = min(lo.get(i, j), j)
        hi[i] = max(hi.get(i, j), j)
        t_lo[j] = min(t_lo.get(j, i), i)
        t_hi[j] = max(t_hi.get(j, i), i)
    for i in range(n_s):
        span: tuple[int, int] | None = None  # the first and last target word the source span links to
        for n in range(1, min(max_len, n_s - i) + 1):
            k = i + n - 1
            if k in lo:
                span = (lo[k], hi[k]) if span is None else (min(span[0], lo[k]), max(span[1], hi[k]))
            if span is None:
                if n == 1:
                    counts[((src[i],), "")] += 1  # left out by the other side
                continue
            j0, j1 = span
            # a span this loose is rarely a translation, and a span another word links into is not one
            consistent = j1 - j0 <= 2 * n + 1 and all(
                i <= t_lo[j] and t_hi[j] < i + n for j in range(j0, j1 + 1) if j in t_lo)
            if consistent:
                counts[(tuple(src[i:i + n]), " ".join(tgt[j0:j1 + 1]))] += 1
            elif n == 1:
                for j in sorted(set(linked[i])):  # every token keeps an entry: its linked words, one by one
                    counts[((src[i],), tgt[j])] += 1


@dataclass
class PhraseTable:
    """Source phrase (tokens joined by a space) → its most frequent translation, with p and count."""

    src: np.ndarray
    tgt: np.ndarray
    prob: np.ndarray
    count: np.ndarray
    max_len: int

    def __post_init__(self):
        self._index = {s: i for i, s in enumerate(self.src.tolist())}

    def get(self, phrase: tuple[str, ...]) -> str | None:
        i = self._index.get(" ".join(phrase))
        return None if i is None else str(self.tgt[i])

    def entry(self, phrase: str) -> tuple[str, float, int] | None:
        i = self._index.get(phrase)
        return None if i is None else (str(self.tgt[i]), float(self.prob[i]), int(self.count[i]))

    def __len__(self) -> int:
        return len(self.src)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_psrc": self.src, f"{prefix}_ptgt": self.tgt, f"{prefix}_pprob": self.prob,
                f"{prefix}_pcount": self.count, f"{prefix}_pmax": np.array(self.max_len)}

    @classmethod
    def from_arrays(cls, z, prefix: str) -> PhraseTable | None:
        if f"{prefix}_psrc" not in z:
            return None  # a version-1 lexicon: words only
        return cls(z[f"{prefix}_psrc"], z[f"{prefix}_ptgt"], z[f"{prefix}_pprob"], z[f"{prefix}_pcount"],
                   int(z[f"{prefix}_pmax"]))

    @classmethod
    def build(cls, pair_counts: Counter, max_len: int, min_count: int = 2) -> PhraseTable:
        """Single tokens always; longer phrases when seen ``min_count`` times (rarer ones are mostly noise)."""
        counts: dict = defaultdict(dict)
        for (phrase, translation), n in pair_counts.items():
            counts[phrase][translation] = n
        src, tgt, prob, count = [], [], [], []
        for phrase, c in counts.items():
            total = sum(c.values())
            if len(phrase) > 1 and total < min_count:
                continue
            best, n = max(c.items(), key=lambda kv: (kv[1], kv[0] != "", kv[0]))
            src.append(" ".join(phrase))
            tgt.append(best)
            prob.append(n / total)
            count.append(total)
        return cls(np.array(src or [""], dtype=str), np.array(tgt or [""], dtype=str),
                   np.array(prob or [0.0], dtype=np.float32), np.array(count or [0], dtype=np.int32), max_len)

    def gloss(self, tokens: list[str], unknown) -> list[str]:
        """Greedy longest match; ``unknown(k)`` answers for the token at ``k`` that no phrase covers."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.max_len, len(tokens) - i), 0, -1):
                hit = self.get(tuple(tokens[i:i + n]))
                if hit is not None:
                    out.extend(hit.split())  # a phrase's own tokens: Arabic clitics are joined by the caller
                    i += n
                    break
            else:
                out.extend(unknown(i))
                i += 1
        return out


def symmetrise(fwd_links: list[Links], rev_links: list[Links]) -> list[Links]:
    return [grow_diag_final(f, r) for f, r in zip(fwd_links, rev_links)]


def phrase_table(src: list[list[str]], tgt: list[list[str]], links: list[Links], max_len: int = 4) -> PhraseTable:
    """The phrase table of one direction from symmetrised links (``src`` and ``tgt`` may be display tokens)."""
    counts: Counter = Counter()
    for s, t, ls in zip(src, tgt, links):
        extract(s, t, ls, max_len, counts)
    return PhraseTable.build(counts, max_len)


def link_tables(src: list[list[str]], tgt: list[list[str]], links: list[Links]):
    """Word tables p(t | s) and p(s | t) from link counts (an unlinked token counts for NULL).

    With eflomal's links these beat IBM-1's own EM tables, and cost no EM at all.
    """

    def table(S, T, L):
        s_vocab = {NULL: 0}
        t_vocab: dict[str, int] = {}
        pairs: list[tuple[int, int]] = []
        for s, t, ls in zip(S, T, L):
            linked = set()
            for i, j in ls:
                if i < len(s) and j < len(t):
                    pairs.append((s_vocab.setdefault(s[i], len(s_vocab)), t_vocab.setdefault(t[j], len(t_vocab))))
                    linked.add(j)
            for j, w in enumerate(t):
                if j not in linked:
                    pairs.append((0, t_vocab.setdefault(w, len(t_vocab))))
            for w in s:
                s_vocab.setdefault(w, len(s_vocab))
        n_t = max(1, len(t_vocab))
        arr = np.array(pairs or [(0, 0)], dtype=np.int64)
        keys, counts = np.unique(arr[:, 0] * n_t + arr[:, 1], return_counts=True)
        f_of = keys // n_t
        prob = counts / np.bincount(f_of, counts, minlength=len(s_vocab))[f_of]
        return to_table(keys, prob, n_t, s_vocab, t_vocab, 30, 1e-3)

    return table(src, tgt, links), table(tgt, src, [{(j, i) for i, j in ls} for ls in links])
