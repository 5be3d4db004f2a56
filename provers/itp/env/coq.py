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

Soundness
---------
Nothing untrusted reaches Coq unchecked (`provers.itp.vernac`): the statement must be exactly
one lemma declaration named like the theorem, every prelude and epilogue sentence passes the
command filter (no ``Redirect``, ``Load``, ``Unset Guard Checking``, ...), every tactic is one
sentence without ``admit``. A prelude that leaves a proof open is refused. A found proof is
re-checked independently by `CoqEnv.recheck`: prelude, statement, ``Proof.``, the tactics,
``Qed.``, then — in the same file — ``Check (@name : forall binders, type)`` and ``Print
Assumptions name``, then the epilogue, compiled by ``coqc``; it passes only when every axiom
it relies on is one the prelude or an installed library declares.

Ctrl-C (`KeyboardInterrupt`) while a tactic runs leaves coqtop in step: it is interrupted,
its stale answers are drained up to a fresh token, and it is taken back to the last known
state (or restarted and the path replayed when it does not answer).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache
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
from provers.itp.vernac import (
    check_epilogue,
    check_text,
    clean_tactic,
    declared_assumptions,
    parse_statement,
    sentences,
)
from workbench.errors import require

log = logging.getLogger(__name__)

__all__ = ["CoqEnv", "clean_tactic", "parse_goals", "check_theorem"]

