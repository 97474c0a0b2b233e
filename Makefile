# Cabas — the two commands: `make run` (demo at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run test install lint format messages migrate demo bench bench-quick bench-peer screenshots clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: messages
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py demo_seed

run: assets demo
	bin/run-dev

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) bin/check_locks.py
	$(PY) bin/check_size.py
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: assets lint messages
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

# Front-end libraries from npm (package-lock.json), copied where Django serves static files.
.PHONY: assets
ASSETS_STAMP := static/vendor/.assets-stamp
$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	rm -rf static/vendor/leaflet
	mkdir -p static/vendor/leaflet
	cp -R node_modules/leaflet/dist/. static/vendor/leaflet/
	rm -rf static/vendor/chartjs
	mkdir -p static/vendor/chartjs
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map \
		node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	touch $(ASSETS_STAMP)

assets: $(ASSETS_STAMP)

# The benchmark (docs/performance.md): an order rush over the JSON API with gunicorn, the
# invariants checked in the database, the raw-SQL floor, and how the after-cutoff work scales.
# PostgreSQL when DATABASE_URL is set (the bench creates its own database there and drops it),
# SQLite otherwise (with a warning). The HTML rush serves the pages as in production: the npm
# assets, the compiled messages and collectstatic (run by the bench).
# Options: make bench BENCH_ARGS="--shoppers 32 --keep".
BENCH_ARGS ?=
bench: install assets messages
	$(PY) -m bench.run $(BENCH_ARGS)

bench-quick: install assets messages
	$(PY) -m bench.run --quick $(BENCH_ARGS)

# Issue 21's comparison in one run: a phase of the django-oscar peer right before each HTML
# phase. Start the peer first (docs/performance.md, "Running the peer beside the bench").
PEER_URL ?= http://127.0.0.1:8001
PEER_PID ?= $(shell cat /tmp/oscar-gunicorn.pid 2>/dev/null)
PEER_DATABASE ?= oscar_peer
bench-peer: install assets messages
	$(PY) -m bench.run --peer-url $(PEER_URL) --peer-pid $(PEER_PID) \
		--peer-database $(PEER_DATABASE) $(BENCH_ARGS)

# The coordinator guide's pictures of the dashboards (docs/img/), taken from the demo by the
# browser test that checks them (chromium from Debian).
screenshots: assets messages
	CABAS_SCREENSHOTS=docs/img $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_dashboard_demo.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
