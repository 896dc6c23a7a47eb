"""Passages: ids, counts, length limits, line endings."""

from pipeline.ingest.passages import count_words, passage_ids, passages_from_text
from tests.fixtures.ingest.corpus_builder import ENGLISH, KAZAKH, RUSSIAN


def test_passage_id_is_doc_id_plus_hash_of_normalised_text():
    [a] = passage_ids("002", ["Data  and\u00a0methods."])
    [b] = passage_ids("002", ["Data and methods."])
    assert a == b and a.startswith("002-") and len(a) == len("002-") + 10


def test_repeats_inside_a_document_are_numbered_in_order():
    ids = passage_ids("d", ["Conclusion.", "Text.", "Conclusion.", "Conclusion."])
    assert ids[2] == ids[0] + "-2" and ids[3] == ids[0] + "-3"


def test_words_are_counted_per_language():
    assert count_words(KAZAKH) == 11
    assert count_words("哈萨克斯坦 and China") == 7  # each Chinese character counts as a word


def test_short_titles_are_kept_by_default():
    assert [p.text for p in passages_from_text("d", "Conclusion.\n\nIn fact, knowledge migration matters.")] == [
        "Conclusion.", "In fact, knowledge migration matters."]


def test_min_passage_chars_drops_shorter_passages():
    texts = [p.text for p in passages_from_text("d", "Conclusion.\n\nIn fact, knowledge migration matters.",
                                                min_chars=20)]
    assert texts == ["In fact, knowledge migration matters."]


def test_no_passage_exceeds_max_passage_chars():
    source = " ".join([ENGLISH, RUSSIAN, KAZAKH] * 5)
    passages = passages_from_text("d", source, max_chars=300)
    assert all(p.n_chars <= 300 for p in passages)
    assert " ".join(p.text for p in passages) == source


def test_windows_and_old_mac_line_endings_are_line_breaks():
    for newline in ("\r\n", "\r"):
        source = newline.join([ENGLISH, "", RUSSIAN])
        passages = passages_from_text("d", source)
        assert [p.text for p in passages] == [ENGLISH, RUSSIAN]
        assert source[passages[1].source_start : passages[1].source_end] == RUSSIAN


def test_passage_index_counts_from_zero_in_document_order():
    passages = passages_from_text("d", f"{ENGLISH}\n\n{RUSSIAN}\n\n{KAZAKH}")
    assert [p.passage_index for p in passages] == [0, 1, 2]
    assert [p.source_start for p in passages] == sorted(p.source_start for p in passages)
