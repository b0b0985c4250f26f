"""Which line of a page's head is its headline, when the format does not say (plain text).

The first few blocks above the talk are the candidates, and "no title in this excerpt" is one more
choice. Each candidate has features (where it sits, its length, how it ends, whether it looks like a
breadcrumb, a menu or download link, a time stamp, a ``Name: “quote…”`` pull quote, a question or a
turn); the fitted weights (``title`` in the reader's values) score them, the best one wins if it scores
above "none". The chosen line is tidied: ``:: … ::`` wrappers, a byline glued to its end (``/حوار/ NAME``)
and a final colon come off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mt.ingest.markers import LEAD_IN, asks, ends_question, mark, role_of_label
from mt.text.normalize import match_key

MAX_CANDIDATES = 6
NONE = "none"

_MENU = re.compile(
    r"\b(?:home|menu|search|download|subscribe|sign in|log in|read transcript|expand|read mode|font size|print|share|"
    r"e-?paper|pdf|issue|skip to)\b|(?:الرئيسية|القائمة|بحث|تحميل|تنزيل|المجلة الالكترونية|المجلة الاكترونية|اشترك|دخول|"
    r"النسخة الورقية|موقع)", re.I)
_CRUMB = re.compile(r"\s[»›>|/]\s|^[»›>]|\s\.\s")
_STAMP = re.compile(r"^[\d٠-٩:./\-\s•|,]+(?:[A-Za-z\u0600-\u06FF]{0,4})?[\d٠-٩:./\-\s•|,]*$")
_NAME_QUOTE = re.compile(r"^[^:：]{2,40}\s?[:：]\s*[\"“«‘']")
_REPORTED = re.compile(r"\b(?:told|tells|said|says|explained|added|asked)\b|(?:^|\s)و?(?:قال|قالت|أكد|أكدت|أوضح|أوضحت|صرح|صرحت|أضاف|أضافت)\s")
_GLUED_BYLINE = re.compile(r"\s*/\s*(?:حوار|حاوره|حاورها|كتب|كتبت|بقلم)\s*/.*$|\s*[|]\s*(?:by|interview by)\s.*$", re.I)


def clean_title(text: str) -> str:
    """The headline without what pages wrap or glue to it."""
    t = " ".join(text.split())
    t = _GLUED_BYLINE.sub("", t)
    t = re.sub(r"^\s*::\s*|\s*::\s*$", "", t)
    t = re.sub(r"\s*[:：]\s*$", "", t)
    return t.strip()


def _len(n: int) -> str:
    return "1-2" if n <= 2 else "3-6" if n <= 6 else "7-15" if n <= 15 else "16-25" if n <= 25 else "26+"


def _end(text: str) -> str:
    t = text.rstrip().rstrip("\"'”’»)]").rstrip()
    if not t:
        return "none"
    if ends_question(text):
        return "q"
    return {".": "stop", "!": "excl", ":": "colon", "：": "colon"}.get(t[-1], "quote" if text.rstrip()[-1:] in "\"'”’»" else "open")


def candidates(texts: Sequence[str], kinds: Sequence[str], lang: str) -> list[int]:
    """The blocks that may be the title: the first few above the body, never one that is page furniture (a breadcrumb,
    a menu or download link, a time stamp, an address) or part of the talk (a marker, a recurring speaker, a question
    with its answer on the line, a question answered and followed by the next)."""
    out = []
    labels: list[str | None] | None = None  # every block's label, counted only when a candidate has one
    for k, text in enumerate(texts[:MAX_CANDIDATES]):
        t = text.strip()
        m = _mark(t, kinds[k], lang)
        if m.kind in ("q", "a", "dash", "num") or (m.kind == "label" and (m.alone or role_of_label(m.label or ""))):
            break
        nxt_kind = mark_kind(texts[k + 1], kinds[k + 1], lang) if k + 1 < len(texts) else "none"
        if m.kind == "label" and labels is None:
            labels = [_label(t, kinds[i], lang) for i, t in enumerate(texts)]
        if m.kind == "label" and labels is not None and labels.count(m.label) >= 2 and nxt_kind in ("q", "a", "label", "dash"):
            break  # a speaker who speaks again, and the talk goes on: the first turn, not a headline
        long_body = len(t.split()) >= 25 and not _NAME_QUOTE.match(t)
        pull_quote = len(t.split()) >= 25 and bool(_NAME_QUOTE.match(t))  # "Name: “…”" over many lines: a quote, not a headline
        furniture = (_MENU.search(t) or _CRUMB.search(t)) and len(t.split()) <= 8 or _STAMP.match(t) or re.search(r"https?://|www\.", t)
        qa_line = re.search(r"[?؟]\s+\S.{20,}", t)
        exchange = (asks(t) and k + 2 < len(texts) and len(texts[k + 1].split()) >= 25 and asks(texts[k + 2])
                    and mark_kind(texts[k + 2], kinds[k + 2], lang) == "none")  # unmarked question, answer, question
        told = _REPORTED.search(t) and _end(t) == "stop" and len(t.split()) >= 8  # "X told Y, “….”": an intro sentence
        # a headline does not end in a full stop (but a quoted one may keep a stop after its closing quote: "“…”.")
        sentence = re.search(r"(?<!\.)\.[\"'”’»)\]]*\s*$", t) is not None and not re.search(r"[\"”»]\.\s*$", t)
        if not (furniture or qa_line or exchange or long_body or pull_quote or told or sentence):
            out.append(k)
        if not furniture and (long_body or qa_line or exchange or sentence or told or asks(t) or k > 0 and m.kind == "label"):
            break  # the body has begun: the headline is above it
    return out


def _mark(text: str, kind: str, lang: str):
    from mt.ingest.blocks import Block

    return mark(Block(text, kind), lang)


def _label(text: str, kind: str, lang: str) -> str | None:
    from mt.ingest.blocks import Block

    m = mark(Block(text.strip(), kind), lang)
    return m.label if m.kind == "label" else None


def mark_kind(text: str, kind: str, lang: str) -> str:
    from mt.ingest.blocks import Block

    return mark(Block(text, kind), lang).kind


def features(texts: Sequence[str], kinds: Sequence[str], k: int, lang: str, rank: int = 0,
             keys: Sequence[str] | None = None) -> list[str]:
    """The features of block ``k``, the ``rank``-th candidate (furniture skipped above it does not count);
    ``keys``: every block's match key, when the caller has them."""
    text = texts[k].strip()
    words = len(text.split())
    kind = mark_kind(text, kinds[k], lang)
    nxt = texts[k + 1] if k + 1 < len(texts) else ""
    f = [f"pos={min(rank, 3)}", f"len={_len(words)}", f"end={_end(text)}", f"pos={min(rank, 3)}&len={_len(words)}"]
    if k > rank:
        f.append("below_furniture")
    if kinds[k] == "heading":
        f.append("heading")
    if kind == "label":
        f.append("label")
    if _NAME_QUOTE.match(text):
        f.append("name_quote")
        if words > 25:
            f.append("name_quote_long")
    if re.search(r"[\"“”«»]", text):
        f.append("quoted")
    if re.search(r"(?<!\.)[.!?؟](?!\.)[\"”»]?\s+\S", text):
        f.append("sentence_inside")
    if _MENU.search(text) and words <= 8:
        f.append("menu")
    if _CRUMB.search(text) and words <= 10:
        f.append("crumb")
    if _STAMP.match(text) or sum(c.isdigit() for c in text) > 0.4 * max(1, len(text.replace(" ", ""))):
        f.append("stamp")
    if re.search(r"https?://|www\.", text):
        f.append("url")
    if asks(text):
        f.append("asks")
        if len(nxt.split()) >= 25:
            f.append("asks&next_long")
        if k + 2 < len(texts) and asks(texts[k + 2]):
            f.append("asks&next2_asks")
    if LEAD_IN.search(text):
        f.append("leadin")
    if text.startswith("::") or text.endswith("::"):
        f.append("wrapped")
    if _GLUED_BYLINE.search(text):
        f.append("glued_byline")
    if text.isupper() and words >= 2:
        f.append("caps")
    nwords = len(nxt.split())
    if 4 <= nwords <= 20 and _end(nxt) in ("open", "quote", "excl", "q"):
        f.append("next_titlelike")
    f.append("next_long" if nwords >= 25 else "next_short" if nwords <= 8 else "next_mid")
    if nxt and asks(nxt):
        f.append("next_asks")
    if nxt and mark_kind(nxt, kinds[k + 1], lang) in ("q", "a", "label", "dash", "num"):
        f.append("next_marked")
    if words >= 2 and _repeated(texts, k, keys):
        f.append("repeated")
    return f


