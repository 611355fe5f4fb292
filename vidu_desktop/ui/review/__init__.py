"""Review: the selected take in the player, two takes compared. Public face:
``review.ReviewPane`` (``show``, ``compare``, ``release`` before a delete, ``forget``) and
``review.take_label``; the players (``player``, ``compare``, ``screen``, ``controls``) load with
the first take shown. ``demo`` shows them alone (not in the wheel)."""
