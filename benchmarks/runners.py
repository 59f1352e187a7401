"""Run each scanner (ours and the peers) on one file in a fresh process, measured the same way.

Every run is a new process, so CPU time and peak RSS are whole-process figures (interpreter start,
imports, scan) taken from ``os.wait4`` for that child alone. A run that passes its time limit or
its memory cap is killed and reported as ``timeout`` / ``oom``, never dropped.

Verdicts, per scanner, at two levels (see README.md):
``strong`` -- the scanner's own "dangerous" level (ours: high+, modelscan: HIGH/CRITICAL,
picklescan: a dangerous global, fickling: LIKELY_UNSAFE or worse, modelaudit: critical);
``any`` -- anything a user would be warned about (ours: medium+, modelscan: MEDIUM+, picklescan:
dangerous or suspicious globals, fickling: a non-zero exit code, modelaudit: warning+).

Each capability's script (``leakage.py``, ``drift.py`` ...) is a list of named parts run through
:func:`run_parts`: ``--part NAME`` (repeatable; default: every part) and ``--quick`` (each part's
small form, for development); any other option goes to the one part chosen.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PEER_ENV = {
    # modelaudit sends usage telemetry unless told not to (its documented switch); no network here
    "PROMPTFOO_DISABLE_TELEMETRY": "1",
    "NO_COLOR": "1",
}

OUR_SCAN = (
    "import json, sys\n"
    "from mlsecops_jupyter.checks.modelscan import scan_model\n"
    "report = scan_model(sys.argv[1])\n"
    "print(json.dumps({'findings': [[f.rule, f.severity.label] for f in report.findings],\n"
    "                  'elapsed_s': report.elapsed_s}))\n"
)


@dataclass
class Measured:
    """One process run: how it ended and what it cost."""

    status: str  # "ok" | "timeout" | "oom" | "error"
    returncode: int | None
    cpu_s: float
    wall_s: float
    peak_rss_mb: float
    stdout: str = ""
    stderr: str = ""
    output_file: str = ""


@dataclass
class Verdict:
    """What a scanner said about one file."""

    strong: bool
    any: bool
    error: str = ""
    detail: list[str] = field(default_factory=list)
    elapsed_s: float | None = None  # ours only: the time scan_model reports for itself


# Linux carries a process's peak RSS across fork+exec, so a child forked straight from this
# (torch-importing) script would inherit our peak. A bare interpreter (-I -S, ~10 MB) forks the
# scanner instead and reports the scanner's own rusage on its last stderr line.
LAUNCHER = (
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execvp(sys.argv[1], sys.argv[1:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "code = os.waitstatus_to_exitcode(status)\n"
    "sys.stderr.write(f'\\n{RUSAGE_TAG} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} "
    "{code}\\n')\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)
RUSAGE_TAG = "@@bench-rusage"


def run_measured(argv: list[str], timeout_s: float, memory_cap_mb: float | None = None,
                 output_file: Path | None = None) -> Measured:
    """Run ``argv`` through the launcher in its own process group, with time and memory caps."""
    env = {**os.environ, **PEER_ENV}
    launcher = LAUNCHER.replace("{RUSAGE_TAG}", RUSAGE_TAG)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-I", "-S", "-c", launcher, *argv],
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env=env, start_new_session=True)
        status = "ok"
        while process.poll() is None:
            if time.perf_counter() - started > timeout_s:
                status = "timeout"
            elif memory_cap_mb is not None and _tree_rss_mb(process.pid) > memory_cap_mb:
                status = "oom"
            if status != "ok":
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    stderr, cpu_s, peak_mb, returncode = _split_rusage(stderr)
    if status == "ok" and (returncode is None or returncode < 0):
        status = "error"
    return Measured(status, returncode, cpu_s, wall, peak_mb, stdout, stderr,
                    str(output_file) if output_file else "")


def _split_rusage(stderr: str) -> tuple[str, float, float, int | None]:
    """Remove the launcher's rusage line from ``stderr``; (rest, cpu s, peak MB, exit code)."""
    head, tag, tail = stderr.rpartition(RUSAGE_TAG)
    if not tag:
        return stderr, float("nan"), float("nan"), None
    cpu, maxrss_kb, code = tail.split()[:3]
    return head, float(cpu), int(maxrss_kb) / 1024, int(code)


