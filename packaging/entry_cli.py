"""Frozen entry point of ``vidu-cli`` (PyInstaller runs this file as ``__main__``)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from vidu_desktop.cli import main

    sys.exit(main())
