"""Plain words: a painter without legal training can answer every question of every checklist.

The texts are read from the rule files through the engine's loader, so a new or reworded question is
measured as soon as it is written. Only the German texts are measured: German is the site's first language,
and the readability formula and the syllable counts are German ones.

Each kind of text gets the measures that suit it. Amstad's reading ease (Flesch's formula fitted to German)
averages over words and sentences and says little about a text of a few words, where one long compound
decides the score; so it is used for question texts of MIN_WORDS words or more, for the help texts and for
all question texts together. Labels and titles are bounded by their length in words and by their long words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from compliance_wizard.engine import load_checklist
from compliance_wizard.engine.loader import rule_paths

from .readability import reading, sentences, syllables, words

RULES = Path(__file__).resolve().parent.parent / "checklists"
LANG = "de"

# -- the bounds, and why ------------------------------------------------------------------------------

# Amstad's scale: 60-70 "mittelschwer" (what a 13- to 15-year-old reads), 50-60 "etwas schwer", 30-50
# "schwer". All question texts together must read at least like plain newspaper prose ...
QUESTIONS_TOGETHER = 60
# ... and none may be far into "schwer": 45 leaves room for one unavoidable word such as "Gesundheitsdaten"
# in a one-sentence question, which alone costs about ten points. Below MIN_WORDS words a single compound
# swings the score by twenty points or more, so shorter questions are bounded by sentence length and long
# words only.
QUESTION_EACH = 45
MIN_WORDS = 10
# The help texts name the legal terms and provisions on purpose ("Dieser Vertrag heißt ..."), so they may be
# harder than the questions, but not "sehr schwer" (below 30, the range of legal and academic prose).
HELP_EACH = 30
HELP_MIN_WORDS = 20
# Words per sentence. A question is read, kept in mind and answered: 20 words are about two lines on a phone,
# and the reader still has the start in mind at the end. Help texts are read at leisure and explain, 25.
QUESTION_SENTENCE = 20
HELP_SENTENCE = 25
# An answer is read next to four or five others; 20 words is the longest that still reads as one answer
# rather than a paragraph. A step title is a heading in the progress of the check.
LABEL_WORDS = 20
TITLE_WORDS = 6
# Words of six syllables or more ("Auftragsverarbeitung") in questions, answers and titles: only
# the few that the owner meets in their own business anyway and that have no shorter everyday name.
KNOWN_LONG_WORDS = {
    "Datenschutzerklärung",  # every business website has one under this name; the law calls it so too
}

# Abbreviations everyone in the target group knows. DSGVO is the name under which owners have heard of data
# protection since 2018 and the name of this check ("DSGVO-Check"); spelling it out everywhere would only
# lengthen the texts.
KNOWN_ABBREVIATIONS = {"EU", "US", "USA", "DSGVO"}


@dataclass(frozen=True)
class Term:
    """An abbreviation or a legal term, what it stands for and the plain words that explain it."""

    stands_for: str  # a regular expression; "" when the term is a word, not an abbreviation
    plain: str  # a regular expression for the explanation a layperson understands


# Every abbreviation used in a question, an answer or a help text: the words it stands for and a plain
# explanation must be in the question or its help text.
ABBREVIATIONS = {
    "AVV": Term(r"Auftragsverarbeitungsvertrag", r"in Ihrem Auftrag"),
    "DPF": Term(r"Data Privacy Framework", r"EU-Kommission"),
    "SCC": Term(r"Standardvertragsklauseln", r"EU-Kommission"),
    "BSP": Term(r"Business Solution Provider", r"Anbieter|Dienstleister"),
    "TOM": Term(r"technische und organisatorische Maßnahmen", r"Schutz|schützen"),
    "DSFA": Term(r"Datenschutz-Folgenabschätzung", r"Risik|riskant"),
    "EWR": Term(r"Europäische\w* Wirtschaftsraum", r"Norwegen"),
    "UWG": Term(r"Gesetz gegen den unlauteren Wettbewerb", r"Werbung"),
    "StGB": Term(r"Strafgesetzbuch", r"Schweigepflicht"),
    "BDSG": Term(r"Bundesdatenschutzgesetz", r"Datenschutz"),
    "API": Term(r"Schnittstelle", r"Programm"),
}

# Legal terms a question or an answer may use only with their plain explanation in the same sentence; the
# help text names them freely. Keys are regular expressions for the term and its forms.
LEGAL_TERMS = {
    r"Auftragsverarbeit\w*": r"in Ihrem Auftrag",
    r"Drittl[aä]nd\w*|Drittstaat\w*": r"außerhalb der EU|nicht in der EU",
    r"Rechtsgrundlage\w*": r"erlaubt|Erlaubnis",
    r"Einwilligung\w*|eingewilligt|einwilligen": r"Zustimmung|zugestimmt|Ja gesagt",
    r"Verarbeitungstätigkeit\w*": r"Liste",
    r"Folgenabschätzung\w*": r"Risik|riskant",
    r"Datenschutzbeauftragt\w*": r"berät|überwacht",
    r"personenbezogen\w*": r"über (Menschen|Personen)",
    r"Standardvertragsklausel\w*|Angemessenheitsbeschluss\w*": r"EU-Kommission",
    r"Double-Opt-in": r"noch einmal bestätigt",
    r"Ende-zu-Ende\w*": r"Passwort|Schlüssel",
}
PROVISION = re.compile(r"§|\bArt\.\s*\d|\bAbs\.\s*\d|\blit\.\s*[a-z]\b|\bErwägungsgrund")


# -- the checks, each returning what is wrong with a text ----------------------------------------------


def sentence_problems(text: str, limit: int) -> list[str]:
    return [
        f"a sentence of {len(sentence)} words (at most {limit}): {' '.join(sentence[:8])} ..."
        for sentence in sentences(text)
        if len(sentence) > limit
    ]


def ease_problems(text: str, floor: float, min_words: int) -> list[str]:
    found = reading(text)
    if found.words < min_words or found.amstad >= floor:
        return []
    return [f"reading ease {found.amstad:.0f} (at least {floor}) at {found.syllables_per_word:.2f} syllables a word"]


def long_word_problems(text: str) -> list[str]:
    return [
        f"the word {word!r} has {syllables(word)} syllables: use everyday words or move the term to the help text"
        for word in reading(text).long_words
        if word not in KNOWN_LONG_WORDS
    ]


def provision_problems(text: str) -> list[str]:
    found = PROVISION.search(text)
    return [f"cites a provision ({found.group()} ...): provisions belong in the help text"] if found else []


def question_problems(text: str) -> list[str]:
    return (
        sentence_problems(text, QUESTION_SENTENCE)
        + ease_problems(text, QUESTION_EACH, MIN_WORDS)
        + long_word_problems(text)
        + provision_problems(text)
        + legal_term_problems(text)
    )


def label_problems(label: str) -> list[str]:
    count = len(words(label))
    too_long = [f"{count} words (at most {LABEL_WORDS})"] if count > LABEL_WORDS else []
    return too_long + long_word_problems(label) + provision_problems(label) + legal_term_problems(label)


def title_problems(title: str) -> list[str]:
    count = len(words(title))
    too_long = [f"{count} words (at most {TITLE_WORDS})"] if count > TITLE_WORDS else []
    return too_long + long_word_problems(title) + provision_problems(title) + title_abbreviation_problems(title)


def help_problems(text: str) -> list[str]:
    return sentence_problems(text, HELP_SENTENCE) + ease_problems(text, HELP_EACH, HELP_MIN_WORDS)


def abbreviations(text: str) -> set[str]:
    """Words written mostly in capitals ("AVV", "StGB"); brand names like "WhatsApp" have one capital in four."""
    found = set()
    for word in re.findall(r"[^\W\d_]{2,}", text):
        capitals = sum(letter.isupper() for letter in word)
        if capitals >= 2 and 2 * capitals >= len(word):
            found.add(word)
    return found


def title_abbreviation_problems(title: str) -> list[str]:
    """A title has no help text to explain an abbreviation in, so it may use only the ones everybody knows."""
    return [f"the abbreviation {a} in a title" for a in sorted(abbreviations(title) - KNOWN_ABBREVIATIONS)]


def abbreviation_problems(texts: list[str], help_text: str) -> list[str]:
    """Every abbreviation in a question, its answers or its help is explained in the question or the help."""
    explained_in = " ".join([texts[0], help_text])
    problems = []
    for abbreviation in sorted(abbreviations(" ".join([*texts, help_text])) - KNOWN_ABBREVIATIONS):
        term = ABBREVIATIONS.get(abbreviation)
        if term is None:
            problems.append(f"the abbreviation {abbreviation} is not in the list of explained abbreviations")
            continue
        for what, pattern in (("what it stands for", term.stands_for), ("a plain explanation", term.plain)):
            if not re.search(pattern, explained_in):
                problems.append(f"{abbreviation}: {what} ({pattern}) is missing from the question and its help")
    return problems


def legal_term_problems(text: str) -> list[str]:
    problems = []
    for sentence in map(" ".join, sentences(text)):
        for term, plain in LEGAL_TERMS.items():
            found = re.search(term, sentence)
            if found and not re.search(plain, sentence):
                problems.append(f"the legal term {found.group()!r} without its explanation ({plain}) in: {sentence}")
    return problems


# -- the texts of the rule files -----------------------------------------------------------------------

CHECKLISTS = [load_checklist(path) for path in rule_paths(RULES)]
QUESTIONS = [q for c in CHECKLISTS for q in c.questions.values()]
QUESTION_IDS = [f"{c.id}:{q.id}" for c in CHECKLISTS for q in c.questions.values()]
STEPS = [s for c in CHECKLISTS for s in c.steps]
STEP_IDS = [f"{c.id}:{s.id}" for c in CHECKLISTS for s in c.steps]


def test_there_are_rule_files_to_measure():
    assert CHECKLISTS and len(QUESTIONS) > 20


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_each_question_reads_plainly(question):
    assert question_problems(question.text.get(LANG)) == []


def test_the_questions_together_read_like_plain_newspaper_prose():
    for checklist in CHECKLISTS:
        together = " ".join(q.text.get(LANG) for q in checklist.questions.values())
        assert reading(together).amstad >= QUESTIONS_TOGETHER, checklist.id


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_each_answer_is_short_and_in_everyday_words(question):
    problems = {o.id: label_problems(o.label.get(LANG)) for o in question.options}
    assert {option: found for option, found in problems.items() if found} == {}


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_each_help_text_explains_in_short_sentences(question):
    assert help_problems(question.help.get(LANG)) == []


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_every_abbreviation_is_explained_in_the_question_or_its_help(question):
    texts = [question.text.get(LANG), *(o.label.get(LANG) for o in question.options)]
    assert abbreviation_problems(texts, question.help.get(LANG)) == []


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
def test_step_titles_and_introductions_read_plainly(step):
    assert title_problems(step.title.get(LANG)) == []
    if step.intro:
        intro = step.intro.get(LANG)
        assert help_problems(intro) + legal_term_problems(intro) + abbreviation_problems([intro], "") == []


def test_the_checklist_title_reads_plainly():
    for checklist in CHECKLISTS:
        assert title_problems(checklist.title.get(LANG)) == []


# -- the measures and checks themselves ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [("Ja", 1), ("oder", 2), ("Maler", 2), ("Kundinnen", 3), ("Einwilligung", 4), ("Schweigepflicht", 3),
     ("Auftragsverarbeitung", 6), ("Verarbeitungstätigkeiten", 8), ("Datenschutz-Folgenabschätzung", 8),
     ("20", 2)],
)  # fmt: skip
def test_syllables_are_counted_as_a_reader_says_them(word, count):
    assert syllables(word) == count


def test_an_abbreviation_with_full_stops_does_not_end_a_sentence():
    assert [len(s) for s in sentences("Zum Beispiel: z. B. ein Foto, bzw. zwei. Dann noch eins.")] == [7, 3]
    assert [len(s) for s in sentences("Seit dem 10. Juli 2023 gilt es. Art. 45 DSGVO sagt das.")] == [7, 5]


def test_reading_ease_ranks_a_plain_sentence_above_legal_prose():
    plain = reading("Wer schreibt zuerst über WhatsApp? Meist die Kundin oder der Kunde.")
    legal = reading("Verzeichnis von Verarbeitungstätigkeiten gemäß Art. 30 Datenschutz-Grundverordnung")
    assert plain.amstad > 60 > 30 > legal.amstad


# Wordings these checks were written to catch: earlier versions of the WhatsApp questions.
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Haben Sie mit WhatsApp den Vertrag zur Auftragsverarbeitung geschlossen, also die Bedingungen, nach "
            "denen WhatsApp die Daten Ihrer Kundschaft nur in Ihrem Auftrag verarbeitet, und eine Kopie abgelegt?",
            "a sentence of 28 words",
        ),
        (
            "Haben Sie eine Datenschutzbeauftragte oder einen Datenschutzbeauftragten benannt und der "
            "Aufsichtsbehörde gemeldet?",
            "reading ease",
        ),
        ("Haben Sie auch mit dem Dienstleister einen Vertrag zur Auftragsverarbeitung geschlossen?", "legal term"),
        ("Steht WhatsApp in Ihrem Verzeichnis von Verarbeitungstätigkeiten?", "has 8 syllables"),
        ("Gilt für Sie eine gesetzliche Schweigepflicht (§ 203 Strafgesetzbuch)?", "cites a provision"),
        ("Liegen die Server in einem Drittland?", "legal term 'Drittland'"),
    ],
)
def test_the_checks_catch_the_wordings_they_were_written_for(text, problem):
    assert any(problem in found for found in question_problems(text)), question_problems(text)


def test_an_abbreviation_needs_its_long_form_and_a_plain_explanation():
    question = "Haben Sie mit dem BSP einen AVV?"
    assert len(abbreviation_problems([question], "")) == 4
    spelled_out = (
        "Der Dienstleister (Business Solution Provider) verarbeitet die Daten in Ihrem Auftrag; "
        "das regelt ein Auftragsverarbeitungsvertrag."
    )
    assert abbreviation_problems([question], spelled_out) == []
    assert abbreviation_problems(["Gilt die DSGVO in der EU?"], "") == []
    assert abbreviation_problems(["Liegen die Server im EWR oder bei XYZ?"], "") == [
        "EWR: what it stands for (Europäische\\w* Wirtschaftsraum) is missing from the question and its help",
        "EWR: a plain explanation (Norwegen) is missing from the question and its help",
        "the abbreviation XYZ is not in the list of explained abbreviations",
    ]


def test_labels_and_titles_are_bounded_by_words_and_long_words():
    assert label_problems(" ".join(["Wort"] * (LABEL_WORDS + 1))) == [f"{LABEL_WORDS + 1} words (at most 20)"]
    assert title_problems("Verträge und Datenübermittlung") == []
    assert title_problems("Profil und Datenschutzhinweise") != []
    assert title_problems("Verträge mit dem BSP") == ["the abbreviation BSP in a title"]
