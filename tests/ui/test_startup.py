"""Launch to first frame pays only for what the first frame needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_first_frame_is_shown_before_what_it_does_not_need_is_loaded(clip, tmp_path):
    # A fresh interpreter: under pytest all are imported already. numpy (smart speed's
    # analysis) and markdown-it (notes) cost 150-400 ms of a launch here; the D-Bus link,
    # the transcriber and the dialogs ~25 ms more, and they start once the frame is shown.
    out = subprocess.run([sys.executable, "-m", "tests.ui.first_frame_child", str(clip),
                          str(tmp_path / "profile")], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"numpy": False, "markdown_it": False, "waiting": [],
                    "started_after": True}, out.stderr
