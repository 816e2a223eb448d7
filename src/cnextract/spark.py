"""Apache Spark: extract records from a DataFrame of pages, one Pipeline per executor process.

Needs the optional extra ``cnextract[spark]`` (pyspark and pyarrow). The Spark schema is derived
from the pydantic records (``records.py``), never written out by hand. Decimal values are stored as
exact decimal strings, exactly as the JSON output writes them.

Run as ``cnextract spark-extract INPUT OUTPUT`` (a local SparkSession is made when none is
configured), as ``python -m cnextract.spark INPUT OUTPUT``, or under ``spark-submit`` with this
file's path as the application (see README.md, "Spark").
"""

from __future__ import annotations

if __name__ == "__main__" and not __package__:
    # Run as a script (spark-submit path/to/cnextract/spark.py): the package directory must not
    # shadow the standard library (cnextract has a numbers.py), so drop it from the import path.
    import os as _os
    import sys as _sys

    _here = _os.path.dirname(_os.path.abspath(__file__))
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != _here]

import argparse
import hashlib
import json
import os
import sys
import types
import typing
from collections.abc import Iterator
from decimal import Decimal

import pyarrow as pa
from pydantic import BaseModel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from cnextract import tables
from cnextract.pipeline import Options, Pipeline
from cnextract.records import PageResult, Problem, Source, exact_type

__all__ = [
    "spark_type", "page_schema", "table_schema", "figure_schema", "quote_schema", "extract_pages",
    "extract_flat", "flat_table", "flatten", "row_to_page", "run_cli",
]

#: The column holding the caller's page id (a PageResult field; source.name holds it too).
ID = "id"


# ---------------------------------------------------------------- schema, derived from the records

def _field_name(name: str, info) -> str:
    return info.alias or name


def _unwrap_optional(ann) -> tuple[object, bool]:
    """(inner type, nullable) for ``X | None`` / ``Optional[X]``; (ann, False) otherwise."""
    origin = typing.get_origin(ann)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) != len(typing.get_args(ann)):
            if len(args) != 1:
                raise TypeError(f"no Spark type for the union {ann!r}")
            return args[0], True
    return ann, False


def spark_type(ann) -> T.DataType:
    """The Spark type of one pydantic field annotation (Optional is handled by the caller)."""
    ann = exact_type(ann)
    origin = typing.get_origin(ann)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return model_struct(ann)
    if ann is str or origin is typing.Literal:
        return T.StringType()
    if ann is bool:  # before int: bool is an int subclass
        return T.BooleanType()
    if ann is int:
        return T.LongType()
    if ann is Decimal:
        # Exact decimal strings: values reach 1.5e13 and may carry long fractions (三分之一 as a
        # percent), and no fixed DecimalType(p, s) holds both without losing a digit.
        return T.StringType()
    if origin is tuple:
        args = typing.get_args(ann)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] maps to an array, not {ann!r}")
        inner, nullable = _unwrap_optional(args[0])
        return T.ArrayType(spark_type(inner), containsNull=nullable)
    raise TypeError(f"no Spark type for {ann!r}")


def model_struct(model: type[BaseModel]) -> T.StructType:
    """A StructType with one field per model field, in declaration order, named as in JSON."""
    fields = []
    for name, info in model.model_fields.items():
        inner, nullable = _unwrap_optional(info.annotation)
        fields.append(T.StructField(_field_name(name, info), spark_type(inner), nullable=nullable))
    return T.StructType(fields)


def page_schema(keep_text: bool = True) -> T.StructType:
    """One row per page: every PageResult field, ``id`` first (text optional)."""
    fields = model_struct(PageResult).fields
    fields = [f for f in fields if f.name == ID] + [f for f in fields if f.name not in (ID, "text") or
                                                    (keep_text and f.name == "text")]
    return T.StructType(fields)


def table_schema(what: str, drop_text: bool = False) -> T.StructType:
    """The Spark schema of one flat table (``cnextract.tables.columns``: the columns of
    ``cnextract extract --table`` and ``to_frame``; without the sentence text with ``drop_text``)."""
    base = {"string": T.StringType(), "int": T.LongType(), "bool": T.BooleanType()}

    def conv(t: str) -> T.DataType:
        return T.ArrayType(base[t[5:-1]]) if t.startswith("list<") else base[t]

    return T.StructType([T.StructField(name, conv(t), True) for name, t in tables.columns(what, drop_text)])


def figure_schema() -> T.StructType:
    """One row per figure: page id, sha256, article index, figure index in the article (seq),
    Figure's fields, the sentence."""
    return table_schema("figures")


def quote_schema() -> T.StructType:
    """One row per quote: page id, sha256, article index, quote index in the article (seq),
    Quote's fields, the sentence, the speaker key."""
    return table_schema("quotes")


# ---------------------------------------------------------------- executors

_PIPELINES: dict[str, Pipeline] = {}


