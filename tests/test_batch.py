"""Batch runs: inputs of every kind, input order across workers, bounded work in flight, a worker
that dies, the CLI's progress, summary and exit code, and the segmenter backends."""

import io
import itertools
import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from conftest import ROOT

import cnextract
from cnextract import batch, cli, segment, workers

GOOD = "规模以上工业增加值增长5%。"


def run_cli(args, tmp_path, stdin=b""):
    out = tmp_path / "out.jsonl"
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        code = cli.main(["extract", *args, "-o", str(out), "--quiet"])
    finally:
        sys.stdin = old
    return code, [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def tree(tmp_path):
    d = tmp_path / "pages"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    (d / "sub" / "b.txt").write_bytes("交易额近5亿元".encode("gb18030"))
    (d / "sub" / "c.html").write_text("<html><head><script>var x = '增长9%';</script><title>t</title></head>"
                                      "<body><p>利润增长6.1%。</p><div>近50万笔</div></body></html>",
                                      encoding="utf-8")
    (d / "notes.md").write_text("增长1%", encoding="utf-8")  # not a page extension: skipped in a walk
    (d / "r.jsonl").write_text(json.dumps({"id": "x1", "body": {"text": "增长7%"}}, ensure_ascii=False) + "\n\n"
                               + json.dumps({"body": {"text": "下降3%"}}, ensure_ascii=False) + "\n",
                               encoding="utf-8")
    (d / "s.json").write_text(json.dumps([{"id": 7, "body": {"text": "约30家"}}], ensure_ascii=False),
                              encoding="utf-8")
    return d


def test_directories_globs_json_records_and_stdin(tree, tmp_path):
    code, lines = run_cli([str(tree), str(tree / "sub" / "*.txt"), "-", "--text-field", "body.text"],
                          tmp_path, stdin=GOOD.encode())
    names = [x["source"]["name"] for x in lines]
    assert names == [str(tree / "a.txt"), f"{tree / 'r.jsonl'}:x1", f"{tree / 'r.jsonl'}:3",
                     f"{tree / 's.json'}:7", str(tree / "sub" / "b.txt"), str(tree / "sub" / "c.html"),
                     str(tree / "sub" / "b.txt"), "-"]
    assert code == 0 and all(x["schema"] == "cnextract.page" for x in lines)
    figs = [[f["text"] for f in x["articles"][0]["figures"]] for x in lines]
    assert figs == [["5%"], ["7%"], ["3%"], ["30家"], ["5亿元"], ["6.1%", "50万笔"], ["5亿元"], ["5%"]]
    html = lines[5]
    assert "增长9%" not in html["text"] and html["source"]["encoding"] == "utf-8"
    assert lines[4]["source"]["encoding"] == "gb18030"


def test_json_output_is_one_array_with_one_page_per_line(tree, tmp_path):
    out = tmp_path / "out.json"
    assert cli.main(["extract", str(tree / "a.txt"), str(tree / "sub"), "--format", "json", "-o", str(out), "-q"]) == 0
    text = out.read_text(encoding="utf-8")
    pages = json.loads(text)
    assert len(pages) == 3 and len(text.splitlines()) == 5
    out.write_text("")
    assert cli.main(["extract", str(tree / "nothing-*.txt"), "--format", "json", "-o", str(out), "-q"]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))[0]["code"] == "read-error"


def test_missing_text_field_is_a_problem_line(tree, tmp_path):
    code, lines = run_cli([str(tree / "r.jsonl")], tmp_path)  # default field is text
    assert code == 1
    assert [(x["schema"], x["code"]) for x in lines] == [("cnextract.problem", "missing-field")] * 2


