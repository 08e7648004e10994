"""Measures of how easy a German text is to read, for the test that keeps the questionnaire in plain words.

Syllables come from the German hyphenation patterns of Pyphen (installed with WeasyPrint), so nothing new is
needed. Hyphenation is not syllabification: the patterns also split off a lone final consonant ("Ma-le-r"),
so only the pieces that hold a vowel are counted. That is close enough for a readability score, which is an
average over many words anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyphen

# left=1, right=1: split as finely as the patterns allow ("o-der"); the defaults of 2 keep short syllables
# at either end of a word together and would undercount.
_HYPHENATOR = pyphen.Pyphen(lang="de_DE", left=1, right=1)
_VOWEL = re.compile(r"[aeiouyäöü]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")
# Abbreviations whose full stops do not end a sentence. "z. B." is one word when read, so it counts as one.
_ABBREVIATIONS = {
    "z. B.": "zB",
    "d. h.": "dh",
    "u. a.": "ua",
    "bzw.": "bzw",
    "ggf.": "ggf",
    "usw.": "usw",
    "Art.": "Art",
    "Abs.": "Abs",
    "Nr.": "Nr",
    "S.": "S",
}
# A full stop after a figure is an ordinal ("am 10. Juli"), not the end of a sentence.
_SENTENCE_END = re.compile(r"(?<!\d)[.!?]+(?=\s|$)|(?<=\d)[!?]+(?=\s|$)")


@cache
def syllables(word: str) -> int:
    """Syllables of one word; a figure counts one per digit, roughly as it is spoken ("20": zwan-zig)."""
    if word.isdigit():
        return len(word)
    count = 0
    for part in word.split("-"):
        if part:
            pieces = _HYPHENATOR.inserted(part).split("-")
            count += max(1, sum(1 for piece in pieces if _VOWEL.search(piece)))
    return count


def _normalised(text: str) -> str:
    for abbreviation, word in _ABBREVIATIONS.items():
        text = text.replace(abbreviation, word)
    return " ".join(text.split())


def sentences(text: str) -> list[list[str]]:
    """The words of each sentence; a text without a full stop (a label, a title) is one sentence."""
    parts = _SENTENCE_END.split(_normalised(text))
    return [found for part in parts if (found := _WORD.findall(part))]


def words(text: str) -> list[str]:
    return [word for sentence in sentences(text) for word in sentence]


@dataclass(frozen=True)
class Reading:
    """The figures the readability test bounds, for one text."""

    words: int
    longest_sentence: int  # in words
    syllables_per_word: float
    amstad: float
    long_words: tuple[str, ...]  # words of LONG_WORD syllables or more


LONG_WORD = 6  # "Auftragsverarbeitung", "Datenschutzbeauftragte": six syllables and more


def reading(text: str) -> Reading:
    found = sentences(text)
    all_words = [word for sentence in found for word in sentence]
    if not all_words:
        return Reading(0, 0, 0.0, 100.0, ())
    per_word = sum(map(syllables, all_words)) / len(all_words)
    per_sentence = len(all_words) / len(found)
    return Reading(
        words=len(all_words),
        longest_sentence=max(map(len, found)),
        syllables_per_word=per_word,
        amstad=amstad(per_sentence, per_word),
        long_words=tuple(word for word in all_words if syllables(word) >= LONG_WORD),
    )


def amstad(words_per_sentence: float, syllables_per_word: float) -> float:
    """Flesch's reading ease as Toni Amstad (1978) adapted it to German: 0 (very hard) to 100 (very easy).

    Amstad's scale: 60-70 is "mittelschwer" (what a 13- to 15-year-old reads), 50-60 "etwas schwer",
    30-50 "schwer", below 30 "sehr schwer" (academic prose).
    """
    return 180 - words_per_sentence - 58.5 * syllables_per_word
