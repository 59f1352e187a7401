"""The scan worker: a process the server starts (``pools.ScanPool``) and may kill at any time.

Protocol: one JSON object per line on stdin (``notebook``: the resolved path, ``name``: the
root-relative name, ``root``: the resolved root, ``max_notebook_mb``), one JSON object per
line on stdout (``{"ok": true, "result": ...}`` or ``{"ok": false, "status", "code",
"message"}``). Anything the checks print goes to stderr (the server's log), never into the
protocol. The worker re-opens the notebook as a bounded regular file itself (what the server
checked could have been swapped since), refuses JSON it cannot parse (too deep, not JSON)
with a 4xx, and never names an absolute path in what it answers.

It exits when stdin closes, and on its own when the server that started it is gone (a
watchdog thread compares the parent pid), so a killed server leaves no scan running.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any, TextIO

from ..core.errors import MLSecError
from .files import opened_regular
from .paths import Refused, without_root

NESTED = "{name} is nested too deeply to be a notebook: not scanned"
NOT_JSON = "{name} is not a notebook: not JSON ({why})"
CHECK_FAILED = ("the scan of {name} failed ({kind}); the server's log has the details, "
                "nothing was recorded")
OUT_OF_MEMORY = "the scan of {name} ran out of memory: nothing was recorded"
WATCH_S = 0.5
READY = '{"ready": true}'


def scan(job: dict[str, Any]) -> dict[str, Any]:
    """Run the static checks on the job's notebook; the answer's ``result`` (plain JSON)."""
    from ..checks.notebook_static import CHECK, static_reports
    from ..core.report import Report

    path, name = Path(job["notebook"]), str(job["name"])
    with opened_regular(path, name) as file:
        data = file.read(int(job["max_notebook_mb"]), "max_notebook_mb")
    try:
        json.loads(data)
    except RecursionError:
        raise Refused(422, "invalid-input", NESTED.format(name=name)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        why = " ".join(str(exc).split())[:200]
        raise Refused(422, "invalid-input", NOT_JSON.format(name=name, why=why)) from None
    del data
    reports, skipped = static_reports(path, name)
    merged = Report.merge(reports, check=CHECK, subject=name)
    merged.skipped.extend(skipped)
    return {"reports": [report.to_dict() for report in reports], "merged": merged.to_dict(),
            "counts": merged.counts(), "parts": [report.check for report in reports]}


def answer(job: dict[str, Any]) -> dict[str, Any]:
    """``scan``'s result, or the refusal as a status, code and one-line message."""
    name = str(job.get("name", "the notebook"))
    try:
        return {"ok": True, "result": scan(job)}
    except Refused as exc:
        return _refusal(exc.status, exc.code, exc.message)
    except MLSecError as exc:
        return _refusal(422, "invalid-input", str(exc))
    except RecursionError:
        return _refusal(422, "invalid-input", NESTED.format(name=name))
    except MemoryError:
        return _refusal(422, "too-large", OUT_OF_MEMORY.format(name=name))
    except Exception as exc:  # a check broke on this input: the log gets the traceback
        traceback.print_exc(file=sys.stderr)
        return _refusal(422, "scan-failed", CHECK_FAILED.format(name=name,
                                                                kind=type(exc).__name__))


def _refusal(status: int, code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "status": status, "code": code,
            "message": " ".join(message.split())}


def scrubbed(text: str, job: dict[str, Any]) -> str:
    """``text`` (JSON) with the notebook's absolute path and the root's taken out."""
    def escaped(value: str) -> str:
        return json.dumps(value)[1:-1]

    text = text.replace(escaped(str(job["notebook"])), escaped(str(job["name"])))
    return without_root(text, escaped(str(job["root"])))


def _watch_parent(parent: int) -> None:
    """Exit at once when the process that started this one is gone."""
    while True:
        time.sleep(WATCH_S)
        if os.getppid() != parent:
            os._exit(0)


def warm_up() -> None:
    """Load what every scan needs (Presidio's analyzer above all, about 2 s of CPU) once, by
    scanning a two-cell notebook, so the time limit of a scan measures the scan alone."""
    import tempfile

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from ..checks.notebook_static import static_reports

    with tempfile.TemporaryDirectory(prefix="mlsec-warm-") as folder:
        path = Path(folder) / "warm.ipynb"
        nbformat.write(new_notebook(cells=[new_code_cell("contact = 'a@example.org'"),
                                           new_code_cell("x = 1")]), path)
        static_reports(path, "warm.ipynb")


def serve(requests: TextIO, replies: TextIO) -> None:
    """Say ``ready`` once warm, then answer each request line with one reply line until
    ``requests`` ends."""
    from ..lineage.chain import to_plain

    try:
        warm_up()
    except Exception:  # a broken check shows in the scans themselves; say so in the log
        traceback.print_exc(file=sys.stderr)
    replies.write(READY + "\n")
    replies.flush()
    for line in requests:
        try:
            job = json.loads(line)
        except ValueError:
            continue
        reply = to_plain(answer(job))
        text = json.dumps(reply, allow_nan=False)
        replies.write(scrubbed(text, job) + "\n")
        replies.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to decide on
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the checks print goes to the server's log
    sys.stdout = sys.stderr
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    serve(sys.stdin, replies)


if __name__ == "__main__":
    main()
