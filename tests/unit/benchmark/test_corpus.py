"""The synthetic benchmark corpus: deterministic, realistic in shape, and readable by the article parser."""

import hashlib
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from random import Random

import pytest

from pipelines.benchmark import corpus
from pipelines.benchmark.corpus import (
    MAX_WORDS,
    MIN_WORDS,
    english_forms,
    generate_article,
    lexical_stats,
    main,
    nasal_prefixed,
    write_corpus,
)
from pipelines.parse.article import parse_file_text

SEED = 7
REPO_DIR = Path(__file__).resolve().parents[3]
SAMPLE = 200
# Written out here, not taken from the generator's data, so the check does not share its mistakes.
WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
FIRST_DATE = re.compile(r"\b(?P<weekday>[A-Z][a-z]+) \((?:(?P<day>\d{1,2})/(?P<month>\d{1,2})|"
                        r"(?P<month_name>[A-Z][a-z]+) (?P<day_after>\d{1,2}))\)")
COPYRIGHT = re.compile(r"^Copyright © ANTARA (\d{4})$", re.MULTILINE)
DATELINE = re.compile(r"^[A-Z][\w.' -]+ \(ANTARA\) - \S")


@pytest.fixture(scope="module")
def sample() -> list[tuple[str, str]]:
    return [generate_article(index, SEED) for index in range(SAMPLE)]


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*.txt"))}


def test_same_seed_writes_the_same_bytes(tmp_path):
    write_corpus(tmp_path / "first", 30, SEED)
    write_corpus(tmp_path / "second", 30, SEED)
    assert _files(tmp_path / "first") == _files(tmp_path / "second")


def test_article_does_not_depend_on_corpus_size(tmp_path):
    write_corpus(tmp_path / "small", 5, SEED)
    write_corpus(tmp_path / "large", 60, SEED)
    small, large = _files(tmp_path / "small"), _files(tmp_path / "large")
    assert small == {name: large[name] for name in small}


def _digest(count: int) -> str:
    digest = hashlib.sha256()
    for index in range(count):
        digest.update(generate_article(index, SEED)[1].encode("utf-8"))
    return digest.hexdigest()


def test_articles_do_not_depend_on_hash_randomization():
    script = ("import hashlib; from pipelines.benchmark.corpus import generate_article; d = hashlib.sha256(); "
              f"[d.update(generate_article(i, {SEED})[1].encode('utf-8')) for i in range(50)]; print(d.hexdigest())")
    environment = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO_DIR)}
    other_process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                   env=environment, cwd=REPO_DIR)
    assert other_process.stdout.strip() == _digest(50)


def test_different_seeds_give_different_articles():
    assert all(generate_article(index, 7)[1] != generate_article(index, 8)[1] for index in range(20))


def test_files_are_sharded_by_thousand_and_named_by_index_and_language(tmp_path):
    total_words = write_corpus(tmp_path, 1003, SEED)
    files = sorted(tmp_path.rglob("*.txt"))
    assert [path.parent.name for path in files].count("000") == 1000
    assert [path.name[:6] for path in files if path.parent.name == "001"] == ["001000", "001001", "001002"]
    assert all(re.fullmatch(r"\d{6}_(id|en)\.txt", path.name) for path in files)
    assert total_words == sum(len(path.read_text(encoding="utf-8").split()) for path in files)


def test_command_line_writes_n_articles(tmp_path, capsys):
    main(["--n", "12", "--out", str(tmp_path), "--seed", "3"])
    assert len(list(tmp_path.rglob("*.txt"))) == 12
    assert "12 articles" in capsys.readouterr().out


def test_word_counts_are_within_bounds(sample):
    counts = [len(text.split()) for _, text in sample]
    assert min(counts) >= MIN_WORDS and max(counts) <= MAX_WORDS


def test_word_counts_spread_over_the_range(sample):
    counts = [len(text.split()) for _, text in sample]
    assert sum(count < 450 for count in counts) > SAMPLE // 10
    assert sum(count > 750 for count in counts) > SAMPLE // 10


def test_weekday_agrees_with_date_and_copyright_year(sample):
    for stem, text in sample:
        first_paragraph = text.split("\n\n")[0]
        found = FIRST_DATE.search(first_paragraph)
        assert found, stem
        year = int(COPYRIGHT.search(text).group(1))
        if found["day"]:
            day, month = int(found["day"]), int(found["month"])
        else:
            day, month = int(found["day_after"]), MONTHS.index(found["month_name"].lower()) + 1
        assert date(year, month, day).weekday() == WEEKDAYS[found["weekday"].lower()], stem


def test_both_languages_present_in_a_sample(sample):
    english = sum(stem.endswith("_en") for stem, _ in sample)
    assert 0.1 * SAMPLE < english < 0.4 * SAMPLE


def test_footer_and_legal_notice_close_every_article(sample):
    for stem, text in sample:
        reporter = "Reporter" if stem.endswith("_en") else "Pewarta"
        footer, notice = text.rstrip("\n").split("\n\n")[-2:]
        lines = footer.split("\n")
        assert lines[0].startswith(f"{reporter}: "), stem
        assert lines[-2].startswith("Editor: "), stem
        assert COPYRIGHT.fullmatch(lines[-1]), stem
        assert "ANTARA" in notice, stem


def test_dateline_opens_every_article(sample):
    assert all(DATELINE.match(text) for _, text in sample)


