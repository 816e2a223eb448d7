"""One input read and extracted, and many run through worker processes with results streamed back
in input order. Below both the pipeline and the batch runner: ``Pipeline.map`` and a Path given to
``Pipeline`` run here, and ``batch`` (which finds the inputs) runs here too, so neither of those
imports the other's caller. The pipeline is passed in (``pipeline``, or ``factory`` called with the
options in each worker), never imported.

Work in flight is bounded; a worker that dies on one input costs a Problem for that input, not the
batch.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import os
import signal
import stat
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .normalise import scrub_surrogates
from .records import PageResult, Problem, Source

if TYPE_CHECKING:  # for annotations only: the pipeline imports this module
    from .pipeline import Options, Pipeline

#: Extensions a directory walk picks up; a file named explicitly is read whatever its extension.
#: Each may carry a further ``.gz`` (pages.jsonl.gz): the file is then read through gzip.
EXTENSIONS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
              ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: What reading a gzip file can raise besides OSError (a truncated stream, a corrupt block).
_GZIP_ERRORS = (OSError, EOFError, zlib.error)
_EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of ""


@dataclass(frozen=True)
class Input:
    """One page to extract: raw text or bytes, or a file a worker reads."""

    name: str | None
    raw: str | bytes | None = None
    path: str | None = None
    html: bool = False
    id: str | None = None  # the page's id when it is not the name (a JSON record's --id-field)
    encoding: str | None = None  # of the JSON file a record came from, for source.encoding
    notes: tuple[Problem, ...] = ()  # about the record rather than its text (a duplicate id …)


@dataclass(frozen=True)
class Failure:
    """An input that yielded no page at all (unreadable file, a JSON line that is not JSON …)."""

    name: str | None
    problem: Problem

    def page(self) -> PageResult:
        """The Failure as a PageResult with no text, for callers that want pages only."""
        name, problem = self.scrubbed()
        return PageResult(id=name, source=Source(name=name, sha256=_EMPTY_SHA), text="", problems=(problem,))

    def scrubbed(self) -> tuple[str | None, Problem]:
        """Name and Problem with any lone surrogate (a file name that is not UTF-8, a JSON escape in
        an id) replaced by U+FFFD, as the pipeline does for pages; the message says so."""
        name, n, _ = scrub_surrogates(self.name) if isinstance(self.name, str) else (self.name, 0, None)
        message, m, _ = scrub_surrogates(self.problem.message)
        if n:
            message += " (lone surrogates in the name were replaced with U+FFFD)"
        if not (n or m):
            return self.name, self.problem
        return name, self.problem.model_copy(update={"message": message})


def _gz(path: str) -> bool:
    return path.lower().endswith(".gz")


def _kind(path: str, default: str = "text") -> str:
    """text, html, json or jsonl, from the extension under any ``.gz``."""
    if _gz(path):
        path = path[:-3]
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), default)


def _open(path: str):
    """The file as a binary stream, decompressed when its name ends in ``.gz``."""
    return gzip.open(path, "rb") if _gz(path) else open(path, "rb")


def _read_failure(path: str, exc: Exception) -> Failure:
    why = getattr(exc, "strerror", None) or exc
    return Failure(path, Problem(code="read-error", message=f"{type(exc).__name__}: {why}"))


def _regular(path: str) -> OSError | None:
    """Refuse what is not a regular file: a FIFO or a device would block or never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return exc
    if not stat.S_ISREG(mode):
        return OSError(0, "not a regular file", path)
    return None


# --- running -----------------------------------------------------------------------------------

_worker: Pipeline | None = None


