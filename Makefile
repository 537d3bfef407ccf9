# Servicenämndens verksamhetsberättelse. `make help` lists the commands.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AR ?=
ARG_AR := $(if $(AR),--ar $(AR),)

.DEFAULT_GOAL := help

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: setup
setup: $(STAMP) ## Skapa .venv och installera allt som behövs (görs automatiskt vid behov)

.PHONY: check
check: $(STAMP) ## Validera data, kör alla dokument som Quarto gör och kontrollera inbäddningar och hänvisningar
	$(PY) -m servicenamnden check $(ARG_AR)

.PHONY: report
report: $(STAMP) ## Bygg rapporten: quarto render om Quarto finns, annars en förhandsvisning i _preview/
	$(PY) -m servicenamnden report $(ARG_AR)

.PHONY: test
test: $(STAMP) ## Kör hela testsviten
	$(PY) -m pytest

.PHONY: lint
lint: $(STAMP) ## ruff: lint och format
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests

.PHONY: clean
clean: ## Ta bort byggda filer (inte data)
	rm -rf _build _preview _manuscript

.PHONY: help
help: ## Visa kommandona
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
