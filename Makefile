# The two commands of the README. Each does its own set-up: a virtual
# environment with the package, and (on first broker start) Apache Kafka's
# artifacts from Maven Central into ~/.cache/conflictwatch.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast fuzz-full bench install browser dashboard-assets clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/conflictwatch demo

test: $(BIN)/.installed browser
	$(BIN)/python -m pytest -q -rs

# The dashboard test drives Debian's Chromium through Playwright (never a
# downloaded browser). Installed here when possible; otherwise that one test skips.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the dashboard test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed; the browser test will be skipped"; \
	else echo "no /usr/bin/chromium and no root apt-get: the browser test will be skipped"; fi

# Re-vendor the dashboard's map files (npm pack of pinned versions; needs network).
# The output is committed, so nothing else needs npm.
dashboard-assets: $(BIN)/.installed
	$(BIN)/python tools/build_dashboard_assets.py

# Without the slow end-to-end and fault-injection tests.
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -q -rs -m "not slow"

# The fuzz suite's stream test at full size (CI runs it with 300 records).
fuzz-full: $(BIN)/.installed
	CONFLICTWATCH_TEST_FUZZ_RECORDS=10000 $(BIN)/python -m pytest -q -rs -s -m fuzz tests/fuzz

bench: $(BIN)/.installed
	$(BIN)/python bench/pipeline_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
