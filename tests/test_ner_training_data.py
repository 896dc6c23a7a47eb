"""Specifications of KazNERD conversions, augmentation, tokenizers and span scoring (the split: test_honest_split.py)."""

from __future__ import annotations

import random

import pytest
import spacy

from pipeline.datasets.kaznerd import TaggedSentence, read_kaznerd
from pipeline.ner_training.augment import augment, mention_inventory, replace_mentions
from pipeline.ner_training.convert import to_doc, to_docbin, to_stanza_json
from pipeline.ner_training.scoring import score_spans
from pipeline.text.kk_tokenizer import tokenize_with_offsets, use_kazakh_infixes

# Real KazNERD sentences (data/kaznerd/IOB2_valid.txt).
NAZARBAYEV = TaggedSentence(
    ("Мәскеуде", "Владимир", "Путинмен", "кездесу", "кезінде", "Нұрсұлтан", "Назарбаев", "осылай", "деді", "."),
    ("B-GPE", "B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O"),
)


# Real KazNERD sentences: a person in the genitive, a place, an organisation.
KALYBEKOVA = TaggedSentence(
    ("Мектеп-лицейінің", "директоры", "Сәуле", "Қалыбекованың", "айтуынша", ",", "бала", "көп", "."),
    ("O", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O"),
)
TOKAYEV = TaggedSentence(
    ("Қасым-Жомарт", "Тоқаевтың", "сапары", "Алматыда", "өтті", "."),
    ("B-PERSON", "I-PERSON", "O", "B-GPE", "O", "O"),
)
NO_NAMES = TaggedSentence(("Мына", "жер", "терең", "емес", "."), ("O", "O", "O", "O", "O"))


@pytest.fixture(scope="module")
def kaznerd(kaznerd_path):
    return read_kaznerd(kaznerd_path)


def test_replacement_swaps_every_name_and_keeps_the_context_and_tags_well_formed():
    inventory = mention_inventory([NAZARBAYEV, KALYBEKOVA, TOKAYEV])

    new = replace_mentions(TOKAYEV, inventory, random.Random(0))
    assert "сапары" in new.tokens and new.tokens[-2:] == ("өтті", ".")
    persons = [new.text[s:e] for s, e, t in new.entities() if t == "PERSON"]
    places = [new.text[s:e] for s, e, t in new.entities() if t == "GPE"]
    assert persons and persons[0] in {"Владимир Путинмен", "Нұрсұлтан Назарбаев", "Сәуле Қалыбекованың",
                                      "Қасым-Жомарт Тоқаевтың"}
    assert places and places[0] in {"Мәскеуде", "Алматыда"}
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in new.tags) and len(new.tags) == len(new.tokens)


def test_augmentation_is_deterministic_and_skips_sentences_without_names():
    sentences = [NAZARBAYEV, KALYBEKOVA, TOKAYEV, NO_NAMES]
    first = augment(sentences, copies=2, seed=13)
    assert first == augment(sentences, copies=2, seed=13)
    assert len(first) == 6  # two copies of each sentence with a name, none of NO_NAMES
    assert augment(sentences, copies=0, seed=13) == []


def test_iob_tags_become_character_spans_of_the_joined_text():
    spans = NAZARBAYEV.entities()
    assert [(NAZARBAYEV.text[s:e], t) for s, e, t in spans] == [
        ("Мәскеуде", "GPE"), ("Владимир Путинмен", "PERSON"), ("Нұрсұлтан Назарбаев", "PERSON")]


def test_spacy_doc_keeps_kaznerd_tokens_and_entities():
    doc = to_doc(spacy.blank("xx").vocab, NAZARBAYEV)
    assert [t.text for t in doc] == list(NAZARBAYEV.tokens)
    assert doc.text == NAZARBAYEV.text
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == NAZARBAYEV.entities()


def test_docbin_round_trips_every_sentence(kaznerd):
    nlp = spacy.blank("xx")
    docs = list(to_docbin(nlp.vocab, kaznerd[:50]).get_docs(nlp.vocab))
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs] == [s.entities() for s in kaznerd[:50]]


def test_stanza_json_pairs_each_token_with_its_bio_tag():
    data = to_stanza_json([NAZARBAYEV])
    assert data[0][5] == {"text": "Нұрсұлтан", "ner": "B-PERSON"}
    assert data[0][6] == {"text": "Назарбаев", "ner": "I-PERSON"}
    assert len(data[0]) == len(NAZARBAYEV.tokens)


def test_spacy_tokenizer_keeps_hyphenated_kazakh_words_whole():
    nlp = use_kazakh_infixes(spacy.blank("xx"))
    words = [t.text for t in nlp("әл-Фараби атындағы ҚазҰУ Нұр-Сұлтан қаласында, сондай-ақ Алматы–Астана")]
    assert "әл-Фараби" in words and "Нұр-Сұлтан" in words and "сондай-ақ" in words
    assert "–" in words  # an en dash between words still separates them


def test_regex_tokenizer_offsets_index_the_input_text():
    text = "Ректор   әл-Фараби атындағы ҚазҰУ-дың «Болашақ» бағдарламасы туралы айтты.Тоқаев 12,5% деді."
    sentences = tokenize_with_offsets(text)
    tokens = [text[s:e] for sent in sentences for s, e in sent]
    assert "әл-Фараби" in tokens and "ҚазҰУ-дың" in tokens and "12,5" in tokens and "«" in tokens
    assert all(not text[s:e].isspace() and text[s:e].strip() == text[s:e] for sent in sentences for s, e in sent)
    assert len(sentences) == 2 and tokens[len(sentences[0])] == "Тоқаев"


def test_regex_tokenizer_cuts_very_long_texts_into_bounded_sentences():
    text = " ".join(["Назарбаев Университеті"] * 500)  # 1,000 tokens, no punctuation
    sentences = tokenize_with_offsets(text, max_tokens=150)
    assert max(len(s) for s in sentences) == 150
    assert sum(len(s) for s in sentences) == 1000


def test_regex_tokenizer_returns_nothing_for_blank_text():
    assert tokenize_with_offsets("") == []
    assert tokenize_with_offsets(" \n\t ") == []


def test_scores_count_only_exact_span_and_type_matches():
    gold = [[(0, 8, "GPE"), (9, 26, "PERSON")], [(0, 19, "PERSON")]]
    predicted = [[(0, 8, "GPE"), (9, 20, "PERSON")], [(0, 19, "ORGANISATION")]]
    scores = score_spans(gold, predicted)
    assert scores["micro"] == {"p": 0.3333, "r": 0.3333, "f": 0.3333, "support": 3}
    assert scores["per_type"]["PERSON"] == {"p": 0.0, "r": 0.0, "f": 0.0, "support": 2}
    assert scores["per_type"]["ORGANISATION"]["support"] == 0


def test_regex_tokenizer_reproduces_kaznerd_tokens_on_almost_every_sentence(kaznerd):
    # What Stanza was trained on must be what the backend feeds it; KazNERD keeps "%-ға",
    # "COVID-19-ға" and "11-інші" whole and splits "2019 - 2020".
    agree = sum(
        [s.text[a:b] for sent in tokenize_with_offsets(s.text, 10**6) for a, b in sent] == list(s.tokens)
        for s in kaznerd
    )
    assert agree / len(kaznerd) > 0.998
