"""Secrets on the peers' own test vectors: ours vs detect-secrets (and gitleaks' rules re-run).

    python benchmarks/secrets_vectors.py [--details]

Reads only the stored vectors (``benchmarks/vectors/gitleaks/``, ``.../detect_secrets/``; see
their SOURCE.md), writes notebooks into ``benchmarks/data/secrets_vectors/`` and scans each
with every tool. One example per cell; a cell counts as found (true example) or flagged (false
example) when a tool reports a secret anywhere in it.

gitleaks, two protocols:

- **neutral** (issue 14's protocol): the secret of each true example (the value gitleaks'
  helper was given, or the one its rule's regex captures in a literal example; one per rule and
  value, as gitleaks' 25 sample syntaxes of one value collapse to the same cells; a capture
  shorter than 12 characters is a structural fragment, not a credential -- jwt-base64's
  ``alg`` header piece, a GUID piece of a Teams webhook -- and the rule's whole match stands in
  for it when that match is one token; a match with spaces is the value in its context, curl's
  ``--header "Api-Token: ..."``, and the capture stays) is assigned to
  a neutral name (``value``, ``VALUE``: no "token", "key" or provider in it) in the notebook
  syntaxes ``NEUTRAL``; a false example that is a bare value (no white space) goes into the same
  cells; a false example with context (``publicToken = "..."``) goes in verbatim, as one code cell;
- **as written**: every example verbatim in one code cell (gitleaks' own names kept).

detect-secrets runs with its default plugins on the ``.ipynb`` file, as ``detect-secrets scan``
would; its lines are mapped back to cells. The gitleaks binary is not run (no Go toolchain, no
package of it in the registries reachable here); the column "gitleaks rules" re-runs gitleaks'
rule table in Python (``vectors/re2py.rule_check``: regex, secret group, entropy, keywords,
allowlists) on each cell's text: a reference for what the rules themselves can see, not the
binary (no decoding of encoded segments, no per-file logic).

detect-secrets' plugin vectors: each distinct string of its plugin tests in one code cell.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
VECTORS = BENCH / "vectors"
DATA = BENCH / "data" / "secrets_vectors"
sys.path.insert(0, str(VECTORS))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import re2py  # noqa: E402

Cell = dict[str, Any]


def _single_line(s: str) -> bool:
    return "\n" not in s and not re.search(r"\s", s)


# notebook syntax -> (applies to the value?, cell source)
NEUTRAL: dict[str, tuple[Callable[[str], bool], Callable[[str], str]]] = {
    "python": (lambda s: True, lambda s: f"value = {s!r}"),
    "%env": (_single_line, lambda s: f"%env VALUE={s}"),
    "%%bash export": (lambda s: _single_line(s) and "'" not in s,
                      lambda s: f"%%bash\nexport VALUE='{s}'"),
    ".env file": (_single_line, lambda s: f"%%writefile .env\nVALUE={s}\n"),
    "YAML file": (lambda s: True,
                  lambda s: f"%%writefile settings.yaml\nvalue: {json.dumps(s)}\n"),
    "JSON file": (lambda s: True,
                  lambda s: f'%%writefile settings.json\n{{"value": {json.dumps(s)}}}\n'),
}


def load_gitleaks() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    folder = VECTORS / "gitleaks"
    rules = {r["id"]: r for r in json.loads((folder / "rules.json").read_text())}
    with (folder / "examples.jsonl").open() as stream:
        examples = [json.loads(line) for line in stream]
    return examples, rules


def _whole_match(example: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str | None:
    rule = rules.get(example["rule"])
    if not rule or not rule.get("regex_python"):
        return None
    m = re.search(rule["regex_python"], example["text"], re.ASCII)
    return m.group().strip() if m else None


def neutral_cells(examples: list[dict[str, Any]],
                  rules: dict[str, dict[str, Any]] | None = None) -> list[Cell]:
    """The neutral protocol's cells, each with its label, family, rule and syntax."""
    cells: list[Cell] = []
    seen: set[tuple[str, str, str]] = set()
    for example in examples:
        if not example["text"].strip():  # a file-name-only example (pkcs12): no text
            continue
        if example["label"] == "true":
            value = example.get("secret")
            if not value:
                continue
            if len(value) < 12 and rules is not None:
                whole = _whole_match(example, rules)
                if whole and not re.search(r"\s", whole):  # a token, not a value in context
                    value = whole
        elif re.fullmatch(r"\S+", example["text"]):
            value = example["text"]
        else:
            key = ("false", example["rule"], example["text"])
            if key not in seen:
                seen.add(key)
                cells.append({"source": example["text"], "label": "false", "syntax": "verbatim",
                              "family": example["family"], "rule": example["rule"]})
            continue
        for syntax, (applies, render) in NEUTRAL.items():
            key = (example["label"], example["rule"], f"{syntax}\0{value}")
            if not applies(value) or key in seen:
                continue
            seen.add(key)
            cells.append({"source": render(value), "label": example["label"], "syntax": syntax,
                          "family": example["family"], "rule": example["rule"]})
    return cells


