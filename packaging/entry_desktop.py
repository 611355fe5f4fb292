"""Frozen entry point of ``vidu-desktop`` (PyInstaller runs this file as ``__main__``)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the emulator's render pool uses 'spawn' processes
    from vidu_desktop.app import main

    sys.exit(main())
