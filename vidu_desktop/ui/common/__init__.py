"""The base every UI area may use: ``session.Session`` (the engine, keys and the sandbox),
``theme``, ``resources`` (icons, samples), ``background.Background`` (jobs on the loop with
strong references), ``accessibility`` and ``focus_ring``, ``qt_messages`` (Qt's and FFmpeg's
messages to the log), ``parameter_choices`` (Qt-free parameter rules),
``pyside_imports`` (PySide's import hook, made cheap), ``gc_hold`` (the collector held off
while the app starts), ``keys`` (which hosts have a key)."""
