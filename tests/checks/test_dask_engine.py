"""The data checks on dask frames give the pandas engine's report, on a real LocalCluster.

Every comparison runs the same check on the same rows twice, once as pandas frames and once as
dask frames split into several partitions, and compares the two reports' JSON exactly (only the
timing and the dask-only ``engine`` metric are left out). The cluster is a real
``distributed.LocalCluster`` with two worker processes, as CI runs it; a few cases run on dask's
local threaded scheduler too, which takes the other code path (disk shuffle, callbacks).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from test_leakage_data import transactions  # noqa: E402  (tests/checks is on the path)

from mlsecops_jupyter import check_bias, check_drift, check_leakage, scan_pii  # noqa: E402
from mlsecops_jupyter.checks._dask import SPARK_NOT_SUPPORTED  # noqa: E402
from mlsecops_jupyter.core import Report, Settings  # noqa: E402
from mlsecops_jupyter.core.errors import MLSecInputError  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes, one thread each: what CI runs."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, memory_limit="1GiB")
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def comparable(report: Report) -> dict[str, Any]:
    data = json.loads(report.to_json())
    data.pop("elapsed_s", None)
    data.get("metrics", {}).pop("data_engine", None)
    return data


def assert_same(pandas_report: Report, dask_report: Report) -> None:
    expected, got = comparable(pandas_report), comparable(dask_report)
    for key in expected:
        assert got.get(key) == expected[key], key
    assert got == expected


def leaky_split() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train/test with every data-level leak planted: copies, near copies, shared customers,
    test rows dated before the training data ends."""
    data = transactions(4000)
    train = data.iloc[:3000].reset_index(drop=True)
    test = data.iloc[3000:].reset_index(drop=True)
    exact = train.iloc[100:140]
    near = train.iloc[10:22].copy()
    near["amount"] = near["amount"] + 1e-7
    near.loc[near.index[:5], "channel"] = near["channel"].iloc[:5].str.upper() + "  "
    return train, pd.concat([test, exact, near], ignore_index=True)


def rules(report: Report) -> list[str]:
    return sorted(f.rule for f in report.findings)


# -- leakage ------------------------------------------------------------------------------------
def test_leakage_on_a_cluster_equals_pandas(client: Any) -> None:
    train, test = leaky_split()
    expected = check_leakage(train, test, target="churn", settings=Settings())
    got = check_leakage(dd.from_pandas(train, npartitions=4), dd.from_pandas(test, npartitions=3),
                        target="churn", settings=Settings())
    assert {"LEAK-DUPLICATE-ROWS", "LEAK-NEAR-DUPLICATES", "LEAK-GROUP-OVERLAP"} <= set(
        rules(expected))
    assert_same(expected, got)
    engine = got.metrics["data_engine"]
    assert engine["name"] == "dask"
    assert engine["scheduler"] == "distributed (2 workers)"
    assert engine["partitions"] == {"train": 4, "test": 3}
    assert engine["sample_rows"]["train"] == min(3000, Settings().leakage.sample_rows)


