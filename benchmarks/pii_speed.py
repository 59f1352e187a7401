"""scan_pii against presidio-structured's PandasAnalysisBuilder, side by side in one run.

    python benchmarks/pii_speed.py              # 1,000,000 x 25 frame (cached in benchmarks/data)
    python benchmarks/pii_speed.py --rows 200000

The frame is ``mlsecops_jupyter.checks.pii.synth.people_frame``: 13 PII columns (cards, IBANs,
SSNs, phones in several formats, e-mails, names, addresses, IPs, dates of birth, free text with
embedded PII) and 12 hard negatives, with known truth. Measured, in this order in ONE process:

1. ours on the whole frame, cold: the first call pays for importing Presidio/spaCy and building
   the offline engine; then warm (engine built);
2. ours and presidio-structured on the same 1,000-row sample, with the original and with
   renamed (``c00``..``c24``) columns. presidio-structured gets the offline engine Presidio
   documents (a blank spaCy pipeline, Presidio's default recognizers: no NER model is installed
   and nothing may be downloaded) — a bare ``AnalyzerEngine()`` would try to download one.

Typed-column precision/recall/F1 use ``synth.typed_column_scores`` (a peer's LOCATION counts as
an address, DATE_TIME as a date of birth, any type on the free-text column as right).
Times are process CPU seconds (``time.process_time``), robust to other jobs on the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

DATA = Path(__file__).resolve().parent / "data"
TARGET_CPU_S = 5.0
TARGET_SPEEDUP = 10.0


def load_frame(rows: int) -> Any:
    import pandas as pd

    from mlsecops_jupyter.checks.pii.synth import people_frame

    path = DATA / f"pii_people_{rows}.parquet"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        people_frame(rows, seed=0).to_parquet(path)
    return pd.read_parquet(path)


def engine_build_cost() -> float:
    """CPU seconds a fresh process spends importing Presidio and building our engine."""
    code = ("import time; t = time.process_time(); "
            "from mlsecops_jupyter.checks.pii.engine import analyzer; analyzer(); "
            "print(time.process_time() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def ours(frame: Any) -> tuple[dict[str, str], float]:
    from mlsecops_jupyter.checks.pii.frame import column_entities, scan_pii

    start = time.process_time()
    report = scan_pii(frame)
    return column_entities(report), time.process_time() - start


def peer_engine() -> Any:
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankEngine(SpacyNlpEngine):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
            self.nlp = {"en": spacy.blank("en")}

    nlp = BlankEngine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def peer(frame: Any, engine: Any) -> tuple[dict[str, str], float]:
    from presidio_structured import PandasAnalysisBuilder

    start = time.process_time()
    analysis = PandasAnalysisBuilder(analyzer=engine).generate_analysis(frame)
    return dict(analysis.entity_mapping), time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    from mlsecops_jupyter.checks.pii.synth import TRUTH, typed_column_scores

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=1000)
    args = parser.parse_args(argv)
    frame = load_frame(args.rows)
    renamed_truth = {f"c{i:02d}": t for i, t in enumerate(TRUTH.values())}
    print(f"frame: {len(frame):,} rows x {frame.shape[1]} columns "
          f"({frame.memory_usage(deep=True).sum() / 2**20:.0f} MiB)")

    rows = []
    fixed = engine_build_cost()
    typed, cold = ours(frame)
    rows.append((f"ours, {len(frame):,} rows, cold (imports + engine build)", cold,
                 typed_column_scores(typed, TRUTH)))
    typed, warm = ours(frame)
    rows.append((f"ours, {len(frame):,} rows, warm", warm, typed_column_scores(typed, TRUTH)))
    small = frame.sample(args.sample, random_state=0).reset_index(drop=True)
    small_renamed = small.set_axis(list(renamed_truth), axis=1)
    typed, ours_small = ours(small)
    rows.append((f"ours, {args.sample:,} rows", ours_small, typed_column_scores(typed, TRUTH)))
    typed, ours_renamed = ours(small_renamed)
    rows.append((f"ours, {args.sample:,} rows, columns renamed c00..c24", ours_renamed,
                 typed_column_scores(typed, renamed_truth)))
    engine = peer_engine()
    peer_typed, peer_small = peer(small, engine)
    rows.append((f"presidio-structured, {args.sample:,} rows", peer_small,
                 typed_column_scores(peer_typed, TRUTH)))
    peer_typed_renamed, peer_renamed = peer(small_renamed, engine)
    rows.append((f"presidio-structured, {args.sample:,} rows, renamed", peer_renamed,
                 typed_column_scores(peer_typed_renamed, renamed_truth)))

    print("\n| run | CPU s | precision | recall | F1 | TP | FP | FN |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, seconds, score in rows:
        print(f"| {name} | {seconds:.2f} | {score['precision']:.3f} | {score['recall']:.3f} | "
              f"{score['f1']:.3f} | {score['tp']} | {score['fp']} | {score['fn']} |")
    print(f"\nof which fixed cost (fresh process: import Presidio/spaCy, build the engine): "
          f"{fixed:.2f} CPU s")
    print("\npresidio-structured typing (1k rows):",
          ", ".join(f"{k}={v}" for k, v in sorted(peer_typed.items())))
    speedup = peer_small / max(ours_small, 1e-9)
    verdicts = [
        (cold < TARGET_CPU_S, f"{len(frame):,}-row frame classified in {cold:.2f} CPU s cold "
                              f"(target < {TARGET_CPU_S:.0f} s)"),
        (speedup >= TARGET_SPEEDUP, f"{speedup:.1f}x faster than presidio-structured on "
                                    f"{args.sample:,} rows (target >= {TARGET_SPEEDUP:.0f}x)"),
        (rows[2][2]["f1"] > rows[4][2]["f1"], f"typed-column F1 {rows[2][2]['f1']:.3f} vs "
                                              f"{rows[4][2]['f1']:.3f}"),
    ]
    for ok, text in verdicts:
        print(("PASS: " if ok else "FAIL: ") + text)
    return 0 if all(ok for ok, _ in verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
