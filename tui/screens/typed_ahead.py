"""Keys typed before a text dialog's field has focus belong to the field.

A dialog opened by a key (``+``, ``e``, ``w``, ``a``, ``i``) is pushed when that key is handled,
but the keys typed right after it were already forwarded to the main screen's focused pane as they
arrived. They reach the pane, find no use there, and bubble up to the app, which looks them up in
the dialog's bindings and drops them: ``+`` then "urgent" stored "rgent", or nothing. The choosers
and the search dialog keep such keys (their keys are bindings, or ``/`` is a priority key); here
the app hands them on to the text dialog (``hand_on``), which gives them to its field in
the order they were typed (``keep_typed_ahead``).
"""

from __future__ import annotations

import inspect

from textual import events
from textual.actions import parse
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, TextArea


def note_passing(screen: Screen, event: events.Key) -> None:
    """On the screen a key bubbles through: remember it, for ``hand_on`` at the app."""
    event.passed_screen = screen


def hand_on(app, event: events.Key) -> bool:
    """At the app: a key that bubbled up from a screen that is no longer the active one goes to
    the text dialog opened meanwhile, instead of being looked up in that dialog's bindings."""
    dialog = app.screen
    below = getattr(event, "passed_screen", None)
    if below is None or below is dialog or not getattr(dialog, "TAKES_TYPED_AHEAD", False):
        return False
    handed = events.Key(event.key, event.character)
    handed.typed_ahead = True  # it goes to the field even once the field has focus
    dialog.post_message(handed)
    event.stop()
    event.prevent_default()
    return True


def keep_typed_ahead(field: Input | TextArea, event: events.Key) -> bool:
    """Give ``field`` a key that arrived before it could take it. True when the key was taken."""
    if field.has_focus and not getattr(event, "typed_ahead", False):
        return False
    if event.is_printable and event.character:
        _insert(field, event.character)
    elif event.key == "enter":
        if isinstance(field, TextArea):
            _insert(field, "\n")
        else:  # what Input's own Enter does, with the text typed so far
            field.post_message(Input.Submitted(field, field.value))
    elif not _run_field_key(field, event.key):
        return False  # Esc, Ctrl+S and the like are the dialog's own keys
    if not field.has_focus:
        field.focus()
    event.stop()
    event.prevent_default()
    return True


def _run_field_key(field: Input | TextArea, key: str) -> bool:
    """The field's own editing key (Backspace, Ctrl+U, Home, arrows...), run now, in its turn
    among the letters. Only the field's plain actions: none that waits (a paste, a submit)."""
    for binding in type(field).BINDINGS:
        if isinstance(binding, Binding) and key in (k.strip() for k in binding.key.split(",")):
            _, name, arguments = parse(binding.action)
            action = getattr(field, f"action_{name}", None)
            if action is None or inspect.iscoroutinefunction(action):
                return False
            action(*arguments)
            return True
    return False


def _insert(field: Input | TextArea, text: str) -> None:
    if isinstance(field, TextArea):
        field.insert(text)
    else:
        field.insert_text_at_cursor(text)
