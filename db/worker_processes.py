"""Worker processes that apply one function to batches of inputs, answered in the order given.

Each worker has pipes of its own (its batches, its answers), and the calling thread reads the
answers itself: no shared queue, no lock between workers, no manager thread.
``concurrent.futures.ProcessPoolExecutor``, used before, had two costs. Its workers write to one result pipe, which the importing process
also holds open, read by a manager thread: with answers over 16 KiB (written in two parts) the
killed-worker test of the import hung in 2 runs of 5, that thread waiting in ``recv``, so a task
could carry one file only. And every answer crossed two threads of the importing process on its
way to the caller, who was busy storing. Here only the worker holds its end of its pipe: a worker
that dies, whatever it was writing, ends the pipe, and the next read raises ``WorkersLost``.

With a ``Budget``, each item has its own: CPU seconds (the worker's RLIMIT_CPU, raised before
each item: the kernel ends a worker past it with SIGXCPU, even inside a C regex or parser),
resident memory and wall-clock seconds (a watch thread here ends a worker past either). Every
answer is sent item by item, so a worker ended on an item has answered the ones before it: that
item's answer is ``on_overrun(item, reason)``, a new worker takes the worker's place and is
given the rest. A worker that dies otherwise (killed by hand) is ``WorkersLost`` as before.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any
from collections.abc import Callable, Iterable

from .child_processes import start_resource_tracker
import contextlib

# 1 MiB: Linux's default ceiling for a process without privileges (/proc/sys/fs/pipe-max-size), ~50
# answers of reports of ~900 words
PIPE_BYTES = 1024 * 1024
NOT_YET = object()  # what ``answer`` gives when the oldest batch is not answered within the timeout


class WorkersLost(Exception):
    """A worker process died, or could not be reached: what it was given is not done."""


@dataclass
class _Raised:
    """An exception raised by the function in a worker, to be raised again in the caller."""

    exception: BaseException


@dataclass(frozen=True)
class Budget:
    """What one item may take in a worker: CPU seconds, resident memory, and wall-clock seconds
    (a worker blocked, not computing, is ended after ``wall_factor`` times its CPU seconds)."""

    cpu_seconds: float
    memory_bytes: int
    wall_factor: float = 4.0

    @property
    def wall_seconds(self) -> float:
        return self.cpu_seconds * self.wall_factor


OVER_TIME, OVER_MEMORY = "time", "memory"


@dataclass
class _Overran:
    """An item's answer when the function ran out of the memory its worker may map (MemoryError)."""

    reason: str
_WATCH_SECONDS = 0.1
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class _Batch:
    number: int
    items: list
    received: list = field(default_factory=list)

    def complete(self) -> bool:
        return len(self.received) == len(self.items)


