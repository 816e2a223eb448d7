import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def nlp():
    import cnextract

    return cnextract.Pipeline()


def case_params(folder: str):
    """pytest params for every case in tests/cases/<folder>/*.jsonl; "xfail": reason -> strict xfail."""
    import pytest

    for path in sorted((CASES / folder).glob("*.jsonl")):
        for case in load_jsonl(path):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            yield pytest.param(case, id=f"{path.stem}:{case['id']}", marks=marks)
