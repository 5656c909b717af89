"""Tokenizer adjustments shared by the Indonesian and English pipelines.

spaCy's stock Indonesian tokenizer lists about 15,000 hyphenated words (mostly reduplications such as
"negara-negara", in several capitalisations) as special cases. Matching that many special cases makes
tokenization several times slower, and the list still misses most reduplications of proper words. One
``token_match`` regular expression says the same thing as a rule of the language:

* a reduplication (the same base twice, optionally wrapped in affixes: "sebaik-baiknya", "Negara-negara")
  is one token, whatever its capitalisation;
* any other hyphenated word made only of lowercase parts ("tolong-menolong", "long-term") is one word;
* a hyphenated word with a capitalised part after the hyphen ("China-Tajikistan", "Indo-Pasifik", "US-led")
  is a combination of names and is split at the hyphen, so entity matching sees each name; so is a hyphen
  after an abbreviation ("U.S.-China").

The emoticon special cases go too: wire copy has none, and they glue a number to a bracket ("(8)" became
"(" "8)"). So do special cases that only restate what the affix rules already produce ("'" as one token):
special cases made of punctuation are matched over every doc, which costs time for nothing.

The tokenizer caches how it split each whitespace-separated chunk, but stops adding entries once the cache
holds ``max_cache_size`` of them (10,000 by default) and never evicts any. The entity, speaker and commitment
components tokenize their lexicons when they are built, which filled all 10,000 entries before the first
article, so no word of any article was ever cached and every repeated word was split again. The cache is
made large enough for the lexicons and a news vocabulary: an entry is a few pointers, the lexemes it points to
live in the vocab anyway.

The stock prefix expression is "^a|^b|…" over ~170 branches, and one Indonesian branch (an HTML tag) has a
``|`` of its own that leaves its second half unanchored. ``re.search`` therefore tries every branch at every
position of every new word. The same branches, in the same order, grouped as "^(?:a|b|…)" match exactly the
same strings about ten times faster.

The affix lists live in ``data/tok_hyphenation.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER
from spacy.lang.tokenizer_exceptions import emoticons
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry
from spacy.vocab import Vocab

DATA_FILE = Path(__file__).parent / "data" / "tok_hyphenation.json"

# A hyphen between two letters: the special cases that the token_match makes redundant contain one.
_HYPHENATED_WORD = re.compile(f"[{ALPHA}]-[{ALPHA}]")

# "U.S.-China": the stock infixes only split a hyphen that follows a letter, so an abbreviation ending in a
# period would swallow the name after it.
ABBREVIATION_HYPHEN_INFIX = rf"(?<=[{ALPHA}]\.)-(?=[{ALPHA_UPPER}])"

# Entries of the tokenizer's chunk cache (see the module docstring): the lexicons take about 10,000.
TOKENIZER_CACHE_SIZE = 200_000


def _alternatives(words: list[str]) -> str:
    # Longest first so that "kannya" is tried before "kan".
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@cache
def hyphenated_word_pattern() -> re.Pattern[str]:
    """The ``token_match`` pattern: whole strings that stay one token despite their hyphens."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    prefixes = _alternatives(data["reduplication_prefixes"])
    suffixes = _alternatives(data["reduplication_suffixes"])
    clitics = _alternatives(data["clitics"])
    reduplication = f"(?i:(?:{prefixes})?(?P<base>[{ALPHA}]{{2,}})-(?P=base)(?:{suffixes})?)"
    # "buku-nya": the stock suffix rules split an enclitic pronoun off, so leave those alone.
    lowercase_compound = f"(?!.*-(?:{clitics})$)[{ALPHA_LOWER}]+(?:-[{ALPHA_LOWER}]+)+"
    return re.compile(f"^(?:{reduplication}|{lowercase_compound})$")


def split_alternatives(pattern: str) -> list[str]:
    """The top-level branches of a regular expression: its ``|`` outside groups and character classes."""
    branches: list[str] = []
    depth, in_class, start, i = 0, False, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)  # "[^]…]": a "]" right after the opening is a member
            i += pattern.startswith("]", i + 1)
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    return branches