def _tree_rss_mb(pid: int) -> float:
    import psutil  # here, not above: the drift peers' environment imports this module without it

    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
        return sum(p.memory_info().rss for p in processes) / 2**20
    except psutil.Error:
        return 0.0


# -- one script per capability, in named parts ------------------------------------------------

@dataclass(frozen=True)
class Part:
    """One part of a capability's benchmark: its entry point and what makes it small.

    ``main`` takes the part's own command-line arguments and returns an exit code (``None``:
    0); ``quick`` are the arguments of its ``--quick`` form, put before the user's own.
    """

    main: Callable[[list[str]], int | None]
    about: str
    quick: tuple[str, ...] = ()


def first_line(function: Callable[..., Any]) -> str:
    """The first line of ``function``'s docstring: a part's one-line description."""
    return (function.__doc__ or "").strip().splitlines()[0]


def run_parts(doc: str, parts: dict[str, Part], argv: list[str] | None = None) -> int:
    """The command line every capability script shares; returns the worst part's exit code.

    Running several parts prints a ``## part`` heading before each one's tables; a single part
    prints exactly what its section of benchmarks/README.md shows.
    """
    listing = "\n".join(f"  {name:14} {part.about}" for name, part in parts.items())
    parser = argparse.ArgumentParser(
        description=" ".join(doc.strip().split("\n\n")[0].split()), add_help=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"parts:\n{listing}\n\n--part NAME --help lists the options of one part.")
    parser.add_argument("--part", action="append", choices=list(parts),
                        help="run only this part (repeatable; default: every part)")
    parser.add_argument("--quick", action="store_true",
                        help="each part's small form, for development")
    known, rest = parser.parse_known_args(argv)
    chosen = known.part or list(parts)
    if {"-h", "--help"} & set(rest) and not known.part:
        parser.print_help()
        return 0
    if rest and len(chosen) != 1:
        parser.error(f"{' '.join(rest)}: options of a part need that part named with --part")
    worst = 0
    for name in chosen:
        part = parts[name]
        if len(chosen) > 1:
            print(f"\n## {name}\n", flush=True)
        code = part.main([*(part.quick if known.quick else ()), *rest]) or 0
        worst = max(worst, code)
    return worst


# -- scanners -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scanner:
    """How to run one scanner on one file and read its verdict."""

    name: str
    command: Callable[[Path, Path], list[str]]  # (input, output file) -> argv
    verdict: Callable[[Measured], Verdict]


def _ours_verdict(run: Measured) -> Verdict:
    if run.status != "ok" or run.returncode != 0:
        return Verdict(False, False, error=_last_line(run.stderr) or run.status)
    output = json.loads(run.stdout.strip().splitlines()[-1])
    findings = output["findings"]
    ranks = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
    return Verdict(any(ranks[s] >= 3 for _, s in findings),
                   any(ranks[s] >= 2 for _, s in findings),
                   detail=[f"{s} {rule}" for rule, s in findings],
                   elapsed_s=output.get("elapsed_s"))


def _modelscan_verdict(run: Measured) -> Verdict:
    report = _read_json(run.output_file)
    if report is None:
        return Verdict(False, False, error=_last_line(run.stderr) or run.status)
    severities = [issue.get("severity", "") for issue in report.get("issues", [])]
    errors = [e.get("description", str(e)) for e in report.get("errors", [])]
    return Verdict(any(s in ("HIGH", "CRITICAL") for s in severities),
                   any(s in ("MEDIUM", "HIGH", "CRITICAL") for s in severities),
                   error="; ".join(errors)[:120],
                   detail=[f"{i.get('severity')} {i.get('module')}.{i.get('operator')}"
                           for i in report.get("issues", [])])


