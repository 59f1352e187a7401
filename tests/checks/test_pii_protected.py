"""Protected attributes marked by scan_pii (by column name and by values), and the frame
types issue 14 added (CRYPTO wallets by checksum, URL columns by name)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlsecops_jupyter.checks.pii import scan_pii
from mlsecops_jupyter.checks.pii.frame import column_entities
from mlsecops_jupyter.checks.pii.protected import CONFIGURED, by_name, by_values
from mlsecops_jupyter.core.settings import Settings


def adult_like(rows: int = 300, seed: int = 3) -> pd.DataFrame:
    """Columns shaped like the UCI Adult census data, some with neutral names."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.integers(17, 90, rows),
        "workclass": rng.choice(["Private", "State-gov", "Self-emp-not-inc"], rows),
        "marital-status": rng.choice(["Married-civ-spouse", "Divorced", "Never-married",
                                      "Widowed", "Separated"], rows),
        "col_7": rng.choice(["White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo",
                             "Other"], rows),
        "col_8": rng.choice(["Male", "Female"], rows),
        "hours-per-week": rng.integers(10, 60, rows),
        "native-country": rng.choice(["United-States", "Mexico", "India"], rows),
        "page_views": rng.integers(0, 100, rows),
        "size": rng.choice(["S", "M", "L", "XL"], rows),
        "wine": rng.choice(["white", "red", "rose"], rows),
    })


def test_protected_columns_by_name_and_by_values() -> None:
    report = scan_pii(adult_like())
    assert report.metrics["protected_attributes"] == {
        "age": "age", "marital-status": "marital status", "col_7": "race/ethnicity",
        "col_8": "sex/gender", "native-country": "nationality"}
    table = report.metrics["tables"][-1]
    assert table["title"].startswith("Protected attributes (5)")
    assert ["col_8", "sex/gender", "values"] in table["rows"]
    assert ["age", "age", "name"] in table["rows"]
    assert report.metrics["bias_command"] == (
        "%mlsec bias MODEL X y --sensitive age,marital-status,col_7,col_8,native-country")
    assert report.findings == []  # marked, not a finding: they identify nobody


def test_the_team_decides_over_the_table_in_its_settings_file(tmp_path) -> None:
    """``[tool.mlsec.pii]`` names columns the table cannot know (``caste``) or must not guess
    (``age`` here is a machine's age); both hold in the report and in the bias line."""
    (tmp_path / "mlsec.toml").write_text(
        '[pii]\nprotected_columns = ["size"]\nnot_protected_columns = ["age", "col_8"]\n',
        encoding="utf-8")
    settings = Settings.load(tmp_path)
    assert settings.pii.protected_columns == ("size",)
    report = scan_pii(adult_like(), settings=settings)
    assert report.metrics["protected_attributes"] == {
        "marital-status": "marital status", "col_7": "race/ethnicity",
        "native-country": "nationality", "size": CONFIGURED}
    assert report.metrics["bias_command"].endswith("--sensitive marital-status,col_7,"
                                                   "native-country,size")
    # a configured name that is not a column of this frame is simply not there
    other = scan_pii(pd.DataFrame({"x": ["a", "b"]}), settings=settings)
    assert other.metrics["protected_attributes"] == {}


def test_a_frame_without_protected_columns_says_so() -> None:
    frame = pd.DataFrame({"income": [1.0, 2.0, 3.0], "score": [0.1, 0.4, 0.2]})
    report = scan_pii(frame)
    assert report.metrics["protected_attributes"] == {}
    assert "bias_command" not in report.metrics


@pytest.mark.parametrize("column, attribute", [
    ("applicantGender", "sex/gender"), ("SEX", "sex/gender"), ("date_of_birth", "age"),
    ("SeniorCitizen", "age"), ("age_group", "age"), ("Religion", "religion"),
    ("has_disability", "disability"), ("MaritalStatus", "marital status"),
    ("citizenship", "nationality"), ("ethnicity", "race/ethnicity"),
    ("sexual_orientation", "sexual orientation"),
    ("page", None), ("usage", None), ("message_stage", None), ("orientation", None),
    ("country", None), ("racetrack_id", None),
])
def test_by_name(column: str, attribute: str | None) -> None:
    assert by_name(column) == attribute


@pytest.mark.parametrize("values, attribute", [
    (["M", "F"], "sex/gender"), (["male", "female", "Female"], "sex/gender"),
    (["Hindu", "Muslim", "Christian", "None"], "religion"),
    (["single", "married", "divorced"], "marital status"),
    (["S", "M", "L"], None), (["white", "red"], None), (["yes", "no"], None),
    (["Male"], None),
])
def test_by_values(values: list[str], attribute: str | None) -> None:
    assert by_values(pd.Series(values, dtype=object)) == attribute


def test_wallet_columns_are_typed_by_checksum_and_url_columns_by_name() -> None:
    wallets = ["16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
               "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
               "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"]
    links = [f"https://social.example.org/u/{name}" for name in ("maria", "wei", "omar", "li")]
    frame = pd.DataFrame({"payout_to": wallets, "profile_url": links, "source": links})
    assert column_entities(scan_pii(frame)) == {"payout_to": "CRYPTO", "profile_url": "URL"}
