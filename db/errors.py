"""Errors the store raises with a message fit to show an analyst as it is."""


class StoreError(Exception):
    """The database cannot be opened or used; the message says why and what to do."""


class NewerSchemaError(StoreError):
    """The file was written by a newer analyst-tui; it is left untouched."""


class NotFound(StoreError):
    """A report, claim, source, entity or hypothesis id that does not exist."""


class InvalidValue(StoreError):
    """A grade, status, stance or other value outside its vocabulary."""
