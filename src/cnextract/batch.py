"""Batch runs: find inputs (files, directories, globs, stdin, JSON records), run them through one
Pipeline per worker process, and stream results back in input order.

Work in flight is bounded, so a directory of a million pages or a 10 GB JSONL file never sits in
memory. A worker that dies on one input costs a Problem for that input, not the batch.
"""

from __future__ import annotations

import fnmatch
import gc
import glob
import hashlib
import json
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import NamedTuple

from .pipeline import Options, Pipeline
from .records import SCHEMA_VERSION, PageResult, Problem, Source

#: Extensions a directory walk picks up; a file named explicitly is read whatever its extension.
EXTENSIONS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
              ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of ""


@dataclass(frozen=True)
class Input:
    """One page to extract: raw text or bytes, or a file a worker reads."""

    name: str | None
    raw: str | bytes | None = None
    path: str | None = None
    html: bool = False


@dataclass(frozen=True)
class Failure:
    """An input that yielded no page at all (unreadable file, a JSON line that is not JSON …)."""

    name: str | None
    problem: Problem

    def page(self) -> PageResult:
        """The Failure as a PageResult with no text, for callers that want pages only."""
        return PageResult(source=Source(name=self.name, sha256=_EMPTY_SHA), text="", problems=(self.problem,))


def problem_line(failure: Failure) -> str:
    """The ``cnextract.problem`` JSON line written for a Failure."""
    body = {"schema": "cnextract.problem", "version": SCHEMA_VERSION, "source": failure.name}
    body.update(failure.problem.model_dump(exclude_none=True))
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


# --- finding inputs -------------------------------------------------------------------------

def _kind(path: str, default: str = "text") -> str:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), default)


def _walk(root: str) -> Iterator[str | Failure]:
    """Files under ``root`` with a known extension, sorted; unreadable directories become Failures."""
    def onerror(exc: OSError) -> None:
        failures.append(Failure(exc.filename or root, Problem(code="read-error", message=str(exc))))

    failures: list[Failure] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames.sort()
        yield from failures
        failures.clear()
        for name in sorted(filenames):
            if os.path.splitext(name)[1].lower() in EXTENSIONS:
                yield os.path.join(dirpath, name)
    yield from failures


def _entries(d: str) -> list[tuple[str, bool]]:
    """(name, is a directory) of a directory's entries, sorted; none when it cannot be listed."""
    out = []
    try:
        with os.scandir(d or os.curdir) as it:
            for e in it:
                try:
                    out.append((e.name, e.is_dir()))
                except OSError:
                    out.append((e.name, False))
    except OSError:
        return []
    return sorted(out)


def _fits(name: str, part: str) -> bool:
    """One path component against one pattern component, as glob does (``*`` skips dot-names)."""
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, part) if glob.has_magic(part) else name == part


def _iglob(pattern: str) -> Iterator[str]:
    """What ``glob.glob(pattern, recursive=True)`` matches, streamed (sorted within each
    directory), entering each directory once per pattern position: a symlink loop under ``**``
    is entered once, not until the path is too long."""
    parts = pattern.split(os.sep)
    i = 0
    while i < len(parts) and not glob.has_magic(parts[i]):
        i += 1
    base = os.sep.join(parts[:i]) or (os.sep if i else "")
    rest = [p for k, p in enumerate(parts[i:]) if not (p == "**" and k and parts[i + k - 1] == "**")]
    if rest:
        yield from _glob_in(base, rest, set())


def _glob_in(d: str, parts: list[str], visited: set, below: bool = False) -> Iterator[str]:
    """Matches of ``parts`` under directory ``d``; ``below``: d was reached by a ``**`` itself."""
    part, rest = parts[0], parts[1:]
    if part == "**":
        try:
            st = os.stat(d or os.curdir)
        except OSError:
            return
        key = (st.st_dev, st.st_ino, len(parts))
        if key in visited:
            return  # this directory (or a link back to it) was searched for this already
        visited.add(key)
        if not rest and d and not below:
            yield os.path.join(d, "")  # ** matches no directory at all: glob's 'd/'
        # what the rest matches here and what ** matches below, in path order
        events = []
        for name, is_dir in _entries(d):
            path = os.path.join(d, name)
            if not rest:
                if not name.startswith("."):
                    events.append((name, 0, path, None))
            elif _fits(name, rest[0]):
                if len(rest) == 1:
                    events.append((name, 0, path, None))
                elif is_dir:
                    events.append((name + os.sep, 0, path, rest[1:]))
            if is_dir and not name.startswith("."):
                events.append((name + os.sep, 1, path, parts))
        for _, _, path, sub in sorted(events, key=lambda e: e[:2]):
            if sub is None:
                yield path
            else:
                yield from _glob_in(path, sub, visited, sub is parts)
    elif not glob.has_magic(part):
        path = os.path.join(d, part)
        if not rest:
            if os.path.lexists(path):
                yield path
        elif os.path.isdir(path):
            yield from _glob_in(path, rest, visited)
    else:
        for name, is_dir in _entries(d):
            if _fits(name, part):
                path = os.path.join(d, name)
                if not rest:
                    yield path
                elif is_dir:
                    yield from _glob_in(path, rest, visited)


