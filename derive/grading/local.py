"""Grading on this machine: in ``--jobs N`` warmed checker processes fed from one queue (one
for ``--jobs 1``), each with a hard deadline per submission
(:class:`~derive.grading.child.Child`).

>>> from derive.grading.key import Entry
>>> from derive.grading.submissions import Submission
>>> tasks = [Task.of(Submission("ada", "sq", ("(a+b)^2", "a^2+2a b+b^2")), Entry("sq"))]
>>> [r["verdict"] for r in grade(tasks, jobs=1, budget=5.0, catalog=False)]
['correct']

Results come back as they finish (in any order with several jobs), so that the caller can keep
each one at once.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from derive.grading.child import Child
from derive.grading.worker import Task, record

_DONE = object()


def grade(
    tasks: Sequence[Task], *, jobs: int, budget: float, catalog: bool
) -> Iterator[dict[str, Any]]:
    """Each task's record, as it finishes."""
    yield from _in_children(tasks, min(max(1, jobs), max(1, len(tasks))), budget, catalog)


def _in_children(
    tasks: Sequence[Task], jobs: int, budget: float, catalog: bool
) -> Iterator[dict[str, Any]]:
    todo: queue.Queue[Task] = queue.Queue()
    for task in tasks:
        todo.put(task)
    done: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()

    def serve() -> None:
        with Child(budget, catalog) as child:
            while not stop.is_set():
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    break
                start = time.perf_counter()
                result = child.ask(task.request)
                done.put(record(task, result, 1000 * (time.perf_counter() - start)))
        done.put(_DONE)

    threads = [threading.Thread(target=serve, daemon=True) for _ in range(jobs)]
    for thread in threads:
        thread.start()
    finished = 0
    try:
        while finished < len(threads):
            item = done.get()
            if item is _DONE:
                finished += 1
            else:
                yield item
    finally:
        stop.set()
        for thread in threads:
            thread.join()