def _die_with_parent(parent: int | None) -> None:
    """End this worker when the process that started it ends, however it ends: SIGTERM from
    ``timeout``, systemd or a job scheduler, SIGKILL, a crash. Left alone, a worker is adopted by
    init and lives on with its 170 MB until its queue read fails.

    Two guards. On Linux the kernel sends SIGKILL at once (prctl PR_SET_PDEATHSIG), even while
    the worker is deep in C code holding the GIL. Everywhere (POSIX), a daemon thread checks twice
    a second whether the worker has been re-parented (os.getppid() changed) and exits if so: it
    needs no ctypes and also covers the start of a worker whose parent was already gone (``parent``,
    the pid the worker should see as its parent, or None when a fork server stands between).
    PR_SET_PDEATHSIG fires when the *thread* that forked the worker ends; the pool forks from the
    thread that submits work, which outlives the pool unless a caller hands a half-read
    ``Pipeline.map`` iterator to another thread and lets the first one end."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    ppid = os.getppid()
    if parent is not None and ppid != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == ppid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="cnextract-parent-watch", daemon=True).start()


def _init_worker(factory: Callable[[Options], Pipeline], options: Options, parent: int | None = None) -> None:
    global _worker
    _die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the parent alone handles it. A worker that took it
    # printed a traceback, and one stopped while sending its result left a half message that
    # wedged the pool's reader thread, so the parent's exit waited forever (about 1 run in 12).
    # The parent held SIGINT blocked while it forked, so none arrives before this line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _worker = factory(options).load()
    # a worker process is ours and what it has loaded (rules, jieba's dictionary table) lives as
    # long as it does: the cycle collector need not walk those objects again (about 5% of
    # extraction time on the corpus went to collections)
    gc.freeze()


def _read(fh, limit: int) -> bytes | None:
    """The file's bytes, or None when there are more than ``limit`` (at most limit + 1 are read,
    so a file that grew after it was measured is still never read whole)."""
    data = fh.read(limit + 1)
    return None if len(data) > limit else data


def _digest(fh) -> tuple[str, int]:
    """sha256 and length of a file's bytes (decompressed, for .gz), read in 1 MB chunks from the
    start (constant memory)."""
    fh.seek(0)
    h, n = hashlib.sha256(), 0
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n


def _extract(nlp: Pipeline, item: Input) -> PageResult | Failure:
    raw, page = item.raw, None
    if item.path is not None:
        # the check the CLI makes when it lists inputs, made again for Pipeline.map(Path): a FIFO
        # would block the open and /dev/zero never end
        bad = _regular(item.path)
        if bad is not None:
            return _read_failure(item.path, bad)
        limit = nlp.options.max_size
        try:
            with _open(item.path) as fh:
                # measured before it is read (a gzip stream only as it is read): a file over the
                # limit is never read into memory, only streamed through sha256
                over = not _gz(item.path) and os.fstat(fh.fileno()).st_size > limit
                raw = None if over else _read(fh, limit)
                if raw is None:
                    digest, size = _digest(fh)
                    page = nlp.too_large(item.name, size, digest, id=item.id)
        except _GZIP_ERRORS as exc:
            return _read_failure(item.path, exc)
    if page is None:
        # .html files are read as HTML; other inputs are detected by their first characters
        page = nlp(raw, name=item.name, html=True if item.html else None, id=item.id)
    if item.encoding is not None or item.notes:
        page = page.model_copy(update={
            "problems": item.notes + page.problems,
            "source": page.source.model_copy(update={"encoding": item.encoding or page.source.encoding})})
    return page


def _work(item: Input, encode: Callable | None):
    result = _extract(_worker, item)
    return encode(result) if encode else result


def _crashed(item: Input, what: str) -> Failure:
    return Failure(item.name, Problem(code="worker-crash", message=f"the worker process died on this "
                                      f"input ({what}); the other inputs were extracted"))


def _error(item: Input, exc: BaseException) -> Failure:
    return Failure(item.name, Problem(code="internal-error",
                                      message=f"extraction failed: {type(exc).__name__}: {exc}"[:500]))


#: multiprocessing start method for the workers; None is the platform default.
START_METHOD: str | None = None


def run(items: Iterable[Input | Failure], options: Options, factory: Callable[[Options], Pipeline],
        jobs: int = 1, encode: Callable | None = None, window: int | None = None,
        pipeline: Pipeline | None = None) -> Iterator[tuple[Input | Failure, object]]:
    """Yield ``(item, result)`` in input order; result is a PageResult or Failure, or ``encode``
    of it (applied in the worker, so the parent does not re-serialise). jobs=1 runs in-process,
    on ``pipeline`` when given; otherwise ``factory(options)`` makes the pipeline (in each worker)."""
    if jobs <= 1:
        nlp = (pipeline or factory(options)).load()
        for item in items:
            if isinstance(item, Failure):
                res = item
            else:
                try:
                    res = _extract(nlp, item)
                except Exception as exc:  # noqa: BLE001 - one bad input must not end the batch
                    res = _error(item, exc)
            yield item, (encode(res) if encode else res)
        return
    yield from _pool_run(iter(items), options, factory, jobs, encode, window or 4 * jobs)


def _pool_run(items: Iterator, options: Options, factory: Callable[[Options], Pipeline], jobs: int, encode,
              window: int):
    import multiprocessing

    ctx = multiprocessing.get_context(START_METHOD)
    parent = None if ctx.get_start_method() == "forkserver" else os.getpid()

    def new_pool(n: int) -> ProcessPoolExecutor:
        return _Pool(n, mp_context=ctx, initializer=_init_worker, initargs=(factory, options, parent))

    factory(options)  # fail here, once, on bad options; with fork the workers inherit the rules
    pool = new_pool(jobs)
    # entries: [item, future-or-None, suspect]; a suspect was in flight when a worker died
    pending: deque[list] = deque()
    suspects = 0
    done = False

    def fill():
        nonlocal done
        while not done and not suspects and len(pending) < window:
            item = next(items, None)
            if item is None:
                done = True
                return
            fut = None if isinstance(item, Failure) else pool.submit(_work, item, encode)
            pending.append([item, fut, False])

    def encoded(res):
        return encode(res) if encode else res

    try:
        fill()
        while pending:
            entry = pending.popleft()
            item, fut, suspect = entry
            if isinstance(item, Failure):
                res = encoded(item)
            elif suspect:
                # run alone in a one-worker pool: if it kills that one too, it is the culprit
                suspects -= 1
                try:
                    res = pool.submit(_work, item, encode).result()
                except BrokenProcessPool as exc:
                    res = encoded(_crashed(item, str(exc) or "killed"))
                    pool.shutdown(wait=True)
                    pool = new_pool(1)
                except Exception as exc:  # noqa: BLE001
                    res = encoded(_error(item, exc))
                if not suspects:
                    pool.shutdown(wait=True)
                    pool = new_pool(jobs)
            else:
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    # a worker died: whatever was still in flight is suspect and rerun one by one
                    entry[2] = True
                    pending.appendleft(entry)
                    for other in pending:
                        f = other[1]
                        if f is not None and not (f.done() and f.exception() is None):
                            other[2] = True
                    suspects = sum(1 for e in pending if e[2])
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = new_pool(1)
                    continue
                except Exception as exc:  # noqa: BLE001
                    res = encoded(_error(item, exc))
            yield item, res
            fill()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


class _Pool(ProcessPoolExecutor):
    """A process pool whose workers are forked with SIGINT blocked (see _init_worker)."""

    def submit(self, *args, **kwargs):
        if not hasattr(signal, "pthread_sigmask"):
            return super().submit(*args, **kwargs)
        # the pool starts its workers from submit(): a worker inherits this thread's signal mask
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            return super().submit(*args, **kwargs)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