def _once(paths: Iterable[str | Failure]) -> Iterator[str | Failure]:
    """Each file once, however many paths reach it (links, overlapping matches)."""
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if not isinstance(path, Failure):
            try:
                st = os.stat(path)
            except OSError:
                st = None  # a dangling link: passed on, to be reported when it is read
            if st is not None and stat.S_ISREG(st.st_mode):
                if (st.st_dev, st.st_ino) in seen:
                    continue
                seen.add((st.st_dev, st.st_ino))
        yield path


def _globbed(pattern: str) -> Iterator[str | Failure]:
    matched = False
    for m in _iglob(pattern):
        matched = True
        yield from (_walk(m) if os.path.isdir(m) else (m,))
    if not matched:
        yield Failure(pattern, Problem(code="read-error", message=f"no file matches {pattern!r}"))


def expand(args: Iterable[str]) -> Iterator[str | Failure]:
    """Command-line arguments -> file paths (``-`` kept): directories recursively, globs expanded
    as they are walked (nothing is listed whole first), each file once per argument."""
    for arg in args:
        if arg == "-":
            yield arg
        elif os.path.isdir(arg):
            yield from _walk(arg)
        elif not os.path.lexists(arg) and glob.has_magic(arg):
            yield from _once(_globbed(arg))
        else:
            yield arg


def _field(record: object, dotted: str) -> object:
    for part in dotted.split("."):
        if not isinstance(record, dict) or part not in record:
            raise KeyError(part)
        record = record[part]
    return record


def _record(record: object, where: str, text_field: str, id_field: str | None) -> Input | Failure:
    """One JSON record -> an Input named ``file:id`` (or ``file:line``), or a Failure."""
    name = where
    if id_field and isinstance(record, dict):
        try:
            name = f"{where.rsplit(':', 1)[0]}:{_field(record, id_field)}"
        except KeyError:
            pass
    try:
        text = _field(record, text_field)
    except KeyError:
        return Failure(name, Problem(code="missing-field",
                                     message=f"the record has no {text_field!r} field (see --text-field)"))
    if not isinstance(text, str):
        return Failure(name, Problem(code="bad-record",
                                     message=f"field {text_field!r} is {type(text).__name__}, not a string"))
    return Input(name=name, raw=text)


def _jsonl(path: str, lines: Iterable[bytes], text_field: str, id_field: str | None) -> Iterator[Input | Failure]:
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        record, msg = _loads(line)
        if msg is not None:
            yield Failure(where, Problem(code="bad-json", message=f"line {number} is not JSON: {msg}"[:300]))
            continue
        yield _record(record, where, text_field, id_field)


def _loads(data: bytes | str):
    """(document, None) or (None, why it is not JSON)."""
    try:
        return json.loads(data), None
    except RecursionError:
        return None, "nested too deeply"
    except ValueError as exc:
        return None, str(exc)


def _json(path: str, data: bytes, text_field: str, id_field: str | None) -> Iterator[Input | Failure]:
    doc, msg = _loads(data)
    if msg is not None:
        yield Failure(path, Problem(code="bad-json", message=f"the file is not JSON: {msg}"[:300]))
        return
    records = doc if isinstance(doc, list) else [doc]
    for number, record in enumerate(records, 1):
        yield _record(record, f"{path}:{number}", text_field, id_field)


def _read_failure(path: str, exc: OSError) -> Failure:
    return Failure(path, Problem(code="read-error", message=f"{type(exc).__name__}: {exc.strerror or exc}"))


