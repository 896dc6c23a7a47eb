"""Entities: the model-free parts (keys, gazetteer, patterns, chunking, sections, filters)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.entities.chunking import chunk_text
from pipeline.entities.filters import plausible_person
from pipeline.entities.gazetteer import load_gazetteer, parse_gazetteer
from pipeline.entities.normalize import match_key, person_key
from pipeline.entities.rules import find_rule_mentions
from pipeline.entities.sections import references_start, sections_for_document
from pipeline.errors import PipelineError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(REPO / "models/gazetteer/entities.tsv")


def _spans(text: str, lang: str, label: str) -> list[str]:
    return [text[r.start:r.end] for r in find_rule_mentions(text, lang) if r.label == label]


def test_spelling_script_and_case_variants_of_tokayev_share_one_person_key():
    forms = ["Tokaev", "Tokayev", "Токаев", "Тоқаев", "K. K. Tokayev", "Токаева", "Kasym-Žomart Tokaev"]
    assert len({person_key(f) for f in forms}) == 1


def test_feminine_surname_and_initials_after_the_name_reduce_to_the_surname():
    assert person_key("Bulatbaeva A.A.") == person_key("Булатбаев")
    assert person_key("R. Manshina's") == person_key("R. Manshin")


def test_russian_case_forms_of_a_university_name_share_one_key():
    assert match_key("Казахский национальный университет имени аль-Фараби") == \
        match_key("Казахского национального университета им. аль-Фараби")


def test_word_order_and_initials_do_not_change_an_institution_key():
    assert match_key("Russian State University ‘I.M. Gubkin’ for oil and gas") == \
        match_key("Gubkin Russian State University of Oil and Gas")


def test_mgimo_and_its_full_name_share_a_canonical_id(gazetteer):
    short = gazetteer.lookup("UNIVERSITY", "MGIMO")
    full = gazetteer.lookup("UNIVERSITY", "Moscow State Institute of International Relations")
    assert short is not None and full is not None and short.id == full.id == "univ:mgimo"


def test_kazakh_russian_and_english_names_of_kaznu_share_a_canonical_id(gazetteer):
    ids = {gazetteer.lookup("UNIVERSITY", n).id for n in (
        "Al-Farabi Kazakh National University", "КазНУ им. аль-Фараби",
        "әл-Фараби атындағы Қазақ ұлттық университеті")}
    assert ids == {"univ:kaznu"}


def test_inflected_russian_person_links_to_the_gazetteer_entry(gazetteer):
    assert gazetteer.lookup("PERSON", "Токаева").id == gazetteer.lookup("PERSON", "Tokayev").id


def test_gazetteer_finds_abbreviations_case_sensitively(gazetteer):
    text = "He is a graduate of MGIMO, not of the mgimo club."
    found = [(text[m.start:m.end], m.entry.id) for m in gazetteer.find(text)]
    assert found == [("MGIMO", "univ:mgimo")]


def test_malformed_gazetteer_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "entities.tsv"
    path.write_text("id\tlabel\tname\ten\tru\tkk\tother\n"
                    "univ:x\tUNIVERSITY\tX University\tX U\t\t\t\n"
                    "univ:y UNIVERSITY Y University\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"entities\.tsv, line 3: expected 7 tab-separated columns"):
        load_gazetteer(path)


def test_gazetteer_rejects_unknown_label_and_duplicate_id():
    with pytest.raises(PipelineError, match="line 1: label 'UNI'"):
        parse_gazetteer("univ:x\tUNI\tX\n", "g.tsv")
    with pytest.raises(PipelineError, match="line 2: id 'univ:x' is already used on line 1"):
        parse_gazetteer("univ:x\tUNIVERSITY\tX\nuniv:x\tUNIVERSITY\tY\n", "g.tsv")


def test_full_university_name_from_a_byline_is_a_university():
    line = "Al-Farabi Kazakh National University Almaty, Kazakhstan Zhu Ran Master"  # corpus 003
    assert _spans(line, "en", "UNIVERSITY") == ["Al-Farabi Kazakh National University"]


def test_abbreviation_in_parentheses_is_linked_to_the_full_name():
    line = "the South Ural State University (SUSU)  signed cooperation memorandums"  # corpus 004
    rules = find_rule_mentions(line, "en")
    abbr = next(r for r in rules if line[r.start:r.end] == "SUSU")
    assert abbr.alias_of is not None and line[abbr.alias_of[0]:abbr.alias_of[1]] == "South Ural State University"


def test_research_institute_is_not_a_university():
    line = ("Director of Institute for Demographic Research of the Federal Center of Theoretical and "
            "Applied Sociology of RAS (Moscow, Russia)")  # corpus 002
    assert _spans(line, "en", "UNIVERSITY") == []


def test_list_of_universities_is_split_at_and():
    line = "Moscow State Institute of International Relations and Russian Academy of National Economy and Public Administration."
    assert _spans(line, "en", "UNIVERSITY") == [
        "Moscow State Institute of International Relations",
        "Russian Academy of National Economy and Public Administration"]


def test_russian_and_kazakh_university_names():
    ru = "Президент посетил Казахский национальный университет имени аль-Фараби."
    kk = "әл-Фараби атындағы Қазақ ұлттық университеті мен Мәскеу мемлекеттік университеті"
    assert _spans(ru, "ru", "UNIVERSITY") == ["Казахский национальный университет имени аль-Фараби"]
    assert _spans(kk, "kk", "UNIVERSITY") == ["әл-Фараби атындағы Қазақ ұлттық университеті",
                                               "Мәскеу мемлекеттік университеті"]


def test_forty_agreements_on_cooperation_is_a_non_specific_agreement():
    line = "Within the framework of the forum, 40 agreements on cooperation were concluded"  # corpus 004
    rules = [r for r in find_rule_mentions(line, "en") if r.label == "AGREEMENT"]
    assert [(line[r.start:r.end], r.specific) for r in rules] == [("40 agreements on cooperation", False)]


def test_law_with_a_quoted_title_is_a_specific_agreement():
    line = "Therefore, the law ‘On the status of the pedagogue’ was approved in recent months"  # corpus 001
    rules = [r for r in find_rule_mentions(line, "en") if r.label == "AGREEMENT"]
    assert [(line[r.start:r.end], r.specific) for r in rules] == [("law ‘On the status of the pedagogue’", True)]


def test_numbered_law_and_russian_law_with_title_are_specific():
    en = "on the basis of the law of the Republic of Kazakhstan dated February 9, 2015 No. 285-V [9]."
    ru = "Закон Республики Казахстан от 27 июля 2007 года № 319-III «Об образовании» регулирует отношения."
    assert "law of the Republic of Kazakhstan dated February 9, 2015 No. 285-V" in _spans(en, "en", "AGREEMENT")
    assert "Закон Республики Казахстан от 27 июля 2007 года № 319-III «Об образовании»" in _spans(ru, "ru", "AGREEMENT")


def test_kazakh_law_title_before_the_head_word():
    kk = "«Білім туралы» Қазақстан Республикасының Заңы қабылданды."
    assert _spans(kk, "kk", "AGREEMENT") == ["«Білім туралы» Қазақстан Республикасының Заңы"]


def test_initials_and_surname_are_a_person_but_not_when_inside_a_university_name():
    line = "Russian demographer L.L.Rybakovsky classifies the types of migration"  # corpus 002
    assert _spans(line, "en", "PERSON") == ["L.L.Rybakovsky"]


def test_chunks_cover_the_text_exactly_and_cut_after_sentences():
    text = "Kazakhstan and China cooperate. " * 50
    pieces = chunk_text(text, 100)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 100 for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)
    assert all(p.endswith(". ") for _, p in pieces[:-1])


def test_a_single_word_longer_than_the_window_is_cut_hard():
    pieces = chunk_text("x" * 250, 100)
    assert [len(p) for _, p in pieces] == [100, 100, 50]


def test_references_heading_starts_the_reference_section():
    texts = ["Body text about MGIMO.", "#### **REFERENCES:**", "- 1. Eisenstadt S.N. (1952)."]
    assert sections_for_document(texts) == [None, 0, 0]
    assert references_start("Использованные источники:") == 0
    assert references_start("The references below") is None


@pytest.mark.parametrize("text", ["MIGRATION", "Kazakhs", "Аннотация", "V.Yu", "Engineering", "MISIS «Shanyrak",
                                  "https://doi.org/10.52536/2788-5909.2022-3.04"])
def test_headings_demonyms_fragments_and_urls_are_not_people(text):
    assert not plausible_person(text, text, 0, len(text))


def test_a_quoted_name_is_an_organisation_not_a_person():
    line = "3. Kazakhstan community «Sana» in Moscow State Institute of International Relations"  # corpus 002
    start = line.index("Sana")
    assert not plausible_person("Sana", line, start, start + 4)
    assert plausible_person("Takir Balykbayev", "Rector Takir Balykbayev noted", 7, 23)


def test_romanized_russian_or_kazakh_name_is_a_person_by_its_surname_suffix():
    line = "The Russian ‘polit-technologist’ Aleksej Babočkin, an expert at the Moscow ‘Royal Policy Fund’"  # corpus 001
    assert _spans(line, "en", "PERSON") == ["Aleksej Babočkin"]
    assert _spans("But Hantuchova won the match.", "en", "PERSON") == []


def test_kazakh_case_suffixes_after_a_surname_do_not_change_the_person_key():
    assert person_key("М. Д. Исаеваға") == person_key("Исаева") == person_key("Isayeva")
    assert person_key("Дулатовтың") == person_key("Дулатов")


def test_an_academy_of_sciences_is_not_a_university():
    assert _spans("Институт Российской академии наук провёл опрос.", "ru", "UNIVERSITY") == []
    assert _spans("Russian Academy of Sciences", "en", "UNIVERSITY") == []
    assert _spans("Russian Academy of National Economy and Public Administration", "en", "UNIVERSITY") == [
        "Russian Academy of National Economy and Public Administration"]


def test_gazetteer_matches_russian_case_forms_of_every_word(gazetteer):
    text = "решение Европейского союза и Московского государственного университета"
    assert [(text[m.start:m.end], m.entry.id) for m in gazetteer.find(text)] == [
        ("Европейского союза", "org:eu"), ("Московского государственного университета", "univ:msu")]


def test_place_words_and_trailing_punctuation_are_trimmed_from_a_person_span():
    from pipeline.entities.filters import trim_person

    line = "Al-Farabi Kazakh National University Almaty, Kazakhstan Zhu Ran Master"  # corpus 003
    start = line.index("Kazakhstan Zhu")
    s, e = trim_person(line, start, start + len("Kazakhstan Zhu Ran"))
    assert line[s:e] == "Zhu Ran"
    ref = "Dustmann C., Fadlon I."
    assert ref[slice(*trim_person(ref, 0, 12))] == "Dustmann C."


@pytest.mark.parametrize("name", ["Institute for Supply Management", "Chartered Institute of Purchasing and Supply",
                                  "Институт ядерной физики", "Казахстанской национальной академии естественных наук"])
def test_research_and_professional_institutes_are_not_universities(name):
    from pipeline.entities.rules import looks_like_university

    assert not looks_like_university(name)
    assert _spans(name, "ru", "UNIVERSITY") == []


def test_adjective_first_institutes_and_universities_with_research_in_the_name_are_universities():
    from pipeline.entities.rules import looks_like_university

    assert all(looks_like_university(n) for n in ("Московский авиационный институт", "Moscow Aviation Institute",
                                                  "National Research University Higher School of Economics"))
