"""Make docs/review.png: the review page of corpus text 013 against its gold, a figure hovered.

Run from a checkout with the test extra installed and Debian's chromium on the PATH:
``python docs/make_review_png.py``. The review HTML is written to a temporary directory.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from cnextract import cli

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        review = Path(tmp) / "review.html"
        cli.main(["show", str(ROOT / "corpus" / "raw" / "013.txt"), "--gold", str(ROOT / "corpus"),
                  "-o", str(review), "-q", "--title", "cnextract review: corpus 013 against its gold"])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 640})
            page.goto(review.as_uri())
            miss = page.locator(".text .miss.rec").first
            miss.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -260)")
            page.locator(".text .fig.g-tp.rec").nth(4).hover()
            page.screenshot(path=str(ROOT / "docs" / "review.png"))
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
