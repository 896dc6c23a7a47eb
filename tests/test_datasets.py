"""Readers for the shipped gold sets."""

from pipeline.datasets.factrueval import read_factrueval
from pipeline.datasets.kaznerd import TaggedSentence, read_kaznerd, repair_iob


def test_orphan_inside_tag_becomes_begin():
    assert repair_iob(["O", "I-PERSON", "I-PERSON", "I-GPE"]) == ["O", "B-PERSON", "I-PERSON", "B-GPE"]


def test_kaznerd_sentence_entities_are_character_spans(kaznerd_path):
    sentences = read_kaznerd(kaznerd_path)
    assert len(sentences) == 11167
    first = sentences[0]
    start, end, label = first.entities()[0]
    assert (first.text[start:end], label) == ("Қара сөздерінің", "ART")


def test_adjacent_entities_of_same_type_stay_apart():
    s = TaggedSentence(("Абай", "Құнанбаев", "Шоқан"), ("B-PERSON", "I-PERSON", "B-PERSON"))
    assert [s.text[a:b] for a, b, _ in s.entities()] == ["Абай Құнанбаев", "Шоқан"]


def test_factrueval_mentions_align_with_text(factrueval_dir):
    docs = read_factrueval(factrueval_dir)
    assert len(docs) == 122
    book = next(d for d in docs if d.name == "book_100")
    found = {(book.text[m.start:m.end], m.coarse) for m in book.mentions}
    assert ("Юрия Лужкова", "PER") in found
    assert ("мэрии Москвы", "ORG") in found
    assert book.sentence_texts()[0].startswith("В понедельник 28 июня")
