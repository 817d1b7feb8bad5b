"""PySide6 6.12.0 on CPython < 3.12 drops a reference to True on every Signal.emit().

mpv's update callback emits once per frame, so an affected build aborts the player within a
minute ("bool_dealloc: deallocating True or False"). pyproject excludes that release; this
test fails if an affected build is installed anyway. It runs in a subprocess so an abort
cannot take the test session down.
"""

import subprocess
import sys

CODE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal()
    flag = Signal(bool)

app = QCoreApplication([])
e = Emitter()
count = [0]
e.fired.connect(lambda: count.__setitem__(0, count[0] + 1))
e.flag.connect(lambda v: None)
before = sys.getrefcount(True)
for _ in range(100_000):
    e.fired.emit()
    e.flag.emit(True)
after = sys.getrefcount(True)
print(count[0], before - after)
"""


def test_100k_signal_emits_keep_true_alive():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    emitted, lost = map(int, out.stdout.split())
    assert emitted == 100_000
    if sys.version_info < (3, 12):  # True is immortal from 3.12: its refcount means nothing
        assert abs(lost) < 1000, f"{lost} references to True lost over 100 000 emits"