_PROMPT = re.compile(r"<prompt>(\S+) < (\d+) \|([^|]*)\| (\d+) < </prompt>")
#: coqtop's answer to a command or question cut short by SIGINT.
_INTERRUPTED = re.compile(r"User interrupt[^<]*" + _PROMPT.pattern)
_GOAL_HEADER = re.compile(r"^(?:\d+ goals?(?: \(ID \d+\))?|No more goals\.|This subproof is complete.*)$", re.M)
_ID = re.compile(r" \(ID \d+\)")
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
    hammer:
        Load CoqHammer (`HAMMER_PRELUDE`) after the theorem's prelude, for ``sauto``-family
        tactics and ``hammer`` (which gets ``hammer_timeout`` seconds: it exports the
        environment to external provers); a successful ``hammer`` is recorded as the reconstruction
        tactic it prints (``Replace the hammer tactic with: ...``), so that the proof replays
        and re-checks without the external provers.
    automation_timeout:
        Seconds for CoqHammer's search tactics (``sauto``, ``hauto``, ``qauto``, any options) when
        that is less than ``tactic_timeout``. Why: they either succeed at once or search until
        stopped; in a best-first search each stop at the tactic timeout is time no other branch
        gets (dev theorems the search failed: 64 % of the tactic time was ``sauto`` timing out;
        every ``sauto`` that succeeded on dev took under 0.8 s; docs/prove.md, rule H6).

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
        hammer: bool = False,
        hammer_timeout: float = 45.0,
        automation_timeout: float = 1.0,
    ) -> None:
        self.tactic_timeout = tactic_timeout
        self.automation_timeout = automation_timeout
        self.coqtop = coqtop
        self.coqc = coqc
        self.open_timeout = open_timeout
        self.args = tuple(args)
        self.max_restarts = max_restarts
        self.hammer = hammer
        self.hammer_timeout = hammer_timeout
        #: ``time.perf_counter()`` value after which no tactic may run (set by the search).
        self.deadline: float | None = None
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
        self._sync = 0

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
        stmt = check_theorem(theorem)
        if theorem is not self._theorem:
            self.restarts = 0
        self._theorem = theorem
        self._root = None
        self._start()
        prelude = self._prelude(theorem)
        try:
            if prelude.strip():
                pre = self._tmp / "prelude.v"
                pre.write_text(prelude, encoding="utf-8")
                _, out = self._send(f'Load "{pre}".', self.open_timeout)
                err = _error_message(out)
                if err:
                    raise TheoremError(f"prelude rejected by Coq: {err[:500]}", where=theorem.where)
                if self._proc.match.group(3).strip():
                    raise TheoremError(f"the prelude leaves the proof of {self._proc.match.group(3).strip()!r} open", where=theorem.where)
            label, out = self._send(stmt, self.open_timeout)
        except KeyboardInterrupt:
            self._kill()
            raise
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
            limit = self.hammer_timeout if re.search(r"\bhammer\b", tac) else self.tactic_timeout
            if _AUTOMATION.fullmatch(tac):
                limit = min(limit, self.automation_timeout)
            if self.deadline is not None:  # no tactic runs past the search's budget
                limit = min(limit, self.deadline - time.perf_counter())
            limit = max(1, int(limit))  # Coq's Timeout takes whole seconds
            new_label, out = self._send(f"Timeout {limit} {tac}.", 2 * limit + 5)
        except KeyboardInterrupt:
            self._resync()
            raise
        except pexpect.TIMEOUT:
            self.restarts += 1
            self._kill()
            return TacticTimeout(tac, limit)
        except pexpect.EOF:
            tail = str(self._proc.before if self._proc else "").strip()[-200:]
            self.restarts += 1
            self._kill()
            return TacticError(tac, f"coqtop died running the tactic (restarted): {tail!r}")
        return self._outcome(state, tac, before, new_label, out, limit)

    def _outcome(self, state: ProofState, tac: str, before: int | None, label: int, out: str, limit: float) -> Outcome:
        if "Error: Timeout!" in out:
            return TacticTimeout(tac, limit)
        err = _error_message(out)
        if err is not None or label == before:
            return TacticError(tac, err or out.strip()[:300] or "rejected")
        if re.search(r"\bhammer\b", tac):
            replayed = self._replay_hammer(before, out)
            if isinstance(replayed, TacticError):
                return replayed
            tac, label, out = replayed
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

    def _replay_hammer(self, before: int | None, out: str) -> tuple[str, int, str] | TacticError:
        """Swap a successful ``hammer`` for a tactic that replays without the external provers.

        CoqHammer prints a reconstruction tactic, which is not always valid Coq (1.3.2 may
        print ``srun eauto use: x``), and the premises the provers used; the printed tactic,
        then ``hauto``/``sauto use:`` those premises, are each tried from the state before
        ``hammer``. The first that succeeds is the step of the proof: (tactic, label, output).
        """
        text = re.sub(r"</?[a-z]+>", "", out)
        deps = _HAMMER_DEPS.search(text)
        short = ", ".join(d.strip().split(".")[-1] for d in deps.group(1).split(",")) if deps else ""
        tries = [m.group(1) for m in [_HAMMER_REPLACE.search(text)] if m]
        tries += [f"hauto use: {short}", f"sauto use: {short}"] if short else ["sauto"]
        for cand in tries:
            try:
                tac = clean_tactic(cand)
                _, back = self._send(f"BackTo {before}.", 30)
                label, again = self._send(f"Timeout {max(1, int(self.tactic_timeout))} {tac}.", 2 * self.tactic_timeout + 5)
            except TacticRejected:
                continue
            except Exception as exc:  # noqa: BLE001 - coqtop died or hung: a restart replays the path
                self._kill()
                return TacticError("hammer", f"coqtop died replaying hammer's proof: {exc.__class__.__name__}")
            if _error_message(again) is None and label != before and "Error: Timeout!" not in again:
                return tac, label, again
        try:
            self._send(f"BackTo {before}.", 30)
        except Exception:  # noqa: BLE001
            self._kill()
        return TacticError("hammer", f"hammer's proof did not replay (tried {'; '.join(tries)[:200]})")

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
                label, out = self._send(f"Timeout {max(1, int(self.tactic_timeout))} {tac}.", 2 * self.tactic_timeout + 5)
                if _error_message(out) is not None:
                    raise AssistantError(f"replaying {tac!r} failed: {_error_message(out)}", where=self._theorem.where)
                self._path, self._line = (*self._path, tac), [*self._line, label]
        except KeyboardInterrupt:
            self._resync()
            raise
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            self.restarts += 1
            self._kill()
            raise AssistantError(f"coqtop died or hung while restoring a state: {exc.__class__.__name__}") from exc

    def _prelude(self, theorem: Theorem) -> str:
        """The theorem's prelude, plus CoqHammer when this environment uses it."""
        if not self.hammer:
            return theorem.prelude
        return theorem.prelude.rstrip() + "\n" + HAMMER_PRELUDE

    def _resync(self) -> None:
        """Bring coqtop back in step after a `KeyboardInterrupt` (Ctrl-C) cut a command short.

        The interrupted command may still be running, or may have been interrupted by the same
        Ctrl-C (coqtop then answers ``User interrupt``), or may have finished: its answer is
        still in the pipe and would be read as the answer to the next command. So coqtop is
        interrupted (SIGINT; not when it has already answered a terminal's Ctrl-C, which
        reaches it too: a second SIGINT while it handles the first makes it exit), then asked a
        question whose answer names a fresh token; everything up to that answer is dropped, and
        coqtop is taken back to the last state this object knows (``BackTo``). A question
        unanswered for 10 s means the interrupt was missed (seen on a loaded machine): coqtop is
        interrupted again, at most three times in all, and only then killed; the next call
        restarts it and replays the path, like after a crash.
        """
        import signal

        pexpect = require("pexpect", "itp")
        if self._proc is None:
            return
        try:
            # A terminal's Ctrl-C reaches coqtop too (same process group). When coqtop has already
            # answered it, a second SIGINT of ours can land while it is still handling the first,
            # and coqtop exits (seen in CI: EOF right after the interrupt): ours only when no
            # answer comes within a second.
            got = self._proc.expect([_INTERRUPTED, pexpect.TIMEOUT], timeout=1)
            interrupts, spent = (0, 1) if got == 0 else (1, 0)
            if got != 0:
                os.kill(self._proc.pid, signal.SIGINT)
            while True:
                self._sync += 1
                token = f"wb_sync_{os.getpid()}_{self._sync}"
                self._proc.sendline(f"Check {token}.")
                answered = re.compile(re.escape(token) + r"[^<]*" + _PROMPT.pattern)
                got = self._proc.expect([answered, _INTERRUPTED, pexpect.TIMEOUT], timeout=10)
                if got == 0:
                    break
                if got == 1:  # an interrupt spent on the command or on a question (each answers once;
                    spent += 1  # a terminal's Ctrl-C reaches coqtop besides ours)
                    if spent > interrupts + 2:
                        raise AssistantError("coqtop kept answering 'User interrupt'")
                    continue
                if interrupts == 3:  # got == 2: the SIGINT came where Coq does not poll for it
                    raise AssistantError("coqtop did not answer after three interrupts")
                os.kill(self._proc.pid, signal.SIGINT)
                interrupts += 1
            self._current = int(self._proc.match.group(2))
            if self._line and self._current != self._line[-1]:
                _, out = self._send(f"BackTo {self._line[-1]}.", 10)
                if _error_message(out) is not None:
                    raise AssistantError(f"BackTo failed: {_error_message(out)}")
        except (pexpect.TIMEOUT, pexpect.EOF, OSError, AssistantError, KeyboardInterrupt) as exc:
            log.warning("coqtop is restarted: not back in step after an interrupt (%r)", exc)
            self._kill()

    # -- re-check ----------------------------------------------------------------------------
    def script(self, theorem: Theorem, tactics: tuple[str, ...], marker: str = "") -> str:
        """The proof as a Coq file: prelude, statement, ``Proof.``, tactics, ``Qed.``, epilogue.

        With ``marker``, the checks of `recheck` follow ``Qed.`` (before the epilogue, where the
        lemma's name and section variables are in scope): the constant has the stated type, and
        what it assumes.
        """
        stmt = parse_statement(theorem.statement, theorem.name, theorem.where)
        body = "".join(f"  {t}.\n" for t in tactics)
        checks = ""
        if marker:
            checks = (
                f"Check (fun {marker} : Prop => {marker}).\n"
                f"Check (@{stmt.name} : {stmt.closed_type}).\n"
                f"Set Printing Width 100000.\nPrint Assumptions {stmt.name}."
            )
        parts = [self._prelude(theorem).rstrip(), _one_line(theorem.statement), "Proof.\n" + body + "Qed.", checks, theorem.epilogue.strip()]
        return "\n".join(p for p in parts if p) + "\n"

    def recheck(self, theorem: Theorem, tactics: tuple[str, ...], timeout: float = 300.0) -> CheckResult:
        """Compile the proof with ``coqc`` and check, in the same file, what was proved.

        The proof passes when ``coqc`` accepts the file (every tactic, ``Qed``, the epilogue),
        the constant the statement names has the stated type, and ``Print Assumptions`` lists
        no axiom other than those the prelude declares (``Axiom``, ``Parameter``, ``Admitted``
        lemmas, section variables) or the installed libraries declare; a proof that relies on
        switched-off guard, positivity or universe checks never passes. The axioms it does rely
        on are returned (`CheckResult.assumptions`).
        """
        import secrets

        try:
            check_theorem(theorem)
            for t in tactics:
                clean_tactic(t)
        except (TheoremError, TacticRejected) as exc:
            return CheckResult(False, "", f"refused before compiling: {exc}")
        marker = f"wb_recheck_{secrets.token_hex(8)}"
        script = self.script(theorem, tactics, marker)
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
        shown = self.script(theorem, tactics)
        if proc.returncode != 0:
            return CheckResult(False, shown, msg[-1000:])
        ok, why, axioms = assumptions_allowed(proc.stdout, marker, declared_assumptions(theorem.prelude))
        if not ok:
            return CheckResult(False, shown, why, axioms)
        return CheckResult(True, shown, f"coqc ok in {time.perf_counter() - t0:.1f} s", axioms)


