# The set-up commands of the README: `make demo`, `make test` and `make lint`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export DO_NOT_TRACK := 1
export RUNTIME__DLTHUB_TELEMETRY := false

.PHONY: install demo test test-fast lint bench bench-synth bench-emulator bench-crawl bench-rq2 bench-rq3 bench-pipeline bench-health bench-time bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

install: $(STAMP)

## the main job on the built-in offline demo: synthetic Hub -> emulator -> crawl -> dbt build -> report
demo: $(STAMP)
	$(BIN)/hubwh demo

## every test (pytest suites, which include dbt builds and data tests), a test file per worker
## process (pytest-xdist): half the wall time on 2 cores
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest tests -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## unit tests, pure-Python tests and the dbt unit tests: no synthetic Hub, no crawl, no warehouse (< 60 s)
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow"

## the lint gate: ruff (lint and format) over the Python, sqlfluff over the SQL (.sqlfluff)
## (PYTHONWARNINGS: sqlfluff's worker pool leaves a harmless resource_tracker warning at exit)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONWARNINGS=ignore:resource_tracker:UserWarning $(BIN)/sqlfluff lint models macros tests/data_tests snapshots --processes 2

## benchmarks (not tests): they print wall time, peak memory, requests, rows/s
bench: bench-synth bench-emulator bench-crawl bench-rq2 bench-rq3 bench-pipeline bench-health bench-time

bench-synth: $(STAMP)
	$(BIN)/python -m benchmarks.bench_synth

bench-emulator: $(STAMP)
	$(BIN)/python -m benchmarks.bench_emulator

bench-crawl: $(STAMP)
	$(BIN)/python -m benchmarks.bench_crawl

bench-rq2: $(STAMP)
	$(BIN)/python -m benchmarks.bench_rq2

bench-rq3: $(STAMP)
	$(BIN)/python -m benchmarks.bench_rq3

bench-pipeline: $(STAMP)
	$(BIN)/python -m benchmarks.bench_pipeline

bench-health: $(STAMP)
	$(BIN)/python -m benchmarks.bench_health
bench-time: $(STAMP)
	$(BIN)/python -m benchmarks.bench_time
## today's Hub (2.5 M models): synth -> snapshot load -> dbt build -> report -> export; make bench-scale ARGS="--scale 0.1 --json out.json"
bench-scale: $(STAMP)
	$(BIN)/python -m benchmarks.bench_scale $(ARGS)

clean:
	rm -rf target logs build warehouse.duckdb warehouse.published.duckdb .dlt/pipelines
