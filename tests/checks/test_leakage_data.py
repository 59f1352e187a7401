"""``check_leakage`` on realistic train/test pairs: each leak planted with a known count, and each
clean look-alike (random ids, random dates, a strong but legitimate feature) with no finding."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit, train_test_split

from mlsecops_jupyter import check_leakage
from mlsecops_jupyter.checks.catalogue import all_rules as load_all_rules
from mlsecops_jupyter.core import Report, Settings, Severity
from mlsecops_jupyter.core.errors import MLSecInputError

DATA_RULES = {"LEAK-DUPLICATE-ROWS", "LEAK-NEAR-DUPLICATES", "LEAK-GROUP-OVERLAP",
              "LEAK-TEMPORAL", "LEAK-TARGET-PROXY", "LEAK-ID-LABEL", "LEAK-MISSING-LABEL"}


def transactions(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Card transactions of returning customers; churn depends on tenure (AUC about 0.75)."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 121, n)
    latent = -(tenure - 60) / 35 + rng.normal(0, 1.7, n)
    return pd.DataFrame({
        "txn_id": [uuid.UUID(int=int(v)).hex for v in rng.integers(0, 2**63, n)],
        "customer_id": [f"C{v:05d}" for v in rng.integers(0, n // 4, n)],
        "txn_date": pd.Timestamp("2022-01-01")
        + pd.to_timedelta(rng.integers(0, 730 * 24, n), unit="h"),
        "amount": rng.gamma(2.0, 50.0, n).round(2),
        "age": rng.integers(18, 80, n),
        "channel": rng.choice(["web", "store", "phone"], n),
        "tenure_months": tenure,
        "churn": (latent > 0.6).astype(int),
    })


def rules(report: Report) -> list[tuple[str, Any]]:
    return sorted((f.rule, f.location.column) for f in report.findings)


def one(report: Report, rule: str, column: str | None = None) -> Any:
    found = [f for f in report.findings if f.rule == rule and f.location.column == column]
    assert len(found) == 1, rules(report)
    return found[0]


def run(train: Any, test: Any, **kwargs: Any) -> Report:
    return check_leakage(train, test, settings=Settings(), **kwargs)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return transactions()


@pytest.fixture(scope="module")
def random_split(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    train, test = train_test_split(data, test_size=0.25, random_state=1)
    return train, test


# -- the rule table ---------------------------------------------------------------------------
def test_data_rules_are_registered_under_the_leakage_check() -> None:
    catalogue = load_all_rules()
    assert set(catalogue) >= DATA_RULES
    assert {catalogue[r].check for r in DATA_RULES} == {"leakage"}


# -- clean look-alikes ------------------------------------------------------------------------
def test_clean_random_split_with_random_ids_dates_and_a_strong_feature_has_no_finding(
        data: pd.DataFrame) -> None:
    # no entity column: each row is its own record; random uuids and random dates stay in
    clean = data.drop(columns=["customer_id"])
    train, test = train_test_split(clean, test_size=0.25, random_state=1)
    auc = roc_auc_score(train.churn, -train.tenure_months)
    assert 0.72 <= auc <= 0.80  # a good, legitimate feature
    report = run(train, test, target="churn")
    assert report.findings == []
    assert report.check == "leakage"
    auto = report.metrics["roles"]["auto_detected"]
    assert set(auto) == {"txn_id", "txn_date"}
    assert report.metrics["roles"]["id"] == ["txn_id"]
    assert report.metrics["roles"]["time"] == ["txn_date"]
    # the random split is not chronological: the date column is not taken for the time axis
    assert any(s.what == "LEAK-TEMPORAL on 'txn_date'" for s in report.skipped)
    table = report.metrics["tables"][-1]
    scores = {row[0]: row[2] for row in table["rows"]}
    assert scores["tenure_months"] == pytest.approx(auc, abs=0.03)
    assert abs(scores["txn_id"] - 0.5) < 0.05 and abs(scores["txn_date"] - 0.5) < 0.05


@pytest.mark.parametrize("seed", range(5))
def test_random_ids_and_dates_are_never_flagged_across_seeds(seed: int) -> None:
    data = transactions(3000, seed=seed + 10).drop(columns=["customer_id"])
    data["row_number"] = np.random.default_rng(seed).permutation(len(data))
    train, test = train_test_split(data, test_size=0.3, random_state=seed)
    report = run(train, test, target="churn")
    assert report.findings == []
    assert "row_number" in report.metrics["roles"]["id"]


def test_group_split_with_group_given_is_clean(data: pd.DataFrame) -> None:
    splitter = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
    train_idx, test_idx = next(splitter.split(data, groups=data.customer_id))
    report = run(data.iloc[train_idx], data.iloc[test_idx], target="churn",
                 group="customer_id")
    assert report.findings == []
    assert report.metrics["roles"]["group"] == ["customer_id"]


def test_chronological_split_with_time_given_is_clean(data: pd.DataFrame) -> None:
    ordered = data.drop(columns=["customer_id"]).sort_values("txn_date")
    cut = int(len(ordered) * 0.75)
    report = run(ordered.iloc[:cut], ordered.iloc[cut:], target="churn", time="txn_date")
    assert report.findings == []


# -- row overlap ------------------------------------------------------------------------------
def test_exact_duplicates_are_counted_exactly_with_example_indices(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    copied = train.iloc[[5, 50, 500, 700, 900, 1000, 1500]]
    leaky = pd.concat([test, copied])
    report = run(train, leaky.drop(columns=["customer_id"]),
                 target=None)
    finding = one(report, "LEAK-DUPLICATE-ROWS")
    assert finding.evidence["count"] == 7
    assert finding.severity == Severity.HIGH
    assert finding.evidence["examples"][0] == {"test": int(copied.index[0]),
                                               "train": int(copied.index[0])}
    assert len(finding.evidence["examples"]) == 5
    assert report.metrics["duplicate_test_rows"] == 7
    # the uuid of each copied row is shared as well: the id overlap is reported separately
    overlap = one(report, "LEAK-GROUP-OVERLAP", "txn_id")
    assert overlap.evidence["count"] == 7 and overlap.severity == Severity.MEDIUM


def test_copies_with_a_new_identifier_are_still_duplicates(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    copied = train.iloc[:12].copy()
    copied["txn_id"] = [uuid.uuid4().hex for _ in range(12)]
    report = run(train, pd.concat([test, copied]), target="churn", group="customer_id",
                 id="txn_id")
    assert one(report, "LEAK-DUPLICATE-ROWS").evidence["count"] == 12
    assert "txn_id" not in report.metrics["fingerprint_columns"]


def test_near_duplicates_after_rounding_and_text_normalisation(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    train = train.drop(columns=["customer_id", "txn_id"])
    test = test.drop(columns=["customer_id", "txn_id"])
    near = train.iloc[10:19].copy()
    near["amount"] = near["amount"] + 1e-7              # below 4 decimals
    near.loc[near.index[:4], "channel"] = near["channel"].iloc[:4].str.upper() + "  "
    exact = train.iloc[100:103]
    train = train.copy()
    train.iloc[200:202, train.columns.get_loc("amount")] = [10.1, 20.1]
    far = train.iloc[200:202].assign(amount=[10.2, 20.2])   # equal only at 0 decimals
    report = run(train, pd.concat([test, near, exact, far]))
    assert one(report, "LEAK-DUPLICATE-ROWS").evidence["count"] == 3
    finding = one(report, "LEAK-NEAR-DUPLICATES")
    assert finding.evidence["count"] == 9
    assert finding.evidence["float_decimals"] == 4
    assert finding.severity == Severity.MEDIUM
    coarse = check_leakage(train, pd.concat([test, near, exact, far]),
                           settings=Settings().override({"leakage.float_decimals": 0}))
    assert one(coarse, "LEAK-NEAR-DUPLICATES").evidence["count"] == 11


def test_rows_with_missing_values_are_duplicates_too(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    train = train.drop(columns=["customer_id", "txn_id"]).copy()
    train["amount"] = train["amount"].astype(float)
    train.iloc[:6, train.columns.get_loc("amount")] = np.nan
    train.iloc[:3, train.columns.get_loc("channel")] = None
    test = test.drop(columns=["customer_id", "txn_id"])
    report = run(train, pd.concat([test, train.iloc[:6]]))
    assert one(report, "LEAK-DUPLICATE-ROWS").evidence["count"] == 6


def test_integer_and_float_dtypes_of_the_same_values_match(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    train = train.drop(columns=["customer_id", "txn_id"])
    copies = train.iloc[:4].astype({"age": "float64", "tenure_months": "float64"})
    test = test.drop(columns=["customer_id", "txn_id"]).astype({"age": "float64"})
    report = run(train, pd.concat([test, copies]))
    assert one(report, "LEAK-DUPLICATE-ROWS").evidence["count"] == 4


# -- entities and time ------------------------------------------------------------------------
def test_group_overlap_counts_shared_entities_and_affected_rows(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    report = run(train, test, target="churn", group="customer_id")
    finding = one(report, "LEAK-GROUP-OVERLAP", "customer_id")
    shared = set(train.customer_id) & set(test.customer_id)
    assert finding.evidence["count"] == len(shared)
    assert finding.evidence["test_rows"] == int(test.customer_id.isin(shared).sum())
    assert finding.evidence["examples"] == sorted(shared)[:5]
    assert finding.severity == Severity.HIGH
    assert finding.evidence["auto_detected"] is False


def test_entity_column_is_found_by_name_when_not_given(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    report = run(train, test)
    finding = one(report, "LEAK-GROUP-OVERLAP", "customer_id")
    assert finding.severity == Severity.MEDIUM and finding.evidence["auto_detected"] is True
    assert report.metrics["roles"]["auto_detected"]["customer_id"].startswith(
        "auto: identifier name")


def test_temporal_leak_counts_test_rows_before_the_last_training_date(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    train, test = train.drop(columns=["customer_id"]), test.drop(columns=["customer_id"])
    report = run(train, test, target="churn", time="txn_date")
    finding = one(report, "LEAK-TEMPORAL", "txn_date")
    assert finding.evidence["count"] == int((test.txn_date < train.txn_date.max()).sum())
    assert finding.severity == Severity.HIGH


def test_almost_chronological_split_is_caught_on_an_auto_detected_date(
        data: pd.DataFrame) -> None:
    ordered = data.drop(columns=["customer_id"]).sort_values("txn_date")
    train, test = ordered.iloc[:3000], ordered.iloc[3000:]
    late = train.iloc[-40:]   # 40 late rows moved from test into train by a bad filter
    train = pd.concat([train.iloc[:-40], test.iloc[:25]])
    test = pd.concat([test.iloc[25:], late])
    expected = int((test.txn_date < train.txn_date.max()).sum())
    report = run(train, test, target="churn")
    finding = one(report, "LEAK-TEMPORAL", "txn_date")
    assert finding.evidence["count"] == expected == 40
    assert finding.severity == Severity.MEDIUM and finding.evidence["auto_detected"] is True


def test_text_dates_are_parsed(data: pd.DataFrame) -> None:
    frame = data.drop(columns=["customer_id"]).sort_values("txn_date")
    frame["txn_date"] = frame.txn_date.dt.strftime("%Y-%m-%d %H:%M")
    train, test = frame.iloc[:3000], frame.iloc[3000:]
    test = pd.concat([test, train.iloc[-10:].assign(txn_id="x")])
    report = run(train, test, time="txn_date")
    assert one(report, "LEAK-TEMPORAL", "txn_date").evidence["count"] == int(
        (pd.to_datetime(test.txn_date) < pd.to_datetime(train.txn_date).max()).sum())


# -- the label --------------------------------------------------------------------------------
def test_target_proxy_is_flagged_and_the_legitimate_feature_is_not(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    rng = np.random.default_rng(3)

    def with_refund(frame: pd.DataFrame) -> pd.DataFrame:
        flip = rng.random(len(frame)) < 0.03
        refund = np.where(flip, 1 - frame.churn, frame.churn) * rng.gamma(2, 20, len(frame))
        return frame.drop(columns=["customer_id"]).assign(refund_amount=refund.round(2))

    report = run(with_refund(train), with_refund(test), target="churn")
    assert rules(report) == [("LEAK-TARGET-PROXY", "refund_amount")]
    finding = report.findings[0]
    assert finding.evidence["sides"] == ["train", "test"]
    assert finding.evidence["train"]["score"] >= 0.95
    assert finding.evidence["train"]["p_value"] <= 0.01
    assert report.metrics["label_sample_rows"] == {"train": 3000, "test": 1000}


def test_proxy_only_in_the_test_set_is_reported_for_the_test_side(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    train = train.drop(columns=["customer_id"]).assign(status=np.where(
        np.arange(len(train)) % 2 == 0, "open", "closed"))
    test = test.drop(columns=["customer_id"]).assign(status=np.where(test.churn == 1,
                                                                     "closed", "open"))
    report = run(train, test, target="churn")
    finding = one(report, "LEAK-TARGET-PROXY", "status")
    assert finding.evidence["sides"] == ["test"]


def test_small_samples_need_the_permutation_test(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    # 24 rows: a noise feature can look strong by chance; the permutation test rejects it
    train, test = random_split
    rng = np.random.default_rng(0)
    tiny = train.drop(columns=["customer_id"]).iloc[:24].assign(noise=rng.normal(size=24))
    report = run(tiny, test.drop(columns=["customer_id"]).iloc[:10].assign(noise=0.0),
                 target="churn")
    assert [f for f in report.findings if f.rule == "LEAK-TARGET-PROXY"] == []


def test_identifier_in_label_order_is_flagged(data: pd.DataFrame) -> None:
    frame = data.drop(columns=["customer_id"]).sort_values("churn", kind="stable")
    frame["record_no"] = np.arange(len(frame))  # numbered after sorting by the outcome
    train, test = train_test_split(frame, test_size=0.25, random_state=2)
    report = run(train, test, target="churn")
    assert rules(report) == [("LEAK-ID-LABEL", "record_no")]
    finding = report.findings[0]
    assert finding.evidence["score"] >= 0.9 and finding.evidence["auto_detected"] is True
    assert finding.severity == Severity.MEDIUM


def test_missingness_that_reveals_the_label_is_flagged(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    rng = np.random.default_rng(4)

    def with_columns(frame: pd.DataFrame) -> pd.DataFrame:
        reason = np.where(frame.churn == 1, rng.choice(["price", "moved", "service"],
                                                       len(frame)), None)
        income = rng.normal(60, 15, len(frame))
        # legitimately missing more often for churners, but far from determined by it
        income[rng.random(len(frame)) < np.where(frame.churn == 1, 0.25, 0.15)] = np.nan
        return frame.drop(columns=["customer_id"]).assign(cancel_reason=reason,
                                                          income=income)

    train, test = with_columns(train), with_columns(test)
    report = run(train, test, target="churn")
    assert rules(report) == [("LEAK-MISSING-LABEL", "cancel_reason"),
                             ("LEAK-TARGET-PROXY", "cancel_reason")]
    finding = one(report, "LEAK-MISSING-LABEL", "cancel_reason")
    assert finding.evidence["count"] == int(train.cancel_reason.isna().sum())
    assert finding.evidence["train_missing"] == finding.evidence["count"]  # no sampling here
    assert finding.evidence["score"] == pytest.approx(1.0)
    # a sample: the statistics read 500 rows and say so; the counts of other rules stay exact
    sampled = check_leakage(train, test, target="churn",
                            settings=Settings().override({"leakage.sample_rows": 500}))
    assert sampled.metrics["label_sample_rows"] == {"train": 500, "test": 500}
    missing = one(sampled, "LEAK-MISSING-LABEL", "cancel_reason")
    assert missing.evidence["sample_rows"] == 500
    assert missing.evidence["train_missing"] == int(train.cancel_reason.isna().sum())


def test_regression_target_proxy_uses_r2(data: pd.DataFrame) -> None:
    rng = np.random.default_rng(5)
    frame = data.drop(columns=["customer_id", "churn"]).assign(
        spend_next_month=lambda d: d.amount * 1.5 + rng.normal(0, 90, len(d)))
    frame["spend_bucket"] = (frame.spend_next_month // 10).astype(int)   # derived from it
    train, test = train_test_split(frame, test_size=0.25, random_state=0)
    report = run(train, test, target="spend_next_month")
    assert report.metrics["task"] == "regression"
    assert rules(report) == [("LEAK-TARGET-PROXY", "spend_bucket")]
    assert report.findings[0].evidence["statistic"] == "R2"


def test_multiclass_target(data: pd.DataFrame) -> None:
    frame = data.drop(columns=["customer_id"]).assign(
        segment=lambda d: np.select([d.age < 35, d.age < 55], ["young", "middle"], "senior"))
    frame["segment_code"] = frame.segment.map({"young": 1, "middle": 2, "senior": 3})
    train, test = train_test_split(frame.drop(columns=["churn"]), test_size=0.25,
                                   random_state=0)
    report = run(train, test, target="segment")
    assert report.metrics["task"] == "multiclass"
    assert rules(report) == [("LEAK-TARGET-PROXY", "age"), ("LEAK-TARGET-PROXY", "segment_code")]


def test_missing_target_values_are_left_out_and_reported(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    train = train.drop(columns=["customer_id"]).astype({"churn": "float64"})
    train.iloc[:50, train.columns.get_loc("churn")] = np.nan
    report = run(train, test.drop(columns=["customer_id"]), target="churn")
    assert report.findings == []
    assert any(s.what == "50 training rows" for s in report.skipped)
    assert report.metrics["label_sample_rows"]["train"] == len(train) - 50


def test_no_target_skips_the_label_checks(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    report = run(train.drop(columns=["customer_id"]), test.drop(columns=["customer_id"]))
    assert report.findings == []
    assert any(s.why == "no target given" for s in report.skipped)


# -- inputs -----------------------------------------------------------------------------------
def test_numpy_arrays_with_feature_names(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    columns = ["amount", "age", "tenure_months", "churn"]
    train_x, test_x = train[columns].to_numpy(), test[columns].to_numpy()
    test_x = np.vstack([test_x, train_x[:5]])
    report = check_leakage(train_x, test_x, target="churn", feature_names=columns,
                           settings=Settings())
    assert rules(report) == [("LEAK-DUPLICATE-ROWS", None)]
    assert report.findings[0].evidence["count"] == 5
    unnamed = check_leakage(train_x, test_x, target="x3", settings=Settings())
    assert unnamed.findings[0].evidence["count"] == 5


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_file_paths_give_the_same_findings_as_frames(
        tmp_path: Path, suffix: str, random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    test = pd.concat([test, train.iloc[:8]])
    paths = []
    for name, frame in (("train", train), ("test", test)):
        path = tmp_path / f"{name}{suffix}"
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        paths.append(path)
    from_files = check_leakage(str(paths[0]), paths[1], target="churn", group="customer_id",
                               settings=Settings())
    from_frames = run(train, test, target="churn", group="customer_id")
    assert rules(from_files) == rules(from_frames) == [("LEAK-DUPLICATE-ROWS", None),
                                                       ("LEAK-GROUP-OVERLAP", "customer_id"),
                                                       ("LEAK-GROUP-OVERLAP", "txn_id")]
    assert [f.evidence["count"] for f in from_files.findings] == \
        [f.evidence["count"] for f in from_frames.findings]
    assert from_files.subject == f"{paths[0]} vs {paths[1]}"


def test_same_inputs_give_the_same_report(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    first = run(train, test, target="churn").to_dict()
    second = run(train, test, target="churn").to_dict()
    first.pop("elapsed_s"), second.pop("elapsed_s")
    assert first == second


@pytest.mark.parametrize(("train", "test", "kwargs", "message"), [
    (pd.DataFrame(), "frame", {}, "train has no columns"),
    ("frame", pd.DataFrame({"a": []}), {}, "test has no rows: nothing to compare"),
    ({"a": 1}, "frame", {}, "train must be a DataFrame, a 2-D array or a CSV/Parquet path, "
                            "got dict"),
    (np.arange(5), "frame", {}, "train must be 2-D (rows x columns), got shape (5,)"),
    ("frame", pd.DataFrame({"other": [1, 2]}), {},
     "train and test share no column: check the column names"),
    ("frame", "frame", {"target": "nope"}, "target='nope' is not a column of train"),
    ("frame", "frame", {"group": "nope"}, "group='nope' is not a column of train"),
    ("frame", "frame", {"time": 3}, "time must be a column name (str), got int"),
    ("frame", "frame", {"time": "channel"}, "time='channel' holds no values that parse as "
                                            "dates"),
    ("frame", "frame", {"target": "empty"}, "the target column 'empty' has no values in "
                                            "train"),
    ("missing.csv", "frame", {}, "missing.csv does not exist"),
])
def test_bad_input_is_one_line(train: Any, test: Any, kwargs: dict[str, Any], message: str,
                               random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame = random_split[0].assign(empty=np.nan)
    train = frame if isinstance(train, str) and train == "frame" else train
    test = frame if isinstance(test, str) and test == "frame" else test
    with pytest.raises(MLSecInputError) as caught:
        check_leakage(train, test, settings=Settings(), **kwargs)
    assert str(caught.value) == message


def test_corrupt_parquet_and_name_mismatch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1" + b"\x00" * 40)
    with pytest.raises(MLSecInputError, match=r"^cannot read .*bad\.parquet: "):
        check_leakage(bad, bad, settings=Settings())
    with pytest.raises(MLSecInputError, match="^feature_names has 1 names but train has 2"):
        check_leakage(np.zeros((3, 2)), np.zeros((3, 2)), feature_names=["a"],
                      settings=Settings())


def test_unicode_and_unhashable_cells_are_compared_by_value() -> None:
    train = pd.DataFrame({"tags": [["a", "b"], ["c"], ["d"]], "note": ["é ü", "日本", None],
                          "v": [1.0, np.nan, 3.0]})
    test = pd.DataFrame({"tags": [["c"], ["x"]], "note": ["日本", "日本"], "v": [np.nan, 2.0]})
    report = run(train, test)
    assert [(f.rule, f.evidence["count"]) for f in report.findings] == \
        [("LEAK-DUPLICATE-ROWS", 1)]
    assert report.findings[0].evidence["examples"] == [{"test": 0, "train": 1}]


def test_object_dtype_ids_overlap_like_string_ids(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    as_object = {"customer_id": object}
    report = run(train.astype(as_object), test.astype(as_object), group="customer_id")
    expected = len(set(train.customer_id) & set(test.customer_id))
    assert one(report, "LEAK-GROUP-OVERLAP", "customer_id").evidence["count"] == expected


def test_text_id_overlap_without_pyarrow_agrees_with_arrow(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    from mlsecops_jupyter.checks.leakage import _overlap

    train, test = random_split
    arrow = _overlap._shared_text(train.customer_id, test.customer_id.astype(object), 5)
    plain = _overlap._shared_text_pandas(train.customer_id, test.customer_id.astype(object), 5)
    assert arrow == plain
    assert arrow.count == len(set(train.customer_id) & set(test.customer_id))


def test_a_field_of_strong_real_features_is_low_and_a_planted_leak_stays_high() -> None:
    """Breast-cancer measurements: many columns at AUC 0.93-0.97, none a leak; a column derived
    from the label is near-perfect and must stay HIGH beside them."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    features, label = load_breast_cancer(return_X_y=True, as_frame=True)
    frame = features.assign(target=label)
    train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=label)
    strong = check_leakage(train, test, target="target")
    proxies = [f for f in strong.findings if f.rule == "LEAK-TARGET-PROXY"]
    assert len(proxies) > 2
    assert {f.severity.label for f in proxies} == {"low"}
    assert not strong.fails("medium")

    frame = frame.assign(review_outcome=frame["target"] * 2 + 1)
    train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=label)
    leaky = check_leakage(train, test, target="target")
    high = [f.location.column for f in leaky.findings if f.severity.label == "high"]
    assert high == ["review_outcome"]