def _one_line(text: str) -> str:
    """The statement as Coq reads it (comments removed), on one line."""
    return sentences(text)[0].code


def check_theorem(theorem: Theorem) -> str:
    """Refuse what may not reach Coq in a theorem: the statement as the one sentence Coq will
    run, after checking the prelude and epilogue with the command filter.

    Raises
    ------
    TheoremError
        When the statement is not one lemma declaration named ``theorem.name``, or a prelude
        or epilogue sentence is refused (`provers.itp.vernac.check_sentence`).
    """
    if theorem.prelude.strip():
        check_text(theorem.prelude, "prelude", theorem.where)
    if theorem.epilogue.strip():
        check_epilogue(theorem.epilogue, theorem.where)
    parse_statement(theorem.statement, theorem.name, theorem.where)
    return _one_line(theorem.statement)


_AXIOM_LINE = re.compile(r"^(\S+) : ")
_HAMMER_REPLACE = re.compile(r"Replace the hammer tactic with:\s*\n\s*(.+?)\.?\s*$", re.M)
_HAMMER_DEPS = re.compile(r"^- dependencies: (.+)$", re.M)
#: CoqHammer's search tactics, alone (`CoqEnv.automation_timeout`): ``sauto``, ``hauto lq: on use: x``, ``qauto``;
#: not a compound (``sauto; simpl``, ``sauto || lia``), whose other part may need the tactic timeout.
_AUTOMATION = re.compile(r"\s*[sqh]auto\b[^;|]*")
#: Loaded after a theorem's prelude when `CoqEnv.hammer` is set: the tactics (``sauto``,
#: ``hauto``, ...) and the ``hammer`` plugin; the external provers get 2 threads (our 2 cores)
#: and 10 s.
HAMMER_PRELUDE = "From Hammer Require Import Hammer.\nSet Hammer GSMode 2.\nSet Hammer ATPLimit 10.\n"


