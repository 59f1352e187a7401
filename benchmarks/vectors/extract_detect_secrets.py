"""Extract detect-secrets' plugin test vectors (strings it must and must not flag) into JSON.

    python benchmarks/vectors/extract_detect_secrets.py --repo PATH/TO/detect-secrets [--out DIR]

``--repo`` is a clone or bare snapshot of github.com/Yelp/detect-secrets; ``HEAD`` is read with
``git show``. The plugin tests (``tests/plugins/*_test.py``) are parsed with ``ast`` and never
imported or run: the ``@pytest.mark.parametrize`` rows of each test are evaluated by a small
evaluator of constant expressions (literals, module constants, ``+``/``*``/``%``, ``str.format``,
f-strings, ``textwrap.dedent``, tuples/lists, and module generator functions made of ``for``
loops and ``yield``). A row becomes a vector when the test reads a text (``payload``, ``line``,
``file_content``, or a ``format`` filled from the other parameters) and says whether it must be
flagged (``should_flag``, ``should_be_caught``, ``expected_secret``, ``num_results``; three tests
that take a text only and assert a finding are listed in ``UNLABELLED_POSITIVE``). Rows of tests
of helpers and verification (``content``/``expected_output``, status codes) are not detection
vectors and are counted as such; rows the evaluator cannot read are counted with the reason.
Output: ``vectors.json`` in ``--out`` (default ``detect_secrets/`` beside this script).
"""

from __future__ import annotations

import argparse
import ast
import itertools
import json
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = "tests/plugins"
TEXT_PARAMS = ("payload", "line", "file_content")
# tests whose only parameter is the text and whose body asserts that it is flagged
UNLABELLED_POSITIVE = {("slack_test.py", "test_analyze"), ("square_oauth_test.py", "test_analyze"),
                       ("private_key_test.py", "test_basic")}


class Unreadable(Exception):
    """An expression outside what the evaluator reads (e.g. a random number)."""