def _pipeline(options_json: str) -> Pipeline:
    """One Pipeline per Python worker process and options, loaded on first use and kept."""
    nlp = _PIPELINES.get(options_json)
    if nlp is None:
        nlp = _PIPELINES[options_json] = Pipeline(Options.model_validate_json(options_json))
    return nlp


def _failed(raw, name: str | None, code: str, message: str) -> PageResult:
    """A page that could not be extracted, as a record with a Problem instead of a crash."""
    text = raw if isinstance(raw, str) else ""
    sha = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
    return PageResult(id=name, source=Source(name=name, sha256=sha), text=text,
                      problems=(Problem(code=code, message=message),))


def _page(nlp: Pipeline, raw, name: str | None) -> PageResult:
    if raw is None:
        return _failed(None, name, "missing-text", "the text column is null for this row")
    try:
        return nlp(raw, name=name)
    except Exception as exc:  # never fail a batch on one page
        return _failed(raw, name, "internal-error", f"extraction failed: {type(exc).__name__}: {exc}")


def _row(page: PageResult, keep_text: bool) -> dict:
    row = page.model_dump(mode="json", by_alias=True)
    if not keep_text:
        del row["text"]
    return row


def _arrow_schema(schema: T.StructType) -> pa.Schema:
    def conv(dt: T.DataType) -> pa.DataType:
        if isinstance(dt, T.StringType):
            return pa.string()
        if isinstance(dt, T.LongType):
            return pa.int64()
        if isinstance(dt, T.BooleanType):
            return pa.bool_()
        if isinstance(dt, T.ArrayType):
            return pa.list_(pa.field("element", conv(dt.elementType), dt.containsNull))
        if isinstance(dt, T.StructType):
            return pa.struct([pa.field(f.name, conv(f.dataType), f.nullable) for f in dt.fields])
        raise TypeError(f"no Arrow type for {dt!r}")

    return pa.schema([pa.field(f.name, conv(f.dataType), f.nullable) for f in schema.fields])


def _extractor(text_col: str, id_col: str | None, keep_text: bool, options_json: str):
    """The function each executor runs over its stream of Arrow batches."""
    schema = _arrow_schema(page_schema(keep_text))

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        nlp = _pipeline(options_json)
        for batch in batches:
            raws = batch.column(text_col).to_pylist()
            ids = batch.column(id_col).to_pylist() if id_col else [None] * len(raws)
            rows = []
            for raw, name in zip(raws, ids):
                name = None if name is None else str(name)
                rows.append(_row(_page(nlp, raw, name), keep_text))
            try:
                yield pa.RecordBatch.from_pylist(rows, schema=schema)
            except Exception:  # find the row Arrow refuses and report it instead
                good = []
                for raw, name, row in zip(raws, ids, rows):
                    name = None if name is None else str(name)
                    try:
                        pa.RecordBatch.from_pylist([row], schema=schema)
                    except Exception as exc:
                        row = _row(_failed(None, name, "internal-error", "the record could not be "
                                           f"stored: {type(exc).__name__}: {exc}"), keep_text)
                    good.append(row)
                yield pa.RecordBatch.from_pylist(good, schema=schema)

    return run


# ---------------------------------------------------------------- public API

def extract_pages(df: DataFrame, text_col: str = "text", id_col: str | None = None, *,
                  keep_text: bool = True, options: Options | None = None) -> DataFrame:
    """One row per page: ``id``, then the PageResult fields with articles, figures and quotes nested.

    ``text_col`` may be a string column or a binary one (bytes are decoded as ``extract`` does);
    ``id_col`` (any type, stored as a string) becomes ``id`` and ``source.name``. A page that
    cannot be extracted becomes a row with ``problems``; the batch goes on.
    """
    if text_col not in df.columns:
        raise ValueError(f"no column {text_col!r} in {df.columns}")
    if id_col is not None and id_col not in df.columns:
        raise ValueError(f"no column {id_col!r} in {df.columns}")
    cols = [F.col(text_col)] + ([F.col(id_col).cast("string").alias("__id")] if id_col else [])
    src = df.select(*cols)
    opts = (options or Options()).model_dump_json()
    fn = _extractor(text_col, "__id" if id_col else None, keep_text, opts)
    return src.mapInArrow(fn, page_schema(keep_text))


def _flattener(what: str, kinds: str, drop_text: bool = False):
    """The function each executor runs: page rows -> flat rows, by ``cnextract.tables.rows``."""
    schema = _arrow_schema(table_schema(what, drop_text))

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            flat = [r for page in batch.to_pylist() for r in tables.rows(page, what, kinds, drop_text)]
            yield tables.arrow_batch(flat, schema)

    return run


