"""Running per-partition work on the active dask scheduler, with partitions done as progress.

Every dask step of the checks is a list of tasks, one per partition (or per hash bucket), whose
results are small: counts, a few rows, a table of tallies. ``run_parts`` computes such a list on
whatever scheduler is active and advances a ``core.progress`` task as each one finishes, so the
CLI's bar and the notebook's status line show partitions done. With a ``dask.distributed``
client the parts are futures (``as_completed``); otherwise dask's local scheduler runs them and
a scheduler callback counts the finished parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.progress import task

LOCAL_SCHEDULERS = frozenset({"threads", "threading", "sync", "synchronous", "single-threaded",
                              "processes", "multiprocessing"})


def active_client() -> Any | None:
    """The default ``dask.distributed`` client, if one is connected (else None).

    A local scheduler named in dask's config (``dask.config.set(scheduler="threads")``) wins
    over a connected client, as it does for ``dask.compute`` itself.
    """
    import dask

    if dask.config.get("scheduler", None) in LOCAL_SCHEDULERS:
        return None
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:
        return None


def scheduler_name() -> str:
    """What runs the tasks, for the report: ``distributed`` (with its worker count) or local."""
    client = active_client()
    if client is None:
        import dask

        return f"local ({dask.config.get('scheduler', None) or 'threads'})"
    try:
        workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
    except (TypeError, OSError):
        workers = len(client.scheduler_info().get("workers", {}))
    return f"distributed ({workers} worker{'s' if workers != 1 else ''})"


def run_parts(parts: Sequence[Any], label: str, *, keep: bool = False) -> list[Any]:
    """Compute ``parts`` (dask Delayed objects), in order, reporting each one finished.

    With ``keep`` on a distributed client the results stay on the workers (the futures are
    returned, to be fed into the next graph); otherwise the results themselves are returned.
    """
    if not parts:
        return []
    client = active_client()
    with task(label, total=len(parts)) as step:
        if client is not None:
            return _run_distributed(client, parts, step, keep)
        return _run_local(parts, step)


def _run_distributed(client: Any, parts: Sequence[Any], step: Any, keep: bool) -> list[Any]:
    from distributed import as_completed

    futures = client.compute(list(parts))
    for _ in as_completed(futures):
        step.advance()
    if keep:
        return list(futures)
    return list(client.gather(futures))


def _run_local(parts: Sequence[Any], step: Any) -> list[Any]:
    import dask
    from dask.callbacks import Callback

    wanted = {part.key for part in parts}

    def finished(key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
        if key in wanted:
            step.advance()

    with Callback(posttask=finished):
        return list(dask.compute(*parts))
