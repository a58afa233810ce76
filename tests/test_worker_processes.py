"""``db.worker_processes.OrderedWorkers``: answers in the order given, errors raised in the
caller, and a worker killed in the middle of writing a long answer seen as lost, not waited for."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest

from db.worker_processes import NOT_YET, OrderedWorkers, WorkersLost

from tests.factories import children_left


def slow_square(number: int) -> int:
    """Slower for the first numbers: later batches finish first, on the other worker."""
    time.sleep(0.2 if number < 3 else 0)
    return number * number


def fail_on_three(number: int) -> int:
    if number == 3:
        raise ValueError("three")
    return number


def long_answer(length: int) -> str:
    return "x" * length


def own_niceness(_item) -> int:
    return os.nice(0)


def test_answers_come_in_the_order_the_batches_were_given():
    workers = OrderedWorkers(slow_square, 2)
    try:
        batches = [[0, 1], [2, 3], [4], [5, 6, 7], [8]]
        for batch in batches:
            workers.submit(batch)
        assert workers.answer(0) is NOT_YET  # the first batch sleeps
        assert [workers.answer(None) for _ in batches] == [[n * n for n in batch] for batch in batches]
    finally:
        workers.close(kill=False)
    assert not children_left(), "the workers did not exit when told to"


def test_workers_run_below_the_callers_priority_when_asked():
    # the importer's storing thread must not be left two thirds of a core by its own workers
    from db.importer import WORKER_NICENESS

    mine = os.nice(0)
    for niceness, expected in ((0, mine), (WORKER_NICENESS, min(19, mine + WORKER_NICENESS))):
        workers = OrderedWorkers(own_niceness, 1, niceness=niceness)
        try:
            workers.submit([None])
            assert workers.answer(None) == [expected]
        finally:
            workers.close(kill=True)
    assert WORKER_NICENESS > 0 and os.nice(0) == mine


def test_an_error_in_the_function_is_raised_for_its_batch_only():
    workers = OrderedWorkers(fail_on_three, 2)
    try:
        for batch in [[1, 2], [3], [4]]:
            workers.submit(batch)
        assert workers.answer(None) == [1, 2]
        with pytest.raises(ValueError, match="three"):
            workers.answer(None)
        assert workers.answer(None) == [4]
    finally:
        workers.close(kill=True)


def test_a_worker_killed_while_writing_a_long_answer_is_lost_not_waited_for():
    """The answer (8 MB) is far longer than the pipe holds: the worker is still writing it when
    it is killed, and the answer must end in ``WorkersLost`` rather than a wait for the rest."""
    earlier = {child.pid for child in multiprocessing.active_children()}
    workers = OrderedWorkers(long_answer, 1)
    outcome: list[object] = []
    try:
        workers.submit([8_000_000])
        # this pool's own worker: a child left by an earlier test may still be in the list
        worker = next(child for child in multiprocessing.active_children() if child.pid not in earlier)
        # the answer has begun to arrive; nothing reads it, so the worker is stuck writing the rest
        assert workers._conns[0].poll(30), "the worker never began its answer"
        time.sleep(0.2)
        os.kill(worker.pid, signal.SIGKILL)

        def take() -> None:
            try:
                outcome.append(workers.answer(None))
            except WorkersLost as lost:
                outcome.append(lost)

        reader = threading.Thread(target=take, daemon=True)
        reader.start()
        reader.join(30)
        assert not reader.is_alive(), "the reader waits for an answer that will never come"
        assert len(outcome) == 1 and isinstance(outcome[0], WorkersLost)
        # multiprocessing's words for a pipe that ended part-way through a message
        assert "end of file during message" in str(outcome[0].__cause__), "the worker was not killed mid-answer"
    finally:
        workers.close(kill=True)
    assert not children_left()


def test_killing_the_workers_stops_them_mid_work():
    workers = OrderedWorkers(time.sleep, 2)
    workers.submit([60])
    workers.submit([60])
    workers.close(kill=True)
    assert not children_left(), "a killed worker went on"


# --- budgets (issue 17.2) -------------------------------------------------------------------------

def burn(item):
    """Busy for ``item`` seconds of CPU (negative: allocate -item MB and hold them), else quick."""
    kind, amount = item
    if kind == "cpu":
        end = time.process_time() + amount
        while time.process_time() < end:
            pass
    elif kind == "memory":
        held = bytearray(amount * 1024 * 1024)
        for i in range(0, len(held), 4096):  # touched: resident, not only mapped
            held[i] = 1
        time.sleep(2)
    elif kind == "sleep":
        time.sleep(amount)
    return f"done {kind} {amount}"


def overrun(item, reason):
    return f"over {reason}: {item[0]}"


def test_an_item_over_its_cpu_budget_is_answered_as_an_overrun_and_the_rest_goes_on():
    from db.worker_processes import Budget

    workers = OrderedWorkers(burn, 1, budget=Budget(cpu_seconds=1, memory_bytes=512 * 1024**2),
                             on_overrun=overrun)
    started = time.monotonic()
    try:
        workers.submit([("cpu", 0), ("cpu", 60), ("cpu", 0.1)])
        workers.submit([("cpu", 0.1)])
        assert workers.answer(120) == ["done cpu 0", "over time: cpu", "done cpu 0.1"]
        assert workers.answer(60) == ["done cpu 0.1"]
    finally:
        workers.close(kill=True)
    assert time.monotonic() - started < 30  # ended near its 1 s, not after its 60
    assert not children_left()


def test_an_item_over_its_memory_budget_is_ended_and_named():
    from db.worker_processes import Budget

    workers = OrderedWorkers(burn, 2, budget=Budget(cpu_seconds=20, memory_bytes=200 * 1024**2),
                             on_overrun=overrun)
    try:
        workers.submit([("memory", 600), ("cpu", 0)])
        workers.submit([("memory", 20)])
        assert workers.answer(60) == ["over memory: memory", "done cpu 0"]
        assert workers.answer(60) == ["done memory 20"]
    finally:
        workers.close(kill=True)
    assert not children_left()


def test_an_item_blocked_past_its_wall_clock_budget_is_ended():
    from db.worker_processes import Budget

    workers = OrderedWorkers(burn, 1, budget=Budget(cpu_seconds=0.5, memory_bytes=512 * 1024**2, wall_factor=4),
                             on_overrun=overrun)
    started = time.monotonic()
    try:
        workers.submit([("sleep", 60), ("sleep", 0)])
        assert workers.answer(60) == ["over time: sleep", "done sleep 0"]
    finally:
        workers.close(kill=True)
    assert time.monotonic() - started < 30


def test_a_worker_killed_by_hand_is_still_lost_not_an_overrun():
    from db.worker_processes import Budget

    workers = OrderedWorkers(burn, 1, budget=Budget(cpu_seconds=30, memory_bytes=512 * 1024**2),
                             on_overrun=overrun)
    try:
        workers.submit([("sleep", 30)])
        time.sleep(0.5)
        os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
        with pytest.raises(WorkersLost):
            workers.answer(30)
    finally:
        workers.close(kill=True)