def test_map_parallel_equals_serial_in_input_order(nlp):
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))][:8]
    inputs = [*texts, GOOD.encode("gb18030"), ("named", "增长6.1%"), ROOT / "corpus" / "raw" / "001.txt",
              Path("does-not-exist.txt")]
    serial = list(nlp.map(inputs))
    parallel = list(nlp.map(inputs, jobs=2))
    assert serial == parallel
    assert [p.source.name for p in parallel[-3:]] == ["named", str(ROOT / "corpus" / "raw" / "001.txt"),
                                                      "does-not-exist.txt"]
    assert parallel[-1].problems[0].code == "read-error"


def test_map_consumes_inputs_lazily_with_bounded_work_in_flight(nlp):
    consumed = 0

    def endless():
        nonlocal consumed
        for i in itertools.count():
            consumed += 1
            yield f"第{i}页：增长{i % 9}%。"

    first = list(itertools.islice(nlp.map(endless(), jobs=2), 5))
    assert [p.figures[-1].text for p in first] == ["0%", "1%", "2%", "3%", "4%"]
    assert consumed <= 5 + 4 * 2 + 1


def _die_on_marker(nlp, item):
    if item.raw == "CRASH":
        os._exit(3)
    if item.raw == "RAISE":
        raise MemoryError("simulated")
    return _real_extract(nlp, item)


_real_extract = workers._extract


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_that_dies_costs_one_problem_not_the_batch(monkeypatch):
    # fork carries the patched function into the workers
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    monkeypatch.setattr(workers, "_extract", _die_on_marker)
    items = [batch.Input(name=str(i), raw=f"增长{i}%") for i in range(6)]
    items[2] = batch.Input(name="bad", raw="CRASH")
    items[4] = batch.Input(name="err", raw="RAISE")
    out = [res for _, res in batch.run(items, jobs=2)]
    assert [getattr(r, "name", None) or r.source.name for r in out] == ["0", "1", "bad", "3", "err", "5"]
    assert out[2].problem.code == "worker-crash"
    assert out[4].problem.code == "internal-error" and "MemoryError" in out[4].problem.message
    assert [r.figures[0].text for i, r in enumerate(out) if i not in (2, 4)] == ["0%", "1%", "3%", "5%"]


def test_progress_bar_on_a_terminal_summary_always(tree, tmp_path, monkeypatch, capsys):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["extract", str(tree / "sub"), "-o", str(tmp_path / "o.jsonl")]) == 0
    shown = err.getvalue()
    assert "pages" in shown and "chars/s" in shown and "it/s" not in shown.split("\n")[-2]
    assert "cnextract extract: 2 pages, 3 figures, 0 quotes, 0 problems" in shown


