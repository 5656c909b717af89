"""Sentence boundaries for wire copy: paragraphs first, then sentence-final punctuation.

A rule-based splitter is enough for edited news prose and needs no trained model. A sentence starts:

* at each paragraph (``doc._.paragraphs`` when set, else after a blank line);
* after ". ! ?" (and any closing quotes or brackets attached to them), when the next word can open a sentence
  (capital letter, digit, opening quote or bracket).

A period does not end a sentence after an abbreviation listed in ``data/sent_abbreviations.txt`` ("Dr.",
"dll.", "U.S."), after an initial ("J."), after an enumeration number that opens a sentence ("1."), nor
anywhere inside parentheses or brackets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy
from spacy.attrs import IDX, IS_SPACE, LIKE_NUM, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp import extensions  # registers doc._.paragraphs

DATA_FILE = Path(__file__).parent / "data" / "sent_abbreviations.txt"

TERMINALS = frozenset({".", "!", "?", "…", "...", "?!", "!?", "!!", "??"})
CLOSING = frozenset({'"', "'", "”", "’", "»", ")", "]"})
OPENING_BRACKETS = frozenset({"(", "["})
CLOSING_BRACKETS = frozenset({")", "]"})
SENTENCE_OPENERS = frozenset({'"', "'", "“", "‘", "«", "(", "[", "-", "–", "—", "•"})
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]\.){2,}")

extensions.register()


@cache
def load_abbreviations(path: Path = DATA_FILE) -> frozenset[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


class ParagraphSentencizer:
    """Sets ``token.is_sent_start`` on every token (see the module docstring for the rules).

    It reads token attributes as arrays and writes the boundaries with one ``Doc.from_array``: building a
    ``Token`` object per word and setting its boundary one by one made this the slowest step of the pipeline.
    """

    def __init__(self, abbreviations: frozenset[str]):
        self.abbreviations = abbreviations

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        attrs = doc.to_array([ORTH, SPACY, IS_SPACE, LIKE_NUM])
        words = TokenView([strings[orth] for orth in attrs[:, 0].tolist()], attrs[:, 1].tolist(),
                          attrs[:, 2].tolist(), attrs[:, 3].tolist())
        starts = self.sentence_starts(words, _paragraph_start_tokens(doc))
        doc.from_array([SENT_START], numpy.asarray(starts, dtype="int64").astype("uint64").reshape(-1, 1))
        return doc

    def sentence_starts(self, words: TokenView, paragraph_starts: set[int]) -> list[int]:
        """1 where a sentence starts, -1 elsewhere."""
        starts = [-1] * len(words.texts)
        sentence_start = 0
        depth = 0  # of parentheses / brackets
        ended = False  # the previous word ended a sentence
        for i, text in enumerate(words.texts):
            if words.is_space[i]:
                starts[i] = 1 if i == 0 else -1
                continue
            if i in paragraph_starts:
                begins, depth = True, 0
            elif ended and text in CLOSING and not words.spaces[i - 1]:
                begins = False  # closing quote or bracket of the sentence just ended
            else:
                begins = ended and _can_open_sentence(text)
                ended = False
            if begins or i == 0:
                starts[i] = 1
                sentence_start, ended = i, False
            depth = _bracket_depth(text, depth)
            if depth == 0 and not ended:
                ended = self._ends_sentence(words, i, sentence_start)
        return starts

    def _ends_sentence(self, words: TokenView, i: int, sentence_start: int) -> bool:
        text = words.texts[i]
        if text in TERMINALS:
            return text != "." or not self._is_abbreviation_period(words, i, sentence_start)
        if len(text) > 1 and text.endswith("."):  # the tokenizer kept the period on the word ("Dr.")
            return not (self._is_abbreviation(text) or _DOTTED_ACRONYM.fullmatch(text) or _is_initial(text))
        return False

    def _is_abbreviation_period(self, words: TokenView, period: int, sentence_start: int) -> bool:
        """A period split off the word before it that still belongs to that word ("Jl" "." → "Jl.")."""
        if period == 0:
            return False
        word = period - 1
        if words.spaces[word]:
            return False
        if words.like_num[word] and word == sentence_start:
            return True  # an enumeration: "1. ..."
        text = words.texts[word] + "."
        return self._is_abbreviation(text) or _is_initial(text)

    def _is_abbreviation(self, text: str) -> bool:
        return text in self.abbreviations or text[:1].lower() + text[1:] in self.abbreviations


@dataclass(frozen=True)
class TokenView:
    """The token attributes the splitter reads, as plain lists."""

    texts: list[str]
    spaces: list[int]  # 1 when whitespace follows the token
    is_space: list[int]
    like_num: list[int]


def _is_initial(text: str) -> bool:
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def _can_open_sentence(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or text in SENTENCE_OPENERS


def _bracket_depth(text: str, depth: int) -> int:
    if text in OPENING_BRACKETS:
        return depth + 1
    if text in CLOSING_BRACKETS:
        return max(depth - 1, 0)
    return depth


def _paragraph_start_tokens(doc: Doc) -> set[int]:
    """Index of the first non-space token of each paragraph."""
    spans = doc._.paragraphs
    if spans:
        char_starts = [start for start, _ in spans]
    else:
        char_starts = [match.end() for match in _PARAGRAPH_BREAK.finditer(doc.text)]
    token_starts = doc.to_array(IDX).tolist()
    found = set()
    for char_start in char_starts:
        index = bisect.bisect_left(token_starts, char_start)
        while index < len(doc) and doc[index].is_space:
            index += 1
        if index < len(doc):
            found.add(index)
    return found


@Language.factory("ikrar_sentences", assigns=["token.is_sent_start"])
def make_ikrar_sentences(nlp: Language, name: str) -> ParagraphSentencizer:
    return ParagraphSentencizer(load_abbreviations())