def _regular(path: str) -> OSError | None:
    """Refuse what is not a regular file: a FIFO or a device would block or never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return exc
    if not stat.S_ISREG(mode):
        return OSError(0, "not a regular file", path)
    return None


def inputs(args: Iterable[str], text_field: str = "text", id_field: str | None = "id",
           stdin: Callable[[], bytes] | None = None) -> Iterator[Input | Failure]:
    """Command-line arguments -> Inputs in order. Text and HTML files are read by the workers; JSON
    and JSONL files are split into records here, one line at a time."""
    for path in expand(args):
        if isinstance(path, Failure):
            yield path
        elif path == "-":
            yield Input(name="-", raw=stdin() if stdin else b"")
        else:
            kind = _kind(path)
            bad = _regular(path)
            if bad is not None:
                yield _read_failure(path, bad)
            elif kind in ("text", "html"):
                yield Input(name=path, path=path, html=kind == "html")
            else:
                try:
                    with open(path, "rb") as fh:
                        if kind == "jsonl":
                            yield from _jsonl(path, fh, text_field, id_field)
                        else:
                            yield from _json(path, fh.read(), text_field, id_field)
                except OSError as exc:
                    yield _read_failure(path, exc)


# --- running -----------------------------------------------------------------------------------

_worker: Pipeline | None = None


def _init_worker(options: Options) -> None:
    global _worker
    _worker = Pipeline(options).load()
    # a worker process is ours and what it has loaded (rules, jieba's dictionary table) lives as
    # long as it does: the cycle collector need not walk those objects again (about 5% of
    # extraction time on the corpus went to collections)
    gc.freeze()


def _read(fh, limit: int) -> bytes | None:
    """The file's bytes, or None when there are more than ``limit`` (at most limit + 1 are read,
    so a file that grew after it was measured is still never read whole)."""
    data = fh.read(limit + 1)
    return None if len(data) > limit else data


def _digest(fh) -> str:
    """sha256 of a file's bytes, read in 1 MB chunks (constant memory)."""
    fh.seek(0)
    h = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def _extract(nlp: Pipeline, item: Input) -> PageResult | Failure:
    raw = item.raw
    if item.path is not None:
        # the check the CLI makes when it lists inputs, made again for Pipeline.map(Path): a FIFO
        # would block the open and /dev/zero never end
        bad = _regular(item.path)
        if bad is not None:
            return _read_failure(item.path, bad)
        limit = nlp.options.max_size
        try:
            with open(item.path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                raw = None if size > limit else _read(fh, limit)  # measured before it is read
                if raw is None:
                    digest = _digest(fh)
                    return nlp.too_large(item.name, os.fstat(fh.fileno()).st_size, digest)
        except OSError as exc:
            return _read_failure(item.path, exc)
    # .html files are read as HTML; other inputs are detected by their first characters
    return nlp(raw, name=item.name, html=True if item.html else None)


class Line(NamedTuple):
    """One output line and the counts the summary needs (figured in the worker)."""

    text: str
    is_page: bool
    chars: int
    figures: int
    quotes: int
    problems: int  # error-level problems only: a notice (repeated-text) fails nothing
    notices: int = 0


def to_line(result: PageResult | Failure) -> Line:
    """A result as its output line: a ``cnextract.page`` or a ``cnextract.problem``."""
    if isinstance(result, Failure):
        return Line(problem_line(result), False, 0, 0, 0, 1)
    return Line(result.model_dump_json(by_alias=True), True, len(result.text), len(result.figures),
                len(result.quotes), sum(p.level == "error" for p in result.problems),
                sum(p.level == "notice" for p in result.problems))


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


def run(items: Iterable[Input | Failure], options: Options | None = None, jobs: int = 1,
        encode: Callable | None = None, window: int | None = None,
        pipeline: Pipeline | None = None) -> Iterator[tuple[Input | Failure, object]]:
    """Yield ``(item, result)`` in input order; result is a PageResult or Failure, or ``encode``
    of it (applied in the worker, so the parent does not re-serialise). jobs=1 runs in-process,
    on ``pipeline`` when given."""
    options = options or (pipeline.options if pipeline else Options())
    if jobs <= 1:
        nlp = (pipeline or Pipeline(options)).load()
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
    yield from _pool_run(iter(items), options, jobs, encode, window or 4 * jobs)


def _pool_run(items: Iterator, options: Options, jobs: int, encode, window: int):
    import multiprocessing

    ctx = multiprocessing.get_context(START_METHOD)

    def new_pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker, initargs=(options,))

    Pipeline(options)  # fail here, once, on bad options; with fork the workers inherit the rules
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