class OrderedWorkers:
    """``count`` processes running ``function`` on each item of the batches given to ``submit``;
    ``answer`` returns each batch's results in the order the batches were submitted.

    ``function`` must be importable by name (a module-level function). ``preload``: modules the
    forkserver imports once, so that each worker starts warm. ``niceness``: added to each worker's
    (a lower priority than the caller's, whose thread then gets a core whenever it has work)."""

    def __init__(self, function: Callable[[Any], Any], count: int, *, preload: Iterable[str] = (),
                 budget: Budget | None = None, on_overrun: Callable[[Any, str], Any] | None = None,
                 niceness: int = 0):
        start_resource_tracker()
        # Never "fork": the TUI imports from a thread, and forking a threaded process can copy a
        # lock held by another thread. Each worker is forked from the forkserver's one clean
        # process, already warm (~2x faster to the first result than spawn).
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(preload))
        else:
            context = multiprocessing.get_context("spawn")
        if budget is not None and on_overrun is None:
            raise ValueError("a budget needs on_overrun: the answer for an item that overran it")
        self._context, self._function, self._budget, self._on_overrun = context, function, budget, on_overrun
        self._niceness = niceness
        self._processes = []
        self._conns: list[Connection] = []  # per worker: the end its answers are read from
        self._tasks: list[Connection] = []  # per worker: the end its batches are sent to
        self._started = []  # per worker: when its current item began (time.monotonic), 0.0 when idle
        self._given: list[deque[_Batch]] = []  # per worker: its batches not yet answered, oldest first
        self._answers: dict[int, Any] = {}  # batch number -> results, received before their turn
        self._next_batch = 0
        self._next_answer = 0
        self._lock = threading.Lock()  # the watch thread and the caller both touch the processes
        self._overran: dict[int, str] = {}  # worker -> why the watch thread ended it
        self._closed = threading.Event()
        try:
            for _ in range(count):
                self._processes.append(None)
                self._conns.append(None)
                self._tasks.append(None)
                self._started.append(None)
                self._given.append(deque())
                self._start(len(self._processes) - 1)
        except BaseException:
            self.close(kill=True)
            raise
        if budget is not None:
            threading.Thread(target=self._watch, daemon=True, name="watch-import-workers").start()

    def _start(self, worker: int) -> None:
        # One pipe each way, both widened. A worker whose answers wait unread (the caller is
        # storing a batch, ~0.5 s) stops when its pipe is full, and the socket pair used before
        # held ~200 KB, about 8 reports of ~900 words: an idle core while the caller stored. The
        # batches' pipe is widened too, so that the caller never waits to send a batch (a few
        # hundred bytes each) to a worker itself waiting for the caller to read its answers.
        their_tasks, tasks = self._context.Pipe(duplex=False)
        answers, their_answers = self._context.Pipe(duplex=False)
        _widen(their_answers)
        _widen(tasks)
        started = self._context.Value("d", 0.0, lock=False)
        process = self._context.Process(target=_serve, args=(their_tasks, their_answers, self._function, self._budget,
                                                             started, self._niceness),
                                        daemon=True, name="analyst-tui-import")
        process.start()
        # the worker's ends are the worker's alone: its death ends the pipe
        their_tasks.close()
        their_answers.close()
        with self._lock:
            self._processes[worker], self._conns[worker], self._tasks[worker] = process, answers, tasks
            self._started[worker] = started

    def submit(self, batch: list) -> None:
        """Give a batch to the worker with the fewest batches waiting."""
        worker = min(range(len(self._conns)), key=lambda i: len(self._given[i]))
        try:
            self._tasks[worker].send(batch)
        except (OSError, ValueError) as exc:
            raise WorkersLost("a worker process is gone") from exc
        self._given[worker].append(_Batch(self._next_batch, list(batch)))
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
        for result in results:
            if isinstance(result, _Raised):
                raise result.exception
        return results

    def _receive(self, timeout: float | None) -> bool:
        """Read every answer ready within ``timeout``; False if none was."""
        busy = [i for i, given in enumerate(self._given) if given]
        ready = set(wait([self._conns[i] for i in busy] + [self._processes[i].sentinel for i in busy], timeout))
        if not ready:
            return False
        for i in busy:
            conn = self._conns[i]
            if conn in ready or (self._processes[i].sentinel in ready and conn.poll(0)):
                try:
                    message = conn.recv()
                except (EOFError, OSError) as exc:
                    self._lost(i, exc)
                    continue
                self._take(i, message)
            elif self._processes[i].sentinel in ready:
                # ended with batches of its own unanswered (and no answer waiting in its pipe)
                self._lost(i, None)
        return True

    def _take(self, worker: int, message: Any) -> None:
        batch = self._given[worker][0]
        if isinstance(message, _Overran):
            message = self._on_overrun(batch.items[len(batch.received)], message.reason)
        batch.received.append(message)
        if batch.complete():
            self._given[worker].popleft()
            self._answers[batch.number] = batch.received

    def _lost(self, worker: int, cause: BaseException | None) -> None:
        """A worker's pipe ended: over its budget (answer for its item, then a new worker), or
        ``WorkersLost``."""
        process = self._processes[worker]
        process.join(5)
        with self._lock:
            reason = self._overran.pop(worker, None)
        if reason is None and process.exitcode == -signal.SIGXCPU:
            reason = OVER_TIME
        if reason is None or self._budget is None:
            raise WorkersLost("a worker process died") from cause
        batch = self._given[worker][0]
        self._take(worker, self._on_overrun(batch.items[len(batch.received)], reason))
        self._conns[worker].close()
        self._tasks[worker].close()
        self._start(worker)
        try:
            for pending in self._given[worker]:
                self._tasks[worker].send(pending.items[len(pending.received):])
        except (OSError, ValueError) as exc:
            raise WorkersLost("a worker process is gone") from exc

    def _watch(self) -> None:
        """End a worker whose current item has run past its wall-clock time or memory."""
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._closed.wait(_WATCH_SECONDS):
            now = time.monotonic()
            with self._lock:
                for i, process in enumerate(self._processes):
                    if process is None or i in self._overran or not (began := self._started[i].value):
                        continue
                    reason = OVER_TIME if now - began > self._budget.wall_seconds else None
                    if reason is None and _resident_pages(process.pid) * page > self._budget.memory_bytes:
                        reason = OVER_MEMORY
                    if reason is not None and process.is_alive():
                        self._overran[i] = reason
                        process.kill()

    def close(self, *, kill: bool) -> None:
        """Stop the workers: ``kill`` at once, or let them finish what they were given and exit."""
        self._closed.set()
        with self._lock:
            processes = [p for p in self._processes if p is not None]
            tasks, answers = [c for c in self._tasks if c is not None], [c for c in self._conns if c is not None]
            self._processes, self._conns, self._tasks, self._given, self._started = [], [], [], [], []
        for conn in tasks:
            if not kill:
                with contextlib.suppress(OSError, ValueError):
                    conn.send(None)
            conn.close()  # a worker that reads after this sees the end of its pipe and exits
        for conn in answers:
            conn.close()  # a worker writing after this gets an error and exits
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


