"""Encoding detection: each encoding scholars' files arrive in, on real corpus lines."""

import codecs

import pytest

from pipeline.ingest.encoding import decode_bytes, decode_with, plausibility
from pipeline.ingest.problems import DocumentProblem
from tests.fixtures.ingest.corpus_builder import ENGLISH, KAZAKH, RUSSIAN

MIXED = f"{ENGLISH}\n\n{RUSSIAN}\n\n{KAZAKH}\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (MIXED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + MIXED.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + MIXED.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + MIXED.encode("utf-16-be"), "utf-16"),
        (MIXED.encode("utf-16-le"), "utf-16-le"),
        (MIXED.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_unicode_encodings_are_detected_and_decode_to_the_original_text(raw, expected):
    decoded = decode_bytes(raw)
    assert decoded.encoding == expected
    assert decoded.text == MIXED
    assert raw.decode(decoded.encoding) == decoded.text


def test_russian_windows_1251_is_read_as_cp1251():
    decoded = decode_bytes(f"{RUSSIAN}\n{ENGLISH}\n".encode("cp1251"))
    assert decoded.encoding == "cp1251"
    assert decoded.text.startswith("Аннотация. В условиях глобальных")


def test_kazakh_kz1048_is_read_as_kz1048_not_cp1251():
    decoded = decode_bytes(KAZAKH.encode("kz1048"))
    assert decoded.encoding == "kz1048"
    assert decoded.text == KAZAKH  # ә, ғ, қ, ң, ө, ұ, ү, һ, і all intact


def test_russian_with_guillemets_and_numero_stays_cp1251():
    line = "Закон Республики Казахстан № 151-I «О языках» — 1997 г."
    assert decode_bytes(line.encode("cp1251")).encoding == "cp1251"


def test_kazakh_reading_wins_by_plausible_words_not_by_order():
    raw = KAZAKH.encode("kz1048")
    as_kazakh = plausibility(raw.decode("kz1048"), "kz1048")
    as_russian_codepage = plausibility(raw.decode("cp1251"), "cp1251")
    assert as_kazakh > as_russian_codepage


def test_western_european_text_is_read_as_cp1252():
    line = "Coopération éducative entre le Kazakhstan et la Chine: université, réformes."
    decoded = decode_bytes(line.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("cp1252", line)


def test_chinese_gb18030_is_detected():
    line = "哈萨克斯坦与中国的教育合作：管理战略。两国在高等教育领域开展了学术交流。"
    decoded = decode_bytes(line.encode("gb18030"))
    assert (decoded.encoding, decoded.text) == ("gb18030", line)


def test_empty_file_is_refused():
    with pytest.raises(DocumentProblem, match="empty"):
        decode_bytes(b" \n\r\n ")


def test_nul_bytes_that_are_not_utf16_mean_binary():
    with pytest.raises(DocumentProblem, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03abc\x00\x00\x00\x10\x11" * 20)


def test_known_binary_signature_is_named():
    with pytest.raises(DocumentProblem, match="PNG image"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))


def test_control_characters_in_valid_utf8_mean_binary():
    with pytest.raises(DocumentProblem, match="control characters"):
        decode_bytes(("\x01\x02\x03\x04\x05" * 50).encode())


def test_bytes_no_candidate_reads_plausibly_are_undecodable():
    garbage = bytes([0xC3, 0x28, 0xA0, 0xA1, 0x8D, 0x9E, 0xBC, 0xBD]) * 40
    with pytest.raises(DocumentProblem, match="encoding could not be recognised"):
        decode_bytes(garbage)


def test_a_named_encoding_overrides_detection():
    decoded = decode_with(RUSSIAN.encode("cp1251"), "cp1251")
    assert decoded.text == RUSSIAN


def test_an_unknown_named_encoding_is_reported():
    with pytest.raises(DocumentProblem, match="does not know"):
        decode_with(b"text", "klingon-8")


def test_english_with_only_curly_quotes_in_windows_1251_is_decoded():
    line = f"“{ENGLISH}” – the rector’s words."
    decoded = decode_bytes(line.encode("cp1251"))
    assert decoded.text == line


def test_curly_quotes_do_not_make_english_look_chinese():
    line = "It’s the rector’s view that “academic mobility” matters."
    assert decode_bytes(line.encode("cp1251")).encoding == "cp1251"


def test_cyrillic_utf16_without_bom_is_detected_despite_few_nul_bytes():
    assert decode_bytes(KAZAKH.encode("utf-16-le")).encoding == "utf-16-le"
    assert decode_bytes(RUSSIAN.encode("utf-16-be")).encoding == "utf-16-be"


def test_english_with_a_cyrillic_lookalike_letter_stays_windows_1251():
    line = f"Тoday {ENGLISH}"  # the first letter is Cyrillic Т, as typed in a real government release
    assert decode_bytes(line.encode("cp1251")).text == line


def test_french_accents_still_read_as_windows_1252():
    line = "Le café de l'université: coopération éducative."
    assert decode_bytes(line.encode("cp1252")).encoding == "cp1252"


SOVIET_ERA = ["koi8_r", "cp866", "mac_cyrillic", "iso8859_5"]


@pytest.mark.parametrize("codec", SOVIET_ERA)
def test_soviet_era_code_pages_are_detected(codec):
    from tests.fixtures.ingest.corpus_builder import RUSSIAN

    decoded = decode_bytes(RUSSIAN.encode(codec))
    assert decoded.text == RUSSIAN


def test_koi8_r_is_not_read_as_windows_1251():
    text = "В условиях глобальных изменений образование за рубежом становится трендом."
    assert decode_bytes(text.encode("koi8_r")).encoding == "koi8_r"
    assert decode_bytes(text.encode("cp1251")).encoding == "cp1251"


def test_text_that_is_garbled_in_every_code_page_is_refused_naming_the_likeliest():
    # Russian letters scrambled so that no single-byte code page reads them as Russian.
    scrambled = bytes(b ^ 0x15 if b >= 0xC0 else b for b in
                      "Образование и наука в Казахстане и России: сотрудничество университетов".encode("cp1251"))
    with pytest.raises(DocumentProblem, match=r"garbled text in every encoding tried.*likeliest are"):
        decode_bytes(scrambled * 3)


def test_utf8_that_was_already_mojibake_is_refused():
    garbled = "Сотрудничество университетов Казахстана и России".encode().decode("cp1252", "replace")
    with pytest.raises(DocumentProblem, match="already garbled"):
        decode_bytes(garbled.encode("utf-8"))


def test_a_gb2312_label_decodes_as_gb18030_like_browsers_do():
    text = "朱镕基 合作协议 Kazakhstan 与 中国 大学 合作"  # 镕 is GBK, not GB2312
    assert decode_with(text.encode("gb18030"), "gb2312").text == text


def test_windows_1251_russian_with_capitals_and_ya_is_not_read_as_maccyrillic():
    text = ("Моя страна — Казахстан. Министерство образования и науки сообщает, что вся программа "
            "обмена студентами продолжается. Представители университетов встретятся в Москве.")
    assert decode_bytes(text.encode("cp1251")).text == text
    assert decode_bytes(text.encode("mac_cyrillic")).text == text
