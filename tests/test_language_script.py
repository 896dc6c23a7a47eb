"""Scripts (ISO 15924) and linguistic content: what the language stage decides before any model."""

from pipeline.language.letters import COL, profiles
from pipeline.language.script import dominant_script, linguistic_content

KAZAKH_TITLE = "ЖОҒАРЫ БІЛІМ АЛУ ҮШІН ҚАЗАҚСТАНДЫҚ ЖАСТАРДЫҢ РЕСЕЙГЕ ҚӨШІ-ҚОНЫ: САРАПШЫЛАРДЫҢ ПІКІРЛЕРІ"
ENGLISH_LINE = "Kazakhstan aims to be an important cultural and professional training hub for Central Asia."


def test_cyrillic_and_latin_lines_get_their_script():
    assert dominant_script(KAZAKH_TITLE) == "Cyrl"
    assert dominant_script(ENGLISH_LINE) == "Latn"


def test_simplified_and_traditional_chinese_are_told_apart():
    assert dominant_script("哈萨克斯坦与中国的教育合作") == "Hans"
    assert dominant_script("哈薩克與中國的教育合作") == "Hant"


def test_han_without_telling_characters_is_generic_han():
    assert dominant_script("中文") == "Hani"


def test_kana_makes_a_text_japanese_script():
    assert dominant_script("日本の大学") == "Jpan"


def test_text_without_letters_has_no_script():
    assert dominant_script("37.016.3 — 11.25.29") == "Zyyy"
    assert dominant_script("") == "Zyyy"


def test_majority_script_wins_in_a_mixed_line():
    assert dominant_script("Аңдатпа. Жаһандық өзгерістер жағдайында (Abstract)") == "Cyrl"


def test_kazakh_letters_are_counted_in_the_profile():
    row = profiles(["Қазақстан Республикасы"])[0]
    assert row[COL["kk_unique"]] == 2  # Қ, қ
    assert row[COL["Cyrl"]] == len("ҚазақстанРеспубликасы")


def test_classification_codes_and_identifiers_carry_no_language():
    for text in ("УДК: 37.016.3", "SRSTI: 11.25.29", "DOI:", "https://doi.org/10.52536/2788-5909.2022-3.04",
                 "Balmanova.kz@gmail.com (12)", "…", ""):
        assert linguistic_content(text) == "", text


def test_an_abbreviation_inside_a_sentence_is_kept():
    assert linguistic_content("He graduated from MGIMO in 1975.") == "He graduated from MGIMO in"


def test_bracketed_translation_of_a_cited_title_is_set_aside():
    line = "Rybakovskii L.L. (2016). Klassifikaciya migracii [Migration classification]. Narodonaselenie."
    content = linguistic_content(line)
    assert "Migration" not in content
    assert "Klassifikaciya migracii" in content


def test_urls_with_a_stray_space_are_removed():
    line = "[Electronic resource] URL:https:// cabar.asia/ru/kakoj-budet-novaya-migratsionnaya-politika-kazahstana"
    assert "kakoj" not in linguistic_content(line)


def test_the_locator_of_a_reference_entry_carries_no_language():
    entry = ("Qazaqstan Respublikasy Prezidentinin resmi saity [Official site of the President]. "
             "[Electronic resource] URL:https://www.akorda.kz/kz/ president/president (access date: 05.09.2022)\n"
             "Next entry title")
    assert linguistic_content(entry) == "Qazaqstan Respublikasy Prezidentinin resmi saity Next entry title"
