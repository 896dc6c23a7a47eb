"""Offsets: cleaned text maps back to the source, character by character."""

import json
import re

import pytest

from pipeline.ingest.offsets import TrackedText, anchors, concat, encode_offset_map, span_to_source, to_source
from pipeline.ingest.passages import passages_from_text


def test_untouched_text_has_one_anchor_and_an_exact_end():
    tracked = TrackedText.from_source("Abai KazNPU", offset=100)
    assert anchors(tracked) == [[0, 100], [11, 111]]


def test_kept_group_keeps_its_source_positions():
    source = "**Abstract.** In the context"
    cleaned = TrackedText.from_source(source).sub(re.compile(r"\*\*(.+?)\*\*"), lambda m: [1])
    assert cleaned.text == "Abstract. In the context"
    assert source[to_source(encode_offset_map(cleaned), 0)] == "A"
    assert source[to_source(encode_offset_map(cleaned), 10)] == "I"


def test_inserted_text_maps_to_the_span_it_replaces():
    source = "Forum &amp; universities"
    cleaned = TrackedText.from_source(source).sub(re.compile(r"&amp;"), lambda m: ["&"])
    assert cleaned.text == "Forum & universities"
    amp = cleaned.text.index("&")
    assert (cleaned.starts[amp], cleaned.ends[amp]) == (6, 11)
    assert to_source(encode_offset_map(cleaned), amp + 2) == source.index("universities")


def test_end_offset_of_the_whole_passage_is_the_source_end():
    source = "rectors&nbsp;"
    cleaned = TrackedText.from_source(source).sub(re.compile(r"&nbsp;"), lambda m: ["!"])
    assert to_source(encode_offset_map(cleaned), len(cleaned.text)) == len(source)


def test_join_maps_the_separator_to_the_gap():
    source = "educational migrants\n\n\n\nfocused on education"
    left = TrackedText.from_source(source[:20])
    right = TrackedText.from_source(source[24:], offset=24)
    joined = concat([left, right], " ")
    assert joined.text == "educational migrants focused on education"
    assert to_source(encode_offset_map(joined), 21) == 24
    assert source[to_source(encode_offset_map(joined), 20)] == "\n"


def test_span_to_source_covers_the_original_words():
    source = "# Bibinaz Almanova<sup>1</sup>,"
    passage = passages_from_text("d", source)[0]
    start = passage.text.index("Almanova")
    a, b = span_to_source(passage.offset_map, start, start + len("Almanova"))
    assert source[a:b] == "Almanova"


def test_offsets_outside_the_passage_are_refused():
    with pytest.raises(ValueError):
        to_source("[[0,5],[3,8]]", 4)


def test_offset_map_is_compact_json():
    tracked = TrackedText.from_source("abc", 7)
    assert json.loads(encode_offset_map(tracked)) == [[0, 7], [3, 10]]


def test_kept_characters_map_back_on_randomly_marked_up_corpus_lines():
    """Property test: seed lines wrapped in random markup, joined by random line structure."""
    import random

    from tests.fixtures.ingest.corpus_builder import SEED_DOCUMENTS

    lines = [ln for path in sorted(SEED_DOCUMENTS.glob("*.txt"))
             for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    decorations = ["**{}**", "*{}*", "# {}", "- {}", "{}<sup>2</sup>", "&laquo;{}&raquo;", "{} &amp; co",
                   "  {}  ", "{}\u00a0", "> {}", "[{}](https://example.org)", "\u00ad{}", "{}-"]
    separators = ["\n", "\n\n", "\n\n\n\n", "\f", "\r\n"]
    rng = random.Random(7)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 8)):
            line = rng.choice(lines)
            start = rng.randrange(len(line))
            fragment = line[start : start + rng.randint(1, 300)]
            parts.append(rng.choice(decorations).format(fragment) + rng.choice(separators))
        source = "".join(parts)
        for passage in passages_from_text("d", source, max_chars=rng.choice([100, 400, 1500])):
            assert passage.text and passage.text == passage.text.strip()
            assert 0 <= passage.source_start < passage.source_end <= len(source)
            assert to_source(passage.offset_map, len(passage.text)) <= len(source)
            for i, ch in enumerate(passage.text):
                source_ch = source[to_source(passage.offset_map, i)]
                assert source_ch == ch or (ch == " " and source_ch.isspace()) or source_ch == "&", (source, i)
