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
