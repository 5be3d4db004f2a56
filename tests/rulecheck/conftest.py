"""Fixtures: the shared IFC models, opened once per session with a private geometry cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulecheck.ifc import Model, open_model
from rulecheck.rule import load_rules

RULES = Path(__file__).resolve().parents[2] / "rulecheck" / "data" / "rules_code_accord.json"


@pytest.fixture(scope="session")
def ifc_dir(shared_data: Path) -> Path:
    d = shared_data / "ifc"
    if not (d / "duplex.ifc").exists():
        pytest.skip(f"IFC models not found in {d}")
    return d


@pytest.fixture(scope="session")
def geom_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("geom")


@pytest.fixture(scope="session")
def duplex(ifc_dir: Path, geom_cache: Path) -> Model:
    return open_model(ifc_dir / "duplex.ifc", cache_dir=geom_cache)


@pytest.fixture(scope="session")
def fzk(ifc_dir: Path, geom_cache: Path) -> Model:
    return open_model(ifc_dir / "AC20-FZK-Haus.ifc", cache_dir=geom_cache)


@pytest.fixture(scope="session")
def openhouse(ifc_dir: Path, geom_cache: Path) -> Model:
    return open_model(ifc_dir / "IfcOpenHouse_IFC4.ifc", cache_dir=geom_cache)


@pytest.fixture(scope="session")
def rules():
    return load_rules(RULES)
