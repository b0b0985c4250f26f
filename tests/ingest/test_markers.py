"""Every marker style, in both languages: roles, speakers and texts of the turns."""

import pytest

from tests.helpers import roles

INTRO_EN = "The council met on Monday in Daraa to discuss the water supply, officials said.\n\n"
INTRO_AR = "اجتمع المجلس المحلي يوم الاثنين في درعا لمناقشة أزمة المياه، بحسب مسؤولين.\n\n"


def test_q_marker_with_unmarked_multi_paragraph_answers(ingest_text):
    a = ingest_text(INTRO_EN + "Q: Why now?\n\nBecause the wells dried.\n\nAnd the pumps broke.\n\nQ. What next?\n\nWe wait.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].text == "Because the wells dried.\n\nAnd the pumps broke."
    assert a.turns[3].text == "What next?"


@pytest.mark.parametrize("q,ans", [("Question:", "Answer:"), ("Q1.", "A1."), ("Q:", "A:"), ("Question 2 -", "Answer 2 -")])
def test_question_answer_markers_en(ingest_text, q, ans):
    a = ingest_text(INTRO_EN + f"{q} Who pays for the repairs?\n\n{ans} The council pays.\n\nIt always has.\n\n{q} When?\n\n{ans} Soon.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[1].text == "Who pays for the repairs?"
    assert a.turns[2].text == "The council pays.\n\nIt always has."


def test_question_over_two_lines_when_answers_are_marked(ingest_text):
    a = ingest_text(INTRO_EN + "Question: Thank you for your time.\n\nWhy did the pumps fail?\n\nAnswer: Fuel ran out.")
    assert roles(a) == ["intro", "question", "answer"]
    assert a.turns[1].text == "Thank you for your time.\n\nWhy did the pumps fail?"


def test_thanks_then_question_with_unmarked_answers(ingest_text):
    a = ingest_text(INTRO_EN + "Q: Thank you for speaking with us.\n\nWhat happened in Daraa last week?\n\nThe regime shelled the market.\n\nQ: Were people hurt?\n\nYes, many.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[1].text.endswith("What happened in Daraa last week?")


@pytest.mark.parametrize(
    "q,ans",
    [("س:", "ج:"), ("س1.", "ج1."), ("س١:", "ج١:"), ("سؤال:", "جواب:"), ("س..", "ج..")],
)
def test_question_answer_markers_ar(ingest_text, q, ans):
    a = ingest_text(INTRO_AR + f"{q} من يدفع تكاليف الإصلاح؟\n\n{ans} المجلس يدفع.\n\nوهذا منذ سنوات.\n\n{q} متى؟\n\n{ans} قريباً.")
    assert a.lang == "ar"
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[1].text == "من يدفع تكاليف الإصلاح؟"
    assert a.turns[2].text == "المجلس يدفع.\n\nوهذا منذ سنوات."


def test_ordinal_question_labels_alone_on_their_line_ar(ingest_text):
    a = ingest_text(
        INTRO_AR
        + "السؤال الأول:\nكيف ترون الوضع في درعا؟\n\nالرئيس الأسد:\nالوضع صعب.\n\nلكننا صامدون.\n\n"
        + "السؤال الثاني:\nشكراً لكم.\nوماذا عن المياه؟\n\nالرئيس الأسد:\nنعمل على حلها."
    )
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[1].text == "كيف ترون الوضع في درعا؟"
    assert a.turns[2].text == "الوضع صعب.\n\nلكننا صامدون."
    assert a.turns[2].speaker == "الرئيس الأسد"
    assert a.turns[3].text == "شكراً لكم.\n\nوماذا عن المياه؟"


def test_speaker_names_then_initials_en(ingest_text):
    a = ingest_text(
        INTRO_EN
        + "Mohammed al-Haj Ali: What is the council doing about water?\n\n"
        + "Abu Ahmad: We are repairing the wells.\n\nIt takes time.\n\n"
        + "MH: How long?\n\nAA: Two months, God willing."
    )
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert [t.speaker for t in a.turns[1:]] == ["Mohammed al-Haj Ali", "Abu Ahmad"] * 2
    assert a.byline.interviewer == "Mohammed al-Haj Ali"
    assert a.byline.interviewee == "Abu Ahmad"


def test_who_asks_is_decided_by_evidence_not_position(ingest_text):
    # the interviewee speaks first here; the interviewer is still the one whose turns are questions
    a = ingest_text(
        INTRO_EN
        + "Abu Ahmad: Let me start by thanking you.\n\nCD: Why did you leave Homs?\n\n"
        + "Abu Ahmad: The siege.\n\nCD: Will you go back?\n\nAbu Ahmad: When it is safe."
    )
    assert roles(a) == ["intro", "answer", "question", "answer", "question", "answer"]


def test_speaker_labels_alone_on_their_line_ar(ingest_text):
    a = ingest_text(INTRO_AR + "المحاور:\nما الذي يحتاجه المجلس؟\n\nأبو أحمد:\nالوقود والمال.\n\nالمحاور:\nومن يساعدكم؟\n\nأبو أحمد:\nلا أحد.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].text == "الوقود والمال."
    assert a.byline.interviewee == "أبو أحمد"


def test_dialogue_dashes_for_answers_with_unmarked_questions_ar(ingest_text):
    a = ingest_text(
        INTRO_AR + "ما الذي يحتاجه المجلس؟\n\nــ الوقود والمال.\n\nوالكثير من الصبر.\n\nومن يساعدكم؟\n\nــ لا أحد حتى الآن."
    )
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].text == "الوقود والمال.\n\nوالكثير من الصبر."
    assert a.turns[4].text == "لا أحد حتى الآن."


def test_bullet_questions_and_dash_answers(ingest_text):
    a = ingest_text(INTRO_AR + "• ما الذي يحتاجه المجلس؟\n\n- الوقود والمال.\n\n• ومن يساعدكم؟\n\n- لا أحد.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[3].text == "ومن يساعدكم؟"


def test_dash_questions_with_unmarked_answers(ingest_text):
    a = ingest_text(INTRO_EN + "- What does the council need?\n\nFuel and money.\n\nAnd patience.\n\n- Who helps you?\n\nNobody.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].text == "Fuel and money.\n\nAnd patience."


def test_summary_bullets_in_intro_before_labelled_turns(ingest_text):
    a = ingest_text(
        "The council chief spoke to us.\n\n- Wells are dry across the province.\n\n- Fuel prices tripled.\n\n"
        "Q: What is the worst problem?\n\nA: Water.\n\nQ: And then?\n\nA: Bread."
    )
    assert roles(a) == ["intro"] * 3 + ["question", "answer"] * 2
    assert a.turns[1].text == "Wells are dry across the province."


def test_unmarked_questions_between_marked_answers_and_unfinished_last_question(ingest_text):
    a = ingest_text(
        INTRO_AR + "ج: بدأنا العمل منذ شهرين.\n\nكم بئراً أصلحتم؟\n\nج: ثلاثة آبار.\n\nوكانت مكلفة.\n\nومتى تنتهون؟"
    )
    # the excerpt starts with an answer whose question was cut; the last question is never answered
    assert roles(a)[-2:] == ["answer", "question"]
    assert a.turns[-2].text == "ثلاثة آبار.\n\nوكانت مكلفة."


def test_headline_speaker_lookalike_is_the_title(ingest_text):
    a = ingest_text("Abu Ahmad : ‘We will rebuild the wells’\n\n" + INTRO_EN + "Q: When?\n\nSoon.\n\nQ: How?\n\nTogether.")
    assert a.title == "Abu Ahmad : ‘We will rebuild the wells’"
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_lead_in_is_intro_not_a_speaker(ingest_text):
    a = ingest_text(INTRO_AR + "وفيما يلي نص المقابلة:\n\nس: ما الوضع؟\n\nج: صعب.")
    assert roles(a) == ["intro", "intro", "question", "answer"]


def test_article_without_dialogue_is_paragraphs(ingest_text):
    a = ingest_text("Water crisis in Daraa\n\nThe council met on Monday.\n\nOfficials said the wells are dry.\n\nRepairs will take months.")
    assert a.title == "Water crisis in Daraa"
    assert roles(a) == ["paragraph"] * 3
    assert not a.has_dialogue


def test_unmarked_interview_with_question_paragraphs(ingest_text):
    a = ingest_text(
        INTRO_EN + "Why did the wells dry up?\n\nThere was no rain.\n\nWho will fix them?\n\nThe council.\n\nWhen will they be fixed?\n\nIn spring."
    )
    assert roles(a) == ["intro"] + ["question", "answer"] * 3


def test_bold_questions_in_markdown(ingest_text):
    a = ingest_text(
        "# Water crisis\n\n" + INTRO_EN + "**Why did the wells dry up?**\n\nThere was no rain.\n\n**Who will fix them?**\n\nThe council.",
        name="a.md",
    )
    assert a.title == "Water crisis"
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_bold_speaker_labels_in_markdown_ar(ingest_text):
    a = ingest_text(
        "# أزمة المياه\n\n" + INTRO_AR + "**المحاور:** ما المشكلة؟\n\n**أبو أحمد:** المياه.\n\n**المحاور:** والحل؟\n\n**أبو أحمد:** الصبر.",
        name="a.md",
    )
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[4].text == "الصبر."


@pytest.mark.parametrize("para", ["First: water, then bread.", "Correction: it was 2014."])
def test_colon_inside_an_answer_is_not_a_speaker(ingest_text, para):
    a = ingest_text(INTRO_EN + f"Q: Why now?\n\nBecause the wells dried.\n\n{para}\n\nQ: What next?\n\nNext week.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].text == "Because the wells dried.\n\n" + para
    assert a.turns[3].text == "What next?" and a.byline.interviewee is None


@pytest.mark.parametrize("para", ["أولاً: المياه ثم الخبز.", "وأضاف: لا نملك شيئاً."])
def test_colon_inside_an_answer_is_not_a_speaker_ar(ingest_text, para):
    a = ingest_text(INTRO_AR + f"س: لماذا الآن؟\n\nلأن الآبار جفت.\n\n{para}\n\nس: وماذا بعد؟\n\nالأسبوع القادم.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].text == "لأن الآبار جفت.\n\n" + para


def test_reported_speech_labels_do_not_make_an_interview(ingest_text):
    a = ingest_text("خبر عن المجلس\n\nاجتمع المجلس المحلي في درعا.\n\nوأضاف: إن المياه مقطوعة.\n\nوقال رئيس المجلس إن الحل قريب.\n\nوأضاف: سنصلح الآبار.")
    assert roles(a) == ["paragraph"] * 4


def test_a_levels_is_not_an_answer_marker(ingest_text):
    a = ingest_text(INTRO_EN + "Q: What about schools?\n\nA-levels were cancelled this year.\n\nQ: And then?\n\nWe wait.")
    assert a.turns[2].text == "A-levels were cancelled this year."


def test_speaker_labels_with_abbreviations(ingest_text):
    a = ingest_text(INTRO_EN + "Mohammed: How many doctors are left?\n\nDr. Sahloul: Eight.\n\nMohammed: Only eight?\n\nDr. Sahloul: Yes, eight.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
    assert a.turns[2].speaker == "Dr. Sahloul" and a.turns[2].text == "Eight."
    b = ingest_text(INTRO_AR + "المحاور: كم طبيباً بقي؟\n\nد. سحلول: ثمانية.\n\nالمحاور: فقط؟\n\nد. سحلول: نعم.")
    assert b.turns[2].speaker == "د. سحلول" and b.turns[2].text == "ثمانية."


def test_same_dash_for_questions_and_answers(ingest_text):
    a = ingest_text(INTRO_AR + "ــ كيف ترون الوضع؟\n\nــ الوضع صعب.\n\nــ وماذا عن الهدنة؟\n\nــ الهدنة مؤقتة.")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_bold_question_among_q_markers(ingest_text):
    a = ingest_text("# Title\n\n" + INTRO_EN + "Q: Why?\n\nNo rain.\n\n**Will the truce hold?**\n\nNobody knows.", name="a.md")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_questions_as_headings(ingest_text):
    a = ingest_text("# Title\n\n" + INTRO_EN + "### Why is there no water?\n\nNo rain.\n\n### Who will help?\n\nNobody.", name="a.md")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]
