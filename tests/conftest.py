import json
import shutil
import time
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


def extract_cost(text: str) -> float:
    """Best of five runs of extract on text, in CPU seconds of this process with the cycle
    collector paused (for the size-ratio properties, never a wall-clock limit): a millisecond-scale
    run is easily doubled by a busy machine or by a collection of garbage earlier tests left."""
    import gc

    import cnextract

    best = float("inf")
    for _ in range(5):
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            cnextract.extract(text)
            best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
    return best


def copy_corpus(tmp_path: Path) -> Path:
    """A scratch copy of the corpus (raw, gold, splits) that a test may break."""
    dst = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "raw", dst / "raw")
    shutil.copytree(ROOT / "corpus" / "gold", dst / "gold")
    shutil.copy(ROOT / "corpus" / "splits.toml", dst / "splits.toml")
    return dst
