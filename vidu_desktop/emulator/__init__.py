"""The emulator of the five hosts' API contracts (a real HTTP server on loopback).

``DEMO_KEY`` is here, not in :mod:`.config`, so the app can name it before its first paint
without loading the emulator's settings.
"""

#: The key every emulated host accepts unless told otherwise (documented in the README).
DEMO_KEY = "vidu-sandbox-demo-key"
