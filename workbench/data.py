"""Where the real data sets live, and which ones the commands use.

The project never copies the real data sets into the repository or the package; loaders take a
path, and this module finds the default. One search order, shown by ``workbench data``:

1. ``$WORKBENCH_DATA`` -- when set, it must be an existing folder (a bad value is an error, not
   silently skipped);
2. ``shared/data`` beside the current checkout: the checkout that holds the current directory,
   then the one the running code was imported from (an editable install);
3. the user data folder, ``platformdirs.user_data_path("workbench") / "data"``
   (``~/.local/share/workbench/data`` on Linux).

Never a path relative to an installed package (site-packages). A file is taken from the first
folder that has it. A data set that is nowhere is one `MissingDataError` naming it and
``workbench data``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError

#: The distribution name in pyproject.toml: how a checkout of this project is recognised.
DISTRIBUTION = "neurosym-workbench"


class MissingDataError(WorkbenchError):
    """A real data set is not in any data folder (see `data_folders`)."""


@dataclass(frozen=True, slots=True)
class DataSet:
    """One real data set: where it sits under a data folder, who uses it, where it comes from."""

    name: str
    #: Path under a data folder (a file or a folder).
    path: str
    what: str
    #: The commands that read it.
    used_by: str
    licence: str
    source: str


#: Every data set a command reads. The demo runs without any of them (on embedded samples).
DATASETS: tuple[DataSet, ...] = (
    DataSet("proofwriter", "logic/proofwriter", "ProofWriter OWA depth-5 dev/train, as prepared by Logic-LM",
            "logic eval --dataset proofwriter, batch logic-eval, logic demo", "CC BY 4.0",
            "ProofWriter (Allen AI) in Logic-LM's format: github.com/teacherpeterpan/Logic-LLM (data/ProofWriter)"),
    DataSet("folio", "logic/folio", "FOLIO v0.0 train/validation with gold FOL",
            "logic eval, logic eval --dataset folio, batch logic-eval, logic demo", "CC BY-SA 4.0",
            "github.com/Yale-LILY/FOLIO (data/v0.0)"),
    DataSet("linc-outputs", "logic/linc_outputs", "the LINC paper's published model generations and results",
            "logic eval (linc, robust modes), logic demo", "as published by the LINC authors",
            "github.com/benlipkin/linc (outputs/)"),
    DataSet("ifc-duplex", "ifc/duplex.ifc", "Duplex Apartment, IFC2X3",
            "rules check, batch rules-check, rules demo", "CC BY 4.0",
            "buildingSMART Common BIM Files: github.com/buildingSMART/Sample-Test-Files"),
    DataSet("ifc-fzk-haus", "ifc/AC20-FZK-Haus.ifc", "KIT FZK-Haus, IFC4", "rules check, batch rules-check",
            "not stated with the copy; see the source", "KIT (Karlsruhe Institute of Technology) IFC examples"),
    DataSet("ifc-openhouse", "ifc/IfcOpenHouse_IFC4.ifc", "IfcOpenHouse, IFC4", "rules check, batch rules-check",
            "not stated with the copy; see the source", "the IfcOpenShell project's examples (github.com/IfcOpenShell)"),
    DataSet("code-accord", "buildingcode/code-accord", "CODE-ACCORD building-code clauses with entities and relations",
            "rules benchmarks (clause → function mapping)", "CC BY 4.0",
            "Hettiarachchi et al., Scientific Data 12:170 (2025), with its data record"),
    DataSet("causal-reference", "causal/reference.json", "reference answers for interventions (JKZ smoking, napkin, bow)",
            "causal tests and benchmarks", "numbers from the cited papers",
            "the project's shared data folder (computed from Jacobs, Kissinger and Zanasi 2019)"),
)


def _checkout(start: Path) -> Path | None:
    """The checkout of this project that holds ``start`` (a folder with our pyproject.toml), if any."""
    for d in (start, *start.parents):
        pyproject = d / "pyproject.toml"
        if pyproject.is_file():
            try:
                if f'name = "{DISTRIBUTION}"' in pyproject.read_text(encoding="utf-8", errors="replace"):
                    return d
            except OSError:
                return None
    return None


def data_folders() -> list[tuple[str, Path]]:
    """The folders searched, in order, each with why it is searched (existing or not).

    Raises
    ------
    WorkbenchError
        When ``$WORKBENCH_DATA`` is set to something that is not a folder.
    """
    out: list[tuple[str, Path]] = []
    env = os.environ.get("WORKBENCH_DATA")
    if env:
        p = Path(env).expanduser()
        if not p.is_dir():
            raise WorkbenchError("no such folder (unset it, or point it at the folder holding logic/, ifc/, ...)",
                                 where=f"WORKBENCH_DATA={env}")
        out.append(("$WORKBENCH_DATA", p))
    seen: set[Path] = set()
    for why, start in (("beside the checkout of the current folder", Path.cwd()),
                       ("beside the checkout the code runs from", Path(__file__).resolve().parent)):
        root = _checkout(start.resolve())
        if root is not None and root not in seen:
            seen.add(root)
            out.append((why, root.parent / "shared" / "data"))
    out.append(("the user data folder", user_data_dir()))
    return out


def user_data_dir() -> Path:
    """``platformdirs.user_data_path("workbench") / "data"``: where a user who did not clone puts data sets."""
    import platformdirs

    return platformdirs.user_data_path("workbench") / "data"


def shared_data_dir() -> Path | None:
    """The first data folder that exists, or ``None`` (tests skip on ``None``)."""
    return next((p for _, p in data_folders() if p.is_dir()), None)


def dataset_of(relative: str) -> DataSet | None:
    """The registered data set that ``relative`` (a path under a data folder) belongs to.

    >>> dataset_of("logic/proofwriter/dev.json").name, dataset_of("nothing/here") is None
    ('proofwriter', True)
    """
    rel = relative.strip("/")
    return next((d for d in DATASETS if rel == d.path or rel.startswith(d.path + "/")), None)


def find(relative: str) -> Path | None:
    """``relative`` in the first data folder that has it, else ``None``."""
    for _, folder in data_folders():
        if (folder / relative).exists():
            return folder / relative
    return None


def shared_path(relative: str) -> Path:
    """A file or folder under a data folder.

    Raises
    ------
    MissingDataError
        One line naming the data set (or the path) and ``workbench data``, when no folder has it.
    WorkbenchError
        When ``$WORKBENCH_DATA`` is set to something that is not a folder.
    """
    path = find(relative)
    if path is not None:
        return path
    ds = dataset_of(relative)
    what = f"data set {ds.name!r} ({relative})" if ds else f"data file {relative!r}"
    raise MissingDataError(f"{what} not found in any data folder; `workbench data` says where to put it and where to get it")


def read_text(path: str | Path, error: type[WorkbenchError] = WorkbenchError) -> str:
    """A text file's contents as UTF-8, or one ``error`` naming the file and what is wrong.

    Every CLI input file goes through here, so a missing file, a folder, an unreadable file and
    bytes that are not UTF-8 each give a sentence with the path (and, for bad bytes, the line
    and column) instead of an ``OSError`` / ``UnicodeDecodeError`` traceback. ``error`` is the
    calling part's exception root, so its callers can catch their own errors.

    Raises
    ------
    WorkbenchError
        (or ``error``) with ``where`` the path.

    Example
    -------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"ok\\n\\xffbad")
    >>> read_text(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: .../x.txt: not UTF-8 text: byte 0xff at line 2, column 1
    >>> read_text(p.parent)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: ...: is a folder, not a file
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise error("no such file", where=str(p)) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", where=str(p)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", where=str(p)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column}",
                    where=str(p)) from None


def check_writable(path: str | Path, error: type[WorkbenchError] = WorkbenchError) -> Path:
    """``path``, with its folder created, when a file can be written there; else one ``error``.

    Checked before a run starts, so an output path that is a folder (or lies under a file)
    fails at once with the path named, rather than after the work with a traceback.

    Example
    -------
    >>> import tempfile
    >>> check_writable(Path(tempfile.mkdtemp()))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workbench.errors.WorkbenchError: ...: is a folder; give a file name
    """
    p = Path(path)
    if p.is_dir():
        raise error("is a folder; give a file name", where=str(p))
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(f"cannot create its folder: {exc.strerror or exc}", where=str(p)) from None
    return p
