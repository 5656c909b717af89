"""``ikrar_indonesian_names``: persons in Indonesian copy recognised by the words around them.

The trained NER knows the names it was trained on well and new names badly: on the training data's
held-out-names cross-check it missed one person in four, and it tags many of those it finds as places or
organizations ("ujar Sjahril" → LOC). The words around a name say what it is far better than its letters do:
only a person is the speaker after "kata" / "ujar" / "menurut", the subject right before "mengatakan" or
"membantah", the "X" of "X , kepala divisi …", "politikus X", "Ketum X" or "menewaskan X". So, after the model:

* a model entity tagged PLACE or ORG whose words are all name words becomes a PERSON in such a context (an ORG
  only with two name words or more, and not by a verb after it: "menurut Pertamina", "Garda Revolusi tewas");
* a model person with "of", "on", "for", "the", "and", "untuk" or "dari" inside is dropped: those words join a
  phrase's words ("Return on Equity"), never one person's names;
* a model person with a digit in it ("H5N1") is dropped;
* a model entity that is a common noun written capitalised ("Tanah Air", the homeland) is dropped;
* a model entity in the title of a law ("UU Jabatan Notaris") is dropped: it says what the law is about;
* a model place or organization of name words ending in an academic degree ("Andi Wibowo SH") is a person;
* a person's name at the end of a model organization is cut off it ("Partai Demokrat Ruhut Sitompul
  mengatakan"), and an abbreviated office off its front ("Capres Golkar");
* a model person loses a form of address ("Ny Ani Yudhoyono") but keeps a name prefix ("Gus Dur"), and a pair
  written with a spaced dash is two persons ("pasangan Prabowo Subianto - Hatta Rajasa");
* a run of one to four name words that no component explained becomes a PERSON in such a context, or listed
  with a person by a conjunction ("Darsono dan Lestiani"), or paired with one by a spaced dash; a model place or
  organization listed with a person is one too;
* a particle joined to a name by a hyphen ("al-Assad") and name words right after a model or pattern person
  extend it ("Marwan" + "Ja'far"), and so do those right before
  it ("Rodney Lyle" + "Petersen"), unless a locative word precedes them or one word opens the sentence;
* a model person that is only a common word opening a sentence is dropped ("Apa yang …");
* after a lowercase body noun ("surat kabar X", "kantor berita X", "maskapai X"), capitalised words or acronyms
  are an organization: a model person or place there is relabelled, and a run no component explained is added.

A name word is capitalised, no acronym, no common word (``gaz_common_words.txt``: "Pemerintah", "Presiden" are no
names even at a sentence start), and no word that opens a title, a body's or a place's name, or a nationality.
The contexts are data: the speech verbs of the commitment extractor (``com_speech_verbs.jsonl``: "kata X",
"X mengatakan") and ``id_name_context.csv`` (role nouns, offices, person verbs, adverbs that may stand between a
name and its verb, forms of address, name prefixes and markers). Rule and gazetteer entities are never touched.
The linker then gives each person an id and resolves later short forms to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp import extensions
from pipelines.nlp.entities import (
    HYPHENS,
    NAME_PARTICLES,
    OPENERS,
    SENTENCE_END,
    Mention,
    is_name_word,
    joins_particle,
    read_mentions,
    write_ents,
)
from pipelines.nlp.gazetteer import load_gazetteer, load_locative_words, read_csv, read_jsonl
from pipelines.nlp.model_ner import common_acronyms, is_common_acronym, title_forms

DATA_DIR = Path(__file__).parent / "data"
CONTEXT_FILE = "id_name_context.csv"
SPEECH_VERBS_FILE = "com_speech_verbs.jsonl"
MAX_NAME_WORDS = 4
# Capitalised words an office may stand before the body it is held in: "Deputi Bidang Pengkajian Sumberdaya X".
OFFICE_REACH = 6
# Capitalised words a law's title may run before a model entity inside it: "UU Perlindungan Data Pribadi X".
LAW_TITLE_REACH = 6
MAX_ADVERBS = 2  # "X juga telah menegaskan": at most this many words between a name and its verb
RELABELLED = ("PLACE", "ORG")
# Persons a following name word extends: the model's and the patterns' (a title's person ends where the rules say).
EXTENSIBLE_SOURCES = ("model", "pattern")
CONJUNCTIONS = {"dan", "serta", "atau", "alias"}
# Lowercase words that join the words of a phrase or a body's name, never the names of one person.
PHRASE_CONNECTORS = {"of", "on", "for", "the", "and", "untuk", "dari"}
COORDINATORS = {",", *CONJUNCTIONS}


@cache
def load_context(data_dir: Path = DATA_DIR) -> dict[str, frozenset[str]]:
    """kind → words: the CSV's kinds plus "speech_before" ("kata X") and "speech_after" ("X mengatakan")."""
    kinds: dict[str, set[str]] = {}
    for row in read_csv(data_dir / CONTEXT_FILE):
        kinds.setdefault(row["kind"], set()).add(row["word"])
    for row in read_jsonl(data_dir / SPEECH_VERBS_FILE):
        if row.get("lang") == "id" and " " not in row["form"]:
            kind = {"follows": "speech_before", "precedes": "speech_after"}.get(row.get("speaker", ""))
            if kind:
                kinds.setdefault(kind, set()).add(row["form"])
    return {kind: frozenset(words) for kind, words in kinds.items()}


