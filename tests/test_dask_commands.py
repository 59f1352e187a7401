"""``--engine dask`` of ``mlsec leakage|pii|bias|drift|redact`` and the magics on dask frames,
end to end on a real LocalCluster: Parquet folders and CSV globs read lazily, the same report
as the pandas engine on the same rows, one-line errors for what cannot work."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from IPython.utils.capture import capture_output

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from mlsecops_jupyter.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, memory_limit="1GiB") as local:
        yield local


def customers(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "customer_id": [f"C{v:05d}" for v in rng.integers(0, n // 3, n)],
        "email": [f"person{v}@example.org" for v in rng.integers(0, 10**6, n)],
        "age": rng.integers(18, 90, n),
        "spend": rng.gamma(2.0, 40.0, n).round(2),
        "region": rng.choice(["north", "south", "east", "west"], n),
        "pred": rng.integers(0, 2, n),
        "churn": rng.integers(0, 2, n),
    })


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One dataset three ways: whole files (pandas engine), a Parquet folder of parts and a
    glob of CSV parts (dask engine)."""
    root = tmp_path_factory.mktemp("dask-data")
    train = customers(3000, 1)
    test = pd.concat([customers(800, 2), train.iloc[:25]], ignore_index=True)
    paths: dict[str, Path] = {}
    for name, frame in (("train", train), ("test", test)):
        whole = root / f"{name}.parquet"
        frame.to_parquet(whole, index=False)
        folder = root / f"{name}_parts"
        dd.from_pandas(frame, npartitions=3).to_parquet(folder, write_index=False)
        csv_folder = root / f"{name}_csv"
        csv_folder.mkdir()
        for i, start in enumerate(range(0, len(frame), 1000)):
            frame.iloc[start:start + 1000].to_csv(csv_folder / f"part-{i}.csv", index=False)
        paths.update({name: whole, f"{name}_parts": folder,
                      f"{name}_csv": csv_folder / "part-*.csv"})
    return paths


