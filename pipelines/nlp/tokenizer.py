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

The affix lists live in ``data/tok_hyphenation.json``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER
from spacy.lang.tokenizer_exceptions import emoticons
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

DATA_FILE = Path(__file__).parent / "data" / "tok_hyphenation.json"

# A hyphen between two letters: the special cases that the token_match makes redundant contain one.
_HYPHENATED_WORD = re.compile(f"[{ALPHA}]-[{ALPHA}]")

# "U.S.-China": the stock infixes only split a hyphen that follows a letter, so an abbreviation ending in a
# period would swallow the name after it.
ABBREVIATION_HYPHEN_INFIX = rf"(?<=[{ALPHA}]\.)-(?=[{ALPHA_UPPER}])"


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


def is_one_word(text: str) -> bool:
    """True if a hyphenated string is kept as one token (see the module docstring)."""
    return hyphenated_word_pattern().match(text) is not None


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
    rules = {orth: tokens for orth, tokens in stock_rules.items() if not _is_unwanted_special_case(orth)}
    # Empty the table before the setters below: each of them rebuilds it, which takes seconds at stock size.
    tokenizer.rules = {}
    tokenizer.token_match = hyphenated_word_pattern().match
    infixes = [*(nlp.Defaults.infixes or ()), ABBREVIATION_HYPHEN_INFIX]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    tokenizer.rules = {
        orth: tokens for orth, tokens in rules.items() if not _restates_the_rules(tokenizer, orth, tokens)
    }
