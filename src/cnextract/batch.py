"""Batch runs: find inputs (files, directories, globs, stdin, JSON records), run them through one
Pipeline per worker process (the pool is in ``workers``), and stream results back in input order.

Work in flight is bounded, so a directory of a million pages or a 10 GB JSONL file never sits in
memory. A worker that dies on one input costs a Problem for that input, not the batch.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .pipeline import Options, Pipeline, decode_bytes
from .records import PageResult, Problem, ProblemLine
from . import workers as _workers
from .workers import _GZIP_ERRORS, EXTENSIONS, Failure, Input, _gz, _kind, _open, _read_failure, _regular


def problem_line(failure: Failure) -> str:
    """The ``cnextract.problem`` JSON line written for a Failure."""
    name, problem = failure.scrubbed()
    line = ProblemLine(source=name, **problem.model_dump())
    return one_line(line.model_dump_json(by_alias=True, exclude_none=True))


#: Characters str.splitlines() (and some editors and JavaScript) break lines at that JSON leaves
#: unescaped inside strings; the other ones (\v, \f, \x1c-\x1e) are control characters JSON escapes.
_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def one_line(text: str) -> str:
    """A JSON text with the line-breaking characters inside its strings escaped, so splitting
    the output on any line break never splits a record (the JSON value is unchanged)."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return text.translate(_BREAKS)
    return text


# --- finding inputs -------------------------------------------------------------------------

def _known(name: str) -> bool:
    """A name a directory walk picks up: a known extension, or one with ``.gz`` after it."""
    if _gz(name):
        name = name[:-3]
    return os.path.splitext(name)[1].lower() in EXTENSIONS


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
            if _known(name):
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
                if _file_id(st) in seen:
                    continue
                seen.add(_file_id(st))
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


#: JSON lines counted for a progress bar's total at most; past it the total stays unknown
_COUNT_MAX_BYTES = 256 * 2 ** 20


def count(args: Iterable[str], until: float | None = None) -> int | None:
    """How many output lines the arguments will give (one per file, per JSON line, per read
    error), or None when that is not cheap to know: a .json file (its records are only known by
    parsing it), gzipped JSON lines, or more than _COUNT_MAX_BYTES of JSON lines. Opens only
    regular files. Raises
    TimeoutError once time.monotonic() passes ``until``."""
    n = budget = 0
    for path in expand(args):
        if until is not None and time.monotonic() > until:
            raise TimeoutError
        if isinstance(path, Failure) or path == "-" or _regular(path) is not None:
            n += 1
            continue
        kind = _kind(path)
        if kind == "json" or (kind == "jsonl" and _gz(path)):
            return None
        if kind != "jsonl":
            n += 1
            continue
        try:
            budget += os.path.getsize(path)
            if budget > _COUNT_MAX_BYTES:
                return None
            with open(path, "rb") as fh:
                n += sum(1 for line in fh if line.strip())
        except OSError:
            n += 1
    return n


def output_clash(args: Iterable[str], output: str) -> str | None:
    """Why writing ``output`` would destroy or feed back into an input, or None.

    An output that is an input file (by resolved path, symlinks followed, or the same inode) would
    be truncated before it is read; one inside an input directory, or matched by an input glob
    (itself or a directory it lies in), would be read back while it is written and never end.
    Checked on the arguments before the output is opened.
    """
    outs = {os.path.abspath(output), os.path.realpath(output)}
    try:
        out_id = _file_id(os.stat(output))
    except OSError:
        out_id = None
    for arg in args:
        if arg == "-":
            continue
        if os.path.isdir(arg):
            for d in {os.path.abspath(arg), os.path.realpath(arg)}:
                if any(o.startswith(d.rstrip(os.sep) + os.sep) for o in outs):
                    return f"the output {output} lies inside the input directory {arg}"
        elif os.path.lexists(arg):
            try:
                same = out_id is not None and _file_id(os.stat(arg)) == out_id
            except OSError:
                same = False
            if same or os.path.realpath(arg) in outs or os.path.abspath(arg) in outs:
                return f"the output {output} is also an input ({arg})"
        elif glob.has_magic(arg):
            parts = [p.split(os.sep) for p in _pattern_forms(arg)]
            if any(_glob_covers(pp, o.split(os.sep)) for pp in parts for o in outs):
                return f"the output {output} is matched by the input pattern {arg}, or lies in a directory it matches"
    return None


