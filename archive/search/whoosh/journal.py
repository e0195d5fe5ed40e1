"""The rebuild's lock and the journal of updates made while a rebuild runs.

A running rebuild holds an exclusive lock (flock) on LOCK_FILE until its journal is replayed; the
lock, not a process id, tells other processes (even in other containers sharing the folder) that it
runs, and it is released with the index's write lock held, so no update is journaled after the last
replay. Names starting with a dot are left alone by Whoosh's file clean-up.
"""

import fcntl
import os
import time

from archive.search.engine import RebuildError

LOCK_FILE = ".rebuild.lock"
JOURNAL = ".rebuild.journal"


def rebuild_running(path: str) -> bool:
    try:
        fd = os.open(os.path.join(path, LOCK_FILE), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also releases a shared lock just taken
    return False


def journal(path: str, identifiers) -> None:
    """Record updated identifiers for a running rebuild to replay (called with the index's write lock held)."""
    if identifiers and rebuild_running(path):
        with open(os.path.join(path, JOURNAL), "a", encoding="utf-8") as f:
            f.write("".join(f"{identifier}\n" for identifier in identifiers))


def take_journal(path: str) -> list[str]:
    """The journaled identifiers, emptying the journal (with the index's write lock held)."""
    try:
        with open(os.path.join(path, JOURNAL), encoding="utf-8") as f:
            identifiers = list(dict.fromkeys(line.strip() for line in f if line.strip()))
    except FileNotFoundError:
        return []
    remove_file(os.path.join(path, JOURNAL))
    return identifiers


def take_rebuild_lock(path: str) -> int:
    """Take the rebuild lock (a save checking it holds it shared for an instant: retry briefly)."""
    fd = os.open(os.path.join(path, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + 2
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise RebuildError("A rebuild of this index is already running.") from None
            time.sleep(0.05)


def release_rebuild_lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)


def remove_file(filename: str) -> None:
    try:
        os.remove(filename)
    except FileNotFoundError:
        pass
