"""The reference tray: 1-7 pictures dropped, pasted or added, each checked and fitted to the
host's limits in the background. Public face: ``tray.ReferenceTray``; the rest (``chrome``,
``view``, ``delegate``, ``model``, ``item``, ``queue``, ``jobs``, ``mime``, ``menu``) is its
inside. ``demo`` shows it alone (not in the wheel)."""
