"""Cleaning and paragraph assembly, on what the seed documents actually contain."""

import pytest

from pipeline.ingest.paragraphs import keep_hyphen
from pipeline.ingest.passages import passages_from_text
from tests.fixtures.ingest.corpus_builder import DEJAVU, make_pdf, seed_line


def texts(source: str, **kwargs) -> list[str]:
    return [p.text for p in passages_from_text("doc", source, **kwargs)]


def test_markdown_heading_markers_are_removed_and_the_heading_kept():
    assert texts("#### Бибіназ Әлманова, Лейла Деловарова, Сергей Рязанцев\n") == [
        "Бибіназ Әлманова, Лейла Деловарова, Сергей Рязанцев"]


def test_heading_is_its_own_passage_kind():
    passages = passages_from_text("doc", "# Data and methods.\n\nCurrently, within the framework.")
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "Data and methods."), ("text", "Currently, within the framework.")]


def test_emphasis_markers_are_removed():
    assert texts("**Abstract.** In the context of global changes.") == [
        "Abstract. In the context of global changes."]
    assert texts("*Түйін сөздер:* жастардың білім көші-қоны") == ["Түйін сөздер: жастардың білім көші-қоны"]
    assert texts("#### **REFERENCES:**") == ["REFERENCES:"]


def test_escaped_underscore_is_unescaped():
    line = seed_line("002", "- Posol'stvo Respubliki Kazahstan v Rossiiskoi Federacii. O kazahstanskom studenchestve v Rossii [")
    assert "spisok_obsh_organizacii_studen" in texts(line)[0]


def test_list_markers_are_removed_but_numbers_kept():
    assert texts("- 1. Eisenstadt S.N. (1952). Institutionalization of immigrant behavior.") == [
        "1. Eisenstadt S.N. (1952). Institutionalization of immigrant behavior."]
    assert texts("• independent Russian universities for training foreign students.") == [
        "independent Russian universities for training foreign students."]


def test_footnote_superscripts_are_removed():
    assert texts("# Bibinaz Almanova<sup>1</sup>,") == ["Bibinaz Almanova,"]


def test_double_escaped_footnote_mark_is_removed():
    assert texts("<sup>&</sup>lt;sup>1</sup>E-mail: Balmanova.kz@gmail.com") == ["E-mail: Balmanova.kz@gmail.com"]


def test_html_entities_are_decoded():
    assert texts("Rectors &amp; universities &laquo;Tulpar&raquo; &#8212; 2017") == [
        "Rectors & universities «Tulpar» — 2017"]


def test_runs_of_spaces_collapse():
    line = seed_line("004", "The forum of")  # non-breaking spaces and doubled spaces in the seed
    assert texts(line) == ["The forum of rectors of Russian and Kazakhstan universities in Chelyabinsk"]


def test_word_hyphenated_across_a_line_break_is_rejoined():
    source = ("The main structure that characterizes the new society is the educa-\n"
              "tion of young people in universities of the two countries and the regions.")
    assert texts(source, wrapped=True) == [
        "The main structure that characterizes the new society is the education of young people "
        "in universities of the two countries and the regions."]


def test_real_compound_keeps_its_hyphen_across_a_line_break():
    source = ("Education migration influences the socio-economic life of society and the socio-\n"
              "economic and political spheres of both countries and their regions alike.")
    assert "the socio-economic and political spheres" in texts(source, wrapped=True)[0]


def test_hyphen_decision_uses_compound_prefixes_and_the_document_itself():
    assert keep_hyphen("socio", "economic", set())
    assert keep_hyphen("социально", "экономический", set())
    assert not keep_hyphen("educa", "tion", set())
    assert keep_hyphen("Kyzyl", "Ordin", {"kyzyl-ordin"})


def test_real_hyphen_inside_a_line_is_kept():
    assert texts("the socio-economic and political spheres.") == ["the socio-economic and political spheres."]


