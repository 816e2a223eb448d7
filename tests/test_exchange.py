"""Export to Label Studio and doccano, import corrected annotations as gold: offsets converted
(UTF-16 code units for Label Studio, code points for doccano), spans checked against the page,
and the corpus gold survives the round trip unchanged."""

import json

import pytest

from conftest import ROOT

import cnextract
from cnextract import cli, exchange
from cnextract.evaluate import load_gold, load_gold_file
from cnextract.records import SCORED_KINDS

CORPUS = ROOT / "corpus"
BULK = ROOT / "tests" / "data" / "bulk_pages.jsonl"
# two characters outside the BMP (𠀀 U+20000, 😀 U+1F600) before the figures and the quote
ASTRAL = "𠀀😀据介绍，今年营业收入增长5%，利润3亿元。张伟表示，“明年利润将超过4亿元。”"


@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_corpus_gold_round_trip(tmp_path, fmt):
    tasks = tmp_path / "tasks.json"
    assert cli.main(["export", "-q", "--format", fmt, "--gold", str(CORPUS), "-o", str(tasks)]) == 0
    out = tmp_path / "gold"
    assert cli.main(["import-gold", "-q", "--format", fmt, str(tasks), "-o", str(out), "--raw", str(CORPUS / "raw")]) == 0
    gold = load_gold(CORPUS)
    assert sorted(p.name for p in out.iterdir()) == sorted(g.path.name for g in gold)
    for g in gold:
        back = load_gold_file(out / g.path.name, CORPUS)
        assert back.doc == g.doc, g.doc.id  # equal models: figures (values exact) and quotes
        if not g.doc.id.startswith("d2-"):
            # the same file, byte for byte; the dev2 files spell every default out (low, high
            # null, optional false), a layout the writer does not copy: their models are equal
            assert (out / g.path.name).read_text(encoding="utf-8") == g.path.read_text(encoding="utf-8")
    assert sum(len(g.doc.figures) for g in gold) > 900 and sum(len(g.doc.quotes) for g in gold) > 300
    # the context spans went through the tools as regions linked to their figure
    assert sum(f.metric is not None for g in gold for f in g.doc.figures) > 500


def _export(tmp_path, fmt, text=ASTRAL):
    page = tmp_path / "astral.txt"
    page.write_text(text, encoding="utf-8")
    out = tmp_path / f"{fmt}.json"
    assert cli.main(["export", "-q", "--format", fmt, str(page), "-o", str(out)]) == 0
    return exchange.read_tasks(out), out


