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


def test_mypy_is_clean() -> None:
    """mypy with the settings in pyproject.toml ([tool.mypy]: every function typed, untyped bodies checked)."""
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_no_module_of_the_runner_is_over_500_lines() -> None:
    long = {str(p.relative_to(REPO_ROOT)): n for p in (REPO_ROOT / "runner").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
