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
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

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
    """Sets ``token.is_sent_start`` on every token (see the module docstring for the rules)."""

    def __init__(self, abbreviations: frozenset[str]):
        self.abbreviations = abbreviations

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        paragraph_starts = _paragraph_start_tokens(doc)
        sentence_start = 0
        depth = 0  # of parentheses / brackets
        ended = False  # the previous word ended a sentence
        for token in doc:
            if token.is_space:
                token.is_sent_start = token.i == 0
                continue
            if token.i in paragraph_starts:
                starts, depth = True, 0
            elif ended and _continues_ending(token):
                starts = False  # closing quote or bracket of the sentence just ended
            else:
                starts = ended and _can_open_sentence(token)
                ended = False
            token.is_sent_start = starts or token.i == 0
            if token.is_sent_start:
                sentence_start, ended = token.i, False
            depth = _bracket_depth(token, depth)
            if depth == 0 and not ended:
                ended = self._ends_sentence(token, sentence_start)
        return doc

    def _ends_sentence(self, token: Token, sentence_start: int) -> bool:
        text = token.text
        if text in TERMINALS:
            return text != "." or not self._is_abbreviation_period(token, sentence_start)
        if len(text) > 1 and text.endswith("."):  # the tokenizer kept the period on the word ("Dr.")
            return not (self._is_abbreviation(text) or _DOTTED_ACRONYM.fullmatch(text) or _is_initial(text))
        return False

    def _is_abbreviation_period(self, period: Token, sentence_start: int) -> bool:
        """A period split off the word before it that still belongs to that word ("Jl" "." → "Jl.")."""
        if period.i == 0:
            return False
        word = period.doc[period.i - 1]
        if word.whitespace_:
            return False
        if word.like_num and word.i == sentence_start:
            return True  # an enumeration: "1. ..."
        return self._is_abbreviation(word.text + ".") or _is_initial(word.text + ".")

    def _is_abbreviation(self, text: str) -> bool:
        return text in self.abbreviations or text[:1].lower() + text[1:] in self.abbreviations


def _is_initial(text: str) -> bool:
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def _continues_ending(token: Token) -> bool:
    previous = token.doc[token.i - 1]
    return token.text in CLOSING and not previous.whitespace_


def _can_open_sentence(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or token.text in SENTENCE_OPENERS


def _bracket_depth(token: Token, depth: int) -> int:
    if token.text in OPENING_BRACKETS:
        return depth + 1
    if token.text in CLOSING_BRACKETS:
        return max(depth - 1, 0)
    return depth


def _paragraph_start_tokens(doc: Doc) -> set[int]:
    """Index of the first non-space token of each paragraph."""
    spans = doc._.paragraphs
    if spans:
        char_starts = [start for start, _ in spans]
    else:
        char_starts = [match.end() for match in _PARAGRAPH_BREAK.finditer(doc.text)]
    token_starts = [token.idx for token in doc]
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
