"""The size lint of ``make lint`` (bin/check_size.py): modules and functions stay readable."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_size", ROOT / "bin" / "check_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_size = _load_checker()


def test_the_project_passes():
    assert check_size.check([ROOT / "cabas", ROOT / "config"]) == []


def _function(lines: int, above: str = "") -> str:
    body = "".join(f"    x{n} = {n}\n" for n in range(lines - 1))
    return f"{above}def f():\n{body}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        (_function(60), 0),
        (_function(61), 1),
        (_function(61, "# long: one table of cases, read top to bottom\n"), 0),
        (_function(61, "# long:\n"), 1),  # a reason is needed, not only the marker
        (_function(61, "@decorator\n"), 1),  # decorators count
        ("x = 1\n" * 601, 1),
    ],
)
def test_findings(source, found):
    assert len(list(check_size.findings_in_source(source))) == found


def test_test_modules_may_be_longer():
    source = "x = 1\n" * 900
    assert list(check_size.findings_in_source(source, test=True)) == []
    assert len(list(check_size.findings_in_source(source + "x = 1\n" * 101, test=True))) == 1
