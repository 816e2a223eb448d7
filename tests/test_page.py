"""Scraped pages: decoding, HTML, column-break repair, layout, repeats, sentences.

Real pages from corpus/ (seed-000 is a whole 经济日报 page; corpus/html holds the HTML that 20 of
the plain texts came from).
"""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnextract
from cnextract.normalise import View, decode, html_to_text, looks_like_html
from cnextract import page as page_mod
from cnextract.page import layout, sentences, split, tables as page_tables
from cnextract.records import SCORED_KINDS

from conftest import ROOT

CORPUS = ROOT / "corpus"
SEED = (CORPUS / "raw" / "seed-000.txt").read_text(encoding="utf-8")
HTML_IDS = sorted(p.stem for p in (CORPUS / "html").glob("*.html"))


def _figures(page):
    return Counter((f.text.replace("\n", ""), f.value, f.unit, f.kind) for f in page.figures
                   if f.kind in SCORED_KINDS)


# ---------------------------------------------------------------- the seed page


def test_seed_page_is_three_articles_with_headlines_bylines_and_kinds(nlp):
    page = nlp(SEED)
    arts = page.articles
    assert [a.kind for a in arts] == ["news", "news", "advertorial"]
    assert arts[0].headline.text == "构建具有辽宁特色优势的现代制造业体系"  # no markdown #
    assert arts[1].headline.text == "重庆市市长胡衡华"  # its headline block sits in the page header
    assert arts[2].headline.text == "建“桥梁”农产品出山 促“孵化”产业造血"
    assert arts[0].byline.text == "本报记者" and arts[1].byline.text == "本报记者"
    assert arts[0].byline.start != arts[1].byline.start
    body0 = arts[0].span.text[arts[0].span.text.index("过去的一年"):]
    assert "郝鹏" in body0 and "胡衡华" not in body0
    assert arts[1].span.text.startswith("亿元新台阶") and "胡衡华" in arts[1].span.text
    assert "中国建设银行" in arts[2].span.text and arts[2].span.text.endswith("了解农户金融需求")


def test_seed_page_repeated_paragraph_is_flagged(nlp):
    page = nlp(SEED)
    repeats = [p for p in page.problems if p.code == "repeated-text"]
    assert len(repeats) == 1 and repeats[0].level == "notice"
    text = SEED[repeats[0].start:repeats[0].end]
    assert text.startswith("四是促转化") and text.endswith("等转化")
    assert SEED.count(text[len("四是促转化"):]) == 2  # printed twice; the first copy is the article's


def test_figures_in_a_repeated_paragraph_are_not_counted_twice(nlp):
    first = "郝鹏代表表示，一是抓平台，全年新增企业近7000家，带动投资增长5.5%，打牢科技创新底座。"
    second = "二是抓转化，持续推进成果落地。三是促融合，全年新增企业近7000家，带动投资增长5.5%，打牢科技"
    page = nlp(first + "\n\n" + second)
    assert [f.text for f in page.figures if f.kind in SCORED_KINDS] == ["7000家", "5.5%"]
    assert any(p.code == "repeated-text" for p in page.problems)


