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

LOCK := requirements.lock
# One nbstripout configuration for the git filter and the pre-commit hook (tests/test_environment.py checks
# that .pre-commit-config.yaml says the same). It strips what Quarto writes into notebooks/*.ipynb when it
# renders: outputs, counts, the kernel's language_info, and the parameters -P injects.
NBSTRIPOUT_ARGS := --keep-id --extra-keys "metadata.language_info metadata.papermill" --drop-tagged-cells injected-parameters

# The environment lives outside the project folder and is linked as .venv: Quarto walks the whole project
# folder, hidden folders too (its resource exclusions), when a render starts and again after the pre-render
# step, and the ~25 000 files of an environment inside it cost about 3 s each time. ENV_HOME moves it; an
# environment already made as a folder .venv/ is used as it is (rm -rf .venv && make setup moves it out).
ENV_HOME ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/servicenamnden/$(notdir $(CURDIR))-$(shell printf '%s' '$(CURDIR)' | sha1sum | cut -c1-12)

$(STAMP): $(LOCK) pyproject.toml
	@$(MAKE) --no-print-directory env
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(MAKE) --no-print-directory hooks
	touch $(STAMP)

.PHONY: setup
setup: $(STAMP) ## Skapa .venv från requirements.lock, installera projektet och git-filtret (görs automatiskt vid behov)

.PHONY: env
env: ## Skapa miljön (utan paket) utanför projektmappen och länka den som .venv (ENV_HOME; görs av make setup)
ifeq ($(VENV),.venv)
	@if [ -L $(VENV) ]; then mkdir -p "$$(readlink $(VENV))"; \
	elif [ ! -e $(VENV) ]; then \
	  if mkdir -p "$(ENV_HOME)" 2>/dev/null; then ln -s "$(ENV_HOME)" $(VENV) && echo "Miljön ligger i $(ENV_HOME) (länkad som $(VENV))."; \
	  else echo "Kunde inte skapa $(ENV_HOME): miljön skapas i $(VENV)/ i projektmappen."; fi; \
	fi
endif
	@# venv refuses a link as its folder: it is made where the link points.
	@[ -x $(PY) ] || python3 -m venv "$$(readlink -f $(VENV))"

.PHONY: hooks
hooks: ## Git-filtret som rensar notebooks från utdata före commit, och pre-commit-krokarna
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '"$(abspath $(PY))" -m nbstripout $(NBSTRIPOUT_ARGS)' && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required true && \
	  git config diff.ipynb.textconv '"$(abspath $(PY))" -m nbstripout $(NBSTRIPOUT_ARGS) -t' && \
	  $(VENV)/bin/pre-commit install --overwrite >/dev/null && \
	  echo "Git-filtret nbstripout och pre-commit-krokarna är installerade."; \
	else echo "Ingen git-arbetskopia: git-filtret och pre-commit-krokarna installeras inte."; fi

.PHONY: lock
lock: $(STAMP) ## Lås om beroendena efter en ändring i pyproject.toml (requirements.lock och environment.yml)
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --extra dev pyproject.toml -o $(LOCK)
	$(PY) -m servicenamnden.render.lockfile $(LOCK) environment.yml

.PHONY: check
check: $(STAMP) ## Validera data, kör alla dokument som Quarto gör och kontrollera inbäddningar och hänvisningar
	$(PY) -m servicenamnden check $(ARG_AR)
	@$(MAKE) --no-print-directory refresh-git

.PHONY: varden
varden: $(STAMP) ## Lista namnen som texten kan använda, med årets värde och meningen där de används: make varden AR=2024
	@$(PY) -m servicenamnden varden $(ARG_AR)

.PHONY: import
import: $(STAMP) ## Läs in en Excel-arbetsbok eller CSV-fil till data/: make import FILE=fil.xlsx (DRY=1 visar bara ändringarna)
	@if [ -z "$(FILE)" ]; then echo "Ange filen: make import FILE=sökväg/till/fil.xlsx"; exit 2; fi
	$(PY) -m servicenamnden.io.importer "$(FILE)" $(if $(DRY),--dry-run,) $(ARG_AR)

.PHONY: mall
mall: $(STAMP) ## Skriv arbetsboken att fylla i för ett år: make mall AR=2024 (FIL=sökväg, annars mall-ÅR.xlsx)
	$(PY) -m servicenamnden.io.template $(ARG_AR) $(if $(FIL),--fil "$(FIL)",)

.PHONY: report
report: $(STAMP) ## Bygg rapporten: quarto render om Quarto finns, annars en förhandsvisning i _preview/
	$(PY) -m servicenamnden report $(ARG_AR)
	@$(MAKE) --no-print-directory refresh-git

.PHONY: publicera
publicera: $(STAMP) ## Bygg med Quarto, kontrollera webbplatsen och packa den för webbservern (publicera/*.tar.gz med SHA-256)
	@command -v quarto >/dev/null 2>&1 || { echo "make publicera kräver Quarto: förhandsvisningen publiceras inte."; exit 2; }
	$(PY) -m servicenamnden report $(ARG_AR)
	@$(MAKE) --no-print-directory refresh-git
	$(PY) -m servicenamnden.render.publish

# A render writes outputs into notebooks/*.ipynb. The filter strips them, so git diff is empty, but git status
# lists a file whose size changed without comparing content. Re-adding a notebook whose filtered content
# equals the index changes nothing in the index except its stat data, and git status is clean again; a
# notebook with a real change is left alone.
.PHONY: refresh-git
refresh-git:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git status --porcelain -z -- '*.ipynb' | while IFS= read -r -d '' entry; do \
	    f="$${entry:3}"; \
	    if [ "$${entry:1:2}" = "M " ] && git diff --quiet -- "$$f"; then git add -- "$$f"; fi; \
	  done; \
	fi

.PHONY: test
test: $(STAMP) ## Kör hela testsviten
	$(PY) -m pytest

.PHONY: test-fast
test-fast: $(STAMP) ## Bara enhetstesterna: inga Jupyter-kärnor, ingen webbläsare (under 20 s)
	$(PY) -m pytest -m "not slow" -q

.PHONY: bench
bench: $(STAMP) ## Mät make check mot golvet (kvot N.NNx), artikelsidans och PDF:ens storlek och testsvitens tid
	$(PY) -m servicenamnden.render.bench
	@$(MAKE) --no-print-directory refresh-git

.PHONY: bench-quarto
bench-quarto: $(STAMP) ## Med Quarto: make check och direkt efter quarto render, tre gånger (kvot, mål högst 3x), och renderingens steg
	$(PY) -m servicenamnden.render.bench_quarto $(RUNS)
	@$(MAKE) --no-print-directory refresh-git

.PHONY: lint
lint: $(STAMP) ## ruff: lint och format
	$(VENV)/bin/ruff check src tests notebooks tools
	$(VENV)/bin/ruff format --check src tests tools

.PHONY: clean
clean: ## Ta bort byggda filer (inte data)
	rm -rf _build _preview _manuscript .quarto publicera

.PHONY: help
help: ## Visa kommandona
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
