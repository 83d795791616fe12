"""Run the command line as ``python -m cnncount``."""

from __future__ import annotations

import sys

from cnncount.cli import main

sys.exit(main())
