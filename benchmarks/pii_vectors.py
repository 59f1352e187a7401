"""PII on Presidio's own recognizer test cases: ours (``find_pii``) vs Presidio's AnalyzerEngine.

    python benchmarks/pii_vectors.py [--misses]

Reads only ``benchmarks/vectors/presidio/cases.json`` (see its SOURCE.md). Each case is a text,
the number of results Presidio's test expects and their spans. Both tools see the same texts:

- ours: ``mlsecops_jupyter.checks.pii.find_pii(text)`` (free text, default settings);
- Presidio: ``AnalyzerEngine`` with its default recognizer registry on a blank spaCy ``en``
  pipeline (offline, as our engine is built: no NER model is installed or downloaded), every
  result kept (score threshold 0, as the recognizer tests read them).

A case is **exactly right** (the headline) when the tool's results of the types in ``SCOPE``
are exactly the expected (entity type, start, end) set: nothing missing, no other span, no
in-scope type in the wrong place (an SSN reported as a phone number is wrong). Types outside
``SCOPE`` (Presidio's ``US_BANK_NUMBER``, ``UK_NHS``...) are ignored for both tools. Our
``DATE_OF_BIRTH`` counts as ``DATE_TIME``. A second column scores only the test's own entity
type (a correct phone number in an IBAN test's text is then not held against the tool). Cases
whose test gives a count but no spans are left out (and counted). The test
cases come from Presidio's repository at the commit in cases.json, which may be newer than the
installed presidio-analyzer; some rows also set their recognizer up differently from the
default engine (``setup``: extra phone regions, a phone ``leniency``): they are scored like the
others and marked in the misses list.

By design ``find_pii`` never reports loopback and unspecified addresses (``127.0.0.1``, ``::1``,
``0.0.0.0``, ``::``, their IPv4-mapped and CIDR forms: a machine talking to itself or binding
every interface names no host); Presidio's tests expect them. They count as misses in the
headline; a last line gives the score with those cases left out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BENCH = Path(__file__).resolve().parent
CASES = BENCH / "vectors" / "presidio" / "cases.json"
STRONG = ("CREDIT_CARD", "IBAN_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "US_SSN")
SCOPE = (*STRONG, "URL", "CRYPTO", "DATE_TIME")
ALIASES = {"DATE_OF_BIRTH": "DATE_TIME"}

Span = tuple[str, int, int]


def ours() -> Any:
    from mlsecops_jupyter.checks.pii import find_pii

    def analyze(text: str) -> set[Span]:
        return {(ALIASES.get(s.entity, s.entity), s.start, s.end) for s in find_pii(text)}

    return analyze


def presidio() -> Any:
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    model = Path(tempfile.mkdtemp(prefix="bench-blank-en-"))
    spacy.blank("en").to_disk(model)
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": str(model)}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def analyze(text: str) -> set[Span]:
        return {(r.entity_type, r.start, r.end)
                for r in engine.analyze(text=text, language="en", score_threshold=0)}

    return analyze


def by_design(case: dict[str, Any]) -> bool:
    """Does the case expect a loopback or unspecified address (never reported by design)?"""
    import ipaddress

    for span in case["expected"]:
        if span["entity"] != "IP_ADDRESS":
            continue
        value = case["text"][span["start"]:span["end"]].partition("/")[0].partition("%")[0]
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            continue
        mapped = getattr(address, "ipv4_mapped", None)
        if any(a is not None and (a.is_loopback or a.is_unspecified) for a in (address, mapped)):
            return True
    return False


def score(cases: list[dict[str, Any]], analyze: Any) -> tuple[dict[str, Counter[str]],
                                                              list[tuple[dict[str, Any],
                                                                         set[Span]]], float]:
    per_entity: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    analyze("warm up: a@b.co")  # engine build and first call are not the measured work
    started = time.process_time()
    for case in cases:
        expected = {(e["entity"], e["start"], e["end"]) for e in case["expected"]}
        got = {s for s in analyze(case["text"]) if s[0] in SCOPE}
        right = got == expected
        group = per_entity[case["entity"]]
        group["cases"] += 1
        group["right"] += right
        group["own_type_right"] += {s for s in got if s[0] == case["entity"]} == expected
        if not by_design(case):
            group["cases_by_design"] += 1
            group["right_by_design"] += right
        kind = "positive" if expected else "negative"
        group[kind] += 1
        group[f"{kind}_right"] += right
        if not right:
            misses.append((case, got))
    return per_entity, misses, time.process_time() - started


def print_table(results: dict[str, tuple[dict[str, Counter[str]], Any, float]]) -> None:
    tools = list(results)
    print("| entity | cases (with / without PII) | "
          + " | ".join(f"{t}: exactly right | {t}: right on the test's own type"
                       for t in tools) + " |")
    print("|---|---|" + "---|---|" * len(tools))
    entities = sorted(next(iter(results.values()))[0], key=lambda e: (e not in STRONG, e))
    totals: dict[str, Counter[str]] = {t: Counter() for t in tools}
    for entity in entities:
        first = results[tools[0]][0][entity]
        cells = []
        for tool in tools:
            c = results[tool][0][entity]
            if entity in STRONG:
                totals[tool].update(c)
            cells.append(f"{c['right']}/{c['cases']} ({100 * c['right'] / c['cases']:.0f} %; "
                         f"{c['positive_right']}/{c['positive']} with, "
                         f"{c['negative_right']}/{c['negative']} without)")
            cells.append(f"{c['own_type_right']}/{c['cases']}")
        print(f"| {entity} | {first['cases']} ({first['positive']} / {first['negative']}) | "
              + " | ".join(cells) + " |")
    cells = [f"**{t['right']}/{t['cases']} ({100 * t['right'] / t['cases']:.1f} %)** | "
             f"{t['own_type_right']}/{t['cases']} "
             f"({100 * t['own_type_right'] / t['cases']:.1f} %)" for t in totals.values()]
    print(f"| six strong entities | {totals[tools[0]]['cases']} | " + " | ".join(cells) + " |")
    cells = [f"**{t['right_by_design']}/{t['cases_by_design']} "
             f"({100 * t['right_by_design'] / t['cases_by_design']:.1f} %)** | -"
             for t in totals.values()]
    print(f"| six strong, loopback/unspecified addresses left out | "
          f"{totals[tools[0]]['cases_by_design']} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every case a tool got wrong")
    args = parser.parse_args(argv)
    document = json.loads(CASES.read_text())
    cases = [c for c in document["items"] if not c.get("spans_incomplete")]
    left_out = len(document["items"]) - len(cases)
    from importlib.metadata import version

    print(f"Presidio tests at {document['commit'][:12]}: {len(cases)} cases scored "
          f"({left_out} left out: a count but no spans); presidio-analyzer "
          f"{version('presidio-analyzer')} installed\n")
    results = {}
    for name, factory in (("ours (find_pii)", ours),
                          (f"Presidio {version('presidio-analyzer')} AnalyzerEngine", presidio)):
        started = time.process_time()
        analyze = factory()
        build = time.process_time() - started
        per_entity, misses, cpu = score(cases, analyze)
        results[name] = (per_entity, misses, cpu)
        print(f"{name}: engine build {build:.2f} CPU s, {len(cases)} cases {cpu:.2f} CPU s")
    print()
    print_table(results)
    for name, (_, misses, _) in results.items() if args.misses else ():
        print(f"\n{name}: {len(misses)} cases not exactly right")
        for case, got in misses:
            expected = sorted((e["entity"], e["start"], e["end"]) for e in case["expected"])
            recognizer = case.get("setup", {}).get("recognizer", "")
            setup = f" [test's recognizer: {recognizer}]" if "=" in recognizer else ""
            print(f"- {case['id']} {case['entity']} {case['text']!r}: expected {expected}, "
                  f"got {sorted(got)}{setup}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
