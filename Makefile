# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WeasyPrint's libraries (HarfBuzz's subsetter keeps PDF fonts small and fast) and a CJK font for the PDFs.
# OpenLDAP's and SASL's headers, which python-ldap (sign-in through the institution's directory) builds against.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext libldap2-dev libsasl2-dev
# The browser the end-to-end tests drive, faketime to run the suite with the machine's clock on another day, and the
# OpenLDAP server the directory sign-in is tested against.
TEST_SYSTEM_PACKAGES := chromium faketime slapd
# The directory sign-in (the "ldap" extra) is installed where its headers are; elsewhere everything else still works.
EXTRAS = dev$(shell dpkg-query -W -f='$${Status}' libldap2-dev 2>/dev/null | grep -q "install ok installed" && echo ,ldap)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages test-system-packages run test lint format migrate demo messages compose-check benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[$(EXTRAS)]'
	touch $@

system-packages:
	@scripts/system-packages.sh $(SYSTEM_PACKAGES)

test-system-packages:
	@scripts/system-packages.sh $(TEST_SYSTEM_PACKAGES)

install: system-packages $(VENV)/.installed

## Start the product: web server, Celery worker and beat, on SQLite and a filesystem broker unless configured.
run: install
	@HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

## The whole test suite, one worker per core (a test file stays on one worker: its module fixtures are built once);
## uses DATABASE_URL / CELERY_BROKER_URL when set, SQLite otherwise.
PYTEST_WORKERS ?= -n auto --dist loadfile
test: install test-system-packages
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate

demo: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo

## Refresh the translation catalogue after changing strings; the compiled .mo is committed.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --locale zh_Hans --extension html,txt,py,svg --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --no-obsolete
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

# A province on PostgreSQL (about 4 minutes to build, 10 to measure): DATABASE_URL names the server to use.
benchmark: $(VENV)/.installed
	bash scripts/system-packages.sh wrk
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/integrity} \
		$(BIN)/python scripts/bench_province.py --bodies 121 --officers 30000 --cases 1000000