class Opaque:
    """A value the evaluator could not read; it spreads through expressions built on it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"<unreadable: {self.reason}>"


class Symbol(str):
    """An imported name (a plugin class, an enum member): kept by name, never imported."""


class Evaluator:
    """Constant expressions of one test module, with its module-level names."""

    def __init__(self, module: ast.Module) -> None:
        self.assignments: dict[str, ast.expr] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        for node in module.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                self.assignments[node.targets[0].id] = node.value
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
        self.imported = {alias.asname or alias.name for node in module.body
                         if isinstance(node, ast.ImportFrom) for alias in node.names}
        self.cache: dict[str, Any] = {}

    def name(self, name: str, local: dict[str, Any]) -> Any:
        if name in local:
            return local[name]
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        if name in self.cache:
            return self.cache[name]
        if name in self.assignments:
            try:
                self.cache[name] = self.eval(self.assignments[name], {})
            except Unreadable as exc:
                self.cache[name] = Opaque(str(exc))
            return self.cache[name]
        if name in self.imported:
            return Symbol(name)
        raise Unreadable(f"name {name}")

    def eval(self, node: ast.expr, local: dict[str, Any]) -> Any:  # noqa: C901 (a dispatcher)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.name(node.id, local)
        if isinstance(node, (ast.Tuple, ast.List)):
            items = []
            for element in node.elts:
                try:
                    items.append(self.eval(element, local))
                except Unreadable as exc:
                    items.append(Opaque(str(exc)))
            return items
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand, local)
            if isinstance(node.op, ast.USub):
                return -operand
            if isinstance(node.op, ast.Not):
                return not operand
            raise Unreadable(f"operator {type(node.op).__name__}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in self.imported:
            return Symbol(f"{node.value.id}.{node.attr}")
        if isinstance(node, ast.BinOp):
            left, right = self.eval(node.left, local), self.eval(node.right, local)
            for operand in (left, right):
                if isinstance(operand, Opaque):
                    return operand
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Mod):
                return left % right
            raise Unreadable(f"operator {type(node.op).__name__}")
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    spec = self.eval(value.format_spec, local) if value.format_spec else ""
                    parts.append(format(self.eval(value.value, local), spec))
                else:
                    parts.append(self.eval(value, local))
            return "".join(parts)
        if isinstance(node, ast.Subscript):
            container = self.eval(node.value, local)
            if isinstance(node.slice, ast.Slice):
                s = node.slice
                return container[slice(*(None if p is None else self.eval(p, local)
                                         for p in (s.lower, s.upper, s.step)))]
            return container[self.eval(node.slice, local)]
        if isinstance(node, ast.Call):
            return self.call(node, local)
        raise Unreadable(f"expression {type(node).__name__}")

    def call(self, node: ast.Call, local: dict[str, Any]) -> Any:
        func = node.func
        args = [self.eval(a, local) for a in node.args]
        kwargs = {k.arg: self.eval(k.value, local) for k in node.keywords if k.arg}
        opaque = next((a for a in [*args, *kwargs.values()] if isinstance(a, Opaque)), None)
        if opaque is not None:
            return opaque
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id == "textwrap" \
                    and func.attr == "dedent":
                return textwrap.dedent(*args)
            target = self.eval(func.value, local)
            if isinstance(target, Opaque):
                return target
            if isinstance(target, (str, bytes)) and func.attr in ("format", "encode", "decode",
                                                                  "upper", "lower", "strip",
                                                                  "replace", "join"):
                return getattr(target, func.attr)(*args, **kwargs)
            raise Unreadable(f"call {ast.unparse(func)}")
        if isinstance(func, ast.Name):
            if func.id == "str" and len(args) == 1:
                return str(args[0])
            if func.id in self.functions:
                return list(self.generator(self.functions[func.id], args))
        raise Unreadable(f"call {ast.unparse(func)}")

    def generator(self, function: ast.FunctionDef, args: list[Any]) -> Any:
        """A module generator function made of ``for`` loops, assignments and ``yield``."""
        local = {a.arg: v for a, v in zip(function.args.args, args, strict=True)}
        yield from self.run(function.body, local)

    def run(self, body: list[ast.stmt], local: dict[str, Any]) -> Any:
        for stmt in body:
            if isinstance(stmt, ast.For):
                for item in self.eval(stmt.iter, local):
                    self.bind(stmt.target, item, local)
                    yield from self.run(stmt.body, local)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                self.bind(stmt.targets[0], self.eval(stmt.value, local), local)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
                yield self.eval(stmt.value.value, local) if stmt.value.value else None
            else:
                raise Unreadable(f"statement {type(stmt).__name__}")

    def bind(self, target: ast.expr, value: Any, local: dict[str, Any]) -> None:
        if isinstance(target, ast.Name):
            local[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            for sub, item in zip(target.elts, value, strict=True):
                self.bind(sub, item, local)
        else:
            raise Unreadable(f"target {type(target).__name__}")


def parametrize_rows(evaluator: Evaluator,
                     node: ast.FunctionDef | ast.ClassDef) -> tuple[list[dict[str, Any]], str]:
    """The parameter rows of one decorated test or class (the product of its decorators)."""
    tables: list[list[dict[str, Any]]] = []
    for decorator in node.decorator_list:
        if not (isinstance(decorator, ast.Call)
                and getattr(decorator.func, "attr", "") == "parametrize"):
            continue
        names = [n.strip() for n in evaluator.eval(decorator.args[0], {}).split(",")]
        values = evaluator.eval(decorator.args[1], {})
        rows = []
        for value in values:
            items = [value] if len(names) == 1 else list(value)
            rows.append(dict(zip(names, items, strict=True)))
        tables.append(rows)
    combined = [dict(itertools.chain.from_iterable(r.items() for r in combo))
                for combo in itertools.product(*tables)] if tables else []
    return combined, ""


def vector_of(row: dict[str, Any], positive_default: bool) -> tuple[str, bool] | None:
    """``(text, must_flag)`` of a row, or None when the row is no detection vector."""
    opaque = next((v for v in row.values() if isinstance(v, Opaque)), None)
    if opaque is not None:
        raise Unreadable(opaque.reason)
    if "format" in row:
        text = row["format"].format(**{k: v for k, v in row.items() if k != "format"})
    else:
        text = next((row[p] for p in TEXT_PARAMS if p in row), None)
    if not isinstance(text, str):
        return None
    for label in ("should_flag", "should_be_caught"):
        if label in row:
            return text, bool(row[label])
    if "expected_secret" in row:
        return text, bool(row["expected_secret"])
    if "num_results" in row:
        return text, row["num_results"] > 0
    if positive_default:
        return text, True
    return None


def extract(repo: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    names = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", f"HEAD:{TESTS}"],
                           check=True, capture_output=True, text=True).stdout.split()
    vectors: list[dict[str, Any]] = []
    not_vectors: Counter[str] = Counter()
    unreadable: Counter[str] = Counter()
    for name in sorted(n for n in names if n.endswith("_test.py")):
        source = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{TESTS}/{name}"],
                                check=True, capture_output=True, text=True).stdout
        module = ast.parse(source)
        evaluator = Evaluator(module)
        plugin = name[:-len("_test.py")]
        for owner, test in _tests(module):
            positive_default = (name, test.name) in UNLABELLED_POSITIVE
            try:
                rows = []
                owner_rows = parametrize_rows(evaluator, owner)[0] if owner else [{}]
                for test_row in parametrize_rows(evaluator, test)[0]:
                    rows += [{**o, **test_row} for o in owner_rows or [{}]]
            except Unreadable as exc:
                unreadable[f"{name}::{test.name}: {exc}"] += 1
                continue
            for row in rows:
                try:
                    found = vector_of(row, positive_default)
                except Unreadable as exc:
                    unreadable[f"{name}::{test.name}: a row: {exc}"] += 1
                    continue
                if found is None:
                    not_vectors[f"{name}::{test.name}"] += 1
                    continue
                text, must_flag = found
                record = {"plugin": plugin, "file": f"{TESTS}/{name}", "test": test.name,
                          "label": "true" if must_flag else "false", "text": text}
                if "file_extension" in row:
                    record["file_extension"] = row["file_extension"]
                if "expected_secret" in row and row["expected_secret"]:
                    record["secret"] = row["expected_secret"]
                vectors.append(record)
    for index, record in enumerate(vectors):
        record["id"] = f"ds-{index:04d}"
    meta = {"vectors": len(vectors),
            "true": sum(v["label"] == "true" for v in vectors),
            "false": sum(v["label"] == "false" for v in vectors),
            "per_plugin": dict(sorted(Counter(v["plugin"] for v in vectors).items())),
            "rows_not_detection_vectors": dict(sorted(not_vectors.items())),
            "unreadable_rows": dict(sorted(unreadable.items()))}
    return vectors, meta


def _tests(module: ast.Module) -> list[tuple[ast.ClassDef | None, ast.FunctionDef]]:
    found: list[tuple[ast.ClassDef | None, ast.FunctionDef]] = []
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            found.append((None, node))
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                    found.append((node, item))
    return found


def write_document(repo: Path, url: str, target: Path, items: list[dict[str, Any]],
                   meta: dict[str, Any]) -> str:
    """Write ``target`` (source, commit, date, counts, items); returns the commit."""
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {"repository": url, "commit": commit, "extracted": date.today().isoformat(),
                **meta, "items": items}
    target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=HERE / "detect_secrets")
    args = parser.parse_args(argv)
    vectors, meta = extract(args.repo)
    commit = write_document(args.repo, "https://github.com/Yelp/detect-secrets",
                            args.out / "vectors.json", vectors, meta)
    print(f"detect-secrets {commit[:12]}: {meta['vectors']} vectors ({meta['true']} true, "
          f"{meta['false']} false)")
    for what, count in meta["unreadable_rows"].items():
        print(f"  not extracted: {count} x {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
