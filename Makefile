# Coproduce: `make run` serves the fictional demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): "auto" is one per CPU core; 0 runs everything in one process.
WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install run test lint format bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Coproduce needs Python 3.11 or newer.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 (Debian: apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.installed node_modules/.installed ## Create .venv and install pinned Python and front-end dependencies

run: install ## Serve the fictional demo on http://127.0.0.1:8000
	$(BIN)/coproduce migrate --noinput -v 0
	$(BIN)/coproduce demo --if-empty
	@echo ""
	@echo "Coproduce is starting on http://$(HOST):$(PORT)/ - sign in with an account above. Stop with Ctrl+C."
	$(BIN)/coproduce runserver $(HOST):$(PORT)

test: install ## Run every test, browser tests included (WORKERS=n processes, COVERAGE=1 measures coverage)
	@CHROMIUM_PATH="$$(scripts/find-chromium $(BIN))" || exit 1; \
	export CHROMIUM_PATH; \
	echo "Database: $${DATABASE_URL:-SQLite in memory}; browser: $$CHROMIUM_PATH; workers: $(WORKERS)"; \
	$(BIN)/pytest -n $(WORKERS) $(if $(COVERAGE),--cov)

lint: install ## Check Python (ruff) and templates (djlint): the pre-commit hooks, on every file
	$(BIN)/pre-commit run --all-files

format: install ## Format Python with ruff
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install ## Run the benchmarks in bench/ (installs the peer packages they compare with)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/spc_bench.py
	$(BIN)/python bench/reports_bench.py

clean: ## Remove the virtual environment, front-end packages and local data
	rm -rf $(VENV) node_modules var staticfiles
