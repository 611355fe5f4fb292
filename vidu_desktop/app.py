"""``vidu-desktop``: the application shell. (The window arrives with the GUI issues; until then
``--sandbox`` runs the built-in emulator in the foreground.)"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from vidu_desktop.emulator.__main__ import main as emulator_main

    print("Vidu Studio: the window is not built yet; starting the sandbox emulator.")
    return emulator_main([a for a in args if a != "--sandbox"])


if __name__ == "__main__":
    sys.exit(main())
