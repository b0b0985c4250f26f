"""The hf and ct2 engines on a real tiny Marian: loading, batching, chunking, caching, resuming."""

import pytest

from mt.errors import ModelError
from mt.store import Store
from mt.translate import DecodeOptions, Translator, load_engine
from mt.translate.translator import token_batches

GREEDY = DecodeOptions(beam_size=1, max_length=30)


@pytest.fixture(scope="module")
def hf(tiny_marian):
    return load_engine("hf", str(tiny_marian), "ar", "en", GREEDY)


def short_texts(engine, pairs, limit=50):
    return [x for p in pairs for x in p if engine.count_tokens([x])[0] < limit]


def test_hf_engine_loads_local_model_with_weights_identity(hf, tiny_marian):
    name, dtype = hf.identity.rsplit("/", 1)
    assert name.startswith("model@sha256:") and len(name.split(":")[1]) == 16
    assert dtype == "float32"  # the resolved dtype: fp32 on a CPU and bf16 on a GPU never share cache entries
    assert hf.max_input_tokens == 62  # max_position_embeddings 64, minus room for special tokens
    assert hf.device == "cpu"


def test_batched_translation_equals_one_at_a_time(hf, parallel_pairs):
    texts = short_texts(hf, parallel_pairs)[:24]
    batched = Translator(hf).translate(texts)
    single = [hf.translate_batch([t])[0] for t in texts]
    assert [t.text for t in batched] == single
    assert len({t.text for t in batched}) > 5  # the model's outputs depend on its input


def test_token_batches_sort_by_length_and_respect_the_budget():
    lengths = [5, 50, 7, 48, 6, 49, 1]
    batches = token_batches(lengths, 100)
    assert sorted(i for b in batches for i in b) == list(range(7))
    for b in batches:
        assert len(b) * max(lengths[i] for i in b) <= 100 or len(b) == 1
    assert batches[0][0] == 1  # longest first


def test_long_input_is_chunked_not_truncated(hf, parallel_pairs):
    paras = [a for a, _ in parallel_pairs]
    long_para = " ".join(paras[:6])  # far beyond the 62-token limit
    seg = long_para + "\n\n" + paras[7]
    assert hf.count_tokens([long_para])[0] > 3 * hf.max_input_tokens
    (t,) = Translator(hf).translate([seg])
    assert t.chunks > 3
    assert t.text.count("\n\n") == 1  # the paragraph break survives
    from mt.translate.chunk import plan

    chunks, _ = plan([seg], hf.max_input_tokens, hf.count_tokens)
    assert max(hf.count_tokens(chunks)) <= hf.max_input_tokens
    assert " ".join(chunks).split() == seg.split()  # nothing cut away
    expected = " ".join(hf.translate_batch([c])[0] for c in chunks[:-1]) + "\n\n" + hf.translate_batch([chunks[-1]])[0]
    assert t.text == expected


def test_cache_makes_a_rerun_free_and_resume_after_a_kill(hf, parallel_pairs, tmp_path):
    texts = short_texts(hf, parallel_pairs)[:40]
    calls = []
    real = hf.translate_batch

    def counting(batch):  # a spy on the real engine, which still does the work
        calls.append(len(batch))
        return real(batch)

    hf.translate_batch = counting
    try:
        with Store(tmp_path / "c.db") as store:
            small = DecodeOptions(beam_size=1, max_length=30, batch_tokens=200)
            hf.options = small
            tr = Translator(hf, store)
            seen = []

            def kill_after_first_batch(n):
                seen.append(n)
                raise KeyboardInterrupt

            with pytest.raises(KeyboardInterrupt):
                tr.translate(texts, progress=kill_after_first_batch)
            first_batch = calls[0]
            assert store.count_translations() == first_batch  # what was done before the kill is kept
            calls.clear()
            resumed = tr.translate(texts)
            assert sum(calls) == len(set(texts)) - first_batch  # only the rest is translated
            calls.clear()
            again = tr.translate(texts)
            assert calls == [] and all(t.cached for t in again)
            assert [t.text for t in again] == [t.text for t in resumed]
            uncached = Translator(hf, store, use_cache=False).translate(texts[:3])
            assert sum(calls) == 3 and [t.text for t in uncached] == [t.text for t in resumed[:3]]
    finally:
        hf.translate_batch = real
        hf.options = GREEDY