class IndonesianNames:
    def __init__(self, name: str, data_dir: Path = DATA_DIR):
        extensions.register()
        self.name = name
        context = load_context(data_dir)
        gaz = load_gazetteer()
        self.common_words = gaz.common_words | gaz.stopwords.get("name_stop", set())
        self.common_acronyms = common_acronyms()
        self.role_nouns = context.get("role_noun", frozenset())
        self.offices = context.get("office", frozenset())
        titles = frozenset(first.lower() for first in title_forms())
        # Words for what a person is that come before a body's name: "Capres Golkar", "Direktur Pertamina".
        self.office_words = titles | self.role_nouns | self.offices
        # Words never part of a name: those that open a title ("Sultan") or a body's or place's name ("Kota"),
        # role nouns ("Direktur") and nationalities.
        cues = frozenset(cue.form.lower() for cue in (*gaz.org_cues, *gaz.place_cues))
        self.not_names = (titles | self.role_nouns | cues | context.get("not_name", frozenset())
                          | frozenset(d.lower() for d in gaz.demonyms))
        self.place_words = frozenset(cue.form.lower() for cue in gaz.place_cues)
        # "asal X", "di X", "wilayah X": what follows names a place first.
        self.locative_words = frozenset(word for word, kind in load_locative_words(data_dir).items()
                                        if kind in ("preposition", "place_noun"))
        self.speech_before = context.get("speech_before", frozenset()) | context.get("name_marker", frozenset())
        self.honorifics = context.get("honorific", frozenset())  # kept out of the name
        self.name_prefixes = context.get("name_prefix", frozenset())  # part of it: "Gus Dur", "Bung Tomo"
        self.after = context.get("speech_after", frozenset()) | context.get("person_verb", frozenset())
        self.adverbs = context.get("adverb", frozenset())
        self.degrees = context.get("degree", frozenset())  # "Andi Wibowo SH": written after a person's name
        self.law_heads = frozenset(gaz.stopwords.get("law_head", ()))  # "UU X": X is what a law is about
        self.capitalised_nouns = frozenset(gaz.stopwords.get("capitalised_noun", ()))  # "Tanah Air": the homeland
        # "surat kabar X", "kantor berita X", "maskapai X": the name after such a noun is a body's, one or two words
        self.body_nouns = context.get("body_noun", frozenset())
        self._body_noun_ends: frozenset[int] | None = None  # orths of their last words, once a vocab is known
        self._name_orths: dict[int, bool] = {}  # orth -> is_name_word, filled as words are met

    def __call__(self, doc: Doc) -> Doc:
        words = DocWords(doc)
        spaced = doc.to_array(SPACY).tolist()
        mentions, changed = [], False
        for mention in read_mentions(doc, "gazetteer"):
            revised = self.revise(words, spaced, mention) if mention.source == "model" else [mention]
            changed = changed or revised != [mention]
            mentions.extend(revised)
        changed = self._persons_by_coordination(words, mentions) or changed
        taken = bytearray(len(words))
        for mention in mentions:
            taken[mention.start:mention.end] = b"\x01" * mention.length
        found = self.bodies_by_noun(words, taken)
        for mention in found:
            taken[mention.start:mention.end] = b"\x01" * mention.length
        persons = [m for m in mentions if m.label == "PERSON"]
        changed = self._extend_by_joined_particles(doc, words, taken, persons) or changed
        extensible = {m.end: m for m in persons if m.source in EXTENSIBLE_SOURCES}
        extensible_left = {m.start: m for m in persons if m.source in EXTENSIBLE_SOURCES}
        # A list passes on the type of persons the rules found or whose words are all a name's ("Turkish
        # Aerospace", a model "person", passes nothing on).
        listed = [m for m in persons if m.source != "model" or self._all_name_words(words, m)]
        person_ends, person_starts = {m.end for m in listed}, {m.start for m in listed}
        for start, end in self.name_runs(words, spaced, taken, self.name_word_flags(words)):
            if start in extensible:
                extensible[start].end, changed = end, True  # "Marwan" + "Ja'far": the rest of a found name
            elif end in extensible_left and self._names_before(words, start, end):
                extensible_left[end].start, changed = start, True  # "Rodney Lyle" + "Petersen": its first names
            elif (self.in_person_context(words, start, end)
                  or self._listed_with_a_person(words, spaced, start, end, person_ends, person_starts)):
                found.append(Mention(start, end, "PERSON", None, "", source="pattern"))
                person_ends.add(end)  # "Andi Tiro , Indira Thita , dan Yandri Susanto": on down the list
        if found or changed:
            write_ents(doc, sorted([*mentions, *found], key=lambda m: m.start))
        return doc

    def revise(self, words: Sequence[str], spaced: list[int], mention: Mention) -> list[Mention]:
        """A model entity as the words around it say it should be: relabelled a person, its person's name cut
        off its end ("Partai Demokrat Ruhut Sitompul mengatakan"), or as persons, trimmed and split."""
        if self.is_capitalised_noun(words, mention.start, mention.end):
            return []  # "di Tanah Air": at home, a common noun written capitalised
        if self._in_law_title(words, mention):
            return []  # "UU Jabatan Notaris", "Undang-undang Pengembangan Budidaya Tanaman": a law's subject
        if mention.label in RELABELLED:
            start = mention.start
            while start < mention.end - 1 and words[start].lower() in self.office_words:
                start += 1  # "Wasekjen Golkar", "Capres Golkar": an office held in the body, not its name
            if start > mention.start:
                mention = replace(mention, start=start)
        if (mention.label != "ORG" and self.after_body_noun(words, mention.start)
                and self._all_capitalised(words, mention)):
            return [replace(mention, label="ORG")]  # "kata surat kabar Al-Thawra": a newspaper, not a place
        if self._mislabelled_person(words, mention) or self._name_with_a_degree(words, mention):
            mention = replace(mention, label="PERSON")
        elif mention.label in RELABELLED:
            tail = self._person_at_end(words, mention)
            if tail is None:
                return [mention]
            return [replace(mention, end=tail), replace(mention, start=tail, label="PERSON")]
        if mention.label != "PERSON":
            return [mention]
        return self._person_parts(words, spaced, mention)

    def _persons_by_coordination(self, words: Sequence[str], mentions: list[Mention]) -> bool:
        """A model place or organization listed with a person is one too: "Andi Taufan Tiro , Indira Chunda Thita
        , dan Yandri Susanto", "Silvester Obiekwe Nwaolise alias Mustofa". The list is read left to right, so a
        person passes the type on down the list."""
        starting = {m.start: m for m in mentions}
        ending = {m.end: m for m in mentions}
        changed = False
        for mention in mentions:
            if mention.source != "model" or mention.label not in RELABELLED or not self._all_name_words(words, mention):
                continue
            neighbours = (ending.get(self._skip_coordinators(words, mention.start - 1, -1) + 1),
                          starting.get(self._skip_coordinators(words, mention.end, 1)))
            if any(n is not None and n is not mention and n.label == "PERSON" for n in neighbours):
                mention.label, changed = "PERSON", True
        return changed

    def _listed_with_a_person(self, words: Sequence[str], spaced: list[int], start: int, end: int,
                              person_ends: set[int], person_starts: set[int]) -> bool:
        """A name listed with a person, or paired with one by a spaced dash ("pasangan Prabowo - Hatta")."""
        # A bare comma is no proof of a list ("Million Dollar Round Table , Evelina mengatakan"): a conjunction is.
        before = self._skip_coordinators(words, start - 1, -1)
        after = self._skip_coordinators(words, end, 1)
        if (before + 1 in person_ends and words[start - 1] in CONJUNCTIONS) or (
                after in person_starts and words[end] in CONJUNCTIONS):
            return True
        paired = start >= 2 and words[start - 1] in HYPHENS and spaced[start - 2] and spaced[start - 1]
        return paired and start - 1 in person_ends

    @staticmethod
    def _skip_coordinators(words: Sequence[str], i: int, step: int) -> int:
        """The index past one or two coordinating words from ``i`` (", dan"), or a sentinel if none is there."""
        skipped = 0
        while 0 <= i < len(words) and words[i] in COORDINATORS and skipped < 2:
            i, skipped = i + step, skipped + 1
        return i if skipped else -10

    def _all_name_words(self, words: Sequence[str], mention: Mention) -> bool:
        span = words[mention.start:mention.end]
        return all(self.is_name_word(w) or w.lower() in NAME_PARTICLES or w in HYPHENS for w in span)

    def _person_parts(self, words: Sequence[str], spaced: list[int], mention: Mention) -> list[Mention]:
        """A model person without the form of address, lowercase word or common word before it ("Ny Ani
        Yudhoyono", "alias Jokowi", "Antara Surya Paloh" at a sentence start), split at a spaced dash ("Prabowo
        Subianto - Hatta Rajasa", a pair); none if all that is left is a common word opening the sentence."""
        if any(w in PHRASE_CONNECTORS for w in words[mention.start + 1:mention.end - 1]):
            return []  # "Return on Equity ROE": such a word joins a phrase's words, never a person's names
        if any(c.isdigit() for w in words[mention.start:mention.end] for c in w):
            return []  # "H5N1", "Boeing 737": a name with a digit in it is a thing's, never a person's
        start = mention.start
        while start < mention.end - 1 and (words[start] in self.honorifics or self._opens_no_name(words, start)):
            start += 1  # "Ny Ani Yudhoyono", "alias Jokowi": a form of address or a lowercase word is no name
        if words[start].lower() in self.common_words and _opens_sentence(words, start):
            return []  # "Apa yang …": a common word the model read as a name only because it is capitalised
        if start == mention.start and start > 0 and words[start - 1] in self.name_prefixes:
            start -= 1  # "Sir James Goldsmith", "Gus Dur": the prefix is part of the name
        splits = [i for i in range(start + 1, mention.end - 1) if words[i] in HYPHENS and spaced[i - 1] and spaced[i]]
        if start == mention.start and not splits:
            return [mention]
        parts, begin = [], start
        for i in splits:
            parts.append(replace(mention, start=begin, end=i))
            begin = i + 1
        parts.append(replace(mention, start=begin, end=mention.end))
        return parts

    def is_capitalised_noun(self, words: Sequence[str], start: int, end: int) -> bool:
        """The words are one of the ``capitalised_noun`` stopwords ("Tanah Air", "Islam"): they name nothing."""
        return " ".join(words[start:end]).lower() in self.capitalised_nouns

    def _opens_no_name(self, words: Sequence[str], i: int) -> bool:
        """A lowercase word (not a particle of names: "el-Haqaah", "bin Salman"), or a common word opening the
        sentence, before a model person's name."""
        word = words[i]
        if not word.isalpha() or word.lower() in NAME_PARTICLES:
            return False
        return word.islower() or (word.lower() in self.common_words and _opens_sentence(words, i))

    def _person_at_end(self, words: Sequence[str], mention: Mention) -> int | None:
        """Where a person's name starts at the end of a model organization or place that it ran into: name
        words after a word that is none ("kepolisian Esmael Ahmadi-Mogadam", "Partai Demokrat Ruhut Sitompul"),
        in a person's context. None if there is no such name."""
        start = mention.end
        while start > mention.start and (self.is_name_word(words[start - 1]) or words[start - 1] in HYPHENS):
            start -= 1
        while start < mention.end and words[start] in HYPHENS:
            start += 1
        if start in (mention.start, mention.end) or mention.end - start > MAX_NAME_WORDS:
            return None
        if mention.end - start >= 2 and self._after_an_office(words, mention.start):
            return start  # "Ketua DPP PKS Nasir Djamil": office, body, then the holder's name
        return start if self.in_person_context(words, start, mention.end) else None

    def _after_an_office(self, words: Sequence[str], start: int) -> bool:
        """An office word ("Ketua", "Deputi") opens the capitalised run a body's name starts in or after."""
        i = start
        while i > 0 and start - i < OFFICE_REACH and words[i - 1][:1].isupper():
            i -= 1
            if words[i].lower() in self.office_words:
                return True
        return False

    def _in_law_title(self, words: Sequence[str], mention: Mention) -> bool:
        """Capitalised words in the title of a law or regulation, no acronym among them ("UU KPK" names a body)."""
        if any(_capitalised(w) and not is_name_word(w) for w in words[mention.start:mention.end]):
            return False
        i = mention.start - 1
        while i >= 0 and mention.start - i <= LAW_TITLE_REACH and is_name_word(words[i]) \
                and words[i].lower() not in self.law_heads:
            i -= 1
        return i >= 0 and words[i].lower() in self.law_heads

    def _name_with_a_degree(self, words: Sequence[str], mention: Mention) -> bool:
        """A model place or organization of name words ending in an academic degree: "Andi Wibowo SH"."""
        end = mention.end - 1
        return (mention.label in RELABELLED and end > mention.start and words[end] in self.degrees
                and self._all_name_words(words, replace(mention, end=end)))

    def _mislabelled_person(self, words: Sequence[str], mention: Mention) -> bool:
        if mention.label not in RELABELLED:
            return False
        if not self._all_name_words(words, mention):
            return False
        if mention.label == "ORG" and sum(map(self.is_name_word, words[mention.start:mention.end])) < 2:
            return False
        return self.in_person_context(words, mention.start, mention.end, verbs=mention.label != "ORG")

    def name_runs(self, words: Sequence[str], spaced: list[int], taken: bytearray, is_name: list[bool]
                  ) -> list[tuple[int, int]]:
        """Maximal runs of name words (particles, and hyphens written with no space, between them), outside any
        entity. A spaced dash separates two names: "pasangan Prabowo Subianto - Hatta Rajasa"."""
        runs, end, n = [], 0, len(is_name)
        for i in [i for i, name in enumerate(is_name) if name]:
            if i < end or taken[i]:
                continue
            end = i + 1
            while end < n and not taken[end]:
                if is_name[end]:
                    end += 1
                elif (end + 1 < n and is_name[end + 1] and not taken[end + 1]
                      and (words[end].lower() in NAME_PARTICLES
                           or (words[end] in HYPHENS and not spaced[end - 1] and not spaced[end]))):
                    end += 2
                else:
                    break
            if sum(is_name[i:end]) <= MAX_NAME_WORDS:
                runs.append((i, end))
        return runs

    def name_word_flags(self, words: DocWords) -> list[bool]:
        """``is_name_word`` of every token, remembered per word (a doc repeats most of its words)."""
        known, strings = self._name_orths, words.strings
        flags = list(map(known.get, words.orths))
        if None in flags:
            for i, flag in enumerate(flags):
                if flag is None:
                    orth = words.orths[i]
                    flags[i] = known[orth] = self.is_name_word(strings[orth])
        return flags

    def is_name_word(self, word: str) -> bool:
        lower = word.lower()
        return (is_name_word(word) and lower not in self.common_words and lower not in self.not_names
                and lower.removesuffix("nya") not in self.common_words and word not in self.honorifics)

    def _extend_by_joined_particles(self, doc: Doc, words: Sequence[str], taken: bytearray,
                                    persons: list[Mention]) -> bool:
        """A particle joined to the next name by a hyphen continues a person: "Bashar" + "al-Assad", "Abdel
        Fattah" + "el-Sisi" (the tokenizer splits "al-Assad" into three tokens, none of them a name word)."""
        changed = False
        for m in persons:
            while (m.source in EXTENSIBLE_SOURCES and m.end < len(words) and words[m.end].lower() in NAME_PARTICLES
                   and joins_particle(doc, m.end) and self.is_name_word(words[m.end + 2])
                   and not any(taken[m.end:m.end + 3])):
                taken[m.end:m.end + 3] = b"\x01\x01\x01"
                m.end, changed = m.end + 3, True
        return changed

    def _names_before(self, words: Sequence[str], start: int, end: int) -> bool:
        """Whether name words right before a person are its first names: not after a locative word ("asal Lahewa"
        + "Araa Suja" is a town and a person), and not one word opening the sentence ("Karisma Gus Darsono"),
        where any word is capitalised."""
        if start and words[start - 1].lower() in self.locative_words:
            return False
        return end - start > 1 or not _opens_sentence(words, start)

    def after_body_noun(self, words: Sequence[str], start: int) -> bool:
        """The words right before ``start`` name a kind of body: "surat kabar", "kantor berita", "maskapai"."""
        # Written in lower case: a capitalised "Harian" is part of a title ("Pelaksana Harian Ketua X").
        return any(" ".join(words[start - n:start]) in self.body_nouns for n in (1, 2) if start >= n)

    def bodies_by_noun(self, words: DocWords, taken: bytearray) -> list[Mention]:
        """Capitalised words or acronyms no component explained right after a body noun ("kantor berita AAP")."""
        # Only the word after a body noun's last word can start one: found by orth, without reading every word.
        ends = self._body_noun_end_orths(words.strings)
        candidates = [i + 1 for i, orth in enumerate(words.orths) if orth in ends]
        found, n, after = [], len(words), 0
        for i in candidates:
            if i < after or i >= n or taken[i] or not _capitalised(words[i]) or not self.after_body_noun(words, i):
                continue
            if is_common_acronym(words[i], self.common_acronyms):
                continue  # "kuota harian BBM": "harian" is also "daily", and BBM (fuel) names no body
            end = i + 1
            while end < n and end - i < MAX_NAME_WORDS and not taken[end] and _capitalised(words[end]):
                end += 1
            if self.is_capitalised_noun(words, i, end):
                continue  # "partai Islam", "kelompok Hindu": a religion, not a body's name
            found.append(Mention(i, end, "ORG", None, "", source="pattern"))
            after = end
        return found

    def _body_noun_end_orths(self, strings) -> frozenset[int]:
        if self._body_noun_ends is None:
            self._body_noun_ends = frozenset(strings.add(noun.split()[-1]) for noun in self.body_nouns)
        return self._body_noun_ends

    def _all_capitalised(self, words: Sequence[str], mention: Mention) -> bool:
        return all(_capitalised(w) or w in HYPHENS for w in words[mention.start:mention.end])

    def in_person_context(self, words: Sequence[str], start: int, end: int, verbs: bool = True) -> bool:
        """Whether the words around [start, end) say it names a person; ``verbs=False`` leaves out the verbs that
        follow a name ("Garda Revolusi tewas": a body's members die, and it is said to speak)."""
        before = words[start - 1] if start else ""
        if before.lower() in self.place_words:
            return False  # "kota Misrata mengatakan": a place's name, whatever its people say
        lower = before.lower()
        if (lower in self.speech_before or before in self.honorifics or before in self.name_prefixes
                or lower in self.offices
                or (lower in self.role_nouns and (before == lower or _opens_sentence(words, start - 1)))):
            return True  # "kata X", "Menurut X", "Ny X", "politikus X" (a capitalised "Kepala" opens a title)
        return (verbs and self._verb_follows(words, end)) or self._apposition_follows(words, end)

    def _verb_follows(self, words: Sequence[str], end: int) -> bool:
        """ "X mengatakan", "X juga membantah"."""
        i = end
        while i < len(words) and i - end <= MAX_ADVERBS:
            if words[i] in self.after:
                return True
            if words[i] not in self.adverbs:
                return False
            i += 1
        return False

    def _apposition_follows(self, words: Sequence[str], end: int) -> bool:
        """ "X , kepala divisi …", "X (30)": a role or an age right after the name."""
        if end + 1 >= len(words):
            return False
        if words[end] == ",":
            return words[end + 1] in self.role_nouns
        return words[end] == "(" and words[end + 1].isdigit() and end + 2 < len(words) and words[end + 2] == ")"


