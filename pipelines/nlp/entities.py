"""Rule- and gazetteer-based entity extraction: the ``ikrar_entity_rules`` component.

It finds, in one pass over a doc:

- gazetteer names (countries, capitals and big cities, regions and seas, international organizations) with
  PhraseMatchers on ORTH (case matters: "AS" the country, "as" the word) and on LOWER (multi-word names);
- persons after a title ("Presiden China Xi Jinping", "Menlu RI Sugiono", "Chinese President Xi Jinping"): the
  span covers the name only, the title becomes ``_.role`` and the qualifying country ``_.country_iso3``;
- organizations and events from a cue word and the capitalized run next to it ("Institut Konfusius",
  "Konferensi Tingkat Tinggi (KTT) China-Asia Tengah", "ASEAN Summit").

Candidates may overlap; the longest wins ("Laut China Selatan" over "China", "Organisasi Kerja Sama Shanghai"
over "Shanghai"), so no entity ends up inside another. All words, titles and cues come from ``data/gaz_*``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from pipelines.nlp import extensions
from pipelines.nlp.extensions import span_extension_key
from pipelines.nlp.gazetteer import Cue, Direction, EventWord, Form, Gazetteer, Title, load_gazetteer, slugify
from pipelines.nlp.tokenizer import LexemeFlag

extensions.register()

SENTENCE_END = {".", "!", "?", "…"}
OPENERS = {'"', "“", "‘", "'", "(", "«", "["}
HYPHENS = {"-", "–", "‑"}
POSSESSIVE_MARKS = {"'", "’", "'s", "’s"}
ROMAN_NUMERAL = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X)$")
INITIAL = re.compile(r"^[A-Z]\.$")
MAYBE_CAPITALISED_HYPHENATED = re.compile(r"[^\W\d_a-z]\S*-")
MENTION_ATTRIBUTES = ("entity_id", "canonical_name", "country_iso3", "role", "source")
ORDINAL = re.compile(r"^(?:ke-?\d+|\d+(?:st|nd|rd|th))$", re.IGNORECASE)
# Lowercase words that may sit inside a name between capitalized words.
NAME_PARTICLES = {"bin", "binti", "van", "von", "der", "de", "da", "al", "el", "ibn", "la", "le", "dos", "das", "del",
                  "du", "della"}
ORG_CONNECTORS = {"dan", "and", "&", "of", "for", "the", "untuk", "on"}
EVENT_CONNECTORS = {"of", "on", "for", "the"}
# "Dubes RI untuk Jepang", "President of Indonesia"
DESTINATION_WORDS = {"untuk", "for", "to", "di", "in", "of"}
# Right after an envoy's title these name the host country ("Ambassador to Lebanon"), not the person's.
HOST_WORDS = {"untuk", "for", "to", "di", "in"}
# Words that join a portfolio's parts: "Perindustrian dan Perdagangan", "Perdagangan, Industri dan Energi".
PORTFOLIO_JOINERS = {"dan", "&", "and", ","}
# Words that chain two titles of one person: "Deputy Prime Minister and Foreign Minister X".
TITLE_CHAIN_WORDS = {"dan", "and", "&", ","}
QUALIFIER_LABELS = ("COUNTRY", "ORG", "PLACE")
# Capitalised words a body's name may run on after an office before its holder's name ("Kepala Badan …").
OFFICE_REACH = 6
PRIORITY = {"gazetteer": 0, "title": 1, "pattern": 2}
FORM_KEY = "GAZETTEER_FORM"  # the one PhraseMatcher key of every gazetteer form (see ``EntityRules._add_forms``)
# Token.ent_iob values: spaCy's IOB codes.
IOB_INSIDE, IOB_OUTSIDE, IOB_BEGIN = 1, 2, 3


@dataclass
class Mention:
    """A candidate entity over tokens [start, end) before overlaps are resolved."""

    start: int
    end: int
    label: str
    entity_id: str | None
    canonical_name: str
    country_iso3: str | None = None
    role: str | None = None
    source: str = "gazetteer"
    edition_open: bool = False  # an event of a dated series named with no edition ("KTT G20"): see link_editions

    @property
    def length(self) -> int:
        return self.end - self.start


class SentenceStarts:
    """Whether a token opens a sentence: from the parser/sentencizer if one ran, else from punctuation.

    Computed lazily for the few tokens asked about: building Token objects for every token is the main cost of
    a pass over a long doc.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.annotated = doc.has_annotation("SENT_START")
        self.cache: dict[int, bool] = {}

    def __getitem__(self, i: int) -> bool:
        if i not in self.cache:
            self.cache[i] = self._compute(i)
        return self.cache[i]

    def _compute(self, i: int) -> bool:
        if i == 0:
            return True
        if self.annotated:
            return bool(self.doc[i].is_sent_start)
        prev = self.doc[i - 1]
        if prev.is_space or prev.text in SENTENCE_END:
            return True
        return prev.text in OPENERS and self[i - 1]


def find_words(doc: Doc, texts: Iterable[str]) -> list[tuple[int, str]]:
    """(index, text) of the tokens whose text is one of ``texts``, from the doc's ORTH array (no Token objects)."""
    wanted = {doc.vocab.strings.add(t): t for t in texts}
    if not wanted:
        return []
    orths = doc.to_array("ORTH")
    # A binary search in the sorted wanted hashes: ``numpy.isin`` costs more on arrays this short.
    sorted_wanted = numpy.sort(numpy.fromiter(wanted, dtype=orths.dtype, count=len(wanted)))
    nearest = numpy.minimum(numpy.searchsorted(sorted_wanted, orths), len(sorted_wanted) - 1)
    hits = numpy.flatnonzero(sorted_wanted[nearest] == orths)
    return [(i, wanted[orth]) for i, orth in zip(hits.tolist(), orths[hits].tolist(), strict=True)]


def is_name_token(token: Token) -> bool:
    """Capitalized word that can be part of a proper name (not an acronym like "RI", not punctuation)."""
    return is_name_word(token.text)


def is_name_word(text: str) -> bool:
    """``is_name_token`` on a token's text."""
    if not text[:1].isupper() or not any(c.isalpha() for c in text):
        return False
    if text.isupper() and len(text) > 1:
        return bool(ROMAN_NUMERAL.match(text) or INITIAL.match(text))
    return all(c.isalpha() or c in "-'’." for c in text)


def spaced_dash(doc: Doc, i: int) -> bool:
    """A dash with spaces on both sides separates two names ("Prabowo Subianto - Hatta Rajasa", a ticket); one
    attached to a word joins the parts of a name ("Jae-myung")."""
    return i > 0 and bool(doc[i - 1].whitespace_) and bool(doc[i].whitespace_)


def is_acronym(token: Token) -> bool:
    text = token.text
    return len(text) > 1 and text[:1].isalpha() and text.isupper()


def select_longest(mentions: Iterable[Mention], size: int) -> list[Mention]:
    """Non-overlapping mentions, longest first; on equal length the more trusted source, then the earlier."""
    taken = bytearray(size)
    chosen = []
    for mention in sorted(mentions, key=lambda m: (m.start - m.end, PRIORITY.get(m.source, 3), m.start)):
        if 1 not in taken[mention.start:mention.end]:
            taken[mention.start:mention.end] = b"\x01" * mention.length
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