def test_cache_key_changes_with_options_and_weights(hf, tiny_marian, tmp_path):
    from mt.translate import cache_key

    beam4 = load_engine("hf", str(tiny_marian), "ar", "en", DecodeOptions(beam_size=4, max_length=30))
    bigger_batch = load_engine("hf", str(tiny_marian), "ar", "en", DecodeOptions(beam_size=1, max_length=30, batch_tokens=10))
    assert cache_key(hf, "نص") != cache_key(beam4, "نص")
    assert cache_key(hf, "نص") == cache_key(bigger_batch, "نص")  # batching changes speed, not output
    import shutil

    import torch
    from transformers import MarianMTModel

    copy = tmp_path / "model"
    shutil.copytree(tiny_marian, copy)
    m = MarianMTModel.from_pretrained(copy)
    with torch.no_grad():
        m.lm_head.weight[1] += 1.0
    m.save_pretrained(copy)
    changed = load_engine("hf", str(copy), "ar", "en", GREEDY)
    assert changed.identity != hf.identity and cache_key(changed, "نص") != cache_key(hf, "نص")


def test_multi_target_models_get_the_language_token(tiny_marian, tmp_path):
    import json
    import shutil

    copy = tmp_path / "multi"
    shutil.copytree(tiny_marian, copy)
    vocab = json.loads((copy / "vocab.json").read_text("utf-8"))
    # swap two rarely used pieces for the language tokens an opus-mt-en-ar style model has
    rare = sorted(vocab, key=vocab.get)[-3:-1]
    vocab[">>ara<<"] = vocab.pop(rare[0])
    vocab[">>eng<<"] = vocab.pop(rare[1])
    (copy / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    e = load_engine("hf", str(copy), "en", "ar", GREEDY)
    assert e._prefix == ">>ara<< "
    ids = e.tokenizer([e._prefix + "water"])["input_ids"][0]
    assert e.tokenizer.convert_ids_to_tokens(ids)[0] == ">>ara<<"


@pytest.mark.parametrize("model,msg", [
    ("/nonexistent/model", "cannot load model from /nonexistent/model: not a model directory"),
    ("no-such-org/no-such-model-xyz", "is not on this machine and the Hugging Face hub cannot be reached"),
])
def test_unloadable_models_say_why_and_how_to_fix(model, msg, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match=msg):
        load_engine("hf", model, "ar", "en")


def test_unknown_engine_and_same_language():
    with pytest.raises(ModelError, match="unknown engine 'nope'"):
        load_engine("nope", None, "ar", "en")
    with pytest.raises(ModelError, match="both ar"):
        load_engine("lexicon", "x", "ar", "ar")


def test_ct2_engine_agrees_with_hf(hf, tiny_ct2, parallel_pairs):
    ct2 = load_engine("ct2", str(tiny_ct2), "ar", "en", DecodeOptions(beam_size=1, max_length=30, dtype="float32"))
    texts = short_texts(hf, parallel_pairs)
    a, b = hf.translate_batch(texts), ct2.translate_batch(texts)
    same = sum(x == y for x, y in zip(a, b))
    # a tiny model has near-ties between tokens, where two correct implementations may differ
    assert same >= 0.95 * len(texts), (same, len(texts))
    assert ct2.identity.endswith("/float32")


def test_ct2_engine_adds_nothing_to_raw_ctranslate2(tiny_ct2, parallel_pairs):
    ct2 = load_engine("ct2", str(tiny_ct2), "ar", "en", DecodeOptions(beam_size=2, max_length=30, dtype="float32"))
    texts = short_texts(ct2, parallel_pairs)[:20]
    tok = ct2.tokenizer
    raw = ct2.translator.translate_batch([tok.convert_ids_to_tokens(tok(t)["input_ids"]) for t in texts], beam_size=2, max_decoding_length=30)
    expected = [tok.decode(tok.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True).strip() for r in raw]
    assert ct2.translate_batch(texts) == expected


def test_ct2_refuses_a_transformers_folder(tiny_marian):
    with pytest.raises(ModelError, match="not a CTranslate2 model folder .*mt models convert"):
        load_engine("ct2", str(tiny_marian), "ar", "en")


def test_convert_refuses_to_overwrite(tiny_marian, tiny_ct2):
    from mt.translate.ct2 import convert

    with pytest.raises(ModelError, match="--force"):
        convert(str(tiny_marian), tiny_ct2)


def _tiny_m2m100(root, tokenizer):
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    ids = list(tokenizer.get_vocab().values()) + [tokenizer.convert_tokens_to_ids(c) for c in ("arb_Arab", "eng_Latn", "__ar__", "__en__")]
    size = max(i for i in ids if i is not None) + 1
    if hasattr(tokenizer, "lang_token_to_id"):
        size = max(size, max(tokenizer.lang_token_to_id.values()) + 1)
    cfg = M2M100Config(vocab_size=size, d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                       decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64,
                       pad_token_id=tokenizer.pad_token_id, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2)
    M2M100ForConditionalGeneration(cfg).save_pretrained(root)
    tokenizer.save_pretrained(root)
    return root


def test_m2m100_codes_and_forced_target(tmp_path):
    import json

    import sentencepiece as spm
    from transformers import M2M100Tokenizer

    (tmp_path / "t.txt").write_text("\n".join(["اجتمع المجلس في درعا", "the council met in daraa"] * 50), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(tmp_path / "t.txt"), model_prefix=str(tmp_path / "sp"), vocab_size=30, minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=str(tmp_path / "sp.model"))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    (tmp_path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = M2M100Tokenizer(str(tmp_path / "vocab.json"), str(tmp_path / "sp.model"))
    model = _tiny_m2m100(tmp_path / "m2m", tok)
    e = load_engine("hf", str(model), "ar", "en", DecodeOptions(beam_size=1, max_length=5))
    assert e._gen_kwargs == {"forced_bos_token_id": e.tokenizer.get_lang_id("en")}
    assert e.tokenizer.convert_ids_to_tokens(e.tokenizer(["اجتمع"])["input_ids"][0])[0] == "__ar__"
    out = e.model.generate(**e.tokenizer(["اجتمع"], return_tensors="pt"), max_new_tokens=4, **e._gen_kwargs)
    assert out[0][1].item() == e.tokenizer.get_lang_id("en")
    assert len(e.translate_batch(["اجتمع المجلس"])) == 1
    labels = e.tokenizer("اجتمع", text_target="the council")["labels"]  # fine-tuning labels in English
    assert e.tokenizer.convert_ids_to_tokens(labels)[0] == "__en__"


def test_nllb_codes_and_forced_target(tmp_path):
    from transformers import NllbTokenizer

    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for ch in "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآىئؤ▁thecoundaimr":
        vocab.setdefault(ch, len(vocab))
    tok = NllbTokenizer(vocab=vocab, merges=[])
    model = _tiny_m2m100(tmp_path / "nllb", tok)
    e = load_engine("hf", str(model), "en", "ar", DecodeOptions(beam_size=1, max_length=5))
    assert e._gen_kwargs == {"forced_bos_token_id": e.tokenizer.convert_tokens_to_ids("arb_Arab")}
    assert e.tokenizer.convert_ids_to_tokens(e.tokenizer(["the council"])["input_ids"][0])[0] == "eng_Latn"
    out = e.model.generate(**e.tokenizer(["the council"], return_tensors="pt"), max_new_tokens=4, **e._gen_kwargs)
    assert out[0][1].item() == e.tokenizer.convert_tokens_to_ids("arb_Arab")
    # fine-tuning labels (text_target=) start with the target's code, as generation is forced to
    labels = e.tokenizer("the council", text_target="اجتمع")["labels"]
    assert e.tokenizer.convert_ids_to_tokens(labels)[0] == "arb_Arab"


def test_asking_for_a_gpu_that_is_not_there(tiny_marian):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ModelError, match="no CUDA device"):
        load_engine("hf", str(tiny_marian), "ar", "en", DecodeOptions(device="cuda"))


def test_progress_counts_whole_segments(hf, parallel_pairs):
    paras = [a for a, _ in parallel_pairs]
    segments = [" ".join(paras[:6]), "", paras[7], paras[8]]  # one long segment of many chunks, one empty
    seen = []
    Translator(hf).translate(segments, progress=seen.append)
    assert sum(seen) == len(segments)


def test_token_batches_fill_the_budget_exactly():
    assert token_batches([10, 10, 10, 10], 30) == [[0, 1, 2], [3]]  # 3 × 10 fills 30; a fourth would pass it
    assert token_batches([10, 10, 10, 10], 29) == [[0, 1], [2, 3]]
    assert token_batches([50, 5], 20) == [[0], [1]]  # an item longer than the budget still goes, alone
