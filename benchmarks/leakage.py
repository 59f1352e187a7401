"""Leakage benchmarks: the data-level check's speed and thresholds, the code-level check's
accuracy on the stored corpora and its speed.

    python benchmarks/leakage.py                       # every part
    python benchmarks/leakage.py --part code-accuracy  # one part; its options after it
    python benchmarks/leakage.py --quick               # every part, small (development)

Parts (``--part NAME --help`` lists a part's options):

- ``speed``: ours against deepchecks on a 5,000,000-row train / test pair, CPU and memory;
- ``calibration``: how the data-level thresholds were chosen (null, legitimate, leak scores);
- ``code-accuracy``: precision and recall on the stored corpora ``corpora/leakage-code/``;
- ``code-speed``: analysis time of a 200-cell notebook and the runtime hooks' overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runners import Part, first_line, run_parts  # noqa: E402

if TYPE_CHECKING:  # numpy, pandas and our package load inside the parts: the code-accuracy
    import numpy as np  # part times the import of the check itself
    import pandas as pd


# -- speed part ---------------------------------------------------------------------------------

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "leakage"
TEST_SHARE = 0.2      # test rows = 20 % of the train rows
DUPLICATES = 0.01     # share of test rows copied from train
NEAR = 0.005          # share of test rows copied with float noise below 1e-6


def generate(rows: int, seed: int = 0) -> tuple[Path, Path]:
    """Write (once) the train/test Parquet pair with ``rows`` training rows."""
    import numpy as np
    import pandas as pd

    DATA.mkdir(parents=True, exist_ok=True)
    train_path, test_path = DATA / f"train-{rows}.parquet", DATA / f"test-{rows}.parquet"
    if train_path.exists() and test_path.exists():
        return train_path, test_path
    rng = np.random.default_rng(seed)
    test_rows = int(rows * TEST_SHARE)
    total = rows + test_rows
    frame = pd.DataFrame({
        "row_id": rng.permutation(total).astype(np.int64),
        "customer_id": rng.integers(0, total // 5, total),
        "event_time": pd.Timestamp("2021-01-01")
        + pd.to_timedelta(rng.integers(0, 3 * 365 * 86400, total), unit="s"),
    })
    for i in range(11):
        frame[f"num_{i}"] = rng.normal(0, 1, total).round(6)
    for i in range(3):
        frame[f"int_{i}"] = rng.integers(0, 100, total)
    frame["channel"] = pd.Series(rng.choice(["web", "store", "phone", "partner"], total),
                                 dtype="str")
    frame["region"] = pd.Series(rng.choice([f"region-{i}" for i in range(40)], total),
                                dtype="str")
    score = frame["num_0"] + 0.5 * frame["num_1"] + rng.normal(0, 1.2, total)
    frame["target"] = (score > 0.8).astype(np.int64)
    train = frame.iloc[:rows].reset_index(drop=True)
    test = frame.iloc[rows:].reset_index(drop=True)
    copies = int(test_rows * DUPLICATES)
    near = int(test_rows * NEAR)
    source = rng.choice(rows, copies + near, replace=False)
    test.iloc[:copies, 1:] = train.iloc[source[:copies], 1:].to_numpy()
    noisy = train.iloc[source[copies:]].copy()
    noisy["num_2"] = noisy["num_2"] + 1e-7
    test.iloc[copies:copies + near, 1:] = noisy.iloc[:, 1:].to_numpy()
    test = test.astype(train.dtypes.to_dict())
    train.to_parquet(train_path)
    test.to_parquet(test_path)
    return train_path, test_path


# one child per measured run: load the frames, then measure only the check
CHILD = textwrap.dedent(r"""
    import json, os, resource, sys, threading, time
    cap, fraction, tool, train_path, test_path = (int(sys.argv[1]), float(sys.argv[2]),
                                                  sys.argv[3], sys.argv[4], sys.argv[5])
    trace = sys.argv[6] == "trace"
    if cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import pandas as pd
    train = pd.read_parquet(train_path)
    test = pd.read_parquet(test_path)
    if fraction < 1:
        train = train.iloc[: int(len(train) * fraction)]
        test = test.iloc[: int(len(test) * fraction)]

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    peak = [0]
    done = threading.Event()
    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss())
            time.sleep(0.005)
    out = {"tool": tool, "train_rows": len(train), "test_rows": len(test),
           "frames_mb": round((train.memory_usage(deep=True).sum()
                               + test.memory_usage(deep=True).sum()) / 2**20)}
    if tool == "ours":
        from mlsecops_jupyter.checks.leakage import check_leakage
        from mlsecops_jupyter.core.settings import Settings
        settings = Settings()
        run = lambda: check_leakage(train, test, target="target", settings=settings)
    else:
        from deepchecks.tabular import Dataset
        from deepchecks.tabular.checks import TrainTestSamplesMix
        def run():
            # row_id as the index, so that (like ours) the row id is not compared
            options = dict(label="target", cat_features=["channel", "region"],
                           index_name="row_id")
            train_ds = Dataset(train, **options)
            test_ds = Dataset(test, **options)
            return TrainTestSamplesMix().run(train_ds, test_ds)
    if trace:
        # second, separate run: peak of numpy/Python allocations (tracemalloc sees numpy's
        # buffers; it slows Python-level code, so its CPU time is not reported)
        import tracemalloc
        tracemalloc.start()
        run()
        print("RESULT " + json.dumps({"tool": tool, "traced_peak_mb":
                                      round(tracemalloc.get_traced_memory()[1] / 2**20)}))
        sys.exit(0)
    base = rss()
    peak[0] = base
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    cpu = time.process_time()
    wall = time.perf_counter()
    try:
        result = run()
        out["status"] = "ok"
    except MemoryError:
        result = None
        out["status"] = "MemoryError at the cap"
    out["cpu_s"] = round(time.process_time() - cpu, 2)
    out["wall_s"] = round(time.perf_counter() - wall, 2)
    done.set()
    thread.join()
    out["rss_growth_mb"] = round((max(peak[0], rss()) - base) / 2**20)
    if tool == "ours" and result is not None:
        out["findings"] = {f.rule + (f"[{f.location.column}]" if f.location.column else ""):
                           f.evidence.get("count") for f in result.findings}
        out["elapsed_s"] = round(result.elapsed_s, 2)
    elif result is not None:
        out["findings"] = {"TrainTestSamplesMix": str(result.value)[:200]}
    print("RESULT " + json.dumps(out))
