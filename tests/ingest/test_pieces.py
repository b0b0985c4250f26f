"""Where a turn may begin: pieces cut at markers, question marks, wrapped lines and (run-on pages) sentences;
lines against paragraphs decided for the whole page."""

from mt.ingest.blocks import Block
from mt.ingest.pieces import pieces, run_on
from mt.ingest.readers import hard_wrapped, read_text


def texts(blocks, lang="en"):
    return [(p.brk, p.m.kind, p.text) for p in pieces(blocks, lang)]


def test_inline_markers_and_question_marks_begin_pieces():
    got = texts([Block("ومرحبا بك في العرين.. س- احك لنا عن طفولتك؟.. أكيد أن فيها محطات؟ ج- شكرا جزيلا على الاستضافة.")], "ar")
    assert [(b, k) for b, k, _ in got] == [("para", "none"), ("marker", "q"), ("qsplit", "none"), ("marker", "a")]
    assert got[1][2].startswith("س- احك") and got[3][2].startswith("ج- شكرا")


def test_a_question_and_its_answer_on_one_line():
    got = texts([Block("What motto do you live by? Smile at the world and it smiles back.")])
    assert [t for _, _, t in got] == ["What motto do you live by?", "Smile at the world and it smiles back."]


def test_a_label_glued_after_an_answer_begins_a_piece():
    got = texts([Block("Q: Welcome to the programme."), Block("A: Thank you.Q: Your Eminence, how do you see it?"),
                 Block("A: Briefly, it is changing.")])
    assert [(b, k) for b, k, _ in got] == [("para", "q"), ("para", "a"), ("marker", "q"), ("para", "a")]


def test_sentences_are_cut_only_on_a_run_on_page():
    sentence = "The council met again on Monday to talk about the wells and the pumps. "
    long_block = Block(sentence * 12 + "Why did it take so long? Because nobody paid.")
    assert run_on([long_block])
    assert {b for b, _, _ in texts([long_block])} == {"para", "sentence", "qsplit"}
    ordinary = [Block(sentence * 12), Block("Q: Why did it take so long, and who is to blame for it?"),
                Block("Because nobody paid for the work, and the council had other plans."), Block("Q: What now?")]
    assert not run_on(ordinary)
    assert "sentence" not in {b for b, _, _ in texts(ordinary)}


def test_a_clause_separator_is_not_a_sentence_end():
    block = Block("هذا كلام طويل جدا عن المسرح والرواية والشعر.. " * 30)
    assert run_on([block])
    assert len(pieces([block], "ar")) == 1


def test_lines_of_a_hard_wrapped_page_are_one_paragraph_with_their_breaks_kept():
    wrapped = [["You have told many interviewers that you feel obliged to engage with the",
                "reality of the conflict. Why is that? Do you keep that narrative in view",
                "whenever you approach your art, or does it come about on its own?"]]
    assert hard_wrapped(wrapped)
    (block,) = read_text("\n".join(wrapped[0]))[0].blocks
    assert block.text.count("\n") == 2
    cut = [p.brk for p in pieces([block], "en")]
    assert cut[0] == "para" and cut.count("wrap") == 2


def test_one_turn_per_line_is_not_wrapping_whatever_one_paragraph_looks_like():
    page = ("CHRISTIANE AMANPOUR, HOST: Prime Minister, it is good to have you on the program again.\n"
            "AL THANI, PRIME MINISTER: Many thanks for inviting me.\n"
            "AMANPOUR: Walk us through this remarkable deal that you played such a key part in closing. When did you know?\n"
            "AL THANI: Well, to begin with I want to congratulate the families.")
    blocks = read_text(page)[0].blocks
    assert len(blocks) == 4 and all("\n" not in b.text for b in blocks)
    assert [p.m.kind for p in pieces(blocks, "en")] == ["label"] * 4