def test_page_numbers_alone_on_a_line_are_dropped():
    source = ("The heads of 77 Russian universities took part.\n\n12\n\n- 13 -\n\nPage 14 of 30\n\nстр. 15\n\n"
              "16-бет\n\nThe main goal.")
    assert texts(source) == ["The heads of 77 Russian universities took part.", "The main goal."]


def test_repeated_running_header_is_dropped():
    header = "Journal of Central Asian Studies. Vol. 3, 2022"
    body = [seed_line("003", f) for f in ("Kazakhstan and China encounter", "The educational innovation collab",
                                           "It is vital", "The collaborative educational")]
    source = "\n\n".join(f"{header}\n\n{paragraph}" for paragraph in body)
    result = texts(source)
    assert header not in result
    assert len(result) == 4


def test_running_header_with_page_numbers_is_dropped_at_page_edges():
    pages = [f"Vestnik KazNU, No. 3 ({n})\n{seed_line('001', 'Over the past five years')}" for n in range(40, 44)]
    result = texts("\f".join(pages))
    assert all("Vestnik" not in t for t in result)
    assert len(result) == 4


def test_short_unique_title_is_kept():
    assert texts("Photo: Flickr / Aliaskarov Danial") == ["Photo: Flickr / Aliaskarov Danial"]


def test_paragraph_broken_across_a_page_break_is_joined():
    source = ("The second largest group of Kazakhstanis who do not live in their homeland are labor emigrants. "
              "They are those who, without renouncing their citizenship of the Republic\n\n\n\n"
              "of Kazakhstan, go to work in Russia, Greece, Turkey.")
    assert texts(source) == [
        "The second largest group of Kazakhstanis who do not live in their homeland are labor emigrants. "
        "They are those who, without renouncing their citizenship of the Republic of Kazakhstan, go to work "
        "in Russia, Greece, Turkey."]


def test_paragraph_ending_with_a_full_stop_is_not_joined_to_a_lowercase_line():
    source = "Education is a key element of cooperation.\n\nwithin the framework of agreements;"
    assert len(texts(source)) == 2


def test_heading_without_final_punctuation_is_not_joined_to_the_next_paragraph():
    assert len(texts("# Data and methods\n\ncurrently, within the framework")) == 2


def test_footnote_between_the_halves_of_a_paragraph_moves_after_it():
    source = ("**Abstract.** In conditions of fierce competition it is important for our state to\n\n"
              "<sup>&</sup>lt;sup>1</sup>E-mail: Balmanova.kz@gmail.com\n\n"
              "regulate educational migration in the international market.")
    passages = passages_from_text("doc", source)
    assert [(p.kind, p.text) for p in passages] == [
        ("text", "Abstract. In conditions of fierce competition it is important for our state to regulate "
                 "educational migration in the international market."),
        ("footnote", "E-mail: Balmanova.kz@gmail.com"),
    ]


def test_one_paragraph_per_line_text_joins_a_line_broken_mid_sentence():
    source = "\n".join([
        seed_line("003", "Kazakhstan and China encounter numerous"),
        seed_line("003", "scarce."),
        seed_line("003", "The educational innovation collaboration"),
    ])
    result = texts(source)
    assert len(result) == 2
    assert "where such resources are scarce. Such constraints" in result[0]


def test_one_paragraph_per_line_text_keeps_a_truncated_heading_separate():
    source = "Current State of Educational Cooperation between Kazakhstan and\n" + seed_line("003", "Significant")
    assert texts(source)[0] == "Current State of Educational Cooperation between Kazakhstan and"


def test_section_label_glued_to_the_previous_word_starts_a_new_passage():
    source = "\n".join(seed_line("000", s) for s in ("DOI:", "https://doi.org", "education, Republic"))
    result = texts(source)
    assert result[:3] == ["DOI: https://doi.org/10.48371/ISMO.2023.52.2.011",
                          "Keywords: education, Republic of Kazakhstan, Russian Federation, international "
                          "cooperation, education system, university, training of specialists, students",
                          "Abstract"]


