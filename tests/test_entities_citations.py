"""The citation parser: reference entries in every common style, in-text citations, and what is not a person."""

from __future__ import annotations

from pipeline.entities.citations import (
    author_list,
    citation_people,
    entries,
    intext_authors,
    reference_authors,
)


def _names(text: str, found) -> list[str]:  # noqa: ANN001
    return [text[a.start:a.end] for a in found]


def test_apa_entry_with_editors_gives_authors_and_editors():
    line = ("- Beech, S. (2015). International Student Mobility: A Critical Overview. In: Abebe, T., Waters, J., "
            "Skelton, T. (eds) Labouring and Learning. Geographies of Children and Young People, vol 10.")
    assert _names(line, reference_authors(line, 0)) == ["Beech, S.", "Abebe, T.", "Waters, J.", "Skelton, T."]


def test_gost_entry_does_not_glue_initials_to_the_title():
    line = "1. Берниязова А. З. Всемирное распространение образовательных инноваций XXI века // 2018."
    assert _names(line, reference_authors(line, 0)) == ["Берниязова А. З."]


def test_gost_entry_with_two_authors_and_vancouver_initials():
    line = "5. Lee J. T., Lo W. Y. W., Abdrasheva D. Institutional logic meets global imagining // Higher Education. - 2021."
    assert _names(line, reference_authors(line, 0)) == ["Lee J. T.", "Lo W. Y. W.", "Abdrasheva D."]


def test_initials_first_and_full_names_before_a_year():
    line = "Helen D. Hazen, Heike C. Alberts. (2006). Visitors or immigrants? International students in the United States."
    assert _names(line, reference_authors(line, 0)) == ["Helen D. Hazen", "Heike C. Alberts"]


def test_chicago_first_author_surname_comma_firstname():
    line = "Laruelle, Marlene. Kazakhstan in the Making: Legitimacy, Symbols, and Social Changes. Lanham, 2016."
    assert _names(line, reference_authors(line, 0)) == ["Laruelle, Marlene"]


def test_words_of_a_title_are_not_authors():
    line = "- UNESCO Institute for Statistics. Global Flow of Tertiary-Level Students. [Electronic resource]"
    assert reference_authors(line, 0) == []
    assert author_list("Young People and Global Flow. London.", 0, 37, in_references=True) == []


def test_transliterated_and_kazakh_cyrillic_authors():
    text = ("References\nBejsembaev G. K., Džumabekova A. T. Obrazovatel'naja politika. Vestnik KazNU, 2018.\n"
            "Тоқаев Қ.-Ж. К. Жаңа Қазақстан // Егемен Қазақстан. – 2022.")
    assert _names(text, reference_authors(text)) == ["Bejsembaev G. K.", "Džumabekova A. T.", "Тоқаев Қ.-Ж. К."]


def test_numbered_entries_run_together_in_one_line_are_split():
    text = "1. Portes A. Immigration theory. Review, 1997. 2. King R., Raghuram P. Student migration. 2013."
    assert len(entries(text)) == 2
    assert _names(text, reference_authors(text, 0)) == ["Portes A.", "King R.", "Raghuram P."]


def test_in_text_citations_give_surnames():
    text = ("Studies (Marginson, 2016; Kuzhabekova & Lee, 2018) agree. As Silova et al. (2007) argue, and "
            "Рязанцев и Письменная (2015) confirm.")
    assert _names(text, intext_authors(text)) == ["Marginson", "Kuzhabekova", "Lee", "Silova", "Рязанцев", "Письменная"]


def test_running_text_line_is_not_read_as_a_reference():
    text = "Kazakhstan and China have a rich historical narrative and practical value in educational cooperation."
    assert citation_people(text) == []


def test_apostrophes_and_hyphens_in_surnames():
    line = "O'Brien, K. and Kassym-Jomartova, L. (2019) 'Student flows in Eurasia', in Huisman, J. and Tight, M. (eds) Theory."
    assert _names(line, reference_authors(line, 0)) == ["O'Brien, K.", "Kassym-Jomartova, L.", "Huisman, J.", "Tight, M."]
