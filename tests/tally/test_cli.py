"""The ``pbapp-tally`` command, run as a real process on the published files."""
import json
import subprocess
import sys


def tally(*args, check=True):
    proc = subprocess.run([sys.executable, "-m", "pbapp.tally", *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_scottish_stv_from_blt_defaults(testdata):
    out = json.loads(tally(testdata / "scotland/edinburgh_2017_ward1.blt", "--json").stdout)
    assert out["method"] == "stv" and out["options"]["seats"] == 4
    assert [w.split()[1] for w in out["winners"]] == ["LANG", "YOUNG", "HUTCHISON", "WORK"]
    assert out["rounds"][0]["threshold"] == 2842


def test_table_output_names_rounds_and_winners(testdata):
    text = tally(testdata / "pabulib/Poland_Krakow_2019_Bienczyce.pb").stdout
    assert "Winners (in order): 3, 4, 2, 20, 6, 17, 10" in text
    assert "Budget 904,700" in text


def test_rules_config_applies_to_a_cvr(testdata):
    case = testdata / "rctab/test_set_1_exhaust_at_overvote"
    out = json.loads(tally(case / "test_set_1_exhaust_at_overvote_cvr.json", "--rules",
                           case / "test_set_1_exhaust_at_overvote_config.json", "--json").stdout)
    assert out["winners"] == ["Candidate B Name"]
    assert out["options"]["overvote"] == "exhaust"


def test_method_and_seats_override_the_file(testdata):
    out = json.loads(tally(testdata / "scotland/edinburgh_2017_ward1.blt", "--method", "schulze",
                           "--seats", "2", "--json").stdout)
    assert out["method"] == "schulze" and len(out["winners"]) == 2 and out["pairwise"]


def test_convert_then_recount_gives_the_same_result(testdata, tmp_path):
    src = testdata / "scotland/edinburgh_2017_ward1.blt"
    for suffix in (".csv", ".blt"):
        copy = tmp_path / f"copy{suffix}"
        tally(src, "--convert", copy)
        again = json.loads(tally(copy, "--method", "stv", "--seats", "4", "--json").stdout)
        assert [w.split()[1] for w in again["winners"]] == ["LANG", "YOUNG", "HUTCHISON", "WORK"]


def test_malformed_file_names_the_line_and_exits_2(tmp_path):
    bad = tmp_path / "bad.blt"
    bad.write_text("3 1\n1 1 2 0\n1 1 x 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"Title\"\n")
    proc = tally(bad, check=False)
    assert proc.returncode == 2
    assert "line 3" in proc.stderr and proc.stdout == ""


def test_unknown_option_is_refused(testdata):
    proc = tally(testdata / "scotland/edinburgh_2017_ward1.blt", "-o", "nonsense=1", check=False)
    assert proc.returncode == 2 and "nonsense" in proc.stderr
