"""Real tiny translation models, built once per session: never a mock.

A sentencepiece model is trained on the sample corpus, a MarianMT with a few layers is initialised
at random and trained for a few steps on the corpus's aligned turns (so that it ends its outputs
with end-of-sentence), saved with ``save_pretrained`` and loaded back through the engines' real code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

MAX_POSITIONS = 64  # small, so that chunking is exercised by ordinary paragraphs
TRAIN_STEPS = 300


def _pairs() -> list[tuple[str, str]]:
    from mt.text.sentences import split_sentences
    from tests.helpers import gold_documents

    pairs = []
    for gold, ar, en in gold_documents():
        for a_idx, e_idx in gold["beads"]:
            if len(a_idx) == 1 and len(e_idx) == 1:
                pairs.append((split_sentences(ar.turns[a_idx[0]].text)[0], split_sentences(en.turns[e_idx[0]].text)[0]))
    return pairs


@pytest.fixture(scope="session")
def parallel_pairs() -> list[tuple[str, str]]:
    return _pairs()


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory, parallel_pairs) -> Path:
    torch = pytest.importorskip("torch", reason="the hf engine tests need torch (pip install 'mt[hf]' torch==2.13.0)")
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    root = tmp_path_factory.mktemp("tiny-marian")
    text = root / "spm.txt"
    text.write_text("\n".join(x for p in parallel_pairs for x in p), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(root / "sp"), vocab_size=500, character_coverage=1.0,
        model_type="unigram", bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=str(root / "sp.model"))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = len(vocab)  # Marian's convention: pad is the last id and starts decoding
    model_dir = root / "model"
    model_dir.mkdir()
    for name in ("source.spm", "target.spm"):
        shutil.copy(root / "sp.model", model_dir / name)
    (model_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(str(model_dir / "source.spm"), str(model_dir / "target.spm"), str(model_dir / "vocab.json"),
                          model_max_length=MAX_POSITIONS)
    pad = vocab["<pad>"]
    cfg = MarianConfig(
        vocab_size=len(vocab), d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
        decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128, max_position_embeddings=MAX_POSITIONS,
        pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(0)
    model = MarianMTModel(cfg)
    # The task: repeat the first words of the source. A few steps teach it to depend on its input and to
    # stop (end-of-sentence before the length limit), which is what comparing two engines needs.
    texts = [x for p in parallel_pairs for x in p]
    data = [(t, " ".join(t.split()[:4])) for t in texts if len(tok(t)["input_ids"]) < 50]
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for step in range(TRAIN_STEPS):
        batch = [data[(step * 16 + i) % len(data)] for i in range(16)]
        enc = tok([a for a, _ in batch], text_target=[e for _, e in batch], return_tensors="pt", padding=True)
        enc["labels"][enc["labels"] == pad] = -100
        loss = model(**enc).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    with torch.no_grad():
        # CTranslate2 starts Marian's decoder from a zero vector, as real OPUS-MT models have a zero pad
        # embedding; the tied output layer moved ours during training
        model.get_input_embeddings().weight[pad].zero_()
    model.save_pretrained(model_dir)
    tok.save_pretrained(model_dir)
    return model_dir


@pytest.fixture(scope="session")
def tiny_ct2(tmp_path_factory, tiny_marian) -> Path:
    pytest.importorskip("ctranslate2", reason="the ct2 engine tests need ctranslate2 (pip install 'mt[ct2]')")
    from mt.translate.ct2 import convert

    return convert(str(tiny_marian), tmp_path_factory.mktemp("tiny-ct2") / "model", quantization="float32")
