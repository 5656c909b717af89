"""Scoring commitment extraction against the gold annotations in ``seeds/gold/``.

Gold locates each commitment by body paragraph, trigger word(s) and occurrence (so the reference article's gold
needs none of its text); its evidence span is the sentence that holds the trigger. A prediction *matches* a gold
commitment when their evidence spans overlap and their actor sets agree (one-to-one, nearest trigger first).
Attribute accuracy is computed over matched pairs; because actor agreement is part of that match, the actors
accuracy is also reported over a looser span-only matching, where it is informative.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from pipelines.config import REPO_DIR
from pipelines.extract import annotate
from pipelines.parse.article import parse_file_text
from pipelines.parse.decode import decode_bytes

ATTRIBUTES = ("speaker", "actors", "targets", "modality", "negated", "status")


@dataclass
class Item:
    """One commitment, gold or predicted, in comparable form."""

    start: int
    end: int
    trigger: int
    speaker: str | None
    actors: frozenset[str]
    targets: frozenset[str]
    modality: str
    negated: bool
    status: str
    domains: frozenset[str]


@dataclass
class ArticleScore:
    name: str
    language: str
    split: str
    gold: list[Item]
    predicted: list[Item]
    strict_pairs: list[tuple[Item, Item]] = field(default_factory=list)
    loose_pairs: list[tuple[Item, Item]] = field(default_factory=list)


def gold_files(gold_dir: Path) -> list[Path]:
    return sorted(gold_dir.glob("*.json"))


def resolve_article(gold: dict, gold_path: Path) -> Path:
    """Gold names its article relative to the repo root (``seeds/…`` or ``../shared/seeds/…``)."""
    return (REPO_DIR / gold["article"]).resolve()


def _sentence_span(doc, offset: int) -> tuple[int, int]:
    for sent in doc.sents:
        if sent.start_char <= offset < sent.end_char:
            return sent.start_char, sent.end_char
    raise ValueError(f"offset {offset} is in no sentence")


def _find_trigger(body: str, paragraph: tuple[int, int], trigger: str, occurrence: int) -> int:
    """Start of the ``occurrence``-th whole-word ``trigger`` in the paragraph, as the gold counts it: "akan"
    inside "merasakan" is no occurrence (seeds/README.md, Triggers)."""
    start, end = paragraph
    pattern = re.compile(rf"(?<!\w){re.escape(trigger)}(?!\w)")
    found = [m.start() for m in pattern.finditer(body, start, end)]
    if len(found) <= occurrence:
        raise ValueError(f"trigger {trigger!r} occurrence {occurrence} not found in paragraph")
    return found[occurrence]


def gold_items(entry_list: Iterable[dict], doc, paragraphs: list[tuple[int, int]]) -> list[Item]:
    items = []
    for entry in entry_list:
        trigger = _find_trigger(doc.text, paragraphs[entry["paragraph"]], entry["trigger"],
                                entry.get("occurrence", 0))
        start, end = _sentence_span(doc, trigger)
        items.append(Item(
            start, end, trigger, entry.get("speaker"), frozenset(entry["actors"]),
            frozenset(entry.get("targets", [])), entry["modality"], bool(entry.get("negated", False)),
            entry.get("status", "future"), frozenset(entry.get("domains", [])),
        ))
    return items


def predicted_items(doc) -> list[Item]:
    return [
        Item(c.start_char, c.end_char, c.trigger_start, c.speaker_id, frozenset(c.actor_ids),
             frozenset(t for t in c.target_ids if t not in c.actor_ids), c.modality, c.negated, c.status,
             frozenset(c.domains))
        for c in (doc._.commitments or [])
        if c.actor_ids
    ]


def _overlap(a: Item, b: Item) -> bool:
    return a.start < b.end and b.start < a.end


def match(gold: list[Item], predicted: list[Item], require_actors: bool) -> list[tuple[Item, Item]]:
    """One-to-one pairs: overlapping evidence (and equal actors if required), nearest triggers first."""
    candidates = sorted(
        (abs(g.trigger - p.trigger), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(predicted)
        if _overlap(g, p) and (not require_actors or g.actors == p.actors)
    )
    used_gold, used_pred, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def score_article(gold_path: Path, nlp_for: Callable[[str], Language]) -> ArticleScore:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    parsed = parse_file_text(decode_bytes(resolve_article(gold, gold_path).read_bytes()).text)
    doc = annotate(parsed, nlp_for(parsed.language))
    gold_list = gold_items(gold.get("commitments", []), doc, parsed.paragraphs)
    predicted = predicted_items(doc)
    score = ArticleScore(gold_path.stem, parsed.language, gold.get("split", "dev"), gold_list, predicted)
    score.strict_pairs = match(gold_list, predicted, require_actors=True)
    score.loose_pairs = match(gold_list, predicted, require_actors=False)
    return score


def _prf(n_gold: int, n_pred: int, n_match: int) -> dict[str, float]:
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "gold": n_gold, "predicted": n_pred, "matched": n_match}


def _jaccard(a: frozenset, b: frozenset) -> float:
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def _attribute_accuracy(pairs: list[tuple[Item, Item]]) -> dict[str, float]:
    if not pairs:
        return {name: 0.0 for name in (*ATTRIBUTES, "domains_jaccard")}
    result = {name: round(sum(getattr(g, name) == getattr(p, name) for g, p in pairs) / len(pairs), 4)
              for name in ATTRIBUTES}
    result["domains_jaccard"] = round(sum(_jaccard(g.domains, p.domains) for g, p in pairs) / len(pairs), 4)
    return result


def summarize(scores: list[ArticleScore]) -> dict:
    gold = sum(len(s.gold) for s in scores)
    predicted = sum(len(s.predicted) for s in scores)
    strict = [pair for s in scores for pair in s.strict_pairs]
    loose = [pair for s in scores for pair in s.loose_pairs]
    attributes = _attribute_accuracy(strict)
    attributes["actors_over_span_matches"] = _attribute_accuracy(loose)["actors"]
    return {
        "articles": len(scores),
        "detection": _prf(gold, predicted, len(strict)),
        "detection_span_only": _prf(gold, predicted, len(loose)),
        "attributes": attributes,
    }


def evaluate(gold_dir: Path, nlp_for: Callable[[str], Language]) -> dict:
    scores = [score_article(path, nlp_for) for path in gold_files(gold_dir)]
    report = {"all": summarize(scores)}
    for language in sorted({s.language for s in scores}):
        report[f"language={language}"] = summarize([s for s in scores if s.language == language])
    for split in sorted({s.split for s in scores}):
        report[f"split={split}"] = summarize([s for s in scores if s.split == split])
    report["per_article"] = {
        s.name: {"gold": len(s.gold), "predicted": len(s.predicted), "matched": len(s.strict_pairs)}
        for s in scores
    }
    return report


def format_table(report: dict) -> str:
    header = f"{'subset':<16}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}  " + "  ".join(
        f"{name[:8]:>8}" for name in (*ATTRIBUTES, "domainsJ"))
    lines = [header, "-" * len(header)]
    for subset, summary in report.items():
        if subset == "per_article":
            continue
        d, a = summary["detection"], summary["attributes"]
        values = [a[name] for name in ATTRIBUTES] + [a["domains_jaccard"]]
        lines.append(f"{subset:<16}{d['precision']:>7.3f}{d['recall']:>7.3f}{d['f1']:>7.3f}{d['gold']:>6}"
                     f"{d['predicted']:>6}  " + "  ".join(f"{v:>8.3f}" for v in values))
    return "\n".join(lines)
