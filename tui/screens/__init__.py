"""Screens: the main triage screen and the dialogs it opens."""
