"""Packaging, schema, rules and CLI: what a user touches first."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

import cnextract
from cnextract import cli
from cnextract.records import GoldDocument, PageResult, ProblemLine
from cnextract.rules import RuleError, load_from, rules_dir


def test_schema_files_are_current(capsys):
    assert cli.main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    for name, schema in (("page", PageResult.model_json_schema(by_alias=True)),
                         ("gold", GoldDocument.model_json_schema(by_alias=True)),
                         ("problem", ProblemLine.model_json_schema(by_alias=True)),
                         ("output", printed)):
        on_disk = json.loads((ROOT / "docs" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert on_disk == schema, f"re-export docs/schema/{name}.schema.json"


def test_the_output_schema_describes_page_and_problem_lines(capsys):
    """`cnextract schema` covers both kinds of output line, told apart by `schema`."""
    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["discriminator"]["mapping"] == {"cnextract.page": "#/$defs/PageResult",
                                                  "cnextract.problem": "#/$defs/ProblemLine"}
    problem = schema["$defs"]["ProblemLine"]
    assert {"schema", "version", "source", "code", "message"} <= set(problem["properties"])


def _rules_with(tmp_path, name: str, old: str, new: str):
    """A copy of the packaged rules/ with one edit in one file (the edit must apply)."""
    for f in rules_dir().glob("*"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert old in text, (name, old)
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_broken_rule_file_names_file_and_entry(tmp_path):
    broken = _rules_with(tmp_path, "units.toml", 'factor = "0.5"', 'factor = "half"')
    with pytest.raises(RuleError, match=r"units\.toml: entry 'mass-jin'"):
        load_from(broken)


def test_duplicate_rule_id_is_refused(tmp_path):
    broken = _rules_with(tmp_path, "units.toml", 'id = "mass-kg"', 'id = "mass-jin"')
    with pytest.raises(RuleError, match="duplicate id 'mass-jin'"):
        load_from(broken)


def test_unit_and_qualifier_examples_produce_records_citing_their_entry():
    """Every example of a unit, currency-before, implied-unit, qualifier, change verb or doubling
    entry yields a record citing it."""
    from cnextract.rules import load_rules

    rules = load_rules()
    missing = []
    tables = [*rules.units.units, *rules.units.currencies_before, *rules.units.implied,
              *rules.qualifiers.qualifiers, *rules.changes.verbs, *rules.changes.doubling]
    for entry in tables:
        for example in entry.examples:
            page = cnextract.extract(example)
            if not any(entry.id in f.entries for f in page.figures):
                missing.append((entry.id, example, [(f.text, f.entries) for f in page.figures]))
    assert not missing, missing


def test_cli_extract_writes_one_line_per_input(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text("规模以上工业增加值增长5%。", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_bytes("交易额近5亿元".encode("gb18030"))
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", str(a), str(b), "-o", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["source"]["name"] for x in lines] == [str(a), str(b)]
    assert lines[1]["source"]["encoding"] == "gb18030"
    fig = lines[1]["articles"][0]["figures"][0]
    assert (fig["text"], fig["value"], fig["unit"], fig["qualifier"]) == ("5亿元", "500000000", "CNY", "nearly")


def test_cli_extract_missing_file_is_a_problem_line_and_exit_1(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("增长6.1%", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli.main(["extract", str(tmp_path / "nope.txt"), str(good), "-o", str(out)]) == 1
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["code"] == "read-error" and lines[1]["source"]["name"] == str(good)


def test_cli_explain_shows_fired_and_declined_rules(capsys):
    cli.main(["explain", "经济总量突破3万亿元，打造4个万亿元级产业基地，资源一体化配置"])
    out = capsys.readouterr().out
    assert "rule=numeral+unit -> money 3000000000000 CNY qualifier=more_than" in out
    assert "declined" in out and "x-idioms" in out


def test_explain_decides_on_the_page_extract_reads(nlp):
    """explain goes through the pipeline: HTML is read as text, and the figures its rules made are
    the page's figures, at the page's offsets."""
    page, decisions = nlp.explain("<p>营收同比增长5.2%，约3000万元。</p><p>全市常住人口1200余万人，千行百业。</p>")
    assert page.figures and [d.made for d in decisions if d.made is not None] == list(page.figures)
    assert all(page.text[d.start:d.end] == d.text for d in decisions)
    assert any(d.declined for d in decisions)
    assert [(d.start, d.end) for d in decisions] == sorted((d.start, d.end) for d in decisions)


def test_bad_inputs_become_problems_not_crashes():
    assert cnextract.extract("").problems[0].code == "empty-input"
    assert cnextract.extract("   \n\t").problems[0].code == "empty-input"
    assert any(p.code == "binary-input" for p in cnextract.extract("abc\x00增长5%").problems)
    page = cnextract.extract(b"\xff\xfe\xfa\x80 growth 5%")
    assert page.problems and page.problems[0].code == "decode-error"
    bom = cnextract.extract("\ufeff增长6.1%".encode("utf-8"))
    assert bom.source.encoding == "utf-8-sig" and bom.figures[0].text == "6.1%"


@pytest.mark.slow
def test_installed_wheel_carries_its_rules(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    assert (target / "cnextract" / "rules" / "units.toml").is_file()
    assert (target / "cnextract" / "py.typed").is_file()  # type checkers read the package's hints
    code = "import cnextract,sys; print(cnextract.extract('近50万笔').figures[0].unit); print(cnextract.rules.rules_dir())"
    env = dict(os.environ, PYTHONPATH=str(target))
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    unit, where = res.stdout.split()
    assert unit == "笔" and where.startswith(str(target))



@pytest.mark.slow
def test_no_wheel_or_sdist_ships_the_corpus(tmp_path):
    """corpus/ (texts © their publishers, for evaluation only) never leaves the repository: not its
    texts, not its gold, not its README."""
    import tarfile
    import zipfile

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = zipfile.ZipFile(next(dist.glob("*.whl"))).namelist()
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        names = [n.split("/", 1)[1] for n in sdist.getnames() if "/" in n]
    assert "cnextract/rules/cues.toml" in wheel and "rules/cues.toml" in names and "README.md" in names
    shipped = [n for n in wheel + names if n.startswith(("corpus/", "tests/", "benchmarks/")) or "/corpus/" in n]
    assert shipped == []


# cue entries whose only real example cannot fire on its own, and why
SILENT_CUES = {
    "say-dao": "the only real example has the reporter asking (记者问道), and reporters are never speakers",
    "tandao": "no sentence in the corpus uses 谈到/谈及/提到 as a speech cue",
    "yaoqiu": "the corpus uses 要求 only as a noun (…的迫切要求), never as a speech cue",
    "toulu": "the corpus uses 披露 only inside a 据…披露 frame, which cites the frame entry",
    "suffix-dao": "the corpus example (…”长庄村村支书感慨道。) needs the quote opened two sentences earlier",
    "zhengru-x-suoshuo": "正如X所说 does not occur in the corpus",
}


# cue tables whose forms are jieba part-of-speech tags, not text, and the test that runs their examples
TAG_TABLES = {"word_tails": "test_quote_rules.test_a_cue_ending_a_word_that_is_no_verb_is_no_cue",
              "adverb_tags": "test_quote_rules.test_an_adverb_or_time_word_before_the_cue_is_not_the_source"}


def test_cue_examples_contain_their_forms():
    from cnextract.rules import load_rules

    missing = []
    for table, entries in load_rules().cues:
        if table in TAG_TABLES:
            continue
        for entry in entries:
            forms = (*entry.forms, *getattr(entry, "closers", ()))
            for example in entry.examples:
                if not any(f in example for f in forms):
                    missing.append((table, entry.id, example))
    assert not missing, missing


def test_cue_and_frame_examples_produce_quotes_citing_their_entry():
    from cnextract.rules import load_rules

    cues = load_rules().cues
    missing = []
    for entry in (*cues.verbs, *cues.frames):
        fired = any((q.rule or "").endswith(":" + entry.id)
                    for example in entry.examples for q in cnextract.extract(example).quotes)
        if entry.id in SILENT_CUES:
            if fired:
                missing.append((entry.id, "fires now: drop it from SILENT_CUES"))
        elif not fired:
            missing.append((entry.id, entry.examples))
    assert not missing, missing


def test_blocked_examples_make_no_cue_inside_the_blocked_form():
    from cnextract.rules import load_rules

    wrong = []
    for entry in load_rules().cues.blocked:
        for example in entry.examples:
            spans = [(i, i + len(f)) for f in entry.forms for i in range(len(example)) if example.startswith(f, i)]
            for q in cnextract.extract(example).quotes:
                if q.cue is not None and any(a <= q.cue.start and q.cue.end <= b for a, b in spans):
                    wrong.append((entry.id, example, q.cue.text))
    assert not wrong, wrong


def test_broken_cue_file_names_file_and_entry(tmp_path):
    broken = _rules_with(tmp_path, "cues.toml", 'closers = ["看来"]', "closers = []")
    with pytest.raises(RuleError, match=r"cues\.toml: entry 'zai-x-kanlai'"):
        load_from(broken)


def test_python_dash_m_runs_the_command_line():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-m", "cnextract", "explain", "增长5%"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 0 and "percent" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "cnextract", "nosuchcommand"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("usage: cnextract")
