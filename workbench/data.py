"""Where the shared real data sets live.

The project never copies `../shared/data/` into the repo; loaders take a path, and this
module finds the default: ``$WORKBENCH_DATA`` if set, else ``shared/data`` beside the
project checkout, else beside the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import WorkbenchError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path | None:
    """The shared data folder, or ``None`` when it cannot be found."""
    env = os.environ.get("WORKBENCH_DATA")
    candidates = [Path(env)] if env else []
    candidates += [PROJECT_ROOT.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for c in candidates:
        if c.is_dir():
            return c
    return None


def shared_path(relative: str) -> Path:
    """A file or folder under the shared data folder.

    Raises
    ------
    WorkbenchError
        Naming the path looked for, when the data folder or the file is absent.
    """
    root = shared_data_dir()
    if root is None:
        raise WorkbenchError(
            "shared data folder not found; set WORKBENCH_DATA to the folder holding "
            "logic/, ifc/, causal/ ...",
            where=str(PROJECT_ROOT.parent / "shared" / "data"),
        )
    path = root / relative
    if not path.exists():
        raise WorkbenchError("shared data file not found", where=str(path))
    return path


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
