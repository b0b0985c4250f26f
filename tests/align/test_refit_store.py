"""`mt align fit --from-store`: the aligner's values refitted on what translators reviewed."""

import random

from mt.align.fitjob import fit_from_store, store_gold
from mt.align.params import load_params
from mt.records import Article, Byline, CorpusBead, Source, Turn
from mt.store import Store

AR_WORDS = "مجلس مدينة مياه محطة وقود سعر ليرة قصف مدرسة معلم راتب طريق معبر حدود سوق".split()
EN_WORDS = "council city water station fuel price pound shelling school teacher salary road crossing border market".split()


def sentence(rng, words, n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def synthetic_store(path, turns=12, seed=3):
    """A store whose translators split every Arabic sentence into two English ones: all reviewed beads are 1-2."""
    rng = random.Random(seed)
    with Store(path) as s:
        en_turns, ar_turns, beads = [], [], []
        for k in range(turns):
            ar = [sentence(rng, AR_WORDS, 12) for _ in range(2)]
            en = [sentence(rng, EN_WORDS, 6) for _ in range(4)]
            ar_turns.append(Turn(k, "answer", " ".join(ar)))
            en_turns.append(Turn(k, "answer", " ".join(en)))
            beads.append(CorpusBead(en_id="e", ar_id="a", level="turn", ordinal=k, ar=" ".join(ar), en=" ".join(en),
                                    ar_index=(k,), en_index=(k,), role="answer"))
        ordinal = 0
        for k in range(turns):
            for x in range(2):
                beads.append(CorpusBead(en_id="e", ar_id="a", level="sentence", ordinal=ordinal, ar="x", en="y",
                                        ar_index=(x,), en_index=(2 * x, 2 * x + 1), parent=k, role="answer", status="accepted"))
                ordinal += 1
        for i, lang, ts in (("e", "en", en_turns), ("a", "ar", ar_turns)):
            s.add_article(Article(i, lang, None, None, Byline(), Source(f"{i}.txt", i.ljust(64, "0"), "utf-8", "text"), tuple(ts)))
        s.replace_beads("e", beads)
        s.db.execute("INSERT INTO pairs (en_id, ar_id, score, method, evidence, created_at) VALUES ('e', 'a', 1, 'test', '{}', '')")
        s.db.commit()


def test_reviewed_one_to_two_beads_raise_the_one_to_two_prior(tmp_path):
    synthetic_store(tmp_path / "s.db")
    base = load_params()
    with Store(tmp_path / "s.db") as s:
        gold = store_gold(s)
        assert len(gold) == 12 and all(g.gold == [((0,), (0, 1)), ((1,), (2, 3))] for g in gold)
        refit = fit_from_store(s, base).params
    # the reviews are all 1-2: the refit values make 1-2 beads likelier than the base did, and 2-1 no likelier
    assert refit.first["type:1-2"] > base.first["type:1-2"] and refit.second["type:1-2"] > base.second["type:1-2"]
    assert refit.first["type:1-2"] - base.first["type:1-2"] > refit.first["type:2-1"] - base.first["type:2-1"]
    assert refit.turns == base.turns and refit.meta["refit"]["turns"] == 12


def test_turns_not_wholly_reviewed_are_not_gold(tmp_path):
    synthetic_store(tmp_path / "s.db")
    with Store(tmp_path / "s.db") as s:
        s.db.execute("UPDATE beads SET status = 'unreviewed' WHERE level = 'sentence' AND parent = 0 AND ordinal = 0")
        s.db.execute("UPDATE beads SET status = 'rejected' WHERE level = 'sentence' AND parent = 1 AND ordinal = 2")
        s.db.commit()
        assert len(store_gold(s)) == 10


def test_the_command_writes_refitted_values(tmp_path):
    import json

    from tests.helpers import mt

    synthetic_store(tmp_path / "s.db")
    r = mt("align", "fit", "--from-store", tmp_path / "s.db", "-o", tmp_path / "p.json")
    assert r.returncode == 0, r.stderr
    assert "on 12 reviewed turns" in r.stderr
    meta = json.loads((tmp_path / "p.json").read_text())["meta"]["refit"]
    assert meta["turns"] == 12 and meta["base"] == load_params().digest
    r = mt("align", "fit", "--from-store", tmp_path / "none.db", "-o", tmp_path / "q.json")
    assert r.returncode != 0 and "no such store" in r.stderr and not (tmp_path / "none.db").exists()
