# Two entry points for a fresh machine (Python 3.10+ and a Java runtime):
#   make run   - create .venv, install the package, build the release into dist/ and print its summary
#   make test  - create .venv, install the package with its test extras, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test build clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

run: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	$(BIN)/dystonia-kg build --out dist --report dist/validation-report.json
	$(BIN)/dystonia-kg stats --release dist/dystonia.ttl

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) dist build site .pytest_cache

# Benchmarks (not part of the tests): writes BENCHMARKS.md. Takes several minutes (rdflib at 10^6 triples).
bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python benchmarks/run_benchmarks.py --out BENCHMARKS.md
