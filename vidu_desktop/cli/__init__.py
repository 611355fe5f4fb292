"""``vidu-cli``, the command line of Vidu Studio: a layer of its own beside the app (it never
imports the UI, and the UI never imports it).

``run`` parses the arguments and opens the library (real, or the sandbox's with the built-in
emulator); ``commands`` works on it; ``output`` prints results and errors and picks the exit
code; ``parser`` holds the arguments; ``setup`` the log and the remembered addresses.
"""

from .run import main

__all__ = ["main"]
