"""``python -m cnextract ARGS``: the same command line as ``cnextract ARGS``."""

import sys

from .cli import main

sys.exit(main())
