import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipelines.benchmark.run import _tree_memory_kb, ensure_corpus


def test_tree_rss_includes_child_processes():
    child = subprocess.Popen([sys.executable, "-c", "x = bytearray(80_000_000); import time; time.sleep(3)"])
    try:
        time.sleep(1.0)
        status = Path(f"/proc/{os.getpid()}/status").read_text()
        alone = int(status.split("VmRSS:")[1].split()[0])
        rss_kb, _pss_kb = _tree_memory_kb(os.getpid())
        assert rss_kb >= alone + 70_000
    finally:
        child.kill()
        child.wait()


def test_corpus_is_generated_once(tmp_path):
    folder = ensure_corpus(tmp_path / "c", 3, 7)
    first = sorted(p.name for p in folder.rglob("*.txt"))
    (folder / "000" / first[0]).write_text("changed")
    ensure_corpus(tmp_path / "c", 3, 7)
    assert (folder / "000" / first[0]).read_text() == "changed"  # complete corpus kept as is
    assert len(first) == 3


def test_corpus_of_another_size_is_regenerated(tmp_path):
    ensure_corpus(tmp_path / "c", 3, 7)
    folder = ensure_corpus(tmp_path / "c", 5, 7)
    assert len(list(folder.rglob("*.txt"))) == 5


def test_measured_runs_cache_bytecode_under_the_workdir(tmp_path, monkeypatch):
    from pipelines.benchmark.run import child_environment

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = child_environment(tmp_path)
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "pycache")


def test_corpus_from_an_older_generator_is_regenerated(tmp_path, monkeypatch):
    from pipelines.benchmark import corpus

    data = tmp_path / "data"
    shutil.copytree(corpus.DATA_DIR, data)
    monkeypatch.setattr(corpus, "DATA_DIR", data)
    folder = ensure_corpus(tmp_path / "c", 3, 7)
    first = sorted(folder.rglob("*.txt"))[0]
    first.write_text("changed")
    grammar = data / "grammar_id.json"
    grammar.write_text(grammar.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new grammar version
    ensure_corpus(tmp_path / "c", 3, 7)
    assert first.read_text(encoding="utf-8") != "changed"


def test_generator_digest_follows_the_data_files(tmp_path, monkeypatch):
    from pipelines.benchmark import corpus
    from pipelines.benchmark.run import generator_digest

    data = tmp_path / "data"
    shutil.copytree(corpus.DATA_DIR, data)
    monkeypatch.setattr(corpus, "DATA_DIR", data)
    before = generator_digest()
    lexicon = data / "lexicon_en.json"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace('"expand"', '"enlarge"', 1), encoding="utf-8")
    assert generator_digest() != before


def test_speed_figures_are_those_of_the_median_round(monkeypatch):
    from pipelines.benchmark import run

    references = iter([100.0, 100.0, 50.0])
    extractions = iter([(30.0, 3.0), (20.0, 2.0), (20.0, 2.0)])  # ratios .30, .20, .40
    monkeypatch.setattr(run, "measure_reference", lambda bodies: next(references))
    monkeypatch.setattr(run, "measure_extraction", lambda files: next(extractions))
    speed = run.measure_speed(["body"], [], rounds=3)
    assert speed["extract_ratio"] == 0.3
    assert (speed["reference_wps"], speed["extract_wps"]) == (100.0, 30.0)
    assert [r["extract_ratio"] for r in speed["speed_rounds"]] == [0.3, 0.2, 0.4]


def test_table_shows_every_rounds_ratio():
    from pipelines.benchmark.run import _rounds_note

    assert _rounds_note([{"extract_ratio": 0.31}, {"extract_ratio": 0.29}, {"extract_ratio": 0.33}], "extract_ratio") \
        == " (median of 3 rounds: 0.310 0.290 0.330)"
    assert _rounds_note([{"extract_ratio": 0.31}], "extract_ratio") == ""


def test_incremental_figure_is_the_median_run():
    from pipelines.benchmark.run import median_by

    runs = [{"wall_s": 3.9}, {"wall_s": 3.1}, {"wall_s": 3.4}]
    assert median_by(runs, "wall_s") == {"wall_s": 3.4}
    assert median_by([{"wall_s": 2.0}], "wall_s") == {"wall_s": 2.0}


def test_table_shows_every_incremental_rounds_fraction():
    from pipelines.benchmark.run import _rounds_note

    assert _rounds_note([{"fraction": 0.046}, {"fraction": 0.051}], "fraction") == " (median of 2 rounds: 0.046 0.051)"
