"""What a person sees (issue 16, part 6): one-line errors with exit 2, every input with a problem
named on standard error, a progress bar with a total, the subcommand's own usage, extract(Path),
ids that cannot name a record, output lines no line-splitter can cut, GB18030 JSON records and a
schema that covers problem lines."""

import io
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Union

import pytest
from pydantic import Field, TypeAdapter

import cnextract
from cnextract import batch, cli
from cnextract.records import PageResult, ProblemLine

GOOD = "规模以上工业增加值增长5%。"


def lines_of(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def name_of(record):
    return record["source"]["name"] if record["schema"] == "cnextract.page" else record["source"]


# --- usage and I/O errors ---------------------------------------------------------------------

@pytest.mark.parametrize("where, why", [("missing/out.jsonl", "No such file or directory"), (".", "Is a directory")],
                         ids=["missing-directory", "a-directory"])
def test_an_output_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path, capsys, where, why):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = str(tmp_path / where)
    assert cli.main(["extract", str(tmp_path / "a.txt"), "-o", out]) == 2
    err = capsys.readouterr().err
    assert err == f"cnextract extract: cannot write the output {out}: {why}\n"


def test_an_output_that_fails_while_written_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")

    class Full(io.StringIO):
        def flush(self):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "open", lambda *a, **kw: Full(), raising=False)
    assert cli.main(["extract", str(tmp_path / "a.txt"), "-o", "out.jsonl"]) == 2
    assert capsys.readouterr().err == "cnextract extract: cannot write the output out.jsonl: No space left on device\n"


