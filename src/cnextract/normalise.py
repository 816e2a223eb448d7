"""Normalisation that never edits the raw text: a folded copy of the same length.

Full-width digits, letters and punctuation fold to their ASCII forms and odd spaces to a plain
space, one character for one character, so every offset into the folded text is an offset into
the raw text too. Later stages (HTML, column-break repair) keep an explicit map.
"""

from __future__ import annotations

_FOLD: dict[int, str] = {}
for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
    _FOLD[code] = chr(code - 0xFEE0)
# keep full-width forms that carry Chinese meaning of their own as they are
for keep in "，；：！？（）％":
    _FOLD.pop(ord(keep), None)
_FOLD[ord("％")] = "%"
_FOLD[0x3000] = " "  # ideographic space
_FOLD[0x00A0] = " "  # NBSP
_FOLD[0x2002] = " "
_FOLD[0x2003] = " "
_FOLD[0x2009] = " "
_FOLD[0x200B] = " "  # zero-width space keeps its slot as a space
_FOLD[0xFEFF] = " "
_FOLD[0x2212] = "-"  # minus sign
_FOLD[ord("\t")] = " "
_FOLD[ord("\r")] = "\n"


def fold(text: str) -> str:
    """Return a copy of ``text`` of exactly the same length with width and spacing folded."""
    folded = text.translate(_FOLD)
    assert len(folded) == len(text)
    return folded
