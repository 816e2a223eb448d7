"""Bad input in a batch: each case yields a clear Problem (or a page, where the text is fine),
never a crash, never lost output for the good pages, and cost linear in size (asserted on the
time ratio of two sizes, never on seconds)."""

import gc
import json
import os
import time

import pytest

from cnextract import batch, cli, workers
from conftest import ROOT

GOOD = "规模以上工业增加值增长5%。"
PROSE = "记者在现场看到，工人们正在紧张施工，车间里处处忙碌景象。" * 20  # 560 chars, no numeral


def long_line(n_bytes: int) -> str:
    """One line of prose of about n_bytes UTF-8 bytes with a figure every ~560 characters."""
    unit = PROSE + "产值增长5%。"
    return unit * (n_bytes // len(unit.encode()))


def nested_quotes(depth: int) -> str:
    return "李明对记者说：“" * depth + "增长5%" + "”" * depth


BAD = {
    "empty.txt": (b"", "empty-input"),
    "blank.txt": (" \n\t\u3000\n", "empty-input"),
    "nul.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + "增长5%".encode(), "binary-input"),
    "latin.txt": (b"\xff\xfe\xfa\x80 growth 5%", "decode-error"),
    "quotes.txt": ("“" * 1_000_000, "degenerate-input"),
    "digits.txt": ("".join(str(i % 10) for i in range(1_000_000)), "degenerate-input"),
    "wan.txt": ("万" * 1_000_000, "degenerate-input"),
    "nested-marks.txt": ("“‘" * 250_000 + "’”" * 250_000, "degenerate-input"),
    "notext.html": (b"<html><head><title>x</title><script>var a='\xe5\xa2\x9e5%';</script><style>p{}</style>"
                    b"</head><body><div> </div><img src=a.png></body></html>", "empty-input"),
}


def write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """One CLI run over every bad case, with good pages between them, on two workers."""
    d = tmp_path_factory.mktemp("bad")
    names = []
    for i, (name, (data, _)) in enumerate(BAD.items()):
        write(d / f"{i:02d}-{name}", data)
        write(d / f"{i:02d}-good.txt", GOOD)
        names += [f"{i:02d}-{name}", f"{i:02d}-good.txt"]
    write(d / "50-long.txt", long_line(5_000_000))
    write(d / "51-nested.txt", nested_quotes(20_000))
    write(d / "60-records.jsonl", "\n".join([json.dumps({"id": "a", "text": GOOD}, ensure_ascii=False),
                                             '{"id": "b", "text": "增长', "not json at all",
                                             json.dumps({"id": "c", "text": GOOD}, ensure_ascii=False)]))
    unreadable = d / "70-unreadable"
    unreadable.mkdir()
    write(unreadable / "a-good.txt", GOOD)
    os.symlink(unreadable / "gone.txt", unreadable / "b-dangling.txt")
    os.mkfifo(unreadable / "c-fifo.txt")
    write(unreadable / "d-good.txt", GOOD)
    out = tmp_path_factory.mktemp("out") / "out.jsonl"
    code = cli.main(["extract", str(d), "-o", str(out), "--jobs", "2", "--quiet"])
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    by_name = {(x["source"]["name"] if x["schema"] == "cnextract.page" else x["source"]): x for x in lines}
    return d, code, lines, by_name


def codes(record):
    return [p["code"] for p in record["problems"]] if record["schema"] == "cnextract.page" else [record["code"]]


def test_batch_goes_on_and_keeps_every_good_page(batch_run):
    d, code, lines, by_name = batch_run
    assert code == 1
    good = [x for x in lines if x["schema"] == "cnextract.page" and x["text"] == GOOD]
    assert len(good) == len(BAD) + 2 + 2  # one after each bad file, two records, two in the directory
    assert all(not x["problems"] and x["articles"][0]["figures"][0]["text"] == "5%" for x in good)


@pytest.mark.parametrize("name", list(BAD))
def test_each_bad_file_has_its_problem(batch_run, name):
    d, _, _, by_name = batch_run
    i = list(BAD).index(name)
    record = by_name[str(d / f"{i:02d}-{name}")]
    assert BAD[name][1] in codes(record)
    problem = next(p for p in record["problems"] if p["code"] == BAD[name][1])
    assert len(problem["message"]) > 20


def test_five_megabyte_line_is_extracted(batch_run):
    d, _, _, by_name = batch_run
    page = by_name[str(d / "50-long.txt")]
    assert len(page["text"].encode()) > 4_900_000 and "\n" not in page["text"]
    assert not page["problems"]
    figs = page["articles"][0]["figures"]
    assert len(figs) == page["text"].count("5%") and figs[-1]["end"] > len(page["text"]) - 10


def test_deeply_nested_quotes_are_extracted(batch_run):
    d, _, _, by_name = batch_run
    page = by_name[str(d / "51-nested.txt")]
    assert not page["problems"] and [f["text"] for f in page["articles"][0]["figures"]] == ["5%"]


def test_jsonl_line_that_is_not_json(batch_run):
    d, _, _, by_name = batch_run
    f = d / "60-records.jsonl"
    assert [by_name[f"{f}:{k}"]["text"] for k in "ac"] == [GOOD, GOOD]
    for line in (2, 3):
        record = by_name[f"{f}:{line}"]
        assert record["schema"] == "cnextract.problem" and record["code"] == "bad-json"
        assert f"line {line} is not JSON" in record["message"]


def test_directory_with_unreadable_files(batch_run):
    d, _, lines, by_name = batch_run
    u = d / "70-unreadable"
    assert [x["source"] if x["schema"] == "cnextract.problem" else x["source"]["name"] for x in lines[-4:]] == \
        [str(u / n) for n in ("a-good.txt", "b-dangling.txt", "c-fifo.txt", "d-good.txt")]
    assert by_name[str(u / "b-dangling.txt")]["code"] == "read-error"
    fifo = by_name[str(u / "c-fifo.txt")]
    assert fifo["code"] == "read-error" and "not a regular file" in fifo["message"]


def test_permission_denied_and_unlistable_directory(tmp_path, tmp_path_factory, monkeypatch):
    """Tests may run as root, where chmod cannot deny a read: simulate the OS errors instead."""
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "locked.txt", "sub/c.txt"):
        write(tmp_path / name, GOOD)
    real_open, real_walk = open, os.walk

    def deny(path, *a, **kw):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    def walk(top, onerror=None, **kw):
        for dirpath, dirnames, filenames in real_walk(top, onerror=onerror, **kw):
            if dirpath.endswith("sub"):
                onerror(PermissionError(13, "Permission denied", dirpath))
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(batch, "open", deny, raising=False)  # batch lists inputs,
    monkeypatch.setattr(workers, "open", deny, raising=False)  # a worker reads a file
    monkeypatch.setattr(batch.os, "walk", walk)
    out = tmp_path_factory.mktemp("out") / "out.jsonl"  # never inside an input directory
    assert cli.main(["extract", str(tmp_path), "-o", str(out), "-q"]) == 1
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    got = [(x.get("code") or "page", x["source"] if isinstance(x["source"], str) else x["source"]["name"])
           for x in lines]
    assert ("page", str(tmp_path / "a.txt")) in got
    assert ("read-error", str(tmp_path / "locked.txt")) in got
    assert ("read-error", str(tmp_path / "sub")) in got


