"""``ikrar_english_names``: persons named without a title in English copy, found by the words around them.

English-service articles get no trained NER (it learnt Indonesian news and reads English capitals as names), so a
person the gazetteer does not know and no title introduces ("…, Maria Lindqvist said.") was missed, and with it
the speaker of what that person said. Capitalisation alone is not enough in English headlines-style prose
("Foreign Ministry", "Coordinating Minister"), so a run of capitalised words counts as a person's name only in a
context that says so:

* a speech verb or a verb that mostly follows a person right after it ("Maria Lindqvist said", "… told",
  "… urged") or a speech verb or "according to" right before it ("…, said Maria Lindqvist");
* an apposition with a role noun ("Maria Lindqvist, director of …", "…, the chairman of …") or a role noun
  right before it ("spokesperson Maria Lindqvist").

A name is two to four capitalised words (name particles such as "bin" or "van der" may stand between them),
none of them a word that is part of no person's name ("The", "Ministry", a weekday, a nationality); it must not
overlap an entity the rules found. The component runs after ``ikrar_entity_rules``; the linker then gives
the person an id and resolves later surname-only mentions to it. The context words are data
(``data/en_name_context.csv``), the speech verbs those of the commitment extractor
(``data/com_speech_verbs.jsonl``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp import extensions
from pipelines.nlp.entities import HYPHENS, Mention, read_mentions, write_ents
from pipelines.nlp.gazetteer import load_gazetteer, read_csv, read_jsonl

DATA_DIR = Path(__file__).parent / "data"
CONTEXT_FILE = DATA_DIR / "en_name_context.csv"
SPEECH_VERBS_FILE = DATA_DIR / "com_speech_verbs.jsonl"
MIN_NAME_WORDS, MAX_NAME_WORDS = 2, 4
# "Lindqvist", "Okonjo-Iweala", "O'Brien", "McDonald": a capital, then letters, hyphens and apostrophes.
NAME_WORD = re.compile(r"[A-Z][a-z]+(?:[-'][A-Za-z][a-z]*)*|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.")


@cache
def load_context(data_dir: Path = DATA_DIR) -> dict[str, frozenset[str]]:
    """kind ("role_noun", "particle", "not_name", "speech_verb") → words."""
    kinds: dict[str, set[str]] = {}
    for row in read_csv(data_dir / CONTEXT_FILE.name):
        kinds.setdefault(row["kind"], set()).add(row["word"])
    kinds["speech_verb"] = {row["form"] for row in read_jsonl(data_dir / SPEECH_VERBS_FILE.name)
                            if row.get("lang") == "en" and " " not in row["form"]}
    # "Indonesian", "Chinese": a nationality, never part of a person's name.
    kinds["not_name"] |= set(load_gazetteer(data_dir).demonyms)
    return {kind: frozenset(words) for kind, words in kinds.items()}


class EnglishNames:
    def __init__(self, name: str, data_dir: Path = DATA_DIR):
        extensions.register()
        self.name = name
        context = load_context(data_dir)
        self.role_nouns = context.get("role_noun", frozenset())
        self.particles = context.get("particle", frozenset())
        self.not_names = context.get("not_name", frozenset())
        self.speech_verbs = context.get("speech_verb", frozenset())
        self.verbs_after = self.speech_verbs | context.get("person_verb", frozenset())

    def __call__(self, doc: Doc) -> Doc:
        words = [doc.vocab.strings[orth] for orth in doc.to_array(ORTH).tolist()]
        mentions = read_mentions(doc, "gazetteer")
        taken = bytearray(len(words))
        for mention in mentions:
            taken[mention.start:mention.end] = b"\x01" * mention.length
        found = [Mention(start, end, "PERSON", None, "", source="pattern")
                 for start, end in self.name_runs(words, taken) if self.in_person_context(words, start, end)]
        if found:
            write_ents(doc, sorted([*mentions, *found], key=lambda m: m.start))
        return doc

    def name_runs(self, words: list[str], taken: bytearray) -> list[tuple[int, int]]:
        """Maximal runs of name words (particles inside), outside any entity, of a name's length."""
        runs, i = [], 0
        while i < len(words):
            if taken[i] or not self.is_name_word(words[i]):
                i += 1
                continue
            end, last_name_word = i + 1, i + 1
            while end < len(words) and not taken[end]:
                if self.is_name_word(words[end]):
                    last_name_word = end + 1
                elif words[end] not in self.particles and not (words[end] in HYPHENS and end + 1 < len(words)
                                                               and self.is_name_word(words[end + 1])):
                    break  # a hyphen goes on only between two name words: "Okonjo-Iweala", split by the tokenizer
                end += 1
            count = sum(1 for w in words[i:last_name_word] if self.is_name_word(w))
            if MIN_NAME_WORDS <= count <= MAX_NAME_WORDS:
                runs.append((i, last_name_word))
            i = max(end, i + 1)
        return runs

    def is_name_word(self, word: str) -> bool:
        return word not in self.not_names and NAME_WORD.fullmatch(word) is not None

    def in_person_context(self, words: list[str], start: int, end: int) -> bool:
        before = words[start - 1].lower() if start else ""
        after = words[end] if end < len(words) else ""
        if after in self.verbs_after or before in self.speech_verbs:
            return True
        if before in self.role_nouns or (start >= 2 and (words[start - 2].lower(), before) == ("according", "to")):
            return True
        # An apposition: "Maria Lindqvist, director of …", "Maria Lindqvist, the chairman of …".
        if after == "," and end + 1 < len(words):
            role = words[end + 2] if words[end + 1] in ("the", "a", "an") and end + 2 < len(words) else words[end + 1]
            return role in self.role_nouns
        return False


@Language.factory("ikrar_english_names", assigns=["doc.ents", "span._.source"], default_config={"data_dir": None})
def make_english_names(nlp: Language, name: str, data_dir: str | None) -> EnglishNames:
    return EnglishNames(name, Path(data_dir) if data_dir else DATA_DIR)