""")


def run_child(python: str, tool: str, paths: tuple[Path, Path], fraction: float, cap_gb: float,
              timeout: int, trace: bool = False) -> dict[str, object]:
    result = _run_child(python, tool, paths, fraction, cap_gb, timeout, trace)
    result["fraction"] = fraction
    return result


def _run_child(python: str, tool: str, paths: tuple[Path, Path], fraction: float,
               cap_gb: float, timeout: int, trace: bool) -> dict[str, object]:
    cap = int(cap_gb * 2**30) if cap_gb else 0
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    try:
        proc = subprocess.run([python, "-c", CHILD, str(cap), str(fraction), tool,
                               str(paths[0]), str(paths[1]), "trace" if trace else "-"],
                              capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"tool": tool, "status": f"timeout after {timeout} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    killed = proc.returncode < 0 or "MemoryError" in proc.stderr or "bad_alloc" in proc.stderr
    status = f"killed at the {cap_gb:g} GB cap" if killed and cap else f"failed: {tail[:160]}"
    return {"tool": tool, "status": status, "returncode": proc.returncode}


# correctness on clean data: random ids and dates must not be flagged
CLEAN = textwrap.dedent(r"""
    import json, sys
    import numpy as np, pandas as pd
    tool, seeds = sys.argv[1], int(sys.argv[2])
    flagged, nonzero, top = 0, 0, 0.0
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        n = 20000
        frame = pd.DataFrame({
            "customer_id": rng.permutation(n) + 100000,
            "signup_date": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 1500, n), unit="D"),
            "income": rng.normal(50, 10, n), "age": rng.integers(18, 80, n)})
        frame["target"] = (frame.income + rng.normal(0, 8, n) > 55).astype(int)
        train = frame.iloc[: n * 4 // 5]
        if tool == "ours":
            from mlsecops_jupyter.checks.leakage import check_leakage
            from mlsecops_jupyter.core.settings import Settings
            report = check_leakage(train, frame.iloc[n * 4 // 5:], target="target",
                                   settings=Settings())
            flagged += sum(f.rule == "LEAK-ID-LABEL" for f in report.findings)
            table = report.metrics["tables"][-1]
            scores = [row[2] for row in table["rows"] if row[1] in ("id", "time")]
            nonzero += sum(abs(v - 0.5) > 0 for v in scores)
            top = max([top] + [abs(v - 0.5) + 0.5 for v in scores])
        else:
            from deepchecks.tabular import Dataset
            from deepchecks.tabular.checks import IdentifierLabelCorrelation
            ds = Dataset(train, label="target", index_name="customer_id",
                         datetime_name="signup_date", cat_features=[])
            result = IdentifierLabelCorrelation().add_condition_pps_less_or_equal().run(ds)
            flagged += sum(not c.is_pass() for c in result.conditions_results)
            nonzero += sum(1 for v in result.value.values() if v > 0)
            top = max([top] + list(result.value.values()))
    print("RESULT " + json.dumps({"tool": tool, "seeds": seeds, "columns_flagged": flagged,
                                  "nonzero_scores": nonzero, "max_score": round(top, 4)}))
""")


def run_clean(python: str, tool: str, seeds: int) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    proc = subprocess.run([python, "-c", CLEAN, tool, str(seeds)], capture_output=True,
                          text=True, timeout=1200, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"tool": tool, "status": "failed: " + (proc.stderr.strip().splitlines()
                                                  or ["?"])[-1][:160]}


def main_speed(argv: list[str] | None = None) -> None:
    """Data-level leakage checks at scale: ours against deepchecks, side by side in one run.

    The pair (5,000,000 x 20 train, 1,000,000 x 20 test, with planted duplicates, near duplicates,
    shared customers and a random split of dated rows) is generated once into benchmarks/data/
    (git-ignored). Each tool runs in a fresh child process that first loads the frames, so "memory
    beyond the frames" is measured from that point:

    * CPU time: ``time.process_time`` around the check (robust to other jobs on a shared machine);
    * memory beyond the frames, two ways: the growth of the process RSS during the check (a sampler
      thread reads it every 5 ms; the maximum minus the RSS just before the check; it undercounts
      memory the allocator reuses from loading the frames), and, in a second run of ours, the
      tracemalloc peak of every numpy/Python allocation made by the check (Arrow's own buffers,
      e.g. while factorising string columns, are not seen by tracemalloc);
    * deepchecks runs under ``resource.setrlimit(RLIMIT_AS, cap)`` (8 GB by default) and a
      time limit, on a fifth of the pair (its own documented problem size), and a run that hits
      either is reported as such.

    A second, small experiment compares correctness on clean data with random ids and dates: our
    LEAK-ID-LABEL against deepchecks' IdentifierLabelCorrelation.

    deepchecks does not import with current scikit-learn/pandas/numpy, so it runs from its own
    environment, given with ``--deepchecks-python`` (see benchmarks/README.md for how it is built).

        python benchmarks/leakage.py --part speed [--rows 5000000] [--deepchecks-python PATH]
    """
    parser = argparse.ArgumentParser(description=first_line(main_speed))
    parser.add_argument("--rows", type=int, default=5_000_000, help="training rows")
    parser.add_argument("--deepchecks-python", default=os.environ.get("DEEPCHECKS_PYTHON"),
                        help="python of an environment with deepchecks (skipped if absent)")
    parser.add_argument("--deepchecks-fraction", type=float, default=0.2)
    parser.add_argument("--memory-cap-gb", type=float, default=8.0)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--clean-seeds", type=int, default=20)
    parser.add_argument("--tools", default="ours,deepchecks,clean",
                        help="what to run (comma-separated); results of the others are kept "
                        "from the last run's results file")
    args = parser.parse_args(argv)
    tools = set(args.tools.split(","))
    paths = generate(args.rows)
    results_path = DATA / f"results-{args.rows}.json"
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    fractions = [1.0] + ([args.deepchecks_fraction] if args.deepchecks_python else [])
    rerun = {("ours", f) for f in fractions if "ours" in tools}
    rerun |= {("deepchecks", args.deepchecks_fraction)} if "deepchecks" in tools else set()
    results = [r for r in previous.get("speed", [])
               if (r.get("tool"), r.get("fraction")) not in rerun]
    for fraction in fractions if "ours" in tools else []:
        measured = run_child(sys.executable, "ours", paths, fraction, 0, args.timeout)
        traced = run_child(sys.executable, "ours", paths, fraction, 0, args.timeout, trace=True)
        measured["traced_peak_mb"] = traced.get("traced_peak_mb")
        results.append(measured)
    if args.deepchecks_python and "deepchecks" in tools:
        results.append(run_child(args.deepchecks_python, "deepchecks", paths,
                                 args.deepchecks_fraction, args.memory_cap_gb, args.timeout))
    clean = previous.get("clean_ids_dates", [])
    if "clean" in tools:
        clean = [run_clean(sys.executable, "ours", args.clean_seeds)]
        if args.deepchecks_python:
            clean.append(run_clean(args.deepchecks_python, "deepchecks", args.clean_seeds))
    out = {"speed": results, "clean_ids_dates": clean}
    results_path.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))



# -- calibration part ---------------------------------------------------------------------------

def _score(values: pd.Series, y: np.ndarray, rng: np.random.Generator,
           ordinal: bool = False) -> float:
    import numpy as np
    import pandas as pd

    from mlsecops_jupyter.checks.leakage import _target

    codes, n_bins = _target.bin_codes(values, 20, 50, ordinal=ordinal)
    label, _ = _target.encode_label(pd.Series(y))
    assert label is not None
    folds = np.zeros(len(y), dtype=np.int64)
    folds[rng.permutation(len(y))[: len(y) // 2]] = 1
    return _target.predictive_score(codes, n_bins, label, folds)


def null_scores(n: int, seeds: int) -> dict[str, np.ndarray]:
    import numpy as np
    import pandas as pd

    out: dict[str, list[float]] = {"random id": [], "random date": [], "random category": []}
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        y = (rng.random(n) < 0.3).astype(int)
        out["random id"].append(_score(pd.Series(rng.permutation(n)), y, rng, ordinal=True))
        dates = pd.Series(pd.Timestamp("2020-01-01")
                          + pd.to_timedelta(rng.integers(0, 1000, n), unit="D"))
        out["random date"].append(_score(dates, y, rng, ordinal=True))
        cats = pd.Series(rng.choice([f"c{i}" for i in range(300)], n))
        out["random category"].append(_score(cats, y, rng))
    return {k: np.asarray(v) for k, v in out.items()}


def legit_scores(auc: float, n: int, seeds: int) -> np.ndarray:
    """A normal feature whose population AUC is ``auc`` (binormal model, equal variances)."""
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    shift = np.sqrt(2) * norm.ppf(auc)
    scores = []
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        y = (rng.random(n) < 0.3).astype(int)
        x = rng.normal(0, 1, n) + shift * y
        scores.append(_score(pd.Series(x), y, rng))
    return np.asarray(scores)


def leak_scores(flip: float, n: int, seeds: int) -> np.ndarray:
    import numpy as np
    import pandas as pd

    scores = []
    for seed in range(seeds):
        rng = np.random.default_rng(5000 + seed)
        y = (rng.random(n) < 0.3).astype(int)
        flipped = np.where(rng.random(n) < flip, 1 - y, y)
        scores.append(_score(pd.Series(flipped * rng.gamma(2, 20, n)), y, rng))
    return np.asarray(scores)


def main_calibration(argv: list[str] | None = None) -> None:
    """How the thresholds of the data-level leakage check were chosen (docs/leakage.md).

    Three experiments on synthetic data with known truth, using the check's own statistic
    (cross-fitted single-column AUC over quantile bins, ``checks/leakage/_target.py``):

    1. null: a random id / random date / random category against a label: the distribution of the
       score across seeds and sample sizes (what a threshold must stay above);
    2. legitimate features of known population AUC 0.65 ... 0.85: the score must stay below
       ``proxy_auc`` (0.9) so that strong features are not flagged for being strong;
    3. leaks (the label with 1-8 % of rows flipped, times noise): the score must pass
       ``proxy_auc``.

        python benchmarks/leakage.py --part calibration [--seeds 200]
    """
    parser = argparse.ArgumentParser(description=first_line(main_calibration))
    parser.add_argument("--seeds", type=int, default=200)
    import numpy as np

    args = parser.parse_args(argv)
    print("| experiment | rows | mean | 99th pct | max |")
    print("|---|---|---|---|---|")
    for n in (200, 1000, 5000, 20000):
        for name, values in null_scores(n, args.seeds).items():
            print(f"| null: {name} | {n} | {values.mean():.3f} | "
                  f"{np.quantile(values, 0.99):.3f} | {values.max():.3f} |")
    for auc in (0.65, 0.75, 0.8, 0.85):
        values = legit_scores(auc, 20000, args.seeds // 4)
        print(f"| legitimate feature, population AUC {auc} | 20000 | {values.mean():.3f} | "
              f"{np.quantile(values, 0.99):.3f} | {values.max():.3f} |")
    for flip in (0.01, 0.04, 0.08):
        values = leak_scores(flip, 20000, args.seeds // 4)
        print(f"| leak: label with {flip:.0%} flipped | 20000 | {values.mean():.3f} | "
              f"{np.quantile(values, 0.01):.3f} (1st pct) | {values.min():.3f} (min) |")



# -- code-accuracy part -------------------------------------------------------------------------

CORPORA = Path(__file__).resolve().parent / "corpora" / "leakage-code"
SETS = "abcdefghijklmno"

Key = tuple[str, int, int]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _places(label: dict[str, Any], strict: bool) -> set[tuple[int, ...]]:
    """The (cell, line) pairs (strict) or cells (loose) where ``label`` counts as found."""
    spots = [(label["cell"], label["line"])]
    spots += [(alt["cell"], alt["line"]) for alt in label.get("alts", [])]
    return {spot if strict else spot[:1] for spot in spots}


def match(labels: list[dict[str, Any]], found: dict[Key, str],
          strict: bool) -> tuple[list[int], list[tuple[str, tuple[int, ...], str]]]:
    """One-to-one, first-fit matching of labels with the distinct (rule, cell, line) findings.

    Returns the indices of missed labels and the unmatched finding places (with a detail).
    """
    used: set[Key] = set()
    missed: list[int] = []
    for index, label in enumerate(labels):
        spots = _places(label, strict)
        hit = next((key for key in found if key not in used and key[0] == label["rule"]
                    and (key[1:] if strict else key[1:2]) in spots), None)
        if hit is None:
            missed.append(index)
        else:
            used.add(hit)
    extra = [(key[0], key[1:] if strict else key[1:2], detail)
             for key, detail in found.items() if key not in used]
    return missed, extra


def evaluate(corpus_dir: Path, repeats: int = 5) -> dict[str, Any]:
    """Run the check on every notebook of one stored corpus and score it against its labels."""
    import_start = time.process_time()
    from mlsecops_jupyter.checks.leakage import check_code_leakage
    import_cpu = time.process_time() - import_start

    document = json.loads((corpus_dir / "labels.json").read_text(encoding="utf-8"))
    rules: list[str] = document["rules"]
    counts = {level: {rule: {"tp": 0, "fp": 0, "fn": 0} for rule in rules}
              for level in ("strict", "loose")}
    errors: list[dict[str, Any]] = []
    cpu_times: list[float] = []
    confusion = {"leaky_flagged": 0, "leaky_missed": 0, "clean_flagged": 0, "clean_quiet": 0}
    for entry in document["notebooks"]:
        path = corpus_dir / entry["notebook"]
        runs = []
        for _ in range(repeats):
            start = time.process_time()
            report = check_code_leakage(str(path))
            runs.append(time.process_time() - start)
        cpu_times.append(statistics.median(runs))
        found: dict[Key, str] = {}
        for finding in report.findings:
            cell = -1 if finding.location.cell is None else int(finding.location.cell)
            line = -1 if finding.location.line is None else int(finding.location.line)
            found.setdefault((finding.rule, cell, line), finding.detail)
        labels = entry["labels"]
        for level, strict in (("strict", True), ("loose", False)):
            missed, extra = match(labels, found, strict)
            for index, label in enumerate(labels):
                counts[level][label["rule"]]["fn" if index in missed else "tp"] += 1
            for index in missed:
                label = labels[index]
                errors.append({"level": level, "kind": "FN", "notebook": entry["notebook"],
                               "rule": label["rule"], "cell": label["cell"],
                               "line": label["line"], "why": label.get("note", ""),
                               "detail": _others(found)})
            for rule, spot, detail in extra:
                counts[level][rule]["fp"] += 1
                errors.append({"level": level, "kind": "FP", "notebook": entry["notebook"],
                               "rule": rule, "cell": spot[0],
                               "line": spot[1] if strict else None, "detail": detail})
        kind = "leaky" if entry["leaky"] else "clean"
        quiet = "missed" if entry["leaky"] else "quiet"
        confusion[f"{kind}_{'flagged' if found else quiet}"] += 1
    summary: dict[str, Any] = {
        "corpus": document.get("corpus", corpus_dir.name),
        "notebooks": len(document["notebooks"]),
        "labels": sum(len(e["labels"]) for e in document["notebooks"]),
        "import_cpu_s": import_cpu, "repeats": repeats, "notebook_level": confusion,
        "cpu_per_notebook_s": {"median": statistics.median(cpu_times),
                               "max": max(cpu_times), "n": len(cpu_times)},
        "errors": errors, "counts": counts}
    for level in ("strict", "loose"):
        total = {k: sum(c[k] for c in counts[level].values()) for k in ("tp", "fp", "fn")}
        summary[level] = {"overall": _prf(**total),
                          "per_rule": {rule: _prf(**c) for rule, c in counts[level].items()}}
    return summary


def _others(found: dict[Key, str]) -> str:
    if not found:
        return "no finding in this notebook"
    return "other findings: " + ", ".join(f"{r}@cell {c} line {ln}" for r, c, ln in sorted(found))


def render(summary: dict[str, Any]) -> str:
    """One corpus as a Markdown table per rule, then every miss and false alarm."""
    out = [f"corpus {summary['corpus']}: {summary['notebooks']} notebooks, "
           f"{summary['labels']} labelled leaks", "",
           "| rule | strict P | strict R | strict F1 | loose P | loose R | loose F1 | "
           "TP/FP/FN (strict) |", "|---|---|---|---|---|---|---|---|"]
    rows = [("**overall**", summary["strict"]["overall"], summary["loose"]["overall"])]
    rows += [(rule, summary["strict"]["per_rule"][rule], summary["loose"]["per_rule"][rule])
             for rule in summary["strict"]["per_rule"]]
    for name, strict, loose in rows:
        out.append(f"| {name} | {strict['precision']:.3f} | {strict['recall']:.3f} | "
                   f"{strict['f1']:.3f} | {loose['precision']:.3f} | {loose['recall']:.3f} | "
                   f"{loose['f1']:.3f} | {strict['tp']}/{strict['fp']}/{strict['fn']} |")
    nbl, cpu = summary["notebook_level"], summary["cpu_per_notebook_s"]
    out += ["", f"Notebook level: leaky flagged {nbl['leaky_flagged']}, leaky missed "
            f"{nbl['leaky_missed']}, clean flagged {nbl['clean_flagged']}, clean quiet "
            f"{nbl['clean_quiet']}.",
            f"CPU time per notebook (process_time, median of {summary['repeats']} runs each, "
            f"n={cpu['n']}): median {cpu['median'] * 1000:.1f} ms, max "
            f"{cpu['max'] * 1000:.1f} ms; import {summary['import_cpu_s'] * 1000:.0f} ms.", ""]
    for level in ("strict", "loose"):
        errs = [e for e in summary["errors"] if e["level"] == level]
        out.append(f"{level} errors ({len(errs)}):")
        for err in errs:
            where = f"cell {err['cell']}" + (f" line {err['line']}" if err["line"] else "")
            why = f" [label: {err['why']}]" if err.get("why") else ""
            out.append(f"  {err['kind']} {err['notebook']} {err['rule']} {where}{why}\n"
                       f"      detector: {err['detail']}")
        out.append("")
    return "\n".join(out)


def render_overview(summaries: list[dict[str, Any]]) -> str:
    """One line per corpus, and the pooled figure when several are scored."""
    out = ["| corpus | notebooks | leaks | strict P / R (TP/FP/FN) | loose P / R (TP/FP/FN) | "
           "clean notebooks flagged |", "|---|---|---|---|---|---|"]
    pooled = {level: {"tp": 0, "fp": 0, "fn": 0} for level in ("strict", "loose")}
    for summary in summaries:
        cells = []
        for level in ("strict", "loose"):
            o = summary[level]["overall"]
            for key in ("tp", "fp", "fn"):
                pooled[level][key] += int(o[key])
            cells.append(f"{o['precision']:.3f} / {o['recall']:.3f} "
                         f"({o['tp']}/{o['fp']}/{o['fn']})")
        nbl = summary["notebook_level"]
        clean = nbl["clean_flagged"] + nbl["clean_quiet"]
        out.append(f"| {summary['corpus'].upper()} | {summary['notebooks']} | "
                   f"{summary['labels']} | {cells[0]} | {cells[1]} | "
                   f"{nbl['clean_flagged']} of {clean} |")
    if len(summaries) > 1:
        cells = []
        for level in ("strict", "loose"):
            o = _prf(**pooled[level])
            cells.append(f"{o['precision']:.3f} / {o['recall']:.3f} "
                         f"({o['tp']}/{o['fp']}/{o['fn']})")
        out.append(f"| pooled | {sum(s['notebooks'] for s in summaries)} | "
                   f"{sum(s['labels'] for s in summaries)} | {cells[0]} | {cells[1]} | |")
    return "\n".join(out)


def main_code_accuracy(argv: list[str] | None = None) -> int:
    """Accuracy of the code-level leakage check on the stored held-out corpora (A to O).

        python benchmarks/leakage.py --part code-accuracy --set n    # one corpus, every miss
        python benchmarks/leakage.py --part code-accuracy --set all  # one line per corpus
        python benchmarks/leakage.py --part code-accuracy --set m,n  # several, pooled too
                                                          [--repeats 5] [--json]

    Each corpus is data: ``benchmarks/corpora/leakage-code/<set>/`` holds the notebooks as their
    authors wrote them, ``labels.json`` (every labelled leak: rule, cell, line, a note, sometimes
    ``alts``, other places that count as the same leak) and a README with the author's conventions.

    Every notebook goes through the public ``check_code_leakage``. Findings at one (rule, cell,
    line) count once. A label is found when a finding of its rule sits at one of its places: strict
    matching compares cell and line, loose matching the cell only. Each label takes at most one
    finding place and each place serves at most one label (two leaks labelled in one cell need two
    findings there, at either level); places left over are false alarms.
    Precision, recall and F1 are given overall and per rule, with notebook-level counts (a clean
    notebook with any finding is a false alarm), every false positive and false negative with the
    detector's detail text, and the CPU time per notebook (``time.process_time``, robust to other
    jobs on a shared machine; the median of ``--repeats`` runs, since one run takes a millisecond).
    """
    parser = argparse.ArgumentParser(description=first_line(main_code_accuracy))
    parser.add_argument("--set", dest="sets", default="all",
                        help="a corpus letter (a-o), several separated by commas, or 'all'")
    parser.add_argument("--corpus", type=Path, help="score this folder instead (labels.json)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per notebook")
    parser.add_argument("--json", action="store_true", help="print the summaries as JSON")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        folders = [args.corpus]
    else:
        chosen = SETS if args.sets == "all" else args.sets.replace(",", "")
        unknown = sorted(set(chosen) - set(SETS))
        if unknown:
            parser.error(f"unknown corpus {''.join(unknown)!r}; choose from {SETS} or 'all'")
        folders = [CORPORA / letter for letter in chosen]
    missing = [str(f) for f in folders if not (f / "labels.json").is_file()]
    if missing:
        print(f"no labels.json in {', '.join(missing)}", file=sys.stderr)
        return 2
    summaries = [evaluate(folder, max(1, args.repeats)) for folder in folders]
    if args.json:
        print(json.dumps(summaries if len(summaries) > 1 else summaries[0], indent=1))
    elif len(summaries) == 1:
        print(render(summaries[0]))
    else:
        print(render_overview(summaries))
    return 0



# -- code-speed part ----------------------------------------------------------------------------

CELL_KINDS = (
    "df_{i} = df.copy()\ndf_{i}['ratio_{i}'] = df_{i}['a'] / (df_{i}['b'].abs() + 1)\n"
    "df_{i} = df_{i}.dropna()",
    "def clean_{i}(frame):\n    frame = frame.copy()\n    frame['c'] = frame['c'].clip(-3, 3)\n"
    "    return frame\n\ndf = clean_{i}(df)",
    "X = df.drop(columns=['label'])\ny = df['label']\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state={i})",
    "scaler_{i} = StandardScaler().fit(X_train)\nX_train_s = scaler_{i}.transform(X_train)\n"
    "X_test_s = scaler_{i}.transform(X_test)",
    "model_{i} = LogisticRegression(C={c}, max_iter=500).fit(X_train_s, y_train)\n"
    "pred_{i} = model_{i}.predict(X_test_s)\nprint(accuracy_score(y_test, pred_{i}))",
    "pipe_{i} = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=50))\n"
    "scores_{i} = cross_val_score(pipe_{i}, X_train, y_train, cv=5)\nprint(scores_{i}.mean())",
    "summary_{i} = df.groupby('segment')['a'].agg(['mean', 'std'])\nsummary_{i}.head()",
    "for col in ['a', 'b', 'c']:\n    df[col + '_log_{i}'] = np.log1p(df[col].abs())",
    "%matplotlib inline\nax_{i} = df['a'].plot.hist(bins=30)",
    "grid_{i} = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),\n"
    "                        {{'logisticregression__C': [0.1, 1, 10]}}, cv=5)\n"
    "grid_{i}.fit(X_train, y_train)\nprint(grid_{i}.best_params_)",
)
HEADER = (
    "import numpy as np\nimport pandas as pd\n"
    "from sklearn.model_selection import train_test_split, cross_val_score, GridSearchCV\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from sklearn.pipeline import make_pipeline\nfrom sklearn.metrics import accuracy_score",
    "df = pd.read_csv('data/customers.csv')\ndf = df.drop_duplicates()",
)


def generated_notebook(cells: int = 200) -> dict[str, Any]:
    """A 200-cell notebook (markdown every tenth cell), executed in page order."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb_cells = []
    count = 0
    for i in range(cells):
        if i % 10 == 9:
            nb_cells.append(new_markdown_cell(f"## Step {i}"))
            continue
        source = HEADER[i] if i < len(HEADER) else CELL_KINDS[i % len(CELL_KINDS)].format(
            i=i, c=round(0.1 * (1 + i % 7), 1))
        count += 1
        cell = new_code_cell(source)
        cell.execution_count = count
        nb_cells.append(cell)
    return new_notebook(cells=nb_cells)


def static_speed(repeats: int) -> dict[str, Any]:
    from mlsecops_jupyter.checks.leakage import check_code_leakage

    notebook = generated_notebook()
    times = []
    report = None
    for _ in range(repeats):
        started = time.process_time()
        report = check_code_leakage(notebook)
        times.append(time.process_time() - started)
    assert report is not None
    return {"cells": len(notebook["cells"]), "statements": report.metrics["code"]["statements"],
            "findings": len(report.findings), "median_cpu_s": statistics.median(times),
            "max_cpu_s": max(times)}


def estimators() -> list[tuple[str, Any, tuple[int, int]]]:
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    return [
        ("StandardScaler", lambda: StandardScaler(), (200_000, 20)),
        ("LogisticRegression", lambda: LogisticRegression(max_iter=200), (50_000, 20)),
        ("RandomForestClassifier(50)", lambda: RandomForestClassifier(
            n_estimators=50, n_jobs=1, random_state=0), (20_000, 20)),
        ("HistGradientBoostingClassifier", lambda: HistGradientBoostingClassifier(
            max_iter=50, random_state=0), (100_000, 20)),
    ]


def hook_overhead(repeats: int) -> list[dict[str, Any]]:
    import numpy as np

    from mlsecops_jupyter.provenance import ProvenanceRecorder, install

    rng = np.random.default_rng(0)
    rows = []
    for name, make, (n, d) in estimators():
        X = rng.normal(size=(n, d))
        y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
        off: list[float] = []
        on: list[float] = []
        hook_cpu: list[float] = []
        for r in range(repeats):
            for hooked in ((False, True) if r % 2 == 0 else (True, False)):
                recorder = ProvenanceRecorder()
                hooks = install(recorder) if hooked else None
                try:
                    estimator = make()
                    started = time.process_time()
                    estimator.fit(X, y)
                    elapsed = time.process_time() - started
                finally:
                    if hooks is not None:
                        hooks.uninstall()
                (on if hooked else off).append(elapsed)
            recorder = ProvenanceRecorder()
            started = time.process_time()
            recorder.on_fit(make(), "fit", (X, y), {}, None)
            hook_cpu.append(time.process_time() - started)
        fit_off, fit_on = statistics.median(off), statistics.median(on)
        rows.append({
            "estimator": name, "rows": n, "columns": d, "fit_cpu_s": fit_off,
            "fit_hooked_cpu_s": fit_on,
            "difference_pct": 100 * (fit_on - fit_off) / fit_off,
            "hook_cpu_ms": 1000 * statistics.median(hook_cpu),
            "hook_pct_of_fit": 100 * statistics.median(hook_cpu) / fit_off,
        })
    return rows


def main_code_speed(argv: list[str] | None = None) -> None:
    """Code-level leakage: analysis time of a 200-cell notebook, and the runtime hooks' overhead.

        python benchmarks/leakage.py --part code-speed [--repeats 7] [--json]

    1. ``check_code_leakage`` on a generated, realistic 200-cell notebook (loading, cleaning,
       feature engineering, helper functions, splits, fits, loops over models, plots-free). Target:
       under 1 s of CPU time.
    2. The provenance hooks' cost as a share of the fit time they wrap, on real estimators: each
       fit runs with the hooks off and on, in alternating order, ``--repeats`` times; the medians
       are compared. The hooks' own work (fingerprinting the rows) is also timed directly, which
       is the steadier number on a shared machine. Target: under 5 %.

    All times are CPU time of this process (``time.process_time``), which is robust to other jobs
    on the machine; estimators run single-threaded (``n_jobs=1``) so CPU time is wall-clock work.
    """
    parser = argparse.ArgumentParser(description=first_line(main_code_speed))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    static = static_speed(args.repeats)
    overhead = hook_overhead(args.repeats)
    if args.json:
        print(json.dumps({"static": static, "hooks": overhead}, indent=2))
        return
    print(f"static analysis: {static['cells']} cells, {static['statements']} statements, "
          f"{static['findings']} findings: median {static['median_cpu_s']:.3f} s CPU "
          f"(max {static['max_cpu_s']:.3f} s) -> "
          f"{'PASS' if static['max_cpu_s'] < 1 else 'FAIL'} (< 1 s)")
    print("| estimator | rows x cols | fit CPU (hooks off) | fit CPU (hooks on) | difference | "
          "hook work (direct) | hook work / fit |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in overhead:
        print(f"| {row['estimator']} | {row['rows']:,} x {row['columns']} | "
              f"{row['fit_cpu_s']:.3f} s | {row['fit_hooked_cpu_s']:.3f} s | "
              f"{row['difference_pct']:+.1f} % | {row['hook_cpu_ms']:.2f} ms | "
              f"{row['hook_pct_of_fit']:.2f} % |")
    worst = max(row["hook_pct_of_fit"] for row in overhead)
    print(f"{'PASS' if worst < 5 else 'FAIL'}: worst hook work {worst:.2f} % of the fit (< 5 %)")


PARTS = {
    "speed": Part(main_speed, first_line(main_speed),
                  quick=("--rows", "50000", "--tools", "ours,clean", "--clean-seeds", "2")),
    "calibration": Part(main_calibration, first_line(main_calibration), quick=("--seeds", "8")),
    "code-accuracy": Part(main_code_accuracy, first_line(main_code_accuracy),
                          quick=("--repeats", "1")),
    "code-speed": Part(main_code_speed, first_line(main_code_speed), quick=("--repeats", "1")),
}

if __name__ == "__main__":
    raise SystemExit(run_parts(__doc__ or "", PARTS))
