"""Which translation engine each article gets in a run: one chosen model, or held-out lexicons."""

from __future__ import annotations

from mt.errors import InputError, ModelError
from mt.pipeline.base import StageContext
from mt.translate.base import Engine


def choose(ctx: StageContext, src: str, tgt: str):
    """The engine for a direction (said once per run, with the reason)."""
    from mt.translate.choose import choose_engine

    cfg = ctx.cfg
    choice = choose_engine(cfg.engine, cfg.model if src == "ar" else cfg.reverse_model, src, tgt)
    key = f"{src}-{tgt}"
    if key not in ctx.result.engines:
        ctx.result.engines[key] = choice
        ctx.rep.note(f"engine {src}→{tgt}: {choice.name} — {choice.reason}")
    return choice


def load(ctx: StageContext, name: str, model: str | None, src: str, tgt: str) -> Engine:
    """An engine, loaded once per run (model weights are the slow part)."""
    from mt.translate import load_engine

    key = (name, model, src, tgt)
    if key not in ctx.result.loaded:
        ctx.result.loaded[key] = load_engine(name, model, src, tgt)
    return ctx.result.loaded[key]


def engines_for(ctx: StageContext, ids: list[str], src: str, tgt: str) -> dict[str, Engine]:
    """An engine per English article id: one shared engine, or for the lexicon engine without a file, lexicons
    trained on this corpus's aligned pairs and held out by article (``mt.translate.heldout``)."""
    from mt.translate.heldout import held_out_lexicons, training_split_lexicon

    choice = choose(ctx, src, tgt)
    flag = "--model" if src == "ar" else "--reverse-model"
    if choice.name != "lexicon" or choice.model:
        try:
            eng = load(ctx, choice.name, choice.model, src, tgt)
        except ModelError as e:
            raise ModelError(f"{src}→{tgt} model ({flag}): {e}") from None
        return {i: eng for i in ids}
    human = sorted(p.en_id for p in ctx.pairs if p.ar_id)  # this corpus only, never other pairs in a shared store
    folder = ctx.cfg.out / "lexicons"
    try:
        if src == "en":
            # English-only articles: nothing they are translated by may have seen validation or test articles
            eng = load(ctx, "lexicon", str(training_split_lexicon(ctx.store, human, folder, seed=ctx.cfg.seed)), src, tgt)
            return {i: eng for i in ids}
        held = held_out_lexicons(ctx.store, human, folder, k=ctx.cfg.folds, seed=ctx.cfg.seed)
    except InputError as e:
        raise InputError(f"{e.reason}; give a {src}→{tgt} model with {flag}") from None
    if held.note:
        ctx.warn(held.note)
    return {i: load(ctx, "lexicon", str(held.files[i]), src, tgt) for i in ids}