class TitleFinder:
    """Titles and honorifics before names, found with a LOWER PhraseMatcher built from gaz_titles.csv."""

    def __init__(self, nlp: Language, gaz: Gazetteer):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_key: dict[int, Title] = {}
        for title, pattern in zip(gaz.titles, nlp.tokenizer.pipe(t.form for t in gaz.titles), strict=True):
            key = f"TITLE|{title.form}"
            self.matcher.add(key, [pattern])
            self.by_key[nlp.vocab.strings[key]] = title

    def find(self, doc: Doc) -> list[tuple[int, int, Title]]:
        """Longest non-overlapping titles, in document order."""
        found = [(start, end, self.by_key[key]) for key, start, end in self.matcher(doc)]
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        kept, last_end = [], -1
        for start, end, title in found:
            if start >= last_end:
                kept.append((start, end, title))
                last_end = end
        return kept


class DocContext:
    """Per-doc lookups shared by the finders: gazetteer mentions by position, sentence starts, titles."""

    def __init__(self, doc: Doc, gaz_mentions: list[Mention], demonyms: list[Mention],
                 titles: list[tuple[int, int, Title]]):
        self.doc = doc
        self.title_at = {start: (end, title) for start, end, title in titles}
        self.title_by_end = {end: (start, title) for start, end, title in titles}
        self.starts = SentenceStarts(doc)
        self.by_start = {m.start: m for m in gaz_mentions}
        self.by_end = {m.end: m for m in gaz_mentions}
        self.demonym_by_end = {m.end: m for m in demonyms}
        self.demonym_by_start = {m.start: m for m in demonyms}
        # Token indices where a title or a person's name begins: names of others stop there.
        self.blocked: set[int] = set(self.title_at)
        # Where an organization's cue word stands ("Kepala Kejaksaan Tinggi …"): no person's name starts there.
        self.org_cue_starts: set[int] = set()
        # Titles that introduced a person: an event's name stops there ("Pertemuan Menlu RI Sugiono …"), but may
        # run through a title that names no one ("Pertemuan Menteri Luar Negeri ASEAN ke-58").
        self.anchoring_titles: set[int] = set()
        self.person_starts: set[int] = set()
        self.inside_titles: set[int] = set()  # the later words of a title


    def qualifier_at(self, i: int) -> Mention | None:
        mention = self.by_start.get(i)
        return mention if mention and mention.label in QUALIFIER_LABELS else None


