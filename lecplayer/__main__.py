import sys

from lecplayer.cli import main

sys.exit(main())
