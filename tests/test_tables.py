"""Tables: extract --table (CSV, JSON lines, Parquet), to_frame and the speaker key, on corpus
pages and on three bulk pages (tests/data/bulk_pages.jsonl: B00001, B01040, B03433)."""

import csv
import json
import sys
from decimal import Decimal

import pytest

from conftest import ROOT

import cnextract
from cnextract import cli, tables
from cnextract.records import SCORED_KINDS

BULK = ROOT / "tests" / "data" / "bulk_pages.jsonl"
SEED = ROOT / "corpus" / "raw" / "seed-000.txt"
CORPUS_001 = ROOT / "corpus" / "raw" / "001.txt"


@pytest.fixture(scope="module")
def bulk():
    return [json.loads(line) for line in BULK.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def expected(nlp, bulk):
    """PageResults as the CLI names them: text files by path, bulk records by their id."""
    pages = [nlp(SEED.read_bytes(), name=str(SEED)), nlp(CORPUS_001.read_bytes(), name=str(CORPUS_001))]
    pages += [nlp(d["text"], name=f"{BULK}:{d['id']}", id=d["id"]) for d in bulk]
    return pages


@pytest.fixture(scope="module")
def cli_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    args = ["extract", str(SEED), str(CORPUS_001), str(BULK), "-q", "-o", str(out / "pages.jsonl"),
            "--table", str(out / "figures.csv"), "--table", str(out / "quotes.csv"),
            "--table", str(out / "figures.parquet"), "--table", f"speakers={out / 'people.jsonl'}"]
    assert cli.main(args) == 0
    return out


def _csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_figure_rows_are_the_scored_figures_with_exact_values_and_real_offsets(cli_tables, expected):
    rows = _csv(cli_tables / "figures.csv")
    assert list(rows[0]) == [c for c, _ in tables.columns("figures")]
    want = [(p, a, i, f) for p in expected for a, art in enumerate(p.articles)
            for i, f in enumerate(x for x in art.figures if x.kind in SCORED_KINDS)]
    assert len(rows) == len(want) > 200
    for row, (page, a, i, f) in zip(rows, want):
        assert (row["id"], int(row["article"]), int(row["seq"])) == (page.id, a, i)
        assert (int(row["start"]), int(row["end"]), row["text"], row["kind"], row["unit"]) == \
            (f.start, f.end, f.text, f.kind, f.unit or "")
        for name in ("value", "low", "high"):  # exact: the decimal string of the JSON output
            v = getattr(f, name)
            assert row[name] == ("" if v is None else str(v))
        for name in ("metric", "subject", "period"):
            s = getattr(f, name)
            if s is not None:
                assert page.text[int(row[f"{name}_start"]):int(row[f"{name}_end"])] == row[name] == s.text
        s, e = int(row["sentence_start"]), int(row["sentence_end"])
        assert page.text[s:e] == row["sentence"] and s <= f.start and f.end <= e
        assert json.loads(row["entries"]) == list(f.entries)
    ids = {r["id"] for r in rows}
    assert {"B00001", "B01040", "B03433", str(SEED)} <= ids  # the JSON id field, else the path


def test_quote_rows_and_speaker_rows(cli_tables, expected):
    rows = _csv(cli_tables / "quotes.csv")
    want = [(p, q) for p in expected for q in p.quotes]
    assert len(rows) == len(want) > 50
    for row, (page, q) in zip(rows, want):
        assert row["content"] == q.content.text == page.text[int(row["content_start"]):int(row["content_end"])]
        assert row["speaker_name"] == (q.speaker_name or "")
        assert json.loads(row["entries"]) == list(q.entries)  # the cue's entry first
        assert ":" not in q.rule or q.entries[0] == q.rule.rsplit(":", 1)[1]
        s, e = int(row["sentence_start"]), int(row["sentence_end"])
        assert s <= q.content.start and q.content.end <= e
    people = [json.loads(x) for x in (cli_tables / "people.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(people) == sum(len(a.speakers) for p in expected for a in p.articles)
    assert all(isinstance(p["mentions_start"], list) and p["speaker_id"].startswith("s") for p in people)


def test_page_records_carry_their_id(cli_tables):
    pages = [json.loads(x) for x in (cli_tables / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in pages] == [str(SEED), str(CORPUS_001), "B00001", "B01040", "B03433"]
    assert pages[2]["source"]["name"] == f"{BULK}:B00001"


def test_parquet_has_exact_string_values_and_the_csv_rows(cli_tables):
    import pyarrow.parquet as pq

    table = pq.read_table(cli_tables / "figures.parquet")
    assert table.schema == tables.arrow_schema("figures")
    assert str(table.schema.field("value").type) == "string"
    assert str(table.schema.field("start").type) == "int64"
    rows = _csv(cli_tables / "figures.csv")
    got = table.to_pylist()
    assert len(got) == len(rows)
    for a, b in zip(got, rows):
        assert (a["id"], a["value"] or "", a["start"], a["sentence"]) == (b["id"], b["value"], int(b["start"]), b["sentence"])


def test_to_frame_has_the_table_columns(expected, cli_tables):
    for what in tables.TABLES:
        df = cnextract.to_frame(expected, what)
        assert list(df.columns) == [c for c, _ in tables.columns(what)]
    df = cnextract.to_frame(expected, "figures")
    rows = _csv(cli_tables / "figures.csv")
    assert len(df) == len(rows)
    assert [str(v) for v in df["start"]] == [r["start"] for r in rows]
    assert [Decimal(v) for v in df["value"].dropna()] == [Decimal(r["value"]) for r in rows if r["value"]]
    assert str(df["start"].dtype) == "Int64"
    every = cnextract.to_frame(expected, "figures", kinds="all")
    assert len(every) == sum(len(p.figures) for p in expected) > len(df)
    # JSON-shaped pages (lines of extract's output) give the same frame
    dicts = [json.loads(x) for x in (cli_tables / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert cnextract.to_frame(dicts, "quotes").equals(cnextract.to_frame(expected, "quotes"))


def test_drop_text_and_kinds_all(tmp_path, expected):
    out = tmp_path / "pages.jsonl"
    assert cli.main(["extract", str(SEED), "-q", "--drop-text", "--kinds", "all", "-o", str(out),
                     "--table", str(tmp_path / "figures.jsonl")]) == 0
    page = json.loads(out.read_text(encoding="utf-8"))
    assert "text" not in page and page["id"] == str(SEED)
    rows = [json.loads(x) for x in (tmp_path / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "sentence" not in rows[0] and "sentence_start" in rows[0]
    assert len(rows) == len(expected[0].figures) and {r["kind"] for r in rows} - set(SCORED_KINDS)


def test_no_quotes_and_no_figures(tmp_path):
    assert cli.main(["extract", str(SEED), "-q", "--no-quotes", "--table", str(tmp_path / "figures.csv")]) == 0
    assert cli.main(["extract", str(SEED), "-q", "--no-figures", "-o", str(tmp_path / "p.jsonl")]) == 0
    page = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8"))
    assert not any(a["figures"] for a in page["articles"]) and any(a["quotes"] for a in page["articles"])


@pytest.mark.parametrize("args, message", [
    (["--no-quotes", "--table", "quotes.csv"], "a quotes table needs what --no-quotes switches off"),
    (["--table", "out.csv"], "say which table"),
    (["--table", "figures.xlsx"], "must end in .csv, .jsonl or .parquet"),
])
def test_table_usage_errors_are_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["extract", str(SEED), "-q", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("cnextract extract: ")
    assert not list(tmp_path.iterdir())


def test_a_bad_input_is_a_problem_and_the_table_goes_on(tmp_path):
    bad = tmp_path / "pages.jsonl"
    bad.write_text('{"id": "a", "text": "营业收入增长5%"}\nnot json\n{"id": "c", "text": "利润3亿元"}\n',
                   encoding="utf-8")
    assert cli.main(["extract", str(bad), "-q", "--table", str(tmp_path / "figures.csv")]) == 1
    rows = _csv(tmp_path / "figures.csv")
    assert [(r["id"], r["value"], r["unit"]) for r in rows] == [("a", "5", "%"), ("c", "300000000", "CNY")]


def test_missing_extras_give_one_clear_line(monkeypatch, tmp_path, capsys, expected):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pandas is not installed: pip install 'cnextract\[tables\]'"):
        cnextract.to_frame(expected, "figures")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert cli.main(["extract", str(SEED), "-q", "--table", str(tmp_path / "figures.parquet")]) == 2
    assert "Parquet needs pyarrow: pip install 'cnextract[tables]'" in capsys.readouterr().err


def test_speaker_key_drops_titles():
    cases = {"中国工程院院士钟南山": "钟南山", "钟南山院士": "钟南山", "钟南山": "钟南山",
             "三水区教育局局长赖伟超": "赖伟超", "辽宁省委书记郝鹏": "郝鹏", "郝鹏代表": "郝鹏",
             "Xbox 首席产品经理 Patrick Siu": "Patrick Siu",
             # descriptions, bodies and bare titles stay as written
             "国家统计局有关负责人": "国家统计局有关负责人", "发言人": "发言人", "中国驻日本大使馆": "中国驻日本大使馆",
             "欧盟委员会": "欧盟委员会"}
    assert {n: tables.speaker_key(n) for n in cases} == cases


def test_speaker_key_groups_a_source_across_pages(expected):
    """B01040 names 三水区教育局局长赖伟超 with his title; the key is the bare name."""
    df = cnextract.to_frame(expected, "quotes")
    by_key = df.groupby("speaker_key")["id"].agg(set)
    assert "三水区教育局局长赖伟超" in set(df["speaker"])  # the mention as written, title and all
    assert by_key["赖伟超"] == {"B01040"}
    assert by_key["钟南山"] == {"B03433"} and by_key["郝鹏"] == {str(SEED)}
    # a key is never longer than the name it came from
    assert all(len(k) <= len(n) for k, n in zip(df["speaker_key"], df["speaker_name"]) if isinstance(n, str))


def test_sentence_columns_are_the_splitters_sentences_on_bulk_pages(bulk):
    """The sentence around a record is the project's one split (page.split; its rules are tested
    in tests/test_page.py against a slow reference): whole sentences of the page, trimmed."""
    from cnextract.page import split

    for d in bulk:
        text = d["text"]
        spans = split(text).spans()
        sents = tables.Sentences(text)
        for s, e in spans[::7]:
            assert sents.covering(s, e) == (s, e)
            assert sents.covering(s + (e - s) // 2, e) == (s, e)  # from inside a sentence: the same
        (a, _), (_, b) = spans[0], spans[2]
        assert sents.covering(a, b) == (a, b)  # a span over three sentences: all three


def test_worker_processes_write_the_same_table(tmp_path, cli_tables):
    """With --jobs 2 the rows are made in the workers and streamed back in input order."""
    out = tmp_path / "figures.csv"
    assert cli.main(["extract", str(SEED), str(CORPUS_001), str(BULK), "-q", "--jobs", "2", "--table", str(out)]) == 0
    assert out.read_bytes() == (cli_tables / "figures.csv").read_bytes()
