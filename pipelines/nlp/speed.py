"""Throughput of the Indonesian extraction pipeline against stock spaCy, measured in the same run.

    python -m pipelines.nlp.speed [--source corpus|seeds|conll|news] [--n 200] [--conll PATH] [--repeat 3]

Both pipelines read the same texts on one core:

1. reference: ``spacy.blank("id")`` + ``sentencizer``;
2. ikrar: ``build_nlp("id")`` (tokenizer, sentences, entity rules, trained NER, linker, commitments).

It prints words/s of each (whitespace words, the best of ``--repeat`` passes, so a noisy neighbour on a shared
machine counts less), their ratio, and each ikrar component's share of the pipeline's time. Texts:
``corpus`` the Indonesian stories of the synthetic benchmark corpus, ``seeds`` the Indonesian seed articles,
``conll`` the sentences of a CoNLL file (one doc each), ``news`` the same sentences as article-length docs
(``NEWS_SENTENCES_PER_DOC`` sentences in paragraphs of three, in file order): real news wording at the length
the pipeline reads in production, where one sentence per doc would mostly time per-doc overhead. Models are
loaded before the clock starts.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipelines.config import REPO_DIR

Text = tuple[str, list[tuple[int, int]]]  # body text and its paragraph bounds


def corpus_texts(n: int, seed: int = 7) -> list[Text]:
    from pipelines.benchmark.corpus import generate_article
    from pipelines.parse.article import parse_article

    texts, index = [], 0
    while len(texts) < n:
        stem, raw = generate_article(index, seed)
        index += 1
        if stem.endswith("_id"):
            parsed = parse_article(raw)
            texts.append((parsed.body_text, list(parsed.paragraphs)))
    return texts


def seed_texts(folder: Path = REPO_DIR / "seeds" / "articles") -> list[Text]:
    from pipelines.parse.article import parse_file_text
    from pipelines.parse.decode import decode_bytes

    texts = []
    for path in sorted(folder.glob("*.txt")):
        parsed = parse_file_text(decode_bytes(path.read_bytes()).text)
        if parsed.language == "id":
            texts.append((parsed.body_text, list(parsed.paragraphs)))
    return texts


def conll_texts(path: Path) -> list[Text]:
    from pipelines.scoring.ner import join_tokens, read_conll_file

    texts = []
    for sentence in read_conll_file(path):
        text = join_tokens(sentence.tokens)[0]
        texts.append((text, [(0, len(text))]))
    return texts


NEWS_SENTENCES_PER_DOC = 25  # ~500 words, an ANTARA article's length
NEWS_SENTENCES_PER_PARAGRAPH = 3


def news_texts(path: Path) -> list[Text]:
    sentences = [text for text, _ in conll_texts(path)]
    texts = []
    for first in range(0, len(sentences), NEWS_SENTENCES_PER_DOC):
        group = sentences[first:first + NEWS_SENTENCES_PER_DOC]
        paragraphs = [" ".join(group[i:i + NEWS_SENTENCES_PER_PARAGRAPH])
                      for i in range(0, len(group), NEWS_SENTENCES_PER_PARAGRAPH)]
        bounds, start = [], 0
        for paragraph in paragraphs:
            bounds.append((start, start + len(paragraph)))
            start += len(paragraph) + 2
        texts.append(("\n\n".join(paragraphs), bounds))
    return texts


def reference_nlp() -> Language:
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    return nlp


def make_docs(nlp: Language, texts: list[Text]) -> list[Doc]:
    docs = []
    for text, paragraphs in texts:
        doc = nlp.make_doc(text)
        if doc.has_extension("paragraphs"):
            doc._.paragraphs = paragraphs
        docs.append(doc)
    return docs


def words_per_second(nlp: Language, texts: list[Text], repeat: int) -> float:
    """Best of ``repeat`` passes of ``nlp.pipe`` over the texts, tokenization included.

    Each pass starts from an empty tokenizer cache, as a freshly loaded pipeline does: otherwise the second
    pass only looks words up, and the reference, which is little more than its tokenizer, gains most from it.
    """
    words = sum(len(text.split()) for text, _ in texts)
    best = float("inf")
    for _ in range(repeat):
        flush_tokenizer_cache(nlp)
        started = time.perf_counter()
        for _doc in nlp.pipe(_with_paragraphs(nlp, texts), batch_size=64):
            pass
        best = min(best, time.perf_counter() - started)
    return words / best


def flush_tokenizer_cache(nlp: Language) -> None:
    flush = getattr(nlp.tokenizer, "_flush_cache", None)  # spaCy has no public way to empty it
    if flush is not None:
        flush()


def _with_paragraphs(nlp: Language, texts: list[Text]):
    # nlp.pipe accepts Docs; paragraph bounds have to be on them before the sentencizer runs.
    for text, paragraphs in texts:
        doc = nlp.make_doc(text)
        if doc.has_extension("paragraphs"):
            doc._.paragraphs = paragraphs
        yield doc


def component_seconds(nlp: Language, texts: list[Text]) -> dict[str, float]:
    """Seconds spent in the tokenizer and in each component over the texts (one pass)."""
    flush_tokenizer_cache(nlp)
    started = time.perf_counter()
    docs = make_docs(nlp, texts)
    seconds = {"tokenizer": time.perf_counter() - started}
    for name, component in nlp.pipeline:
        started = time.perf_counter()
        runner: Callable = getattr(component, "pipe", None) or (lambda ds, c=component: map(c, ds))
        docs = list(runner(docs))
        seconds[name] = time.perf_counter() - started
    return seconds


def load_texts(source: str, n: int, conll: Path | None) -> list[Text]:
    if source == "seeds":
        return seed_texts()
    if source in ("conll", "news"):
        if conll is None:
            raise SystemExit(f"--source {source} needs --conll PATH")
        return conll_texts(conll) if source == "conll" else news_texts(conll)
    return corpus_texts(n)


def single_core() -> None:
    """Keep the measurement on one core: BLAS threads would spread the NER's matrix work."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", choices=("corpus", "seeds", "conll", "news"), default="corpus")
    parser.add_argument("--n", type=int, default=200, help="articles of the synthetic corpus")
    parser.add_argument("--conll", type=Path, help="CoNLL file for --source conll / news")
    parser.add_argument("--repeat", type=int, default=3, help="passes per pipeline; the best one counts")
    args = parser.parse_args(argv)
    single_core()
    from pipelines.nlp.pipeline import build_nlp

    texts = load_texts(args.source, args.n, args.conll)
    words = sum(len(text.split()) for text, _ in texts)
    reference, ikrar = reference_nlp(), build_nlp("id")
    # As in every extraction worker (``pipelines.extract_server``): the built pipelines and the texts are kept out
    # of the collector's rounds, for both pipelines alike.
    gc.freeze()
    reference_wps = words_per_second(reference, texts, args.repeat)
    ikrar_wps = words_per_second(ikrar, texts, args.repeat)
    shares = component_seconds(ikrar, texts)
    total = sum(shares.values())
    print(f"texts: {len(texts)} ({args.source}), words: {words:,}")
    print(f"reference blank('id') + sentencizer: {reference_wps:>10,.0f} words/s")
    print(f"ikrar build_nlp('id'):               {ikrar_wps:>10,.0f} words/s")
    print(f"ratio ikrar / reference:             {ikrar_wps / reference_wps:>10.3f}")
    for name, seconds in shares.items():
        print(f"  {name:<22} {seconds / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