def group_anchored_branches(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` with each run of consecutive "^…" branches written as one "^(?:…|…)" branch.

    Leftmost-first alternation makes this match exactly what ``regex`` matches; the engine tests the anchor
    once per position instead of once per branch.
    """
    runs: list[list[str] | str] = []
    for branch in split_alternatives(regex.pattern):
        if not branch.startswith("^"):
            runs.append(branch)
        elif runs and isinstance(runs[-1], list):
            runs[-1].append(branch[1:])
        else:
            runs.append([branch[1:]])
    pattern = "|".join(f"^(?:{'|'.join(run)})" if isinstance(run, list) else run for run in runs)
    return re.compile(pattern, regex.flags)


def _is_unwanted_special_case(orth: str) -> bool:
    return orth in emoticons or _HYPHENATED_WORD.search(orth) is not None


def _restates_the_rules(tokenizer: Tokenizer, orth: str, tokens: list[dict]) -> bool:
    """A special case that yields what the affix rules yield anyway (needs ``tokenizer`` without rules)."""
    return tokens == [{ORTH: orth}] and [token.text for token in tokenizer(orth)] == [orth]


def customize_tokenizer(nlp: Language) -> None:
    """Install the hyphenation rule on ``nlp.tokenizer`` and drop special cases news text does not need.

    Works for ``spacy.blank("id")`` and ``spacy.blank("en")``. Removed: special cases with a hyphen between
    two letters (the token_match covers them), emoticons, and special cases that change nothing. Kept:
    abbreviations ("Dr.", "dll."), contractions and anything that sets a norm.
    """
    tokenizer = nlp.tokenizer
    stock_rules = tokenizer.rules or {}
    # Empty the table before the setters below: each of them rebuilds it, which takes seconds at stock size.
    tokenizer.rules = {}
    if tokenizer.prefix_search is not None:
        tokenizer.prefix_search = group_anchored_branches(tokenizer.prefix_search.__self__).search
    _adjust(tokenizer, nlp.Defaults, stock_rules)


@registry.tokenizers("ikrar.news_tokenizer.v1")
def create_news_tokenizer() -> Callable[[Language], Tokenizer]:
    """The language's stock tokenizer with ``customize_tokenizer``'s changes made as it is built.

    Why not ``spacy.blank(lang)`` and then ``customize_tokenizer``: the stock tokenizer compiles every special
    case it is given, ~16,000 for Indonesian (two seconds, most of the time a worker needs to build its
    pipelines), and ``customize_tokenizer`` then keeps ~200 of them. Same rules, same tokens.
    """

    def create(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        prefix_search = group_anchored_branches(compile_prefix_regex(defaults.prefixes)).search \
            if defaults.prefixes else None
        suffix_search = compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None
        tokenizer = Tokenizer(nlp.vocab, rules={}, prefix_search=prefix_search, suffix_search=suffix_search,
                              url_match=defaults.url_match)
        _adjust(tokenizer, defaults, defaults.tokenizer_exceptions or {})
        return tokenizer

    return create


def _adjust(tokenizer: Tokenizer, defaults, stock_rules: dict) -> None:
    """The hyphenation rule, the infixes, the cache size and the special cases worth keeping (on a tokenizer
    whose rule table is empty: ``_restates_the_rules`` tokenizes each special case without any)."""
    tokenizer.max_cache_size = max(tokenizer.max_cache_size, TOKENIZER_CACHE_SIZE)
    rules = {orth: tokens for orth, tokens in stock_rules.items() if not _is_unwanted_special_case(orth)}
    tokenizer.token_match = hyphenated_word_pattern().match
    tokenizer.infix_finditer = compile_infix_regex([*(defaults.infixes or ()), ABBREVIATION_HYPHEN_INFIX]).finditer
    tokenizer.rules = {
        orth: tokens for orth, tokens in rules.items() if not _restates_the_rules(tokenizer, orth, tokens)
    }


class LexemeFlag:
    """A yes/no property of a word, computed once per word of the vocab and read for a whole doc as an array.

    spaCy keeps 64 boolean flags on each lexeme and computes them when the word first enters the vocab; a
    component that would test every token of every doc (in Python, through ``Token`` objects or string
    lookups) reads ``doc.to_array(flag_id)`` instead. Bits 19 to 63 are left to applications; ikrar uses 62
    (sentence punctuation, ``sentences``) and 63 (capitalised hyphenated words, ``entities``).
    """

    def __init__(self, flag_id: int, getter: Callable[[str], bool]):
        self.flag_id = flag_id
        self.getter = getter

    def array(self, doc: Doc) -> numpy.ndarray:
        """The flag of each token of ``doc``."""
        self.ensure(doc.vocab)
        return doc.to_array(self.flag_id)

    def ensure(self, vocab: Vocab) -> None:
        """Register the flag on ``vocab`` unless it is there: its words get it now, new words as they come."""
        registered = vocab.lex_attr_getters.get(self.flag_id)
        if registered is self.getter:
            return
        if registered is not None:
            raise ValueError(f"lexeme flag {self.flag_id} is already used by another property")
        vocab.add_flag(self.getter, self.flag_id)
