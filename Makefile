# ikrar — every target installs what it needs on a fresh machine (Python 3.11 and make).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
IKRAR_INBOX ?= $(CURDIR)/seeds/articles
IKRAR_WAREHOUSE ?= $(CURDIR)/data/ikrar.duckdb
DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export IKRAR_INBOX IKRAR_WAREHOUSE DAGSTER_HOME
export PYTHONPATH := $(CURDIR)

.PHONY: install demo test lint ui sql eval eval-seeds train-ner bench bench-nlp bench-corpus clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	@touch $@

install: $(STAMP)

$(DAGSTER_HOME)/dagster.yaml:
	@mkdir -p $(DAGSTER_HOME)
	@printf 'telemetry:\n  enabled: false\n' > $@

demo: install $(DAGSTER_HOME)/dagster.yaml
	@mkdir -p $(dir $(IKRAR_WAREHOUSE))
	$(BIN)/dagster job execute -m assets.definitions -j ikrar_job
	@$(BIN)/python -m pipelines.report $(IKRAR_WAREHOUSE)

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .

ui: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m assets.definitions -h 127.0.0.1 -p 3000

sql: install
	@test -f $(IKRAR_WAREHOUSE) || { echo "no warehouse at $(IKRAR_WAREHOUSE): run make demo first"; exit 1; }
	$(BIN)/duckdb -readonly $(IKRAR_WAREHOUSE)

IDNER ?= ../shared/eval/idner-news-2k

eval: install
	$(BIN)/python -m pipelines.evaluate ner $(IDNER)/test.txt
	$(BIN)/python -m pipelines.evaluate ner $(IDNER)/test.txt --json
	@echo "with idner's convention for countries (LOC only where a country names a location):"
	$(BIN)/python -m pipelines.evaluate ner $(IDNER)/test.txt --geo-convention locative

eval-seeds: install
	$(BIN)/python -m pipelines.evaluate entities
	$(BIN)/python -m pipelines.evaluate commitments

train-ner: install
	$(BIN)/python -m pipelines.nlp.train_ner

N ?= 10000
BENCH_ARGS ?=

bench-nlp: install
	$(BIN)/python -m pipelines.nlp.speed --source corpus
	$(BIN)/python -m pipelines.nlp.speed --source news --conll $(IDNER)/train.txt

bench: install
	$(BIN)/python -m pipelines.benchmark.run --n $(N) $(BENCH_ARGS)

bench-corpus: install
	$(BIN)/python -m pipelines.benchmark.corpus --n $(N) --out bench/corpus/n$(N)-s7

clean:
	rm -rf data .dagster_home .pytest_cache .ruff_cache
