"""Each package's models import on their own, in a fresh interpreter.

A test run imports the app first, which hides circular imports: ``import pbapp.cycles.models``
alone (a script, the tally's tools, a conftest) once failed because the services of four
packages imported the follow notifications, which import those packages back."""
import subprocess
import sys
from pathlib import Path

import pbapp

MODELS = sorted(f"pbapp.{p.parent.name}.models"
                for p in Path(pbapp.__file__).parent.glob("*/models.py"))
SCRIPT = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "pbapp" or m.startswith("pbapp.")]:
        del sys.modules[loaded]  # each module alone, as if first (libraries stay loaded)
    try:
        importlib.import_module(name)
    except Exception as error:
        failed.append(f"{name}: {type(error).__name__}: {error}")
print("\\n".join(failed))
"""


def test_every_models_module_imports_on_its_own():
    assert len(MODELS) >= 15
    found = subprocess.run([sys.executable, "-c", SCRIPT, *MODELS], capture_output=True,
                           text=True, check=True).stdout.strip()
    assert not found, found