class EntityRules:
    """Gazetteer, title, organization and event rules; writes ``doc.ents`` and the ``Span._`` attributes."""

    def __init__(self, nlp: Language, name: str = "ikrar_entity_rules", data_dir: str | None = None):
        self.name = name
        self.gaz = load_gazetteer(data_dir)
        self.stop_words = {w.lower() for w in nlp.Defaults.stop_words}
        self.titles = TitleFinder(nlp, self.gaz)
        self.cased = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.uncased = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.forms: dict[tuple[bool, tuple[int, ...]], Form] = {}  # (cased, word hashes) → form
        self._add_forms(nlp, list(self.gaz.forms.values()))
        self.demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.demonym_iso3: dict[int, str] = {}
        for (form, iso3), pattern in zip(self.gaz.demonyms.items(), nlp.tokenizer.pipe(self.gaz.demonyms),
                                         strict=True):
            self.demonyms.add(f"DEMONYM|{form}", [pattern])
            self.demonym_iso3[nlp.vocab.strings[f"DEMONYM|{form}"]] = iso3
        self.org_cues = self._cue_matcher(nlp, self.gaz.org_cues, "ORGCUE")
        self.event_cues = self._cue_matcher(nlp, self.gaz.event_cues, "EVENTCUE")
        self.place_cues = self._cue_matcher(nlp, self.gaz.place_cues, "PLACECUE")
        self.region_heads = frozenset(cue.form for cue in self.gaz.place_cues if cue.region)
        self.directions = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.direction_by_key: dict[int, Direction] = {}
        for direction, pattern in zip(self.gaz.directions, nlp.tokenizer.pipe(d.form for d in self.gaz.directions),
                                      strict=True):
            key = f"DIRECTION|{direction.position}|{direction.form}"
            self.directions.add(key, [pattern])
            self.direction_by_key[nlp.vocab.strings[key]] = direction
        self.known_persons = PhraseMatcher(nlp.vocab, attr="ORTH")
        person_forms = list(self.gaz.person_forms.items())
        for (slug, _), pattern in zip(person_forms, nlp.tokenizer.pipe(f for _, f in person_forms), strict=True):
            self.known_persons.add(f"PERSON|{slug}", [pattern])
        self.single_token_forms = {f.text for f in self.gaz.forms.values() if f.cased and " " not in f.text}
        self.event_word_length = max((len(words) for words in self.gaz.event_words), default=0)
        CAPITALISED_HYPHENATED.ensure(nlp.vocab)

    def _add_forms(self, nlp: Language, forms: list[Form]) -> None:
        """Each form as a pattern of word hashes (ORTH if cased, LOWER if not), all under one matcher key.

        Why one key, not one per form: ``PhraseMatcher.add`` makes a lexeme of its key, and lexemes of ~11,000
        keys per language were a third of the time it took to build the pipeline. A match is traced back to its
        form by the hashes of the words it covers instead (forms are unique by text, so by those hashes too).
        """
        strings = nlp.vocab.strings
        patterns: dict[bool, list[list[int]]] = {True: [], False: []}
        for form, pattern in zip(forms, phrase_patterns(nlp, [f.text for f in forms]), strict=True):
            if isinstance(pattern, list):
                hashes = tuple(strings.add(word if form.cased else word.lower()) for word in pattern)
            else:
                hashes = tuple(token.orth if form.cased else token.lower for token in pattern)
            patterns[form.cased].append(list(hashes))
            self.forms[(form.cased, hashes)] = form
        self.cased.add(FORM_KEY, patterns[True])
        self.uncased.add(FORM_KEY, patterns[False])

    @staticmethod
    def _cue_matcher(nlp: Language, cues: list[Cue], prefix: str) -> tuple[PhraseMatcher, dict[int, Cue]]:
        matcher, by_key = PhraseMatcher(nlp.vocab, attr="LOWER"), {}
        for cue, pattern in zip(cues, nlp.tokenizer.pipe(c.form for c in cues), strict=True):
            key = f"{prefix}|{cue.position}|{cue.form}"
            matcher.add(key, [pattern])
            by_key[nlp.vocab.strings[key]] = cue
        return matcher, by_key

    def __call__(self, doc: Doc) -> Doc:
        split_hyphenated_names(doc, self.single_token_forms)
        titles = self.titles.find(doc)
        # A later word of a title is the title's ("Wali Kota Semarang", "Kepala Desa X"): no name begins there.
        inside_titles = {i for start, end, _ in titles for i in range(start + 1, end)}
        gaz_mentions = [m for m in self.gazetteer_mentions(doc) if m.start not in inside_titles]
        demonyms = [Mention(s, e, "DEMONYM", None, doc[s:e].text, self.demonym_iso3[k])
                    for k, s, e in self.demonyms(doc)]
        ctx = DocContext(doc, select_longest(gaz_mentions, len(doc)), demonyms, titles)
        ctx.inside_titles = inside_titles
        ctx.org_cue_starts = {start for key, start, _ in self.org_cues[0](doc)
                              if self.org_cues[1][key].position == "head" and doc[start].text[:1].isupper()}
        persons = list(self.person_mentions(ctx, titles))
        persons += self.known_person_mentions(doc, persons)
        ctx.person_starts = {p.start for p in persons}
        ctx.blocked.update(ctx.person_starts)
        patterns = [*self.cue_mentions(ctx, self.org_cues, "ORG"), *self.cue_mentions(ctx, self.event_cues, "EVENT"),
                    *self.cue_mentions(ctx, self.place_cues, "PLACE"), *self.direction_mentions(ctx)]
        existing = read_mentions(doc, "existing")
        chosen = select_longest(existing + gaz_mentions + persons + patterns, len(doc))
        link_editions(chosen)
        write_ents(doc, chosen)
        return doc

    # -- gazetteer -------------------------------------------------------------------------------------

    def gazetteer_mentions(self, doc: Doc) -> Iterator[Mention]:
        starts = SentenceStarts(doc)
        words = doc.to_array([ORTH, LOWER])  # a match's word hashes say which form it is
        matches = [(True, start, end) for _, start, end in self.cased(doc)]
        matches += [(False, start, end) for _, start, end in self.uncased(doc)]
        for cased, start, end in matches:
            form = self.forms[(cased, tuple(words[start:end, 0 if cased else 1].tolist()))]
            if not form.cased and not doc[start].text[:1].isupper():
                continue  # case-insensitive names still need a capital: "bank dunia" in running text
            if form.mid_sentence_only and starts[start]:
                continue
            entry = self.gaz.entries[form.entity_id]
            if entry.label == "COUNTRY" and start and self.gaz.is_stopword(doc[start - 1].text, "not_country_after"):
                continue  # "bahasa Inggris" is the English language
            yield Mention(start, end, entry.label, entry.entity_id, entry.canonical_name, entry.country_iso3)

    # -- persons ---------------------------------------------------------------------------------------

    def person_mentions(self, ctx: DocContext, titles: list[tuple[int, int, Title]]) -> Iterator[Mention]:
        for start, end, title in titles:
            if not title.anchors or (title.kind == "occupation" and not ctx.doc[start].text[:1].isupper()):
                continue  # "kata pengamat Lembaga Studi X": a lowercase occupation is a common noun
            i, country = self._skip_qualifiers(ctx, end, title_end=end, national=title.national)
            portfolio_end = self._skip_portfolio(ctx, i, after_title=i == end and end - start > 1)
            after_title_portfolio = i == end
            if portfolio_end > i:
                i, more_country = self._skip_qualifiers(ctx, portfolio_end, national=title.national)
                country = country or more_country
                if (body_end := self._body_name_end(ctx, i)) > i:
                    i = portfolio_end = body_end
            name_end = self._name_end(ctx, i)
            if name_end == i:  # the name may stand after a comma instead
                i = self._apposition_start(ctx, i)
                if i is None:
                    continue
                name_end = self._name_end(ctx, i)
                if name_end == i or not self._closes_apposition(ctx.doc, name_end):
                    continue
            if (spelled := self._spelled_office_end(ctx, start, i)) is not None:
                # "Menteri Energi dan Sumber Daya Mineral (ESDM) Jero Wacik": the acronym spells the office out, so
                # the capitalised words before it were the portfolio's last, not a name.
                portfolio_end, after_title_portfolio = spelled, True
                i, name_end = spelled + 3, self._name_end(ctx, spelled + 3)
            ctx.anchoring_titles.add(start)
            country = country or self._left_qualifier(ctx, start)
            name = ctx.doc[i:name_end].text
            role = self._role(ctx.doc, title, end, portfolio_end if after_title_portfolio else end)
            yield Mention(i, name_end, "PERSON", f"person:{slugify(name)}", name, country, role, "title")

    def _spelled_office_end(self, ctx: DocContext, title_start: int, i: int) -> int | None:
        """Where an office's portfolio ends when an acronym in brackets spells it out and a name follows it: the
        bracket's position, within a few capitalised words (or joiners) from ``i``; None otherwise."""
        doc = ctx.doc
        for k in range(i, min(len(doc), i + SPELLED_PORTFOLIO_REACH)):
            if parenthesised_acronym(doc, k):
                spelled = spells_out(doc, title_start, k) and self._name_end(ctx, k + 3) > k + 3
                return k if spelled else None
            if not (doc[k].text[:1].isupper() or doc[k].lower_ in PORTFOLIO_JOINERS):
                return None
        return None

    @staticmethod
    def _apposition_start(ctx: DocContext, i: int) -> int | None:
        """Where the holder's name starts when it stands after a comma: "Duta Besar Inggris untuk Indonesia,
        Dominic Jermey, mengatakan". None when no comma follows the title, or a known place does."""
        if i + 1 >= len(ctx.doc) or ctx.doc[i].text != "," or ctx.by_start.get(i + 1) is not None:
            return None
        return i + 1

    @staticmethod
    def _closes_apposition(doc: Doc, end: int) -> bool:
        """An apposition's name ends the sentence or is closed by a comma or a bracket: "…, Dominic Jermey, …"."""
        return end >= len(doc) or doc[end].text in {",", ".", ")", ";"}

    def known_person_mentions(self, doc: Doc, titled: list[Mention]) -> list[Mention]:
        """A well-known person named with no title ("Putin mengatakan", "Xi Jinping dan …"). No country or role:
        the text may still give them, and the linker falls back on the table's country."""
        taken = bytearray(len(doc))
        for m in titled:
            taken[m.start:m.end] = b"\x01" * m.length
        found = []
        for key, start, end in self.known_persons(doc):
            if 1 in taken[start:end]:
                continue  # a title introduced the name: that mention carries the role
            person = self.gaz.persons[doc.vocab.strings[key].partition("|")[2]]
            found.append(Mention(start, end, "PERSON", person.entity_id, person.name, source="gazetteer"))
        return found

    @staticmethod
    def _role(doc: Doc, title: Title, title_end: int, portfolio_end: int) -> str | None:
        """The office: the title, with the portfolio that follows it ("Menteri Perdagangan, Industri dan Energi")."""
        if not title.is_office:
            return None
        if portfolio_end <= title_end:
            return title.canonical
        return title.canonical + doc[title_end - 1].whitespace_ + doc[title_end:portfolio_end].text

    def _skip_portfolio(self, ctx: DocContext, i: int, after_title: bool = False) -> int:
        """Step over a portfolio after a title: "Menteri Agama", "Menko Perekonomian", "Menteri Hukum dan HAM".

        A capitalized common word there names the office, not the person ("Presiden Terpilih Joko Widodo").
        A title of several words may itself end in a portfolio ("Menteri Perindustrian dan Perdagangan X"), so
        a joiner right after it continues the portfolio.
        """
        doc, start = ctx.doc, i
        while i < len(doc) and (self._is_portfolio_word(ctx, i)
                                or ((i > start or after_title) and self._joins_portfolio(ctx, i))
                                or (i > start and is_acronym(doc[i]) and i not in ctx.by_start)
                                or (i > start and ROMAN_NUMERAL.match(doc[i].text))):  # "Komisi I"
            i += 1
        return i

    def _body_name_end(self, ctx: DocContext, i: int) -> int:
        """Where the rest of a body's name ends when the portfolio stopped at a word no list knows: "Kepala Badan
        Pertanahan Nasional Budi Santoso". A person's name holds no common word, so a capitalised common word
        with name words after it still belongs to the body; ``i`` when there is none.
        """
        doc, end, last_common = ctx.doc, i, None
        while end < len(doc) and end - i < OFFICE_REACH and is_name_token(doc[end]) and not self._ends_name(ctx, end):
            if self._is_portfolio_word(ctx, end):
                last_common = end
            end += 1
        return last_common + 1 if last_common is not None and last_common + 1 < end else i

    def _is_portfolio_word(self, ctx: DocContext, i: int) -> bool:
        token = ctx.doc[i]
        return token.text[:1].isupper() and token.lower_ in self.gaz.common_words and i not in ctx.by_start

    def _joins_portfolio(self, ctx: DocContext, i: int) -> bool:
        """ "dan" or a comma inside a portfolio: "Hukum dan HAM", "Perdagangan, Industri dan Energi".

        Not before a second title: "Deputy Prime Minister and Foreign Minister X" chains two offices.
        """
        doc = ctx.doc
        if doc[i].lower_ not in PORTFOLIO_JOINERS or i + 1 >= len(doc) or i + 1 in ctx.title_at:
            return False
        following = doc[i + 1]
        if doc[i].text == ",":
            return following.text[:1].isupper() and following.lower_ in self.gaz.common_words
        return following.lower_ in self.gaz.common_words or is_acronym(following)

    def _skip_qualifiers(self, ctx: DocContext, i: int, title_end: int = -1, national: bool = False
                         ) -> tuple[int, str | None]:
        """Step over what stands between a title and the name: "(PM)", "RI", "PBB", "untuk Jepang"."""
        doc, country, n, after_country, first = ctx.doc, None, len(ctx.doc), False, i
        while i < n:
            if parenthesised_acronym(doc, i):
                i += 3
            elif national and i == first and self._is_given_name(ctx, i):
                break  # "Presiden Vladimir Putin": a city does not qualify a national office
            elif (mention := ctx.qualifier_at(i)) and not (after_country and mention.label == "PLACE"):
                # After a country a place is a first name: "Presiden Rusia Vladimir Putin".
                country = country or mention.country_iso3
                after_country = after_country or mention.label == "COUNTRY"
                i = mention.end
            elif doc[i].lower_ in DESTINATION_WORDS and country and ctx.qualifier_at(i + 1):
                i = ctx.qualifier_at(i + 1).end  # the host country of an envoy is not the person's
            elif i == title_end and doc[i].lower_ in HOST_WORDS and (host := ctx.qualifier_at(i + 1)) \
                    and host.label == "COUNTRY":
                i = host.end  # "Indonesia's Ambassador to Lebanon X": the country before the title is his
            elif is_acronym(doc[i]) and i + 1 < n and is_name_token(doc[i + 1]):
                i += 1  # an unknown body's acronym ("Ketua DPD X")
            elif i in ctx.title_at and ctx.title_at[i][1].kind == "honorific":
                i = ctx.title_at[i][0]
            else:
                break
        return i, country

    def _is_given_name(self, ctx: DocContext, i: int) -> bool:
        """A one-word place name right before a capitalized word that can go on a person's name."""
        mention = ctx.qualifier_at(i)
        if mention is None or mention.label != "PLACE" or mention.length != 1 or mention.end >= len(ctx.doc):
            return False
        following = mention.end
        return (is_name_token(ctx.doc[following]) and ctx.qualifier_at(following) is None
                and not self._ends_name(ctx, following) and ctx.doc[following].lower_ not in self.gaz.common_words)

    def _name_end(self, ctx: DocContext, i: int, max_tokens: int = 4) -> int:
        doc, end, count = ctx.doc, i, 0
        while end < len(doc) and count < max_tokens:
            token = doc[end]
            if is_name_token(token) and not self._ends_name(ctx, end):
                end, count = end + 1, count + 1
            elif (token.lower_ in NAME_PARTICLES or (token.text in HYPHENS and not spaced_dash(doc, end))) and count \
                    and end + 1 < len(doc) and is_name_token(doc[end + 1]) and not self._ends_name(ctx, end + 1):
                end += 1
            elif token.text in HYPHENS and count and joins_lowercase_part(doc, end):
                end += 2  # "Lee Jae-myung": the second part of a hyphenated given name is lowercase
            elif token.lower_ in NAME_PARTICLES and count and joins_particle(doc, end):
                end += 3  # "Bashar al-Assad": the tokenizer splits the particle, its hyphen and the name
            else:
                break
        return end

    def _ends_name(self, ctx: DocContext, i: int) -> bool:
        token = ctx.doc[i]
        mention = ctx.by_start.get(i)
        return (self.gaz.is_stopword(token.text, "name_stop")
                or (i in ctx.blocked) or (i in ctx.org_cue_starts)
                or (mention is not None and mention.label in ("COUNTRY", "ORG"))
                or i in ctx.demonym_by_start)

    def _left_qualifier(self, ctx: DocContext, title_start: int) -> str | None:
        """English puts the country first: "Chinese President X", "Indonesia's Foreign Minister X", also before
        a chain of titles ("Vietnam's Deputy Prime Minister and Foreign Minister X")."""
        title_start = chain_start(ctx.doc, title_start, ctx.title_by_end)
        if demonym := ctx.demonym_by_end.get(title_start):
            return demonym.country_iso3
        possessive = title_start and ctx.doc[title_start - 1].lower_ in {"'s", "’s"}
        end = title_start - 1 if possessive else title_start
        mention = ctx.by_end.get(end)
        return mention.country_iso3 if mention and mention.label in QUALIFIER_LABELS else None

    # -- regions of places -------------------------------------------------------------------------------

    def direction_mentions(self, ctx: DocContext) -> Iterator[Mention]:
        """ "Australia Selatan", "Libya Barat", "West Java": a region of a known country or place."""
        for key, start, end in self.directions(ctx.doc):
            direction = self.direction_by_key[key]
            place = ctx.by_end.get(start) if direction.position == "after" else ctx.by_start.get(end)
            if place is None or place.label not in ("COUNTRY", "PLACE"):
                continue
            span_start, span_end = (place.start, end) if direction.position == "after" else (start, place.end)
            entity_id = f"place:{direction.english}-{slugify(place.canonical_name)}"
            yield Mention(span_start, span_end, "PLACE", entity_id, ctx.doc[span_start:span_end].text,
                          place.country_iso3, None, "pattern")

    # -- organizations and events ------------------------------------------------------------------------

    def cue_mentions(self, ctx: DocContext, cue_matcher: tuple[PhraseMatcher, dict[int, Cue]], label: str
                     ) -> Iterator[Mention]:
        matcher, by_key = cue_matcher
        for key, start, end in matcher(ctx.doc):
            cue = by_key[key]
            if start in ctx.inside_titles:
                continue
            if cue.position == "before":
                found = self._before_mention(ctx, cue, end, label)
            elif not ctx.doc[start].text[:1].isupper():
                continue
            else:
                found = self._head_mention(ctx, cue, start, end, label) if cue.position == "head" \
                    else self._tail_mention(ctx, cue, start, end, label)
            if found:
                yield found

    def _head_mention(self, ctx: DocContext, cue: Cue, start: int, end: int, label: str) -> Mention | None:
        doc = ctx.doc
        i = end
        if parenthesised_acronym(doc, i):
            i += 3  # "Konferensi Tingkat Tinggi (KTT) …"
        ordinal_end = _ordinal_end(doc, i)
        name_start = ordinal_end
        name_end, country, known = self._run_end(ctx, name_start, label)
        gazetteer_name = ctx.by_start.get(start)
        if gazetteer_name and gazetteer_name.end >= end:
            # A known name begins with the cue word ("Bank Dunia", "Partai Golkar"): the gazetteer has it, unless
            # a country follows the name of a body many countries have ("Kementerian Luar Negeri China").
            country_after = ctx.qualifier_at(gazetteer_name.end)
            if not (country_after and country_after.label == "COUNTRY" and gazetteer_name.label == label):
                return None
            name_end, country, known = country_after.end, country_after.country_iso3, [country_after]
        words = sum(1 for t in doc[name_start:name_end] if t.text not in HYPHENS)
        if words == 0 and not cue.standalone:
            return None
        if cue.weak and ctx.starts[start] and words < 2:
            return None  # "Pertemuan Xi …", "Badan itu …" at a sentence start are common nouns
        if cue.weak and label == "ORG" and name_end == name_start + 1 and ROMAN_NUMERAL.match(doc[name_start].text):
            # "anggota Komisi III": every legislature numbers its commissions, and the number alone says not whose
            # (the body after it does: "Komisi III DPR" is the DPR's, named by the gazetteer).
            return None
        if cue.weak and label != "PLACE" and (only := ctx.qualifier_at(name_start)) and only.end == name_end \
                and not (cue.of_party and only.label == "ORG"):
            # "pertemuan ASEAN", "Dialog China" describe a meeting of a known party, not a name; a place cue
            # before a known place is the place's full name ("Kabupaten Solok", "Pulau Bali", "Kota Bandung").
            return None
        if label == "ORG" and any(m.label == "ORG" for m in known):
            return None  # "Dewan Pimpinan Pusat Partai X", "Komisi III DPR": a body inside a known organization
        number, mention_end = ordinal_after(doc, name_end)
        number = number or ordinal_value(doc[i:ordinal_end].text)
        parts = [cue.canonical, doc[i:ordinal_end].text, doc[name_start:name_end].text]
        canonical = " ".join(p for p in parts if p)
        mention = self._pattern_mention(start, mention_end, label, canonical, country, ctx, name_start)
        if label == "EVENT":
            english = self.translate_event_name(doc, [(start, end), (name_start, name_end)], known)
            self._name_event(ctx, mention, cue, english or canonical, number)
        elif cue.english or number:
            english = english_name(doc, name_start, name_end, known)
            mention.entity_id = english_id(label, cue.english, english if cue.english else canonical, number)
        return mention

    def _before_mention(self, ctx: DocContext, cue: Cue, end: int, label: str) -> Mention | None:
        """ "latihan udara Pitch Black", "exercise Cope Thunder": the proper name after a common noun."""
        doc, name_end = ctx.doc, end
        while name_end < len(doc) and name_end not in ctx.blocked and ctx.qualifier_at(name_end) is None \
                and name_end not in ctx.demonym_by_start and self._is_name_word(doc[name_end]) \
                and doc[name_end].lower_ not in self.gaz.common_words and not is_acronym(doc[name_end]):
            name_end += 1
        if name_end == end or (ctx.starts[end] and name_end - end < 2):
            return None
        number, mention_end = ordinal_after(doc, name_end)
        name = doc[end:name_end].text
        mention = Mention(end, mention_end, label, None, name, None, None, "pattern")
        self._name_event(ctx, mention, cue, name, number)
        return mention

    def _name_event(self, ctx: DocContext, mention: Mention, cue: Cue, name: str, number: int | None) -> None:
        """``event:<English name>-<ordinal>``; a dated series with no ordinal ends in the year of its sentence, or
        waits for an edition the article names (``link_editions``)."""
        if number is None and cue.dated:
            number = sentence_year(ctx.doc, mention.start)
            mention.edition_open = number is None
        mention.entity_id = english_id("EVENT", "", name, number)

    def translate_event_name(self, doc: Doc, ranges: list[tuple[int, int]], known: list[Mention]) -> str | None:
        """The English name of an Indonesian event name, or None when a word is not in gaz_event_words.csv.

        Indonesian puts modifiers after the head, English before it, so English order is: known entities (named
        as ``event_part`` says), adjectives, noun modifiers (an unknown proper name is one: "Hari Batik Nasional"
        -> "National Batik Day"), the head; each group reversed from the Indonesian order ("Forum Ekonomi
        Internasional St. Petersburg" -> "St. Petersburg International Economic Forum").
        """
        if len(known) == 1 and known[0].label == "ORG" and ranges[-1] == (known[0].start, known[0].end):
            # "Sidang Majelis Umum PBB", "Sidang Dewan Keamanan PBB": a session of a body is the body's meeting
            cue = self._event_word(doc, *ranges[0])
            if cue is not None and cue.kind == "fallback":
                return known[0].canonical_name
        units = self._event_units(doc, ranges, {m.start: m for m in known})
        if units is None:
            return None
        groups: dict[str, list[str]] = {"name": [], "adjective": [], "noun": [], "head": [], "fallback": []}
        for kind, text in units:
            groups["noun" if kind == "proper" else kind].append(text)
        heads = groups["head"] or groups["fallback"]
        words = groups["name"] + groups["adjective"][::-1] + groups["noun"][::-1] + heads[::-1]
        return " ".join(words) or None

    def _event_units(self, doc: Doc, ranges: list[tuple[int, int]], known: dict[int, Mention]
                     ) -> list[tuple[str, str]] | None:
        """(kind, English text) of each part of an event's name, in Indonesian order; hyphens and runs of unknown
        proper names joined into one part ("China-Asia Tengah" -> ("name", "China-Central Asia"))."""
        units: list[tuple[str, str]] = []
        joining = False
        for start, end in ranges:
            i = start
            while i < end:
                if doc[i].text in HYPHENS:
                    joining, i = bool(units), i + 1
                    continue
                if mention := known.get(i):
                    unit, i = ("name", event_part(mention)), mention.end
                elif word := self._event_word(doc, i, end):
                    unit, i = (word.kind, word.english), i + len(word.form.split())
                elif self._is_proper_name_piece(doc[i]):
                    unit, i = ("proper", doc[i].text), i + 1
                else:
                    return None  # a common word the table cannot translate: the id keeps the Indonesian name
                if joining or (units and unit[0] == "proper" == units[-1][0]):
                    kind = "name" if "name" in (unit[0], units[-1][0]) else units[-1][0]
                    units[-1] = (kind, units[-1][1] + ("-" if joining else " ") + unit[1])
                else:
                    units.append(unit)
                joining = False
        return units

    def _is_proper_name_piece(self, token: Token) -> bool:
        """ "Pitch", "G7": kept as written in an English name; "Kemenangan" (a common word) is not."""
        if is_acronym(token) or token.like_num:
            return True
        return is_name_token(token) and token.lower_ not in self.gaz.common_words

    def _event_word(self, doc: Doc, i: int, end: int) -> EventWord | None:
        """The longest gaz_event_words entry starting at token i (within the name)."""
        for length in range(min(self.event_word_length, end - i), 0, -1):
            word = self.gaz.event_words.get(tuple(t.lower_ for t in doc[i:i + length]))
            if word:
                return word
        return None

    def _tail_mention(self, ctx: DocContext, cue: Cue, start: int, end: int, label: str) -> Mention | None:
        doc, i, country = ctx.doc, start, None
        while i > 0:
            prev = i - 1
            mention, demonym = ctx.by_end.get(i), ctx.demonym_by_end.get(i)
            if mention and mention.label in QUALIFIER_LABELS:
                i, country = mention.start, country or mention.country_iso3
            elif demonym:
                i, country = demonym.start, country or demonym.country_iso3
            elif is_name_token(doc[prev]) or is_acronym(doc[prev]) or self._joins_names_before(ctx, prev):
                i = prev
            elif doc[prev].text in POSSESSIVE_MARKS and prev > 0 and is_name_token(doc[prev - 1]):
                i = prev  # "ASEAN Foreign Ministers' Meeting"
            elif label == "EVENT" and (inner := self._inside_english_name(ctx, prev, i)) is not None:
                i = inner  # "Ministers Responsible for Trade Meeting", "Ministers Responsible for Trade (MRT) Meeting"
            else:
                break
        while i < start and (doc[i].lower_ in self.stop_words or doc[i].text in HYPHENS):
            i += 1  # "The Asian Development Bank": a capitalized article is not part of the name
        if i < start and ctx.starts[i] and doc[i].lower_ in self.gaz.common_words and i not in ctx.by_start:
            i += 1  # "Saham Qualtronic Inc …": a sentence's first word is capitalised anyway
        if i == start or (cue.weak and ctx.starts[i] and start - i < 2 and i not in ctx.by_start
                          and i not in ctx.demonym_by_start):
            return None
        number = ordinal_value(doc[i - 1].text) if i else None
        mention_start = i - 1 if number else i  # "58th ASEAN Foreign Ministers' Meeting"
        mention = self._pattern_mention(mention_start, end, label, doc[i:end].text, country, ctx, i)
        if label == "EVENT":
            # Known parts named as in the translation of an Indonesian name, so both languages share the id.
            known = [m for m in ctx.by_start.values() if i <= m.start and m.end <= start]
            # An Indonesian cue is translated too: "Indonesia Terbuka" is the Indonesia Open.
            word = self._event_word(doc, start, end)
            cue_english = word.english if word else doc[start:end].text
            english = f"{english_name(doc, i, start, known, event_part)} {cue_english}"
            self._name_event(ctx, mention, cue, english, number)
        elif number:
            mention.entity_id = english_id(label, "", doc[i:end].text, number)
        return mention

    @staticmethod
    def _inside_english_name(ctx: DocContext, prev: int, i: int) -> int | None:
        """Where the name goes on leftwards from token i over a connector between two name words ("…
        Responsible for Trade") or over an acronym in parentheses inside it; None when it does not."""
        doc = ctx.doc
        if doc[prev].lower_ in EVENT_CONNECTORS and doc[prev].lower_ != "the":
            return prev if prev > 0 and is_name_token(doc[prev - 1]) and is_name_token(doc[i]) else None
        if doc[prev].text == ")" and prev >= 3 and parenthesised_acronym(doc, prev - 2) \
                and is_name_token(doc[prev - 3]):
            return prev - 2
        return None

    def _opens_region(self, doc: Doc, i: int) -> bool:
        """An administrative region's head word ("Kota", "Kabupaten") with a name after it."""
        return doc[i].text in self.region_heads and i + 1 < len(doc) and self._is_name_word(doc[i + 1])

    def _is_name_word(self, token: Token) -> bool:
        capitalized = is_name_token(token) or is_acronym(token)
        return capitalized and not self.gaz.is_stopword(token.text, "name_stop")

    @staticmethod
    def _joins_names_before(ctx: DocContext, i: int) -> bool:
        """A hyphen between two names, scanning leftwards ("ASEAN-China Summit")."""
        doc = ctx.doc
        return doc[i].text in HYPHENS and i > 0 and (is_name_token(doc[i - 1]) or i in ctx.by_end)

    @staticmethod
    def _joins_names_after(ctx: DocContext, run_start: int, i: int, connectors: set[str], label: str) -> bool:
        """A hyphen or connector inside a name: "China-Asia Tengah", "Badan Pengawas Obat dan Makanan".

        Not "dan" before a known name ("Bank Dunia dan Indonesia"): that joins two entities.
        """
        doc = ctx.doc
        token = doc[i]
        if (token.text not in HYPHENS and token.lower_ not in connectors) or i + 1 >= len(doc):
            return False
        following_known = ctx.qualifier_at(i + 1) is not None
        if token.lower_ in connectors and following_known and label == "ORG":
            return False
        return is_name_token(doc[i + 1]) or is_acronym(doc[i + 1]) or following_known

    def _run_end(self, ctx: DocContext, i: int, label: str) -> tuple[int, str | None, list[Mention]]:
        """End of the capitalized name after a head cue, and the country a known name inside it gives."""
        doc, end = ctx.doc, i
        connectors = ORG_CONNECTORS if label == "ORG" else EVENT_CONNECTORS
        # An event's name may hold an office that introduces no one: "Pertemuan Menteri Luar Negeri ASEAN".
        blocked = ctx.person_starts | ctx.anchoring_titles if label == "EVENT" else ctx.blocked
        known: list[Mention] = []
        while end < len(doc) and end not in blocked:
            token = doc[end]
            if mention := ctx.qualifier_at(end):
                if label == "PLACE" and end > i and mention.label in ("COUNTRY", "PLACE"):
                    break  # "Gedung Utama Departemen Keuangan Jakarta": the city says where the building is
                end = mention.end
                known.append(mention)
                if label == "ORG" and mention.label in ("COUNTRY", "ORG"):
                    break  # "Kementerian Luar Negeri RI", "Bank Indonesia": the country closes the name
                if label == "ORG" and mention.label == "PLACE" \
                        and not self._joins_names_after(ctx, i, end, connectors, label):
                    break  # "Dinas Kominfo Kalimantan Timur Manto Lutama": a regional body's name ends in its region
            elif self._is_name_word(token) or self._joins_names_after(ctx, i, end, connectors, label):
                end += 1
            elif end > i and token.lower_ in NAME_PARTICLES and joins_particle(doc, end):
                end += 3  # "Brigade Ezzedine al-Qassam": a particle joined to the next name goes on the name
            elif end > i and token.text in HYPHENS and joins_lowercase_part(doc, end):
                end += 2  # "Economic Co-operation": a word hyphenated to a lowercase part stays whole
            elif label == "ORG" and self._opens_region(doc, end):
                end += 1  # "Dinas Kesehatan Kota Kupang": the region a regional body serves is part of its name
            else:
                break
        while end > i and doc[end - 1].text in HYPHENS:
            end -= 1
        # A name built on one known name belongs to its country ("Kementerian Luar Negeri China"); one joining
        # several ("KTT China-Asia Tengah", "Forum Bisnis Indonesia-China") belongs to none of them.
        country = known[0].country_iso3 if len(known) == 1 else None
        return end, country, known

    def _pattern_mention(self, start: int, end: int, label: str, canonical: str, country: str | None,
                         ctx: DocContext, name_start: int) -> Mention:
        last = ctx.by_end.get(end)
        if label == "ORG" and country and last and last.label == "COUNTRY" and last.start >= name_start:
            # One organization whatever the country is called ("… RI", "… Indonesia"): id ends in its ISO3,
            # unless it is a known body of that country ("Kementerian Luar Negeri RI" is org:kemlu).
            stem = canonical[: len(canonical) - len(ctx.doc[last.start:end].text)].strip()
            known = self.gaz.lookup(stem)
            if known and known.label == "ORG" and known.country_iso3 == country:
                return Mention(start, end, label, known.entity_id, known.canonical_name, country, None, "pattern")
            entity_id = f"org:{slugify(stem)}-{country.lower()}"
        else:
            entity_id = f"{label.lower()}:{slugify(canonical)}"
        return Mention(start, end, label, entity_id, canonical, country, None, "pattern")