def _resident_pages(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):  # gone, or not Linux: only the CPU limit holds there
        return 0


def _widen(conn: Connection) -> None:
    """Let a pipe hold PIPE_BYTES (Linux; elsewhere, or past the system's limit, it keeps its size;
    the kernel takes the memory as the pipe fills, not at once)."""
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _serve(tasks: Connection, conn: Connection, function: Callable[[Any], Any], budget: Budget | None,
           started, niceness: int = 0) -> None:
    """A worker: answer batches, item by item, until told to stop or the caller's end of the pipe
    closes. Ctrl+C is for the caller to handle (it stops the workers); a warning is not printed (a
    worker writes straight to the terminal, under the TUI's screen)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.simplefilter("ignore")
    if niceness:
        with contextlib.suppress(OSError):  # (a priority is a wish, never a reason to fail)
            os.nice(niceness)
    if budget is not None:
        _limit_memory(budget)
    while True:
        try:
            batch = tasks.recv()
        except (EOFError, OSError):
            return  # the caller is gone
        if batch is None:
            return
        for item in batch:
            if budget is not None:
                _limit_cpu(budget)
            started.value = time.monotonic()
            try:
                answer: Any = function(item)
            except MemoryError:
                # past the address-space ceiling: freed as the error unwound, so the worker goes on
                answer = _Overran(OVER_MEMORY) if budget is not None else _Raised(MemoryError())
            except BaseException as exc:  # raised again in the caller, as a function called there would
                answer = _Raised(exc)
            if budget is not None and _resident_pages(os.getpid()) * _PAGE > budget.memory_bytes:
                # Over budget by the end: the same answer as if the watch, which samples, had seen it
                # (an item done between two samples would otherwise pass or fail by chance).
                answer = _Overran(OVER_MEMORY)
            started.value = 0.0
            try:
                conn.send(answer)
            except (EOFError, OSError):
                return
            except Exception as exc:  # the answer cannot be pickled
                conn.send(_Raised(RuntimeError(f"a worker's answer could not be sent: {exc!r}")))


def _limit_memory(budget: Budget) -> None:
    """No core file for a worker the kernel ends, and a ceiling on its address space: the watch
    thread ends it at ``memory_bytes`` resident; this stops a growth faster than the watch."""
    import resource  # POSIX only, as budgets are

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    page = os.sysconf("SC_PAGE_SIZE")
    try:
        with open("/proc/self/statm", "rb") as handle:
            mapped = int(handle.read().split()[0]) * page
    except (OSError, ValueError):
        return
    ceiling = mapped + 2 * budget.memory_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or ceiling < hard:
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def _limit_cpu(budget: Budget) -> None:
    """The kernel sends SIGXCPU (which ends the worker) once this item has used its CPU seconds."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + budget.cpu_seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
