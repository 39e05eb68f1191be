"""Numbers people type or import are ASCII digits within a stated range (issue 16).

Guards against a number the code reads one way and the database or the page another: "٥" read
as 5, "²" passing ``isdigit()`` and then raising in ``int()``, 4,301 digits past Python's
limit, a 24-digit count stored as a float that breaks number formatting on every page showing
it, and a CSV quote left open that swallows the rest of the file. Every one is refused in
words, with the line at fault for an import, and nothing is written.
"""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp import numbers
from pbapp.numbers import COUNT_MAX, DB_INT_MAX, NumberRefused

ASCII_WHOLE = re.compile(r"-?[0-9]+")
#: text that looks numeric to someone: ASCII and other digits, signs, points, spaces
NUMBERISH = st.text(alphabet=st.sampled_from("0123456789-+.,e ²³¹٥٠١۵߅０５\u00a0_"),
                    max_size=30)


# The helper ------------------------------------------------------------------------------------

def _accepts(text: str, low: int, high: int) -> int | None:
    try:
        return numbers.whole(text, low, high)
    except NumberRefused:
        return None


@given(st.one_of(st.text(max_size=40), NUMBERISH, st.integers().map(str)),
       st.sampled_from([(0, COUNT_MAX), (1, DB_INT_MAX), (1900, 2026), (-DB_INT_MAX, DB_INT_MAX)]))
def test_whole_accepts_exactly_ascii_digit_strings_in_range(text, limits):
    low, high = limits
    plain = ASCII_WHOLE.fullmatch(text) and (low < 0 or not text.startswith("-"))
    expected = int(text) if plain and low <= int(text) <= high else None
    assert _accepts(text, low, high) == expected


@given(st.text(alphabet="0123456789", min_size=4300, max_size=5000))
def test_whole_refuses_thousands_of_digits_without_raising_anything_else(text):
    with pytest.raises(NumberRefused, match="is not between"):
        numbers.whole(text.lstrip("0") or "1" + text)


@pytest.mark.parametrize("text", ["²", "٥", "١٩٩٠", "19²²", " 5", "5 ", "1_000", "1,000", "+5",
                                  "0x10", "5\n", "", "٥٥"])
def test_whole_refuses_what_int_would_read_or_choke_on(text):
    with pytest.raises(NumberRefused) as refused:
        numbers.whole(text)
    assert "digits 0 to 9" in str(refused.value)


def test_years_and_ids_have_their_ranges():
    assert numbers.year("1900", date(2026, 6, 1)) == 1900
    assert numbers.year("2026", date(2026, 6, 1)) == 2026
    for text in ("1899", "2027", "19²²", "١٩٩٠"):
        with pytest.raises(NumberRefused):
            numbers.year(text, date(2026, 6, 1))
    assert numbers.db_id("2147483647") == DB_INT_MAX
    assert [numbers.db_id(t) for t in ("0", "2147483648", "٥", None, "-1")] == [None] * 5
    assert numbers.page_number(None) == 1
    assert [numbers.page_number(t) for t in ("0", "", "²", "9" * 30)] == [None] * 4


@given(st.one_of(st.text(max_size=30), NUMBERISH))
def test_decimal_reads_only_plain_numbers(text):
    try:
        value = numbers.decimal(text, -1000, 1000, places=2)
    except NumberRefused:
        fraction = text.partition(".")[2].rstrip("0")
        assert not (numbers.is_plain_number(text) and len(fraction) <= 2
                    and -1000 <= Decimal(text) <= 1000)
    else:
        assert numbers.is_plain_number(text) and value == Decimal(text)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e3", "٥", "1.234", "²", "1,5"])
def test_decimal_refuses_floats_python_would_accept(text):
    with pytest.raises(NumberRefused):
        numbers.decimal(text, 0, 10**6, places=2)


def test_messages_do_not_repeat_a_whole_flood_of_text():
    with pytest.raises(NumberRefused) as refused:
        numbers.whole("x" * 100_000)
    assert len(str(refused.value)) < 120


def test_paper_serials_sort_whatever_they_hold():
    """``"²".isdigit()`` was true, so ``int("²")`` broke the batch's order."""
    from pbapp.paper.services import _serial_order

    serials = ["10", "9", "²", "٥", "A-1", "9" * 5000, "007"]
    assert sorted(serials, key=_serial_order)[:3] == ["007", "9", "10"]


# Forms -----------------------------------------------------------------------------------------

