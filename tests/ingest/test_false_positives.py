"""Real article text that looks a little like noise must stay in the turns (found in review)."""

import pytest

from tests.helpers import roles

INTRO = "The council met on Monday in Daraa to discuss the water supply, officials said.\n\n"
INTRO_AR = "اجتمع المجلس المحلي يوم الاثنين في درعا لمناقشة أزمة المياه، بحسب مسؤولين.\n\n"


def qa(answers: list[str], intro: str = INTRO, q: str = "Q:") -> str:
    return "A title\n\n" + intro + "\n\n".join(f"{q} Question number {i}?\n\n{a}" for i, a in enumerate(answers))


def body(article) -> str:
    return "\n".join(t.text for t in article.turns)


@pytest.mark.parametrize("answer", [
    "Many young men sign up for the army because they need salaries.",
    "We waited for more news from Aleppo but nothing came.",
    "The council newsletter stopped in 2014.",
    "Copyright is not a concern for us.",
    "Most follow us on Facebook now.",
    "By then, most teachers had already left.",
    "By 2014 the clinic had closed too.",
    "Reporting by local activists helped us a lot.",
    "A video from Madaya showed starving children, and it spread everywhere.",
    "Extra-large tents were sent, but no food arrived.",
    "On 15 March 2011.",
    "Five minutes.",
    "We need bread, not promises [...]",
])
def test_answers_that_look_like_noise_are_kept(ingest_text, answer):
    a = ingest_text(qa([answer, "Water.", "Bread."]))
    assert roles(a) == ["intro"] + ["question", "answer"] * 3
    assert a.turns[2].text == answer
    assert a.date is None


@pytest.mark.parametrize("answer", [
    "مشاركة النساء في المجلس ضرورية.",
    "يشارك الشباب في العمل التطوعي.",
    "لا، تابعنا العمل رغم القصف.",
    "اشترك عدد من المنظمات في حملة الإغاثة.",
    "حوار الأهالي مع المجلس لم يتوقف.",
    "كتب الله لنا النجاة.",
    "إعداد الطعام صار صعباً.",
])
def test_arabic_answers_that_look_like_noise_are_kept(ingest_text, answer):
    a = ingest_text(qa([answer, "المياه.", "الخبز."], intro=INTRO_AR, q="س:").replace("Question number", "سؤال رقم").replace("?", "؟"))
    assert a.turns[2].text == answer


def test_footer_in_the_tail_does_not_swallow_the_interview(ingest_text):
    a = ingest_text(qa(["We need help.", "Most follow us on Facebook now.", "Yes.", "No."]))
    assert roles(a) == ["intro"] + ["question", "answer"] * 4


def test_arabic_headline_with_hiwar_is_the_title(ingest_text):
    a = ingest_text("حوار مع رئيس البلدية\n\nحاوره: محمد الحاج علي\n\n" + INTRO_AR + "س: ما الوضع؟\n\nج: صعب.")
    assert a.title == "حوار مع رئيس البلدية"
    assert a.byline.interviewer == "محمد الحاج علي"


def test_intro_quoted_by_an_answer_is_not_a_pull_quote(ingest_text):
    text = (
        "عنوان\n\nقال رئيس المجلس إن المياه مقطوعة منذ كانون الثاني والأهالي يشترون من الصهاريج، في حديث مع سوريا على طول.\n\n"
        "س: ما الوضع؟\n\nج: المياه مقطوعة منذ كانون الثاني والأهالي يشترون من الصهاريج"
    )
    a = ingest_text(text)
    assert roles(a) == ["intro", "question", "answer"]


def test_single_intro_sentence_ending_in_a_quote_is_not_the_title(ingest_text):
    a = ingest_text("The mayor, Abu Khalid, told Syria Direct’s Justin Schuster, “We will not leave.”\n\nQ: Why?\n\nBecause.")
    assert a.title is None
    assert roles(a) == ["intro", "question", "answer"]


def test_caption_rules_still_catch_captions(ingest_text):
    a = ingest_text(qa(["Water.", "Bread."]).replace("Q: Question number 1?", "Fighters in Daraa (Photo: Syria Direct)\n\nQ: Question number 1?"))
    assert [d.text for d in a.dropped if d.reason == "photo caption"] == ["Fighters in Daraa (Photo: Syria Direct)"]
