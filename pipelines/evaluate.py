"""Score ikrar's extractors against gold data.

    python -m pipelines.evaluate ner PATH [--json] [--model-only]
    python -m pipelines.evaluate commitments [--gold DIR] [--json]
    python -m pipelines.evaluate entities [--gold DIR] [--json]

``ner`` scores the full entity extractor (``pipelines.nlp.pipeline.build_nlp("id")``) on a CoNLL BIO file;
``--model-only`` scores the trained NER alone. Each task is a subcommand whose ``add_*_command`` function
registers its arguments and handler, so a new task only adds one such function; scoring lives in
``pipelines.scoring``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language


def full_extractor_nlp() -> Language:
    """The pipeline the warehouse uses; until it exists, the model-only pipeline stands in (with a note)."""
    try:
        from pipelines.nlp.pipeline import build_nlp
    except ModuleNotFoundError as error:
        if error.name != "pipelines.nlp.pipeline":
            raise
        print("note: pipelines.nlp.pipeline not found; scoring the model-only pipeline", file=sys.stderr)
        return model_only_nlp()
    return build_nlp("id")


def model_only_nlp() -> Language:
    from pipelines.nlp.model_ner import build_model_only_nlp

    return build_model_only_nlp()


def run_ner(args: argparse.Namespace, nlp: Language | None = None) -> int:
    from pipelines.scoring.ner import read_conll_file, score_ner

    if nlp is None:
        nlp = model_only_nlp() if args.model_only else full_extractor_nlp()
    scores = score_ner(nlp, read_conll_file(args.path), geo_convention=args.geo_convention)
    print(json.dumps(scores.as_dict(), indent=2) if args.json else scores.table())
    return 0


def add_ner_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("ner", help="entity-level P/R/F1 on a CoNLL BIO file (PER/ORG/LOC)")
    parser.add_argument("path", type=Path, help="CoNLL file: token ... BIO tag per line, blank line between")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--model-only", action="store_true", help="score the trained NER without the rules")
    parser.add_argument(
        "--geo-convention", choices=("all", "locative"), default="all",
        help="all (default): every COUNTRY and PLACE counts as LOC; locative: a COUNTRY counts as LOC only where "
             "it names a location (after di/ke/dari …), as idner-news-2k annotates, not where it acts")
    parser.set_defaults(handler=run_ner)


def run_gold_scoring(args: argparse.Namespace) -> int:
    """Score the extraction pipeline against the seed gold with the chosen scoring module."""
    import importlib
    from functools import cache

    from pipelines.nlp.pipeline import build_nlp

    scoring = importlib.import_module(args.scoring_module)
    report = scoring.evaluate(args.gold, cache(build_nlp))
    print(json.dumps(report, indent=2) if args.json else scoring.format_table(report))
    return 0


def add_gold_command(commands: argparse._SubParsersAction, name: str, module: str, help_text: str) -> None:
    from pipelines.config import REPO_DIR

    parser = commands.add_parser(name, help=help_text)
    parser.add_argument("--gold", type=Path, default=REPO_DIR / "seeds" / "gold", help="folder of gold JSON files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run_gold_scoring, scoring_module=module)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipelines.evaluate", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_ner_command(commands)
    add_gold_command(commands, "commitments", "pipelines.scoring.commitments",
                     "commitment detection P/R/F1 and attribute accuracy against seeds/gold/")
    add_gold_command(commands, "entities", "pipelines.scoring.seed_entities",
                     "entity linking P/R/F1 per type against seeds/gold/")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
