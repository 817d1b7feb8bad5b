"""The bundle's entry point (PyInstaller runs a script, not a package's __main__).

With LECPLAYER_BUNDLE_CHECK=smart-speed it opens no window: it maps the silences of the media
files given as arguments the way smart speed does (numpy, the bundled ffmpeg), prints one JSON
line per file and exits. packaging/smoke_test.py uses it to prove that works from the bundle.
"""

import os
import sys


def smart_speed_check(paths: list[str]) -> int:
    import json
    from pathlib import Path

    import numpy

    from lecplayer.core.silence import analyse_file
    from lecplayer.player.audio_decode import decode_audio, ffmpeg_program

    for path in paths:
        smap = analyse_file(Path(path), decode_audio)
        print(json.dumps({"path": path, "ffmpeg": ffmpeg_program(), "numpy": numpy.__version__,
                          "duration": smap.duration, "silences": len(smap.silences)}),
              flush=True)
    return 0


def launch() -> int:
    if os.environ.get("LECPLAYER_BUNDLE_CHECK") == "smart-speed":
        return smart_speed_check(sys.argv[1:])
    from lecplayer.cli import main

    return main()


sys.exit(launch())