def _made_up_columns(seed: int) -> list[str]:
    """Pages of corpus paragraphs, some cut mid-clause as a column breaks them, some printing the
    tail of the paragraph before again (the layout's repeat), some a whole paragraph twice."""
    rng = random.Random(seed)
    paras = [p for f in sorted((CORPUS / "raw").glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 20]
    pages = []
    for _ in range(600):
        out: list[str] = []
        for _ in range(rng.randint(2, 7)):
            p = rng.choice(paras)
            if out and rng.random() < 0.4:
                p = out[-1][rng.randint(0, len(out[-1]) // 2):]  # an earlier paragraph's tail again
            elif out and rng.random() < 0.1:
                p = rng.choice(out)
            if len(p) > 5 and rng.random() < 0.5:
                p = p[:rng.randint(5, len(p))]  # cut mid-sentence
            out.append(p)
        pages.append("\n".join(out))
    return pages


def test_the_repeat_pretest_never_hides_a_repeat(monkeypatch):
    """_may_repeat spares the clause table on pages where no later block ending mid-sentence has
    a last clause printed earlier; with the table built for every page the repeats are the same."""
    pages = [SEED] + _made_up_columns(12)
    fast = [layout(t).repeats for t in pages]
    spared = sum(not page_mod._may_repeat(page_tables(), t, [b for b in layout(t).blocks if b.kind == "body"],
                                          {b.start: not page_mod._ends_sentence(page_tables(), t[b.start:b.end])
                                           for b in layout(t).blocks if b.kind == "body"}) for t in pages)
    monkeypatch.setattr(page_mod, "_may_repeat", lambda *a: True)
    full = [layout(t).repeats for t in pages]
    assert fast == full
    assert sum(map(len, full)) > 100 and spared > 100  # both kinds of page are made


def test_a_summary_sentence_repeated_in_the_body_counts_twice(nlp):
    """030: a blockquote summary repeats a whole body sentence: the writer's, not the layout's."""
    page = nlp((CORPUS / "html" / "030.html").read_bytes())
    assert not any(p.code == "repeated-text" for p in page.problems)
    assert sum(f.text == "229898亿元" for f in page.figures) == 2


def test_column_breaks_are_rejoined_and_offsets_point_into_raw(nlp):
    page = nlp(SEED)
    lay = layout(SEED)
    joined = {(SEED[s - 2:s], SEED[e:e + 2]) for s, e in lay.joins}
    assert {("创新", "“底"), ("转化", "模式"), ("位战", "略，"), ("进金", "属实")} <= joined
    assert all(SEED[s:e].strip() == "" for s, e in lay.joins)
    for f in page.figures:
        assert SEED[f.start:f.end] == f.text


def test_quotes_are_found_across_a_column_break(nlp):
    """Reported and direct speech cut by column breaks (the seed page's 打牢科技创新\n\n“底座”)."""
    text = ("郝鹏代表表示，辽宁将加快构建具有自身特色优势的现代化产业体系，打牢科技创新\n\n“底座”，"
            "推动产业焕新升级。\n\n胡衡华代表说：“重庆坚持高端化、智能化、\n\n绿色化方向，推动制造业发展。”")
    got = {q.speaker_name: q for q in nlp(text).quotes}
    assert got["郝鹏"].content.text.endswith("打牢科技创新\n\n“底座”，推动产业焕新升级。")
    assert got["胡衡华"].kind == "direct"
    assert got["胡衡华"].content.text == "重庆坚持高端化、智能化、\n\n绿色化方向，推动制造业发展。"
    for q in got.values():
        assert text[q.content.start:q.content.end] == q.content.text


def test_never_joined_across_a_headline_or_an_article():
    text = "# 全年营收增长\n\n6.1%的企业占比提高，利润增长\n\n# 另一篇\n\n3%的企业亏损。"
    lay = layout(text)
    assert lay.joins == ()
    assert len(lay.articles) == 2


def test_figure_cut_by_a_column_break_is_found_across_the_join(nlp):
    text = "新增企业近7000家，全年营收突破3\n\n万亿元，同比增长\n\n6.1%。"
    page = nlp(text)
    got = {f.text: f for f in page.figures if f.kind in SCORED_KINDS}
    assert got["3\n\n万亿元"].value == 3 * 10 ** 12 and got["3\n\n万亿元"].qualifier == "more_than"
    assert got["6.1%"].direction == "up"


def test_subhead_and_byline_and_source_labels():
    text = ("# 标题\n\n本报记者 张三\n\n第一段正文说明情况，全年增长5%。\n\n产品力持续提升\n\n"
            "第二段正文，增长3%。\n\n（数据来源：国家统计局）\n\n（责任编辑：王五）")
    lay = layout(text)
    kinds = [b.kind for b in lay.blocks]
    assert kinds == ["headline", "byline", "body", "title", "body", "source_note", "boilerplate"]
    art = lay.articles[0]
    assert text[art.headline[0]:art.headline[1]] == "标题"  # the markdown # is not the headline
    assert text[art.byline[0]:art.byline[1]] == "本报记者 张三"


def test_photo_caption_is_a_caption_not_a_byline():
    text = "风电装机增长12%。\n\n图为建设中的风电项目。新华社记者 张三摄\n\n新华社记者 李四"
    assert [b.kind for b in layout(text).blocks] == ["body", "caption", "byline"]


def test_subhead_glued_to_the_next_sentence_glues_no_figure(nlp):
    """013 (人民日报): the subhead 长江江豚较2022年增加177头 runs into 农业农村部副部长张治礼介绍."""
    raw = (CORPUS / "raw" / "013.txt").read_text(encoding="utf-8")
    at = raw.index("增加177头农业")
    near = [f.text for f in nlp(raw).figures if at <= f.start < at + 20]
    assert near == ["177头"]


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_seed_page_in_other_encodings_gives_the_same_records(nlp, encoding):
    base = nlp(SEED)
    page = nlp(SEED.encode(encoding))
    assert page.source.encoding == encoding
    assert page.text == SEED
    assert page.articles == base.articles


def test_big5_is_told_from_gb18030():
    text = "臺灣去年經濟成長率為百分之三點五，出口總額增加了一千二百億美元。"
    decoded, encoding, bad = decode(text.encode("big5"))
    assert (decoded, encoding, bad) == (text, "big5", None)
    page = cnextract.extract(text.encode("big5"))
    assert page.source.encoding == "big5"
    assert [f.value for f in page.figures if f.kind in SCORED_KINDS] == [3.5, 1200 * 10 ** 8]


def test_undecodable_bytes_are_a_problem_with_the_byte_offset_and_the_rest_is_read():
    good = "全年增长5%，新增企业7000家。".encode("utf-8")
    data = good[:9] + b"\xff\xfe\xfd" + good[9:]
    page = cnextract.extract(data)
    problem = next(p for p in page.problems if p.code == "decode-error")
    assert problem.byte_offset == 9
    assert "7000家" in [f.text for f in page.figures]


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("article_id", HTML_IDS)
def test_html_and_plain_text_give_the_same_figures(nlp, article_id):
    html = nlp((CORPUS / "html" / f"{article_id}.html").read_bytes())
    plain = nlp((CORPUS / "raw" / f"{article_id}.txt").read_bytes())
    assert html.source.format == "html" and plain.source.format == "text"
    assert _figures(html) == _figures(plain)
    assert _figures(plain)


@pytest.mark.parametrize("article_id", HTML_IDS)
def test_html_and_plain_text_give_the_same_quotes(nlp, article_id):
    """Same quotes, same speakers. Where the plain text lost its paragraph breaks (most of these
    files), an indirect report runs on into the next paragraph, so contents are compared by their
    opening only: the HTML's paragraphs end reports where the writer ended them."""
    html = nlp((CORPUS / "html" / f"{article_id}.html").read_bytes())
    plain = nlp((CORPUS / "raw" / f"{article_id}.txt").read_bytes())

    def opening(page):
        return Counter((q.content.text.replace("\n", "")[:6], q.speaker_name) for q in page.quotes)

    assert opening(html) == opening(plain)


def test_html_drops_script_style_nav_and_unescapes_entities():
    html = ("<html><head><title>t</title><style>p{color:red}</style></head><body><nav>首页 2024</nav>"
            "<script>var x = 5;</script><p>全年增长&nbsp;5&#37;，收入3&amp;4亿元</p><p>新增7000家</p>"
            "<footer>版权所有 2024</footer></body></html>")
    assert looks_like_html(html)
    text = html_to_text(html)
    assert text == "全年增长\xa05%，收入3&4亿元\n\n新增7000家\n"
    page = cnextract.extract(html)  # a whole page: its main content, the <title> as headline
    assert page.text == "t\n\n全年增长 5%，收入3&4亿元\n\n新增7000家\n" and page.source.format == "html"
    assert page.articles[0].headline.text == "t"
    fragment = cnextract.extract(html[html.index("<nav>"):html.index("</body>")])
    assert fragment.text == text and fragment.source.format == "html"


def test_html_page_with_no_text_is_a_problem():
    page = cnextract.extract("<html><body><script>var a;</script><div> </div></body></html>")
    assert [p.code for p in page.problems] == ["empty-input"]


def test_plain_text_with_markup_residue_stays_plain():
    text = "### 标题\n\n<p>粮食产量增长5%。</p><p>新增7000家。"
    assert not looks_like_html(text)
    assert cnextract.extract(text).text == text


# ---------------------------------------------------------------- sentences


def test_sentences_split_on_final_marks_and_lines_keeping_quotes():
    text = "他说：“今年增长5%。明年更好！”记者了解到，情况属实？是的…\n新的一行；结束"
    spans = [text[s:e] for s, e in sentences(text)]
    # ； and … end a clause, not a sentence; a line break ends both
    assert spans == ["他说：“今年增长5%。明年更好！”", "记者了解到，情况属实？", "是的…", "新的一行；结束"]


def test_an_unclosed_quote_ends_at_the_line_break():
    text = "他说：“今年增长5%。\n下一段。"
    assert [text[s:e] for s, e in sentences(text)] == ["他说：“今年增长5%。", "下一段。"]


def test_a_quote_ending_a_sentence_ends_it_unless_a_comma_follows():
    # corpus-raw/dev/seed-000.txt: “…”胡衡华代表说 ends no sentence; “…。”，… neither
    text = "“我们要坚持下去。”，他说。“明年更好！”记者了解到，属实。"
    assert [text[s:e] for s, e in sentences(text)] == ["“我们要坚持下去。”，他说。", "“明年更好！”", "记者了解到，属实。"]


def test_a_sentence_end_inside_an_enclosure_ends_the_enclosed_sentence():
    text = "他说：“今年增长5%。明年增长6%”，情况属实（数据来源：统计局。下同）。下一句。"
    sp = split(text)
    assert [text[s:e] for s, e in sp.spans()] == ["他说：“今年增长5%。明年增长6%”，情况属实（数据来源：统计局。下同）。", "下一句。"]
    inner = lambda word: text[slice(*sp.sentence_of(text.index(word)))]  # noqa: E731
    assert inner("今年") == "他说：“今年增长5%。"  # the first enclosed sentence opens with the sentence holding it
    # the last enclosed sentence runs on to the end of the sentence holding its enclosure
    assert inner("明年") == "明年增长6%”，情况属实（数据来源：统计局。下同）。"
    assert inner("下同") == "下同）。"
    assert inner("情况") == text[:text.index("下一句")]  # outside the enclosures: the whole sentence
    assert text[slice(*sp.clause_of(text.index("情况")))] == "情况属实（"


def test_a_part_is_a_sentence_cut_at_semicolons():
    # corpus-raw/dev/seed-000.txt: figure context reads within the part (去年 stays in its item)
    text = "去年新增软件从业人员9.8万人；新增软件企业近7000家，增长近50%。"
    sp = split(text)
    assert text[slice(*sp.sentence_of(text.index("7000")))] == text
    assert text[slice(*sp.part_of(text.index("7000")))] == "新增软件企业近7000家，增长近50%。"
    assert text[slice(*sp.part_of(0))] == "去年新增软件从业人员9.8万人；"


def test_glued_paragraphs_and_full_width_spaces():
    # a page scraped into one line: 。 and two full-width spaces is a paragraph break (corpus-raw/dev2/d2-15.txt)
    text = "全年增长5%。\u3000\u3000今年以来，工业增长6%。 一个空格不算。"
    sp = split(text)
    assert sp.paragraphs == [0, text.index("今年")]
    assert [text[s:e] for s, e in sp.spans()] == ["全年增长5%。", "今年以来，工业增长6%。", "一个空格不算。"]
    assert sp.paragraph_of(text.index("工业")) == (text.index("今年"), len(text))
    # a subhead in quote marks glued before its paragraph (bulk page B01418)
    text = "新华社发\u2003\u2003“她该辞职了”\u2003\u2003据美国《纽约时报》报道，杰弗里斯等三名民主党高层呼吁。"
    assert [text[s:e] for s, e in split(text).spans()] == ["新华社发\u2003\u2003“她该辞职了”", text[text.index("据"):]]


def _slow_split(text):
    """The splitter's rules (page.Split) written out character by character: the reference."""
    tb = page_tables()
    n = len(text)
    paras, sents, inner, clauses, outer = {0}, {0}, set(), {0}, []
    parts = {i + 1 for i, ch in enumerate(text) if ch in tb.part_stops}
    lines, ls = [], 0
    for k, ch in enumerate(text):
        if ch == "\n":
            lines.append((ls, k))
            ls = k + 1
    lines.append((ls, n))

    def end_at(j):
        k = j
        while k < n and text[k] in tb.glue:
            k += 1
        k = k if k - j >= 2 else j
        if k < n and text[k] != "\n":
            if k > j:
                paras.add(k)
            sents.add(k)
            clauses.add(k)

    for ls, le in lines:
        if ls:
            paras.add(ls), sents.add(ls), clauses.add(ls)
        stack, pairs = [], []
        for i in range(ls, le):
            ch = text[i]
            if ch in tb.opener_of:
                opens = [d for d, o in enumerate(stack) if text[o] == tb.opener_of[ch]]
                if opens:
                    pairs.append((stack[opens[-1]], i))
                    stack = stack[:opens[-1]]
                elif tb.opener_of[ch] == ch:
                    stack.append(i)
            elif ch in tb.openers:
                stack = [o for o in stack if tb.opener_of.get(text[o]) != text[o]] + [i]
        top = [(a, b) for a, b in pairs if not any(c < a and b < d for c, d in pairs)]
        outer += sorted(top)
        i = ls
        while i < le:
            ch = text[i]
            if ch in tb.clause_stops:
                clauses.add(i + 1)
            enc = [(a, b) for a, b in top if a < i < b]
            closes = [(a, b) for a, b in top if b == i]
            if ch in tb.stops and enc:
                j = i + 1
                while j < enc[0][1] and text[j] in tb.stops:
                    clauses.add(j + 1)
                    j += 1
                if j < enc[0][1]:
                    inner.add(j), clauses.add(j)
                i = j
                continue
            if ch in tb.stops or (closes and i > closes[0][0] + 1 and text[i - 1] in tb.stops):
                j = i + 1
                while j < le and text[j] in tb.trail:
                    if text[j] in tb.clause_stops:
                        clauses.add(j + 1)
                    j += 1
                if ch in tb.stops or not (j < le and text[j] in "，,"):
                    end_at(j)
                    i = j
                    continue
            elif ch in tb.trail and not enc and i + 2 < n and text[i + 1] in tb.glue and text[i + 2] in tb.glue:
                end_at(i + 1)
            i += 1
    keep = lambda xs: sorted(x for x in xs if x < n or x == 0)  # noqa: E731
    return keep(paras), keep(sents), keep(inner), keep(clauses), outer, [x for x in sorted(parts) if x < n]


def _slow_at(starts, pos, n):
    return max(x for x in starts if x <= pos), min([x for x in starts if x > pos], default=n)


SPLIT_ALPHABET = "增长5%。！？；…!?;“”「」『』‘’（）()\"》\n 　\t说：，,甲"


def _check_split(text):
    sp = split(text)
    n = len(text)
    paras, sents, inner, clauses, outer, parts = _slow_split(text)
    assert (sp.paragraphs, sp.sentences, sp.inner, sp.clauses, sp.enclosures, sp.parts) == \
        (paras, sents, inner, clauses, outer, parts)
    for starts in (sp.paragraphs, sp.sentences, sp.clauses):
        assert starts[0] == 0 and starts == sorted(set(starts)) and all(0 <= x <= max(n - 1, 0) for x in starts)
    # every paragraph start is a sentence start, every sentence start a clause start
    assert set(sp.paragraphs) <= set(sp.sentences) <= set(sp.clauses)
    # the sentences tile the text: each ends where the next starts, the last at the end
    tiles = [sp.outer_sentence_of(s) for s in sp.sentences]
    assert tiles[0][0] == 0 and tiles[-1][1] == n and all(a[1] == b[0] for a, b in zip(tiles, tiles[1:]))
    for pos in range(n):
        assert sp.paragraph_of(pos) == _slow_at(paras, pos, n)
        assert sp.clause_of(pos) == _slow_at(clauses, pos, n)
        s, e = _slow_at(sents, pos, n)
        assert sp.outer_sentence_of(pos) == (s, e)
        enc = [(a, b) for a, b in outer if a < pos <= b]
        if enc:
            a, b = enc[0]
            s = max([s] + [x for x in inner if a < x <= pos])
            e = min([e] + [x for x in inner if pos < x <= b])
        assert sp.sentence_of(pos) == (s, e) and s <= pos < e
        ps = max([s] + [x for x in parts if x <= pos])
        pe = min([e] + [x for x in parts if x > pos])
        assert sp.part_of(pos) == (ps, pe) and s <= ps <= pos < pe <= e
        assert (sp.sentence_start(pos), sp.part_start(pos), sp.clause_start(pos), sp.paragraph_start(pos)) == \
            (s, ps, sp.clause_of(pos)[0], sp.paragraph_of(pos)[0])
        c = sp.clause_of(pos)
        assert sp.outer_sentence_of(pos)[0] <= c[0] <= pos < c[1]
    for s, e in sp.spans():
        assert text[s:e] == text[s:e].strip() and s < e


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=SPLIT_ALPHABET, max_size=60))
def test_split_bounds_are_sorted_cover_the_text_and_agree_with_the_slow_reference(text):
    _check_split(text)


def test_split_on_corpus_pages_agrees_with_the_slow_reference():
    for path in sorted((CORPUS / "raw").glob("*.txt"))[:8]:
        text = path.read_text(encoding="utf-8")
        for k in range(0, len(text), 1500):  # the reference is quadratic: pieces of real text
            _check_split(text[k:k + 1500])


# ---------------------------------------------------------------- properties


REAL = [line for line in SEED.split("\n") if len(line) > 60 and not line.startswith("#")]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(REAL), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    ["fullwidth", "nbsp", "crlf", "break"])), max_size=6))
def test_noise_keeps_offsets_and_finds_the_same_figures(line, edits):
    base = cnextract.extract(line)
    want = Counter((f.value, f.unit, f.kind) for f in base.figures if f.kind in SCORED_KINDS)
    inside = [(f.start, f.end) for f in base.figures]
    text = line
    for where, what in sorted(edits, reverse=True):
        i = int(where * (len(text) - 1))
        if what == "fullwidth":
            text = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
        elif what == "crlf":
            text = text.replace("\n", "\r\n")
        elif any(s <= i < e for s, e in inside) or i == 0:
            continue  # a space or a break inside a figure is another text
        elif what == "nbsp" and text[i - 1] in "，。；":
            text = text[:i] + "\xa0" + text[i:]
        elif what == "break" and text[i - 1] not in "。！？；" and i < len(line):
            text = text[:i] + "\n\n" + text[i:]
        inside = []  # positions moved: only the first edit is placed with certainty
    page = cnextract.extract(text)
    for f in page.figures:
        assert text[f.start:f.end] == f.text
    got = Counter((f.value, f.unit, f.kind) for f in page.figures if f.kind in SCORED_KINDS)
    if edits and all(w in ("fullwidth", "crlf") for _, w in edits):
        assert got == want