ORDINAL_WORDS = {"pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
                 "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10}
NUMBER_IN_ORDINAL = re.compile(r"^(?:ke-?)?(\d+)(?:st|nd|rd|th)?$", re.IGNORECASE)


def ordinal_value(text: str) -> int | None:
    """17 for "ke-17", "17th", "ketujuh belas" is not handled; "kedua" is 2."""
    if text.lower() in ORDINAL_WORDS:
        return ORDINAL_WORDS[text.lower()]
    match = NUMBER_IN_ORDINAL.match(text)
    return int(match.group(1)) if match and (text[:2].lower() == "ke" or not text.isdigit()) else None


def ordinal_after(doc: Doc, i: int) -> tuple[int | None, int]:
    """The ordinal after an event's name and where the mention ends: "… ke-46" (kept in the mention), "… yang
    kedua" (left out of it)."""
    if i < len(doc) and (number := ordinal_value(doc[i].text)):
        if doc[i].is_alpha and i + 1 < len(doc) and doc[i + 1].lower_ in RELATIVE_WORDS:
            return None, i  # "KTT BRICS pertama yang diikutinya": the first one someone attends, not the 1st
        return number, i + 1
    if i + 2 < len(doc) and doc[i].lower_ == "ke" and doc[i + 1].text in HYPHENS and doc[i + 2].like_num:
        return ordinal_value("ke" + doc[i + 2].text), i + 3
    if i + 1 < len(doc) and doc[i].lower_ == "yang" and (number := ordinal_value(doc[i + 1].text)):
        return number, i
    if parenthesised_acronym(doc, i) and (number := ordinal_after(doc, i + 3)[0]):
        return number, i  # "Pertemuan … ASEAN (AMM) ke-58": the acronym stays free to name it later
    return None, i


YEAR = re.compile(r"^(?:19|20)\d\d$")
RELATIVE_WORDS = {"yang", "that", "which", "who"}
EDITION = re.compile(r"^(?P<series>.+)-(?P<number>\d+)$")


def sentence_year(doc: Doc, i: int) -> int | None:
    """The one year the sentence around token i names ("… pada November 2024, saat menghadiri KTT G20 …")."""
    sentence = doc[i].sent if doc.has_annotation("SENT_START") else doc[:]
    years = {int(t.text) for t in sentence if YEAR.match(t.text)}
    return years.pop() if len(years) == 1 else None


def link_editions(mentions: list[Mention]) -> None:
    """ "KTT BRICS pertama yang diikutinya … KTT BRICS ke-17": a dated series named without an edition is the
    one edition the article names, when it names exactly one."""
    editions: dict[str, set[str]] = {}
    for m in mentions:
        if m.label == "EVENT" and m.entity_id and (match := EDITION.match(m.entity_id)):
            editions.setdefault(match.group("series"), set()).add(m.entity_id)
    for m in mentions:
        if m.edition_open and len(found := editions.get(m.entity_id or "", set())) == 1:
            m.entity_id = next(iter(found))


def event_part(mention: Mention) -> str:
    """How an event's id names a known entity in it: an organization by its id's short name ("KTT OKI" and
    "OIC Summit" -> oic-summit), anything else by its canonical English name ("Asia Tengah" -> Central Asia)."""
    if mention.label == "ORG" and mention.entity_id:
        return mention.entity_id.partition(":")[2]
    return mention.canonical_name


def english_name(doc: Doc, start: int, end: int, known: list[Mention],
                 name_part: Callable[[Mention], str] | None = None) -> str:
    """The name with known parts in their canonical (English) form: "China-Asia Tengah" -> "China Central Asia"."""
    by_start = {m.start: m for m in known}
    words, i = [], start
    while i < end:
        if parenthesised_acronym(doc, i):
            i += 3  # "… for Trade (MRT) Meeting": the acronym repeats the name
        elif mention := by_start.get(i):
            words.append(name_part(mention) if name_part else mention.canonical_name)
            i = mention.end
        else:
            words.append(doc[i].text)
            i += 1
    return " ".join(words)


def english_id(label: str, template: str, name: str, number: int | None) -> str:
    """``event:asean-summit-46`` from ("{} Summit", "ASEAN", 46): English slugs, the ordinal last."""
    slug = slugify(template.format(name) if template else name)
    return f"{label.lower()}:{slug}-{number}" if number else f"{label.lower()}:{slug}"


def chain_start(doc: Doc, title_start: int, title_by_end: dict[int, tuple[int, Title]]) -> int:
    """Where a chain of titles ending at ``title_start`` begins: "Deputy Prime Minister and Foreign Minister"."""
    while title_start > 1 and doc[title_start - 1].lower_ in TITLE_CHAIN_WORDS and title_start - 1 in title_by_end:
        title_start = title_by_end[title_start - 1][0]
    return title_start


def joins_lowercase_part(doc: Doc, i: int) -> bool:
    """A hyphen at i glued to a name before it and a lowercase word after it: "Jae-myung", "Gyu-back"."""
    return (i + 1 < len(doc) and not doc[i - 1].whitespace_ and not doc[i].whitespace_
            and doc[i + 1].is_alpha and doc[i + 1].is_lower)


def phrase_patterns(nlp: Language, texts: list[str]) -> list[Doc | list[str]]:
    """Each text as the tokenizer splits it, for a PhraseMatcher: the words themselves where the split is plain.

    Building the pipelines is what a run waits for before its first extraction, and most of it was tokenizing
    the gazetteer's ~9,000 names: the tokenizer makes a lexeme (25 attributes) of each new word. A PhraseMatcher
    only compares the words' hashes, so a name of letters-only words the tokenizer has no special case for, which
    it splits at the spaces alone (``test_phrase_patterns_split_as_the_tokenizer_does``), gives its words; any
    other name is tokenized.
    """
    rules = nlp.tokenizer.rules or {}
    plain = [_plain_words(text, rules) for text in texts]
    tokenized = iter(nlp.tokenizer.pipe(text for text, words in zip(texts, plain, strict=True) if words is None))
    return [words if words is not None else next(tokenized) for words in plain]


def _plain_words(text: str, rules: dict) -> list[str] | None:
    words = text.split(" ")
    if all(word.isalpha() and word not in rules for word in words):
        return words
    return None


def joins_particle(doc: Doc, i: int) -> bool:
    """The particle at ``i`` is joined by a hyphen, with no space, to the name after it: "al-Assad", "el-Sisi"."""
    return (i + 2 < len(doc) and doc[i + 1].text in HYPHENS and not doc[i].whitespace_
            and not doc[i + 1].whitespace_ and is_name_token(doc[i + 2]))


# How many words after a title's portfolio an acronym spelling the office out may stand ("Menteri Energi dan Sumber
# Daya Mineral (ESDM)").
SPELLED_PORTFOLIO_REACH = 6


def spells_out(doc: Doc, start: int, end: int) -> bool:
    """The acronym in brackets at ``end`` is made of the initials of the capitalised words just before it
    ("Energi dan Sumber Daya Mineral (ESDM)"), which ``start`` bounds."""
    acronym = doc[end + 1].text
    initials = [t.text[0] for t in doc[start:end] if t.text[:1].isupper()]
    return len(initials) >= len(acronym) and "".join(initials[-len(acronym):]) == acronym


def parenthesised_acronym(doc: Doc, i: int) -> bool:
    """ "(KTT)", "(PM)", "(BPS)" starting at token i."""
    return i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and is_acronym(doc[i + 1])


def _ordinal_end(doc: Doc, i: int) -> int:
    """Skip "ke-47" (one token or three) after an event cue."""
    if i < len(doc) and ORDINAL.match(doc[i].text):
        return i + 1
    if i + 2 < len(doc) and doc[i].lower_ == "ke" and doc[i + 1].text in HYPHENS and doc[i + 2].like_num:
        return i + 3
    return i


def _is_capitalised_hyphenated(text: str) -> bool:
    return "-" in text and text[:1].isupper()


CAPITALISED_HYPHENATED = LexemeFlag(63, _is_capitalised_hyphenated)


def split_hyphenated_names(doc: Doc, known: set[str]) -> None:
    """Split "China-Tajikistan" into China / - / Tajikistan when the tokenizer kept it whole.

    Only tokens whose every part is capitalized and at least one part is a known name are split, so ordinary
    hyphenated words ("kerja-sama", "negara-negara") are left alone.
    """
    # A lexeme flag marks the candidates: most documents have none, and ``doc.text`` or a loop over the
    # tokens would build a Python object per token to find that out.
    candidates = numpy.flatnonzero(CAPITALISED_HYPHENATED.array(doc)).tolist()
    if not candidates or not _may_split(doc, {doc[i].text for i in candidates}):
        return
    to_split = []
    for i in candidates:
        token = doc[i]
        parts = token.text.split("-")
        if all(p[:1].isupper() for p in parts) and any(p in known for p in parts):
            to_split.append((token, parts))
    if not to_split:
        return
    with doc.retokenize() as retokenizer:
        for token, parts in to_split:
            orths = [piece for part in parts for piece in (part, "-")][:-1]
            heads = [(token, 0)] * len(orths)
            retokenizer.split(token, orths, heads=heads)


def _may_split(doc: Doc, candidates: set[str]) -> bool:
    """The rule's guard: a capital, then a hyphen before any whitespace, somewhere in the text.

    A candidate word passes it by itself unless it holds a non-breaking space; only then is the whole text
    (slow to build) searched.
    """
    return any(MAYBE_CAPITALISED_HYPHENATED.search(text) for text in candidates) \
        or MAYBE_CAPITALISED_HYPHENATED.search(doc.text) is not None


def read_mentions(doc: Doc, default_source: str) -> list[Mention]:
    """``doc.ents`` with their ``Span._`` attributes, as mentions (source ``default_source`` when unset)."""
    get = doc.user_data.get
    mentions = []
    for ent in doc.ents:
        start_char, end_char = ent.start_char, ent.end_char
        entity_id, canonical_name, country_iso3, role, source = [
            get(span_extension_key(name, start_char, end_char)) for name in MENTION_ATTRIBUTES]
        mentions.append(Mention(ent.start, ent.end, ent.label_, entity_id, canonical_name, country_iso3, role,
                                source or default_source))
    return mentions


def write_ents(doc: Doc, mentions: list[Mention]) -> None:
    """Set ``doc.ents`` from non-overlapping mentions and fill their ``Span._`` attributes."""
    set_entity_tokens(doc, mentions)
    if not mentions:
        return
    user_data = doc.user_data
    # The character bounds of the mentions' first and last tokens only: converting the doc's whole offset
    # columns to lists cost more than everything else here.
    offsets = doc.to_array([IDX, LENGTH])
    firsts, lasts = [m.start for m in mentions], [m.end - 1 for m in mentions]
    start_chars = offsets[firsts, 0].tolist()
    end_chars = (offsets[lasts, 0] + offsets[lasts, 1]).tolist()
    for m, start_char, end_char in zip(mentions, start_chars, end_chars, strict=True):
        values = (m.entity_id, m.canonical_name, m.country_iso3, m.role, m.source)  # as in MENTION_ATTRIBUTES
        for name, value in zip(MENTION_ATTRIBUTES, values, strict=True):
            key = span_extension_key(name, start_char, end_char)
            if value is not None:
                user_data[key] = value
            elif user_data.get(key) is not None:
                user_data[key] = None  # only then: a default (None) would cost a dict entry per span


def set_entity_tokens(doc: Doc, mentions: list[Mention]) -> None:
    """The token annotation ``doc.set_ents(spans, default="outside")`` writes, written as two arrays.

    ``set_ents`` compares its mode per token in Python and wants a ``Span`` object per entity; the arrays set
    the same IOB tags and types (B on a mention's first token, I on the rest, O elsewhere) in one call. Unlike
    ``set_ents`` it leaves ``ent_kb_id`` as it is: no ikrar component sets one. The columns are filled by
    index arrays, not per token in Python.
    """
    if not len(doc):
        return
    iob = numpy.full(len(doc), IOB_OUTSIDE, dtype="uint64")
    types = numpy.zeros(len(doc), dtype="uint64")
    if mentions:
        strings = doc.vocab.strings
        starts = numpy.array([m.start for m in mentions], dtype="int64")
        lengths = numpy.array([m.end for m in mentions], dtype="int64") - starts
        labels = numpy.array([strings.add(m.label) for m in mentions], dtype="uint64")
        # Every token of every mention: its mention's start plus its offset inside the mention.
        inside = numpy.repeat(starts - numpy.cumsum(lengths) + lengths, lengths) + numpy.arange(lengths.sum())
        iob[inside] = IOB_INSIDE
        iob[starts] = IOB_BEGIN
        types[inside] = numpy.repeat(labels, lengths)
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.stack([iob, types], axis=1))


@Language.factory(
    "ikrar_entity_rules",
    assigns=["doc.ents", "span._.entity_id", "span._.canonical_name", "span._.country_iso3", "span._.role",
             "span._.source"],
    default_config={"data_dir": None},
)
def make_entity_rules(nlp: Language, name: str, data_dir: str | None) -> EntityRules:
    return EntityRules(nlp, name, data_dir)
