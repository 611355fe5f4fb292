"""The cast in the compose area: the cast library's panel, the dialogs that make, rename, edit
and delete a cast member, and the controller between them, the tray and the engine."""