def written_cells(examples: list[dict[str, Any]]) -> list[Cell]:
    return [{"source": e["text"], "label": e["label"], "syntax": e.get("syntax", "literal"),
             "family": e["family"], "rule": e["rule"]}
            for e in examples if e["text"].strip()]


def detect_secrets_cells(cells: list[Cell], protocol: str) -> list[Cell]:
    """detect-secrets' plugin vectors, one distinct string per cell (conflicting labels out)."""
    document = json.loads((VECTORS / "detect_secrets" / "vectors.json").read_text())
    labels: dict[str, set[str]] = defaultdict(set)
    plugin: dict[str, str] = {}
    for item in document["items"]:
        labels[item["text"]].add(item["label"])
        plugin.setdefault(item["text"], item["plugin"])
    return [{"source": text, "label": next(iter(found)), "syntax": "verbatim",
             "family": plugin[text], "rule": plugin[text]}
            for text, found in labels.items() if len(found) == 1]


def write_notebook(cells: list[Cell], path: Path) -> None:
    """One code cell per vector, ids ``c00000``...; sorted keys put each id before its source."""
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i:05d}",
                   "metadata": {}, "outputs": [],
                   "source": cell["source"].splitlines(keepends=True)}
                  for i, cell in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


# -- the tools ----------------------------------------------------------------------------------
def run_ours(path: Path) -> tuple[set[int], float]:
    from mlsecops_jupyter.checks.pii.notebook import scan_notebook
    from mlsecops_jupyter.core.settings import Settings

    secrets_only = Settings().override({"secrets.pii": False})
    started = time.process_time()
    report = scan_notebook(path, settings=secrets_only)
    cpu = time.process_time() - started
    return {f.location.cell for f in report.findings if f.location.output is None}, cpu


_CELL_ID = re.compile(r'^\s*"id": "c(\d{5})",?$')


def run_detect_secrets(path: Path) -> tuple[set[int], float] | str:
    try:
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError as exc:
        return f"not installed ({exc}); pip install -e '.[bench]'"
    lines = path.read_text(encoding="utf-8").splitlines()
    cell_of_line: dict[int, int] = {}
    current = -1
    for number, line in enumerate(lines, start=1):
        m = _CELL_ID.match(line)
        if m:
            current = int(m.group(1))
        cell_of_line[number] = current
    started = time.process_time()
    with default_settings():
        collection = SecretsCollection()
        collection.scan_file(str(path))
        flagged = {cell_of_line[secret.line_number] for _, secret in collection}
    return flagged - {-1}, time.process_time() - started


def run_gitleaks_rules(cells: list[Cell], rules: dict[str, dict[str, Any]],
                       global_allowlists: list[re2py.Allowlist]) -> tuple[set[int], float]:
    started = time.process_time()
    flagged = set()
    for index, cell in enumerate(cells):
        for rule in rules.values():
            if rule["regex_python"] and re2py.rule_check(rule, cell["source"],
                                                         global_allowlists)[0]:
                flagged.add(index)
                break
    return flagged, time.process_time() - started


def detect_secrets_version() -> str:
    try:
        from importlib.metadata import version

        return version("detect-secrets")
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return "not installed"


