"""``python -m pbapp.tally FILE ...`` is the same as ``pbapp-tally FILE ...``."""
import sys

from .cli import main

sys.exit(main())
