# `make run` and `make test` are all a new clone needs: both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test check bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "unknot needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/unknot $(ARGS)

# Twice as many workers as this 2-core machine has cores: many tests wait on a real terminal or
# a real clock, and the waits of one worker overlap the work of another (2 workers: 4 min 15 s,
# 4 workers: 2 min 57 s, measured on 2026-12-06). Tests wait for events, never for times, so a
# busier machine makes them slower, not flaky.
TEST_WORKERS ?= 4

# Bytecode, the tests' rewritten asserts included, is kept under .venv even where the shell
# sets PYTHONDONTWRITEBYTECODE: without it every worker compiled every test module again (4 s of
# CPU each) and every program a test starts compiled the modules of tui it imports.
PYCACHE := $(CURDIR)/$(VENV)/pycache

# --dist worksteal: a worker left with nothing to do takes half of another's queue. With
# xdist's default each worker was handed long runs of neighbouring tests, and one could still
# have 30 s of app tests queued when the other three were done (measured: the last worker ended
# 34 s after the others; with worksteal all four ended within 4 s of each other).
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX="$${PYTHONPYCACHEPREFIX:-$(PYCACHE)}" \
		$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check tui tests bench
	$(BIN)/ruff format --check tui tests bench
	$(BIN)/mypy
	$(BIN)/mypy bench

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
