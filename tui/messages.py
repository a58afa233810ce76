"""Messages worker threads post to the UI (the only way they talk to it)."""

from __future__ import annotations

from textual.message import Message


class ImportProgress(Message):
    def __init__(self, done: int, total: int | None, name: str, status: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.name = name
        self.status = status


class ImportFinished(Message):
    def __init__(self, summary_line: str, failures: list[str], error: str | None = None) -> None:
        super().__init__()
        self.summary_line = summary_line
        self.failures = failures
        self.error = error


class SearchAnswered(Message):
    """The search thread's answer to the query asked with ``generation``."""

    def __init__(self, generation: int, results) -> None:
        super().__init__()
        self.generation = generation
        self.results = results
