# The two commands of the README. Each does its own set-up: a virtual
# environment with the package, and (on first broker start) Apache Kafka's
# artifacts from Maven Central into ~/.cache/conflictwatch.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast bench install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/conflictwatch demo

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q -rs

# Without the slow end-to-end and fault-injection tests.
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -q -rs -m "not slow"

bench: $(BIN)/.installed
	$(BIN)/python bench/pipeline_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
