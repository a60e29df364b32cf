"""The code passes the linter configured in pyproject.toml (ruff: pyflakes, pycodestyle, import order)."""

import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO_ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run([ruff, "check", "runner", "bench", "tests"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
