# Two commands set up everything: `make run` and `make test`. Both create and reuse .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint install clean serve bench bench-smoke constraints

# Exact versions from constraints.txt, so that every machine runs what CI tested; setuptools too, because the one
# a new venv brings has known vulnerabilities (security/advisories.yaml).
# pip names each package as it goes, so that the first run (a few minutes) is not silent.
$(STAMP): pyproject.toml constraints.txt
	@echo "== Setting up $(VENV) with the versions of constraints.txt (the first time takes a few minutes)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools -c constraints.txt
	$(PY) -m pip install --progress-bar off -e ".[dev]" -c constraints.txt
	touch $(STAMP)
	@echo "== $(VENV) is ready"

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py validate_checklists
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

# The production stack on this machine: PostgreSQL (DATABASE_URL, created if missing), check --deploy,
# collectstatic, migrate, then gunicorn on 127.0.0.1:8000 for a TLS proxy in front. docs/operations.md.
serve: $(STAMP)
	$(PY) deploy/serve.py

# The benchmark (bench/README.md): the production stack on loopback, driven by its own load client; prints a
# table and writes bench/results.json. SQLite by default; PostgreSQL with a database of its own, e.g.
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/compliance_bench (dropped and created again).
bench: $(STAMP)
	$(PY) -m bench.run

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The benchmark's whole scenario with tiny numbers, checked for errors (tests/test_bench_smoke.py); CI runs it.
bench-smoke: $(STAMP)
	$(PY) -m pytest -m bench tests/test_bench_smoke.py

# Besides style, types and the import contracts (pyproject.toml [tool.importlinter]), the security checks
# (SECURITY.md): bandit with the skips of pyproject.toml [tool.bandit], report/isolated.py alone also without the
# pickle checks, since it unpickles only what its own forked child wrote;
# then known vulnerabilities of the installed packages: pip-audit when its service answers, else
# security/advisories.yaml (scripts/audit_dependencies.py says which ran).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv
	$(VENV)/bin/bandit -q -c pyproject.toml -r compliance_wizard -x compliance_wizard/report/isolated.py
	$(VENV)/bin/bandit -q -c pyproject.toml -s B301,B403 compliance_wizard/report/isolated.py
	$(PY) scripts/audit_dependencies.py

# After a deliberate upgrade in .venv: write the installed versions to constraints.txt (keeps its comment lines).
constraints:
	{ grep '^#' constraints.txt; $(PY) -m pip freeze --all --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
