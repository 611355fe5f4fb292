"""The desktop UI (PySide6 on the qasync loop), in areas:

- ``shell``: the main window, its menus and status bar, the session wiring, crash handling,
  the single instance, the self-test. It alone imports the other areas and connects them.
- ``compose``: what Generate sends: the draft, the prompt, the parameters, the Generate bar,
  and the reference tray (``compose.tray``).
- ``tasks``: the task list, its details and actions.
- ``review``: the player, frame stepping and the side-by-side compare.
- ``common``: the base every area may use: the session (engine, keys, sandbox), theme,
  resources, background jobs, accessibility helpers, Qt's messages in the log.

``compose``, ``tasks`` and ``review`` never import each other (an import-linter contract).
"""
