"""Plain sentences: over each chapter's prose as a student meets it in the built book, no
sentence runs over 40 words and no chapter averages over 20 (tests/prose_stats.py counts them;
`make prose` prints the table)."""

from __future__ import annotations

from pathlib import Path

from tests.prose_stats import LONG, MOST_MEAN, ChapterStats, chapter_stats, sentences


def test_the_counter_splits_sentences_as_a_reader_does() -> None:
    block = r"A filter has \(k^2 C_{in}\) weights, i.e. one per product. So what? Simonyan et al. say so."
    assert sentences(block) == [
        "A filter has X weights, i.e one per product.",  # math is one word; "So what?" too short
        "Simonyan et al say so.",
    ]
    stats = ChapterStats("x", ("word " * (LONG + 1) + "end.", "Three words here."))
    assert stats.long_sentences() == ["word " * (LONG + 1) + "end."]
    assert stats.mean == (LONG + 2 + 3) / 2


def test_every_chapter_is_counted(book_html: Path) -> None:
    counted = [stats.name for stats in chapter_stats(book_html)]
    assert "intro" in counted and "convolution" in counted
    assert "api" not in counted and "references" not in counted


def test_no_sentence_runs_over_40_words_and_no_chapter_averages_over_20(book_html: Path) -> None:
    problems = []
    for stats in chapter_stats(book_html):
        for sentence in stats.long_sentences():
            problems.append(f"{stats.name}: {len(sentence.split())} words: {sentence}")
        if stats.mean > MOST_MEAN:
            problems.append(f"{stats.name}: sentences average {stats.mean:.1f} words")
    assert not problems, "\n".join(problems)
