"""Drive the installed `workbench` REPL through a pseudo-terminal, as a user's terminal would.

The README's recorded transcript (`scripts/record_repl.py`) and the REPL's end-to-end tests
both need a real console-script process with prompt_toolkit believing it talks to a terminal,
and the text it printed between two prompts without colour codes. This is that driver
(``pexpect``, from the ``dev`` or ``itp`` extra).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from workbench.errors import require

#: Colour and cursor escapes, OSC titles, keypad modes, backspaces and carriage returns.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>]|[\r\x08]")
#: The REPL's numbered prompt, ``wb[3]>``.
PROMPT = r"wb\[{}\]>"
#: The console script installed beside this interpreter.
WORKBENCH = Path(sys.executable).parent / "workbench"


def plain(text: str) -> str:
    """Terminal output as a reader sees it: escapes and carriage returns removed."""
    return ANSI.sub("", text)


class PtyRepl:
    """One `workbench` process in a pty of ``rows`` × ``columns``.

    ``run(line)`` types a line and returns what was printed before the next prompt (the echoed
    line removed, escapes stripped); ``raw`` keeps the last output with its escapes (to check
    highlighting). The cache folder is the process's ``WORKBENCH_CACHE``, so its history starts
    empty unless a test reuses the folder on purpose.
    """

    def __init__(self, cwd: Path, cache: Path, columns: int = 100, rows: int = 60, timeout: float = 60) -> None:
        pexpect = require("pexpect", "dev")
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", WORKBENCH_CACHE=str(cache),
                   COLUMNS=str(columns), LINES=str(rows))
        env.pop("WORKBENCH_REPL_TRACEBACK", None)
        self.child: Any = pexpect.spawn(str(WORKBENCH), cwd=str(cwd), env=env, encoding="utf-8",
                                        dimensions=(rows, columns), timeout=timeout)
        self.n = 1
        self.child.expect(PROMPT.format(1))
        self.banner = plain(self.child.before)
        self.raw = self.child.before

    def wait(self, timeout: float | None = None) -> str:
        """Wait for the next prompt; the plain text printed since the last one."""
        self.n += 1
        self.child.expect(PROMPT.format(self.n), timeout=timeout or self.child.timeout)
        self.raw = self.child.before
        return plain(self.raw)

    def run(self, line: str, timeout: float | None = None) -> str:
        """Type ``line`` and Enter; what the REPL printed for it."""
        self.child.sendline(line)
        text = self.wait(timeout)
        return text.split("\n", 1)[1] if "\n" in text else ""

    def quit(self) -> int:
        """Type ``quit``; the process's exit status."""
        import pexpect

        self.child.sendline("quit")
        self.child.expect(pexpect.EOF, timeout=30)
        self.child.close()
        return int(self.child.exitstatus or 0)
