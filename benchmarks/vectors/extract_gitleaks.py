"""Extract gitleaks' per-rule true and false examples from its Go sources into JSON.

    python benchmarks/vectors/extract_gitleaks.py --repo PATH/TO/gitleaks [--out DIR]

``--repo`` is a clone or a bare snapshot of github.com/gitleaks/gitleaks; only ``HEAD`` is read
(``git show``, ``git ls-tree``), nothing is fetched and no Go runs. Every rule in
``cmd/generate/config/rules/*.go`` builds its examples (``tps``, ``fps``) with Go code; the
rule functions listed in ``cmd/generate/config/main.go`` are interpreted with ``golite`` and
gitleaks' helpers reproduced:

- ``utils.GenerateSampleSecrets(id, secret)``: the template table of ``utils/generate.go`` is
  read from the source and expanded per template (INI, JSON, XML, YAML, C#, Go, Java, Kotlin,
  PHP, Python, logstash, make ...), each example keeping its template name;
- ``utils.GenerateSampleSecret``, the regex builders (``GenerateSemiGenericRegex``...) and the
  pattern helpers (``AlphaNumeric``...) are interpreted from their Go source;
- ``secrets.NewSecret(regex)``: our seeded sampler (``re2py.sample``), seeded per rule.

Each generated true example is checked with the rule itself (``re2py.rule_check``: regex,
secret group, entropy, keywords, allowlists); a rule whose examples fail is re-generated with
the next seed (up to 50). Output in ``--out`` (default: ``gitleaks/`` beside this script):
``rules.json`` (each rule: id, provider family, Go and Python regexes, entropy, keywords,
allowlists), ``examples.jsonl`` (one example a line), ``extraction.json`` (counts, what could not
be extracted and why, the cross-check against ``config/gitleaks.toml``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import tomllib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import golite  # noqa: E402
import re2py  # noqa: E402

MODULE = "github.com/zricethezav/gitleaks/v8"
RULES_DIR = "cmd/generate/config/rules"
UTILS_DIR = "cmd/generate/config/utils"
BASE_FILE = "cmd/generate/config/base/config.go"
MAIN_FILE = "cmd/generate/config/main.go"
TOML_FILE = "config/gitleaks.toml"
MAX_SEEDS = 50


# -- reading the snapshot -----------------------------------------------------------------------
def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def go_files(repo: Path, folder: str) -> dict[str, str]:
    names = git(repo, "ls-tree", "--name-only", f"HEAD:{folder}").split()
    return {name: git(repo, "show", f"HEAD:{folder}/{name}") for name in names
            if name.endswith(".go") and not name.endswith("_test.go")}


# -- library stand-ins --------------------------------------------------------------------------
class Regex:
    """``*regexp.Regexp``: keeps the Go pattern; matches through the Python translation."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def String(self) -> str:  # noqa: N802 (Go's name)
        return self.pattern

    def MatchString(self, text: str) -> bool:  # noqa: N802
        if self._compiled is None:
            self._compiled = re2py.compile_go(self.pattern)
        return self._compiled.search(text) is not None


class Encoding:
    """``base64.StdEncoding`` and friends."""

    def __init__(self, urlsafe: bool, padded: bool) -> None:
        self.urlsafe, self.padded = urlsafe, padded

    def EncodeToString(self, data: str) -> str:  # noqa: N802
        raw = data.encode("latin-1") if all(ord(c) < 256 for c in data) else data.encode()
        out = (base64.urlsafe_b64encode if self.urlsafe else base64.b64encode)(raw).decode()
        return out if self.padded else out.rstrip("=")


class Replacer:
    def __init__(self, *pairs: str) -> None:
        self.pairs = list(zip(pairs[::2], pairs[1::2], strict=True))

    def Replace(self, text: str) -> str:  # noqa: N802
        out, i = [], 0
        while i < len(text):
            for old, new in self.pairs:
                if old and text.startswith(old, i):
                    out.append(new)
                    i += len(old)
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


