"""The apps' modules stay small enough to read at a sitting: one subject each (see docs/architecture.md)."""

from pathlib import Path

APPS = ("integrity", "risks", "cases", "alerts", "inspections", "archives", "reports", "desk")
MOST_LINES = 400
ROOT = Path(__file__).resolve().parent.parent


def test_no_module_of_the_apps_is_over_400_lines():
    modules = [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    assert len(modules) > 100  # the walk found the apps
    too_long = {str(p.relative_to(ROOT)): n for p in modules if (n := len(p.read_text().splitlines())) > MOST_LINES}
    assert too_long == {}, "split these by subject, as cases.importing and risks.importing are"