def test_view_maps_every_offset_back():
    raw = "增长\n\n6.1%，打牢\n\n“底座”"
    view = View(raw, ((2, 4), (11, 13)))
    assert view.text == "增长6.1%，打牢“底座”"
    for s in range(len(view.text)):
        for e in range(s + 1, len(view.text) + 1):
            rs, re_ = view.to_raw(s, e)
            assert raw[rs:re_].replace("\n", "") == view.text[s:e]


def test_view_remaps_a_figure_and_its_context_spans_to_raw():
    """A figure found on the view comes back with its own span and every context span re-sliced from
    raw (a span across the join keeps the break); a view span named twice maps to one raw Span."""
    from decimal import Decimal

    from cnextract.records import Figure, Span

    raw = "辽宁\n\n经济总量突破3万亿元"
    view = View(raw, ((2, 4),))
    t = view.text
    assert t == "辽宁经济总量突破3万亿元"
    subject, across = Span(start=0, end=2, text=t[0:2]), Span(start=0, end=6, text=t[0:6])
    fig = Figure(start=8, end=13, text=t[8:13], value=Decimal("3000000000000"), unit="CNY", kind="money",
                 metric=Span(start=2, end=6, text=t[2:6]), subject=subject, period=across)
    got = view.remap(fig)
    assert (got.start, got.end, got.text) == (10, 15, "3万亿元") and raw[10:15] == got.text
    assert (got.metric.start, got.metric.end, got.metric.text) == (4, 8, "经济总量")
    assert (got.subject.start, got.subject.end, got.subject.text) == (0, 2, "辽宁")
    assert (got.period.start, got.period.end, got.period.text) == (0, 8, "辽宁\n\n经济总量")
    assert (got.value, got.unit, got.kind) == (fig.value, fig.unit, fig.kind)
    assert view.remap(fig.model_copy(update={"metric": None})).subject is got.subject