_VERB = re.compile(r"%([+\-# 0]*)(\d*)(?:\.(\d+))?([svdqcxXtf%])")


def sprintf(fmt: str, *args: Any) -> str:
    """``fmt.Sprintf`` for the verbs the generators use."""
    values = iter(args)

    def one(m: re.Match[str]) -> str:
        verb = m.group(4)
        if verb == "%":
            return "%"
        value = next(values)
        if verb in ("s", "v"):
            return value.pattern if isinstance(value, Regex) else str(value)
        if verb == "d":
            return str(value)
        if verb == "q":
            return json.dumps(value)
        if verb == "c":
            return chr(value)
        if verb in "xX":
            text = value.encode().hex() if isinstance(value, str) else format(value, "x")
            return text.upper() if verb == "X" else text
        raise golite.Unsupported(f"Sprintf verb %{verb}")

    return _VERB.sub(one, fmt)


def make(type_node: golite.Node, size: int = 0, *_: Any) -> Any:
    """``make(map...)`` or ``make([]T, n)``: n zero values (the generators index into them)."""
    if type_node.kind == "maptype":
        return {}
    return [golite._zero(type_node.args[0]) for _ in range(size)]  # noqa: SLF001


class Recorder:
    """What one rule function produced: its Validate calls and every generated secret."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.generated: list[str] = []
        self.samples: dict[str, dict[str, str]] = {}
        self.validated: list[tuple[golite.Struct, Any, Any, bool]] = []


class Natives:
    """The library calls and gitleaks helpers the rule functions use, bound to a Recorder."""

    def __init__(self, sample_templates: dict[str, str]) -> None:
        self.templates = sample_templates
        self.recorder = Recorder("")
        self.interp: golite.Interpreter | None = None

    def table(self) -> dict[str, Any]:
        return {
            "append": lambda seq, *items: list(seq or []) + list(items),
            "len": len,
            "make": make,
            "regexp.MustCompile": Regex,
            "fmt.Sprintf": sprintf,
            "strings.Join": lambda items, sep: sep.join(items),
            "strings.ToUpper": str.upper,
            "strings.ToLower": str.lower,
            "strings.Repeat": lambda text, count: text * count,
            "strings.Contains": lambda text, part: part in text,
            "strings.NewReplacer": Replacer,
            "base64.StdEncoding": Encoding(False, True),
            "base64.RawStdEncoding": Encoding(False, False),
            "base64.URLEncoding": Encoding(True, True),
            "base64.RawURLEncoding": Encoding(True, False),
            "secrets.NewSecret": self.new_secret,
            "utils.GenerateSampleSecrets": self.sample_secrets,
            "utils.Validate": lambda r, tps, fps: self.validate(r, tps, fps, False),
            "utils.ValidateWithPaths": lambda r, tps, fps: self.validate(r, tps, fps, True),
            "config.AllowlistMatchOr": "OR",
            "config.AllowlistMatchAnd": "AND",
            "config.Allowlist.ContainsStopWord": self.contains_stopword,
        }

    def new_secret(self, pattern: str) -> str:
        value = re2py.sample(re2py.translate(pattern), self.recorder.rng)
        self.recorder.generated.append(value)
        return value

    def sample_secrets(self, identifier: str, secret: str) -> list[str]:
        out = []
        for syntax, template in self.templates.items():
            text = Replacer("{i}", identifier, "{I}", identifier.upper(),
                            "{s}", secret).Replace(template)
            self.recorder.samples.setdefault(text, {"syntax": syntax, "identifier": identifier,
                                                    "secret": secret})
            out.append(text)
        return out

    def validate(self, rule: golite.Struct, tps: Any, fps: Any, with_paths: bool) -> Any:
        self.recorder.validated.append((rule, tps, fps, with_paths))
        return rule

    @staticmethod
    def contains_stopword(allowlist: golite.Struct, text: str) -> tuple[bool, str]:
        lowered = text.lower()
        for word in allowlist.fields.get("StopWords") or []:
            if word in lowered:
                return True, word
        return False, ""


def _method_natives(interp: golite.Interpreter, natives: dict[str, Any]) -> None:
    """Struct methods (``allowList.ContainsStopWord``): look them up by the struct's type."""
    original = interp._select  # noqa: SLF001

    def select(pkg: str, node: golite.Node, scope: golite.Scope) -> Any:
        base, name = node.args
        if base.kind == "ident" and scope.find(base.args[0]) is not None:
            value = scope.find(base.args[0])[base.args[0]]  # type: ignore[index]
            if isinstance(value, golite.Struct) and name not in value.fields:
                method = natives.get(f"{value.type}.{name}")
                if method is not None:
                    return lambda *args: method(value, *args)
        return original(pkg, node, scope)

    interp._select = select  # type: ignore[method-assign]  # noqa: SLF001