def test_piped_run_prints_no_bar(tree, tmp_path, capsys):
    assert cli.main(["extract", str(tree / "a.txt"), "-o", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and err.startswith("cnextract extract: 1 pages")
    assert cli.main(["extract", str(tree / "a.txt"), "-o", str(tmp_path / "o.jsonl"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_rjieba_and_jieba_differ_only_inside_latin_and_digit_runs():
    """The documented difference: rjieba keeps 1997-2026 and www.people.com.cn whole, jieba splits
    them at the punctuation; every token holding a Chinese character is the same."""
    for path in sorted((ROOT / "corpus" / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        a, b = segment.tokens(text), segment.tokens(text, backend="rjieba")
        assert "".join(t.text for t in b) == text
        for tok in set(a) ^ set(b):
            assert not regex.search(r"\p{Han}", tok.text), (path.name, tok)
            assert regex.fullmatch(r"[\x21-\x7e]+", tok.text), (path.name, tok)


def test_the_name_tagger_cuts_with_the_chosen_backend():
    """The quote extractor's name tagger takes its words from the pipeline's backend (the same
    known difference shows: rjieba keeps a dotted code whole); tags come from jieba's dictionary."""
    fast = cnextract.Pipeline(cnextract.Options(segmenter="rjieba"))._tagger
    slow = cnextract.Pipeline()._tagger
    window = "修订）》第9.3.7条等"
    assert ("9.3.7", "x") in fast.tagged(window)
    assert ("9.3.7", "x") not in slow.tagged(window)
    assert fast.tagged("齐北松笑着说") == slow.tagged("齐北松笑着说")


def test_records_are_identical_with_either_segmenter():
    fast = cnextract.Pipeline(cnextract.Options(segmenter="rjieba"))
    slow = cnextract.Pipeline()
    for path in sorted((ROOT / "corpus" / "raw").glob("*.txt")):
        data = path.read_bytes()
        assert fast(data) == slow(data), path.name


def test_unknown_or_missing_segmenter_is_refused(monkeypatch):
    with pytest.raises(ValueError):
        cnextract.Options(segmenter="thulac")
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rjieba" else real(name, *a))
    with pytest.raises(segment.SegmenterUnavailable, match=r"cnextract\[fast\]"):
        cnextract.Pipeline(cnextract.Options(segmenter="rjieba"))


def test_a_notice_is_counted_and_fails_nothing(tmp_path, capsys):
    """The seed page's repeated paragraph is a repeated-text notice: exit 0, counted apart."""
    from conftest import ROOT

    out = tmp_path / "o.jsonl"
    assert cli.main(["extract", str(ROOT / "corpus" / "raw" / "seed-000.txt"), "-o", str(out)]) == 0
    summary = capsys.readouterr().err
    assert "0 problems (0 inputs with problems), 1 notices" in summary
    page = json.loads(out.read_text(encoding="utf-8"))
    assert [p["code"] for p in page["problems"]] == ["repeated-text"]


def test_the_dictionary_table_is_jiebas_own_tags_and_frequencies():
    """segment reads jieba's dictionary file itself (so rjieba never loads jieba's tables); every
    word has the tag jieba.posseg would give it and the frequency jieba's tokenizer counts."""
    import jieba
    import jieba.posseg

    tok = jieba.Tokenizer()
    tok.initialize()
    tags = jieba.posseg.POSTokenizer(tok).word_tag_tab
    table = segment._lexicon()
    assert len(table) == len(tags) > 300_000
    assert all(table[w][1] == t for w, t in tags.items())
    assert all(table[w][0] == tok.FREQ[w] for w in tags)


def _fresh_process(code: str) -> str:
    """What ``code`` prints in a new interpreter: what a module loads can only be seen there."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


_QUOTE_PAGE = "全国人大代表、辽宁省委书记郝鹏表示，增长5%。郑棚说：“好。”"


@pytest.mark.parametrize("options, text, check, caches, want", [
    # rjieba cuts with its own dictionary: jieba's Tokenizer is never built
    ("segmenter='rjieba'", _QUOTE_PAGE, "page.quotes", "segment._jieba", ["0"]),
    # the default backend cuts with jieba_cut over the table built from jieba's dictionary file;
    # jieba's own Tokenizer (the same prefix dictionary again: about 30 MB and a third of a second)
    # is never built while rules/userdict.txt is empty
    ("", _QUOTE_PAGE, "page.quotes", "segment._jieba, segment._cut_table", ["0", "1"]),
    # quotes off: no segmenter at all; the dictionary's tag table is read (the figure rules take
    # counted nouns and metric heads from its tags, issues 13 and 14)
    ("quotes=False", "全国人大代表、辽宁省委书记郝鹏表示，经济总量突破3万亿元。",
     "page.figures and not page.quotes", "segment._jieba, segment._lexicon", ["0", "1"]),
], ids=["rjieba", "jieba", "figures-only"])
def test_what_a_pipeline_loads(options, text, check, caches, want):
    """Which of segment's tables a Pipeline builds, seen in a fresh interpreter."""
    sizes = ", ".join(f"{c}.cache_info().currsize" for c in caches.split(", "))
    code = ("import cnextract; from cnextract import segment; "
            f"p = cnextract.Pipeline(cnextract.Options({options})).load(); "
            f"page = p({text!r}); assert {check}, page; print({sizes})")
    assert _fresh_process(code).split() == want
