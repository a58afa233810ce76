"""Everything in analyst-tui that is not UI: schema, store, ingest, extraction, search, citations, export.

Nothing in this package imports ``tui``; the CLI and the Textual app both go through :class:`db.store.Store`.
"""
