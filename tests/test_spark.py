"""Spark in local mode over the corpus: the records equal `extract`, the schema follows records.py.

Java and pyspark are required here: when either is missing these tests fail, they never skip.
"""

import json
import os
import shutil
import subprocess
import sys
import types
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import ROOT

import cnextract
from cnextract import cli
from cnextract.pipeline import Options
from cnextract.records import Article, Figure, PageResult, Problem, Quote, Source, Span, Speaker

# a missing pyspark fails here, loudly: it is in the test extra
from pyspark.sql import SparkSession
from pyspark.sql import types as T

from cnextract import spark as cs

RAW = sorted((ROOT / "corpus" / "raw").glob("*.txt"))


@pytest.fixture(scope="session")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Java is not installed: Spark tests need a JRE (17+); .ci/run installs one")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run this interpreter, with cnextract
    session = (SparkSession.builder.master("local[2]").appName("cnextract-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def corpus():
    return [(p.name, p.read_text(encoding="utf-8")) for p in RAW]


@pytest.fixture(scope="session")
def corpus_pages(spark, corpus):
    df = spark.createDataFrame(corpus, "id string, text string").repartition(2)
    return cs.extract_pages(df, "text", "id").cache()


# ---------------------------------------------------------------- schema and records in step

def _expected_type(ann):
    """What the Spark type of one annotation must be, written independently of cnextract.spark."""
    nullable = False
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        nullable, ann = True, args[0]
    if typing.get_origin(ann) is typing.Annotated:  # Exact: a Decimal with its JSON writer
        ann = typing.get_args(ann)[0]
    return ann, nullable


def _check_struct(model: type[BaseModel], struct: T.StructType, path: str) -> None:
    names = [info.alias or name for name, info in model.model_fields.items()]
    assert struct.names == names, f"{path}: Spark fields {struct.names} != model fields {names}"
    for (name, info), field in zip(model.model_fields.items(), struct.fields):
        ann, nullable = _expected_type(info.annotation)
        where = f"{path}.{field.name}"
        assert field.nullable == nullable, where
        dt = field.dataType
        if typing.get_origin(ann) is tuple:
            assert isinstance(dt, T.ArrayType), where
            ann, dt = typing.get_args(ann)[0], dt.elementType
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            assert isinstance(dt, T.StructType), where
            _check_struct(ann, dt, where)
        elif ann is bool:
            assert dt == T.BooleanType(), where
        elif ann is int:
            assert dt == T.LongType(), where
        else:  # str, Literal and Decimal (exact decimal strings)
            assert ann in (str, Decimal) or typing.get_origin(ann) is typing.Literal, where
            assert dt == T.StringType(), where


def test_schema_follows_the_records():
    schema = cs.page_schema()
    assert schema.names[0] == "id"
    # id leads the row; the rest is PageResult's fields in order
    by_name = {f.name: f for f in schema.fields}
    _check_struct(PageResult, T.StructType([by_name[info.alias or name] for name, info in
                                            PageResult.model_fields.items()]), "PageResult")
    # the walk above reached every record model a page holds
    assert _models_in(PageResult) == {m.__name__ for m in (Source, Article, Figure, Quote, Speaker, Span, Problem)}
    assert "text" not in cs.page_schema(keep_text=False).names


def _models_in(model) -> set[str]:
    out = set()
    for info in model.model_fields.values():
        for t in _leaves(info.annotation):
            if isinstance(t, type) and issubclass(t, BaseModel):
                out |= {t.__name__} | _models_in(t)
    return out


def _leaves(ann):
    args = typing.get_args(ann)
    return [ann] if not args else [x for a in args for x in _leaves(a)]


def test_flat_schemas_name_every_record_field():
    from cnextract import tables

    for model, schema in ((Figure, cs.figure_schema()), (Quote, cs.quote_schema())):
        assert schema.names[:4] == ["id", "sha256", "article", "seq"]
        # the same columns as the --table output and to_frame
        assert schema.names == [c for c, _ in tables.columns("figures" if model is Figure else "quotes")]
        for name, info in model.model_fields.items():
            ann, _ = _expected_type(info.annotation)
            want = [name, f"{name}_start", f"{name}_end"] if ann is Span else [name]
            assert all(w in schema.names for w in want), (model.__name__, name)


def test_unknown_field_types_are_refused():
    with pytest.raises(TypeError):
        cs.spark_type(float)
    with pytest.raises(TypeError):
        cs.spark_type(dict[str, int])


def test_one_pipeline_per_worker_process_and_options():
    opts = Options().model_dump_json()
    assert cs._pipeline(opts) is cs._pipeline(opts)
    other = Options(unscored_kinds=False).model_dump_json()
    assert cs._pipeline(other) is not cs._pipeline(opts)


def test_the_module_run_takes_the_arguments_of_cnextract_spark_extract():
    """spark.py parses its own arguments (it does not import cli); they stay those of the command."""
    def options(parser):
        return sorted((a.dest, tuple(a.option_strings), a.default, tuple(a.choices or ()), a.nargs, a.help)
                      for a in parser._actions if a.dest != "help")

    assert options(cs.build_parser()) == options(cli.build_parser().subcommands["spark-extract"])
    args = cs.build_parser().parse_args(["in.jsonl", "out", "--flat", "--text-field", "body"])
    assert (args.input, args.output, args.flat, args.text_field, args.id_field) == ("in.jsonl", "out", True, "body", "id")


# ---------------------------------------------------------------- Spark equals extract

def test_corpus_pages_equal_extract(corpus_pages, corpus):
    assert corpus_pages.schema == cs.page_schema()
    rows = corpus_pages.collect()
    assert sorted(r.id for r in rows) == sorted(name for name, _ in corpus)
    texts = dict(corpus)
    figures = 0
    for row in rows:
        page = cs.row_to_page(row)
        want = cnextract.extract(texts[row.id], name=row.id)
        assert page.model_dump() == want.model_dump(), row.id
        assert page.to_json() == want.to_json(), row.id  # Decimal strings are exact
        figures += len(page.figures)
    assert figures > 1000


def test_flat_rows_equal_extract(spark, corpus_pages, corpus):
    figures, quotes = cs.flatten(corpus_pages)
    assert figures.schema == cs.figure_schema()
    assert quotes.schema == cs.quote_schema()
    got = {(r.id, r.article, r.seq): r for r in figures.collect()}
    want = {}
    for name, text in corpus:
        for a, art in enumerate(cnextract.extract(text, name=name).articles):
            for i, f in enumerate(art.figures):
                want[(name, a, i)] = f
    assert got.keys() == want.keys()
    for key, f in want.items():
        r = got[key]
        assert (r.start, r.end, r.text, r.unit, r.kind, r.qualifier, r.direction, r.rule) == \
            (f.start, f.end, f.text, f.unit, f.kind, f.qualifier, f.direction, f.rule), key
        for name in ("value", "low", "high"):
            v = getattr(f, name)
            assert getattr(r, name) == (None if v is None else str(v)), key
        for name in ("metric", "subject", "period"):
            s = getattr(f, name)
            assert (getattr(r, name), getattr(r, f"{name}_start"), getattr(r, f"{name}_end")) == \
                ((None, None, None) if s is None else (s.text, s.start, s.end)), key
        assert tuple(r.entries) == f.entries, key
    n_quotes = sum(len(cnextract.extract(t).quotes) for _, t in corpus)
    assert quotes.count() == n_quotes
    # ready for SQL
    figures.createOrReplaceTempView("figures")
    cny = spark.sql("SELECT subject, metric, value FROM figures WHERE unit = 'CNY'").collect()
    assert len(cny) == sum(1 for f in want.values() if f.unit == "CNY") > 0
    assert all(Decimal(r.value) == Decimal(r.value) for r in cny if r.value is not None)


def test_bad_rows_become_problems_and_the_batch_goes_on(spark):
    gb = "营业收入增长5%，利润3亿元。".encode("gb18030")
    rows = [(1, gb), (2, None), (3, b"\xff\xfe\x00bad"), (4, "近7000家".encode())]
    df = spark.createDataFrame(rows, "n long, raw binary").coalesce(1)
    out = {r.id: r for r in cs.extract_pages(df, "raw", "n").collect()}
    assert set(out) == {"1", "2", "3", "4"}
    assert cs.row_to_page(out["1"]).model_dump() == cnextract.extract(gb, name="1").model_dump()
    assert [p.code for p in out["2"].problems] == ["missing-text"]
    assert cs.row_to_page(out["3"]).model_dump() == cnextract.extract(b"\xff\xfe\x00bad", name="3").model_dump()
    assert [f.value for f in cs.row_to_page(out["4"]).figures] == [Decimal("7000")]


def test_extraction_failure_is_a_problem_row():
    page = cs._page(_Boom(), "text", "x")
    assert [p.code for p in page.problems] == ["internal-error"] and page.text == "text"
    assert page.source.name == "x"


class _Boom:
    def __call__(self, raw, name=None):
        raise RuntimeError("boom")


def test_without_id_and_text(spark, corpus):
    df = spark.createDataFrame(corpus[:2], "id string, text string").select("text")
    rows = cs.extract_pages(df, keep_text=False).collect()
    assert "text" not in rows[0].asDict() and all(r.id is None for r in rows)
    assert sorted(len(r.articles) for r in rows) == sorted(len(cnextract.extract(t).articles) for _, t in corpus[:2])


# ---------------------------------------------------------------- command line

def _read_pages(spark, path) -> dict[str, PageResult]:
    return {r.id: cs.row_to_page(r) for r in spark.read.parquet(str(path)).collect()}


def test_cli_text_files(spark, tmp_path, capsys):
    src = tmp_path / "pages"
    src.mkdir()
    for p in RAW[:4]:
        (src / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    assert cli.main(["spark-extract", str(src / "*.txt"), str(out), "--format", "text"]) == 0
    pages = _read_pages(spark, out)
    assert len(pages) == 4
    # a directory means its .txt files: other files there are not pages
    (src / "notes.md").write_text("not a page", encoding="utf-8")
    assert cli.main(["spark-extract", str(src), str(tmp_path / "dir-out")]) == 0
    assert _read_pages(spark, tmp_path / "dir-out").keys() == pages.keys()
    for name, page in pages.items():
        assert name.endswith(page.source.name.rsplit("/", 1)[-1])
        data = (src / Path(name).name).read_bytes()
        assert page.model_dump() == cnextract.extract(data, name=name).model_dump()


def test_cli_json_and_parquet_and_flat(spark, tmp_path, corpus):
    from cnextract import tables

    jl = tmp_path / "pages.jsonl"
    jl.write_text("".join(json.dumps({"doc": n, "body": t}, ensure_ascii=False) + "\n" for n, t in corpus[:3]),
                  encoding="utf-8")
    out = tmp_path / "from-json"
    assert cli.main(["spark-extract", str(jl), str(out), "--text-field", "body", "--id-field", "doc"]) == 0
    pages = _read_pages(spark, out)
    assert {n: p.model_dump() for n, p in pages.items()} == \
        {n: cnextract.extract(t, name=n).model_dump() for n, t in corpus[:3]}

    with pytest.raises(ValueError, match="no field 'text'"):
        cli.main(["spark-extract", str(jl), str(tmp_path / "misnamed")])

    pq = tmp_path / "pages.parquet"
    spark.createDataFrame(corpus[:3], "id string, text string").write.parquet(str(pq))
    flat = tmp_path / "flat"
    assert cli.main(["spark-extract", str(pq), str(flat), "--flat"]) == 0
    figs = spark.read.parquet(str(flat / "figures"))
    assert figs.schema.simpleString() == cs.figure_schema().simpleString()  # Parquet reads all nullable
    assert figs.count() == sum(len(cnextract.extract(t).figures) for _, t in corpus[:3])
    assert spark.read.parquet(str(flat / "quotes")).schema.simpleString() == cs.quote_schema().simpleString()
    # an existing output is not silently replaced
    with pytest.raises(Exception, match="already exists"):
        cli.main(["spark-extract", str(pq), str(flat), "--flat"])
    assert cli.main(["spark-extract", str(pq), str(flat), "--flat", "--overwrite"]) == 0
    # --drop-text leaves the sentence columns out of the flat tables too, as extract --drop-text does
    lean = tmp_path / "lean"
    assert cli.main(["spark-extract", str(pq), str(lean), "--flat", "--drop-text"]) == 0
    for what in ("figures", "quotes"):
        names = spark.read.parquet(str(lean / what)).schema.names
        assert names == [c for c, _ in tables.columns(what, drop_text=True)]
        assert "sentence" in [c for c, _ in tables.columns(what)] and "sentence" not in names
    assert spark.read.parquet(str(lean / "figures")).count() == sum(len(cnextract.extract(t).figures)
                                                                   for _, t in corpus[:3])


def test_spark_submit_runs_the_module_file(tmp_path, corpus):
    """The documented cluster command: spark-submit with cnextract/spark.py as the application."""
    import pyspark

    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    jl = tmp_path / "pages.jsonl"
    jl.write_text("".join(json.dumps({"id": n, "text": t}, ensure_ascii=False) + "\n" for n, t in corpus[:2]),
                  encoding="utf-8")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSPARK_GATEWAY")}
    env.update(PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    proc = subprocess.run([str(submit), "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                           cs.__file__, str(jl), str(out)], env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import pyarrow.parquet as pq

    rows = pq.read_table(str(out)).to_pylist()
    assert sorted(r["id"] for r in rows) == sorted(n for n, _ in corpus[:2])
    for r in rows:
        assert r["id"] == r["source"]["name"]  # the id column is the page's own id
        want = cnextract.extract(dict(corpus)[r["source"]["name"]], name=r["source"]["name"])
        assert PageResult.model_validate(r).model_dump() == want.model_dump()
