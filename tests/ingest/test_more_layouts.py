"""Layouts no fixture or real page of the development set shows, read by the fitted reader all the same: checks
that it generalises from what it was fitted on (written in our own words, never fitted on)."""

from tests.helpers import roles


def test_names_in_capitals_alone_on_their_lines(ingest_text):
    a = ingest_text("The minister and the wells\n\nAn interview recorded in Daraa last week.\n\n"
                    "REPORTER\nMinister, thank you for seeing us.\n\nMINISTER KHALIL\nYou are welcome.\n\n"
                    "REPORTER\nWhy are the wells dry this summer?\n\nMINISTER KHALIL\nThere was no rain in the spring.\n\n"
                    "REPORTER\nWhen will the new pumps arrive?\n\nMINISTER KHALIL\nBefore the end of the year.")
    assert roles(a) == ["intro"] + ["question", "answer"] * 3
    assert [t.speaker for t in a.turns[1:3]] == ["REPORTER", "MINISTER KHALIL"]
    assert a.turns[2].text == "You are welcome."


def test_an_honorific_full_name_then_initials(ingest_text):
    a = ingest_text("Mediation in Doha\n\nThe prime minister spoke to our correspondent about the talks.\n\n"
                    "Correspondent: Thank you for receiving us, Your Excellency.\n\nH.E Hamad Al Thani: You are welcome.\n\n"
                    "Correspondent: How close are the two sides?\n\nHAT: Closer than a month ago, but not close enough.\n\n"
                    "Correspondent: What is still missing?\n\nHAT: Trust, mostly.")
    assert roles(a) == ["intro"] + ["question", "answer"] * 3
    assert {t.speaker for t in a.turns if t.role == "answer"} == {"H.E Hamad Al Thani"}


def test_role_words_as_labels_ar(ingest_text):
    a = ingest_text("التقت صحيفتنا وزير المياه في مكتبه بدمشق.\n\nالصحفي: لماذا جفت الآبار هذا الصيف؟\n\n"
                    "الوزير: لأن المطر لم يأت في الربيع.\n\nالصحفي: ومتى تصل المضخات الجديدة؟\n\nالوزير: قبل نهاية العام.")
    assert roles(a) == ["intro"] + ["question", "answer"] * 2
    assert a.turns[1].speaker == "الصحفي" and a.turns[2].text == "لأن المطر لم يأت في الربيع."


def test_em_dash_answers_one_per_line(ingest_text):
    a = ingest_text("Ten questions for a baker\n\nWhat time do you start work?\n— At three in the morning.\n"
                    "How many loaves do you bake?\n— About four thousand.\nHas the price of flour changed?\n— It doubled this year.")
    assert roles(a) == ["question", "answer"] * 3
    assert a.turns[1].text == "At three in the morning."


def test_numbered_q_and_a_labels_on_single_lines(ingest_text):
    a = ingest_text("Water in the valley\n\nQ1: Why are the wells dry?\nA1: There was no rain.\nQ2: Who will repair them?\n"
                    "A2: The council.\nQ3: When?\nA3: In spring.")
    assert roles(a) == ["question", "answer"] * 3
    assert [t.text for t in a.turns[-2:]] == ["When?", "In spring."]


def test_interviewer_and_respondent(ingest_text):
    a = ingest_text("Life story 17\n\nInterviewer: Where were you born?\n\nRespondent: In Homs, in 1990.\n\n"
                    "Interviewer: And when did you leave?\n\nRespondent: In 2013, with my mother.\n\nWe went first to Lebanon.")
    assert roles(a) == ["question", "answer"] * 2
    assert a.turns[3].text == "In 2013, with my mother.\n\nWe went first to Lebanon."


def test_time_stamps_before_the_labels_of_a_transcript(ingest_text):
    a = ingest_text("The mayor on water\n\n[00:00:12] HOST: Mayor, welcome to the programme.\n[00:00:15] MAYOR: Thank you.\n"
                    "[00:00:17] HOST: Why are the taps dry?\n[00:00:20] MAYOR: The pumps have no fuel.")
    assert [(t.role, t.speaker, t.text) for t in a.turns][-2:] == [("question", "HOST", "Why are the taps dry?"),
                                                                  ("answer", "MAYOR", "The pumps have no fuel.")]


def test_arabic_initials_name_the_full_names_used_before(ingest_text):
    a = ingest_text("حاور الصحفي سامر العبد المهندسة ريم الحسن عن مشروع الطاقة.\n\nسامر العبد: كيف بدأ المشروع؟\n\n"
                    "ريم الحسن: بثلاثة ألواح على سطح المدرسة.\n\nس.ع: وكم لوحاً اليوم؟\n\nر.ح: أربعون.")
    assert [(t.role, t.speaker) for t in a.turns[1:]] == [("question", "سامر العبد"), ("answer", "ريم الحسن")] * 2
    assert a.turns[-1].text == "أربعون."


def test_one_paragraph_with_q_and_a_labels_inline(ingest_text):
    a = ingest_text("The farmers' year\n\nQ: Why did you plant barley? A: It needs less water. Q: And the wheat? "
                    "A: Next year, if it rains. Q: Who buys the barley? A: Traders from Aleppo.")
    assert roles(a) == ["question", "answer"] * 3 and a.turns[-1].text == "Traders from Aleppo."


def test_a_speaker_is_found_in_the_intro_as_a_whole_word(ingest_text):
    # "Doe" inside "does" is not Jane Doe: the intro's "Smith spoke to Jane Doe" says who asks
    a = ingest_text("What does the war mean for the region? Our reporter Smith spoke to Jane Doe about it.\n\n"
                    "SMITH: Why did you leave?\n\nDOE: Because of the shelling.\n\nSMITH: Will you go back?\n\nDOE: One day.")
    assert [(t.role, t.speaker) for t in a.turns] == [("intro", None)] + [("question", "SMITH"), ("answer", "DOE")] * 2