def test_spark_extract_without_the_extra_is_one_line_and_exit_2(monkeypatch, capsys):
    # what importing an absent package does; pyspark.sql may already be loaded by the Spark tests
    for name in {"pyspark", *(m for m in sys.modules if m.startswith("pyspark."))}:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "cnextract.spark", raising=False)
    assert cli.main(["spark-extract", "pages", "out.parquet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pyspark" in err and "pip install 'cnextract[spark]'" in err


@pytest.mark.parametrize("command", [["extract", "a.txt", "--bogus"], ["schema", "--bogus"],
                                     ["explain", "x", "--bogus"]], ids=["extract", "schema", "explain"])
def test_a_subcommands_error_shows_that_subcommands_usage(command, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(command)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: cnextract {command[0]} ")
    assert err.rstrip().endswith(f"cnextract {command[0]}: error: unrecognized arguments: --bogus")


# --- problems on standard error, progress ------------------------------------------------------

def test_each_input_with_a_problem_is_named_on_stderr_up_to_twenty(tmp_path, tmp_path_factory, capsys):
    for i in range(25):
        (tmp_path / f"e{i:02d}.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path_factory.mktemp("out") / "o.out"  # never inside an input directory
    assert cli.main(["extract", str(tmp_path), str(tmp_path / "gone.txt"), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:20] == [f"cnextract extract: {tmp_path / f'e{i:02d}.txt'}: empty-input: the input holds no text"
                        for i in range(20)]
    assert err[20] == "cnextract extract: … and 6 more inputs with problems (each is in the output)"
    assert err[21].startswith("cnextract extract: 26 pages, 1 figures, 0 quotes, 26 problems (26 inputs")
    assert len(err) == 22


def test_quiet_names_nothing(tmp_path, capsys):
    (tmp_path / "e.txt").write_bytes(b"")
    assert cli.main(["extract", str(tmp_path / "e.txt"), "-o", str(tmp_path / "o.out"), "-q"]) == 1
    assert capsys.readouterr().err == ""


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_has_a_total_and_eta_and_says_problems(tmp_path, tmp_path_factory, monkeypatch):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text(f'{{"text": "{GOOD}"}}\n\n{{"text": ""}}\n', encoding="utf-8")
    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    out = tmp_path_factory.mktemp("out") / "o.out"  # never inside an input directory
    assert cli.main(["extract", str(tmp_path), "-o", str(out)]) == 1
    bar = err.getvalue().split("\r")[-1].splitlines()[0]
    assert "5/5 [" in bar and "<00:00" in bar  # total, and the remaining time
    assert "1 problems" in bar and "failed" not in bar


def test_inputs_are_counted_without_opening_what_is_not_a_regular_file(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text('{"text": "x"}\n\n  \n{"text": "y"}\nnot json\n', encoding="utf-8")
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)  # opening it to count would block for ever
    assert batch.count([str(tmp_path), str(tmp_path / "gone.txt"), str(tmp_path / "nothing-*.txt"), "-"]) == 8
    with pytest.raises(TimeoutError):  # the CLI then counts in a background thread
        batch.count([str(tmp_path)], until=0)
    (tmp_path / "s.json").write_text("[1, 2]", encoding="utf-8")
    assert batch.count([str(tmp_path)]) is None  # a .json file's records are known only by parsing it


# --- extract(Path) -------------------------------------------------------------------------------

def test_extract_takes_a_path(tmp_path):
    gbk = tmp_path / "a.txt"
    gbk.write_bytes("交易额近5亿元".encode("gb18030"))
    page = cnextract.extract(gbk)
    assert page.source.name == str(gbk) and page.source.encoding == "gb18030"
    assert [f.text for f in page.figures] == ["5亿元"]
    html = tmp_path / "b.html"
    html.write_text("<p>利润增长6.1%。</p>", encoding="utf-8")
    page = cnextract.extract(html, name="b")
    assert page.source.format == "html" and page.source.name == "b" and page.figures[0].text == "6.1%"
    gone = cnextract.extract(tmp_path / "gone.txt")
    assert [p.code for p in gone.problems] == ["read-error"] and gone.text == ""


# --- ids ----------------------------------------------------------------------------------------

def test_duplicate_null_and_list_ids_are_reported(tmp_path):
    records = [{"id": "a", "text": "增长1%"}, {"id": "a", "text": "增长2%"}, {"id": None, "text": "增长3%"},
               {"id": [1, 2], "text": "增长4%"}, {"id": {"k": 1}, "text": "增长5%"}, {"id": True, "text": "增长6%"},
               {"id": "", "text": "增长7%"}, {"id": 8, "text": "增长8%"}, {"text": "增长9%"}]
    src = tmp_path / "r.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "o.out"
    assert cli.main(["extract", str(src), "-o", str(out), "-q"]) == 0  # notices fail nothing
    got = [(name_of(r).rsplit(":", 1)[1], [(p["code"], p["level"]) for p in r["problems"]]) for r in lines_of(out)]
    bad, dup = [("bad-id", "notice")], [("duplicate-id", "notice")]
    assert got == [("a", []), ("a", dup), ("3", bad), ("4", bad), ("5", bad), ("6", bad), ("7", bad), ("8", []),
                   ("9", [])]
    again = tmp_path / "s.json"
    again.write_text(json.dumps([{"id": 1, "text": "增长1%"}, {"id": 1, "text": "增长2%"}]), encoding="utf-8")
    assert cli.main(["extract", str(again), "-o", str(out), "-q"]) == 0
    assert [[p["code"] for p in r["problems"]] for r in lines_of(out)] == [[], ["duplicate-id"]]


# --- output lines ---------------------------------------------------------------------------------

def test_output_lines_escape_every_line_break_that_json_leaves_raw(tmp_path):
    text = "第一段增长5%\u2028第二段增长6%\u2029第三段\x85增长7%"
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"id": "p\u2028q", "text": text}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "x\x85y", "body": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    for fmt in ("jsonl", "json"):
        out = tmp_path / f"o.{fmt}"
        cli.main(["extract", str(src), str(tmp_path / "a.txt"), "-o", str(out), "--format", fmt, "-q"])
        data = out.read_text(encoding="utf-8")
        records = json.loads(data) if fmt == "json" else [json.loads(x) for x in data.split("\n") if x]
        assert len(records) == 3
        assert [r["text"] for r in records if r["schema"] == "cnextract.page"] == [text, text]
        assert records[1]["schema"] == "cnextract.problem" and records[1]["source"] == f"{src}:x\x85y"
        body = data.splitlines()
        if fmt == "json":
            body = body[1:-1]
        assert len(body) == 3  # str.splitlines() splits at U+2028, U+2029 and U+0085 too


# --- encodings ------------------------------------------------------------------------------------

def test_gb18030_json_records_are_read_like_gb18030_text(tmp_path):
    rows = [{"id": "一", "text": "交易额近5亿元"}, {"id": "二", "text": "营收增长6.1%，新增企业近7000家"}]
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_bytes("\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("gb18030"))
    whole = tmp_path / "s.json"
    whole.write_bytes(json.dumps(rows, ensure_ascii=False).encode("gb18030"))
    out = tmp_path / "o.out"
    assert cli.main(["extract", str(jsonl), str(whole), "-o", str(out), "-q"]) == 0
    got = [(name_of(r), r["source"]["encoding"], [f["text"] for f in r["articles"][0]["figures"]])
           for r in lines_of(out)]
    figs = [["5亿元"], ["6.1%", "7000家"]]
    assert got == [(f"{jsonl}:一", "gb18030", figs[0]), (f"{jsonl}:二", "gb18030", figs[1]),
                   (f"{whole}:一", "gb18030", figs[0]), (f"{whole}:二", "gb18030", figs[1])]


def test_a_jsonl_line_with_bytes_of_no_encoding_is_a_decode_error_and_still_read(tmp_path):
    src = tmp_path / "r.jsonl"
    src.write_bytes(b'{"id": "a", "text": "\xe5\xa2\x9e\xe9\x95\xbf5% \xff\xfe"}\n')
    out = tmp_path / "o.out"
    assert cli.main(["extract", str(src), "-o", str(out), "-q"]) == 1
    page, = lines_of(out)
    assert [p["code"] for p in page["problems"]] == ["decode-error"]
    assert page["articles"][0]["figures"][0]["text"] == "5%"


# --- the schema ----------------------------------------------------------------------------------

def test_every_output_line_is_valid_against_the_output_schema(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "o.out"
    cli.main(["extract", str(tmp_path / "a.txt"), str(tmp_path / "gone.txt"), "-o", str(out), "-q"])
    line = TypeAdapter(Annotated[Union[PageResult, ProblemLine], Field(discriminator="schema_")])
    got = [type(line.validate_json(x)) for x in out.read_text(encoding="utf-8").splitlines()]
    assert got == [PageResult, ProblemLine]


def test_the_package_is_typed():
    assert (Path(cnextract.__file__).parent / "py.typed").is_file()