def _repeated(texts: Sequence[str], k: int, keys: Sequence[str] | None) -> bool:
    """The block comes back later in the page (a title printed twice), in the same words whatever the punctuation."""
    key = keys[k] if keys is not None else match_key(texts[k])
    size = len(texts[k])
    return any(match_key(t) == key for j, t in enumerate(texts) if j != k and abs(len(t) - size) <= size // 2 + 5)


def score(feats: list[str], weights: dict[str, float]) -> float:
    return sum(weights.get(f, 0.0) for f in feats)


def choose(texts: Sequence[str], kinds: Sequence[str], lang: str, weights: dict[str, float]) -> int | None:
    """The index of the title block, or None when no candidate beats "none"."""
    best, best_score = None, weights.get(NONE, 0.0)
    for rank, k in enumerate(candidates(texts, kinds, lang)):
        s = score(features(texts, kinds, k, lang, rank), weights)
        if s > best_score:
            best, best_score = k, s
    return best


def gold_choice(texts: Sequence[str], cands: list[int], gold: str | None) -> int | None:
    """Which of the candidates (its position in ``cands``) the gold title is; None: none of them, or no title."""
    if gold is None:
        return None
    key = match_key(gold)
    for pos, k in enumerate(cands):
        if match_key(clean_title(texts[k])) == key:
            return pos
    return None


Sample = tuple[list[list[str]], int | None]  # each candidate's features, and the gold choice (an index or None)


def fit(samples: list[Sample], l2: float = 1.0) -> dict[str, float]:
    """Weights of a conditional logit over each page's candidates and "none" (L2-penalised, L-BFGS)."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import logsumexp

    names = sorted({f for feats, _ in samples for fs in feats for f in fs} | {NONE})
    index = {f: i for i, f in enumerate(names)}
    rows = []
    for feats, gold in samples:
        M = np.zeros((len(feats) + 1, len(names)))
        M[0, index[NONE]] = 1.0
        for r, fs in enumerate(feats, start=1):
            for f in fs:
                M[r, index[f]] = 1.0
        rows.append((M, 0 if gold is None else gold + 1))

    def objective(w):
        loss, grad = 0.5 * l2 * float(w @ w), l2 * w
        for M, g in rows:
            s = M @ w
            lse = float(logsumexp(s))
            loss -= s[g] - lse
            grad = grad + M.T @ np.exp(s - lse) - M[g]
        return loss, grad

    res = minimize(objective, np.zeros(len(names)), jac=True, method="L-BFGS-B")
    return {f: float(v) for f, v in zip(names, res.x) if abs(v) > 1e-6}


Chooser = Callable[[Sequence[str], Sequence[str], str], int | None]
