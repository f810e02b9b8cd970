# Two entry points for a fresh machine (Python 3.10+ and a Java runtime):
#   make run   - create .venv, install the package, build the release into dist/ and print its summary
#   make test  - create .venv, install the package with its test extras, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test build clean bench bench-diagnosis system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

run: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	$(BIN)/dystonia-kg build --out dist --report dist/validation-report.json
	$(BIN)/dystonia-kg stats --release dist/dystonia.ttl

test: $(BIN)/python system-deps
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pytest

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
	$(BIN)/python benchmarks/run_benchmarks.py --out BENCHMARKS.md
	$(MAKE) bench-diagnosis

# The diagnosis on the published development cases, beside a Resnik baseline: its own section of BENCHMARKS.md.
bench-diagnosis: $(BIN)/python
	$(BIN)/dystonia-kg build --out dist >/dev/null
	$(BIN)/python benchmarks/diagnosis_benchmark.py --out BENCHMARKS.md
