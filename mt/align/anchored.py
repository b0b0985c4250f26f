"""Alignment around fixed beads: what a reviewer confirmed stays, and only the stretches between are aligned again.

An anchor is a bead ``(i0, i1, j0, j1)`` the DP may not cross: the free stretches of a document are the
rectangles between consecutive anchors, and each is aligned as a document of its own, all of them in
one :meth:`Aligner.align_many` call (so one bootstrapped lexicon serves them, with whatever prior the
aligner has, e.g. the store's corpus lexicon after it learnt the anchors). With no anchors, the one
stretch is the whole document and the result is the free alignment.
"""

from __future__ import annotations

from collections.abc import Sequence

from mt.align.scorers import DocPair
from mt.errors import InputError
from mt.records import Alignment, Bead

Span = tuple[int, int, int, int]  # i0, i1, j0, j1: source segments [i0, i1) with target segments [j0, j1)


def layout(n: int, m: int, anchors: Sequence[Span]) -> list[tuple[str, Span]]:
    """The document along its diagonal: ``("anchor", span)`` and ``("free", span)`` in order, empty stretches left out."""
    out: list[tuple[str, Span]] = []
    i = j = 0
    for a in sorted(anchors):
        i0, i1, j0, j1 = a
        if not (i <= i0 <= i1 <= n and j <= j0 <= j1 <= m):
            raise InputError(f"anchor {a} crosses another or lies outside the document ({n} × {m} segments)")
        if i0 > i or j0 > j:
            out.append(("free", (i, i0, j, j0)))
        out.append(("anchor", a))
        i, j = i1, j1
    if i < n or j < m:
        out.append(("free", (i, n, j, m)))
    return out


def stretches(n: int, m: int, anchors: Sequence[Span]) -> list[Span]:
    """The free rectangles between anchors, in order along both sides."""
    return [s for kind, s in layout(n, m, anchors) if kind == "free"]


def _piece(doc: DocPair, s: Span) -> DocPair:
    i0, i1, j0, j1 = s
    cut = (lambda xs, a, b: None if xs is None else list(xs[a:b]))  # noqa: E731
    return DocPair(doc.src[i0:i1], doc.tgt[j0:j1], doc.src_lang, doc.tgt_lang, cut(doc.src_roles, i0, i1),
                   cut(doc.tgt_roles, j0, j1), cut(doc.src_mt, i0, i1))


def align_anchored(aligner, docs: Sequence[DocPair], anchors: Sequence[Sequence[Span]],
                   only: Sequence[Sequence[Span] | None] | None = None) -> list[Alignment]:
    """Each document aligned around its anchors, in order: the anchors as they are (score 1), the stretches between
    aligned again, all stretches of all documents in one call.

    ``only``: per document, the stretches to align (``None``: all); the segments of the others are left out of
    the result, for the caller to keep as they are.
    """
    from mt.align import align_many_texts

    plans = [layout(d.n, d.m, a) for d, a in zip(docs, anchors)]
    jobs: list[tuple[int, Span]] = []
    for k, plan in enumerate(plans):
        wanted = None if only is None or only[k] is None else set(only[k] or ())
        jobs += [(k, s) for kind, s in plan if kind == "free" and (wanted is None or s in wanted)]
    aligned = dict(zip(jobs, align_many_texts([_piece(docs[k], s) for k, s in jobs], aligner))) if jobs else {}
    out = []
    for k, (doc, plan) in enumerate(zip(docs, plans)):
        beads: list[Bead] = []
        for kind, (i0, i1, j0, j1) in plan:
            if kind == "anchor":
                beads.append(Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 1.0))
            elif (k, (i0, i1, j0, j1)) in aligned:
                al = aligned[(k, (i0, i1, j0, j1))]
                beads += [Bead(tuple(i + i0 for i in b.src), tuple(j + j0 for j in b.tgt), b.score) for b in al.beads]
        method = next((aligned[j].method for j in jobs if j[0] == k), "anchors")
        out.append(Alignment(tuple(beads), doc.src_lang, doc.tgt_lang, method))
    return out


def meeting(new: Sequence[Span], old: Sequence[Span]) -> tuple[int, int] | None:
    """Where a path aligned again first meets the old one: (beads of ``new``, beads of ``old``) up to that point, both
    ending there; None if they never meet before the end."""
    ends = {(s[1], s[3]): n for n, s in enumerate(old)}
    for k, s in enumerate(new):
        if (s[1], s[3]) in ends:
            return k + 1, ends[(s[1], s[3])] + 1
    return None
