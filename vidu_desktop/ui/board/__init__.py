"""The storyboard area. So far its export: ``export_dialog.ExportDialog`` (what to write,
where, with progress and cancel) over ``export_choice`` (``ExportChoice``, the ``ExportJob``
the shell gives it) and ``export_run`` (the job in a worker thread). ``demo`` shows the dialog
alone (not in the wheel). Imports ``ui.common`` and below only."""
