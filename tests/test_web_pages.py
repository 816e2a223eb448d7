"""Whole web pages (html, head, body, navigation, sidebar, footer, ICP lines) go through a
main-content extractor (trafilatura); fragments keep the plain HTML path; compressed inputs.

Synthetic full pages wrap real article markup: the 20 HTML fragments of corpus/html and three
pages of the bulk corpus copied into tests/cases/web/bulk_pages.jsonl (ids B00001, B01500 and
B02000 of corpus-bulk/pages.jsonl.gz; B00001 cut to its first four lines; repo, commit and
locator of each are in the file).
"""

import gzip
import json
from collections import Counter

import pytest

import cnextract
from cnextract import batch
from cnextract.normalise import html_to_text, is_document, main_content
from cnextract.records import SCORED_KINDS, iter_spans

from conftest import CASES, ROOT, load_jsonl
from test_batch import run_cli

CORPUS = ROOT / "corpus"
HTML_IDS = sorted(p.stem for p in (CORPUS / "html").glob("*.html"))
BULK = {r["id"]: r for r in load_jsonl(CASES / "web" / "bulk_pages.jsonl")}

# page furniture whose numbers must never become figures
NAV = ('<div class="top"><a href="/">首页</a> | <a href="/news">新闻</a> | <a>财经</a> | '
       '<a>24小时热榜</a></div><nav><ul><li><a>国内</a></li><li><a>第3期</a></li></ul></nav>')
SIDE = '<div class="side"><h3>热门排行</h3><ol><li>油价下调每吨120元</li><li>股市上涨3%</li></ol></div>'
FOOT = ('<footer><p>关于我们 | 广告服务 电话：010-12345678</p><p>京ICP备12345678号-1 '
        '京公网安备11010502030143号</p><p>Copyright © 2003-2026 某某网 版权所有</p></footer>')
FURNITURE_NUMBERS = ("24", "3期", "120元", "3%", "010", "12345678", "11010502030143", "2003", "2026")


def full_page(body: str, h1: str | None = "新能源重卡公司完成融资", title: str = "新能源重卡公司完成融资",
              byline: str = "本报记者 张三") -> str:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_科技频道_某某网'
            f'</title><script>var hot = "增长99%";</script></head><body>{NAV}<div class="main"><article>'
            f'{heading}<div class="info">2026年01月26日 09:12</div><p>{byline}</p>{body}</article>{SIDE}</div>'
            f'{FOOT}</body></html>')


def paragraphs(text: str) -> str:
    return "".join(f"<p>{line.strip()}</p>" for line in text.split("\n") if line.strip())


def scored(page):
    return Counter((f.text.replace("\n", ""), f.value, f.unit, f.kind) for f in page.figures
                   if f.kind in SCORED_KINDS)


def test_corpus_fragments_are_not_documents():
    for aid in HTML_IDS:
        assert not is_document((CORPUS / "html" / f"{aid}.html").read_text(encoding="utf-8")), aid


@pytest.mark.parametrize("aid", HTML_IDS)
def test_a_corpus_fragment_keeps_the_fragment_path(nlp, aid):
    html = (CORPUS / "html" / f"{aid}.html").read_text(encoding="utf-8")
    page = nlp(html)
    assert page.text == html_to_text(html) and page.source.format == "html"


@pytest.mark.parametrize("aid", HTML_IDS)
def test_a_corpus_fragment_inside_a_whole_page_gives_the_same_figures(nlp, aid):
    fragment = (CORPUS / "html" / f"{aid}.html").read_text(encoding="utf-8")
    whole = nlp(full_page(fragment, h1="标题", title="标题"))
    assert scored(whole) == scored(nlp(fragment))
    assert "ICP备" not in whole.text and "热门排行" not in whole.text and "首页" not in whole.text


@pytest.mark.parametrize("bid", sorted(BULK))
def test_a_bulk_page_inside_a_whole_page(nlp, bid):
    rec = BULK[bid]
    body = rec["text"] if rec["format"] == "html" else paragraphs(rec["text"])
    page = nlp(full_page(body))
    alone = nlp(rec["text"])
    assert scored(page) == scored(alone)
    for span in iter_spans(page):  # offsets index the extracted text the record carries
        assert page.text[span.start:span.end] == span.text
    for f in page.figures:
        assert not any(f.text == n for n in FURNITURE_NUMBERS), f
    for furniture in ("24小时", "120元", "010-12345678", "ICP备", "Copyright", "99%"):
        assert furniture not in page.text
    art = page.articles[0]
    assert art.headline.text == "新能源重卡公司完成融资"
    assert art.byline.text == "本报记者 张三"
    assert not any(f.text == "三" for f in page.figures)


def test_headline_from_title_when_there_is_no_h1(nlp):
    page = nlp(full_page(paragraphs(BULK["B00001"]["text"]), h1=None, title="深向完成Pre-IPO轮融资"))
    assert page.articles[0].headline.text == "深向完成Pre-IPO轮融资"  # the site name is left out
    assert page.text.startswith("深向完成Pre-IPO轮融资\n")


def test_a_long_headline_that_ends_in_a_question_mark_is_still_the_headline(nlp):
    long = "新能源重卡赛道为何融资频发，市场渗透率又能否在未来五年内超过一半？"
    page = nlp(full_page(paragraphs(BULK["B00001"]["text"]), h1=long, title=long))
    assert page.articles[0].headline.text == long


