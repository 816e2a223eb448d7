"""The review page (cnextract show): one self-contained HTML file, records highlighted at their
code-point offsets, quotes linked to cue and speaker, a gold diff in three styles with per-article
scores. Checked on the markup and in a real headless Chromium (Debian's package, driven by
Playwright; CI installs it in .ci/run)."""

import json
import shutil

import pytest
from selectolax.lexbor import LexborHTMLParser

import cnextract
from cnextract import cli, show
from cnextract import evaluate as ev

from conftest import ROOT

CORPUS = ROOT / "corpus"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# characters outside the BMP (two UTF-16 units each) before every record: JavaScript offsets
# would drift by one per character, code-point offsets do not
ASTRAL = "𠮷野家𩸽店“𠀀营收今年增长很快，”𠮷田说，𝟙号门店营收增长5%，净利润3亿元。"


def tree(text: str):
    return LexborHTMLParser(text)


def run_show(args, tmp_path):
    out = tmp_path / "review.html"
    code = cli.main(["show", *args, "-o", str(out), "-q"])
    return code, out.read_text(encoding="utf-8") if out.exists() else None


def records(page):
    return len(page.figures), len(page.quotes)


# ---------------------------------------------------------------- the markup


def test_one_primary_element_per_record_and_the_text_is_intact(nlp, tmp_path):
    page = nlp((CORPUS / "raw" / "seed-000.txt").read_text(encoding="utf-8"), name="seed")
    doc = tree(show.render([show.Review("seed", page=page)]))
    figs, quotes = records(page)
    assert len(doc.css(".fig.rec")) == figs and len(doc.css(".quote.rec")) == quotes
    ids = [n.attributes["id"] for n in doc.css(".rec")]
    assert len(ids) == len(set(ids)) == figs + quotes
    # every figure's element holds exactly the figure's text (pieces of a split element joined)
    for i, f in enumerate(page.figures):
        pieces = doc.css(f'[data-r="f0-{i}"]')
        assert "".join(p.text(deep=True) for p in pieces).startswith(f.text)
    # each article's text is shown whole (its blank edges aside), nothing added
    texts = doc.css(".text")
    assert len(texts) == len(page.articles) == 3
    for node, (lo, hi) in zip(texts, show._ranges(page)):
        assert node.text(deep=True) == page.text[lo:hi].strip()


def test_quotes_link_cue_and_speaker(nlp):
    page = nlp("“重庆紧扣建设国家重要先进制造业中心目标。”胡衡华代表说，重庆坚持高端化、智能化、绿色化方向。")
    doc = tree(show.render([show.Review("q", page=page)]))
    q0, q1 = doc.css(".quote.rec")
    (cue,) = doc.css(".text .cue")
    (spk,) = doc.css(".text .spk")
    assert cue.text() == "说" and spk.text() == "胡衡华代表"
    assert set(cue.attributes["data-links"].split()) == {q0.attributes["id"], q1.attributes["id"]}
    assert cue.attributes["data-r"] in q0.attributes["data-links"].split()
    (sp,) = doc.css(".speaker")
    assert sp.css_first("b").text() == "胡衡华" and len(sp.attributes["data-links"].split()) == 2
    # the panel names the rule and the rules/cues.toml entries of each quote (cue 说, title 代表)
    info = json.loads(doc.css_first("#records").text())
    panel = dict(info[q0.attributes["id"]])
    assert (panel["rule"], panel["entries"]) == ("quote-first:say", "say, legislature")


def test_everything_is_escaped_and_nothing_is_fetched(nlp):
    text = "<script>alert(1)</script>&amp; \"引号\" 利润增长5%。</script><!-- x"
    page = nlp(text, html=False)
    out = show.render([show.Review('<img src=x onerror="alert(1)">', page=page)])
    doc = tree(out)
    assert len(doc.css("script")) == 2 and not doc.css("img")
    assert doc.css_first(".text").text(deep=True) == text.strip()
    # no element loads anything: no src, no link, every href an anchor in the page
    assert not doc.css("[src], link, iframe, object, embed")
    assert all(n.attributes["href"].startswith("#") for n in doc.css("[href]"))
    assert doc.css_first("h2").text() == '<img src=x onerror="alert(1)">'
    info = json.loads(doc.css_first("#records").text())
    assert [rows[0] for rows in info.values()] == [["figure", f.text] for f in page.figures]


