"""The README's example is real output: run it and compare with the block printed under it."""

import re

import cnextract

from conftest import ROOT


def test_readme_example_output_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code, shown = re.search(r"```python\n(.*?)```\n```\n(.*?)```", readme, re.S).groups()
    text = re.search(r'extract\((".*?")\)', code, re.S).group(1)
    sentence = "".join(re.findall(r'"(.*?)"', text))
    lines = [f.model_dump_json(exclude_none=True, exclude={"optional"})
             for f in cnextract.extract(sentence).figures]
    assert "\n".join(lines) == shown.strip()
