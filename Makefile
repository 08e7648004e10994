# Two commands set up everything: `make run` and `make test`. Both create and reuse .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint install clean serve bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py validate_checklists
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

# The production stack on this machine: PostgreSQL (DATABASE_URL, created if missing), check --deploy,
# collectstatic, migrate, then gunicorn on 127.0.0.1:8000 for a TLS proxy in front. README: Operations.
serve: $(STAMP)
	$(PY) deploy/serve.py

# The benchmark (bench/README.md): the production stack on loopback, driven by its own load client; prints a
# table and writes bench/results.json. SQLite by default; PostgreSQL with a database of its own, e.g.
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/compliance_bench (dropped and created again).
bench: $(STAMP)
	$(PY) -m bench.run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
