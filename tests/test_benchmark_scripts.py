"""benchmarks/silver.py and benchmarks/bulk_diff.py read real output; their logic is tested here on
small inputs (the bulk corpus itself is never read by a test)."""

import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bulk_diff  # noqa: E402
import silver  # noqa: E402

# speaker names the bulk output gave, as issue 12 quotes them, and the check each must trip
BROKEN = {
    "但他": {"begins"}, "并特别": {"begins"}, "也有": {"begins"}, "他说": {"begins", "ends"},
    "周剑称": {"ends"}, "公告表示": {"ends"}, "话报道": {"ends"}, "图说": {"ends"},
    "一位知情人士向36氪": {"ends", "punct"},
    "乌克兰方面14日": {"punct"}, "美国媒体29日": {"punct"},
    "华为高级副总裁、华为云CEO周跃峰": {"title", "long_name"},
    "中国工程院院士钟南山": {"title"}, "胡衡华代表": {"title"},
}
# whole names and descriptions: no check may trip (曾 and 欧阳 are surnames, not an adverb)
CLEAN = ["钟南山", "国家统计局", "国家统计局发言人", "知情人士", "相关负责人", "蒂姆·库克", "埃隆·马斯克",
         "ECB", "曾毅", "欧阳明", "该组织"]


@pytest.fixture(scope="module")
def checker():
    return silver.Checker()


@pytest.mark.parametrize("name", list(BROKEN))
def test_silver_flags_a_broken_name_by_the_right_check(name, checker):
    assert set(checker.name_checks(name)) == BROKEN[name]


@pytest.mark.parametrize("name", CLEAN)
def test_silver_leaves_a_whole_name_alone(name, checker):
    assert checker.name_checks(name) == []


def test_silver_counts_quotes_of_real_pages(nlp, checker):
    # corpus/raw/d2-08.txt: at first contact one speaker name kept the addressee (…刘洪峰曾向36氪);
    # the mention layer now trims it, so that name is put back on the real page's quote to check
    # what the silver checks say of it, whatever the extractor of the day finds
    page = nlp((ROOT / "corpus" / "raw" / "d2-08.txt").read_text(encoding="utf-8"), name="d2-08")
    glued = "乐的创始人刘洪峰曾向36氪"
    quotes = [q.model_copy(update={"speaker_name": glued}) if q.speaker_name == "刘洪峰" else q
              for q in page.articles[0].quotes]
    assert glued in {q.speaker_name for q in quotes}
    page = page.model_copy(update={"articles": (page.articles[0].model_copy(update={"quotes": tuple(quotes)}),
                                                *page.articles[1:])})
    totals, flagged, refined = silver.check_pages([page], checker)
    assert totals == {"pages": 1, "quotes": len(page.quotes), "named": sum(1 for q in page.quotes if q.speaker_name)}
    broken = [k for k, rows in flagged.items() for r in rows if r["speaker_name"].endswith("刘洪峰曾向36氪")]
    assert broken == ["ends", "punct", "long_name"]
    assert all(r["page"] == "d2-08" for rows in flagged.values() for r in rows)
    assert [k for k, rows in refined.items() for r in rows if r["speaker_name"].endswith("刘洪峰曾向36氪")] == [
        "ends", "long_name"]  # (36 of 36氪 is an outlet's name, no number glued on)


# right names a check flags as specified, and the refined check sets aside (two readers of the
# flagged bulk quotes judged each right); broken names it must keep
REFINED_RIGHT = {
    "和凛毅": "begins", "不少业内人士": "begins", "初步调查": "begins", "未具名的台湾军政人士": "begins",
    "“十五五”规划建议": "ends", "海关统计": "ends", "露西·里格比": "ends", "移民与海关执法局": "ends", "有分析": "ends",
    "2025年全球创新指数报告": "punct", "中国气候公报（2025年）": "punct", "科技媒体 9to5Mac": "punct",
    "Paolo Ardoino": "long_name", "《2025年中国个人奢侈品报告》": "long_name",
}
REFINED_BROKEN = {
    "但他": "begins", "并特别": "begins", "周剑称": "ends", "我们经常跟投资人": "ends", "抗议组织在其网站": "ends", "1月26日公司": "punct", "82岁的姚爷爷": "punct",
    "守住推进乡村全面振兴的底线习近平总书记": "long_name",
}


