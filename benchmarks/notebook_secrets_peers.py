"""Run the peers (detect-secrets, NB Defense's secrets plugin) on notebooks; print JSON.

Runs in the peers' own environment (NB Defense needs Python < 3.11 and numpy < 2, see
benchmarks/README.md), so it imports nothing of ours. Output: one JSON object
``{tool: {"cpu_s": float, "flags": [[notebook, line_text], ...]} or {"error": str}}`` where
``line_text`` is the flagged notebook line (JSON-decoded, ANSI stripped).

NB Defense runs its secrets plugin only, called directly: its PII plugin needs a spaCy model it
would download, and its CLI resolves (downloads) plugin dependencies before reading "enabled".
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def json_line_text(line: str) -> str:
    """The notebook text on one line of an .ipynb file (a JSON string element), else the raw
    line."""
    stripped = line.strip().rstrip(",")
    match = re.search(r'"((?:[^"\\]|\\.)*)"\s*$', stripped)
    if match:
        try:
            return ANSI.sub("", json.loads(f'"{match.group(1)}"')).rstrip("\n")
        except ValueError:
            pass
    return stripped


def run_detect_secrets(paths: list[Path]) -> dict[str, object]:
    try:
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError as exc:
        return {"error": f"not installed ({exc})"}
    flags = []
    started = time.process_time()
    with default_settings():
        for path in paths:
            collection = SecretsCollection()
            collection.scan_file(str(path))
            lines = path.read_text(encoding="utf-8").splitlines()
            for _, secret in collection:
                flags.append([path.name, json_line_text(lines[secret.line_number - 1])])
    return {"cpu_s": time.process_time() - started, "flags": flags}


def run_nbdefense(paths: list[Path]) -> dict[str, object]:
    try:
        from nbdefense.codebase import Codebase
        from nbdefense.constants import DEFAULT_SETTINGS
        from nbdefense.issues import LineCellIssue
        from nbdefense.plugins import SecretsPlugin
    except ImportError as exc:
        return {"error": f"not installed ({exc})"}
    folder = paths[0].parent
    flags = []
    started = time.process_time()
    with tempfile.TemporaryDirectory() as temp:
        codebase = Codebase(folder, recursive=False, quiet=True, show_progress_bars=False,
                            temp_directory=Path(temp))
        settings = SecretsPlugin.get_settings("nbdefense.plugins.SecretsPlugin", True,
                                              DEFAULT_SETTINGS)
        SecretsPlugin.scan(codebase, settings)
        wanted = {p.name for p in paths}
        for notebook in codebase.notebooks():
            if notebook.path.name not in wanted:
                continue
            for issue in notebook.issues.all_issues:
                if isinstance(issue, LineCellIssue):
                    text = ANSI.sub("", issue.cell.lines[issue.line_index])
                    flags.append([notebook.path.name, text])
    return {"cpu_s": time.process_time() - started, "flags": flags}


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv]
    result = {"detect-secrets": run_detect_secrets(paths), "nbdefense": run_nbdefense(paths)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
