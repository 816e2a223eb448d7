"""Scoring metric, subject and period (ANNOTATION.md, "Context of a figure"): a context span is
right when it overlaps the gold span and ends at the same character; null only against null;
only gold files marked `"context": true` count."""

import json
from decimal import Decimal

from conftest import ROOT, copy_corpus

from cnextract import cli
from cnextract import evaluate as ev
from cnextract.records import Figure, Span

CORPUS = ROOT / "corpus"
TEXT = "去年全市GDP增长6.1%，达到3.2万亿元，比上年多出近2000亿元。"


def _span(text: str, needle: str, occurrence: int = 1) -> Span:
    pos = -1
    for _ in range(occurrence):
        pos = TEXT.index(needle, pos + 1)
    return Span(start=pos, end=pos + len(needle), text=needle)


def _fig(needle: str, metric=None, subject=None, period=None) -> Figure:
    s = _span(TEXT, needle) if isinstance(needle, str) else needle
    return Figure(start=s.start, end=s.end, text=s.text, value=Decimal(1), unit="%", kind="percent",
                  metric=metric, subject=subject, period=period)


def test_the_schemes_rule_for_one_span():
    gold = Span(start=10, end=19, text="规模以上工业增加值")
    assert ev.context_span_right(Span(start=14, end=19, text="工业增加值"), gold)  # same head, overlapping
    assert not ev.context_span_right(Span(start=10, end=14, text="规模以上"), gold)  # overlaps, other end
    assert not ev.context_span_right(Span(start=19, end=21, text="增长"), gold)  # touches, no overlap
    assert not ev.context_span_right(None, gold) and not ev.context_span_right(gold, None)
    assert ev.context_span_right(None, None)


def test_compare_context_pairs_figures_and_names_each_disagreement():
    gdp, total = _span(TEXT, "GDP"), _span(TEXT, "去年")
    a = [_fig("6.1%", metric=gdp, subject=_span(TEXT, "全市"), period=total),
         _fig("3.2万亿元", metric=gdp, period=total),
         _fig("2000亿元", metric=None, period=_span(TEXT, "上年"))]
    b = [_fig("6.1%", metric=_span(TEXT, "全市GDP"), subject=_span(TEXT, "全市"), period=total),
         _fig("3.2万亿元", metric=gdp, subject=_span(TEXT, "全市"), period=total),
         _fig("2000亿元", metric=gdp, subject=_span(TEXT, "全市"), period=total)]
    sc = ev.compare_context(a, b)
    assert sc.pairs == 3
    assert sc.right == {"metric": 2, "subject": 1, "period": 2}
    assert sorted(sc.misses) == [(1, 1, "subject"), (2, 2, "metric"), (2, 2, "period"), (2, 2, "subject")]
    assert sc.accuracy() == {"metric": 0.6667, "subject": 0.3333, "period": 0.6667, "pairs": 3}
    # the same rule both ways round: usable for agreement between two annotators
    back = ev.compare_context(b, a)
    assert back.right == sc.right and sorted((j, i, f) for i, j, f in back.misses) == sorted(sc.misses)
    # figures that do not pair are not judged
    assert ev.compare_context(a[:1], b[2:]).pairs == 0


def test_a_gold_file_agrees_with_itself_and_not_with_its_context_removed():
    gold = ev.load_gold_file(CORPUS / "gold" / "002.json", CORPUS)
    figs = list(gold.doc.figures)
    assert ev.compare_context(figs, figs).accuracy()["metric"] == 1.0
    bare = [f.model_copy(update={"metric": None, "subject": None, "period": None}) for f in figs]
    acc = ev.compare_context(bare, figs).accuracy()
    nulls = {n: sum(getattr(f, n) is None for f in figs) for n in ev.CONTEXT_FIELDS}
    assert acc == {n: round(nulls[n] / len(figs), 4) for n in ev.CONTEXT_FIELDS} | {"pairs": len(figs)}


def test_eval_scores_context_per_article_only_where_annotated_and_lists_misses(tmp_path, capsys):
    corpus = copy_corpus(tmp_path)
    for gid in ("002", "004"):
        path = corpus / "gold" / f"{gid}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["context"] is True
        if gid == "004":
            data["context"] = False  # a file that does not annotate context is not scored for it
        else:
            data["figures"][0]["metric"] = None
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    assert cli.main(["extract", str(corpus / "raw" / "002.txt"), str(corpus / "raw" / "004.txt"),
                     "-o", str(pred), "--quiet"]) == 0
    out = tmp_path / "scores.json"
    capsys.readouterr()
    assert cli.main(["eval", str(corpus), "--pred", str(pred), "--split", "dev", "--json", str(out),
                     "--verbose"]) == 0
    printed = capsys.readouterr().out
    scores = json.loads(out.read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in scores["articles"]}
    assert rows["004"]["context"] is None and rows["004"]["context_misses"] == []
    row = rows["002"]
    assert row["context"]["pairs"] == row["figures_detect"]["tp"] > 0
    assert scores["figures"]["context"]["pairs"] == row["context"]["pairs"]  # 004 left out
    wrong = {n: row["context"]["pairs"] - round(row["context"][n] * row["context"]["pairs"])
             for n in ev.CONTEXT_FIELDS}
    assert {n: sum(m["field"] == n for m in row["context_misses"]) for n in ev.CONTEXT_FIELDS} == wrong
    text = (corpus / "raw" / "002.txt").read_text(encoding="utf-8")
    for m in row["context_misses"]:
        assert m["gold"] != m["pred"] and m["figure"] in m["sentence"] and m["sentence"] in text
        assert f"{m['field']:<7} {m['figure']}  gold {m['gold']!r}  pred {m['pred']!r}" in printed
    assert "context misses (" in printed
    assert f"context accuracy metric {scores['figures']['context']['metric']:.3f}" in printed
