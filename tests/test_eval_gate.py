"""The gold corpus as a gate: scores below the pinned floors, or gold changed without re-pinning,
fail CI. Re-pin with `cnextract eval corpus --update` (it never lowers a floor without
--allow-regression)."""

import json

import pytest

from conftest import ROOT, copy_corpus

from cnextract import cli
from cnextract import evaluate as ev

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def baseline():
    return json.loads((CORPUS / "baseline.json").read_text(encoding="utf-8"))


def test_gold_unchanged_since_pinning(baseline):
    assert ev.gold_digest(CORPUS) == baseline["gold_digest"], \
        "corpus/ changed: re-run `cnextract eval corpus --update` and commit corpus/baseline.json"


SPLITS = ev.load_splits(CORPUS)


@pytest.fixture(scope="module")
def pages():
    """Every gold page extracted once; each split scores its own."""
    return cli.predict_gold(ev.load_gold(CORPUS))


def test_every_gold_page_is_in_one_split_and_every_split_is_pinned(baseline):
    ids = [g.stem for g in (CORPUS / "gold").glob("*.json")]
    assert sorted(ids) == sorted(i for split in SPLITS.values() for i in split)
    assert set(baseline["floors"]) == {*SPLITS, "all"}
    assert {"dev", "test", "dev2"} <= set(SPLITS)


@pytest.mark.parametrize("split", [*SPLITS, "all"])
def test_scores_at_or_above_floors(split, baseline, pages):
    gold = ev.load_gold(CORPUS, None if split == "all" else split)
    result = ev.evaluate(gold, pages)
    print(f"\n{split}: figures {result['figures']}")
    assert ev.check_floors(result, baseline, split) == []


@pytest.mark.parametrize("break_it, message", [
    (lambda d: d["figures"][0].update(start=d["figures"][0]["start"] + 1), "figures[0]"),
    (lambda d: d["figures"][1].update(kind="speed"), "figures[1]"),
    (lambda d: d["figures"][2].update(unit="CNYY", kind="money", optional=False), "unknown unit 'CNYY'"),
    (lambda d: d.update(sha256="0" * 64), "sha256"),
    (lambda d: d["quotes"][0]["content"].update(end=d["quotes"][0]["content"]["end"] - 1), "quotes[0]"),
])
def test_malformed_gold_is_refused_naming_file_and_item(tmp_path, break_it, message, capsys):
    corpus = copy_corpus(tmp_path)
    path = corpus / "gold" / "002.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    break_it(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ev.GoldError) as exc:
        ev.load_gold(corpus)
    assert "002.json" in str(exc.value) and message in str(exc.value)
    assert cli.main(["eval", str(corpus)]) == 2
    assert "002.json" in capsys.readouterr().err


def test_update_refuses_to_lower_a_floor(tmp_path):
    corpus = copy_corpus(tmp_path)
    pinned = {"gold_digest": "x", "floors": {"dev": {"figures.full.f1": 1.01}}}
    (corpus / "baseline.json").write_text(json.dumps(pinned), encoding="utf-8")
    assert cli.main(["eval", str(corpus), "--update"]) == 1
    assert json.loads((corpus / "baseline.json").read_text(encoding="utf-8")) == pinned
    assert cli.main(["eval", str(corpus), "--update", "--allow-regression"]) == 0
    assert json.loads((corpus / "baseline.json").read_text(encoding="utf-8"))["gold_digest"] == ev.gold_digest(corpus)


def test_eval_scores_a_prediction_file_and_writes_json(tmp_path):
    corpus = copy_corpus(tmp_path)
    pred = tmp_path / "pred.jsonl"
    assert cli.main(["extract", str(corpus / "raw" / "002.txt"), "-o", str(pred)]) == 0
    out = tmp_path / "scores.json"
    assert cli.main(["eval", str(corpus), "--pred", str(pred), "--json", str(out)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert set(scores) == {"figures", "quotes", "articles"}
    row = next(r for r in scores["articles"] if r["id"] == "002")
    assert row["figures_full"]["f1"] > 0.9 and not row["missing_prediction"]
    assert next(r for r in scores["articles"] if r["id"] == "001")["missing_prediction"]


def test_eval_scores_one_split_or_all_with_a_line_per_split(tmp_path, capsys):
    corpus = copy_corpus(tmp_path)
    pred = tmp_path / "pred.jsonl"
    assert cli.main(["extract", str(corpus / "raw" / "002.txt"), str(corpus / "raw" / "d2-22.txt"),
                     "-o", str(pred), "--quiet"]) == 0
    capsys.readouterr()
    out = tmp_path / "dev2.json"
    assert cli.main(["eval", str(corpus), "--pred", str(pred), "--split", "dev2", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("== split: dev2  (24 articles)") and "per split" not in printed
    rows = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))["articles"]}
    assert set(rows) == set(SPLITS["dev2"]) and not rows["d2-22"]["missing_prediction"]
    assert rows["d2-01"]["missing_prediction"]
    assert cli.main(["eval", str(corpus), "--pred", str(pred)]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("per split")) + 1:]
    assert [line.split()[0] for line in table] == [*SPLITS, "all"]
    pages_in_gold = len(list((corpus / "gold").glob("*.json")))
    assert [int(line.split()[1]) for line in table] == [*(len(ids) for ids in SPLITS.values()), pages_in_gold]


def test_eval_refuses_an_unknown_split_in_one_line(tmp_path, capsys):
    corpus = copy_corpus(tmp_path)
    assert cli.main(["eval", str(corpus), "--split", "dev3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'dev3'" in err and "dev2" in err