def json_of(capsys: pytest.CaptureFixture, args: list[str]) -> tuple[int, dict[str, Any]]:
    code = main([*args, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    report.pop("elapsed_s", None)
    report.pop("subject", None)
    return code, report


def test_leakage_cli_on_a_parquet_folder_and_a_csv_glob_equals_pandas(
        capsys: pytest.CaptureFixture, files: dict[str, Path], cluster: Any) -> None:
    code, expected = json_of(capsys, ["leakage", "--train", str(files["train"]), "--test",
                                      str(files["test"]), "--target", "churn"])
    for train, test in (("train_parts", "test_parts"), ("train_csv", "test_csv")):
        dask_code, got = json_of(capsys, [
            "leakage", "--train", str(files[train]), "--test", str(files[test]),
            "--target", "churn", "--engine", "dask", "--scheduler", cluster.scheduler_address])
        engine = got["metrics"].pop("data_engine")
        assert engine["scheduler"] == "distributed (2 workers)"
        assert engine["partitions"]["train"] == 3
        assert (dask_code, got) == (code, expected)
    assert "LEAK-DUPLICATE-ROWS" in {f["rule"] for f in expected["findings"]}


def test_pii_cli_on_the_default_local_cluster(capsys: pytest.CaptureFixture,
                                               files: dict[str, Path]) -> None:
    """Without --scheduler the command starts (and stops) a LocalCluster of its own."""
    code, expected = json_of(capsys, ["pii", str(files["train"])])
    dask_code, got = json_of(capsys, ["pii", str(files["train_parts"]), "--engine", "dask"])
    engine = got["metrics"].pop("data_engine")
    assert engine["partitions"] == 3
    assert engine["scheduler"].startswith("distributed")
    assert (dask_code, got) == (code, expected)
    assert "PII-EMAIL-ADDRESS" in {f["rule"] for f in expected["findings"]}


def test_bias_and_drift_cli_with_dask(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                      cluster: Any) -> None:
    dask_args = ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    bias = ["bias", "--y-true", "churn", "--y-pred", "pred", "--sensitive", "region"]
    code, expected = json_of(capsys, [*bias[:1], str(files["train"]), *bias[1:]])
    dask_code, got = json_of(capsys, [*bias[:1], str(files["train_parts"]), *bias[1:],
                                      *dask_args])
    assert got["metrics"].pop("data_engine")["rows"] == 3000
    assert (dask_code, got) == (code, expected)
    drift = ["drift", "--exclude", "customer_id,email"]
    code, expected = json_of(capsys, [*drift[:1], str(files["train"]), str(files["test"]),
                                      *drift[1:]])
    dask_code, got = json_of(capsys, [*drift[:1], str(files["train_csv"]),
                                      str(files["test_csv"]), *drift[1:], *dask_args])
    assert got["metrics"].pop("data_engine")["partitions"] == {"reference": 3, "current": 1}
    assert (dask_code, got) == (code, expected)


def test_redact_cli_writes_masked_parts_like_the_pandas_copy(
        capsys: pytest.CaptureFixture, files: dict[str, Path], cluster: Any,
        tmp_path: Path) -> None:
    whole = tmp_path / "masked.parquet"
    assert main(["redact", str(files["train"]), "-o", str(whole), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    parts = tmp_path / "masked_parts"
    assert main(["redact", str(files["train_parts"]), "-o", str(parts), "--format", "json",
                 "--engine", "dask", "--scheduler", cluster.scheduler_address]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["metrics"]["masked_cells"] == expected["metrics"]["masked_cells"]
    assert got["metrics"]["masked_cells"]["email"] == 3000
    assert [f["rule"] for f in got["findings"]] == [f["rule"] for f in expected["findings"]]
    written = sorted(parts.glob("part-*.parquet"))
    assert len(written) == 3
    masked = pd.concat([pd.read_parquet(p) for p in written], ignore_index=True)
    pd.testing.assert_frame_equal(masked, pd.read_parquet(whole), check_dtype=False)
    original = pd.read_parquet(files["train"])
    assert not set(original["email"]) & set(masked["email"])


@pytest.mark.parametrize(("args", "message"), [
    (["leakage", "--train", "a.csv", "--test", "b.csv", "--scheduler", "tcp://127.0.0.1:1"],
     "--scheduler connects to a dask cluster: it needs --engine dask"),
    (["pii", "nothing-here-*.parquet", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"],
     "cannot connect to the dask scheduler at tcp://127.0.0.1:1"),
], ids=["scheduler-without-dask", "unreachable-scheduler"])
def test_cli_engine_errors_are_one_line(capsys: pytest.CaptureFixture, args: list[str],
                                        message: str) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1


def test_cli_glob_matching_nothing(capsys: pytest.CaptureFixture, cluster: Any,
                                   tmp_path: Path) -> None:
    spec = str(tmp_path / "missing-*.parquet")
    assert main(["pii", spec, "--engine", "dask", "--scheduler", cluster.scheduler_address]) == 2
    assert capsys.readouterr().err.strip() == f"mlsec: error: {spec}: no file matches"


def test_magics_take_dask_frames(ip: Any, files: dict[str, Path], cluster: Any) -> None:
    """``%mlsec leakage ddf_train ddf_test`` and friends: the report names the engine, the
    partitions and the sample sizes."""
    with distributed.Client(cluster):
        train = dd.read_parquet(files["train_parts"])
        test = dd.read_parquet(files["test_parts"])
        ip.user_ns.update({"ddf_train": train, "ddf_test": test,
                           "train_df": pd.read_parquet(files["train"]),
                           "test_df": pd.read_parquet(files["test"])})
        with capture_output() as shown:
            report = ip.run_line_magic("mlsec", "leakage ddf_train ddf_test --format text")
        with capture_output():
            expected = ip.run_line_magic("mlsec", "leakage train_df test_df --format text")
        assert [f.to_dict() for f in report.findings] == [f.to_dict() for f in expected.findings]
        from mlsecops_jupyter.display.text import render_text

        text = render_text(report)
        assert shown.outputs  # the report was displayed
        engine = report.metrics["data_engine"]
        assert engine["partitions"] == {"train": 3, "test": 3}
        shown_engine = " ".join(text.split()).split("data_engine: ", 1)[1]
        assert engine["sample_rows"] == {"train": 3000}  # no target: only role detection
        assert shown_engine.startswith(
            "name (dask), partitions (test (3), train (3)), sample_rows (train (3000)), "
            "scheduler (distributed (2 workers))")
        assert "LEAK-DUPLICATE-ROWS" in {f.rule for f in report.findings}
        with capture_output():
            pii = ip.run_line_magic("mlsec", "pii ddf_train --format text")
            pandas_pii = ip.run_line_magic("mlsec", "pii train_df --format text")
            ip.run_line_magic("mlsec", "redact ddf_train --into masked --format text")
        assert [f.to_dict() for f in pii.findings] == [f.to_dict() for f in pandas_pii.findings]
        assert pii.metrics["data_engine"]["sample_rows"] == \
            pandas_pii.findings[0].evidence["sampled_rows"]
        masked = ip.user_ns["masked"].compute()
        assert len(masked) == 3000
        assert not set(masked["email"]) & set(train["email"].compute())
