"""The progress bar: drawn on a terminal only, ending with a newline."""

from __future__ import annotations

import io

import pytest

from derive.grading.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream", "drawn"), [(Terminal(), True), (io.StringIO(), False)])
def test_the_bar_is_drawn_only_on_a_terminal(stream: io.StringIO, drawn: bool) -> None:
    bar = Progress(3, stream=stream)
    for _ in range(3):
        bar.advance()
    bar.close()
    text = stream.getvalue()
    assert ("3/3 [" + "#" * 30 + "]" in text) is drawn
    assert text.endswith("\n") is drawn


def test_nothing_to_grade_draws_nothing() -> None:
    stream = Terminal()
    bar = Progress(0, stream=stream)
    bar.close()
    assert stream.getvalue() == ""
