"""Coq through ``coqtop -emacs``: the offline `ProofEnv` for Coq 8.16.

How it talks to Coq
-------------------
One ``coqtop -emacs -q`` process per environment, over pipes (no pty, so long lines are not
cut). Every command is answered with a prompt ``<prompt>NAME < N |NAME| 0 < </prompt>``
whose ``N`` labels the state *after* the command; ``BackTo N.`` returns to it, which is how the
search jumps between branches without replaying tactics. Each tactic is sent as
``Timeout T tac.`` so that Coq interrupts a looping tactic itself; should Coq not answer
within ``2 T + 5`` s anyway, the process is killed and restarted and the tactic reported as a
`TacticTimeout`. When the process dies (killed, out of memory, ``Quit``), the next call
restarts it, reopens the theorem and replays the tactic path of the state asked for: states
carry their path, so no state is lost with the process.

The prelude is written to a temporary file and ``Load``-ed (Coq allows open sections and
modules there, but no open proof); the statement is then sent as one line.

A found proof is re-checked independently by `CoqEnv.recheck`: prelude, statement,
``Proof.``, the tactics, ``Qed.`` and the epilogue are written to a file and compiled by
``coqc``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from provers.itp.env.base import (
    CheckResult,
    Outcome,
    ProofFinished,
    ProofState,
    TacticError,
    TacticTimeout,
    Theorem,
)
from provers.itp.errors import AssistantError, TacticRejected, TheoremError
from workbench.errors import require

_PROMPT = re.compile(r"<prompt>(\S+) < (\d+) \|([^|]*)\| (\d+) < </prompt>")
_GOAL_HEADER = re.compile(r"^(?:\d+ goals?(?: \(ID \d+\))?|No more goals\.|This subproof is complete.*)$", re.M)
_ID = re.compile(r" \(ID \d+\)")
#: Sentence end inside a tactic: a dot followed by white space (``..`` and ``x.y`` are fine).
_SENTENCE_END = re.compile(r"(?<!\.)\.(?=\s)")
#: Tactics that would fake a proof, and vernaculars that would leave the proof.
_FORBIDDEN = re.compile(r"\b(admit|give_up|Admitted|Abort|Qed|Defined|Quit|Drop|BackTo|Back|Undo|Restart|Reset|Load|Require|Timeout)\b")


def clean_tactic(text: str) -> str:
    """One safe tactic from untrusted text: no sentence end inside, no vernacular, no ``admit``.

    Raises
    ------
    TacticRejected
        Naming the offending text.

    Example
    -------
    >>> clean_tactic("  intros n.\\n")
    'intros n'
    >>> clean_tactic("auto. Qed.")
    Traceback (most recent call last):
    ...
    provers.itp.errors.TacticRejected: tactic 'auto. Qed.': more than one sentence
    """
    tac = " ".join(text.split())
    while tac.endswith("."):
        tac = tac[:-1].rstrip()
    if not tac:
        raise TacticRejected("empty tactic")
    if _SENTENCE_END.search(tac):
        raise TacticRejected(f"tactic {text.strip()!r}: more than one sentence")
    bad = _FORBIDDEN.search(tac)
    if bad:
        raise TacticRejected(f"tactic {text.strip()!r}: {bad.group(1)!r} is not allowed")
    if not (tac[0].islower() or tac[0] in "([" or tac[0] == "_"):
        raise TacticRejected(f"tactic {text.strip()!r}: not a tactic (vernacular command?)")
    return tac


def parse_goals(output: str) -> str | None:
    """The last goals block of a coqtop answer, ids removed; ``None`` when it printed none.

    >>> parse_goals("1 goal (ID 4)\\n  \\n  n : nat\\n  ============================\\n  n + 0 = n\\n\\n")
    '1 goal\\nn : nat\\n============================\\nn + 0 = n'
    >>> parse_goals("No more goals.\\n")
    'No more goals.'
    >>> parse_goals("\\n") is None
    True
    """
    heads = list(_GOAL_HEADER.finditer(output))
    if not heads:
        return None
    block = output[heads[-1].start() :]
    lines = [_ID.sub("", ln).strip() for ln in block.splitlines()]
    return "\n".join(ln for ln in lines if ln)


def _error_message(output: str) -> str | None:
    """The text after ``Error:`` in a coqtop answer, or None."""
    idx = output.find("Error:")
    if idx < 0:
        return None
    return " ".join(output[idx + len("Error:") :].split())


class CoqEnv:
    """A `ProofEnv` for Coq over one ``coqtop`` process.

    Parameters
    ----------
    tactic_timeout:
        Seconds Coq may spend on one tactic (``Timeout``); a hard kill follows at ``2 T + 5``.
    coqtop, coqc:
        The binaries (names on PATH or paths).
    open_timeout:
        Seconds allowed to load a prelude (a whole stdlib file prefix can take a while).
    args:
        Extra coqtop/coqc arguments (``-Q dir Lib``...).
    max_restarts:
        Restarts after crashes or hangs per theorem; after that every tactic is an error.

    Example
    -------
    >>> with CoqEnv() as env:  # doctest: +SKIP
    ...     s = env.open(Theorem("t", "Lemma t : forall n, n + 0 = n."))
    ...     env.run(s, "intros n; induction n; simpl; auto")
    ProofFinished(tactics=('intros n; induction n; simpl; auto',))
    """

    def __init__(
        self,
        tactic_timeout: float = 5.0,
        coqtop: str = "coqtop",
        coqc: str = "coqc",
        open_timeout: float = 120.0,
        args: tuple[str, ...] = (),
        max_restarts: int = 3,
    ) -> None:
        self.tactic_timeout = tactic_timeout
        self.coqtop = coqtop
        self.coqc = coqc
        self.open_timeout = open_timeout
        self.args = tuple(args)
        self.max_restarts = max_restarts
        self._proc: Any = None  # pexpect PopenSpawn
        self._theorem: Theorem | None = None
        self._root: ProofState | None = None
        #: The tactics of coqtop's current line of states, and the label after each prefix.
        self._path: tuple[str, ...] = ()
        self._line: list[int] = []
        self._current: int | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="itp-coq-"))
        #: How many times the process was restarted after a crash or hang.
        self.restarts = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> CoqEnv:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the coqtop process and remove the temporary folder."""
        self._kill()
        shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def pid(self) -> int | None:
        """The coqtop process id (for tests that kill it), or None."""
        return self._proc.pid if self._proc is not None else None

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                self._proc.kill(9)
                self._proc.wait()
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._proc = None
        self._path, self._line = (), []
        self._current = None

    def _start(self) -> None:
        pexpect = require("pexpect", "itp")
        from pexpect.popen_spawn import PopenSpawn

        if shutil.which(self.coqtop) is None and not os.path.exists(self.coqtop):
            raise AssistantError("coqtop not found; install Coq 8.16 (apt-get install coq)", where=self.coqtop)
        self._kill()
        self._proc = PopenSpawn(
            [self.coqtop, "-emacs", "-q", *self.args], encoding="utf-8", codec_errors="replace", timeout=30
        )
        try:
            self._proc.expect(_PROMPT, timeout=30)
        except (pexpect.EOF, pexpect.TIMEOUT) as exc:
            out = str(self._proc.before or "")
            self._kill()
            raise AssistantError(f"coqtop did not start: {out.strip()[-300:]}", where=self.coqtop) from exc
        self._current = int(self._proc.match.group(2))

    def _send(self, command: str, timeout: float) -> tuple[int, str]:
        """Send one sentence, wait for the prompt: (state label after it, output).

        Raises pexpect.EOF (also when coqtop is gone before the write) / pexpect.TIMEOUT to the
        caller, which restarts.
        """
        assert self._proc is not None
        try:
            self._proc.sendline(command.replace("\n", " "))
        except OSError as exc:  # coqtop exited before reading (a `Quit.`, a crash): the pipe is closed
            from pexpect import EOF

            raise EOF(f"coqtop's input is closed: {exc}") from exc
        self._proc.expect(_PROMPT, timeout=timeout)
        label = int(self._proc.match.group(2))
        self._current = label
        return label, str(self._proc.before)

    # -- ProofEnv ----------------------------------------------------------------------------
    def open(self, theorem: Theorem) -> ProofState:
        """Start coqtop, load the prelude, state the theorem: its first proof state.

        Raises
        ------
        TheoremError
            When the prelude or the statement is rejected by Coq (with Coq's message).
        AssistantError
            When coqtop cannot be started or dies while loading.
        """
        pexpect = require("pexpect", "itp")
        if theorem is not self._theorem:
            self.restarts = 0
        self._theorem = theorem
        self._root = None
        self._start()
        try:
            if theorem.prelude.strip():
                pre = self._tmp / "prelude.v"
                pre.write_text(theorem.prelude, encoding="utf-8")
                _, out = self._send(f'Load "{pre}".', self.open_timeout)
                err = _error_message(out)
                if err:
                    raise TheoremError(f"prelude rejected by Coq: {err[:500]}", where=theorem.where)
            label, out = self._send(" ".join(theorem.statement.split()), self.open_timeout)
        except pexpect.TIMEOUT as exc:
            self._kill()
            raise TheoremError(f"opening took longer than {self.open_timeout:g} s", where=theorem.where) from exc
        except pexpect.EOF as exc:
            out = str(self._proc.before if self._proc else "")
            self._kill()
            raise AssistantError(f"coqtop died while opening the theorem: {out.strip()[-300:]!r}", where=theorem.where) from exc
        err = _error_message(out)
        goals = parse_goals(out)
        if err or goals is None or goals.startswith("No more goals"):
            raise TheoremError(f"statement rejected by Coq: {err or out.strip()[:300]!r}", where=theorem.where)
        self._root = ProofState(goals, ())
        self._path, self._line = (), [label]
        return self._root

    def run(self, state: ProofState, tactic: str) -> Outcome:
        """Run one tactic on ``state``; never raises for what the tactic or Coq does."""
        pexpect = require("pexpect", "itp")
        try:
            tac = clean_tactic(tactic)
        except TacticRejected as exc:
            return TacticError(tactic, exc.what)
        try:
            self._goto(state.tactics)
        except (TheoremError, AssistantError) as exc:
            self._kill()
            return TacticError(tac, f"could not restore the state: {exc.what}")
        try:
            before = self._current
            new_label, out = self._send(f"Timeout {self.tactic_timeout:g} {tac}.", 2 * self.tactic_timeout + 5)
        except pexpect.TIMEOUT:
            self.restarts += 1
            self._kill()
            return TacticTimeout(tac, self.tactic_timeout)
        except pexpect.EOF:
            tail = str(self._proc.before if self._proc else "").strip()[-200:]
            self.restarts += 1
            self._kill()
            return TacticError(tac, f"coqtop died running the tactic (restarted): {tail!r}")
        return self._outcome(state, tac, before, new_label, out)

    def _outcome(self, state: ProofState, tac: str, before: int | None, label: int, out: str) -> Outcome:
        if "Error: Timeout!" in out:
            return TacticTimeout(tac, self.tactic_timeout)
        err = _error_message(out)
        if err is not None or label == before:
            return TacticError(tac, err or out.strip()[:300] or "rejected")
        path = (*state.tactics, tac)
        self._path, self._line = path, [*self._line, label]
        goals = parse_goals(out)
        if goals is None:
            try:
                _, shown = self._send("Show.", 30)
            except Exception as exc:  # noqa: BLE001 - a crash here is reported as the tactic's
                self._kill()
                return TacticError(tac, f"coqtop died after the tactic: {exc}")
            goals = parse_goals(shown) or ""
        if goals.startswith("No more goals"):
            return ProofFinished(path)
        return ProofState(goals, path)

    def _goto(self, target: tuple[str, ...]) -> None:
        """Make ``target`` coqtop's current state.

        coqtop's states form one line: ``BackTo`` may only go back along it (states after the
        target expire), so switching branches goes back to the common prefix and replays the
        rest. After a crash the whole path is replayed on a fresh process.
        """
        pexpect = require("pexpect", "itp")
        if self._theorem is None:
            raise TheoremError("no theorem is open")
        if self._proc is None:
            if self.restarts > self.max_restarts:
                raise AssistantError(f"coqtop died {self.restarts} times; not restarting it again", where=self._theorem.where)
            self.open(self._theorem)
        common = 0
        while common < min(len(self._path), len(target)) and self._path[common] == target[common]:
            common += 1
        try:
            if common < len(self._path) or self._current != self._line[common]:
                _, out = self._send(f"BackTo {self._line[common]}.", 30)
                if _error_message(out) is not None:
                    raise AssistantError(f"BackTo failed: {_error_message(out)}", where=self._theorem.where)
                self._path, self._line = self._path[:common], self._line[: common + 1]
            for tac in target[common:]:
                label, out = self._send(f"Timeout {self.tactic_timeout:g} {tac}.", 2 * self.tactic_timeout + 5)
                if _error_message(out) is not None:
                    raise AssistantError(f"replaying {tac!r} failed: {_error_message(out)}", where=self._theorem.where)
                self._path, self._line = (*self._path, tac), [*self._line, label]
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            self.restarts += 1
            self._kill()
            raise AssistantError(f"coqtop died or hung while restoring a state: {exc.__class__.__name__}") from exc

    # -- re-check ----------------------------------------------------------------------------
    def script(self, theorem: Theorem, tactics: tuple[str, ...]) -> str:
        """The proof as a Coq file: prelude, statement, ``Proof.``, tactics, ``Qed.``, epilogue."""
        body = "".join(f"  {t}.\n" for t in tactics)
        parts = [theorem.prelude.rstrip(), theorem.statement.strip(), "Proof.\n" + body + "Qed.", theorem.epilogue.strip()]
        return "\n".join(p for p in parts if p) + "\n"

    def recheck(self, theorem: Theorem, tactics: tuple[str, ...], timeout: float = 300.0) -> CheckResult:
        """Compile the proof script with ``coqc``: the independent check of a found proof."""
        script = self.script(theorem, tactics)
        path = self._tmp / "Recheck.v"
        path.write_text(script, encoding="utf-8")
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                [self.coqc, "-q", *self.args, path.name],
                cwd=self._tmp,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return CheckResult(False, script, f"coqc ran past {timeout:g} s")
        except OSError as exc:
            return CheckResult(False, script, f"coqc could not run: {exc}")
        msg = (proc.stdout + proc.stderr).strip()
        return CheckResult(proc.returncode == 0, script, msg[-1000:] or f"coqc ok in {time.perf_counter() - t0:.1f} s")
