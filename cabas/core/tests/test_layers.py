"""The layers contract (pyproject.toml, [tool.importlinter]) holds, and really guards: without
one of its allowed exceptions, the same check fails."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
EXCEPTION = '"cabas.orders.rules -> cabas.money.selectors",'


def _lint_imports(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 — our own tool on our own config
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_apps_respect_their_layers():
    result = _lint_imports(ROOT / "pyproject.toml")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_removing_an_allowed_exception_breaks_the_contract(tmp_path):
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert config.count(EXCEPTION) == 1
    without = tmp_path / "pyproject.toml"
    without.write_text(config.replace(EXCEPTION, ""), encoding="utf-8")

    result = _lint_imports(without)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "cabas.orders is not allowed to import cabas.money" in result.stdout
    assert "cabas.orders.rules -> cabas.money.selectors" in result.stdout
