"""``python -m asemus_data``: see ``--help``."""
import sys

from .cli import main

sys.exit(main())
