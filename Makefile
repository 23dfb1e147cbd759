# The course's entry points. Every target creates the virtual environment it
# needs, so a fresh clone with only Python 3.11 runs `make demo` or `make test`.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint lab build lock clean sandbox scheduler worker

# The main job: build the release notebooks and grade a demo cohort.
demo: $(STAMP) sandbox
	$(BIN)/python -m course demo

# The whole test suite, as CI runs it: style and types first, then pytest.
test: lint sandbox
	$(BIN)/python -m pytest

# The formatter, the linter and the type checker over the package and its tests.
# Tests may index a result they expect to be there: a None fails the test itself.
lint: $(STAMP)
	$(BIN)/ruff format --check course grader_tests mutants
	$(BIN)/ruff check course grader_tests mutants
	$(BIN)/mypy course
	$(BIN)/mypy grader_tests --disable-error-code union-attr --disable-error-code index \
		--disable-error-code operator --disable-error-code call-overload

# Run as root, `course grade` starts every kernel in bubblewrap's sandbox
# (docs/SECURITY.md, "The sandbox"): install Debian's package where it is missing.
sandbox:
	@if [ "$$(id -u)" = 0 ] && ! command -v bwrap >/dev/null; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap; fi

# Grading on several hosts (docs/SCALE.md): one host runs Dask's scheduler
# (port 8786, its dashboard on 8787), every grading host a clone of this course
# at the same commit running one worker per core, each grading one student at
# a time; `course grade ... --cluster tcp://HOST:8786` sends them the students.
scheduler: $(STAMP)
	$(BIN)/dask scheduler

SCHEDULER ?=
worker: $(STAMP) sandbox
	@test -n "$(SCHEDULER)" || { echo "usage: make worker SCHEDULER=tcp://HOST:8786" >&2; exit 2; }
	$(BIN)/dask worker $(SCHEDULER) --nworkers $$(nproc) --nthreads 1

# Open the released lessons in JupyterLab (nbgrader's extension included).
# Jupyter refuses to start as root without --allow-root, and a container is
# often entered as root: the flag is added for root only. LAB_ARGS passes more
# options to `jupyter lab`, e.g. make lab LAB_ARGS="--no-browser --port=8890".
LAB_ARGS ?=
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_ARGS) release/

build: $(STAMP)
	$(BIN)/python -m course build

# Recompile the pinned lock from pyproject.toml (the package and all its extras),
# and environment.yml from it.
lock:
	$(PYTHON) -m venv .lockenv && .lockenv/bin/pip install -q pip-tools==7.6.2 PyYAML==6.0.3
	.lockenv/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --all-extras -o requirements.txt pyproject.toml
	PYTHONPATH=. .lockenv/bin/python -m course.environment requirements.txt environment.yml

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) .lockenv autograded submitted feedback reports gradebook.db

# Solutions against scikit-learn, notebook budgets and grading throughput:
# prints the tables and writes BENCHMARKS.md (about 10 minutes on 2 cores).
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m course bench