# -- the extraction -----------------------------------------------------------------------------
def build_interpreter(repo: Path) -> tuple[golite.Interpreter, Natives, dict[str, str]]:
    utils_sources = go_files(repo, UTILS_DIR)
    utils_sources.pop("validate.go", None)  # Validate runs gitleaks' detector: stood in for
    utils_files = {name: golite.parse(text) for name, text in utils_sources.items()}
    generate = utils_files["generate.go"]
    samples_stmt = generate.funcs["GenerateSampleSecrets"].body.args[0]
    probe = golite.Interpreter({})
    probe.load(f"{MODULE}/{UTILS_DIR}", [generate])
    templates = probe._eval(f"{MODULE}/{UTILS_DIR}", samples_stmt.args[2][0],  # noqa: SLF001
                            golite.Scope())
    natives = Natives(templates)
    table = natives.table()
    interp = golite.Interpreter(table)
    _method_natives(interp, table)
    interp.load(f"{MODULE}/{UTILS_DIR}", list(utils_files.values()))
    # GenerateSampleSecrets is stood in for (its map order is random in Go; ours keeps names)
    del interp.packages[f"{MODULE}/{UTILS_DIR}"][0]["GenerateSampleSecrets"]
    rule_sources = go_files(repo, RULES_DIR)
    rule_files = {}
    function_file: dict[str, str] = {}
    for name, text in sorted(rule_sources.items()):
        parsed = golite.parse(text)
        rule_files[name] = parsed
        for func in parsed.funcs:
            function_file[func] = name
    interp.load(f"{MODULE}/{RULES_DIR}", list(rule_files.values()))
    interp.load(f"{MODULE}/cmd/generate/config/base",
                [golite.parse(git(repo, "show", f"HEAD:{BASE_FILE}"))])
    natives.interp = interp
    return interp, natives, function_file


def allowlist_json(allowlist: golite.Struct | None) -> dict[str, Any]:
    fields = allowlist.fields if allowlist is not None else {}
    regexes = [r.pattern for r in fields.get("Regexes") or []]
    return {"description": fields.get("Description", ""),
            "condition": fields.get("MatchCondition") or "OR",
            "regex_target": fields.get("RegexTarget", ""),
            "regexes": regexes,
            "regexes_python": [re2py.translate(r) for r in regexes],
            "stopwords": list(fields.get("StopWords") or []),
            "paths": [r.pattern for r in fields.get("Paths") or []]}


def rule_json(rule: golite.Struct, function: str, file: str) -> dict[str, Any]:
    f = rule.fields
    regex = f.get("Regex")
    path = f.get("Path")
    return {
        "id": f["RuleID"],
        "family": file[:-len(".go")],
        "function": function,
        "file": f"{RULES_DIR}/{file}",
        "description": f.get("Description", ""),
        "regex_go": regex.pattern if regex is not None else "",
        "regex_python": re2py.translate(regex.pattern) if regex is not None else "",
        "secret_group": f.get("SecretGroup") or 0,
        "entropy": f.get("Entropy") or 0,
        "keywords": list(f.get("Keywords") or []),
        "path": path.pattern if path is not None else "",
        "allowlists": [allowlist_json(a) for a in f.get("Allowlists") or []],
    }


