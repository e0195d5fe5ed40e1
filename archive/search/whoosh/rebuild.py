"""Full rebuilds of the archive's Whoosh index: built beside the live index in parallel, then swapped in.

A rebuild never empties the live index. Worker processes each read their share of the database
(a contiguous range of primary keys of every indexed model) and write one segment into their own
hidden folder inside the index folder; the segments are then moved next to the live ones and one
table-of-contents commit replaces the old segments with them. Each document is written once (no
merging), both cores work, and searches answer from the old index until the swap.

Updates made while a rebuild runs (editors' saves, imports) still go to the live index, and are also
written to a journal while the rebuild holds its lock. After the swap the journal is replayed from
the database, so an edit is not lost even when a worker read that object before it changed.
"""

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from django.apps import apps
from django.db import connections as db_connections
from haystack import connections
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from archive.search.documents import batch_for_identifiers, index_work
from archive.search.engine import RebuildError, RebuildReport
from archive.search.whoosh import frozen
from archive.search.whoosh.journal import (
    JOURNAL,
    release_rebuild_lock,
    remove_file,
    take_journal,
    take_rebuild_lock,
)
from archive.search.whoosh.store import WRITE_LOCK

logger = logging.getLogger(__name__)

STAGING = ".rebuild-"  # + a name per run; names starting with a dot are left alone by Whoosh
REPLAY_CHUNK = 1000
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
SWAP_TIMEOUT = 600  # seconds the swap waits for another writer before giving the build up


# --- building --------------------------------------------------------------------------------


