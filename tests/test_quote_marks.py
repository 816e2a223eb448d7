"""Quote marks: every style, nesting, breaks and marks left unbalanced by scraping.

The sentences are real (corpus-raw files named in each test); where a test needs another mark
style or a dropped mark, it says which marks it changed.
"""

import cnextract
from cnextract.normalise import View, fold
from cnextract.page import layout
from cnextract.speakers import SpeakerFinder

# corpus-raw/dev/001.txt
XU = "犯罪嫌疑人徐某某称：“有人反映在其他公司能报一两万元的生育津贴，在我这里还要收取代理费。”"
XU_CONTENT = "有人反映在其他公司能报一两万元的生育津贴，在我这里还要收取代理费。"


def _spans(text):
    """Quote pairs as the pipeline makes them: on the text with its column breaks rejoined (the
    layout's joins), mapped back to the text's offsets."""
    finder = SpeakerFinder()
    view = View(text, layout(text).joins)
    f = fold(view.text)
    raw = lambda s, e: text[view.to_raw(s, e)[0]:view.to_raw(s, e)[1]]  # noqa: E731
    return [(raw(q.start, q.close), q.closed) for q in finder._pair_quotes(f, finder._paragraph_ends(f))]


def test_every_mark_style_gives_the_same_quote():
    # the 001 sentence with its “” swapped for 「」, 『』, straight and full-width straight quotes
    for left, right in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'), ("＂", "＂")):
        text = XU.replace("“", left).replace("”", right)
        quotes = cnextract.extract(text).quotes
        assert [(q.content.text, q.speaker_name, q.cue.text) for q in quotes] == [(XU_CONTENT, "徐某某", "称")], left


def test_single_quotes_nest_inside_double_quotes():
    # corpus-raw/dev/seed-000.txt
    text = "习近平总书记在新时期推动东北全面振兴座谈会上强调，“要牢牢扭住自主创新这个‘牛鼻子’，在巩固存量、拓展增量上下功夫”。"
    assert _spans(text) == [("要牢牢扭住自主创新这个‘牛鼻子’，在巩固存量、拓展增量上下功夫", True)]
    (q,) = cnextract.extract(text).quotes
    assert q.speaker_name == "习近平" and "‘牛鼻子’" in q.content.text


def test_a_quote_runs_across_a_column_break():
    # corpus-raw/dev/seed-000.txt: the page layout broke 导致我们 / 不敢 with a blank line
    text = "“以前大鹅销售情况低迷，导致我们\n\n不敢加大养殖规模，怕卖不出去。”长庄村村支书感慨道。"
    assert _spans(text) == [("以前大鹅销售情况低迷，导致我们\n\n不敢加大养殖规模，怕卖不出去。", True)]
    (q,) = cnextract.extract(text).quotes
    assert q.speaker_name == "长庄村村支书" and q.cue.text == "感慨道"


def test_an_unclosed_paragraph_quote_closes_at_its_paragraph_end():
    # corpus-raw/dev/seed-000.txt, two 胡衡华 paragraphs; the first closing mark is dropped, as in the
    # convention where a quote continuing over paragraphs closes only in the last one
    first = "“重庆紧扣建设国家重要先进制造业中心目标，抓龙头带生态，积极构建‘33618’现代制造业集群体系。"
    second = "“重庆紧扣建设具有全国影响力的科技创新中心目标，推动‘四链’深度融合。”胡衡华代表说。"
    spans = _spans(first + "\n\n" + second)
    assert spans == [(first[1:], False), ("重庆紧扣建设具有全国影响力的科技创新中心目标，推动‘四链’深度融合。", True)]


def test_stray_marks_left_by_scraping_do_not_swallow_the_text():
    # corpus-raw/dev/011.txt: an HTML attribute's straight quote is glued before the body
    text = '以上图片均为正大集团提供">“不看不知道，世界真奇妙。”1990年，《正大综艺》开播。' + XU
    quotes = cnextract.extract(text).quotes
    assert [(q.content.text, q.speaker_name) for q in quotes] == [(XU_CONTENT, "徐某某")]
    # a stray closing mark before and an opening mark left at the very end
    page = cnextract.extract("”" + XU + "“")
    assert [q.content.text for q in page.quotes] == [XU_CONTENT]
    assert not page.problems


def test_term_quotes_on_the_seed_page_are_not_speech():
    # corpus-raw/dev/seed-000.txt has 60 “…” spans; the research count is 49 terms, about 10 speech
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "corpus" / "raw" / "seed-000.txt").read_text(encoding="utf-8")
    finder = SpeakerFinder()
    f = fold(text)
    spans = [q for q in finder._pair_quotes(f, finder._paragraph_ends(f)) if f[q.open] == "“"]
    assert len(spans) == 60
    contents = [text[q.start:q.close] for q in spans]
    # the research heuristic for terms: at most 12 characters and no sentence punctuation
    terms = {c for c in contents if len(c) <= 12 and not any(p in c for p in "。！？，")}
    assert len([c for c in contents if c in terms]) == 49
    assert not [c for c in terms if finder._speech_like(c, after_cue=False)]
    assert {"揭榜挂帅", "卡脖子", "辽沈战役", "白毛浮绿水"} <= terms
    quoted = {q.content.text for q in cnextract.extract(text).quotes}
    assert not quoted & terms
