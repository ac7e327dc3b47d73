# Quick start: `make run` (set up, load the demo, start web + worker + beat) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Where `make run` serves. Not PORT: honcho overwrites PORT for every process (5000, 5100, ...).
WEB_PORT ?= 8000
# How many processes `make test` runs the suite in (pytest-xdist); auto = one per CPU core.
TEST_PROCESSES ?= auto

.PHONY: run test install migrate demo lint check ci-checks clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "  巫山县计量宣传活动管理平台: http://127.0.0.1:$(WEB_PORT)/"
	@echo "  演示账号 (password: $${DEMO_PASSWORD:-wushan-demo-2025}):"
	@echo "    demo_admin     县局管理员 (价监科, superuser)"
	@echo "    demo_leader    领导 (read-only over everything)"
	@echo "    demo_office_a  高唐市场监管所"
	@echo "    demo_office_b  龙门市场监管所"
	@echo "    demo_enforce   执法一大队"
	@echo ""
	WEB_PORT=$(WEB_PORT) $(VENV)/bin/honcho start -f Procfile

# The tests that start a real Celery worker (PostgreSQL + Redis; skipped on the embedded default) run
# after the rest, in one plain process: nothing else publishes to their queue while they run.
test: install
	$(PY) -m pytest --numprocesses=$(TEST_PROCESSES) --dist=loadgroup -m "not integration"
	$(PY) -m pytest -m integration

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(PY) manage.py spectacular --fail-on-warn --validate --file /dev/null

clean:
	rm -rf $(VENV) var
