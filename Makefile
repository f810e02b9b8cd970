# Two entry points for a fresh machine (Python 3.10+ and a Java runtime):
#   make run   - create .venv, install the package with the extras every README command needs (server: the
#                SPARQL server behind `serve`; obo: OBO files for `load`), build the release into dist/ and
#                print its summary
#   make test  - create .venv, install the package with its test extras, run lint, types, layers and every test
# and one for every commit, once installed:
#   make check - lint, types, layers and the fast tests (not those marked slow)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# pytest-xdist workers; tests that start servers or browsers pick free ports and private folders.
WORKERS ?= 2

.PHONY: run test check lint tables build clean bench bench-diagnosis system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

run: $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[server,obo]'
	$(BIN)/dystonia-kg build --out dist --report dist/validation-report.json
	$(BIN)/dystonia-kg stats --release dist/dystonia.ttl

test: $(BIN)/python system-deps
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -q

check: lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -q -m "not slow"

# ruff (rule set in pyproject.toml), mypy on src/ (strict enough to be useful, see pyproject.toml), and the
# import-linter contracts that keep the layers pointing one way.
lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Rewrite the curated tables (ontology/axioms, ontology/mappings) in canonical form: sorted rows, no stray lines.
tables: $(BIN)/python
	$(BIN)/dystonia-kg tables --fix

# Graphviz draws the diagrams; headless Chromium checks the HTML reference in tests. Installed with
# Debian's packages when missing and running as root (CI); otherwise the command to run is printed.
SYSTEM_PACKAGES := graphviz chromium chromium-driver
system-deps:
	@missing=""; for tool in dot chromium chromedriver; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing (apt-get: $(SYSTEM_PACKAGES))"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "missing$$missing: install them with: sudo apt-get install $(SYSTEM_PACKAGES)"; fi; \
	fi

clean:
	rm -rf $(VENV) dist build site .pytest_cache

# Benchmarks (not part of the tests): writes BENCHMARKS.md. Takes several minutes (rdflib at 10^6 triples).
bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m benchmarks.run_benchmarks --out BENCHMARKS.md
	$(BIN)/python -m benchmarks.cli_speed --release dist/dystonia.ttl --out BENCHMARKS.md
	$(BIN)/python -m benchmarks.layer_benchmarks --out BENCHMARKS.md
	$(MAKE) bench-diagnosis

# The diagnosis on the published development cases, beside a Resnik baseline: its own section of BENCHMARKS.md.
bench-diagnosis: $(BIN)/python
	$(BIN)/dystonia-kg build --out dist >/dev/null
	$(BIN)/python -m benchmarks.diagnosis_benchmark --out BENCHMARKS.md
