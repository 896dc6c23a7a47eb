"""Inline cleaning of one line of text, with offsets tracked (see `offsets.TrackedText`).

What real files contain (the seed corpus shows each): markdown emphasis (`**Abstract.**`,
`*Түйін сөздер:*`), escaped characters (`\\_`), HTML fragments pasted into text
(`<sup>1</sup>`, and the mangled `<sup>&</sup>lt;sup>1</sup>` of a double-escaped
footnote mark), HTML entities, invisible characters and runs of spaces. Line-level markup
(headings, list markers) is handled in `layout.py`; this module never sees line breaks.
"""

from __future__ import annotations

import html
import re
import unicodedata

from pipeline.ingest.offsets import TrackedText

INVISIBLE = re.compile(r"[\ufeff\u200b\u200c\u200d\u2060\u00ad\x00-\x08\x0b\x0e-\x1f\x7f]")
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f]")
COMBINING_RUN = re.compile(r".[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u20d0-\u20ff]+", re.DOTALL)
# Superscripts are footnote marks in these documents; the opening tag may arrive escaped or
# with its "&" eaten by a previous element, as in corpus/documents/002_*.txt.
SUPERSCRIPT = re.compile(
    r"(?:<sup>|&lt;sup&gt;|&lt;sup>|(?<![\w&])lt;sup>)[^<>\n]{0,12}?(?:</sup>|&lt;/sup&gt;|&lt;/sup>)",
    re.IGNORECASE,
)
HTML_COMMENT = re.compile(r"<!--.*?-->")
LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)\s]*\)")
MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^()\s]+)(?:\s+\"[^\"]*\")?\)")
MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
MD_EMPHASIS_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
MD_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")
MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
MD_CODE = re.compile(r"`([^`\n]+)`")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~&])")
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
SPACE_RUN = re.compile(r" {2,}")
MARKDOWN_CHARS = re.compile(r"[*_`\[~\\]")
SPECIAL_CHARACTER = re.compile("|".join(p.pattern for p in (INVISIBLE, LIGATURE, ODD_SPACE)))


def normalize_characters(line: TrackedText) -> TrackedText:
    """Drop invisible characters, turn exotic spaces into spaces, compose accents (NFC),
    and spell out typographic ligatures that PDF text layers carry ("ﬁ" → "fi")."""
    if SPECIAL_CHARACTER.search(line.text):
        line = line.sub(INVISIBLE, lambda m: [])
        line = line.sub(LIGATURE, lambda m: [LIGATURES[m[0]]])
        line = line.sub(ODD_SPACE, lambda m: [" "])
    if not line.text.isascii() and not unicodedata.is_normalized("NFC", line.text):
        line = line.sub(COMBINING_RUN, lambda m: [unicodedata.normalize("NFC", m[0])])
    return line


def strip_html_fragments(line: TrackedText) -> TrackedText:
    """Remove footnote superscripts, comments and tags pasted into plain text."""
    for _ in range(3):  # a removed element can expose another (the double-escaped case)
        before = line.text
        line = line.sub(SUPERSCRIPT, lambda m: [])
        if line.text == before:
            break
    line = line.sub(HTML_COMMENT, lambda m: [])
    line = line.sub(AUTOLINK, lambda m: [1])
    line = line.sub(LINE_BREAK_TAG, lambda m: [" "])
    return line.sub(HTML_TAG, lambda m: [])


def strip_markdown_inline(line: TrackedText) -> TrackedText:
    """Keep the text of emphasis, links and code spans; unescape `\\_`-style escapes."""
    line = line.sub(MD_IMAGE, lambda m: [])
    line = line.sub(MD_LINK, lambda m: [1])
    line = line.sub(MD_CODE, lambda m: [1])
    line = line.sub(MD_STRONG, lambda m: [2])
    line = line.sub(MD_STRIKE, lambda m: [1])
    line = line.sub(MD_EMPHASIS_STAR, lambda m: [1])
    line = line.sub(MD_EMPHASIS_UNDERSCORE, lambda m: [1])
    return line.sub(MD_ESCAPE, lambda m: [1])


def decode_entities(line: TrackedText) -> TrackedText:
    """`&amp;` → `&`, `&#1178;` → `Қ`; unknown names stay as they are."""
    return line.sub(ENTITY, lambda m: [html.unescape(m[0])])


def collapse_spaces(line: TrackedText) -> TrackedText:
    """Runs of spaces become one space; leading and trailing spaces go."""
    return line.sub(SPACE_RUN, lambda m: [" "]).strip()


def clean_inline(line: TrackedText, markup: bool) -> TrackedText:
    """Clean one line. `markup`: the text may carry markdown/HTML (txt, md); false for pdf/docx."""
    line = normalize_characters(line)
    if markup:
        # Fast paths: most lines carry no markup at all, and each regex pass costs a copy.
        if "<" in line.text or "lt;" in line.text:
            line = strip_html_fragments(line)
        if MARKDOWN_CHARS.search(line.text):
            line = strip_markdown_inline(line)
        if "&" in line.text:
            line = decode_entities(line)
            line = normalize_characters(line)  # entities can decode to NBSP or soft hyphens
    return collapse_spaces(line)
