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
from spacy.strings import StringStore
from spacy.tokens import Doc

from pipelines.nlp import extensions  # registers doc._.paragraphs
from pipelines.nlp.tokenizer import LexemeFlag

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
        PUNCTUATION.ensure(doc.vocab)
        # One read for all attributes: each ``to_array`` call has a fixed cost that shows on one-sentence docs.
        attrs = doc.to_array([ORTH, SPACY, IS_SPACE, LIKE_NUM, IDX, PUNCTUATION.flag_id])
        words = TokenView(doc.vocab.strings, *(attrs[:, column].tolist() for column in range(4)))
        paragraph_starts = _paragraph_start_tokens(doc, attrs[:, 4].tolist(), words.is_space)
        punctuation = numpy.flatnonzero(attrs[:, 5]).tolist()
        starts = self.sentence_starts(words, paragraph_starts, punctuation)
        doc.from_array([SENT_START], numpy.array(starts, dtype="int64").view("uint64"))
        return doc

    def sentence_starts(self, words: TokenView, paragraph_starts: set[int], punctuation: list[int]) -> list[int]:
        """1 where a sentence starts, -1 elsewhere.

        Only some tokens can change the splitter's state: the first one, paragraph starts, brackets and
        sentence-final punctuation (``punctuation``), and the words right after a sentence ended. Any other
        word inside a sentence leaves it as it is, so the loop steps from one such token to the next.
        """
        n = len(words.orths)
        starts = [-1] * n
        sentence_start = 0
        depth = 0  # of parentheses / brackets
        ended = False  # the previous word ended a sentence
        pending = sorted({0, *paragraph_starts, *punctuation}, reverse=True)  # popped from the end: in order
        i = pending.pop()
        while i < n:
            if words.is_space[i]:
                starts[i] = 1 if i == 0 else -1
            else:
                text = words.text(i)
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
            i = self._next_token(i, ended, pending, n)
        return starts

    @staticmethod
    def _next_token(i: int, ended: bool, pending: list[int], n: int) -> int:
        """The next token that may change the state: the next pending one, or the very next after an end."""
        while pending and pending[-1] <= i:
            pending.pop()
        following = pending[-1] if pending else n
        return min(i + 1, following) if ended else following

    def _ends_sentence(self, words: TokenView, i: int, sentence_start: int) -> bool:
        text = words.text(i)
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
        text = words.text(word) + "."
        return self._is_abbreviation(text) or _is_initial(text)

    def _is_abbreviation(self, text: str) -> bool:
        return text in self.abbreviations or text[:1].lower() + text[1:] in self.abbreviations


@dataclass(frozen=True)
class TokenView:
    """The token attributes the splitter reads, as plain lists; a token's text is looked up when asked for."""

    strings: StringStore
    orths: list[int]
    spaces: list[int]  # 1 when whitespace follows the token
    is_space: list[int]
    like_num: list[int]

    def text(self, i: int) -> str:
        return self.strings[self.orths[i]]


def _is_punctuation(text: str) -> bool:
    """Ends a sentence or opens or closes a bracket (a superset: abbreviations end in a period too)."""
    return text in TERMINALS or text in OPENING_BRACKETS or text in CLOSING_BRACKETS or text.endswith(".")


PUNCTUATION = LexemeFlag(62, _is_punctuation)


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


def _paragraph_start_tokens(doc: Doc, token_starts: list[int], is_space: list[int]) -> set[int]:
    """Index of the first non-space token of each paragraph (``token_starts``: each token's character offset)."""
    spans = doc._.paragraphs
    if spans:
        char_starts = [start for start, _ in spans]
    else:
        char_starts = [match.end() for match in _PARAGRAPH_BREAK.finditer(doc.text)]
    found = set()
    for char_start in char_starts:
        index = bisect.bisect_left(token_starts, char_start)
        while index < len(is_space) and is_space[index]:
            index += 1
        if index < len(is_space):
            found.add(index)
    return found


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token of each sentence, from the SENT_START column (``Doc.sents`` builds a Span a sentence);
    the whole doc is one sentence when no splitter ran."""
    if not len(doc):
        return []
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc))]
    if "sents" in doc.user_hooks:
        return [(sent.start, sent.end) for sent in doc.sents]
    later = doc.to_array(SENT_START)[1:]  # the first token always starts a sentence
    starts = [0, *(numpy.flatnonzero(later == 1) + 1).tolist()]
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


@Language.factory("ikrar_sentences", assigns=["token.is_sent_start"])
def make_ikrar_sentences(nlp: Language, name: str) -> ParagraphSentencizer:
    PUNCTUATION.ensure(nlp.vocab)
    return ParagraphSentencizer(load_abbreviations())
