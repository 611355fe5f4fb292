"""Compose: what Generate sends. Public face: ``Composer`` (the rules between the widgets,
``Composer.reuse`` for "Reuse settings"), ``ParameterPanel``, ``PromptEditor``,
``PromptLibrary``, ``GenerateBar``, ``DraftController`` / ``DraftSwitcher``; the reference tray
is ``compose.tray`` (``ReferenceTray``)."""