def test_hard_wrapped_text_is_rejoined_into_paragraphs():
    paragraph = seed_line("001", "It also seeks to raise the prestige")
    words, lines, line = paragraph.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > 60:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    source = "\n".join(lines) + "\n\n" + "\n".join(lines)
    assert texts(source, repeated_line_min_count=0) == [paragraph, paragraph]


def test_invisible_characters_and_non_breaking_spaces_are_cleaned():
    assert texts("Abai\u00a0Kazakh National\u00adPedagogical\u200b University") == [
        "Abai Kazakh NationalPedagogical University"]


def test_decomposed_accents_are_composed():
    assert texts("Baboc\u030ckin") == ["Babočkin"]


def test_separator_lines_are_not_passages():
    assert texts("First part.\n\n* * *\n\n---\n\nSecond part.") == ["First part.", "Second part."]


def test_one_sentence_per_line_text_is_not_mistaken_for_hard_wrapping():
    sentences = [seed_line("001", p) for p in ("As Education Minister", "It also seeks", "Today in Kazakhstan")]
    short = [s.split(", ")[0].rstrip(".") + "." for s in sentences] * 3
    assert texts("\n".join(short), repeated_line_min_count=0) == short


def test_lines_repeated_inside_hard_wrapped_paragraphs_are_not_furniture():
    import textwrap

    paragraph = seed_line("002", "The concept of «youth»")
    source = "\n\n".join("\n".join(textwrap.wrap(paragraph, 70)) for _ in range(3))
    assert texts(source) == [paragraph] * 3


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu Sans font")
def test_pdf_running_header_on_every_page_is_dropped():
    from pipeline.ingest.passages import passages_from_lines
    from pipeline.ingest.readers import read_document

    body = [seed_line("001", p) for p in ("Over the past five years", "In 2023-2024 alone", "The digital infrastructure")]
    pages = [[f"Vestnik KazNU. International Relations Series. No. {n}", text] for n, text in enumerate(body, 3)]
    document = read_document(make_pdf(pages), "pdf")
    result = [p.text for p in passages_from_lines("d", document.lines, wrapped=document.wrapped)]
    assert result == body


def test_markdown_front_matter_and_code_fences_are_not_passages():
    source = "---\ntitle: Forum of rectors\nyear: 2017\n---\n\n# Forum\n\n```\nSUSU | 6\n```\n"
    assert texts(source) == ["Forum", "SUSU | 6"]


def test_pdf_ligatures_are_spelled_out():
    assert texts("The ﬁrst studies of educational migration were ﬂawed.") == [
        "The first studies of educational migration were flawed."]


def test_soft_hyphen_at_a_line_end_rejoins_the_word():
    source = ("The first studies of educational migration appeared in the works of scientists from the educa\u00ad\n"
              "tion systems of the United States and Great Britain in the middle of the twentieth century.")
    assert "from the education systems" in texts(source, wrapped=True)[0]


def test_footnote_marked_with_a_superscript_digit_moves_after_the_paragraph_it_interrupts():
    source = ("In conditions of fierce competition it is important for our state to\n\n"
              "¹ E-mail: Balmanova.kz@gmail.com\n\n"
              "regulate educational migration in the international market.")
    passages = passages_from_text("doc", source, markup=False)
    assert [p.kind for p in passages] == ["text", "footnote"]
    assert passages[1].text == "¹ E-mail: Balmanova.kz@gmail.com"


def test_hyphen_before_a_capital_or_digit_at_a_line_break_is_a_compound():
    source = ("During last year's meeting a decision was made to build three Russian schools in the Kyzyl-\n"
              "Orda and Žambyl regions in 2023-\n2024 where there is a serious shortage of educational institutions.")
    assert "in the Kyzyl-Orda and Žambyl regions in 2023-2024 where" in texts(source, wrapped=True)[0]
