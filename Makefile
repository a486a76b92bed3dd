# Two commands on a fresh machine: `make run` and `make test`.
# Everything is installed into .venv from the hashed lock file, so nothing relies on
# what happens to be installed on the machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint typecheck security pytest bench lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/peerprinciples serve --demo

test: $(STAMP) lint typecheck security pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The security checks (docs/deployment.md#the-security-checks): bandit finds no problem of
# medium or high severity in the source (each one judged safe carries "# nosec B<number>"
# and a comment saying why); pip-audit finds no known vulnerability in any locked package,
# where its advisory service can be reached (otherwise it says it skipped); and Django's
# deployment check finds nothing to warn about in the production settings the deployment
# guide gives (docs/examples/production.env).
# bandit warns about every other part of a marked line that has no finding; those warnings
# are dropped, anything else it says is shown.
security: $(STAMP)
	$(BIN)/bandit --configfile pyproject.toml --severity-level medium --quiet --recursive src \
		2>$(VENV)/bandit.log; status=$$?; grep -v "but no failed test" $(VENV)/bandit.log >&2; \
		exit $$status
	$(BIN)/python scripts/audit-dependencies requirements.lock
	BIN=$(BIN) scripts/check-deploy docs/examples/production.env

# The tests run in parallel, one worker per core (pytest-xdist): PYTEST_WORKERS=3 chooses the
# number, PYTEST_WORKERS=0 runs them in this process (a machine with one core does that anyway;
# see tests/conftest.py). Each worker has its own test database; idle workers take the next test
# (--dist=load). The browser tests are handed out first (tests/conftest.py), so their long stories
# run while the short tests fill the time around them; a worker keeps one chromium for the browser
# tests it runs in a row (tests/browser/conftest.py). Grouping modules onto one worker (loadgroup)
# is ignored by pytest-xdist 3.8 under pytest 9.2 (pytest-xdist issue 1386).
PYTEST_WORKERS ?= auto

pytest: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || command -v "$${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || \
		echo "NOTE: browser tests will be SKIPPED: Debian's chromium is not installed (apt-get install chromium)."
	$(BIN)/python -m pytest --numprocesses=$(PYTEST_WORKERS) --dist=load $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Regenerate the lock after changing dependencies in pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile pyproject.toml --extra dev \
		--python-version 3.11 --generate-hashes --no-header -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
