"""Topic terms keep every script of the corpus and drop en/ru/kk stop words."""

from __future__ import annotations

from pipeline.fixtures.seed_corpus import seed_passages
from pipeline.topics.vectorizer import make_vectorizer, stop_words, tokenize

PASSAGES, LANGUAGES = seed_passages()


def test_kazakh_letters_and_inner_hyphens_survive_tokenizing():
    line = "Қазақстан жастарының көші-қоны және әл-Фараби атындағы университет"
    assert tokenize(line) == ["қазақстан", "жастарының", "көші-қоны", "және", "әл-фараби", "атындағы", "университет"]


def test_russian_words_are_kept_and_digits_dropped():
    assert tokenize("В опросе приняли участие 4 эксперта") == ["опросе", "приняли", "участие", "эксперта"]


def test_chinese_runs_become_character_bigrams():
    assert tokenize("哈萨克斯坦 教育") == ["哈萨", "萨克", "克斯", "斯坦", "教育"]


def test_stop_words_cover_english_russian_and_kazakh():
    words = stop_words()
    assert {"the", "and", "и", "в", "которые", "және", "үшін", "мен"} <= words
    # words that carry this corpus's subject must stay terms
    assert not {"білім", "жоғары", "образование", "education", "university"} & words


def test_vectorizer_on_the_trilingual_abstracts_keeps_cyrillic_terms():
    abstracts = PASSAGES[PASSAGES["text"].str.startswith(("**Abstract.", "Аңдатпа.", "Аннотация."))]["text"]
    assert len(abstracts) == 3
    vocabulary = set(make_vectorizer(len(abstracts)).fit(abstracts).get_feature_names_out())
    assert {"migration", "миграции", "көші-қоны", "білім"} <= vocabulary
    assert not {"the", "және", "в", "и"} & vocabulary


def test_min_df_scales_with_corpus_size():
    assert make_vectorizer(200).min_df == 1
    assert make_vectorizer(20_000).min_df == 2
    assert make_vectorizer(20_000, min_df=5).min_df == 5