def built_how(text: str, recorder: Recorder) -> dict[str, Any]:
    """How an example was built: a sample expansion, generated, or a literal."""
    info: dict[str, Any] = {}
    sample = recorder.samples.get(text)
    generated = any(len(g) >= 3 and g in text for g in recorder.generated)
    if sample is not None:
        info.update(built="sample" + ("+generated" if generated else ""),
                    syntax=sample["syntax"], identifier=sample["identifier"],
                    secret=sample["secret"])
    elif generated:
        info["built"] = "generated"
    else:
        info["built"] = "literal"
    return info


def run_rule(interp: golite.Interpreter, natives: Natives, function: str,
             seed: int) -> Recorder:
    natives.recorder = Recorder(f"{function}:{seed}")
    interp.reset_values()
    interp.call(f"{MODULE}/{RULES_DIR}", function)
    return natives.recorder


def examples_of(kind: str, values: Any, with_paths: bool) -> list[tuple[str, str]]:
    """``[(text, path)]`` of a tps/fps value (a list, or a path -> text map)."""
    if values is None:
        return []
    if with_paths or isinstance(values, dict):
        return [(text, path) for path, text in values.items()]
    return [(text, "") for text in values]


def check_true(rule: dict[str, Any], text: str, path: str,
               global_allowlists: list[re2py.Allowlist]) -> tuple[bool, str, list[Any]]:
    if rule["path"] and not re.search(re2py.translate(rule["path"]), path, re.ASCII):
        return False, "path", []
    if not rule["regex_python"]:
        return True, "", []
    secrets, why = re2py.rule_check(rule, text, global_allowlists)
    return bool(secrets), why, secrets


