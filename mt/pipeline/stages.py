"""The stages of ``mt pipeline``. Each reads from the store, writes back, and records a fingerprint of its inputs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict
from pathlib import Path

from mt.errors import InputError, ModelError, StoreError
from mt.records import Article, CorpusBead

NOT_ARTICLES = re.compile(r"(?i)^(readme|license|licence|copying|notice|changelog|authors|pairs|manifest)([._-].*)?$")
BEAD_THRESHOLD = 0.5  # sentence beads at least this likely to be right train the pipeline's own lexicon


def _fp(*parts) -> str:
    from mt.pipeline.run import fingerprint

    return fingerprint(*parts)


def _finish(store, rep, result, name: str, fp: str, summary: dict, line: str, scope: str = "", skipped: bool = False):
    from mt.pipeline.run import StageResult

    if not skipped:
        store.finish_stage(name, fp, summary, scope)
    res = StageResult(name, skipped, summary, line + (" (unchanged, skipped)" if skipped else ""))
    result.stages.append(res)
    rep.done(res)
    return res


def _warn(rep, result, line: str) -> None:
    result.warnings.append(line)
    rep.note(f"warning: {line}")


# -- ingest ---------------------------------------------------------------------------------------

def corpus_inputs(corpus: Path) -> list[Path]:
    """The article files and folders of a corpus directory: everything but gold data, manifests and READMEs."""
    from mt.ingest.readers import SUPPORTED_EXTENSIONS

    out = []
    for p in sorted(corpus.iterdir()):
        if p.name.startswith(".") or p.name == "gold" or NOT_ARTICLES.match(p.name):
            continue
        if p.is_dir() or p.suffix.lower() in SUPPORTED_EXTENSIONS:
            out.append(p)
    return out


def ingest(cfg, store, rep, result) -> list[Article]:
    from mt.ingest import ingest_paths, iter_files

    files = [f for f, err in iter_files(corpus_inputs(cfg.corpus)) if err is None]
    if not files:
        raise InputError("no article files in this corpus directory", str(cfg.corpus))
    stats = [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    fp = _fp("ingest", stats)
    prev = store.stage("ingest", str(cfg.corpus.resolve()))
    if prev and prev[0] == fp:
        try:
            articles = [store.get_article(i) for i in prev[1]["ids"]]
            return _ingested(store, rep, result, fp, articles, {**prev[1], "new": 0}, cfg, skipped=True)
        except Exception:  # an article removed from the store since: ingest again
            pass
    rep.stage("ingest", len(files))
    report = ingest_paths([str(f) for f in files], store=store, on_file=lambda _p: rep.advance(1))
    for path, why in report.failed:
        _warn(rep, result, f"{path}: {why}")
    if not report.articles:
        raise InputError("no file of this corpus could be ingested", str(cfg.corpus))
    summary = {"ids": [a.id for a in report.articles], "new": len(report.new_ids), "failed": len(report.failed)}
    return _ingested(store, rep, result, fp, report.articles, summary, cfg)


def _ingested(store, rep, result, fp, articles, summary, cfg, skipped=False):
    for a in articles:
        for w in a.warnings:
            if w.startswith("roles uncertain"):
                _warn(rep, result, f"{a.id}: {w}")
    en = sum(1 for a in articles if a.lang == "en")
    line = f"{len(articles)} articles ({en} English, {len(articles) - en} Arabic), {summary['new']} new"
    _finish(store, rep, result, "ingest", fp, summary, line, str(cfg.corpus.resolve()), skipped)
    return articles


# -- pair -----------------------------------------------------------------------------------------

def pair(cfg, store, rep, result, articles, scope):
    from mt.align.pairing import pair_articles, pair_from_manifest

    en = [a for a in articles if a.lang == "en"]
    ar = [a for a in articles if a.lang == "ar"]
    if not en:
        raise InputError("the corpus has no English articles", str(cfg.corpus))
    manifest = cfg.manifest.read_bytes().decode("utf-8", "replace") if cfg.manifest else None
    fp = _fp("pair", sorted((a.id, a.source.sha256) for a in articles), manifest, cfg.threshold)
    prev = store.stage("pair", scope)
    ids = {a.id for a in en}
    stored = [p for p in store.pairs() if p.en_id in ids]
    if prev and prev[0] == fp and len(stored) == len(en):
        pairs = stored
        skipped = True
    else:
        rep.stage("pair", None)
        pairs = pair_from_manifest(cfg.manifest, en, ar) if cfg.manifest else pair_articles(en, ar, threshold=cfg.threshold)
        listed = {p.en_id for p in pairs}
        if cfg.manifest and listed != ids:
            missing = sorted(ids - listed)
            raise InputError(f"the manifest does not list {', '.join(missing)}", str(cfg.manifest))
        store.save_pairs(pairs)
        skipped = False
    paired = sum(1 for p in pairs if p.ar_id)
    how = "manifest" if cfg.manifest else "evidence"
    alone = len(pairs) - paired
    line = f"{paired} pairs by {how}, {alone} English article{'s' if alone != 1 else ''} without an Arabic source"
    _finish(store, rep, result, "pair", fp, {"pairs": paired, "english_only": len(pairs) - paired, "method": how},
            line, scope, skipped)
    return sorted(pairs, key=lambda p: p.en_id)


# -- align ----------------------------------------------------------------------------------------

def _role(turns) -> str:
    return "+".join(dict.fromkeys(t.role for t in turns))


def _sentences(text: str) -> list[str]:
    from mt.text.sentences import split_sentences

    return split_sentences(" ".join(text.split()))


def _load(result, name: str, model: str | None, src: str, tgt: str):
    """An engine, loaded once per run (model weights are the slow part)."""
    from mt.translate import load_engine

    key = (name, model, src, tgt)
    if key not in result.loaded:
        result.loaded[key] = load_engine(name, model, src, tgt)
    return result.loaded[key]


def _choose(cfg, rep, result, src: str, tgt: str):
    from mt.translate.choose import choose_engine

    choice = choose_engine(cfg.engine, cfg.model if src == "ar" else cfg.reverse_model, src, tgt)
    key = f"{src}-{tgt}"
    if key not in result.engines:
        result.engines[key] = choice
        rep.note(f"engine {src}→{tgt}: {choice.name} — {choice.reason}")
    return choice


def align(cfg, store, rep, result, articles, pairs, scope):
    from mt.align import Aligner, DocPair, align_many_texts, align_sentences
    from mt.align.memory import CorpusLexicon
    from mt.align.params import load_params
    from mt.translate import Translator

    by_id = {a.id: a for a in articles}
    human = [(by_id[p.en_id], by_id[p.ar_id]) for p in pairs if p.ar_id]
    # a neural translation of each Arabic turn is one more alignment signal (a lexicon's glosses add
    # nothing the aligner's own lexical scorer lacks, and the lexicon is trained on this alignment)
    choice = _choose(cfg, rep, result, "ar", "en") if human else None
    engine = _load(result, choice.name, choice.model, "ar", "en") if choice and choice.neural else None
    params = load_params()
    version = _fp(params.digest, __import__("mt").__version__, engine.identity if engine else None)
    fp = _fp("align", version, [(e.id, a.id, [(t.role, t.text) for t in e.turns], [(t.role, t.text) for t in a.turns])
                                for e, a in human])
    prev = store.stage("align", scope)
    if prev and prev[0] == fp:
        return _finish(store, rep, result, "align", fp, prev[1], prev[1].get("line", ""), scope, skipped=True)
    rep.stage("align", len(human) * 2)
    src_mt: list[list[str] | None] = [None] * len(human)
    if engine is not None:
        flat = [t.text for _, a in human for t in a.turns]
        out = iter(t.text for t in Translator(engine, store).translate(flat))
        src_mt = [[next(out) for _ in a.turns] for _, a in human]
    docs = [DocPair([t.text for t in a.turns], [t.text for t in e.turns], "ar", "en",
                    [t.role for t in a.turns], [t.role for t in e.turns], mt) for (e, a), mt in zip(human, src_mt)]
    # the store's corpus lexicon (what earlier runs and translators' reviews taught) is the prior of this run's
    # bootstrap; the articles aligned now are left out of it, since they are learnt again below
    memory = CorpusLexicon(store, "ar", "en")
    memory.sync_reviews()
    prior = CorpusLexicon(store, "ar", "en", tuple(f"article:{e.id}" for e, _ in human))
    turn_als = align_many_texts(docs, Aligner(params, prior=prior)) if docs else []
    rep.advance(len(human))
    turn_beads: dict[str, list[CorpusBead]] = {}
    inner: list[tuple[str, int]] = []  # (article, turn bead) of each turn pair given to sentence alignment
    texts: list[tuple[str, str]] = []
    for (e, a), al in zip(human, turn_als):
        beads = []
        for k, b in enumerate(al.beads):
            ar_text = "\n\n".join(a.turns[i].text for i in b.src)
            en_text = "\n\n".join(e.turns[j].text for j in b.tgt)
            role = _role([a.turns[i] for i in b.src] + [e.turns[j] for j in b.tgt])
            beads.append(CorpusBead(e.id, a.id, "turn", k, ar_text, en_text, b.src, b.tgt, None, role, b.score))
            if b.src and b.tgt:
                inner.append((e.id, k))
                texts.append((ar_text, en_text))
        turn_beads[e.id] = beads
    sentence_als = dict(zip(inner, align_sentences(texts, aligner=Aligner(params, prior=prior)))) if texts else {}
    kept, written, n_sent = [], 0, 0
    for e, a in human:
        out = list(turn_beads[e.id])
        ordinal = 0
        for tb in turn_beads[e.id]:
            if (e.id, tb.ordinal) in sentence_als:
                src, tgt, al = sentence_als[(e.id, tb.ordinal)]
                for b in al.beads:
                    out.append(CorpusBead(e.id, a.id, "sentence", ordinal, " ".join(src[i] for i in b.src),
                                          " ".join(tgt[j] for j in b.tgt), b.src, b.tgt, tb.ordinal, tb.role,
                                          b.score * tb.score))
                    ordinal += 1
            else:  # a turn with no counterpart: its sentences are kept, each on its own, with an empty side
                for i, s in enumerate(_sentences(tb.ar or tb.en)):
                    src, tgt = ((i,), ()) if tb.ar else ((), (i,))
                    out.append(CorpusBead(e.id, a.id, "sentence", ordinal, s if tb.ar else "", "" if tb.ar else s,
                                          src, tgt, tb.ordinal, tb.role, tb.score))
                    ordinal += 1
        out = _carry_reviews(store, rep, result, e.id, out)
        try:
            store.replace_beads(e.id, out)
            written += 1
            n_sent += ordinal
            memory.learn_article(e.id)
        except StoreError:
            kept.append(e.id)
            _warn(rep, result, f"{e.id}: reviewed beads kept; the new alignment was not applied")
        rep.advance(1)
    n_turn = sum(len(v) for v in turn_beads.values())
    line = f"{len(human)} pairs: {n_turn} turn beads, {n_sent} sentence beads"
    return _finish(store, rep, result, "align", fp, {"pairs": len(human), "turn_beads": n_turn, "sentence_beads": n_sent,
                                                       "kept_reviewed": kept, "line": line}, line, scope)


def _carry_reviews(store, rep, result, en_id: str, beads: list[CorpusBead]) -> list[CorpusBead]:
    """An edited file is a new article: reviews of beads whose text is unchanged carry over from the old one."""
    from dataclasses import replace

    old = [b for prev in store.earlier_versions(en_id) for b in store.reviewed_beads(prev)]
    if not old:
        return beads
    status = {(b.level, b.ar, b.en): b.status for b in old if b.status != "unreviewed"}
    out, carried = [], set()
    for b in beads:
        key = (b.level, b.ar, b.en)
        if key in status and b.status == "unreviewed":
            out.append(replace(b, status=status[key]))
            carried.add(key)
        else:
            out.append(b)
    left = sum(1 for b in old if (b.level, b.ar, b.en) not in carried)
    line = f"{en_id} replaces an earlier version of its file: {len(carried)} reviewed beads carried over"
    if left:
        line += f", {left} whose text changed stay with the earlier version in the store (not exported)"
    _warn(rep, result, line)
    return out


# -- translate ------------------------------------------------------------------------------------

def _lexicon_file(cfg, rows: list[tuple[str, str]], note: dict) -> Path:
    """Train (once: the file is named by what it was trained on) a lexicon on aligned rows."""
    from mt.translate.lexicon import train

    path = cfg.out / "lexicons" / f"{_fp('lexicon', rows)[:16]}.npz"
    if not path.exists():
        # mt's own IBM-1 links, not eflomal's sampled ones: a rerun of the pipeline must give the same lexicon
        lex = train([r[0] for r in rows], [r[1] for r in rows], "ar", "en", aligner="ibm1", sources=note)
        lex.save(path)
    return path


def _training_rows(store, en_ids) -> dict[str, list[tuple[str, str]]]:
    rows = {}
    for i in en_ids:
        rows[i] = [(b.ar, b.en) for b in store.beads(i) if b.origin == "human" and b.complete and b.score >= BEAD_THRESHOLD]
    return rows


def folds(ids: list[str], k: int, seed: int) -> dict[str, int]:
    """Articles into ``k`` folds by a seeded hash, so that each is translated by a lexicon that never saw it."""
    order = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    return {a: n % k for n, a in enumerate(order)}


def engines_for(cfg, store, rep, result, ids: list[str], src: str, tgt: str, pairs) -> dict[str, object]:
    """An engine per English article id (one shared engine, or a held-out lexicon per fold)."""
    choice = _choose(cfg, rep, result, src, tgt)
    if choice.name != "lexicon" or choice.model:
        try:
            eng = _load(result, choice.name, choice.model, src, tgt)
        except ModelError as e:
            flag = "--model" if src == "ar" else "--reverse-model"
            raise ModelError(f"{src}→{tgt} model ({flag}): {e}") from None
        return {i: eng for i in ids}
    human_ids = sorted(p.en_id for p in pairs if p.ar_id)  # this corpus only, never other pairs in a shared store
    rows = _training_rows(store, human_ids)
    if not any(rows.values()):
        flag = "--model" if src == "ar" else "--reverse-model"
        raise InputError(f"no aligned pairs to train a lexicon on; give a {src}→{tgt} model with {flag}")
    if src == "en":
        # English-only articles: a lexicon trained on the pairs of the training split only, so synthetic
        # training rows carry nothing learned from validation or test articles
        train_ids = _train_split(store, human_ids, cfg.seed) or human_ids
        path = _lexicon_file(cfg, [r for i in train_ids for r in rows[i]], {"articles": train_ids})
        eng = _load(result, "lexicon", str(path), src, tgt)
        return {i: eng for i in ids}
    k = min(cfg.folds, len(human_ids))
    if k < 2:
        _warn(rep, result, "one pair only: its lexicon is trained on the text it translates, so MT scores are optimistic")
        path = _lexicon_file(cfg, rows[human_ids[0]], {"articles": human_ids})
        eng = _load(result, "lexicon", str(path), src, tgt)
        return {i: eng for i in ids}
    fold = folds(human_ids, k, cfg.seed)
    engines = {}
    for f in range(k):
        train_ids = [i for i in human_ids if fold[i] != f]
        path = _lexicon_file(cfg, [r for i in train_ids for r in rows[i]], {"articles": train_ids, "held_out_fold": f})
        eng = _load(result, "lexicon", str(path), src, tgt)
        engines.update({i: eng for i in human_ids if fold[i] == f})
    return {i: engines[i] for i in ids}


def _train_split(store, ids: list[str], seed: int) -> list[str]:
    from mt.export import assign_splits, split_key

    keys = {i: split_key(store.get_article(i)) for i in ids}
    splits = assign_splits(list(keys.values()), seed)
    return [i for i in ids if splits[keys[i]] == "train"]


def translate(cfg, store, rep, result, articles, pairs, scope):
    """Machine translation of the Arabic side of every human bead, for evaluation and for reviewers."""
    from mt.translate import Translator

    ids = [p.en_id for p in pairs if p.ar_id]
    if not ids:
        return _finish(store, rep, result, "translate", "", {}, "no pairs to translate", scope, skipped=True)
    engines = engines_for(cfg, store, rep, result, ids, "ar", "en", pairs)
    todo = {i: [b for b in store.beads(i) if b.ar.strip() and not (b.mt is not None and b.mt_model == engines[i].identity)]
            for i in ids}
    total = sum(map(len, todo.values()))
    if not total:
        n = sum(len(store.beads(i)) for i in ids)
        return _finish(store, rep, result, "translate", "", {"translated": 0}, f"{n} beads already translated", scope, skipped=True)
    rep.stage("translate", total)
    done = cached = 0
    for i in ids:  # article by article, each stored at once: an interrupted run keeps what it finished
        if not todo[i]:
            continue
        out = Translator(engines[i], store).translate([b.ar for b in todo[i]], progress=rep.advance)
        store.set_bead_mt([(b.id, t.text, t.model) for b, t in zip(todo[i], out)])
        done += len(out)
        cached += sum(t.cached for t in out)
    line = f"{done} beads translated ({cached} from the cache)"
    return _finish(store, rep, result, "translate", "", {"translated": done, "cached": cached}, line, scope)


def synthetic(cfg, store, rep, result, articles, pairs):
    """English articles without an Arabic source, machine-translated sentence by sentence: a marked, separate part."""
    from mt.translate import Translator

    by_id = {a.id: a for a in articles}
    ids = [p.en_id for p in pairs if not p.ar_id]
    if not ids:
        return _finish(store, rep, result, "synthetic", "", {}, "no English-only articles", skipped=True)
    try:
        engines = engines_for(cfg, store, rep, result, ids, "en", "ar", pairs)
    except InputError as e:
        _warn(rep, result, f"English-only articles not translated: {e}")
        return _finish(store, rep, result, "synthetic", "", {}, "not translated", skipped=True)
    made, skipped = 0, 0
    plans = {}
    for i in ids:
        e = by_id[i]
        fp = _fp("synthetic", [t.text for t in e.turns], engines[i].name, engines[i].identity)
        prev = store.stage("synthetic", i)
        if prev and prev[0] == fp and store.beads(i, origin="synthetic"):
            skipped += 1
        elif store.reviewed(i):
            _warn(rep, result, f"{i}: reviewed beads kept; not translated again")
        else:
            plans[i] = (fp, [_sentences(t.text) for t in e.turns])
    if not plans:
        return _finish(store, rep, result, "synthetic", "", {"articles": skipped}, f"{skipped} English-only articles", skipped=True)
    rep.stage("synthetic", sum(len(s) for _, sents in plans.values() for s in sents))
    for i, (fp, sents) in plans.items():
        e, eng = by_id[i], engines[i]
        flat = [s for turn in sents for s in turn]
        mt = iter(t.text for t in Translator(eng, store).translate(flat, progress=rep.advance))
        beads, ordinal = [], 0
        for k, (turn, ss) in enumerate(zip(e.turns, sents)):
            ar = [next(mt) for _ in ss]
            beads.append(CorpusBead(i, None, "turn", k, " ".join(ar), turn.text, (k,), (k,), None, turn.role, 1.0,
                                    "synthetic", mt_model=eng.identity))
            for j, (s, a) in enumerate(zip(ss, ar)):
                beads.append(CorpusBead(i, None, "sentence", ordinal, a, s, (j,), (j,), k, turn.role, 1.0, "synthetic",
                                        mt_model=eng.identity))
                ordinal += 1
        store.replace_beads(i, beads)
        store.finish_stage("synthetic", fp, {"beads": ordinal}, i)
        made += 1
    line = f"{made + skipped} English-only article{'s' if made + skipped != 1 else ''} machine-translated into Arabic ({made} now)"
    return _finish(store, rep, result, "synthetic", "", {"articles": made + skipped, "new": made}, line)


# -- evaluate and export --------------------------------------------------------------------------

def _state(store, ids) -> str:
    rows = [(b.en_id, b.level, b.ordinal, b.ar, b.en, round(b.score, 6), b.status, b.version, b.mt)
            for i in ids for level in ("turn", "sentence") for b in store.beads(i, level=level)]
    return _fp(rows)


def evaluate(cfg, store, rep, result, articles, pairs, scope) -> dict:
    from mt.evaluate.report import collect, write_report

    ids = [p.en_id for p in pairs]
    out_dir = cfg.out / "report"
    gold = sorted(str(p) for p in cfg.gold.glob("*.json")) if cfg.gold else []
    fp = _fp("evaluate", _state(store, ids), [(g, hashlib.sha256(Path(g).read_bytes()).hexdigest()) for g in gold],
             str(out_dir.resolve()))
    prev = store.stage("evaluate", scope)
    paths = {"markdown": out_dir / "report.md", "html": out_dir / "report.html"}
    if prev and prev[0] == fp and all(p.exists() for p in paths.values()):
        result.report = paths
        _finish(store, rep, result, "evaluate", fp, prev[1], prev[1].get("line", ""), scope, skipped=True)
        return prev[1]
    rep.stage("evaluate", None)
    data = collect(store, articles, pairs, cfg.gold, engines={k: asdict(v) for k, v in result.engines.items()})
    result.report = write_report(data, out_dir)
    summary = data.summary()
    mt = summary.get("mt") or {}
    line = ("MT " + ", ".join(f"{k} {v}" for k, v in mt.items() if k != "segments") if mt else "no MT scores")
    if summary.get("alignment"):
        line += f"; alignment F1 {summary['alignment']['strict_f1']:.3f} against gold"
    summary["line"] = line
    _finish(store, rep, result, "evaluate", fp, summary, line, scope)
    return summary


def export(cfg, store, rep, result, scope, pairs):
    from mt.export import export_store

    ids = sorted(p.en_id for p in pairs)
    out_dir = cfg.out / "export"
    fp = _fp("export", _state(store, ids), cfg.formats, cfg.seed, str(out_dir.resolve()))
    prev = store.stage("export", scope)
    if prev and prev[0] == fp and all(Path(p).exists() for ps in prev[1]["files"].values() for p in ps):
        result.exports = {k: [Path(p) for p in v] for k, v in prev[1]["files"].items()}
        return _finish(store, rep, result, "export", fp, prev[1], prev[1]["line"], scope, skipped=True)
    rep.stage("export", len(cfg.formats))
    try:
        info, written = export_store(store, out_dir, list(cfg.formats), seed=cfg.seed, en_ids=set(ids))
    except InputError as e:
        _warn(rep, result, e.reason if hasattr(e, "reason") else str(e))
        return _finish(store, rep, result, "export", "", {}, "nothing exported", scope, skipped=True)
    result.exports = written
    line = ", ".join(f"{s} {n}" for s, n in info.counts.items()) + f" rows in {len(cfg.formats)} formats"
    summary = {"counts": info.counts, "removed": info.removed, "line": line,
               "files": {k: [str(p) for p in v] for k, v in written.items()}}
    return _finish(store, rep, result, "export", fp, summary, line, scope)
