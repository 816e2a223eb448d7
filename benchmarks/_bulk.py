"""Where the bulk corpus is, for silver.py and bulk_diff.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BULK = Path("shared") / "corpus-bulk" / "pages.jsonl.gz"


def default_bulk() -> Path:
    """../shared/corpus-bulk/pages.jsonl.gz beside the repository root; from a linked git worktree,
    beside the main checkout's root."""
    here = ROOT.parent / BULK
    if here.is_file():
        return here
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return here
    return Path(common).parent.parent / BULK