def test_label_studio_offsets_are_utf16_code_units(tmp_path):
    page = cnextract.extract(ASTRAL)
    tasks, _ = _export(tmp_path, "label-studio")
    (task,) = tasks
    assert task["data"]["text"] == ASTRAL and task["data"]["cnextract"]["id"] == "astral"
    regions = {r["value"]["text"]: r["value"] for r in task["predictions"][0]["result"] if r["type"] == "labels"}
    figures = [f for f in page.figures if f.kind in SCORED_KINDS]
    assert {f.text for f in figures} == {"5%", "3亿元", "4亿元"}
    for f in figures:
        v = regions[f.text]
        # the offset a JavaScript string (UTF-16) gives: two more than Python's
        assert (v["start"], v["end"]) == (f.start + 2, f.end + 2)
        assert (v["start"], v["end"]) == (len(ASTRAL[:f.start].encode("utf-16-le")) // 2,
                                          len(ASTRAL[:f.end].encode("utf-16-le")) // 2)
    quote = page.quotes[0]
    assert regions[quote.content.text]["labels"] == ["quote-direct"]
    assert regions["张伟"]["start"] == quote.speaker.start + 2


def test_doccano_offsets_are_code_points(tmp_path):
    page = cnextract.extract(ASTRAL)
    (task,), _ = _export(tmp_path, "doccano")
    spans = {ASTRAL[e["start_offset"]:e["end_offset"]]: e for e in task["entities"]}
    for f in page.figures:
        if f.kind in SCORED_KINDS:
            assert (spans[f.text]["start_offset"], spans[f.text]["label"]) == (f.start, f.kind)
    rels = {(r["from_id"], r["type"]) for r in task["relations"]}
    content = spans[page.quotes[0].content.text]["id"]
    assert (content, "speaker") in rels and (content, "cue") in rels


def _as_annotation(task: dict) -> dict:
    """What Label Studio exports after a reviewer accepts the predictions."""
    task = json.loads(json.dumps(task))
    task["annotations"] = [{"result": task.pop("predictions")[0]["result"], "was_cancelled": False}]
    return task


@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_predictions_reviewed_become_gold_with_python_offsets(tmp_path, fmt):
    tasks, out = _export(tmp_path, fmt)
    if fmt == "label-studio":
        out.write_text(json.dumps([_as_annotation(t) for t in tasks], ensure_ascii=False), encoding="utf-8")
    gold = tmp_path / "gold"
    assert cli.main(["import-gold", "-q", "--format", fmt, str(out), "-o", str(gold)]) == 0
    doc = json.loads((gold / "astral.json").read_text(encoding="utf-8"))
    page = cnextract.extract(ASTRAL)
    assert [(f["start"], f["text"], f["value"], f["unit"]) for f in doc["figures"]] == \
        [(f.start, f.text, f.value, f.unit) for f in page.figures if f.kind in SCORED_KINDS]
    (q,) = doc["quotes"]
    assert (q["content"]["start"], q["speaker"]["text"], q["speaker_name"], q["cue"]["text"]) == \
        (page.quotes[0].content.start, "张伟", "张伟", "表示")
    assert all(ASTRAL[f["start"]:f["end"]] == f["text"] for f in doc["figures"])


def test_a_span_whose_text_does_not_match_is_refused_naming_file_and_item(tmp_path, capsys):
    tasks, out = _export(tmp_path, "label-studio")
    task = _as_annotation(tasks[0])
    for r in task["annotations"][0]["result"]:
        if r["type"] == "labels" and r["value"]["text"] == "3亿元":
            r["value"]["start"] -= 2  # counted in code points by mistake: now it holds "利润3"
            r["value"]["end"] -= 2
    out.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    gold = tmp_path / "gold"
    assert cli.main(["import-gold", "--format", "label-studio", str(out), "-o", str(gold)]) == 1
    err = capsys.readouterr().err
    assert "label-studio.json: task 1 (astral) result[" in err and "'3亿元'" in err and "'利润3'" in err
    assert "refused (1 problems); nothing written" in err and not gold.exists()


def test_an_offset_inside_a_surrogate_pair_and_an_edited_text_are_refused(tmp_path, capsys):
    tasks, out = _export(tmp_path, "label-studio")
    task = _as_annotation(tasks[0])
    region = next(r for r in task["annotations"][0]["result"] if r["type"] == "labels")
    region["value"].update(start=1, end=3)  # 1 is the low half of 𠀀
    edited = _as_annotation(tasks[0])
    edited["data"]["text"] = edited["data"]["text"].replace("营业收入", "营收入业")
    out.write_text(json.dumps([task, edited], ensure_ascii=False), encoding="utf-8")
    assert cli.main(["import-gold", "--format", "label-studio", str(out), "-o", str(tmp_path / "g")]) == 1
    err = capsys.readouterr().err
    assert "task 1 (astral)" in err and "are not a span of the page" in err
    assert "task 2 (astral): the task's text is not the exported page" in err

    (dtask,), dout = _export(tmp_path, "doccano")
    key = next(k for k in dtask["cnextract"]["attributes"] if k.startswith("percent:"))
    dtask["cnextract"]["attributes"][key] = {"unit": "%"}  # the value deleted by mistake
    dout.write_text(json.dumps(dtask, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli.main(["import-gold", "--format", "doccano", str(dout), "-o", str(tmp_path / "g")]) == 1
    assert "task 1 (astral) percent '5%' at 14:16: gold needs a unit and a value" in capsys.readouterr().err
    (dtask,), dout = _export(tmp_path, "doccano")
    dtask["entities"][0]["end_offset"] = len(ASTRAL) + 5
    dout.write_text(json.dumps(dtask, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli.main(["import-gold", "--format", "doccano", str(dout), "-o", str(tmp_path / "g")]) == 1
    assert "doccano.json: task 1 (astral) entities[0]" in capsys.readouterr().err


def test_the_raw_page_beside_the_gold_must_match(tmp_path, capsys):
    tasks, out = _export(tmp_path, "doccano")
    (tmp_path / "corpus" / "raw").mkdir(parents=True)
    (tmp_path / "corpus" / "raw" / "astral.txt").write_text(ASTRAL.replace("5%", "6%"), encoding="utf-8")
    assert cli.main(["import-gold", "--format", "doccano", str(out), "-o", str(tmp_path / "corpus" / "gold")]) == 1
    assert "is not the raw page" in capsys.readouterr().err


def test_corrections_added_and_deleted_regions(tmp_path):
    """A reviewer deletes 5%, corrects the value of 3亿元, and redraws 4亿元 as a new region with no
    attributes, linked to a new metric region (利润): its value comes from cnextract's reading."""
    tasks, out = _export(tmp_path, "label-studio")
    task = _as_annotation(tasks[0])
    result = task["annotations"][0]["result"]
    drop = {r["id"] for r in result if r["type"] == "labels" and r["value"]["text"] in ("5%", "4亿元")}
    result[:] = [r for r in result if r.get("id") not in drop and r.get("from_id") not in drop]
    for r in result:
        if r["type"] == "textarea" and json.loads(r["value"]["text"][0]).get("value") == "300000000":
            r["value"]["text"] = [json.dumps({"value": "310000000", "unit": "CNY"})]  # a corrected value
    s = len(ASTRAL[:ASTRAL.index("4亿元")].encode("utf-16-le")) // 2
    m = len(ASTRAL[:ASTRAL.rindex("利润")].encode("utf-16-le")) // 2
    result += [{"id": "new", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": s, "end": s + 3, "text": "4亿元", "labels": ["money"]}},
               {"id": "m", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": m, "end": m + 2, "text": "利润", "labels": ["metric"]}},
               {"from_id": "new", "to_id": "m", "type": "relation", "direction": "right", "labels": ["metric"]}]
    out.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    gold = tmp_path / "gold"
    assert cli.main(["import-gold", "-q", "--format", "label-studio", str(out), "-o", str(gold)]) == 0
    doc = json.loads((gold / "astral.json").read_text("utf-8"))
    assert [(f["text"], f["value"], f["unit"]) for f in doc["figures"]] == [("3亿元", 310000000, "CNY"),
                                                                             ("4亿元", 400000000, "CNY")]
    assert doc["figures"][1]["qualifier"] == "more_than"  # 超过, as cnextract reads it in the page
    assert doc["figures"][1]["metric"] == {"start": ASTRAL.rindex("利润"), "end": ASTRAL.rindex("利润") + 2,
                                           "text": "利润"}


def test_a_task_without_annotation_is_skipped_and_pages_keep_their_ids(tmp_path, capsys):
    out = tmp_path / "tasks.json"
    assert cli.main(["export", "--format", "label-studio", str(BULK), "-o", str(out)]) == 0
    tasks = exchange.read_tasks(out)
    assert [t["data"]["cnextract"]["id"] for t in tasks] == ["B00001", "B01040", "B03433"]
    assert all(t["predictions"][0]["model_version"] == "cnextract" for t in tasks)
    tasks[0] = _as_annotation(tasks[0])
    out.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["import-gold", "--format", "label-studio", str(out), "-o", str(tmp_path / "g")]) == 0
    err = capsys.readouterr().err
    assert "task 2: no finished annotation; skipped" in err and "1 gold files" in err
    assert [p.name for p in (tmp_path / "g").iterdir()] == ["B00001.json"]


def test_export_usage_errors(capsys):
    assert cli.main(["export", "--format", "doccano"]) == 2
    assert capsys.readouterr().err.startswith("cnextract export: give PAGES")


@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_context_spans_and_the_context_flag_round_trip(fmt):
    from cnextract.records import GoldDocument

    page = cnextract.extract(ASTRAL)
    figures = tuple(f.model_copy(update={"rule": None, "entries": (), "unit_text": None})
                    for f in page.figures if f.kind in SCORED_KINDS)
    assert any(f.metric is not None for f in figures)
    doc = GoldDocument(id="astral", source="astral.txt", sha256=page.source.sha256, figures=figures,
                       context=True, notes="context read by hand")
    task = json.loads(json.dumps(exchange.gold_task(doc, ASTRAL, fmt), ensure_ascii=False))
    errors = []
    assert exchange.task_to_gold(task, fmt, "t", errors) == doc and not errors
    assert '"context": true' in exchange.gold_json(doc)
