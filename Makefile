# Servicenämndens verksamhetsberättelse. `make help` lists the commands.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# AR is make's built-in archiver variable; only a value given on the command line is a year.
ifeq ($(origin AR),default)
AR :=
endif
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

.PHONY: import
import: $(STAMP) ## Läs in en Excel-arbetsbok eller CSV-fil till data/: make import FILE=fil.xlsx (DRY=1 visar bara ändringarna)
	@if [ -z "$(FILE)" ]; then echo "Ange filen: make import FILE=sökväg/till/fil.xlsx"; exit 2; fi
	$(PY) -m servicenamnden.io.importer "$(FILE)" $(if $(DRY),--dry-run,)

.PHONY: report
report: $(STAMP) ## Bygg rapporten: quarto render om Quarto finns, annars en förhandsvisning i _preview/
	$(PY) -m servicenamnden report $(ARG_AR)

.PHONY: test
test: $(STAMP) ## Kör hela testsviten
	$(PY) -m pytest

.PHONY: bench
bench: $(STAMP) ## Mät make check mot golvet (kvot N.NNx), artikelsidans och PDF:ens storlek och testsvitens tid
	$(PY) -m servicenamnden.render.bench

.PHONY: lint
lint: $(STAMP) ## ruff: lint och format
	$(VENV)/bin/ruff check src tests notebooks
	$(VENV)/bin/ruff format --check src tests

.PHONY: clean
clean: ## Ta bort byggda filer (inte data)
	rm -rf _build _preview _manuscript

.PHONY: help
help: ## Visa kommandona
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
