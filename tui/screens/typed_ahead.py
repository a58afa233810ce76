"""Keys typed before a text dialog's field has focus belong to the field.

A dialog opened by a key (``+``, ``e``, ``w``, ``a``, ``i``) is pushed when that key is handled,
but the keys typed right after it were already forwarded to the main screen's focused pane as they
arrived. They reach the pane, find no use there, and bubble up to the app, which looks them up in
the dialog's bindings and drops them: ``+`` then "urgent" stored "rgent", or nothing. The choosers
and the search dialog keep such keys (their keys are bindings, or ``/`` is a priority key); here
the app hands them on to the text dialog (``hand_on``), which gives them to its field in order
(``keep_typed_ahead``), holding those that come before it is mounted (``TakesTypedAhead``).
"""

from __future__ import annotations

import inspect

from textual import events
from textual.actions import parse
from textual.app import ScreenStackError
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, TextArea


def note_passing(screen: Screen, event: events.Key) -> None:
    """On the screen a key bubbles through: remember it, for ``hand_on`` at the app."""
    event.passed_screen = screen


class TakesTypedAhead:
    """For a text dialog (mixed in before ModalScreen): the keys handed on before it is mounted
    wait in order and reach its field once it is; later ones reach the field at once."""

    def typed_ahead_field(self) -> Input | TextArea:
        raise NotImplementedError

    def take_typed_ahead(self, event: events.Key) -> bool:
        if self.__dict__.get("_typed_ahead_drained"):
            return keep_typed_ahead(self.typed_ahead_field(), event, handed_on=True)
        self.__dict__.setdefault("_typed_ahead_pending", []).append(events.Key(event.key, event.character))
        return True  # all wait, text or not, so that they act in the order they were typed

    def on_mount(self) -> None:
        self._typed_ahead_drained = True
        for key in self.__dict__.pop("_typed_ahead_pending", []):
            if not keep_typed_ahead(self.typed_ahead_field(), key, handed_on=True):
                self.app.post_message(events.Key(key.key, key.character))  # Esc, Ctrl+S: the dialog's keys


def hand_on(app, event: events.Key) -> bool:
    """At the app: a key that bubbled up from a screen that is no longer the active one goes to
    the text dialog opened meanwhile, instead of being looked up in that dialog's bindings."""
    below = getattr(event, "passed_screen", None)
    if below is None:
        return False
    try:
        dialog = app.screen
    except ScreenStackError:  # keys before the first screen is up
        return False
    if below is dialog or not isinstance(dialog, TakesTypedAhead) or not dialog.take_typed_ahead(event):
        return False  # not a text dialog, or not a text key: the dialog's bindings have it
    event.stop()
    event.prevent_default()
    return True


def keep_typed_ahead(field: Input | TextArea, event: events.Key, *, handed_on: bool = False) -> bool:
    """Give ``field`` a key that arrived before it could take it (``handed_on``: a key from the
    screen below, taken even once the field has focus). True when the key was taken."""
    # A letter (or a TextArea's Enter) reaching the dialog itself never went through the field,
    # which keeps those: it was sent to the dialog before the field had focus. Other keys that
    # reach the dialog with the field focused may have come through it, and the field's bindings
    # (looked up from the focused widget) act on them.
    text_key = bool(event.is_printable and event.character) or (isinstance(field, TextArea) and event.key == "enter")
    if field.has_focus and not handed_on and not text_key:
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
    if not handed_on:
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