# -- no silent wrong answers: numbers as objects, free text, personal data in evidence --------
def with_balance(frame: pd.DataFrame) -> pd.DataFrame:
    """An account balance to the cent: a continuous feature whose every value is distinct."""
    balance = np.random.default_rng(4).lognormal(7, 1.2, len(frame))
    return frame.assign(balance=balance)


def test_numpy_object_arrays_give_the_same_answer_as_the_frames(
        data: pd.DataFrame) -> None:
    """``df.to_numpy()`` of mixed columns holds every cell as an object: its continuous floats
    were taken for identifiers (left out of the fingerprint, so 100 % "duplicates")."""
    clean = with_balance(data.drop(columns=["customer_id", "txn_id", "txn_date"]))
    train, test = train_test_split(clean, test_size=0.25, random_state=1)
    assert train.to_numpy().dtype == object
    names = list(clean.columns)
    arrays = check_leakage(train.to_numpy(), test.to_numpy(), feature_names=names,
                           target="churn", settings=Settings())
    frames = run(train, test, target="churn")
    assert arrays.findings == frames.findings == []
    assert arrays.metrics["roles"]["id"] == [] and arrays.metrics["roles"]["auto_detected"] == {}
    assert arrays.metrics["fingerprint_columns"] == names


def test_floats_held_as_objects_in_a_frame_are_features_not_identifiers(
        data: pd.DataFrame) -> None:
    clean = with_balance(data.drop(columns=["customer_id", "txn_id", "txn_date"]))
    clean = clean.assign(row_number=np.random.default_rng(0).permutation(len(clean)))
    train, test = train_test_split(clean.astype(object), test_size=0.25, random_state=2)
    report = run(train, test, target="churn")
    assert "balance" not in report.metrics["roles"]["id"]  # every value distinct: not an id
    assert report.metrics["roles"]["id"] == ["row_number"]  # whole numbers: a counter still is
    assert not [f for f in report.findings if f.rule in ("LEAK-DUPLICATE-ROWS",
                                                         "LEAK-GROUP-OVERLAP")]