def _capitalised(word: str) -> bool:
    """A word that can be (part of) a body's name: a name word or an acronym ("AAP", "detikFinance" is not)."""
    return is_name_word(word) or (len(word) > 1 and word[:1].isalpha() and word.isupper())


def _opens_sentence(words: Sequence[str], i: int) -> bool:
    """The word starts a sentence, where any word is capitalised."""
    if i == 0 or words[i - 1] in SENTENCE_END:
        return True
    return words[i - 1] in OPENERS and (i == 1 or words[i - 2] in SENTENCE_END)


class DocWords(Sequence[str]):
    """A doc's token texts, looked up in the string store only when asked for: the rules read a few words around
    each capitalised one, and converting every token's text costs more than all of them."""

    def __init__(self, doc: Doc):
        self.orths: list[int] = doc.to_array(ORTH).tolist()
        self.strings = doc.vocab.strings

    def __len__(self) -> int:
        return len(self.orths)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.strings[orth] for orth in self.orths[index]]
        return self.strings[self.orths[index]]


@Language.factory("ikrar_indonesian_names", assigns=["doc.ents", "span._.source"], default_config={"data_dir": None})
def make_indonesian_names(nlp: Language, name: str, data_dir: str | None) -> IndonesianNames:
    return IndonesianNames(name, Path(data_dir) if data_dir else DATA_DIR)
