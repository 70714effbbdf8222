"""Keep benchmarks/extraction.py runnable: score our extractor on a few phrases.

Only our extractor runs here, so the alternatives of requirements/bench.txt
need not be installed; nothing about speed is asserted.
"""

from __future__ import annotations

from benchmarks import extraction


def test_accuracy_of_ours_on_twenty_phrases() -> None:
    cases = extraction.load_cases()
    sample = cases[:10] + cases[-10:]

    scores = extraction.accuracy(extraction.ours(), sample)

    assert set(scores) == {dimension.name for dimension in extraction.DIMENSIONS}
    for score in scores.values():
        assert 0 <= score.correct <= score.total
        assert len(score.misses) == score.total - score.correct
        assert 0.0 <= score.rate <= 1.0
    assert scores["budget"].total >= 10
    assert scores["timing"].total >= 1


def test_cases_carry_their_sections() -> None:
    cases = extraction.load_cases()

    sections = {case.section for case in cases}

    assert len(cases) > 300
    assert {"timing", "authority", "need", "company size"} <= sections
