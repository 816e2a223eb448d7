"""Traditional script reads as simplified: the fold maps each traditional character to its
simplified one (OpenCC's character table), so every rule reads 億, 萬, 項, 約 and 超過 as 亿, 万, 项,
约 and 超过, while records keep the text as written and every offset stays valid."""

from pathlib import Path

import pytest

import cnextract
from cnextract.normalise import fold
from cnextract.records import SCORED_KINDS, iter_spans

TRADITIONAL = "營收3.5億人民幣，年減12.3％；新增12項、2萬3千輛、50噸，約1.2％，超過六成。"
SIMPLIFIED = "营收3.5亿人民币，年减12.3％；新增12项、2万3千辆、50吨，约1.2％，超过六成。"


def _readings(page):
    return [(f.start, f.end, f.value, f.unit, f.kind, f.qualifier, f.direction)
            for f in page.figures if f.kind in SCORED_KINDS]


def test_fold_reads_the_issue_words_as_simplified():
    words = "億萬項輛噸營收成長年減約超過"
    assert fold(words) == "亿万项辆吨营收成长年减约超过"
    assert fold(TRADITIONAL) == fold(SIMPLIFIED)


def test_fold_leaves_characters_simplified_text_uses_as_they_are():
    # simplified text has no traditional character to fold; names keep rare characters the
    # table would send outside the common CJK block (郭明錤)
    assert fold(SIMPLIFIED) == SIMPLIFIED.replace("％", "%")
    assert fold("郭明錤") == "郭明錤"


@pytest.mark.parametrize("data", [TRADITIONAL, TRADITIONAL.encode("big5"), TRADITIONAL.encode("utf-8")],
                         ids=["str", "big5", "utf-8"])
def test_traditional_page_gives_the_simplified_readings_with_text_as_written(data):
    page = cnextract.extract(data)
    if isinstance(data, bytes):
        assert page.source.encoding == ("big5" if data == TRADITIONAL.encode("big5") else "utf-8")
    assert page.text == TRADITIONAL
    assert _readings(page) == _readings(cnextract.extract(SIMPLIFIED))
    figs = {f.text: f for f in page.figures}
    assert set(figs) == {"3.5億人民幣", "12.3％", "12項", "2萬3千輛", "50噸", "1.2％", "六成"}
    assert (figs["12項"].unit, figs["12項"].unit_text) == ("项", "項")  # counted in simplified form
    assert (figs["2萬3千輛"].value, figs["2萬3千輛"].unit, figs["2萬3千輛"].unit_text) == (23000, "辆", "輛")
    assert (figs["50噸"].value, figs["50噸"].unit_text) == (50000, "噸")
    assert figs["12.3％"].direction == "down" and figs["1.2％"].qualifier == "about"
    assert figs["六成"].qualifier == "more_than"
    for span in iter_spans(page):
        assert page.text[span.start:span.end] == span.text


def test_speaker_names_keep_their_script():
    page = cnextract.extract("鴻海董事長劉揚偉表示，今年營收將成長5%。")
    (quote,) = page.quotes
    assert (quote.speaker_name, quote.speaker.text) == ("劉揚偉", "鴻海董事長劉揚偉")
    (speaker,) = page.articles[0].speakers
    assert (speaker.name, speaker.titles, speaker.organisation) == ("劉揚偉", ("鴻海董事長",), "鴻海")
    (fig,) = page.figures
    assert (fig.value, fig.direction) == (5, "up")


def _to_traditional() -> dict[int, str]:
    """OpenCC's simplified-to-traditional character table (first reading), to make test pages:
    the one the case converter in tests/cases/figures uses."""
    import importlib.util

    path = Path(__file__).parent / "cases" / "figures" / "traditional_from_simplified.py"
    spec = importlib.util.spec_from_file_location("traditional_from_simplified", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.table()


def test_seed_page_in_traditional_script_gives_the_same_articles_figures_and_quotes(nlp):
    """The layout (本報記者, bylines, the ad label), the figure rules and the quote rules all read
    the seed page converted to traditional script as they read the page itself."""
    from conftest import ROOT

    seed = (ROOT / "corpus" / "raw" / "seed-000.txt").read_text(encoding="utf-8")
    st = _to_traditional()
    trad = seed.translate(st)
    assert trad != seed and len(trad) == len(seed)
    a, b = nlp(seed), nlp(trad)
    assert [(x.span.start, x.span.end, x.kind) for x in a.articles] == \
        [(x.span.start, x.span.end, x.kind) for x in b.articles]
    assert len(a.articles) == 3
    assert _readings(a) == _readings(b) and len(_readings(a)) > 40
    spans = lambda page: [(q.content.start, q.content.end, q.speaker and (q.speaker.start, q.speaker.end))  # noqa: E731
                          for q in page.quotes]
    assert spans(a) == spans(b) and len(spans(a)) > 10
    assert [q.speaker_name and q.speaker_name.translate(st) for q in a.quotes] == [q.speaker_name for q in b.quotes]


def test_the_traditional_probe_answers_as_the_set_test_does():
    """normalise.has_traditional (GB2312's encoder finds the candidates) says what testing every
    character against the table says: on every corpus page, for every traditional character alone
    and inside simplified text, for those GB2312 itself holds (於, 後), after many characters
    GB2312 lacks (the set test takes over) and for lone surrogates."""
    from cnextract import normalise

    table = normalise._TRADITIONAL_CHARS
    root = Path(__file__).resolve().parent.parent
    pages = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus" / "raw").glob("*.txt"))]
    assert any(normalise.has_traditional(p) for p in pages) and not all(normalise.has_traditional(p) for p in pages)
    for page in pages:
        assert normalise.has_traditional(page) == (not table.isdisjoint(page))
    assert normalise._GB2312_TRADITIONAL and "於" in normalise._GB2312_TRADITIONAL
    many = "ガ😀" * normalise._PROBE_MAX  # more characters GB2312 lacks than the probe looks at
    for ch in sorted(table):
        for text in (ch, SIMPLIFIED + ch + "。", "😀" + ch, many + ch, "\ud800" + ch):
            assert normalise.has_traditional(text), text
    for text in ("", SIMPLIFIED, many, "\ud800", "€ガ😀" + SIMPLIFIED):
        assert not normalise.has_traditional(text), text
    long = "中" * (2 * normalise._PROBE_PIECE + 1)  # encoded in pieces: a late character is still seen
    assert not normalise.has_traditional(long)
    assert normalise.has_traditional(long + "億") and normalise.has_traditional(long + "於")


def test_folding_the_script_first_then_by_runs_is_the_one_fold():
    """The pipeline folds a traditional page's script first (fold_script) and the rest by runs:
    the same text as fold's one pass, because no character is in both tables and no simplified
    reading is itself folded."""
    from cnextract import normalise

    assert set(normalise._FOLD).isdisjoint(normalise._TRADITIONAL)
    assert {ord(v) for v in normalise._TRADITIONAL.values()}.isdisjoint(normalise._FOLD)
    text = TRADITIONAL + "\u3000ＡＢ１２，“於後”\t－5‒6％\r\n"
    assert fold(normalise.fold_script(text), traditional=False) == fold(text)
