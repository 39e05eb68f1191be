"""The address register: the pure normaliser (fuzzed), and ``flask addresses import``: all or
nothing, errors by line, hostile files refused in words, re-importing changes nothing."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pbapp.addresses.models import RegisterAddress
from pbapp.addresses.normalise import address_key, postcode_key
from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db

GOOD = ("address,postcode,neighbourhood\n"
        "12 High Street,AB1 2CD,riverside\n"
        "14 High St.,AB1 2CD,Riverside\n"
        "3 Mill Road,AB1 9XY,hillside\n"
        "\"Flat 2, 7 Oak Avenue\",ab19xy,hillside\n")


@pytest.mark.parametrize("typed, register", [
    ("12 high st.", "12 High Street"), ("12  HIGH   STREET", "12 High Street"),
    ("7 Oak Ave", "7 oak avenue"), ("3 Mill Rd", "3, Mill Road"), ("St John's Rd", "st johns road"),
    ("Calle Ñandú 4", "calle nandu 4"), ("007 E Main St", "7 east main street"),
])
def test_spellings_of_one_address_meet(typed, register):
    assert address_key(typed) == address_key(register)


def test_other_addresses_and_odd_digits_do_not_meet():
    assert address_key("12 High Street") != address_key("21 High Street")
    assert address_key("1² High Street") == address_key("1 High Street")  # "²" is no digit
    assert address_key("١٢ High Street") == "high street"  # nor Arabic-Indic digits
    assert postcode_key(" sw1a-1aa ") == postcode_key("SW1A1AA") == "SW1A1AA"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalising_never_raises_and_is_idempotent(text):
    key = address_key(text)
    assert address_key(key) == key
    assert "  " not in key and key == key.strip()
    code = postcode_key(text)
    assert postcode_key(code) == code and code.isascii()


@pytest.fixture()
def cycle(app, make_cycle):
    db.session.add_all([Neighbourhood(slug="riverside", name="Riverside"),
                        Neighbourhood(slug="hillside", name="Hillside")])
    db.session.commit()
    return make_cycle(slug="autumn", phase="voting")


def _import(runner, tmp_path, data: bytes | str, slug="autumn"):
    path = tmp_path / "register.csv"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return runner.invoke(args=["addresses", "import", "--cycle", slug, str(path)])


def _stored() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(RegisterAddress))


def test_import_then_again_changes_nothing(runner, tmp_path, cycle):
    first = _import(runner, tmp_path, GOOD)
    assert first.exit_code == 0, first.output
    assert "4 rows: 4 added, 0 already in the register" in first.output
    rows = {r.address: r for r in db.session.scalars(select(RegisterAddress))}
    assert rows["14 High St."].address_key == "14 high street"
    assert rows["Flat 2, 7 Oak Avenue"].postcode_key == "AB19XY"
    again = _import(runner, tmp_path, GOOD.replace("12 High Street", "12 high st"))
    assert again.exit_code == 0, again.output
    assert "0 added, 4 already" in again.output and _stored() == 4
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "addresses.import")
                                ).all()
    assert [e.detail["added"] for e in events] == [4, 0]


BAD = {
    "unknown neighbourhood": ("address,postcode,neighbourhood\n1 A St,AB1,riverside\n"
                              "2 A St,AB1,Atlantis\n", "Line 3: neighbourhood 'Atlantis' is not"),
    "header": ("addr,postcode,neighbourhood\n1 A St,AB1,riverside\n", "Line 1: the header"),
    "NUL byte": ("address,postcode,neighbourhood\n1 A St,AB1,riverside\n2 A\x00St,AB1,riverside\n",
                 "Line 3: the file holds a NUL byte"),
    "not UTF-8": (b"address,postcode,neighbourhood\n1 A St,AB1,riverside\n2 \xff St,AB1,riverside\n",
                  "Line 3: the file is not UTF-8"),
    "control character": ("address,postcode,neighbourhood\n1 A St,AB1\x1b,riverside\n",
                          "Line 2: a cell holds a control character"),
    "no letters": ("address,postcode,neighbourhood\n²,AB1,riverside\n",
                   "Line 2: address '²' has no letters or digits"),
    "columns": ("address,postcode,neighbourhood\n1 A St,AB1\n", "Line 2: expected 3 columns"),
    "same address, two places": ("address,postcode,neighbourhood\n1 A St,AB1,riverside\n"
                                 "1 A Street,ab1,hillside\n", "Line 3: this is the address of line 2"),
    "unclosed quote": ("address,postcode,neighbourhood\n\"1 A St,AB1,riverside\n",
                       "not readable as CSV"),
    "too long": ("address,postcode,neighbourhood\n" + "x" * 201 + ",AB1,riverside\n",
                 "address is longer than 200 characters"),
    "empty": ("address,postcode,neighbourhood\n", "no addresses"),
}


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_imports_nothing_and_says_where(runner, tmp_path, cycle, name):
    data, said = BAD[name]
    result = _import(runner, tmp_path, data)
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert _stored() == 0


def test_an_address_already_registered_elsewhere_refuses_the_file(runner, tmp_path, cycle):
    assert _import(runner, tmp_path, GOOD).exit_code == 0
    moved = "address,postcode,neighbourhood\n99 New Road,ZZ1,riverside\n3 mill rd,AB1 9XY,riverside\n"
    result = _import(runner, tmp_path, moved)
    assert result.exit_code == 1 and "already in the register in Hillside" in result.output
    assert _stored() == 4


def test_unknown_cycle_and_huge_file(runner, tmp_path, cycle, monkeypatch):
    assert "No cycle with the slug 'nope'" in _import(runner, tmp_path, GOOD, "nope").output
    from pbapp.addresses import register

    monkeypatch.setattr(register, "MAX_BYTES", 100)
    result = _import(runner, tmp_path, GOOD)
    assert result.exit_code == 1 and "larger than" in result.output and _stored() == 0


def test_many_bad_lines_are_listed_then_counted(runner, tmp_path, cycle):
    data = "address,postcode,neighbourhood\n" + "1 A St,AB1,nowhere\n" * 300
    result = _import(runner, tmp_path, data)
    assert result.exit_code == 1 and "… and 100 more bad lines." in result.output


def test_a_closed_cycle_keeps_its_register(runner, tmp_path, cycle):
    cycle.phase = "closed"
    db.session.commit()
    result = _import(runner, tmp_path, GOOD)
    assert result.exit_code == 1 and "Voting has closed" in result.output and _stored() == 0
