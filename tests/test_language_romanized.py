"""Romanized Russian: transliteration conventions and the committed character model."""

from pathlib import Path

from pipeline.language.charnb import CharNgramNB
from pipeline.language.romanized import transliterate_kazakh, transliterate_russian

REPO = Path(__file__).resolve().parents[1]


def test_library_of_congress_romanization():
    assert transliterate_russian("Классификация миграции", "loc") == "Klassifikatsiia migratsii"


def test_gost_romanization_keeps_case():
    assert transliterate_russian("Щука и Цапля", "gost-7.79-b") == "Shhuka i Czaplya"


def test_scholarly_romanization_uses_diacritics():
    assert transliterate_russian("Независимая газета", "iso9-scholarly") == "Nezavisimaja gazeta"
    assert transliterate_russian("Бабочкин", "iso9-scholarly") == "Babočkin"


def test_informal_romanization_is_deterministic_per_sentence():
    text = "О государственной молодежной политике"
    assert transliterate_russian(text, "informal") == transliterate_russian(text, "informal")


def test_kazakh_official_latin_alphabet():
    assert transliterate_kazakh("Қазақстан", "official-2021") == "Qazaqstan"
    assert transliterate_kazakh("тіл", "official-2021") == "tıl"


def test_committed_model_tells_romanized_russian_from_english():
    model = CharNgramNB.load(REPO / "models/langid/romanized.npz")
    found = model.predict(["osnovaniya i taksony", "migration classification: bases and taxa",
                           "O gosudarstvennoi molodezhnoi politike"])
    assert found == ["ru-Latn", "en", "ru-Latn"]


def test_model_round_trips_through_its_file(tmp_path):
    model = CharNgramNB.fit(["zakon respubliki", "the law of the republic"] * 2, ["ru-Latn", "en"] * 2, min_count=1)
    model.save(tmp_path / "m.npz")
    again = CharNgramNB.load(tmp_path / "m.npz")
    assert again.predict(["zakon"]) == model.predict(["zakon"]) == ["ru-Latn"]
    assert (again.keys == model.keys).all()
