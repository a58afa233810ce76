"""Groups of the main screen's actions, each in its own module."""
