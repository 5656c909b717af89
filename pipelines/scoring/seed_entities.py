"""Scoring entity linking against the seed gold: does each article yield the gold entity ids and types?

The gold lists every entity worth finding in an article, once (with its aliases); a prediction is the set of
(entity_id, entity_type) an article's mentions link to. This measures linking and typing, which token-level NER
scores (``pipelines.scoring.ner``) cannot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

from pipelines.config import REPO_DIR
from pipelines.extract import annotate
from pipelines.parse.article import parse_file_text
from pipelines.parse.decode import decode_bytes


def _prf(gold: set, predicted: set) -> dict[str, float]:
    matched = len(gold & predicted)
    precision = matched / len(predicted) if predicted else 0.0
    recall = matched / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "gold": len(gold), "predicted": len(predicted), "matched": matched}


def evaluate(gold_dir: Path, nlp_for: Callable[[str], Language]) -> dict:
    gold_all: set[tuple] = set()
    predicted_all: set[tuple] = set()
    people: list[tuple[str, str | None, str | None]] = []
    predicted_people: dict[str, tuple[str | None, str | None]] = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        parsed = parse_file_text(decode_bytes((REPO_DIR / gold["article"]).read_bytes()).text)
        doc = annotate(parsed, nlp_for(parsed.language))
        gold_all |= {(path.stem, e["entity_id"], e["type"]) for e in gold["entities"]}
        predicted_all |= {(path.stem, ent._.entity_id, ent.label_) for ent in doc.ents if ent._.entity_id}
        people += [(e["entity_id"], e["role"], e["country_iso3"]) for e in gold["entities"] if e["type"] == "PERSON"]
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent._.entity_id and (ent._.role or ent._.country_iso3):
                predicted_people[ent._.entity_id] = (ent._.role, ent._.country_iso3)
    report = {"all": _prf(gold_all, predicted_all)}
    for entity_type in ("PERSON", "COUNTRY", "PLACE", "ORG", "EVENT"):
        report[entity_type] = _prf({g for g in gold_all if g[2] == entity_type},
                                   {p for p in predicted_all if p[2] == entity_type})
    found = [(pid, role, iso3) for pid, role, iso3 in people if pid in predicted_people]
    report["person_role_accuracy"] = round(
        sum(predicted_people[pid][0] == role for pid, role, _ in found) / len(found), 4) if found else 0.0
    report["person_country_accuracy"] = round(
        sum(predicted_people[pid][1] == iso3 for pid, _, iso3 in found) / len(found), 4) if found else 0.0
    return report


def format_table(report: dict) -> str:
    lines = [f"{'type':<10}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}", "-" * 43]
    for name, row in report.items():
        if isinstance(row, dict):
            lines.append(f"{name:<10}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}"
                         f"{row['gold']:>6}{row['predicted']:>6}")
    lines.append(f"person role accuracy {report['person_role_accuracy']:.3f}, "
                 f"country accuracy {report['person_country_accuracy']:.3f}")
    return "\n".join(lines)