def flat_table(pages: DataFrame, what: str, kinds: str = "all", drop_text: bool = False) -> DataFrame:
    """One row per figure, quote or speaker of a page DataFrame made by ``extract_pages``: the
    columns of ``cnextract.tables`` (the sentence columns are null when the text was dropped;
    left out with ``drop_text``, as ``cnextract extract --drop-text`` leaves them out)."""
    return pages.mapInArrow(_flattener(what, kinds, drop_text), table_schema(what, drop_text))


def flatten(pages: DataFrame, kinds: str = "all", drop_text: bool = False) -> tuple[DataFrame, DataFrame]:
    """(figures, quotes) from a page DataFrame made by ``extract_pages``: one row per record."""
    return flat_table(pages, "figures", kinds, drop_text), flat_table(pages, "quotes", kinds, drop_text)


def extract_flat(df: DataFrame, text_col: str = "text", id_col: str | None = None, *,
                 options: Options | None = None) -> tuple[DataFrame, DataFrame]:
    """(figures, quotes): one row per figure and one per quote, Spans as text/start/end columns.

    Both come from one extraction pass; cache or persist the page DataFrame yourself
    (``flatten(extract_pages(...).cache())``) when you read both.
    """
    return flatten(extract_pages(df, text_col, id_col, options=options))


def row_to_page(row) -> PageResult:
    """A Spark Row of ``extract_pages`` (text kept) back to the PageResult it was made from."""
    return PageResult.model_validate(row.asDict(recursive=True))


# ---------------------------------------------------------------- command line

def _session() -> SparkSession:
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("cnextract")
    if "PYSPARK_GATEWAY_PORT" not in os.environ and "PYSPARK_SUBMIT_ARGS" not in os.environ:
        # Plain python, not spark-submit: local mode, and workers run this same interpreter.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.master(os.environ.get("MASTER", "local[*]"))
    return builder.getOrCreate()


def read_input(spark: SparkSession, path: str, fmt: str, text_field: str = "text",
               id_field: str | None = "id") -> tuple[DataFrame, str, str | None]:
    """(DataFrame, text column, id column or None) for text files, JSON lines or Parquet."""
    if fmt == "text":
        # One page per file, read as bytes (encoding detected as `cnextract extract` does).
        reader = spark.read.format("binaryFile")
        if not any(c in path for c in "*?["):  # a directory: its .txt files
            reader = reader.option("pathGlobFilter", "*.txt")
        df = reader.load(path)
        return df.select(F.col("path"), F.col("content")), "content", "path"
    if fmt == "json":  # JSON lines
        # Read only the two fields, as strings: no pass over millions of pages to infer a schema.
        # The first line is checked so a misnamed text field is an error, not a run of problems.
        first = spark.read.text(path).limit(1).collect()
        if first and text_field not in json.loads(first[0].value):
            raise ValueError(f"{path}: no field {text_field!r} in the first record")
        fields = [text_field] + ([id_field] if id_field and id_field != text_field else [])
        df = spark.read.schema(", ".join(f"`{f}` STRING" for f in fields)).json(path)
        return df, text_field, fields[1] if len(fields) > 1 else None
    if fmt == "parquet":
        df = spark.read.parquet(path)
    else:
        raise ValueError(f"unknown input format {fmt!r}")
    if text_field not in df.columns:
        raise ValueError(f"{path}: no field {text_field!r} (fields: {', '.join(df.columns)})")
    return df, text_field, id_field if id_field in df.columns else None


def _guess_format(path: str) -> str:
    low = path.lower().rstrip("/")
    if low.endswith((".jsonl", ".json", ".ndjson")):
        return "json"
    if low.endswith(".parquet"):
        return "parquet"
    return "text"


def run_cli(args) -> int:
    """``cnextract spark-extract INPUT OUTPUT``: read pages, write Parquet (or figures/ + quotes/)."""
    spark = _session()
    fmt = args.format or _guess_format(args.input)
    df, text_col, id_col = read_input(spark, args.input, fmt, args.text_field, args.id_field)
    mode = "overwrite" if args.overwrite else "errorifexists"
    if args.flat:
        pages = extract_pages(df, text_col, id_col).cache()
        figures, quotes = flatten(pages, drop_text=args.drop_text)
        figures.write.mode(mode).parquet(args.output.rstrip("/") + "/figures")
        quotes.write.mode(mode).parquet(args.output.rstrip("/") + "/quotes")
        n = pages.count()
        pages.unpersist()
    else:
        extract_pages(df, text_col, id_col, keep_text=not args.drop_text).write.mode(mode).parquet(args.output)
        n = None
    print(f"cnextract spark-extract: wrote {args.output}" + (f" ({n} pages)" if n is not None else ""),
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The arguments of a run of this module (``python -m cnextract.spark``, spark-submit): those of
    ``cnextract spark-extract`` (tables.add_spark_arguments serves both)."""
    k = argparse.ArgumentParser(prog="cnextract.spark", description="extract with Apache Spark; Parquet out")
    tables.add_spark_arguments(k)
    return k


def main(argv: list[str] | None = None) -> int:
    return run_cli(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