def test_a_birth_year_in_other_digits_is_a_form_error(client, csrf):
    from pbapp.auth.models import User
    from pbapp.extensions import db

    for year, message in (("19²²", "digits 0 to 9"), ("١٩٩٠", "digits 0 to 9"),
                          ("9" * 5000, "between 1900 and"), ("1850", "between 1900 and")):
        response = client.post("/auth/register", data={
            "csrf_token": csrf("/auth/register"), "name": "Rosa", "email": "rosa@example.org",
            "password": "correct horse battery", "confirm": "correct horse battery",
            "neighbourhood": "0", "birth_year": year})
        assert response.status_code == 200, year
        assert message in response.get_data(as_text=True), year
    for neighbourhood in ("٥", "9" * 40):
        response = client.post("/auth/register", data={
            "csrf_token": csrf("/auth/register"), "name": "Rosa", "email": "rosa@example.org",
            "password": "correct horse battery", "confirm": "correct horse battery",
            "neighbourhood": neighbourhood, "birth_year": ""})
        assert response.status_code == 200, neighbourhood
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_cycle_budget_past_the_database_integer_is_a_form_error(client, csrf, login,
                                                                 make_user):
    """The budget is stored in cents in an integer column: 30,000,000 was a DataError."""
    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db

    login(make_user(role="staff"))
    url = "/cycles/manage/new"
    for budget, threshold, message in (
            ("30000000", "", "Number must be at most 21474836"),
            ("9" * 40, "", "Number must be at most 21474836"),
            ("²", "", "“²” is not a whole number written with the digits 0 to 9"),
            ("٥٠٠", "", "“٥٠٠” is not a whole number"),
            ("1000", "9" * 12, "“999999999999” is not between 0 and 2,147,483,647"),
            ("1000", "-" + "9" * 12, "Number must be at least 0")):
        response = client.post(url, data={
            "csrf_token": csrf(url), "name": "Spring", "slug": "spring", "budget": budget,
            "method": "greedy", "max_ranks": "3", "seats": "1", "scoring": "k-points",
            "completion": "add1", "threshold": threshold})
        assert response.status_code == 200, budget
        assert message in response.get_data(as_text=True), (budget, threshold)
    assert db.session.scalar(select(func.count()).select_from(Cycle)) == 0


# Measurements: the form, the import and the CLI ------------------------------------------------

@pytest.fixture()
def catalogue(app):
    from pbapp.extensions import db
    from pbapp.metrics.models import Metric

    db.session.add_all([Metric(key="injuries", name="Injuries", kind="count"),
                        Metric(key="feel-safe", name="Feel safe", kind="percent")])
    db.session.commit()


HEADER = "metric,scope,scope_ref,period_start,period_end,value,numerator,denominator"


def _measurements() -> int:
    from pbapp.extensions import db
    from pbapp.metrics.models import Measurement

    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Measurement))


BAD_LINES = {
    "a 24-digit count": ("injuries,city,,2026-01-01,2026-03-31," + "1" * 24 + ",,",
                         "is not between 0 and 1,000,000,000,000"),
    "a 4,301-digit count": ("injuries,city,,2026-01-01,2026-03-31," + "1" * 4301 + ",,",
                            "is not between"),
    "a count in other digits": ("injuries,city,,2026-01-01,2026-03-31,٥,,", "digits 0 to 9"),
    "scope_ref ²": ("injuries,project,²,2026-01-01,2026-03-31,5,,", "not the id of a funded"),
    "scope_ref of 5,000 digits": ("injuries,project," + "9" * 5000 + ",2026-01-01,2026-03-31,5,,",
                                  "not the id of a funded"),
    "a numerator past the integer": ("feel-safe,city,,2026-01-01,2026-03-31,,2147483648,"
                                     "2147483649", "is not between 0 and 2,147,483,647"),
    "a value of nan": ("feel-safe,city,,2026-01-01,2026-03-31,nan,,", "is not a number"),
    "a date in other digits": ("injuries,city,,٢٠٢٦-01-01,2026-03-31,5,,",
                               "is not a date written YYYY-MM-DD"),
    "a control character": ("injuries,city,,2026-01-01,2026-03-31,5,,\x01",
                            "control character"),
}


def test_every_strange_number_in_an_import_is_named_by_line(app, catalogue):
    from pbapp.metrics.importer import ImportInvalid, parse
    from pbapp.metrics.services import Lookup

    lines = [line for line, _ in BAD_LINES.values()]
    with pytest.raises(ImportInvalid) as refused:
        parse("\n".join([HEADER, *lines]) + "\n", Lookup.load())
    problems = refused.value.problems
    assert len(problems) == len(BAD_LINES)
    for number, (name, (_, message)) in enumerate(BAD_LINES.items(), start=2):
        assert problems[number - 2].startswith(f"Line {number}:"), name
        assert message in problems[number - 2], (name, problems[number - 2])


