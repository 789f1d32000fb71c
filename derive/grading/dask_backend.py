"""Grading on an existing Dask cluster (``derive grade … --dask ADDRESS``).

>>> partitions(list(range(7)), workers=1)
[[0, 1], [2, 3], [4, 5], [6]]

The submissions are cut into partitions (about four per worker, at most :data:`MOST` each);
each partition is a task graded by a worker through its own warmed checker process (a
:class:`~derive.grading.child.Child` started once per worker by a worker plugin, so the
mistake index is built once per worker, and the budget holds: SIGALRM works in the child's main
thread, not in a Dask worker's threads). Results are kept as each partition finishes. The
plugin is removed at the end, which stops the workers' checker processes. Workers need derive
installed (the same version as the client).

This module is imported only with ``--dask``: without it nothing of Dask is imported.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from distributed import Client, WorkerPlugin, as_completed, get_worker

from derive.core.errors import UsageError
from derive.grading.child import Child
from derive.grading.worker import Task, record

NAME = "derive-grading"
MOST = 200  # submissions per partition
T = TypeVar("T")

# the checker process of each worker in this process, by worker address (a LocalCluster with
# processes=False runs several workers in one process)
_children: dict[str, tuple[Child, threading.Lock]] = {}


def partitions(items: Sequence[T], workers: int) -> list[list[T]]:
    """``items`` in consecutive partitions, about four per worker."""
    size = max(1, min(MOST, -(-len(items) // max(1, 4 * workers))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class Warmed(WorkerPlugin):
    """Starts a worker's checker process when the plugin is registered; stops it when the
    plugin is removed or the worker closes."""

    name = NAME

    def __init__(self, budget: float, catalog: bool) -> None:
        self.budget = budget
        self.catalog = catalog

    def setup(self, worker: Any) -> None:
        child = Child(self.budget, self.catalog)
        child.start()  # it warms up while the tasks are sent
        _children[worker.address] = (child, threading.Lock())

    def teardown(self, worker: Any) -> None:
        entry = _children.pop(worker.address, None)
        if entry is not None:
            entry[0].close()


def grade_partition(tasks: list[Task]) -> list[dict[str, Any]]:
    """Grade a partition on this worker, in its warmed checker process."""
    import time

    child, lock = _children[get_worker().address]
    out = []
    with lock:
        for task in tasks:
            start = time.perf_counter()
            result = child.ask(task.request)
            out.append(record(task, result, 1000 * (time.perf_counter() - start)))
    return out


def grade(
    tasks: Sequence[Task], address: str, *, budget: float, catalog: bool
) -> Iterator[dict[str, Any]]:
    """Each task's record, a partition at a time as they finish on the cluster."""
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"--dask: cannot reach the scheduler at {address!r} ({error})") from None
    try:
        workers = len(client.scheduler_info()["workers"])
        if workers == 0:
            raise UsageError(f"--dask: the cluster at {address!r} has no workers")
        client.register_plugin(Warmed(budget, catalog), name=NAME)
        try:
            futures = client.map(grade_partition, partitions(tasks, workers), pure=False)
            for future in as_completed(futures):
                yield from future.result()
        finally:
            client.unregister_worker_plugin(NAME)
    finally:
        client.close()