def test_english_articles_carry_the_jakarta_dateline(sample):
    assert all(text.startswith("Jakarta (ANTARA) - ") for stem, text in sample if stem.endswith("_en"))


def test_parser_reads_language_and_date_without_weekday_mismatch(sample):
    for stem, text in sample:
        parsed = parse_file_text(text)
        assert parsed.language == stem[-2:], stem
        assert parsed.published_date is not None, stem
        assert parsed.published_date.year == parsed.copyright_year, stem
        assert "weekday_mismatch" not in {issue.code for issue in parsed.issues}, stem


def test_person_names_vary(sample):
    editors = {line for _, text in sample for line in text.split("\n") if line.startswith("Editor: ")}
    assert len(editors) > 0.9 * SAMPLE


def test_no_text_from_the_reference_article(sample, reference_article_path):
    """No run of eight words from the reference article appears in generated stories."""
    words = reference_article_path.read_text(encoding="utf-8").split()
    shingles = {" ".join(words[start:start + 8]) for start in range(len(words) - 7)}
    generated = "\n".join(" ".join(text.split()) for _, text in sample)
    assert not [shingle for shingle in shingles if shingle in generated]


def test_article_does_not_depend_on_generation_order():
    in_order = {index: generate_article(index, SEED) for index in range(6)}
    assert {index: generate_article(index, SEED) for index in (5, 2, 0, 4, 1, 3)} == in_order


class _OnlyRandom(Random):
    """A Random whose other draws fail: their output may change between Python versions."""

    def _refuse(self, *args, **kwargs):
        raise AssertionError("the generator must only call random()")

    choice = choices = randint = randrange = shuffle = sample = uniform = gauss = getrandbits = _refuse


def test_generator_only_calls_random(monkeypatch):
    monkeypatch.setattr(corpus, "Random", _OnlyRandom)
    assert all(generate_article(index, SEED)[1] for index in range(40))


def _first_tokens_stats(language: str, tokens: int = 10_000) -> dict:
    texts, count, index = [], 0, 0
    while count < tokens:
        stem, text = generate_article(index, SEED)
        index += 1
        if stem.endswith(f"_{language}"):
            texts.append(text)
            count += len(text.split())
    return lexical_stats(texts)


# Real Indonesian news has some 3,300 word types per 10k tokens; the first grammar gave about 950 (id) and
# 1,050 (en), few enough for a tokenizer cache to answer almost every lookup and flatter the reference's speed.
@pytest.mark.parametrize(("language", "minimum"), [("id", 2400), ("en", 2000)])
def test_vocabulary_is_news_like_in_size(language, minimum):
    assert _first_tokens_stats(language)["types_10k"] >= minimum


@pytest.mark.parametrize("language", ["id", "en"])
def test_capitalised_share_is_news_like(language):
    assert 0.17 <= _first_tokens_stats(language)["capitalised_share"] <= 0.25


def test_lexical_stats_counts_case_sensitive_types_and_capitalised_tokens():
    stats = lexical_stats(["Kapal itu berlayar ke Ambon.", "kapal-kapal kecil, Kapal besar"], sizes=(5, 11))
    assert stats["tokens"] == 11
    assert stats["types_5"] == 5  # Kapal itu berlayar ke Ambon
    assert stats["types_11"] == 10  # "Kapal" twice; "kapal-kapal" is one token of its own
    assert stats["capitalised_share"] == round(3 / 11, 3)


def test_lexical_stats_gives_none_for_a_size_beyond_the_text():
    assert lexical_stats(["dua kata"], sizes=(10_000,))["types_10k"] is None


def test_stats_command_prints_figures_per_language(tmp_path, capsys):
    write_corpus(tmp_path, 12, SEED)
    main(["--stats", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["all", "id", "en"]
    assert all("capitalised_share" in line for line in lines)


@pytest.mark.parametrize(("root", "expected"), [
    ("bangun", "membangun"), ("tanam", "menanam"), ("kelola", "mengelola"), ("simpan", "menyimpan"),
    ("pasok", "memasok"), ("produksi", "memproduksi"), ("stabil", "menstabilkan"), ("periksa", "memeriksa"),
    ("perkuat", "memperkuat"), ("latih", "melatih"), ("ubah", "mengubah"), ("cek", "mengecek"),
    ("cair", "mencair"), ("dorong", "mendorong"), ("ganti", "mengganti"), ("isi", "mengisi"), ("uji", "menguji"),
])
def test_men_prefix_follows_nasal_assimilation(root, expected):
    suffix = "kan" if expected.endswith("kan") else ""
    assert nasal_prefixed("me", root) + suffix == expected


def test_pen_prefix_uses_the_same_assimilation():
    assert [nasal_prefixed("pe", root) + "an" for root in ("kirim", "salur", "periksa", "teliti")] == [
        "pengiriman", "penyaluran", "pemeriksaan", "penelitian"]


@pytest.mark.parametrize(("entry", "expected"), [
    ("reduce", ("reduce", "reduces", "reduced", "reducing")),
    ("supply:supplied", ("supply", "supplies", "supplied", "supplying")),
    ("plan:planned:planning", ("plan", "plans", "planned", "planning")),
    ("build:built", ("build", "builds", "built", "building")),
    ("finish", ("finish", "finishes", "finished", "finishing")),
])
def test_english_verb_forms(entry, expected):
    forms = english_forms(entry)
    assert (forms["v_base"], forms["v_s"], forms["v_ed"], forms["v_ing"]) == expected