def test_main_content_gives_the_headline_span_in_its_text():
    text, span = main_content(full_page(paragraphs(BULK["B01500"]["text"]), h1="四川通报", title="x"))
    assert span is not None and text[span[0]:span[1]] == "四川通报"


def test_a_page_with_no_main_content_is_read_whole_with_a_notice(nlp):
    page = nlp('<!DOCTYPE html><html><body><div class="footer">利润增长5%</div></body></html>')
    assert [(p.code, p.level) for p in page.problems] == [("no-main-content", "notice")]
    assert page.text == "利润增长5%\n" and [f.text for f in page.figures] == ["5%"]
    empty = nlp("<!DOCTYPE html><html><body><script>var a = 1;</script></body></html>")
    assert [p.code for p in empty.problems] == ["empty-input"]


def test_a_markdown_headline_keeps_no_hash(nlp):
    page = nlp("## 利润增长两成\n\n今年利润增长5%。")
    assert page.articles[0].headline.text == "利润增长两成"
    seed = nlp((CORPUS / "raw" / "seed-000.txt").read_text(encoding="utf-8"))
    assert all(not a.headline.text.startswith("#") for a in seed.articles if a.headline)


@pytest.mark.parametrize("byline", ["本报记者 张三", "本报记者张三", "记者 王五 李四"])
def test_a_byline_holds_no_figures(nlp, byline):
    page = nlp(f"{byline}\n\n今年利润增长5%。")
    assert [f.text for f in page.figures] == ["5%"]
    assert page.articles[0].byline.text == byline


# ---------------------------------------------------------------- compressed inputs


def test_gzip_inputs_are_read_directly(tmp_path):
    d = tmp_path / "pages"
    d.mkdir()
    with gzip.open(d / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        for bid in ("B00001", "B01500"):
            fh.write(json.dumps({"id": bid, "text": BULK[bid]["text"]}, ensure_ascii=False) + "\n")
    with gzip.open(d / "b.json.gz", "wt", encoding="utf-8") as fh:
        json.dump([{"id": "x", "text": "利润增长6.1%。"}], fh, ensure_ascii=False)
    (d / "c.txt.gz").write_bytes(gzip.compress("交易额近5亿元".encode("gb18030")))
    (d / "d.html.gz").write_bytes(gzip.compress(full_page(paragraphs(BULK["B00001"]["text"])).encode()))
    code, lines = run_cli([str(d)], tmp_path)
    assert code == 0
    names = [ln["source"]["name"] for ln in lines]
    assert names == [f"{d / 'a.jsonl.gz'}:B00001", f"{d / 'a.jsonl.gz'}:B01500", f"{d / 'b.json.gz'}:x",
                     str(d / "c.txt.gz"), str(d / "d.html.gz")]
    assert lines[0]["text"] == BULK["B00001"]["text"]
    assert [f["text"] for f in lines[2]["articles"][0]["figures"]] == ["6.1%"]
    assert lines[3]["source"]["encoding"] == "gb18030"
    assert lines[3]["articles"][0]["figures"][0]["text"] == "5亿元"
    assert lines[4]["source"]["format"] == "html" and "ICP备" not in lines[4]["text"]


def test_a_corrupt_gzip_file_is_a_read_error_and_the_batch_goes_on(tmp_path):
    good = gzip.compress(b'{"id": "a", "text": "\\u5229\\u6da6\\u589e\\u957f5%"}\n' * 3)
    (tmp_path / "cut.jsonl.gz").write_bytes(good[:-12])  # truncated: the trailer is gone
    (tmp_path / "bad.txt.gz").write_bytes(b"not gzip at all")
    (tmp_path / "ok.txt").write_text("利润增长5%。", encoding="utf-8")
    code, lines = run_cli([str(tmp_path / "cut.jsonl.gz"), str(tmp_path / "bad.txt.gz"),
                           str(tmp_path / "ok.txt")], tmp_path)
    assert code == 1
    problems = [ln for ln in lines if ln["schema"] == "cnextract.problem"]
    assert {p["source"] for p in problems} == {str(tmp_path / "cut.jsonl.gz"), str(tmp_path / "bad.txt.gz")}
    assert all(p["code"] == "read-error" for p in problems)
    assert lines[-1]["source"]["name"] == str(tmp_path / "ok.txt")


def test_a_directory_walk_picks_up_gzip_files_only_with_a_known_extension(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress("增长5%".encode()))
    (tmp_path / "b.tar.gz").write_bytes(gzip.compress(b"x"))
    (tmp_path / "c.gz").write_bytes(gzip.compress(b"x"))
    assert [p for p in batch.expand([str(tmp_path)])] == [str(tmp_path / "a.txt.gz")]


def test_pipeline_map_reads_a_gzip_path(tmp_path):
    path = tmp_path / "p.html.gz"
    path.write_bytes(gzip.compress(full_page(paragraphs(BULK["B00001"]["text"])).encode()))
    (page,) = cnextract.Pipeline().map([path])
    assert page.source.format == "html" and page.articles[0].headline.text == "新能源重卡公司完成融资"
