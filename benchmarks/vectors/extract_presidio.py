"""Extract Presidio's recognizer test cases (text, expected entity spans) into JSON.

    python benchmarks/vectors/extract_presidio.py --repo PATH/TO/presidio [--out DIR]

``--repo`` is a clone or bare snapshot of github.com/microsoft/presidio; ``HEAD`` is read with
``git show``. The recognizer tests listed in ``FILES`` are parsed with ``ast`` (never imported or
run; the constant evaluator is ``extract_detect_secrets.Evaluator``). Each
``@pytest.mark.parametrize`` row gives a text, the expected number of results and their spans
(``expected_positions``/``expected_res``), and for phone numbers the entity of each; the entity
otherwise comes from the module's ``entities`` fixture. The IBAN tests build some IBANs with
their helper ``update_iban_checksum``; it is not run: ``iban_with_checksum`` below computes the
same ISO 13616 check digits. Rows that depend on a recognizer set up differently from the
default (a ``leniency`` argument, extra phone regions in the module's fixture) keep that setup
in ``setup``. Output: ``cases.json`` in ``--out`` (default ``presidio/`` beside this script).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from extract_detect_secrets import (  # noqa: E402
    Evaluator,
    Unreadable,
    parametrize_rows,
    write_document,
)

TESTS = "presidio-analyzer/tests"
FILES = ("test_credit_card_recognizer.py", "test_iban_recognizer.py",
         "test_email_recognizer.py", "test_phone_recognizer.py", "test_ip_recognizer.py",
         "test_us_ssn_recognizer.py", "test_url_recognizer.py", "test_crypto_recognizer.py",
         "test_date_recognizer.py")
TEXT_PARAMS = ("text", "iban")
SPAN_PARAMS = ("expected_positions", "expected_res")


def iban_with_checksum(iban: str) -> str:
    """``iban`` with its two check digits recomputed (ISO 13616 mod 97-10)."""
    compact = iban.replace(" ", "")
    rearranged = (compact[4:] + compact[:2] + "00").upper()
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return iban[:2] + f"{98 - int(digits) % 97:0>2}" + iban[4:]


class PresidioEvaluator(Evaluator):
    """The shared evaluator plus the one helper the IBAN tests call."""

    def call(self, node: ast.Call, local: dict[str, Any]) -> Any:
        if isinstance(node.func, ast.Name) and node.func.id == "update_iban_checksum":
            return iban_with_checksum(self.eval(node.args[0], local))
        return super().call(node, local)


def fixture_source(module: ast.Module, name: str) -> str:
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.unparse(node.body[-1]).removeprefix("return ")
    return ""


def fixture_entities(module: ast.Module) -> list[str]:
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == "entities":
            value = ast.literal_eval(node.body[-1].value)  # type: ignore[attr-defined]
            return list(value)
    return []


def extract(repo: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    unreadable: Counter[str] = Counter()
    for name in FILES:
        source = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{TESTS}/{name}"],
                                check=True, capture_output=True, text=True).stdout
        module = ast.parse(source)
        evaluator = PresidioEvaluator(module)
        default_entities = fixture_entities(module)
        recognizer = fixture_source(module, "recognizer") or fixture_source(module,
                                                                            "cc_recognizer")
        for node in module.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
                continue
            try:
                rows, _ = parametrize_rows(evaluator, node)
            except Unreadable as exc:
                unreadable[f"{name}::{node.name}: {exc}"] += 1
                continue
            uses_fixture = any(a.arg in ("recognizer", "cc_recognizer")
                               for a in node.args.args)
            for row in rows:
                text = next((row[p] for p in TEXT_PARAMS if p in row), None)
                if not isinstance(text, str) or "expected_len" not in row:
                    unreadable[f"{name}::{node.name}: no text or expected_len"] += 1
                    continue
                spans = next((row[p] for p in SPAN_PARAMS if p in row), [])
                entities = row.get("entities") or default_entities * max(len(spans), 1)
                expected = [{"entity": entities[i] if i < len(entities) else entities[0],
                             "start": s, "end": e} for i, (s, e) in enumerate(spans)]
                setup = {}
                if "leniency" in row:
                    setup["recognizer"] = f"PhoneRecognizer(leniency={row['leniency']})"
                elif uses_fixture and recognizer:
                    setup["recognizer"] = recognizer
                case = {"file": f"{TESTS}/{name}", "test": node.name,
                        "entity": default_entities[0] if default_entities else entities[0],
                        "text": text, "expected_len": row["expected_len"],
                        "expected": expected}
                if setup:
                    case["setup"] = setup
                if len(expected) != row["expected_len"]:
                    case["spans_incomplete"] = True
                cases.append(case)
    for index, case in enumerate(cases):
        case["id"] = f"pr-{index:04d}"
    meta = {"cases": len(cases),
            "per_entity": dict(sorted(Counter(c["entity"] for c in cases).items())),
            "with_spans_incomplete": sum(bool(c.get("spans_incomplete")) for c in cases),
            "unreadable": dict(unreadable)}
    return cases, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=HERE / "presidio")
    args = parser.parse_args(argv)
    cases, meta = extract(args.repo)
    commit = write_document(args.repo, "https://github.com/microsoft/presidio",
                            args.out / "cases.json", cases, meta)
    print(f"presidio {commit[:12]}: {meta['cases']} cases {meta['per_entity']}; "
          f"unreadable: {meta['unreadable']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