@pytest.mark.parametrize("name, check", list(REFINED_RIGHT.items()))
def test_silver_refined_sets_aside_a_right_name(name, check, checker):
    assert check in checker.name_checks(name)
    assert check not in checker.refined(name, checker.name_checks(name))


@pytest.mark.parametrize("name, check", list(REFINED_BROKEN.items()))
def test_silver_refined_keeps_a_broken_name(name, check, checker):
    assert check in checker.refined(name, checker.name_checks(name))


def _output(tmp_path, name, pages):
    path = tmp_path / name
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
    return bulk_diff.read_output(path)


def test_bulk_diff_sees_no_change_between_equal_outputs_and_each_kind_of_change(nlp, tmp_path):
    text = "国家统计局数据显示，全国规模以上工业增加值增长5.9%。出动26架次军机。“我们会继续努力。”王明说。"
    page = json.loads(nlp(text, name="pages.jsonl:B00001").to_json())
    old = _output(tmp_path, "old.jsonl", [page])
    assert bulk_diff.diff(old, old)["rows"] == []

    new_page = json.loads(json.dumps(page))
    figures = new_page["articles"][0]["figures"]
    shrunk = next(f for f in figures if f["text"] == "26架次")
    shrunk.update(end=shrunk["end"] - 1, text="26架", unit="架", unit_text="架")
    percent = next(f for f in figures if f["text"] == "5.9%")
    figures.remove(percent)
    quote = new_page["articles"][0]["quotes"][-1]
    quote["speaker_name"] = "王明说"
    result = bulk_diff.diff(old, _output(tmp_path, "new.jsonl", [new_page]))
    rows = {(r["kind"], r["change"]): r for r in result["rows"]}
    assert len(result["rows"]) == 3 and set(rows) == {("figure", "~"), ("figure", "-"), ("quote", "~")}
    assert "unit: '架次' -> '架'" in rows["figure", "~"]["what"] and "[26架]" in rows["figure", "~"]["context"]
    assert rows["figure", "-"]["context"].endswith("[5.9%]。")
    assert rows["quote", "~"]["what"] == "speaker_name: '王明' -> '王明说'"
    assert all(r["page"] == "B00001" for r in result["rows"])


def test_bulk_diff_refuses_an_unknown_version_in_one_line(tmp_path, capsys):
    bulk = tmp_path / "pages.jsonl"
    bulk.write_text(json.dumps({"id": "B00001", "text": "增长5.9%。"}) + "\n", encoding="utf-8")
    assert bulk_diff.main(["no-such-revision", "HEAD", "--bulk", str(bulk)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-revision" in err


def test_second_context_annotation_pairs_with_the_gold_figure_for_figure():
    """corpus/second holds an independent second reading of 7 gold files: the same figures as the
    gold, context spans that hold their text, and an agreement counted over every figure."""
    import agreement

    from cnextract.records import GoldDocument

    seconds = sorted((ROOT / "corpus" / "second").glob("*.json"))
    assert len(seconds) >= 6
    figures = 0
    for path in seconds:
        doc = GoldDocument.model_validate_json(path.read_text(encoding="utf-8"))
        gold = GoldDocument.model_validate_json((ROOT / "corpus" / "gold" / path.name).read_text(encoding="utf-8"))
        raw = (ROOT / "corpus" / "raw" / f"{doc.id}.txt").read_text(encoding="utf-8")
        assert doc.context and [(f.start, f.end) for f in doc.figures] == [(f.start, f.end) for f in gold.figures]
        for f in doc.figures:
            for span in (f.metric, f.subject, f.period):
                assert span is None or raw[span.start:span.end] == span.text
        figures += len(doc.figures)
    totals, per_file = agreement.agreement(ROOT / "corpus")
    assert set(per_file) == {p.stem for p in seconds}
    assert all(n == figures and 0 < right <= n for right, n in totals.values())
