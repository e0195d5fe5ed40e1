# The site on SQLite + Whoosh:  make run      The whole test suite:  make test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/peace_archive

.PHONY: install install-dev run serve test test-sqlite test-postgres lint format migrations-check system-deps bench load-test soak clean

# `make run` and `make serve` install what the site runs (requirements.txt); `make test`, `lint` and the
# benchmarks add the test and development tools (requirements-dev.txt) on top.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Test and development tools (requirements-dev.txt) on top of the runtime.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_corpus
	$(PY) manage.py rebuild_index --noinput
	$(PY) manage.py runserver 127.0.0.1:8000

# Production-style serving: hashed, compressed static files served by whitenoise, gunicorn on
# 127.0.0.1:$(PORT) (PORT=8000 by default). Set DJANGO_SECRET_KEY, DATABASE_URL etc. first
# (README, "Operations"); DJANGO_PRODUCTION=1 behind an HTTPS proxy.
PORT ?= 8000
serve: install
	DJANGO_MANIFEST_STATIC=1 $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_MANIFEST_STATIC=1 $(PY) manage.py migrate --noinput
	DJANGO_MANIFEST_STATIC=1 PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

system-deps:
	bash scripts/system-deps.sh

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

migrations-check: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: install-dev
	$(PY) -m pytest

test-postgres: install-dev
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

test: install-dev system-deps lint migrations-check test-sqlite test-postgres

# Benchmarks: each prints its figures (README, "Operations"). bench runs the quick ones.
bench: install-dev
	$(PY) benchmarks/import_quality.py
	$(PY) benchmarks/import_throughput.py
	$(PY) benchmarks/search_bench.py
	$(PY) benchmarks/export_memory.py

# 60 s of wrk against gunicorn, then 60 s more with editors saving; needs Debian's wrk.
load-test: install-dev
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) benchmarks/load_test.py

# 60 s of readers, two editors through the admin, a killed import and a rebuild at once; then lost
# edits, 5xx, "database is locked", check_index and the largest RSS (benchmarks/soak.py).
soak: install-dev
	$(PY) benchmarks/soak.py

clean:
	rm -rf $(VENV) var
