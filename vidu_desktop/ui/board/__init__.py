"""The Board area: storyboards of shots, their takes picked by keyboard, Generate with the
cost shown first, play and export of the cut (imports ui.common and below only)."""
