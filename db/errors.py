"""Errors the store raises with a message fit to show an analyst as it is."""


class StoreError(Exception):
    """The database cannot be opened or used; the message says why and what to do."""


class NewerSchemaError(StoreError):
    """The file was written by a newer analyst-tui; it is left untouched."""


class NotFound(StoreError):
    """A report, claim, source, entity or hypothesis id that does not exist."""


class InvalidValue(StoreError):
    """A grade, status, stance or other value outside its vocabulary."""


class StaleWrite(StoreError):
    """A shared fact changed since the analyst read it (another analyst was first): refused, not overwritten."""


class UndoRefused(StoreError):
    """The value a change set is no longer there (someone changed it since): undoing would overwrite them."""