def _file_id(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _pattern_forms(pattern: str) -> set[str]:
    """The absolute pattern, and the same with its leading non-glob directories resolved."""
    pat = os.path.abspath(pattern)
    parts = pat.split(os.sep)
    k = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    prefix = os.path.realpath(os.sep.join(parts[:k]) or os.sep)
    return {pat, os.path.join(prefix, *parts[k:])}


def _glob_covers(pattern: list[str], path: list[str]) -> bool:
    """Whether a glob (split into components; ``**`` is zero or more directories) matches
    ``path`` or one of its directories."""
    if not pattern:
        return True  # the rest of path lies inside what was matched
    if pattern[0] == "**":
        return _glob_covers(pattern[1:], path) or (bool(path) and _glob_covers(pattern, path[1:]))
    return bool(path) and fnmatch.fnmatchcase(path[0], pattern[0]) and _glob_covers(pattern[1:], path[1:])


def _field(record: object, dotted: str) -> object:
    for part in dotted.split("."):
        if not isinstance(record, dict) or part not in record:
            raise KeyError(part)
        record = record[part]
    return record


#: ids remembered per file to report a duplicate (beyond this, later duplicates go unreported)
_MAX_IDS = 1_000_000


def _record(record: object, where: str, text_field: str, id_field: str | None,
            seen: set | None = None, encoding: str | None = None,
            notes: tuple[Problem, ...] = ()) -> Input | Failure:
    """One JSON record -> an Input named ``file:id`` (or ``file:line``), or a Failure. An id that
    cannot name a record (null, a list, an object, a boolean, empty) is a ``bad-id`` notice and
    the record is named by its line; an id used before in the same file, a ``duplicate-id`` notice."""
    name = where
    page_id = None
    if id_field and isinstance(record, dict):
        try:
            rid = _field(record, id_field)
        except KeyError:
            pass
        else:
            if isinstance(rid, bool) or not isinstance(rid, (str, int, float)) or rid == "":
                what = "null" if rid is None else "empty" if rid == "" else f"a {type(rid).__name__}"
                notes += (Problem(code="bad-id", level="notice", message=f"the record's {id_field!r} "
                                  f"is {what}, not a string or number; it is named by its position"),)
            else:
                page_id = str(rid)
                name = f"{where.rsplit(':', 1)[0]}:{rid}"
                if seen is not None:
                    if page_id in seen:
                        notes += (Problem(code="duplicate-id", level="notice", message=f"{id_field} "
                                          f"{rid!r} names an earlier record of this file too"),)
                    elif len(seen) < _MAX_IDS:
                        seen.add(page_id)
    try:
        text = _field(record, text_field)
    except KeyError:
        return Failure(name, Problem(code="missing-field",
                                     message=f"the record has no {text_field!r} field (see --text-field)"))
    if not isinstance(text, str):
        return Failure(name, Problem(code="bad-record",
                                     message=f"field {text_field!r} is {type(text).__name__}, not a string"))
    return Input(name=name, raw=text, id=page_id, encoding=encoding, notes=notes)


def _text(data: bytes, hint: str | None, what: str) -> tuple[str, str, tuple[Problem, ...]]:
    """JSON bytes -> text as a text file is read (UTF-8 with or without BOM, GB18030, Big5),
    trying first ``hint``, the encoding an earlier line of the same file had."""
    if hint in ("gb18030", "big5"):
        try:
            return data.decode(hint), hint, ()
        except UnicodeDecodeError:
            pass
    text, encoding, problems = decode_bytes(data, f" of {what}")
    if not problems:
        return text.removeprefix("\ufeff"), encoding, ()
    return text, encoding, tuple(problems)


def _jsonl(path: str, lines: Iterable[bytes], text_field: str, id_field: str | None) -> Iterator[Input | Failure]:
    seen: set[str] = set()
    hint = None
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        text, encoding, notes = _text(line, hint, f"line {number}")
        if encoding != "utf-8" and encoding != "utf-8-sig":
            hint = encoding
        record, msg = _loads(text)
        if msg is not None:
            yield Failure(where, Problem(code="bad-json", message=f"line {number} is not JSON: {msg}"[:300]))
            continue
        yield _record(record, where, text_field, id_field, seen, encoding, notes)


def _loads(data: bytes | str):
    """(document, None) or (None, why it is not JSON)."""
    try:
        return json.loads(data), None
    except RecursionError:
        return None, "nested too deeply"
    except ValueError as exc:
        return None, str(exc)


def _json(path: str, data: bytes, text_field: str, id_field: str | None) -> Iterator[Input | Failure]:
    text, encoding, notes = _text(data, None, "the file")
    doc, msg = _loads(text)
    if msg is not None:
        yield Failure(path, Problem(code="bad-json", message=f"the file is not JSON: {msg}"[:300]))
        return
    records = doc if isinstance(doc, list) else [doc]
    seen: set[str] = set()
    for number, record in enumerate(records, 1):
        yield _record(record, f"{path}:{number}", text_field, id_field, seen, encoding, notes)


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
                    with _open(path) as fh:
                        if kind == "jsonl":
                            yield from _jsonl(path, fh, text_field, id_field)
                        else:
                            yield from _json(path, fh.read(), text_field, id_field)
                except _GZIP_ERRORS as exc:  # the records read before a corrupt block were yielded
                    yield _read_failure(path, exc)


class Line(NamedTuple):
    """One output line and the counts the summary needs (figured in the worker)."""

    text: str
    is_page: bool
    chars: int
    figures: int
    quotes: int
    problems: int  # error-level problems only: a notice (repeated-text) fails nothing
    notices: int = 0
    issues: tuple[str, ...] = ()  # "code: message" of each error-level problem, for standard error


def to_line(result: PageResult | Failure, drop_text: bool = False, write: bool = True) -> Line:
    """A result as its output line: a ``cnextract.page`` (without its text when ``drop_text``)
    or a ``cnextract.problem``; with ``write`` False only the counts (the line is empty)."""
    if isinstance(result, Failure):
        return Line(problem_line(result) if write else "", False, 0, 0, 0, 1, 0, (_issue(result.problem),))
    errors = tuple(_issue(p) for p in result.problems if p.level == "error")
    text = (one_line(result.model_dump_json(by_alias=True, exclude={"text"} if drop_text else None))
            if write else "")
    return Line(text, True, len(result.text), len(result.figures),
                len(result.quotes), len(errors), sum(p.level == "notice" for p in result.problems), errors)


def _issue(problem: Problem) -> str:
    return f"{problem.code}: {problem.message}"


# --- running: the pool lives in workers (below the pipeline, which runs Paths and map there) ---

def run(items: Iterable[Input | Failure], options: Options | None = None, jobs: int = 1,
        encode: Callable | None = None, window: int | None = None,
        pipeline: Pipeline | None = None) -> Iterator[tuple[Input | Failure, object]]:
    """Yield ``(item, result)`` in input order; result is a PageResult or Failure, or ``encode``
    of it (applied in the worker, so the parent does not re-serialise). jobs=1 runs in-process,
    on ``pipeline`` when given."""
    options = options or (pipeline.options if pipeline else Options())
    return _workers.run(items, options, Pipeline, jobs, encode, window, pipeline)