# -- scoring ------------------------------------------------------------------------------------
def rates(cells: list[Cell], flagged: set[int], key: str | None = None) -> dict[str, Any]:
    """Per group (``key`` of the cell, or all): found/true and flagged/false."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for index, cell in enumerate(cells):
        group = cell[key] if key else "all"
        hit = index in flagged
        groups[group][cell["label"]] += 1
        groups[group][cell["label"] + "_hit"] += hit
    return dict(groups)


def pct(hit: int, total: int) -> str:
    return f"{100 * hit / total:.1f} % ({hit}/{total})" if total else "-"


def print_summary(title: str, cells: list[Cell], results: dict[str, Any]) -> None:
    print(f"\n### {title}: {sum(c['label'] == 'true' for c in cells)} true cells, "
          f"{sum(c['label'] == 'false' for c in cells)} false cells\n")
    print("| tool | true examples found | false examples flagged | families with a true "
          "example found / with true examples | CPU s |")
    print("|---|---|---|---|---|")
    for tool, result in results.items():
        if isinstance(result, str):
            print(f"| {tool} | not run: {result} | | | |")
            continue
        flagged, cpu = result
        total = rates(cells, flagged)["all"]
        families = rates(cells, flagged, "family")
        with_true = [f for f, c in families.items() if c["true"]]
        found = [f for f in with_true if families[f]["true_hit"]]
        print(f"| {tool} | {pct(total['true_hit'], total['true'])} | "
              f"{pct(total['false_hit'], total['false'])} | {len(found)} / {len(with_true)} | "
              f"{cpu:.2f} |")


def print_by(cells: list[Cell], results: dict[str, Any], key: str, title: str) -> None:
    tools = [t for t, r in results.items() if not isinstance(r, str)]
    per_tool = {t: rates(cells, results[t][0], key) for t in tools}
    groups = sorted(next(iter(per_tool.values())).keys()) if per_tool else []
    print(f"\n{title}\n")
    print(f"| {key} | " + " | ".join(f"{t}: found / flagged" for t in tools) + " |")
    print("|---|" + "---|" * len(tools))
    for group in groups:
        row = []
        for tool in tools:
            c = per_tool[tool][group]
            found = f"{c['true_hit']}/{c['true']}" if c["true"] else "-"
            flagged = f"{c['false_hit']}/{c['false']}" if c["false"] else "-"
            row.append(f"{found} / {flagged}")
        print(f"| {group} | " + " | ".join(row) + " |")


def zero_families(cells: list[Cell], results: dict[str, Any]) -> None:
    for tool, result in results.items():
        if isinstance(result, str):
            continue
        families = rates(cells, result[0], "family")
        zero = sorted(f for f, c in families.items() if c["true"] and not c["true_hit"])
        print(f"- {tool}: {len(zero)} families at 0: {', '.join(zero) or 'none'}")


def evaluate(name: str, cells: list[Cell], rules: dict[str, dict[str, Any]] | None,
             global_allowlists: list[re2py.Allowlist]) -> dict[str, Any]:
    path = DATA / f"{name}.ipynb"
    write_notebook(cells, path)
    results: dict[str, Any] = {"ours": run_ours(path),
                               f"detect-secrets {detect_secrets_version()}":
                                   run_detect_secrets(path)}
    if rules is not None:
        results["gitleaks rules (re-run in Python)"] = run_gitleaks_rules(cells, rules,
                                                                          global_allowlists)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true",
                        help="also print every family / plugin row")
    args = parser.parse_args(argv)
    examples, rules = load_gitleaks()
    extraction = json.loads((VECTORS / "gitleaks" / "extraction.json").read_text())
    global_allowlists = [re2py.Allowlist.from_json(a) for a in extraction["global_allowlists"]]
    print(f"gitleaks {extraction['commit'][:12]}: {len(rules)} rules, "
          f"{len({r['family'] for r in rules.values()})} provider families, "
          f"{extraction['examples']['true']} true / {extraction['examples']['false']} false "
          "examples")
    saved: dict[str, Any] = {}
    for name, cells in (("gitleaks-neutral", neutral_cells(examples, rules)),
                        ("gitleaks-as-written", written_cells(examples))):
        results = evaluate(name, cells, rules, global_allowlists)
        print_summary(f"gitleaks examples, {name.split('-', 1)[1]}", cells, results)
        if name == "gitleaks-neutral":
            print_by(cells, results, "syntax", "By notebook syntax (true found / false "
                                               "flagged):")
        print(f"\nFamilies with no true example found ({name.split('-', 1)[1]}):\n")
        zero_families(cells, results)
        if args.details:
            print_by(cells, results, "family", "By provider family:")
        saved[name] = {tool: sorted(r[0]) if not isinstance(r, str) else r
                       for tool, r in results.items()}
    ds_cells = detect_secrets_cells([], "verbatim")
    ds_results = evaluate("detect-secrets-plugins", ds_cells, rules, global_allowlists)
    print_summary("detect-secrets plugin test strings", ds_cells, ds_results)
    print_by(ds_cells, ds_results, "family", "By detect-secrets plugin (true found / false "
                                             "flagged):")
    saved["detect-secrets-plugins"] = {tool: sorted(r[0]) if not isinstance(r, str) else r
                                       for tool, r in ds_results.items()}
    (DATA / "results.json").write_text(json.dumps(saved) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
