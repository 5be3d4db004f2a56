"""Process helpers for the crash tests of the batch runners: find Ray's workers under a driver
(read from /proc, Linux only), kill one while it runs an item, wait for result rows, and reap
whatever a killed driver leaves behind. Shared by `workbench batch` and `workbench prove batch`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from workbench.results import ResultLog


def rows(out: Path) -> list[dict]:
    """The rows of a result log as the runner wrote them (a half-written last line is skipped)."""
    return ResultLog(out).rows()


def wait_rows(out: Path, n: int, proc: subprocess.Popen, timeout: float, pause: float = 0.1) -> None:
    """Block until ``out`` holds ``n`` rows; fail if the driver ``proc`` exits or ``timeout`` passes."""
    t0 = time.monotonic()
    while len(rows(out)) < n:
        assert proc.poll() is None, f"driver exited early with {proc.returncode}"
        assert time.monotonic() - t0 < timeout, f"fewer than {n} rows after {timeout} s"
        time.sleep(pause)


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (children of children ...), read from /proc."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rsplit(") ", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # it exited meanwhile
                continue
    out, frontier = [], [root]
    while frontier:
        here = frontier.pop()
        kids = [c for c, p in parent.items() if p == here]
        out += kids
        frontier += kids
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:  # it exited meanwhile
        return ""


def alive(pid: int) -> bool:
    """Running and not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def kill_busy_worker(driver: int, family: set[int], tries: int = 200, pause: float = 0.02) -> int:
    """SIGKILL a Ray worker of ``driver`` while it runs an item (its title is ``ray::run_item``).

    Every process seen below the driver is added to ``family`` (for `reap`). Returns the pid.
    """
    for _ in range(tries):
        kids = descendants(driver)
        family |= set(kids)
        busy = [k for k in kids if "run_item" in cmdline(k)]
        if busy:
            os.kill(busy[0], signal.SIGKILL)
            return busy[0]
        time.sleep(pause)
    raise AssertionError("no busy Ray worker found")


def reap(pids: set[int], wait: float = 10) -> None:
    """Ray ends the processes of a dead driver by itself; kill the ones left after ``wait`` s."""
    deadline = time.monotonic() + wait
    left = [p for p in pids if alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = [p for p in left if alive(p)]
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
