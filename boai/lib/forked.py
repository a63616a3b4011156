"""CPU-bound work on a second core: a child process forked from this one computes ``fn(item)`` for each
item while this process goes on (with the database, or with its own share), and streams the results
back in order through a pipe. Used by large imports (registry.services.imports), whose validation and
encryption are pure computation.

The child only computes: it never opens a cursor, writes to the cache or logs (what it inherited is
this process's, and used from two processes at once it would be corrupted), and it leaves with
``os._exit`` so nothing of this process is closed or flushed twice. If it fails or dies, this process
computes the rest itself: the result is the same, only slower."""

import contextlib
import logging
import os
import pickle
import signal
from collections.abc import Callable, Iterator

logger = logging.getLogger(__name__)


def forked_map(fn: Callable, items: list) -> Iterator:
    """``map(fn, items)``, computed in a child forked now. The child runs at most one result ahead of
    the reader (the pipe holds the next one): its memory stays that of a result or two."""
    items = list(items)
    if not items or not hasattr(os, "fork"):
        return (fn(item) for item in items)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        _compute(write_fd, fn, items)  # never returns
    os.close(write_fd)
    return _results(pid, read_fd, fn, items)


def _compute(write_fd: int, fn: Callable, items: list) -> None:
    code = 0
    try:
        with os.fdopen(write_fd, "wb") as out:
            for item in items:
                pickle.dump(fn(item), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
    except BaseException:  # noqa: BLE001 - the reader sees the pipe end early and computes the rest
        code = 1
    finally:
        os._exit(code)


def _results(pid: int, read_fd: int, fn: Callable, items: list) -> Iterator:
    done = 0
    try:
        with os.fdopen(read_fd, "rb") as source:
            while done < len(items):
                try:
                    result = pickle.load(source)  # noqa: S301 - written by our own child, through our own pipe
                except Exception:  # noqa: BLE001 - the pipe ended early (EOFError) or mid-result
                    logger.warning("forked work ended after %d of %d items: computing the rest here", done, len(items))
                    break
                done += 1
                yield result
    finally:
        if done < len(items):  # the reader stopped early (an error) or the child failed: no orphan left
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    for item in items[done:]:
        yield fn(item)
