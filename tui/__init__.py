"""The Textual application. It reads and writes only through :class:`db.store.Store`."""
