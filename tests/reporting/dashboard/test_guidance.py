"""The ASCO 2021 notes by irAE category and grade (decision support for staff)."""

from __future__ import annotations

from django.utils.functional import Promise

from reporting.guidance import CATEGORY_LABELS, guidance_for
from reporting.triage import IRAE_CATEGORIES, LAB_IRAE_CATEGORIES


def lines(category: str, grade: int | None) -> list[str]:
    [note] = guidance_for([(category, grade)])
    return [str(line) for line in note.lines]


def test_every_engine_category_has_a_staff_label() -> None:
    # Symptoms' categories and the lab results' (which add blood cells).
    assert set(CATEGORY_LABELS) == set(IRAE_CATEGORIES) | set(LAB_IRAE_CATEGORIES)


def test_grade_by_grade_principles() -> None:
    assert lines("hepatic", 1) == ["Grade 1: continue immunotherapy with close monitoring."]
    assert "usually hold immunotherapy" in lines("dermatologic", 2)[0]
    assert "hold immunotherapy and start high-dose corticosteroids" in lines("pulmonary", 3)[0]
    assert lines("gastrointestinal", 4) == [
        "Grade 4: in general, permanently discontinue immunotherapy."
    ]


def test_endocrine_grade_4_keeps_the_hormone_replacement_exception() -> None:
    [line] = lines("endocrine", 4)
    assert "except for endocrine events controlled by hormone replacement" in line
    assert "except" not in lines("renal", 4)[0]


def test_cardiac_and_neurologic_grade_1_carry_the_hold_exception() -> None:
    for category in ("cardiac", "neurologic"):
        assert len(lines(category, 1)) == 2
        assert "even at grade 1" in lines(category, 1)[1]
    assert len(lines("musculoskeletal", 1)) == 1


def test_lab_graded_symptoms_ask_for_a_grade_first() -> None:
    assert "grade it first" in lines("hepatic", None)[0]


def test_highest_grade_of_a_category_decides_and_one_note_per_category() -> None:
    notes = guidance_for(
        [("gastrointestinal", 1), ("hepatic", None), ("gastrointestinal", 3), ("unknown", 2)]
    )
    assert [(note.category, note.grade) for note in notes] == [
        ("gastrointestinal", 3),
        ("hepatic", None),
    ]


def test_a_known_grade_wins_over_a_lab_graded_symptom_of_the_same_category() -> None:
    [note] = guidance_for([("endocrine", None), ("endocrine", 2)])
    assert note.grade == 2


def test_grade_0_with_a_flag_reads_as_grade_1() -> None:
    assert lines("pulmonary", 0) == lines("pulmonary", 1)


def test_notes_are_marked_for_translation_and_rendered_lazily() -> None:
    [note] = guidance_for([("hepatic", 1)])
    assert isinstance(note.label, Promise)
    assert all(isinstance(line, Promise) for line in note.lines)
