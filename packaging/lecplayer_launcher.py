"""The bundle's entry point (PyInstaller runs a script, not a package's __main__)."""

import sys

from lecplayer.cli import main

sys.exit(main())
