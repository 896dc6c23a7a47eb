"""Bad input: lines without words, huge lines, broken Unicode; the tool reads every line of a file."""

import json
import time

import pytest

from pipeline.__main__ import main
from pipeline.language.identify import LanguageIdentifier, clean_text
from pipeline.language.segments import split_sentences

KAZAKH = "Аңдатпа. Жаһандық өзгерістер жағдайында жастардың жоғары білімді шетелде игеруі трендке айналуда."


@pytest.fixture(scope="module")
def ident():
    return LanguageIdentifier()


@pytest.mark.parametrize("text", ["0123456789", "2018 10 19 30", "https://www.gov.kz/memleket/entities/edu?lang=kk",
                                  "www.gov.kz", "enbek.kz", "doi:10.1000/xyz123", "10.48371/ISMO.2023.52.2.011",
                                  "😀🎉👍", "🇰🇿🇷🇺🇨🇳", "!!! ... ???", "— • — ¶ §", "«»()[]{}", "ⅫⅣ"])
def test_lines_without_words_are_und_with_no_confidence(ident, text):
    result = ident.identify(text)
    assert (result["lang"], result["confidence"]) == ("und", 0.0)


def test_a_one_megabyte_line_is_identified_quickly(ident):
    line = " ".join([KAZAKH] * 11_000)
    assert len(line) > 1_000_000
    started = time.perf_counter()
    assert ident.identify(line)["lang"] == "kk"
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("text", ["x" * 1_000_000, "а" * 100_000])
def test_a_run_of_letters_too_long_to_be_a_word_is_und(ident, text):
    assert ident.identify(text)["lang"] == "und"


def test_lone_surrogates_and_control_characters_do_not_stop_identification(ident):
    broken = "Образование\ud800 в Казахстане\x00 продолжает\x1b развиваться."
    result = ident.identify(broken)
    assert result["lang"] == "ru"
    assert ident.identify("\udc80\ud83d")["lang"] == "und"


def test_cleaning_keeps_offsets_valid():
    text = "a\ud800b\x07c\td\ne"
    assert clean_text(text) == "a\ufffdb c\td\ne"
    assert len(clean_text(text)) == len(text)


def test_detect_language_reads_past_a_line_that_is_not_utf8(tmp_path, capsys):
    source = tmp_path / "lines.txt"
    source.write_bytes(b"The article examines migration.\n" + b"broken \xed\xa0\x80 surrogate\n"
                       + (KAZAKH + "\n").encode() + b"\xff\xfe\n" + "Ещё одна строка на русском языке.\n".encode())
    assert main(["detect-language", str(source), "--params", str(tmp_path / "absent.yaml")]) == 0
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["lang"] for r in records] == ["en", "und", "kk", "und", "ru"]
    assert "line 2" in records[1]["error"] and "line 4" in records[3]["error"]
    assert "error" not in records[0]
    assert "line 2" in captured.err and "line 4" in captured.err


def test_detect_language_splits_lines_at_line_feeds_only(tmp_path, capsys):
    source = tmp_path / "lines.txt"
    source.write_text("first\x1cpart\u2028same line\r\nsecond line\n", encoding="utf-8")
    assert main(["detect-language", str(source), "--params", str(tmp_path / "absent.yaml")]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_segments_use_ingests_abbreviation_aware_sentences():
    text = "Проф. А.З. Иванов т.е. руководитель. Prof. K. K. Tokayev visited the university in 2019."
    assert [s.text for s in split_sentences(text)] == [
        "Проф. А.З. Иванов т.е. руководитель.", "Prof. K. K. Tokayev visited the university in 2019."]


def test_a_line_break_always_ends_a_sentence():
    assert [s.text for s in split_sentences("Title without a full stop\nBody text.")] == [
        "Title without a full stop", "Body text."]