def test_leakage_with_many_shuffle_buckets_counts_the_same(
        client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small buckets: matches split over many hash partitions still add up exactly."""
    from mlsecops_jupyter.checks._dask import fingerprints

    monkeypatch.setattr(fingerprints, "BUCKET_ROWS", 300)
    assert fingerprints.buckets_for(7052, 2) == 24
    train, test = leaky_split()
    expected = check_leakage(train, test, settings=Settings())
    got = check_leakage(dd.from_pandas(train, npartitions=2), dd.from_pandas(test, npartitions=1),
                        settings=Settings())
    assert_same(expected, got)


def test_leakage_temporal_order_on_a_cluster(client: Any) -> None:
    data = transactions(3000).sort_values("txn_date").reset_index(drop=True)
    train, test = data.iloc[:2400].reset_index(drop=True), data.iloc[2300:].reset_index(drop=True)
    train = train.assign(txn_date=train["txn_date"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    test = test.assign(txn_date=test["txn_date"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    expected = check_leakage(train, test, time="txn_date", settings=Settings())
    got = check_leakage(dd.from_pandas(train, npartitions=3), dd.from_pandas(test, npartitions=2),
                        time="txn_date", settings=Settings())
    assert "LEAK-TEMPORAL" in rules(expected)
    assert_same(expected, got)


def test_leakage_on_parquet_parts_that_dask_would_fuse(client: Any, tmp_path: Path) -> None:
    """Reading one column of many small Parquet parts, dask's optimiser fuses them: positions
    counted on the whole frame must still find their rows (examples, dates, samples)."""
    data = transactions(3000).sort_values("txn_date").reset_index(drop=True)
    train, test = data.iloc[:2400].reset_index(drop=True), data.iloc[2300:].reset_index(drop=True)
    test = pd.concat([test, train.iloc[500:530]], ignore_index=True)
    for name, frame in (("train", train), ("test", test)):
        dd.from_pandas(frame, npartitions=8).to_parquet(tmp_path / name, write_index=False)
    got = check_leakage(dd.read_parquet(tmp_path / "train"), dd.read_parquet(tmp_path / "test"),
                        target="churn", time="txn_date", settings=Settings())
    expected = check_leakage(train, test, target="churn", time="txn_date", settings=Settings())
    assert {"LEAK-TEMPORAL", "LEAK-DUPLICATE-ROWS"} <= set(rules(expected))
    assert_same(expected, got)


def test_leakage_on_the_local_scheduler_and_with_one_pandas_side(client: Any) -> None:
    """dask's threads (named in its config, so the client is not used) and its disk shuffle;
    a pandas test set goes in as one partition."""
    import dask

    train, test = leaky_split()
    expected = check_leakage(train, test, target="churn", settings=Settings())
    with dask.config.set(scheduler="threads"):
        got = check_leakage(dd.from_pandas(train, npartitions=3), test, target="churn",
                            settings=Settings())
    assert_same(expected, got)
    assert got.metrics["data_engine"]["scheduler"].startswith("local")
    assert got.metrics["data_engine"]["partitions"] == {"train": 3, "test": 1}


def test_leakage_errors_are_the_pandas_one_liners(client: Any) -> None:
    train, _ = leaky_split()
    empty = dd.from_pandas(train.iloc[:0], npartitions=1)
    with pytest.raises(MLSecInputError, match="test"):
        check_leakage(dd.from_pandas(train, npartitions=2), empty, settings=Settings())


def test_spark_frames_are_refused_in_one_line() -> None:
    spark_like = type("DataFrame", (), {"__module__": "pyspark.sql.dataframe"})()
    with pytest.raises(MLSecInputError) as raised:
        check_leakage(spark_like, pd.DataFrame({"a": [1]}), settings=Settings())
    assert str(raised.value) == SPARK_NOT_SUPPORTED


# -- pii ----------------------------------------------------------------------------------------
def people(n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({
        "email": [f"user{i}@example.com" for i in range(n)],
        "phone": [f"(415) 555-{i % 10000:04d}" for i in range(n)],
        "note": rng.choice(["hello there", "call 212-555-0100 now", "nothing to see"], n),
        "score": rng.normal(size=n),
    })


def test_pii_samples_the_same_rows_across_partitions(client: Any) -> None:
    frame = people()
    settings = Settings().override({"pii.sample_rows": 500})
    expected = scan_pii(frame, settings=settings)
    got = scan_pii(dd.from_pandas(frame, npartitions=5), settings=settings)
    assert {"PII-EMAIL-ADDRESS", "PII-PHONE-NUMBER"} <= set(rules(expected))
    assert_same(expected, got)
    assert got.metrics["data_engine"]["sample_rows"] == 500
    assert got.metrics["data_engine"]["partitions"] == 5


def test_pii_of_chosen_columns_with_spans(client: Any) -> None:
    frame = people(800)
    settings = Settings().override({"pii.sample_rows": 300})
    expected = scan_pii(frame, columns=["note", "phone"], spans=True, settings=settings)
    got = scan_pii(dd.from_pandas(frame, npartitions=3), columns=["note", "phone"], spans=True,
                   settings=settings)
    assert_same(expected, got)


# -- drift --------------------------------------------------------------------------------------
def test_drift_counts_every_row_and_tests_the_same_sample(client: Any) -> None:
    data = transactions(4000).drop(columns=["txn_id"])
    reference = data.iloc[:2000].reset_index(drop=True)
    current = data.iloc[2000:].reset_index(drop=True)
    current["amount"] = current["amount"] * 1.3
    current.loc[current.index[:300], "age"] = np.nan
    settings = Settings().override({"drift.sample_rows": 1000, "drift.figures": False})
    expected = check_drift(reference, current, target="churn", settings=settings)
    got = check_drift(dd.from_pandas(reference, npartitions=3),
                      dd.from_pandas(current, npartitions=2), target="churn", settings=settings)
    assert "DRIFT-FEATURE" in rules(expected)
    assert_same(expected, got)


# -- bias ---------------------------------------------------------------------------------------
def predictions(n: int = 5000) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    sex = rng.choice(["F", "M"], n, p=[0.4, 0.6])
    race = rng.choice(["a", "b", "c"], n)
    truth = rng.integers(0, 2, n)
    favoured = (sex == "M") & (rng.random(n) < 0.35)
    predicted = np.where(favoured, 1, truth ^ (rng.random(n) < 0.2))
    frame = pd.DataFrame({"sex": sex, "race": race, "y": truth, "pred": predicted,
                          "score": rng.random(n).round(3), "w": rng.integers(1, 4, n) / 2})
    frame.loc[frame.index[:40], "race"] = None
    return frame


@pytest.mark.parametrize("options", [
    {},
    {"score": True},
    {"weights": True},
    {"missing": "drop"},
], ids=["counts", "scores", "weights", "missing-dropped"])
def test_bias_counts_per_group_reduced_across_partitions(client: Any,
                                                         options: dict[str, Any]) -> None:
    frame = predictions()
    ddf = dd.from_pandas(frame, npartitions=4)
    settings = Settings().override({"bias.figures": False})

    def run(data: Any) -> Report:
        return check_bias(data["y"], data["pred"], data[["sex", "race"]],
                          y_score=data["score"] if options.get("score") else None,
                          sample_weight=data["w"] if options.get("weights") else None,
                          missing=options.get("missing", "category"), settings=settings)

    expected, got = run(frame), run(ddf)
    assert "BIAS-DISPARATE-IMPACT" in rules(expected)
    if options.get("score"):
        # a mean score is a float sum, added per cell then per group instead of row by row:
        # equal to the last bits or so, every count and every rate of counts exactly
        assert rounded(comparable(got)) == rounded(comparable(expected))
        assert got.metrics["group_sizes"] == expected.metrics["group_sizes"]
    else:
        assert_same(expected, got)
    assert got.metrics["data_engine"]["partitions"] == 4
    assert got.metrics["data_engine"]["rows"] == len(frame)
    if not options.get("score"):  # scores make a cell per distinct value (docs/dask.md)
        assert got.metrics["data_engine"]["cells"] < len(frame) / 100


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def test_bias_inputs_from_different_frames_are_refused(client: Any) -> None:
    frame = predictions(400)
    ddf = dd.from_pandas(frame, npartitions=4)
    with pytest.raises(MLSecInputError, match="partitions"):
        check_bias(ddf["y"], ddf["pred"], dd.from_pandas(frame[["sex"]], npartitions=2),
                   settings=Settings())
    with pytest.raises(MLSecInputError, match="dask columns"):
        check_bias(ddf["y"], ddf["pred"], frame["sex"].to_numpy(), settings=Settings())
