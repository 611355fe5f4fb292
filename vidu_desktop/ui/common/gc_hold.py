"""Python's cyclic garbage collector held off while the app starts.

Start-up makes hundreds of thousands of objects that live as long as the app (modules, classes,
Qt's enum classes, the widgets) and almost no garbage, yet the collector runs every 700 new
objects and walks them again and again (some 70 collections before the first paint, measured
on ``bench/startup.py``'s app). :func:`hold` (first thing in ``vidu_desktop.app.main``) turns
it off; :func:`release` (when :class:`~vidu_desktop.ui.shell.startup.Startup` is ready, or
:data:`LONGEST_HOLD_MS` after the first paint at the latest) moves what start-up made to the
collector's permanent generation (``gc.freeze``: never walked again, never freed, which it
would not have been) and turns it back on. Reference counting frees everything else as
always; only garbage in reference cycles waits, for the few hundred milliseconds of the start.
"""

from __future__ import annotations

import gc

#: the latest :func:`release` comes after the first paint, should the start never get ready
#: (a keychain that does not answer, say)
LONGEST_HOLD_MS = 10_000

_held = False


def hold() -> bool:
    """Turn the collector off until :func:`release`. False (nothing done) when it was off
    already (held, or turned off by the program that imports the app)."""
    global _held
    if _held or not gc.isenabled():
        return False
    gc.disable()
    _held = True
    return True


def release() -> bool:
    """Freeze what start-up made and turn the collector back on (once; False when nothing
    was held)."""
    global _held
    if not _held:
        return False
    _held = False
    gc.freeze()
    gc.enable()
    return True


def held() -> bool:
    return _held