def _shares(using: str, workers: int) -> tuple[list[list], dict]:
    """Split every indexed model's public primary keys into `workers` contiguous ranges."""
    unified = connections[using].get_unified_index()
    shares = [[] for _ in range(workers)]
    counts = {}
    for model in unified.get_indexed_models():
        index = unified.get_index(model)
        pks = list(index.index_queryset(using=using).order_by("pk").values_list("pk", flat=True))
        counts[str(model._meta.verbose_name_plural)] = len(pks)
        for n in range(workers):
            part = pks[len(pks) * n // workers : len(pks) * (n + 1) // workers]
            if part:
                shares[n].append((model._meta.label, part[0], part[-1]))
    return shares, counts


def _build_share(using: str, folder: str, share: list, batch_size: int, limitmb: int):
    """Index one share of the database into a new index in `folder`; returns its segment (or None)."""
    backend = connections[using].get_backend()
    if not backend.setup_complete:
        backend.setup()
    unified = connections[using].get_unified_index()
    os.makedirs(folder, exist_ok=True)
    ix = FileStorage(folder).create_index(backend.schema)
    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
    try:
        for label, first, last in share:
            index = unified.get_index(apps.get_model(label))
            queryset = index.index_queryset(using=using).filter(pk__gte=first, pk__lte=last).order_by("pk")
            after = None
            while True:
                objects = list((queryset if after is None else queryset.filter(pk__gt=after))[:batch_size])
                if not objects:
                    break
                for document in backend.documents(index, objects):
                    writer.add_document(**document)
                after = objects[-1].pk
        if not writer._added:
            writer.cancel()
            return None
        segment = writer._finalize_segment()
        writer._finish()
        # The frequent terms' postings, decoded once here (in parallel, by each worker) for every search.
        frozen.freeze_segment(FileStorage(folder), backend.schema, segment, folder, backend.frozen_fields)
        return segment
    except BaseException:
        writer.cancel()
        raise


def exit_with_parent(parent_pid: int) -> None:
    """Make this worker process end when its parent does (a rebuild killed with kill -9 must not leave
    its workers running): the kernel's parent-death signal on Linux, and a watchdog thread elsewhere
    or should the parent already be gone."""
    libc_name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and libc_name:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker_init(parent_pid: int, lock_fd: int) -> None:
    # A worker closes its copy of the lock's descriptor: the lock is the parent's alone.
    os.close(lock_fd)
    exit_with_parent(parent_pid)


def _build_share_in_worker(args):
    try:
        return _build_share(*args)
    finally:
        db_connections.close_all()


def _can_fork() -> bool:
    """Worker processes read the database over their own connections: not possible for an in-memory
    database, nor inside a transaction (the workers would not see its uncommitted rows)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    for connection in db_connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
    for connection in db_connections.all():
        is_memory = getattr(connection, "is_in_memory_db", None)
        if is_memory and is_memory():
            return False
    return True


def _open_or_reset(backend) -> None:
    """Open the live index; one whose table of contents cannot be read is emptied (a rebuild repairs it)."""
    for _ in range(3):
        try:
            backend.setup()
            backend.current_index()._read_toc()
            return
        except LockError:
            raise
        except FileNotFoundError:
            time.sleep(0.1)  # a concurrent commit replaced the table of contents meanwhile: read again
        except Exception:
            break
    logger.warning("The search index could not be opened; it is emptied and rebuilt", exc_info=True)
    backend.delete_index()


def rebuild(backend, workers: int | None = None, batch_size: int | None = None, stdout=None) -> RebuildReport:
    """Rebuild the whole index of `backend` (an ArchiveWhooshSearchBackend) from the database."""
    started = time.perf_counter()
    path = os.path.abspath(backend.path)
    os.makedirs(path, exist_ok=True)
    using = backend.connection_alias
    workers = max(1, workers or backend.rebuild_workers)
    if workers > 1 and not _can_fork():
        workers = 1
    batch_size = batch_size or backend.batch_size or 1000

    lock_fd = take_rebuild_lock(path)
    staging = os.path.join(path, STAGING + secrets.token_hex(4))
    try:
        _open_or_reset(backend)
        os.ftruncate(lock_fd, 0)
        os.write(lock_fd, f"{os.getpid()}\n".encode())
        for name in os.listdir(path):  # left by a rebuild that was killed
            if name.startswith(STAGING):
                shutil.rmtree(os.path.join(path, name), ignore_errors=True)
        remove_file(os.path.join(path, JOURNAL))
        shares, counts = _shares(using, workers)
        if stdout is not None:
            listed = ", ".join(f"{count:,} {name}" for name, count in counts.items())
            stdout.write(f"Indexing {listed} with {workers} worker{'s' if workers > 1 else ''}.")
        tasks = [
            (using, os.path.join(staging, f"part{n}"), share, batch_size, backend.limitmb)
            for n, share in enumerate(shares)
            if share
        ]
        if workers > 1 and len(tasks) > 1:
            db_connections.close_all()  # each worker opens its own connections
            context = multiprocessing.get_context("fork")
            # Workers drop their copy of the lock (it is released when the parent ends) and end with it.
            pool = ProcessPoolExecutor(
                max_workers=len(tasks), mp_context=context, initializer=_worker_init, initargs=(os.getpid(), lock_fd)
            )
            with pool:
                segments = list(pool.map(_build_share_in_worker, tasks))
        else:
            segments = [_build_share(*task) for task in tasks]
        built = [(task[1], segment) for task, segment in zip(tasks, segments, strict=True) if segment is not None]
        replayed = _swap_and_replay(backend, path, built, lock_fd)
    except BaseException:
        remove_file(os.path.join(path, JOURNAL))  # the live index holds those updates already
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(lock_fd)  # releases the lock if still held
    return RebuildReport(counts=counts, workers=workers, seconds=time.perf_counter() - started, replayed=replayed)


def _swap_and_replay(backend, path: str, built: list, lock_fd: int) -> int:
    """Swap the built segments in, then re-apply the journaled updates until none is left; returns how many."""
    identifiers = _swap(backend, path, built, lock_fd)
    replayed = 0
    while identifiers:
        try:
            replay(backend, identifiers)
        except BaseException as error:  # also an interruption: say what is left to do
            raise RebuildError(
                f"The new index is in place, but {len(identifiers):,} updates made during the rebuild could not "
                f"be re-applied ({error!r}); `manage.py check_index --repair` brings the index in step.",
                index_unchanged=False,
            ) from error
        replayed += len(identifiers)
        # Updates made meanwhile were journaled too (the lock is still held): take them, until a
        # check under the index's write lock finds none; from then on updates go to the index alone.
        with _write_locked(backend):
            identifiers = take_journal(path)
            if not identifiers:
                release_rebuild_lock(lock_fd)
    return replayed


@contextmanager
def _write_locked(backend):
    """A writer of the live index, held with this process's and Whoosh's write locks; cancelled at the
    end of the block unless the block finished it."""
    with WRITE_LOCK:
        writer = backend.open_writer(timeout=SWAP_TIMEOUT)
        try:
            yield writer
        finally:
            if not writer.is_closed:
                writer.cancel()


def _swap(backend, path: str, built: list, lock_fd: int) -> list[str]:
    """Replace the live segments with the built ones in one commit; returns the journaled identifiers."""
    with _write_locked(backend) as writer:
        identifiers = take_journal(path)
        segments = []
        for folder, segment in built:
            prefix = f"{segment.segment_id()}."
            for name in os.listdir(folder):
                if name.startswith(prefix):
                    os.replace(os.path.join(folder, name), os.path.join(path, name))
            segments.append(segment)
        if not identifiers:
            release_rebuild_lock(lock_fd)  # nothing to replay: from now on updates go to the new index alone
        writer._close_segment()  # the writer's own segment stays empty
        writer._commit_toc(segments)  # also deletes the old segments' files
        writer._finish()
    return identifiers


def replay(backend, identifiers) -> None:
    """Bring the documents of these identifiers ("app.model.pk") in line with the database."""
    for start in range(0, len(identifiers), REPLAY_CHUNK):
        batch = batch_for_identifiers(identifiers[start : start + REPLAY_CHUNK])
        work, removals = index_work(batch, backend.connection_alias)
        backend.update_many(work, removals, journal_updates=False)
