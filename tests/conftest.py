"""Fixtures shared by every test package."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = Path(os.environ.get("PBAPP_TESTDATA", ROOT.parent / "shared" / "testdata"))


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The published elections in ``../shared/testdata`` (see its README)."""
    assert TESTDATA.is_dir(), f"test data not found at {TESTDATA}; set PBAPP_TESTDATA"
    return TESTDATA
