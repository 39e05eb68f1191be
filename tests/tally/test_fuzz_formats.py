"""``pbapp-tally`` on byte-level damage to every format it reads, and on hostile options.

``test_malformed_files`` edits the seeds as text (characters, lines, tokens, JSON values);
here the damage is to the bytes a disk or a transfer would spoil: flipped bits, hostile values
dropped in at any byte (NUL, "²", "٥", right-to-left marks, 100,000 characters, huge and
negative numbers, BOMs, bytes that are not UTF-8), cuts at any byte, and repeated or swapped
chunks. Every run calls the command's ``main`` in this process and must exit 0 or 2, never
with a traceback; on exit 2 stderr is one line naming the file.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tally.test_malformed_files import (BLT, PB_APPROVAL, PB_CUMULATIVE, SEEDS,
                                              assert_clean, refused, setup_rctab, tally)

HOSTILE = ["\x00", "\x01", "\x1b", "\x7f", "²", "٥", "١٩٩٠", "\u200f", "\u202e", "\ufeff",
           "x" * 100_000, "9" * 5000, str(10**30), "-1", str(-2**63), "%zz", "%ff", "%", "",
           '"', ";", ",", "\n", "\r", "\u2028"]
HOSTILE_BYTES = [h.encode("utf-8") for h in HOSTILE] + [b"\xff", b"\xc3", b"\xed\xa0\x80",
                                                       b"\xef\xbb\xbf", b"\x00" * 8]
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def damaged(draw, seed: bytes) -> bytes:
    """The seed with one to four byte-level damages."""
    data = seed
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "replace", "cut", "repeat", "swap"]))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + \
                data[at + 1:]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(HOSTILE_BYTES)) + data[at:]
        elif kind == "replace":
            data = data[:at] + draw(st.sampled_from(HOSTILE_BYTES)) + \
                data[at + draw(st.integers(1, 8)):]
        elif kind == "cut":
            data = data[:at] if draw(st.booleans()) else data[at:]
        elif kind == "repeat":
            end = draw(st.integers(at, min(len(data), at + 40)))
            data = data[:end] + data[at:end] * draw(st.integers(1, 3)) + data[end:]
        elif data:
            other = draw(st.integers(0, len(data)))
            low, high = sorted((at, other))
            data = data[high:] + data[low:high] + data[:low]
    return data


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(SEEDS)), as_json=st.booleans())
def test_byte_damage_to_every_format(tmp_path, data, name, as_json):
    setup_rctab(tmp_path)
    spoilt = data.draw(damaged(SEEDS[name].encode("utf-8")), label="file")
    code, _, err = tally(tmp_path, name, spoilt, *(["--json"] if as_json else []))
    assert_clean(code, err, tmp_path)


OPTION_VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8),
                          st.integers(-2**70, 2**70).map(str))


@FUZZ
@given(name=st.sampled_from(["seed.blt", "approval.pb", "ranks.csv", "cdf.json"]),
       option=st.sampled_from(["--seats", "--budget", "--seed", "-o seats", "-o budget",
                               "-o decimals", "-o max_rankings", "-o max_skipped", "-o k"]),
       value=OPTION_VALUES, method=st.sampled_from([None, "irv", "stv", "schulze", "greedy",
                                                    "equal-shares", "borda"]))
def test_hostile_option_values(tmp_path, name, option, value, method):
    setup_rctab(tmp_path)
    args = [*(["--method", method] if method else []),
            *([option, value] if option.startswith("--") else ["-o", f"{option[3:]}={value}"])]
    code, _, err = tally(tmp_path, name, SEEDS[name], *args)
    assert_clean(code, err, tmp_path / name)


# Found by the fuzzers --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["--method", "stv", "--seats", "٢"],      # argparse's int() read it as 2
    ["--method", "stv", "--seats", "1_0"],
    ["--method", "stv", "-o", "seats=٢"],     # not JSON, so text; int() read it as 2
    ["--method", "stv", "--seats", "9" * 5000],
    ["--method", "stv", "-o", "seats=" + "9" * 5000],  # json.loads raised a ValueError
])
def test_seats_are_ascii_digits(tmp_path, args):
    err = refused(tmp_path, "seed.blt", BLT, *args)
    assert "seats" in err


@pytest.mark.parametrize("seed, args", [
    (PB_APPROVAL, ["--budget", "٥٠"]),                    # argparse's int() read it as 50
    (PB_APPROVAL, ["-o", "budget=٥٠"]),                   # float() read it as 50
    (PB_APPROVAL, ["-o", "budget=1_00"]),
    (PB_CUMULATIVE, ["-o", "budget=" + "9" * 40]),        # past what a float holds exactly
])
def test_budgets_are_ascii_digits(tmp_path, seed, args):
    err = refused(tmp_path, "b.pb", seed, *args)
    assert "budget" in err


def test_plain_option_numbers_still_count(tmp_path):
    code, out, err = tally(tmp_path, "seed.blt", BLT, "--method", "stv", "--seats", "2",
                           "--json")
    assert (code, err) == (0, "") and '"seats": 2' in out
    code, out, err = tally(tmp_path, "b.pb", PB_APPROVAL, "--budget", "90", "--json")
    assert (code, err) == (0, "") and '"budget": 90' in out