def _picklescan_verdict(run: Measured) -> Verdict:
    if run.status != "ok":
        return Verdict(False, False, error=run.status)
    dangerous = _count(r"Dangerous globals: (\d+)", run.stdout)
    suspicious = _count(r"Suspicious globals: (\d+)", run.stdout)
    reported = [line for line in (run.stdout + run.stderr).splitlines() if "ERROR" in line]
    error = "; ".join(reported)[:160]
    if run.returncode not in (0, 1) and not error:
        error = f"exit {run.returncode}"
    return Verdict(dangerous > 0, dangerous + suspicious > 0, error=error)


_FICKLING_STRONG = ("LIKELY_UNSAFE", "LIKELY_OVERTLY_MALICIOUS", "OVERTLY_MALICIOUS")


def _fickling_verdict(run: Measured) -> Verdict:
    if run.status != "ok":
        return Verdict(False, False, error=run.status)
    report = _read_json(run.output_file) or {}
    severity = str(report.get("severity", ""))
    parse_failed = "failed to parse" in (run.stdout + run.stderr)
    return Verdict(severity in _FICKLING_STRONG, run.returncode != 0,
                   error="parse failure (exit 2: 'do not trust')" if parse_failed else "",
                   detail=[severity] if severity else [])


def _modelaudit_verdict(run: Measured) -> Verdict:
    report = _read_json(run.output_file)
    if report is None:
        return Verdict(False, False, error=_last_line(run.stderr) or run.status)
    severities = [str(issue.get("severity", "")).lower() for issue in report.get("issues", [])]
    return Verdict("critical" in severities,
                   any(s in ("warning", "critical") for s in severities),
                   error="exit 2 (scan errors)" if run.returncode == 2 else "",
                   detail=sorted({f"{i.get('severity')} {i.get('rule_code', '')}"
                                  for i in report.get("issues", [])}))


PEERS_BIN: list[Path] = []  # set by set_peers_bin: where the peers' console scripts are


def set_peers_bin(folder: Path | None) -> None:
    """Run the peers from ``folder`` (their own environment) instead of next to this Python."""
    PEERS_BIN[:] = [folder] if folder else []


def _bin(name: str) -> str:
    """The peer's console script: in ``PEERS_BIN``, else next to this interpreter, else PATH."""
    for folder in [*PEERS_BIN, Path(sys.executable).parent]:
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    return name


SCANNERS: dict[str, Scanner] = {
    "ours": Scanner("ours", lambda p, o: [sys.executable, "-c", OUR_SCAN, str(p)], _ours_verdict),
    "modelscan": Scanner(
        "modelscan",
        lambda p, o: [_bin("modelscan"), "-p", str(p), "-r", "json", "-o", str(o)],
        _modelscan_verdict),
    "picklescan": Scanner("picklescan", lambda p, o: [_bin("picklescan"), "-p", str(p)],
                          _picklescan_verdict),
    "fickling": Scanner(
        "fickling",
        lambda p, o: [_bin("fickling"), "--check-safety", str(p), "--json-output", str(o)],
        _fickling_verdict),
    "modelaudit": Scanner(
        "modelaudit",
        lambda p, o: [_bin("modelaudit"), "scan", str(p), "--format", "json", "-o", str(o),
                      "--no-cache"],
        _modelaudit_verdict),
}


def run_scanner(scanner: Scanner, path: Path, timeout_s: float,
                memory_cap_mb: float | None = None) -> tuple[Measured, Verdict]:
    """One measured run of ``scanner`` on ``path`` and its verdict."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{scanner.name}-") as folder:
        output = Path(folder) / "report.json"
        run = run_measured(scanner.command(path, output), timeout_s, memory_cap_mb, output)
        if run.status in ("timeout", "oom"):
            return run, Verdict(False, False, error=run.status)
        try:
            return run, scanner.verdict(run)
        except (ValueError, KeyError, IndexError) as error:
            return run, Verdict(False, False, error=f"unreadable output: {error}")


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def _count(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else 0


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""