def _cost(make, n):
    nlp = batch.Pipeline()
    text = make(n)
    best = float("inf")
    for _ in range(3):
        gc.collect()  # garbage left by earlier tests is not this page's cost (it once made 4x cost 8x)
        gc.disable()
        try:
            t0 = time.process_time()  # CPU time: other jobs on the machine do not count
            nlp(text)
            best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
    return best


def run_in_prose(run: str):
    """Prose with a long run of one mark (40% of the text): under the degenerate-input cut, so
    the extractors themselves read the run (the 1 MB cases above are refused before they do)."""
    return lambda n: PROSE * (n * 6 // 10 // len(PROSE)) + run * (n * 4 // 10 // len(run))


@pytest.mark.parametrize("make, n", [(long_line, 300_000), (nested_quotes, 25_000), (lambda n: "“" * n, 300_000),
                                     (lambda n: "7" * n, 300_000), (lambda n: "万" * n, 300_000),
                                     (lambda n: "“‘" * n, 150_000), (run_in_prose("万"), 20_000),
                                     (run_in_prose("7"), 20_000), (run_in_prose("“"), 80_000),
                                     (run_in_prose("一二三四五六七八九十"), 20_000)],
                         ids=["long-line", "nested-quotes", "quote-marks", "digits", "wan", "nested-marks",
                              "wan-run-in-prose", "digit-run-in-prose", "quote-run-in-prose",
                              "numeral-run-in-prose"])
def test_cost_is_linear_in_size(make, n):
    small, big = _cost(make, n), _cost(make, 4 * n)
    # four times the input may cost at most about four times the time (slack for noise)
    assert big / max(small, 1e-3) < 8, (small, big)


# --- sizes and non-regular files (issue 16, parts 2 and 5) --------------------------------------

def test_a_file_over_the_size_limit_is_refused_unread_and_its_line_is_small(tmp_path, monkeypatch):
    import hashlib
    from pathlib import Path

    big = tmp_path / "big.html"
    data = ("<html><body>" + "<p>增长5%。</p>" * 20_000 + "</body></html>").encode()
    big.write_bytes(data)
    small = tmp_path / "small.txt"
    small.write_text(GOOD, encoding="utf-8")
    reads = []
    real_read = workers._read
    monkeypatch.setattr(workers, "_read", lambda fh, limit: reads.append(fh.name) or real_read(fh, limit))
    nlp = batch.Pipeline(batch.Options(max_size=100_000))
    page, good = nlp.map([Path(big), Path(small)])
    assert reads == [str(small)]  # the big file's bytes were never read into memory
    assert [p.code for p in page.problems] == ["too-large"] and "100,000" in page.problems[0].message
    assert page.text == "" and not page.articles
    assert page.source.size == len(data) and page.source.sha256 == hashlib.sha256(data).hexdigest()
    line = batch.to_line(page).text
    assert len(line) < 600 and json.loads(line)["source"]["size"] == len(data)
    assert good.figures[0].text == "5%" and "size" not in json.loads(good.to_json())["source"]


def test_a_gzipped_file_is_measured_as_it_is_decompressed(tmp_path):
    import gzip
    import hashlib
    from pathlib import Path

    data = (GOOD * 2_000).encode()
    gz = tmp_path / "page.txt.gz"
    gz.write_bytes(gzip.compress(data))
    assert gz.stat().st_size < 1_000 < len(data)
    (page,) = batch.Pipeline(batch.Options(max_size=1_000)).map([Path(gz)])
    assert [p.code for p in page.problems] == ["too-large"] and page.text == ""
    assert page.source.size == len(data) and page.source.sha256 == hashlib.sha256(data).hexdigest()
    (page,) = batch.Pipeline(batch.Options(max_size=len(data))).map([Path(gz)])
    assert not page.problems and len(page.figures) == 2_000


def test_str_and_bytes_over_the_limit_keep_no_text():
    nlp = batch.Pipeline(batch.Options(max_size=10))
    for raw, unit in ((GOOD * 2, "characters"), ((GOOD * 2).encode(), "bytes")):
        page = nlp(raw)
        assert page.text == "" and page.source.size == len(raw) and unit in page.problems[0].message
        assert [p.code for p in page.problems] == ["too-large"]
    assert nlp(GOOD[:10]).figures == ()  # at the limit: read
    assert batch.Pipeline(batch.Options(max_size=20))(GOOD).figures[0].text == "5%"


def test_a_large_file_is_never_read_whole_into_memory(tmp_path):
    import tracemalloc
    from pathlib import Path

    nuls = tmp_path / "nuls.txt"
    with open(nuls, "wb") as fh:
        fh.truncate(30_000_000)  # 30 MB of NULs
    nlp = batch.Pipeline(batch.Options(max_size=1_000_000))
    tracemalloc.start()
    try:
        (page,) = nlp.map([Path(nuls)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in page.problems] == ["too-large"] and page.source.size == 30_000_000
    assert peak < 5_000_000, peak


def test_a_binary_page_keeps_no_text_and_yields_no_records():
    data = b"\x7fELF\x02\x01\x01\x00" + "增长5%，利润1000万元".encode() * 50
    page = batch.Pipeline()(data)
    assert [p.code for p in page.problems] == ["binary-input"]
    assert page.text == "" and not page.articles and page.figures == ()
    assert page.source.size == len(data) and len(batch.to_line(page).text) < 600


def test_map_of_a_path_refuses_a_fifo_and_a_device_as_the_cli_does(tmp_path):
    import threading
    from pathlib import Path

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    got = []
    worker = threading.Thread(target=lambda: got.extend(batch.Pipeline().map([Path(fifo), Path(os.devnull)])),
                              daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "Pipeline.map blocked opening a FIFO"
    for page in got:
        assert [p.code for p in page.problems] == ["read-error"]
        assert "not a regular file" in page.problems[0].message
    # the CLI lists the same inputs with the same check
    listed = list(batch.inputs([str(fifo), os.devnull]))
    assert [x.problem.message for x in listed] == [p.problems[0].message for p in got]


# --- globs (issue 16, part 2) -------------------------------------------------------------------

def test_a_recursive_glob_over_a_symlink_loop_gives_each_file_once(tmp_path):
    d = tmp_path / "pages"
    (d / "sub").mkdir(parents=True)
    write(d / "a.txt", GOOD)
    write(d / "sub" / "b.txt", GOOD)
    os.symlink("..", d / "sub" / "loop")  # pages/sub/loop -> pages
    os.symlink(".", d / "self")
    got = list(batch.expand([str(d / "**" / "*.txt")]))
    assert got == [str(d / "a.txt"), str(d / "sub" / "b.txt")]
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", str(d / "**" / "*.txt"), "-o", str(out), "-q"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_a_recursive_glob_streams_its_matches(tmp_path, monkeypatch):
    """The first match comes out after a few directories are listed, not after the whole tree."""
    d = tmp_path / "pages"
    for i in range(200):
        (d / f"d{i:03d}").mkdir(parents=True)
        write(d / f"d{i:03d}" / "x.txt", GOOD)
    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p=".": listed.append(p) or real(p))
    first = next(iter(batch.expand([str(d / "**" / "*.txt")])))
    assert first == str(d / "d000" / "x.txt") and len(listed) < 5, len(listed)
    monkeypatch.undo()
    assert len(list(batch.expand([str(d / "**" / "*.txt")]))) == 200


# --- issue 16, part 1: crashes and data loss ------------------------------------------------------

SURROGATE_CASES = [
    {"id": "ok", "text": GOOD},
    {"id": "text", "text": "\ud800规模以上工业增加值增长5%。\udfff"},
    {"id": "\udfff", "text": GOOD},
]


@pytest.fixture()
def surrogate_inputs(tmp_path):
    """A JSONL with lone surrogates in a text and in an id, and a file whose name is GBK bytes."""
    d = tmp_path / "in"
    d.mkdir()
    # json.dumps escapes a lone surrogate as \ud800: valid JSON that decodes to one
    (d / "a.jsonl").write_text("\n".join(json.dumps(r) for r in SURROGATE_CASES) + "\n", encoding="ascii")
    with open(os.path.join(os.fsencode(d), "增长".encode("gbk") + b".txt"), "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    return d


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lone_surrogates_never_end_a_run(surrogate_inputs, tmp_path, jobs):
    out = tmp_path / "out.jsonl"
    code = cli.main(["extract", str(surrogate_inputs), "-o", str(out), "--jobs", jobs, "-q"])
    text = out.read_text(encoding="utf-8")  # strict: a surrogate written out would not decode
    lines = [json.loads(x) for x in text.splitlines()]
    assert len(lines) == 4 and all(x["schema"] == "cnextract.page" for x in lines)
    assert code == 1  # the altered text is an error-level problem, as undecodable bytes are
    names = [x["source"]["name"] for x in lines]
    base = str(surrogate_inputs / "a.jsonl")
    assert names[:3] == [f"{base}:ok", f"{base}:text", f"{base}:\ufffd"]
    assert names[3].startswith(str(surrogate_inputs) + os.sep) and "\ufffd" in names[3]
    assert [codes(x) for x in lines] == [[], ["lone-surrogate"], ["lone-surrogate"], ["lone-surrogate"]]
    # one code point for one: the offsets of everything found still index the text
    page = lines[1]
    assert page["text"] == "\ufffd" + GOOD + "\ufffd"
    assert [f["text"] for f in page["articles"][0]["figures"]] == ["5%"]
    assert page["text"][page["articles"][0]["figures"][0]["start"]:][:2] == "5%"
    assert page["problems"][0]["start"] == 0 and "2 lone surrogates" in page["problems"][0]["message"]
    assert [x["problems"][0]["level"] for x in lines[1:]] == ["error", "notice", "notice"]
    assert [f["text"] for x in lines for f in x["articles"][0]["figures"]] == ["5%"] * 4


def test_a_failure_named_with_a_lone_surrogate_is_written(tmp_path):
    """A record that yields no page (no text field) under an id holding a lone surrogate."""
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps({"id": "\ud800x", "body": GOOD}) + "\n", encoding="ascii")
    out = tmp_path / "out.jsonl"
    for jobs in ("1", "2"):
        assert cli.main(["extract", str(src), "-o", str(out), "--jobs", jobs, "-q"]) == 1
        [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert line["code"] == "missing-field" and line["source"] == f"{src}:\ufffdx"


def test_map_over_paths_and_pairs_with_lone_surrogates(surrogate_inputs):
    from pathlib import Path

    gbk = next(p for p in Path(surrogate_inputs).iterdir() if p.suffix == ".txt")
    pages = list(batch.Pipeline().map([gbk, ("\udc80", "增长5%"), "增长\ud8005%"]))
    assert [codes(json.loads(p.to_json())) for p in pages] == [["lone-surrogate"]] * 3
    assert pages[2].text == "增长\ufffd5%" and pages[1].source.name == "\ufffd"


def _refused(args, capsys):
    code = cli.main(["extract", *args, "-q"])
    err = capsys.readouterr().err
    return code, err


def test_output_inside_an_input_directory_is_refused(tmp_path, capsys):
    d = tmp_path / "pages"
    d.mkdir()
    write(d / "a.txt", GOOD)
    out = d / "out.jsonl"
    code, err = _refused([str(d), "-o", str(out)], capsys)
    assert code == 2 and err.count("\n") == 1 and "inside the input directory" in err
    assert not out.exists()  # never opened
    # through a symlinked directory, and a glob whose matches hold the output
    (tmp_path / "link").symlink_to(d)
    for args in ([str(tmp_path / "link"), "-o", str(out)], [str(d), "-o", str(tmp_path / "link" / "x.jsonl")],
                 [str(tmp_path / "*"), "-o", str(d / "y.jsonl")], [str(d / "*.jsonl"), "-o", str(out)],
                 [str(tmp_path / "**" / "*.txt"), "-o", str(d / "sub" / "new.txt")]):
        code, err = _refused(args, capsys)
        assert code == 2 and err.count("\n") == 1, args
    assert sorted(p.name for p in d.iterdir()) == ["a.txt"]
    # beside the input directory is fine
    assert cli.main(["extract", str(d), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 0


def test_standard_output_redirected_into_an_input_directory_is_refused(tmp_path):
    """extract DIR > DIR/out.jsonl: the shell opens the file, so the run would read its own output
    back and never end; the redirected file is checked like -o."""
    import subprocess
    import sys

    d = tmp_path / "pages"
    d.mkdir()
    write(d / "a.txt", GOOD)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    with open(d / "out.jsonl", "w") as fh:
        run = subprocess.run([sys.executable, "-m", "cnextract.cli", "extract", str(d), "-q"], stdout=fh,
                             stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    assert run.returncode == 2 and "inside the input directory" in run.stderr
    assert (d / "out.jsonl").read_text() == ""
    (d / "out.jsonl").unlink()
    with open(tmp_path / "out.jsonl", "w") as fh:  # beside it is fine
        run = subprocess.run([sys.executable, "-m", "cnextract.cli", "extract", str(d), "-q"], stdout=fh,
                             stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    assert run.returncode == 0 and len((tmp_path / "out.jsonl").read_text().splitlines()) == 1


def test_output_that_is_an_input_is_refused_and_left_intact(tmp_path, capsys):
    recs = tmp_path / "recs.jsonl"
    body = json.dumps({"id": "a", "text": GOOD}, ensure_ascii=False) + "\n"
    recs.write_text(body, encoding="utf-8")
    (tmp_path / "alias.jsonl").symlink_to(recs)
    os.link(recs, tmp_path / "hard.jsonl")
    for inp, out in ((recs, recs), (tmp_path / "alias.jsonl", recs), (recs, tmp_path / "alias.jsonl"),
                     (tmp_path / "hard.jsonl", recs)):
        code, err = _refused([str(tmp_path / "other.txt"), str(inp), "-o", str(out)], capsys)
        assert code == 2 and err.count("\n") == 1 and "is also an input" in err
        assert recs.read_text(encoding="utf-8") == body


def test_degenerate_check_reads_the_text_after_html_removal(nlp):
    """A chart's 150,000-character data array inside <script> is not the page's text."""
    chart = "[" + ",".join(str(i % 97) for i in range(50_000)) + "]"
    assert len(chart) > 140_000
    body = "".join(f"<p>第{i}季度规模以上工业增加值增长{i}.5%，营业收入达{i}3亿元。</p>" for i in range(1, 31))
    page = nlp(f"<html><head><script>var data = {chart};</script></head><body>{body}</body></html>")
    assert not page.problems
    assert [f.kind for f in page.figures if f.kind != "ordinal"] == ["percent", "money"] * 30  # 第i季度 aside
    # a page whose visible text is itself degenerate is still refused, after HTML removal
    page = nlp("<html><body><p>" + "“" * 200_000 + "</p></body></html>")
    assert [p.code for p in page.problems] == ["degenerate-input"] and page.source.format == "html"


@pytest.mark.parametrize("source", ["python", "random"])
def test_binary_input_yields_no_records(nlp, source):
    import random
    import sys

    if source == "python":
        with open(os.path.realpath(sys.executable), "rb") as fh:
            data = fh.read(200_000)
    else:
        data = random.Random(16).randbytes(200_000)
    assert b"\x00" in data
    page = nlp(data)
    assert "binary-input" in [p.code for p in page.problems]
    assert page.figures == () and page.quotes == () and not any(a.speakers for a in page.articles)


def test_absurd_numerals_cost_one_numeral_not_the_article(nlp):
    from decimal import Decimal

    from cnextract.numbers import MAX_NUMERAL_CHARS

    tail = "，利润增长5%，新增企业近7000家。"
    exact = {"1" + "0" * 90: Decimal(10) ** 90, "123456789012345678901234567890": Decimal("123456789012345678901234567890"),
             "九" * 90: Decimal("9" * 90)}
    for written, value in exact.items():
        page = nlp(f"全年收入{written}元{tail}")
        assert not page.problems, written
        assert [(f.text, f.value) for f in page.figures] == [(f"{written}元", value), ("5%", 5), ("7000家", 7000)]
        assert page.to_json()  # and it serialises
    for written in ("九" * 120, "一二三四五六七八九" * 71_112, "8" * (MAX_NUMERAL_CHARS + 1)):
        raw = f"全年收入{written}元{tail}"
        page = nlp(raw)
        assert [f.text for f in page.figures] == ["5%", "7000家"], len(written)
        [problem] = page.problems
        assert problem.code == "numeral-too-long" and problem.level == "error"
        assert (problem.start, problem.end) == (4, 4 + len(written)) and str(len(written)) in problem.message


def test_explain_prints_an_argument_with_lone_surrogates(capsys):
    assert cli.main(["explain", "增长\udcff5%"]) == 0  # bytes 0xff in argv arrive as \udcff
    out, err = capsys.readouterr()
    assert "'5%'" in out and "lone surrogate" in err


def test_exact_figures_leave_a_rounded_unit_factor_at_28_digits(nlp):
    """亩 is 10000/15 m2, a factor rounded to 29 digits: exact arithmetic cannot make its values
    exact, so they keep the 28 significant digits they always had (values of corpus pages)."""
    page = nlp("全镇新增高标准农田21.2万亩，其中示范片370余亩，另有两亩半试验田；全年收入123456789012345678901234567890元。")
    assert [str(f.value) for f in page.figures] == [
        "141333333.3333333333333333333", "246666.6666666666666666666667", "1666.666666666666666666666667",
        "123456789012345678901234567890"]


def test_arithmetic_trouble_in_one_numeral_costs_that_numeral(nlp, monkeypatch):
    """The guard behind the exact context: should reading one numeral still raise, the article
    keeps its other figures and the numeral is named in a Problem."""
    from decimal import InvalidOperation

    from cnextract.figures import FigureFinder

    make = FigureFinder._make

    def failing(self, raw, t, c, *rest):
        if raw[c.start:c.end] == "7000家":
            raise InvalidOperation("simulated")
        return make(self, raw, t, c, *rest)

    monkeypatch.setattr(FigureFinder, "_make", failing)
    raw = "全年收入3亿元，利润增长5%，新增企业近7000家。"
    page = nlp(raw)
    assert [f.text for f in page.figures] == ["3亿元", "5%"]
    [problem] = page.problems
    assert problem.code == "internal-error" and raw[problem.start:problem.end] == "7000家"