def extract(repo: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    interp, natives, function_file = build_interpreter(repo)
    main_source = git(repo, "show", f"HEAD:{MAIN_FILE}")
    live = "\n".join(line for line in main_source.splitlines()
                     if not line.strip().startswith("//"))  # commented-out rules are not used
    functions = re.findall(r"rules\.(\w+)\(\)", live)
    global_config = interp.call(f"{MODULE}/cmd/generate/config/base", "CreateGlobalConfig")
    global_json = [allowlist_json(a) for a in global_config.fields["Allowlists"]]
    global_allowlists = [re2py.Allowlist.from_json(a) for a in global_json]
    toml_rules = {r["id"]: r for r in tomllib.loads(git(repo, "show",
                                                        f"HEAD:{TOML_FILE}"))["rules"]}
    rules: list[dict[str, Any]] = []
    examples: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    regex_agrees = 0
    seeds_used: Counter[int] = Counter()
    for function in functions:
        recorder = None
        failures: list[str] = []
        for seed in range(MAX_SEEDS):
            try:
                recorder = run_rule(interp, natives, function, seed)
            except (golite.Unsupported, re2py.TranslationError, KeyError, TypeError,
                    ValueError, IndexError) as exc:
                skipped.append({"function": function, "file": function_file.get(function, ""),
                                "what": "whole rule", "reason": f"{type(exc).__name__}: {exc}"})
                recorder = None
                break
            if not recorder.validated:
                skipped.append({"function": function, "file": function_file.get(function, ""),
                                "what": "examples",
                                "reason": "the rule has no examples in gitleaks (it returns "
                                          "without utils.Validate: a TODO in its source)"})
                recorder = None
                break
            if len(recorder.validated) != 1:
                skipped.append({"function": function, "what": "whole rule",
                                "reason": f"{len(recorder.validated)} Validate calls"})
                recorder = None
                break
            rule_struct, tps, fps, with_paths = recorder.validated[0]
            rule = rule_json(rule_struct, function, function_file[function])
            failures = []
            for text, path in examples_of("true", tps, with_paths):
                if text in recorder.samples or any(g in text for g in recorder.generated):
                    ok, why, _ = check_true(rule, text, path, global_allowlists)
                    if not ok:
                        failures.append(why)
            if not failures:
                seeds_used[seed] += 1
                break
        if recorder is None:
            continue
        if failures:
            skipped.append({"function": function, "what": "generated true examples",
                            "reason": f"no seed of {MAX_SEEDS} gave examples the rule accepts "
                                      f"({Counter(failures).most_common(1)[0][0]})"})
            continue
        rule["seed"] = seed
        expected = toml_rules.get(rule["id"], {})
        rule["regex_matches_toml"] = expected.get("regex", "") == rule["regex_go"]
        regex_agrees += rule["regex_matches_toml"]
        rules.append(rule)
        rule_struct, tps, fps, with_paths = recorder.validated[0]
        seen: set[tuple[str, str, str]] = set()
        for kind, values in (("true", tps), ("false", fps)):
            for text, path in examples_of(kind, values, with_paths):
                if (kind, text, path) in seen:
                    continue
                seen.add((kind, text, path))
                record: dict[str, Any] = {"rule": rule["id"], "family": rule["family"],
                                          "label": kind, "text": text}
                if path:
                    record["path"] = path
                record.update(built_how(text, recorder))
                if kind == "true":
                    ok, why, secrets = check_true(rule, text, path, global_allowlists)
                    record["rule_check"] = "reported" if ok else why
                    if secrets:
                        record["secret_span"] = [secrets[0].start, secrets[0].end]
                        record.setdefault("secret", secrets[0].secret)
                else:
                    ok, why, _ = check_true(rule, text, path, global_allowlists)
                    record["rule_check"] = "reported" if ok else why
                examples.append(record)
    for index, record in enumerate(examples):
        digest = hashlib.sha256(f"{record['rule']}\0{record['label']}\0{record['text']}\0"
                                f"{record.get('path', '')}".encode()).hexdigest()[:10]
        record["id"] = f"gl-{index:05d}-{digest}"
    meta = {
        "rules_listed": len(functions),
        "rules_extracted": len(rules),
        "regex_agrees_with_gitleaks_toml": regex_agrees,
        "seeds_used": {str(k): v for k, v in sorted(seeds_used.items())},
        "global_allowlists": global_json,
        "skipped": skipped,
        "examples": {
            "true": sum(e["label"] == "true" for e in examples),
            "false": sum(e["label"] == "false" for e in examples),
            "built": dict(Counter(e["built"] for e in examples)),
            "true_not_reported_by_rule_check": dict(Counter(
                e["rule_check"] for e in examples
                if e["label"] == "true" and e["rule_check"] != "reported")),
            "false_reported_by_rule_check": sum(
                e["label"] == "false" and e["rule_check"] == "reported" for e in examples),
        },
    }
    return rules, examples, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, type=Path,
                        help="a clone or bare snapshot of gitleaks (HEAD is read)")
    parser.add_argument("--out", type=Path, default=HERE / "gitleaks")
    args = parser.parse_args(argv)
    commit = git(args.repo, "rev-parse", "HEAD").strip()
    rules, examples, meta = extract(args.repo)
    meta = {"repository": "https://github.com/gitleaks/gitleaks", "commit": commit,
            "extracted": date.today().isoformat(), **meta}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "rules.json").write_text(json.dumps(rules, indent=1, ensure_ascii=False) + "\n")
    with (args.out / "examples.jsonl").open("w") as stream:
        for record in examples:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    (args.out / "extraction.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False)
                                              + "\n")
    print(f"gitleaks {commit[:12]}: {meta['rules_extracted']}/{meta['rules_listed']} rules, "
          f"{meta['examples']['true']} true and {meta['examples']['false']} false examples; "
          f"{len(meta['skipped'])} skipped; regex = gitleaks.toml for "
          f"{meta['regex_agrees_with_gitleaks_toml']} rules")
    for item in meta["skipped"]:
        print(f"  skipped {item['function']} ({item['what']}): {item['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
