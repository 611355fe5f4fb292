"""Review: the selected take in the player, two takes compared, a cut played. Public face:
``review.ReviewPane`` (``show``, ``compare``, ``play_cut``, ``release`` before a delete,
``forget``), ``review.take_label`` and ``cut_model.CutItem``; the players (``player``,
``compare``, ``cut_player`` + ``cut_bar`` + ``cut_probe``, ``screen``, ``controls``) load with
the first take shown. ``demo`` shows them alone (not in the wheel)."""
