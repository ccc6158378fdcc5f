"""The newest answer per subject is the person's current word (koers.lib.answers)."""

from koers.lib.answers import current_answers


def test_only_the_newest_answer_per_subject_counts():
    rows = [  # newest first: (id, subject, answer, rest…)
        (5, "decision 1", "eens", "d"),
        (4, "decision 1", "nog niet", "c"),
        (3, "decision 2", "nog niet", "b"),
        (2, "decision 2", "eens", "a"),
    ]
    assert current_answers(rows, wanted="nog niet") == {3: ("b",)}
    assert current_answers(rows, wanted="eens") == {5: ("d",)}
    assert current_answers([], wanted="eens") == {}