GENERIC_NOTES = (
    "Thanks, the issue is resolved and the customer is happy now.",
    "Customer did not answer the phone, will try again later today.",
    "Duplicate ticket, see the earlier one for the full history.",
    "Waiting for the warehouse to confirm the stock level first.",
    "Closed after the customer confirmed everything works again.",
)


def support_tickets(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Support tickets whose note is free text: nearly every note its own (with the phones,
    e-mails and cards customers write), five stock phrases typed six times each."""
    from mlsecops_jupyter.checks.pii.synth import people_frame

    rng = np.random.default_rng(seed)
    notes = people_frame(rows=3 * n, seed=seed, pool=3 * n)["support_notes"]
    own = notes[notes.str.contains(r"\d|@|Spoke with")].drop_duplicates()
    own = own.iloc[: n - 6 * len(GENERIC_NOTES)].tolist()
    texts = np.array(own + [t for t in GENERIC_NOTES for _ in range(6)], dtype=object)
    rng.shuffle(texts)
    amount = rng.gamma(2.0, 40.0, n).round(2)
    return pd.DataFrame({
        "note": texts,
        "amount": amount,
        "channel": rng.choice(["web", "phone", "mail"], n),
        "escalated": (amount + rng.normal(0, 60, n) > 110).astype(int),
    })


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    return support_tickets()


def test_free_text_colliding_by_chance_is_not_an_entity(tickets: pd.DataFrame) -> None:
    train, test = train_test_split(tickets, test_size=0.25, random_state=3)
    shared = set(train.note) & set(test.note)
    assert shared and shared <= set(GENERIC_NOTES)  # only stock phrases meet across the split
    report = run(train, test, target="escalated")
    assert not [f for f in report.findings if f.rule == "LEAK-GROUP-OVERLAP"]
    assert report.metrics["roles"]["free_text"] == ["note"]
    assert report.metrics["roles"]["id"] == []
    assert "note" in report.metrics["fingerprint_columns"]  # a row's text is part of the row
    why = next(s.why for s in report.skipped if s.what == "LEAK-GROUP-OVERLAP on 'note'")
    assert why.startswith(f"free text, not an entity: {len(shared)} value(s) occur in both sets "
                          "where a random split of these rows would share about ")


def test_free_text_shared_beyond_chance_is_reported_with_the_chance_figure(
        tickets: pd.DataFrame) -> None:
    """Test rows whose notes were copied from training rows (the rest of the row differs):
    far more shared texts than a random split gives. The quoted notes are masked."""
    train, test = train_test_split(tickets, test_size=0.25, random_state=3)
    test = test.copy()
    copied = train.note[~train.note.isin(GENERIC_NOTES)].iloc[:60].to_numpy()
    test.iloc[:60, test.columns.get_loc("note")] = copied
    report = run(train, test, target="escalated")
    finding = one(report, "LEAK-GROUP-OVERLAP", "note")
    evidence = finding.evidence
    assert evidence["free_text"] is True and evidence["auto_detected"] is True
    assert finding.severity == Severity.MEDIUM
    assert evidence["count"] == len(set(train.note) & set(test.note))
    assert evidence["expected_by_chance"] < evidence["count"] / 2
    assert "a random split of these rows would share about" in finding.detail
    text = report.to_json() + finding.detail
    leaked = [note for note in evidence["examples"] if note in set(train.note)]
    assert not leaked  # every quoted note had personal data, each one is masked
    for note in copied:
        for token in note.replace(",", " ").replace(".", " ").split():
            if "@" in token or sum(ch.isdigit() for ch in token) >= 7:
                assert token not in text


def customers(n: int = 3000, pool: int = 700) -> pd.DataFrame:
    """Orders of returning customers keyed by personal data (each customer several rows)."""
    from mlsecops_jupyter.checks.pii.synth import people_frame

    people = people_frame(rows=pool, seed=11, pool=pool)
    rng = np.random.default_rng(11)
    picked = people.iloc[rng.integers(0, pool, n)].reset_index(drop=True)
    return pd.DataFrame({
        "email": picked.email, "ssn": picked.ssn, "full_name": picked.full_name,
        "phone": picked.phone, "credit_card": picked.credit_card,
        "basket": rng.gamma(2.0, 30.0, n).round(2), "items": rng.integers(1, 12, n),
        "returned": (rng.random(n) < 0.2).astype(int),
    })


@pytest.mark.parametrize(("column", "entity"), [
    ("email", "EMAIL_ADDRESS"), ("ssn", "US_SSN"), ("full_name", "PERSON"),
    ("phone", "PHONE_NUMBER"), ("credit_card", "CREDIT_CARD"),
])
def test_group_overlap_examples_that_are_personal_data_are_masked(column: str,
                                                                  entity: str) -> None:
    from mlsecops_jupyter.display.text import render_text

    data = customers()
    train, test = train_test_split(data, test_size=0.25, random_state=0)
    report = run(train, test, group=column)
    finding = one(report, "LEAK-GROUP-OVERLAP", column)
    shared = set(train[column]) & set(test[column])
    assert finding.evidence["count"] == len(shared)
    assert finding.evidence["examples_masked"] == entity
    assert len(finding.evidence["examples"]) == 5
    shown = report.to_json() + render_text(report) + finding.detail
    for value in sorted(shared)[:50]:
        assert value not in shown
    assert all("*" in example for example in finding.evidence["examples"])
    if entity == "EMAIL_ADDRESS":
        assert all("***@" in example for example in finding.evidence["examples"])


def test_duplicate_row_examples_indexed_by_personal_data_are_masked() -> None:
    data = customers().drop_duplicates("email").set_index("email")
    train, test = train_test_split(data, test_size=0.25, random_state=0)
    test = pd.concat([test, train.iloc[:4]])
    report = run(train.drop(columns=["ssn", "full_name", "phone", "credit_card"]),
                 test.drop(columns=["ssn", "full_name", "phone", "credit_card"]))
    finding = one(report, "LEAK-DUPLICATE-ROWS")
    assert finding.evidence["count"] == 4
    assert finding.evidence["examples_masked"] == "EMAIL_ADDRESS"
    shown = report.to_json() + finding.detail
    assert not [email for email in train.index[:4] if email in shown]
    assert all("***@" in example["test"] for example in finding.evidence["examples"])


def test_identifiers_that_are_not_personal_data_are_quoted_as_they_are(
        random_split: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = random_split
    finding = one(run(train, test, group="customer_id"), "LEAK-GROUP-OVERLAP", "customer_id")
    assert "examples_masked" not in finding.evidence
    assert finding.evidence["examples"] == sorted(set(train.customer_id)
                                                  & set(test.customer_id))[:5]
    assert finding.evidence["expected_by_chance"] > 0
    assert "free_text" not in finding.evidence
    assert "(a random split of these rows would share about " in finding.detail
