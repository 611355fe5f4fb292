"""The Board area: storyboards of shots (``area.BoardArea``), their takes picked by keyboard,
Generate with the count and estimated cost shown first, and the cut's export
(``export_dialog.ExportDialog`` over ``export_choice`` and ``export_run``). ``demo`` shows the
export dialog alone (not in the wheel). Imports ``ui.common`` and below only."""