@lru_cache(maxsize=1)
def hammer_installed() -> bool:
    """CoqHammer's Coq library is installed (Debian: ``libcoq-hammer``)."""
    try:
        where = subprocess.run(["coqc", "-where"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return False
    return (Path(where) / "user-contrib" / "Hammer" / "Plugin" / "Hammer.vo").exists()


def assumptions_allowed(output: str, marker: str, declared: frozenset[str]) -> tuple[bool, str, tuple[str, ...]]:
    """Read ``Print Assumptions`` after ``marker`` in coqc's output: (passes, why not, axioms).

    >>> out = "x\\nfun wb_m : Prop => wb_m\\n : Prop -> Prop\\nt : True\\n : True\\nAxioms:\\nfermat : False\\n"
    >>> assumptions_allowed(out, "wb_m", frozenset())
    (False, 'relies on fermat, which the prelude does not declare', ('fermat',))
    >>> assumptions_allowed(out, "wb_m", frozenset({"fermat"}))
    (True, '', ('fermat',))
    """
    at = output.rfind(f"fun {marker} : Prop")
    if at < 0:
        return False, "the re-check printed no assumption report", ()
    lines = output[at:].splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.startswith(("Axioms:", "Closed under the global context", "Section Variables:")))
    except StopIteration:
        return False, "the re-check printed no assumption report", ()
    axioms: list[str] = []
    section = ""
    for ln in lines[start:]:
        if ln in ("Axioms:", "Section Variables:"):
            section = ln
            continue
        if ln.startswith("Closed under the global context") or section == "Section Variables:":
            continue
        if re.search(r"assumed to be (guarded|positive)|type-in-type|relying on", ln):
            return False, f"relies on a switched-off kernel check: {ln.strip()[:100]}", tuple(axioms)
        m = _AXIOM_LINE.match(ln)
        if section == "Axioms:" and m:
            axioms.append(m.group(1))
        elif ln.strip() and not ln.startswith(" "):
            return False, f"unexpected line in the assumption report: {ln.strip()[:100]}", tuple(axioms)
    for a in axioms:
        short = a.split(".")[-1]
        if short not in declared and short not in library_axioms():
            return False, f"relies on {a}, which the prelude does not declare", tuple(axioms)
    return True, "", tuple(axioms)


@lru_cache(maxsize=1)
def library_axioms() -> frozenset[str]:
    """Short names of the assumptions the installed Coq libraries declare (stdlib, user-contrib)."""
    try:
        where = subprocess.run(["coqc", "-where"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    names: set[str] = set()
    for path in Path(where).rglob("*.v"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"\b(?:Axiom|Parameter|Conjecture|Hypothes[ie]s|Variable|Context)", text):
            names |= declared_assumptions(text)
    return frozenset(names)