@pytest.mark.parametrize("table,kind", [("bylines", "byline"), ("ad_labels", "ad_label"),
                                        ("source_notes", "source_note"), ("boilerplate", "boilerplate"),
                                        ("kickers", "kicker"), ("captions", "caption")])
def test_every_layout_example_is_labelled_by_its_table(table, kind):
    from cnextract.rules import load_rules

    for entry in getattr(load_rules().layout, table):
        for example in entry.examples:
            assert any(f in example for f in entry.forms), (entry.id, example)
            assert layout(example).blocks[0].kind == kind, (entry.id, example)


def test_html_depth_counts_only_elements_that_nest():
    from cnextract.normalise import MAX_HTML_DEPTH, html_depth

    assert html_depth("<div><div><span>x</span></div></div>") == 3
    assert html_depth("<div></div>" * 1000) == 1
    # runs of <p>, <li>, <br>, <img> do not nest (the parser closes or never opens them)
    assert html_depth("<ul>" + "<li>x" * 10_000 + "</ul>" + "<p>y<br><img src=a>" * 10_000) == 1
    assert html_depth("</div></div><div>") == 1  # stray end tags never go below zero
    page = cnextract.extract("<div>" * 200 + "利润增长6.1%。" + "</div>" * 200)
    assert page.source.format == "html" and not page.problems and page.text == "利润增长6.1%。\n"
    deep = "<div>" * (MAX_HTML_DEPTH + 1) + "利润增长6.1%。"
    page = cnextract.extract(deep)
    assert page.source.format == "text" and page.text == deep
    assert [p.code for p in page.problems] == ["html-error"] and [f.text for f in page.figures] == ["6.1%"]
