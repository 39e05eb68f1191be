"""Progress bars for operators (issue 18): on a terminal only, never in a page or a log."""
from __future__ import annotations

import io
import sys

from pbapp import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:  # tqdm asks the terminal's width through it
        raise io.UnsupportedOperation


def test_rows_are_counted_on_a_terminal_when_asked(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert list(progress.rows(range(5), "Checking rows", shown=True)) == [0, 1, 2, 3, 4]
    assert "Checking rows:   0%|" in screen.getvalue() and "0/5" in screen.getvalue()


def test_nothing_is_drawn_unless_asked_or_off_a_terminal(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert list(progress.rows(range(3), "Checking rows")) == [0, 1, 2]
    assert screen.getvalue() == ""
    log = io.StringIO()  # not a terminal: a redirected log
    monkeypatch.setattr(sys, "stderr", log)
    assert list(progress.rows(range(3), "Checking rows", shown=True)) == [0, 1, 2]
    bar = progress.steps(2, "Seeding the demo city")
    bar.update(2)
    bar.close()
    assert log.getvalue() == ""


def test_the_measurement_import_counts_its_rows_for_the_cli(app, monkeypatch):
    from pbapp.metrics.importer import parse
    from pbapp.metrics.services import Lookup

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    data = "metric,scope,period_start,period_end,value\n" + "nope,city,2026-01-01,2026-03-31,4\n"
    try:
        parse(data, Lookup.load(), progress=True)
    except Exception:  # the metric is unknown: refused after every row was checked
        pass
    assert "Checking rows" in screen.getvalue()
