"""mypy checks every module of the apps (``make lint``): none is left out of it by an override."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_of_the_apps_is_excused_from_mypy():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["disallow_untyped_defs"] is True
    excused = [o["module"] for o in config.get("overrides", []) if o.get("ignore_errors")]
    assert excused == [], "type these modules instead of listing them"
