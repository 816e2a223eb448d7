"""Flat rows: one per figure, quote or speaker, for CSV, JSON lines, Parquet, pandas and Spark.

One flattener serves every output (``spark.py`` imports it), so the columns agree everywhere.
It reads pages as plain JSON-shaped dicts (``PageResult.model_dump(mode="json")``, a line of
``cnextract extract``, a Spark row), so values stay the exact decimal strings of the JSON output.

Columns, in order: ``id`` (the page's id), ``sha256`` (of the page text), ``article`` (index in
the page), ``seq`` (index in the article), then every field of the record, a Span field ``metric``
as ``metric`` (its text), ``metric_start`` and ``metric_end``, a list of Spans as three lists;
then ``sentence``, ``sentence_start``, ``sentence_end`` (the sentence(s) the record sits in: a
figure's numeral, a quote's content, speaker and cue, a speaker's first mention; the text column
is left out with ``drop_text``); quotes and speakers end with ``speaker_key``.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from .page import _trim, split as _split  # the project's one sentence splitter
from .records import SCORED_KINDS, Figure, PageResult, Quote, Span, Speaker, decimal_text, exact_type

TABLES = ("figures", "quotes", "speakers")
KEYS = (("id", "string"), ("sha256", "string"), ("article", "int"), ("seq", "int"))
_MODELS = {"figures": Figure, "quotes": Quote, "speakers": Speaker}
#: a speaker's own ``id`` would clash with the page id: in the table it is ``speaker_id``
_RENAMED = {("speakers", "id"): "speaker_id"}


# ---------------------------------------------------------------- speaker key

@lru_cache(maxsize=1)
def _title_lexicon():
    from .rules import alternation, load_rules

    cues = load_rules().cues
    titles = alternation([f for e in cues.titles for f in e.forms])
    anonymous = tuple(sorted({f for e in cues.anonymous for f in e.forms}, key=len, reverse=True))
    return titles, anonymous


_TRIM = " \t\u3000、，,·・"


def speaker_key(name: str | None) -> str | None:
    """The name without titles, one key for a source across articles and pages
    (中国工程院院士钟南山, 钟南山院士 and 钟南山 are all 钟南山).

    Small on purpose (the mention layer will replace it): the text after the last title word of
    rules/cues.toml when at least two characters remain (局长赖伟超 -> 赖伟超, 大使馆 stays whole),
    else a name of two or three characters before a closing title (钟南山院士 -> 钟南山); an
    anonymous description (国家统计局有关负责人) and a bare title (发言人) stay as written.
    """
    if name is None:
        return None
    key = name.strip(_TRIM)
    titles, anonymous = _title_lexicon()
    if not key or key.endswith(anonymous):
        return key or None
    found = list(titles.finditer(key))
    if found:
        rest = key[found[-1].end():].strip(_TRIM)
        if len(rest) >= 2:
            return rest
        last = found[-1]
        head = key[:last.start()].strip(_TRIM)
        if last.end() == len(key) and 2 <= len(head) <= 3 and not titles.search(head):
            return head
    return key


# ---------------------------------------------------------------- columns

def _inner(ann):
    """(annotation without ``| None``, whether it is a tuple[X, ...])."""
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if type(None) in typing.get_args(ann):
        ann = args[0]
    if typing.get_origin(ann) is tuple:
        return typing.get_args(ann)[0], True
    return ann, False


def _type(ann) -> str:
    ann = exact_type(ann)
    if ann is bool:
        return "bool"
    if ann is int:
        return "int"
    if ann is str or ann is Decimal or typing.get_origin(ann) is typing.Literal:
        return "string"  # Decimal: the exact decimal string of the JSON output
    raise TypeError(f"no table column type for {ann!r}")


@lru_cache(maxsize=None)
def _plan(what: str) -> tuple[tuple[str, str, str, str], ...]:
    """(column, field, part, type) per record column: part is "" (the value), "text", "start" or
    "end" (of a Span); type is string, int, bool, or list<...> for a tuple field."""
    if what not in _MODELS:
        raise ValueError(f"no table {what!r}: one of {', '.join(TABLES)}")
    out = []
    for name, info in _MODELS[what].model_fields.items():
        ann, many = _inner(info.annotation)
        col = _RENAMED.get((what, name), name)
        wrap = (lambda t: f"list<{t}>") if many else (lambda t: t)
        if ann is Span:
            out += [(col, name, "text", wrap("string")), (col + "_start", name, "start", wrap("int")),
                    (col + "_end", name, "end", wrap("int"))]
        else:
            out.append((col, name, "", wrap(_type(ann))))
    return tuple(out)


def columns(what: str, drop_text: bool = False) -> list[tuple[str, str]]:
    """(name, type) of every column of one table, in order; types are string, int, bool and
    list<string>/list<int>."""
    cols = list(KEYS) + [(c, t) for c, _, _, t in _plan(what)]
    if not drop_text:
        cols.append(("sentence", "string"))
    cols += [("sentence_start", "int"), ("sentence_end", "int")]
    if what != "figures":
        cols.append(("speaker_key", "string"))
    return cols


# ---------------------------------------------------------------- rows

class Sentences:
    """The sentence(s) around a span of one text, by the project's one splitter (``page.split``,
    made once per text)."""

    def __init__(self, text: str):
        self.text = text
        self._split = _split(text) if text else None

    def covering(self, lo: int, hi: int) -> tuple[int, int] | None:
        """From the start of the sentence holding ``lo`` to the end of the one holding ``hi - 1``,
        trimmed of spaces."""
        if self._split is None:
            return None
        lo = min(lo, len(self.text) - 1)
        a = self._split.outer_sentence_of(lo)
        b = self._split.outer_sentence_of(min(max(hi - 1, lo), len(self.text) - 1))
        s, e = _trim(self.text, a[0], b[1])
        return (s, e) if s < e else None


def _getter(obj):
    """``get(field)`` for a JSON-shaped dict or a record (a pydantic model keeps its fields in
    ``__dict__``)."""
    return obj.get if isinstance(obj, dict) else obj.__dict__.get


def _cell(value, part: str):
    if not part:
        if isinstance(value, Decimal):
            return decimal_text(value)  # as the JSON output writes it
        return list(value) if isinstance(value, (list, tuple)) else value
    if isinstance(value, (list, tuple)):
        return [_getter(v)(part) for v in value]
    return None if value is None else _getter(value)(part)


def _model_cells(rec, plan) -> list:
    """_cell over a record model's fields, read from its __dict__ (the CLI's path: no dump)."""
    d = rec.__dict__
    out = []
    for _, field, part, _ in plan:
        v = d[field]
        if part:
            if v is not None:
                v = [x.__dict__[part] for x in v] if type(v) is tuple else v.__dict__[part]
        elif type(v) is Decimal:
            v = decimal_text(v)  # as the JSON output writes it
        elif type(v) is tuple:
            v = list(v)
        out.append(v)
    return out


def _bounds(what: str, get) -> tuple[int, int]:
    if what == "figures":
        return get("start"), get("end")
    # a quote: its content, speaker and cue; a speaker: its first mention
    spans = [get(k) for k in ("content", "speaker", "cue")] if what == "quotes" else list(get("mentions"))[:1]
    spans = [_getter(s) for s in spans if s]
    if not spans:
        return 0, 0
    return min(s("start") for s in spans), max(s("end") for s in spans)


def rows(page: dict | PageResult, what: str, kinds: str = "all", drop_text: bool = False,
         sentences: Sentences | None = None) -> Iterator[list]:
    """One list per record of ``page`` (a PageResult, or a JSON-shaped dict: a line of the JSON
    output, a Spark row), in ``columns(what, drop_text)`` order; both give the same rows.
    ``kinds="scored"`` keeps the six scored figure kinds only. The sentence columns are null
    when the page carries no text."""
    if kinds not in ("scored", "all"):
        raise ValueError(f"kinds must be 'scored' or 'all', not {kinds!r}")
    plan = _plan(what)
    pget = _getter(page)
    text = pget("text")
    if sentences is None and text is not None:
        sentences = Sentences(text)
    head = [pget("id"), _getter(pget("source"))("sha256")]
    for a, art in enumerate(pget("articles") or ()):
        records = _getter(art)(what) or ()
        if what == "figures" and kinds == "scored":
            records = [r for r in records if _getter(r)("kind") in SCORED_KINDS]
        for seq, rec in enumerate(records):
            get = _getter(rec)
            row = head + [a, seq]
            row += ([_cell(get(field), part) for _, field, part, _ in plan] if type(rec) is dict
                    else _model_cells(rec, plan))
            sent = None if text is None else sentences.covering(*_bounds(what, get))
            if not drop_text:
                row.append(None if sent is None else text[sent[0]:sent[1]])
            row += [None, None] if sent is None else list(sent)
            if what == "quotes":
                row.append(speaker_key(get("speaker_name")))
            elif what == "speakers":
                row.append(speaker_key(get("name")))
            yield row


# ---------------------------------------------------------------- pandas and Arrow

def _need(module: str, extra: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{module} is not installed: pip install 'cnextract[{extra}]'") from None


def arrow_schema(what: str, drop_text: bool = False):
    """The pyarrow schema of one table: decimals as exact strings, offsets int64, lists as lists."""
    pa = _need("pyarrow", "tables")
    base = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_()}

    def conv(t: str):
        return pa.list_(base[t[5:-1]]) if t.startswith("list<") else base[t]

    return pa.schema([pa.field(name, conv(t)) for name, t in columns(what, drop_text)])


def arrow_batch(rows_: list[list], schema):
    """A pyarrow RecordBatch of rows made by ``rows``, in ``schema`` (``arrow_schema``'s, or Spark's)."""
    pa = _need("pyarrow", "tables")
    cols = list(zip(*rows_)) if rows_ else [()] * len(schema)
    return pa.RecordBatch.from_arrays([pa.array(c, type=f.type) for c, f in zip(cols, schema)], schema=schema)


def to_frame(pages: Iterable[dict | PageResult], what: str = "figures", kinds: str = "scored",
             drop_text: bool = False):
    """A pandas DataFrame with one row per figure, quote or speaker of ``pages`` (PageResults or
    JSON-shaped dicts): the columns of the ``--table`` output. ``value``, ``low`` and ``high`` are
    exact decimal strings (``df.value.map(Decimal)`` for Decimals); offsets are nullable Int64."""
    pd = _need("pandas", "tables")
    names = columns(what, drop_text)
    data = list(zip(*(r for page in pages for r in rows(page, what, kinds, drop_text))))
    if not data:
        data = [()] * len(names)
    frame = {}
    for (name, t), col in zip(names, data):
        dtype = {"int": "Int64", "bool": "boolean", "string": "object"}.get(t, "object")
        frame[name] = pd.Series(list(col), dtype=dtype)
    return pd.DataFrame(frame, columns=[n for n, _ in names])


# ---------------------------------------------------------------- files

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


class TableError(ValueError):
    """A --table argument that cannot be used; the message is one line for the user."""


def parse_target(spec: str) -> tuple[str, str, str]:
    """``figures.csv``, ``out/quotes.parquet`` or ``figures=any/name.jsonl`` -> (table, path, format)."""
    import os

    what, sep, path = spec.partition("=")
    if not sep or what not in TABLES:
        what, path = "", spec
        base = os.path.basename(spec)
        for name in TABLES:
            if base.startswith(name):
                what = name
        if not what:
            raise TableError(f"--table {spec}: say which table (figures=PATH, quotes=PATH, "
                             "speakers=PATH) or start the file name with figures, quotes or speakers")
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise TableError(f"--table {spec}: the file name must end in .csv, .jsonl or .parquet")
    if fmt == "parquet":
        try:
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise TableError(f"--table {spec}: Parquet needs pyarrow: pip install 'cnextract[tables]'") from None
    return what, path, fmt


class Writer:
    """Streams rows of one table to a CSV, JSON-lines or Parquet file.

    CSV: a header line, decimal values as written in the JSON output (exact), lists as JSON
    arrays, null as an empty cell. Parquet: value, low and high are string columns holding exact
    decimals (no fixed decimal type holds both 1.5e13 and a long fraction), offsets int64."""

    def __init__(self, what: str, path: str, fmt: str, drop_text: bool = False, batch_rows: int = 20_000):
        self.what, self.fmt, self.drop_text = what, fmt, drop_text
        self.names = [c for c, _ in columns(what, drop_text)]
        self.lists = [i for i, (_, t) in enumerate(columns(what, drop_text)) if t.startswith("list<")]
        self.count = 0
        self._buffer: list[list] = []
        self._batch_rows = batch_rows
        if fmt == "parquet":
            import pyarrow.parquet as pq

            self._schema = arrow_schema(what, drop_text)
            self._pq = pq.ParquetWriter(path, self._schema)
        else:
            import csv

            self._fh = open(path, "w", encoding="utf-8", newline="")
            if fmt == "csv":
                self._csv = csv.writer(self._fh)
                self._csv.writerow(self.names)

    def write(self, rows_: list[list]) -> None:
        import json

        self.count += len(rows_)
        if self.fmt == "parquet":
            self._buffer.extend(rows_)
            if len(self._buffer) >= self._batch_rows:
                self._flush()
        elif self.fmt == "csv":
            if self.lists:
                rows_ = [list(r) for r in rows_]
                for r in rows_:
                    for i in self.lists:
                        r[i] = json.dumps(r[i], ensure_ascii=False)
            self._csv.writerows(rows_)
        else:
            names = self.names
            self._fh.write("".join(json.dumps(dict(zip(names, r)), ensure_ascii=False) + "\n" for r in rows_))

    def _flush(self) -> None:
        if self._buffer:
            import pyarrow as pa

            self._pq.write_table(pa.Table.from_batches([arrow_batch(self._buffer, self._schema)]))
            self._buffer = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush()
            self._pq.close()
        else:
            self._fh.close()


class Encoder:
    """Run in a worker on each result: the output line (or just its counts) and the table rows."""

    def __init__(self, tables: tuple[str, ...], kinds: str, drop_text: bool, write_pages: bool):
        self.tables, self.kinds, self.drop_text, self.write_pages = tables, kinds, drop_text, write_pages

    def __call__(self, result):
        from . import batch

        line = batch.to_line(result, drop_text=self.drop_text, write=self.write_pages)
        if isinstance(result, batch.Failure):
            return line, {}
        sentences = Sentences(result.text)  # one split per page, shared by the tables
        return line, {what: list(rows(result, what, self.kinds, self.drop_text, sentences)) for what in self.tables}


def add_spark_arguments(k) -> None:
    """The arguments of ``cnextract spark-extract`` on an argparse parser: the CLI declares them
    without importing pyspark, and a run of the Spark module itself (spark-submit) parses the same."""
    k.add_argument("input", help="a directory or glob of .txt files, JSON lines, or Parquet")
    k.add_argument("output", help="Parquet directory (with --flat: OUTPUT/figures and OUTPUT/quotes)")
    k.add_argument("--format", choices=["text", "json", "parquet"], help="input format (default: from the name)")
    k.add_argument("--text-field", default="text", help="column holding the page text (json, parquet)")
    k.add_argument("--id-field", default="id", help="column holding the page id, if present (json, parquet)")
    k.add_argument("--flat", action="store_true", help="one row per figure and one per quote")
    k.add_argument("--drop-text", action="store_true", help="leave the page text out of the rows")
    k.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