def test_an_unterminated_quote_is_refused_not_read_to_the_end(app, catalogue):
    """Non-strict csv reads an open quote to the end of the file, swallowing every line."""
    from pbapp.metrics.importer import ImportInvalid, parse
    from pbapp.metrics.services import Lookup

    text = "\n".join([HEADER, "injuries,city,,2026-01-01,2026-03-31,5,,",
                      'injuries,city,,2026-04-01,2026-06-30,5,,"open',
                      "injuries,city,,2026-07-01,2026-09-30,5,,"]) + "\n"
    with pytest.raises(ImportInvalid) as refused:
        parse(text, Lookup.load())
    assert refused.value.problems[0].startswith("Line ")
    assert "not readable as CSV" in refused.value.problems[0]


def test_the_cli_import_names_the_problem_without_a_traceback(runner, catalogue, tmp_path):
    before = _measurements()
    for line, message in (BAD_LINES["scope_ref ²"], BAD_LINES["a 4,301-digit count"]):
        path = tmp_path / "m.csv"
        path.write_text(HEADER + "\n" + line + "\n")
        result = runner.invoke(args=["metrics", "import", str(path)])
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)  # a ClickException, not a crash
        assert "Line 2:" in result.output and message in result.output
        assert "Traceback" not in result.output
    assert _measurements() == before


def test_a_huge_count_typed_in_is_refused_and_the_metric_page_stays_up(client, csrf, login,
                                                                      make_user, catalogue):
    """Stored, a 24-digit count made Babel raise InvalidOperation on every page showing it."""
    login(make_user(role="staff"))
    url = "/metrics/injuries/measurements/new"
    for value, message in (("1" * 24, "is not between"), ("٥", "digits 0 to 9"),
                           ("²", "digits 0 to 9"), ("42", None)):
        response = client.post(url, data={
            "csrf_token": csrf(url), "scope": "city", "period_start": "2026-01-01",
            "period_end": "2026-03-31", "value": value})
        if message is None:
            assert response.status_code == 303
        else:
            assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _measurements() == 1
    assert client.get("/metrics/injuries").status_code == 200


# The voter roll --------------------------------------------------------------------------------

ROLL_HEADER = "reference,name,email,birth_year,neighbourhood"


def _roll_problems(app, text: str) -> list[str]:
    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db
    from pbapp.voting.roll import RollInvalid, parse_roll

    cycle = Cycle(slug="autumn", name="Autumn", budget_cents=100, phase="review")
    db.session.add(cycle)
    db.session.commit()
    with pytest.raises(RollInvalid) as refused:
        parse_roll(cycle, text)
    return refused.value.problems


def test_a_birth_year_in_other_digits_fails_its_line_not_the_import(app):
    problems = _roll_problems(app, "\n".join([
        ROLL_HEADER, "C-1,Ana,,19²²,", "C-2,Ben,,١٩٩٠,", "C-3,Chen,," + "9" * 5000 + ",",
        "C-4,Dee,,1990,", "C-5,E\x00d,,1990,"]) + "\n")
    assert [p.split(":")[0] for p in problems] == ["Line 2", "Line 3", "Line 4", "Line 6"]
    assert "birth_year '19²²' is not a year between 1900" in problems[0]
    assert "control character" in problems[3]


def test_an_unterminated_quote_in_a_roll_is_refused_with_its_line(app):
    problems = _roll_problems(app, "\n".join([
        ROLL_HEADER, "C-1,Ana,,1990,", 'C-2,"Ben,,1990,', "C-3,Chen,,1990,"]) + "\n")
    assert len(problems) == 1 and "not readable as CSV" in problems[0]
    assert problems[0].startswith("Line ")


def test_a_roll_upload_with_a_strange_year_writes_nothing(client, csrf, login, make_user):
    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db
    from pbapp.voting.models import VoterRollEntry

    db.session.add(Cycle(slug="autumn", name="Autumn", budget_cents=100, phase="review"))
    db.session.commit()
    login(make_user(role="staff"))
    url = "/cycles/manage/autumn/roll"
    data = f"{ROLL_HEADER}\nC-1,Ana,,19²²,\n".encode()
    response = client.post(url, data={"csrf_token": csrf(url),
                                      "file": (io.BytesIO(data), "roll.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and b"Line 2" in response.data
    assert db.session.scalar(select(func.count()).select_from(VoterRollEntry)) == 0
