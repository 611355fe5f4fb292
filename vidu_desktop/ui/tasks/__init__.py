"""The task list. Public face: ``panel.TaskList`` (with ``TaskFeed`` and ``OutboxBanner``), whose
``task_actions`` (``actions.TaskActions``) emit ``reuse_requested``, ``deleted`` and
``submitted`` for the shell to connect; ``model`` pages the library, ``view`` shows it with the
details (``details``) and covers (``covers``)."""
