"""Escaping of document text in HTML and in JSON embedded in <script> elements."""

import json

from pipeline.report.escape import html_text, script_json
from pipeline.report.render import inline_script


def test_html_text_turns_markup_into_entities():
    assert str(html_text('<script>alert(1)</script> & "q"')) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34;"
    )


def test_script_json_cannot_close_the_script_element():
    text = script_json({"title": "</script><script>alert(1)</script>"})
    assert "</" not in text
    assert "<script" not in text


def test_script_json_hides_html_comment_openers():
    assert "<!--" not in script_json(["<!-- hidden -->"])


def test_script_json_escapes_javascript_line_separators():
    text = script_json("a\u2028b\u2029c")
    assert "\u2028" not in text and "\u2029" not in text
    assert "\\u2028" in text and "\\u2029" in text


def test_script_json_round_trips_to_the_same_value():
    value = {"name": 'Al-Quds "University" <جامعة القدس>', "n": 3, "line": "x\u2028y", "amp": "a & b"}
    assert json.loads(str(script_json(value))) == value


def test_script_json_writes_nan_as_null():
    assert json.loads(str(script_json({"ci": float("nan")}))) == {"ci": None}


def test_inline_script_neutralises_closing_tags_in_code():
    assert "</script" not in inline_script('var s = "</SCRIPT>";').lower()
