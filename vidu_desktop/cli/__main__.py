"""``python -m vidu_desktop.cli``: the same as ``vidu-cli``."""

import sys

from vidu_desktop.cli import main

sys.exit(main())