def test_a_code_point_offset_is_the_element_in_the_markup(nlp):
    page = nlp(ASTRAL)
    doc = tree(show.render([show.Review("astral", page=page)]))
    assert [n.text() for n in doc.css(".fig.rec")] == [f.text for f in page.figures]
    assert "5%" in [f.text for f in page.figures]


def test_gold_diff_matches_the_scorer_on_every_corpus_text(nlp):
    """The statuses add up to the eval command's full-match and attribution counts."""
    for g in ev.load_gold(CORPUS):
        page = nlp(g.text, name=g.doc.id)
        d = ev.diff(g, page)
        sc = ev.score_article(g, page)
        st = list(d.figures.values())
        assert (st.count("tp"), st.count("fp"), len(d.missed_figures)) == (sc.full.tp, sc.full.fp, sc.full.fn)
        qs = list(d.quotes.values())
        assert (qs.count("tp"), qs.count("fp"), len(d.missed_quotes)) == (sc.q_attr.tp, sc.q_attr.fp, sc.q_attr.fn)


@pytest.fixture()
def edited_gold(tmp_path):
    """Corpus text 013 with its gold, less one gold figure the pipeline finds: a false positive
    besides the true positives and the gold's one real miss (23.1万退捕渔民)."""
    root = tmp_path / "corpus"
    (root / "raw").mkdir(parents=True)
    (root / "gold").mkdir()
    shutil.copy(CORPUS / "raw" / "013.txt", root / "raw" / "013.txt")
    gold = json.loads((CORPUS / "gold" / "013.json").read_text(encoding="utf-8"))
    dropped = next(f for f in gold["figures"] if not f.get("optional"))
    gold["figures"].remove(dropped)
    (root / "gold" / "013.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return root, dropped


def test_show_with_gold_marks_three_styles_and_scores_each_article(tmp_path, edited_gold):
    root, dropped = edited_gold
    code, out = run_show([str(root / "raw" / "013.txt"), "--gold", str(root / "gold")], tmp_path)
    assert code == 0
    doc = tree(out)
    fps = doc.css(".text .fig.g-fp")
    assert [n.text() for n in fps] == [dropped["text"]]
    assert len(doc.css(".text .fig.g-tp")) > 10
    assert [n.text() for n in doc.css(".text .miss.mfig")] == ["23.1万退捕渔民"]
    scores = [n.text() for n in doc.css("article .score")]
    assert len(scores) == len(doc.css("article")) and "fp 1, fn 1" in "".join(scores)


def test_show_reads_extract_output_and_raw_pages_alike(tmp_path):
    pred = tmp_path / "pred.jsonl"
    assert cli.main(["extract", str(CORPUS / "raw" / "012.txt"), "-o", str(pred), "-q"]) == 0
    with pred.open("a", encoding="utf-8") as fh:
        fh.write('{"schema":"cnextract.problem","version":"0.1.0","source":"gone.txt","code":"read-error",'
                 '"message":"no such file"}\nnot json\n')
    code, from_jsonl = run_show([str(pred)], tmp_path)
    assert code == 1  # the problem lines are errors, shown and counted
    doc = tree(from_jsonl)
    assert [n.text() for n in doc.css("h2")] == [str(CORPUS / "raw" / "012.txt"), "gone.txt", f"{pred}:3"]
    assert [n.css_first("b").text() for n in doc.css(".problem")] == ["read-error", "bad-json"]
    _, from_raw = run_show([str(CORPUS / "raw" / "012.txt")], tmp_path)
    raw_doc = tree(from_raw)
    assert [n.text() for n in raw_doc.css(".rec")] == [n.text() for n in doc.css(".rec")]


def test_gold_for_another_text_is_not_compared(tmp_path):
    code, out = run_show([str(CORPUS / "html" / "012.html"), "--gold", str(CORPUS)], tmp_path)
    assert code == 0
    doc = tree(out)
    assert not doc.css(".text .g-tp") and "gold 012 was written for another text" in doc.css_first(".gold-note").text()


def test_show_usage_errors_are_one_line_and_exit_2(tmp_path, capsys):
    code, _ = run_show([str(CORPUS / "raw" / "012.txt"), "--gold", str(tmp_path)], tmp_path)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--gold" in err
    code = cli.main(["show", str(CORPUS / "raw" / "012.txt"), "-o", str(tmp_path / "no" / "r.html")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                              args=CHROMIUM_ARGS)
        yield b
        b.close()


def load(browser, path):
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


def test_in_the_browser_every_record_is_one_highlight_and_nothing_fails(browser, tmp_path, nlp):
    inputs = [CORPUS / "raw" / "seed-000.txt", CORPUS / "raw" / "025.txt", CORPUS / "html" / "030.html"]
    code, _ = run_show([str(p) for p in inputs], tmp_path)
    assert code == 0
    page, errors, requests = load(browser, tmp_path / "review.html")
    results = [nlp(p.read_bytes(), name=str(p), html=p.suffix == ".html") for p in inputs]
    assert page.locator(".fig.rec").count() == sum(len(r.figures) for r in results)
    assert page.locator(".quote.rec").count() == sum(len(r.quotes) for r in results)
    # hover shows the fields in the side panel; clicking a quote lights its cue and speaker
    first = results[0].figures[1]
    page.locator(".fig.rec").nth(1).hover()
    assert page.locator("#panel table").inner_text().split("\n")[0] == f"figure\t{first.text}"
    quote = results[0].quotes[0]
    page.locator(".quote.rec").first.dispatch_event("click")  # on the quote, not a figure inside it
    assert page.locator(".cue.lit").all_inner_texts() == [quote.cue.text]
    assert page.locator(".spk.lit").all_inner_texts() == [quote.speaker.text]
    assert errors == [] and requests == []
    page.close()


def test_in_the_browser_offsets_do_not_drift_past_astral_characters(browser, tmp_path, nlp):
    result = nlp(ASTRAL, name="astral")
    path = tmp_path / "astral.html"
    path.write_text(show.render([show.Review("astral", page=result)]), encoding="utf-8")
    page, errors, _ = load(browser, path)
    shown = page.locator(".fig.rec").all_inner_texts()
    assert shown == [f.text for f in result.figures] and "3亿元" in shown
    assert page.locator(".quote.rec").all_inner_texts() == [q.content.text for q in result.quotes]
    assert errors == []
    page.close()


def test_in_the_browser_a_gold_diff_shows_its_three_styles(browser, tmp_path, edited_gold):
    root, dropped = edited_gold
    code, _ = run_show([str(root / "raw" / "013.txt"), "--gold", str(root)], tmp_path)
    assert code == 0
    page, errors, _ = load(browser, tmp_path / "review.html")
    styles = {}
    for cls in ("g-tp", "g-fp", "miss"):
        el = page.locator(f".{cls}.rec").first
        styles[cls] = el.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, "
                                  "s.outlineColor, s.borderTopStyle, s.borderTopColor].join(' ') }")
    assert len(set(styles.values())) == 3, styles
    assert "dashed" in styles["miss"] and "solid" in styles["g-tp"] and "solid" in styles["g-fp"]
    assert page.locator(".g-fp.rec").inner_text() == dropped["text"]
    assert errors == []
    page.close()


def test_crossing_marks_stay_one_record_each():
    """A miss over a predicted figure it only partly covers: the later one is closed and reopened
    around the boundary, its second piece a continuation, not a second record."""
    marks = [show._Mark(0, 4, "a", "x", "a"), show._Mark(2, 6, "b", "y", "b"), show._Mark(2, 3, "c", "z", "c")]
    doc = tree(f"<div>{show._render_text('𠮷𠮷𠮷𠮷𠮷𠮷&<', 0, 8, marks)}</div>")
    assert [n.attributes["data-r"] for n in doc.css(".rec")] == ["a", "b", "c"]
    assert "".join(n.text() for n in doc.css('[data-r="b"]')) == "𠮷𠮷𠮷𠮷"
    assert len(doc.css('[data-r="b"].cont')) == 1
    assert doc.css_first("div").text(deep=True) == "𠮷𠮷𠮷𠮷𠮷𠮷&<"


def test_the_panel_holds_every_field_of_a_figure(nlp):
    page = nlp("过去一年，辽宁经济总量突破3万亿元，规模以上工业增加值增长3至5倍。")
    info = json.loads(tree(show.render([show.Review("p", page=page)])).css_first("#records").text())
    money, multiple = (dict(info[f"f0-{i}"]) for i, f in enumerate(page.figures) if f.kind in ("money", "multiple"))
    assert money == {"figure": "3万亿元", "value": "3000000000000", "unit": "CNY", "unit as written": "元",
                     "kind": "money", "qualifier": "more_than", "metric": "经济总量", "subject": "辽宁",
                     "period": "过去一年", "rule": "numeral+unit", "entries": "money-cny, q-tupo",
                     "offsets": f"{page.figures[1].start}:{page.figures[1].end}"}
    assert multiple["range"] == "3–5" and "value" not in multiple and multiple["direction"] == "up"
