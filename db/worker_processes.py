"""Worker processes that apply one function to batches of inputs, answered in the order given.

Each worker has a pipe of its own, and the calling thread reads the answers itself: no shared
queue, no lock between workers, no manager thread. ``concurrent.futures.ProcessPoolExecutor``,
used before, had two costs. Its workers write to one result pipe, which the importing process
also holds open, read by a manager thread: with answers over 16 KiB (written in two parts) the
killed-worker test of the import hung in 2 runs of 5, that thread waiting in ``recv``, so a task
could carry one file only. And every answer crossed two threads of the importing process on its
way to the caller, who was busy storing. Here only the worker holds its end of its pipe: a worker
that dies, whatever it was writing, ends the pipe, and the next read raises ``WorkersLost``.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import warnings
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable

from .child_processes import start_resource_tracker

NOT_YET = object()  # what ``answer`` gives when the oldest batch is not answered within the timeout


class WorkersLost(Exception):
    """A worker process died, or could not be reached: what it was given is not done."""


@dataclass
class _Raised:
    """An exception raised by the function in a worker, to be raised again in the caller."""

    exception: BaseException


class OrderedWorkers:
    """``count`` processes running ``function`` on each item of the batches given to ``submit``;
    ``answer`` returns each batch's results in the order the batches were submitted.

    ``function`` must be importable by name (a module-level function). ``preload``: modules the
    forkserver imports once, so that each worker starts warm."""

    def __init__(self, function: Callable[[Any], Any], count: int, *, preload: Iterable[str] = ()):
        start_resource_tracker()
        # Never "fork": the TUI imports from a thread, and forking a threaded process can copy a
        # lock held by another thread. Each worker is forked from the forkserver's one clean
        # process, already warm (~2x faster to the first result than spawn).
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(preload))
        else:
            context = multiprocessing.get_context("spawn")
        self._processes = []
        self._conns: list[Connection] = []
        self._given: list[deque[int]] = []  # per worker: its batches not yet answered, oldest first
        self._answers: dict[int, Any] = {}  # batch number -> results, received before their turn
        self._next_batch = 0
        self._next_answer = 0
        try:
            for _ in range(count):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs, function), daemon=True,
                                          name="analyst-tui-import")
                process.start()
                theirs.close()  # the worker's end is the worker's alone: its death ends the pipe
                self._processes.append(process)
                self._conns.append(ours)
                self._given.append(deque())
        except BaseException:
            self.close(kill=True)
            raise

    def submit(self, batch: list) -> None:
        """Give a batch to the worker with the fewest batches waiting."""
        worker = min(range(len(self._conns)), key=lambda i: len(self._given[i]))
        try:
            self._conns[worker].send(batch)
        except (OSError, ValueError) as exc:
            raise WorkersLost("a worker process is gone") from exc
        self._given[worker].append(self._next_batch)
        self._next_batch += 1

    def answer(self, timeout: float | None) -> list | object:
        """The results of the oldest unanswered batch, or ``NOT_YET`` after ``timeout`` seconds
        (None: wait for it). Raises what the function raised on it, or ``WorkersLost``."""
        wanted = self._next_answer
        if wanted >= self._next_batch:
            raise ValueError("no batch is waiting for its answer")
        while wanted not in self._answers:
            if not self._receive(timeout):
                return NOT_YET
        self._next_answer += 1
        results = self._answers.pop(wanted)
        if isinstance(results, _Raised):
            raise results.exception
        return results

    def _receive(self, timeout: float | None) -> bool:
        """Read every answer ready within ``timeout``; False if none was."""
        busy = [i for i, given in enumerate(self._given) if given]
        ready = set(wait([self._conns[i] for i in busy] + [self._processes[i].sentinel for i in busy], timeout))
        if not ready:
            return False
        for i in busy:
            conn = self._conns[i]
            if conn in ready:
                try:
                    self._answers[self._given[i].popleft()] = conn.recv()
                except (EOFError, OSError) as exc:
                    raise WorkersLost("a worker process died") from exc
            elif self._processes[i].sentinel in ready:
                # ended with batches of its own unanswered (and no answer waiting in its pipe)
                raise WorkersLost("a worker process died")
        return True

    def close(self, *, kill: bool) -> None:
        """Stop the workers: ``kill`` at once, or let them finish what they were given and exit."""
        processes, conns = self._processes, self._conns
        self._processes, self._conns, self._given = [], [], []
        for conn in conns:
            if not kill:
                try:
                    conn.send(None)
                except (OSError, ValueError):
                    pass
            conn.close()  # a worker that reads after this sees the end of its pipe and exits
        if kill:
            for process in processes:
                if process.is_alive():
                    process.kill()
        if processes:
            # not waited for here: the caller's last batch need not wait for the workers to exit
            threading.Thread(target=_reap, args=(processes,), daemon=True, name="reap-import-workers").start()


def _reap(processes) -> None:
    for process in processes:
        process.join()


def _serve(conn: Connection, function: Callable[[Any], Any]) -> None:
    """A worker: answer batches until told to stop or the caller's end of the pipe closes.
    Ctrl+C is for the caller to handle (it stops the workers); a warning is not printed (a
    worker writes straight to the terminal, under the TUI's screen)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.simplefilter("ignore")
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return  # the caller is gone
        if batch is None:
            return
        try:
            answer: Any = [function(item) for item in batch]
        except BaseException as exc:  # raised again in the caller, as a function called there would
            answer = _Raised(exc)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the answer cannot be pickled
            conn.send(_Raised(RuntimeError(f"a worker's answer could not be sent: {exc!r}")))
