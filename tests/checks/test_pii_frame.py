"""scan_pii on realistic frames: column typing by values, hard negatives, bad input, sampling."""

from __future__ import annotations

import math
import uuid

import numpy as np
import pandas as pd
import pytest

from mlsecops_jupyter.checks.pii import scan_pii
from mlsecops_jupyter.checks.pii.frame import column_entities
from mlsecops_jupyter.checks.pii.synth import TRUTH, people_frame, typed_column_scores
from mlsecops_jupyter.core import MLSecError, Settings
from mlsecops_jupyter.core.errors import MLSecInputError, MLSecUsageError

RENAMED = {f"c{i:02d}": entity for i, entity in enumerate(TRUTH.values())}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return people_frame(5000, seed=11)


@pytest.fixture(scope="module")
def report(frame: pd.DataFrame):
    return scan_pii(frame, subject="customers")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_typed_column_f1_on_synthetic_customer_tables(seed: int) -> None:
    frame = people_frame(3000, seed=seed)
    scores = typed_column_scores(column_entities(scan_pii(frame)), TRUTH)
    assert scores["f1"] >= 0.95, scores
    assert scores["fp"] == 0, scores


def test_every_pii_column_gets_its_type(report) -> None:
    expected = {column: entity for column, entity in TRUTH.items() if entity is not None}
    assert column_entities(report) == expected


def test_findings_carry_column_fraction_sample_and_masked_examples(report,
                                                                   frame: pd.DataFrame) -> None:
    by_column = {f.location.column: f for f in report.findings}
    card = by_column["credit_card"]
    assert card.rule == "PII-CREDIT-CARD" and card.severity.label == "high"
    assert card.evidence["entity"] == "CREDIT_CARD"
    assert card.evidence["hit_fraction"] == 1.0
    assert card.evidence["sampled_rows"] == 2000  # pii.sample_rows of 5000 rows
    assert card.evidence["distinct_values"] == 50  # early stop: clear after one chunk
    examples = card.evidence["examples"]
    assert len(examples) == 3
    raw = set(frame["credit_card"])
    for example in examples:
        assert example not in raw and example.count("*") >= 11
    email = by_column["email_address" if "email_address" in by_column else "email"]
    assert all("***@" in e for e in email.evidence["examples"])
    assert report.metrics["sample"] == {"rows_sampled": 2000, "rows_total": 5000, "seed": 0}
    assert report.metrics["ner"] in (True, False) and report.metrics["engine"]


def test_free_text_column_summary_lists_entity_types(report) -> None:
    notes = next(f for f in report.findings if f.location.column == "support_notes")
    assert notes.rule == "PII-FREE-TEXT"
    assert set(notes.evidence["entities"]) == {"CREDIT_CARD", "EMAIL_ADDRESS", "PERSON",
                                               "PHONE_NUMBER", "STREET_ADDRESS"}
    # 5 of the 10 note templates embed PII: the share is over cells, about a half
    assert 0.35 <= notes.evidence["hit_fraction"] <= 0.65


def test_renamed_columns_still_mostly_typed(frame: pd.DataFrame) -> None:
    renamed = frame.set_axis(list(RENAMED), axis=1)
    predicted = column_entities(scan_pii(renamed))
    scores = typed_column_scores(predicted, RENAMED)
    assert scores["fp"] == 0
    # only the two types that need their column name are lost: first names alone, birth dates
    missed = sorted(c for c, e in RENAMED.items() if e and predicted.get(c) != e
                    and e != "FREE_TEXT")
    assert [RENAMED[c] for c in missed] == ["PERSON", "DATE_OF_BIRTH"]
    assert scores["f1"] >= 0.9


def _luhn_invalid(rng: np.random.Generator) -> str:
    from mlsecops_jupyter.checks.pii.validators import luhn_ok

    while True:
        number = "4" + "".join(map(str, rng.integers(0, 10, 15)))
        if not luhn_ok(number):
            return number


HARD_NEGATIVES = {
    # name -> values generator; names chosen to tempt the column-name context too
    "order_phone_like": lambda r: [f"{r.integers(200, 999)}{r.integers(200, 999)}"
                                   f"{r.integers(1000, 9999)}" for _ in range(300)],
    "tracking_id": lambda r: [f"9400{r.integers(10**11, 10**12)}" for _ in range(300)],
    "ssn_check": lambda r: [f"{r.choice([0, 666, 901, 955, 999]):03d}-{r.integers(1, 99):02d}-"
                            f"{r.integers(1, 9999):04d}" for _ in range(300)],
    "ssn_nine_digit_bad_area": lambda r: [f"9{r.integers(10**7, 10**8)}" for _ in range(300)],
    "card_number_invalid": lambda r: [_luhn_invalid(r) for _ in range(300)],
    "event_uuid": lambda r: [str(uuid.UUID(int=int(r.integers(0, 2**62)) << 60, version=4))
                             for _ in range(300)],
    "content_md5": lambda r: [f"{int(r.integers(0, 2**62)):032x}" for _ in range(300)],
    "product_code": lambda r: [f"PRD-{r.integers(1000, 9999)}-{r.choice(['A', 'B', 'C'])}"
                               for _ in range(300)],
    "probability": lambda r: list(r.random(300) / 7),
    "created_at": lambda r: [f"2025-0{r.integers(1, 9)}-1{r.integers(0, 9)} "
                             f"1{r.integers(0, 9)}:3{r.integers(0, 9)}:0{r.integers(0, 9)}"
                             for _ in range(300)],
    "epoch_seconds": lambda r: list(r.integers(1_600_000_000, 1_750_000_000, 300)),
    "lib_version": lambda r: [f"{r.integers(0, 5)}.{r.integers(0, 30)}.{r.integers(0, 12)}"
                              for _ in range(300)],
    "four_part_build": lambda r: [f"{r.integers(1, 4)}.{r.integers(0, 9)}.0{r.integers(1, 9)}."
                                  f"{r.integers(100, 999)}" for _ in range(300)],
    "purchase_date": lambda r: [f"2024-{r.integers(1, 12):02d}-{r.integers(1, 28):02d}"
                                for _ in range(300)],
    "category": lambda r: list(r.choice(["Garden", "Kitchen", "Outdoor Living", "Home Office"],
                                        300)),
}


@pytest.mark.parametrize("column", sorted(HARD_NEGATIVES))
def test_hard_negative_is_not_flagged(column: str) -> None:
    values = HARD_NEGATIVES[column](np.random.default_rng(3))
    report = scan_pii(pd.DataFrame({column: values}))
    assert report.findings == [], [f.detail for f in report.findings]


def test_single_hit_never_types_a_column() -> None:
    values = [f"SKU-{i:05d}" for i in range(199)] + ["jane.doe@example.org"]
    assert scan_pii(pd.DataFrame({"contact": values})).findings == []


def test_bare_digits_need_the_column_name() -> None:
    rng = np.random.default_rng(0)
    ssns = [f"{rng.integers(100, 665)}{rng.integers(10, 99)}{rng.integers(1000, 9999)}"
            for _ in range(300)]
    assert scan_pii(pd.DataFrame({"ref": ssns})).findings == []
    found = scan_pii(pd.DataFrame({"ssn": ssns})).findings
    assert [f.rule for f in found] == ["PII-US-SSN"]


def test_numeric_phone_column_with_context_and_nan() -> None:
    rng = np.random.default_rng(1)
    phones = [float(f"415{rng.integers(200, 999)}{rng.integers(1000, 9999)}") for _ in range(50)]
    frame = pd.DataFrame({"phone_number": phones + [math.nan] * 10})
    (finding,) = scan_pii(frame).findings
    assert finding.rule == "PII-PHONE-NUMBER"
    assert finding.evidence["non_empty_values"] == 50


def test_columns_argument_limits_the_scan(frame: pd.DataFrame) -> None:
    report = scan_pii(frame, columns=["email", "sku"])
    assert column_entities(report) == {"email": "EMAIL_ADDRESS"}
    assert [r[0] for r in report.metrics["tables"][0]["rows"]] == ["email", "sku"]


def test_spans_of_free_text_cells_point_at_the_pii(frame: pd.DataFrame) -> None:
    small = frame.head(300)
    report = scan_pii(small, columns=["support_notes"], spans=True)
    spans = report.metrics["spans"]
    assert spans, "free text with embedded PII gives spans"
    for span in spans:
        text = small.loc[span["row"], "support_notes"]
        piece = text[span["start"]:span["end"]]
        assert span["column"] == "support_notes" and piece.strip() == piece and piece
        if span["entity"] == "EMAIL_ADDRESS":
            assert "@" in piece
    cells_with_spans = {s["row"] for s in spans}
    finding = report.findings[0]
    assert finding.evidence["hit_fraction"] == round(len(cells_with_spans) / 300, 3)


def test_sample_size_is_reported_and_respected(frame: pd.DataFrame) -> None:
    report = scan_pii(frame, sample=500)
    assert report.metrics["sample"]["rows_sampled"] == 500
    assert {f.evidence["sampled_rows"] for f in report.findings} == {500}
    assert scan_pii(frame.head(50)).metrics["sample"]["rows_sampled"] == 50


def test_same_input_same_report(frame: pd.DataFrame) -> None:
    first, second = scan_pii(frame.head(800)), scan_pii(frame.head(800))
    assert first.to_dict() | {"elapsed_s": 0} == second.to_dict() | {"elapsed_s": 0}


def test_threshold_setting_changes_the_decision() -> None:
    values = ["jane@example.org", "bob@example.com", "n/a", "none", "-"] * 40
    assert scan_pii(pd.DataFrame({"c": values})).findings == []  # 2/5 distinct < 0.6
    strict = Settings().override({"pii.column_threshold": 0.3})
    assert [f.rule for f in scan_pii(pd.DataFrame({"c": values}), settings=strict).findings] == [
        "PII-EMAIL-ADDRESS"]


def test_unicode_names_and_addresses() -> None:
    names = ["José García", "Zoë Müller", "Renée O'Brien", "Łukasz Nowak", "Ana Pérez"] * 20
    report = scan_pii(pd.DataFrame({"customer_name": names, "x": ["ü ß 漢字"] * 100}))
    assert column_entities(report) == {"customer_name": "PERSON"}


# -- bad input: one-line MLSecErrors ---------------------------------------------------------
@pytest.mark.parametrize("bad, error", [
    ([1, 2, 3], MLSecUsageError),
    ("a,b", MLSecUsageError),
    (pd.DataFrame(), MLSecInputError),
    (pd.DataFrame({"a": []}), MLSecInputError),
])
def test_bad_input_raises_one_line_error(bad, error) -> None:
    with pytest.raises(error) as info:
        scan_pii(bad)
    assert "\n" not in str(info.value)


def test_unknown_column_and_bad_sample() -> None:
    frame = pd.DataFrame({"a": ["x"]})
    with pytest.raises(MLSecInputError, match="'nope'"):
        scan_pii(frame, columns=["nope"])
    for sample in (0, -5, 2.5, True):
        with pytest.raises(MLSecUsageError):
            scan_pii(frame, sample=sample)


def test_empty_nan_bool_and_mixed_columns_are_reported_not_flagged() -> None:
    frame = pd.DataFrame({"empty": [None] * 5, "blank": ["", " ", "", " ", ""],
                          "flag": [True, False] * 2 + [True],
                          "mixed": [1, "a", 2.5, None, b"x"]})
    report = scan_pii(frame)
    assert report.findings == []
    assert {s.what for s in report.skipped} >= {"column 'empty'", "column 'blank'",
                                                "column 'flag'"}


def test_errors_are_mlsec_errors() -> None:
    assert issubclass(MLSecInputError, MLSecError)


def test_mixed_contact_column_lists_both_types() -> None:
    emails = [f"user{i}@example.org" for i in range(100)]
    phones = [f"(415) {200 + i}-{1000 + i}" for i in range(100)]
    frame = pd.DataFrame({"contact": [x for pair in zip(emails, phones, strict=True)
                                      for x in pair]})
    found = sorted((f.rule, f.evidence["hit_fraction"]) for f in scan_pii(frame).findings)
    assert found == [("PII-EMAIL-ADDRESS", 0.5), ("PII-PHONE-NUMBER", 0.5)]


def test_entities_setting_limits_frame_findings(frame: pd.DataFrame) -> None:
    only = Settings().override({"pii.entities": "EMAIL_ADDRESS"})
    report = scan_pii(frame.head(600), settings=only)
    assert sorted((f.location.column, f.rule) for f in report.findings) == [
        ("email", "PII-EMAIL-ADDRESS"), ("support_notes", "PII-FREE-TEXT")]
    notes = next(f for f in report.findings if f.rule == "PII-FREE-TEXT")
    assert set(notes.evidence["entities"]) == {"EMAIL_ADDRESS"}


def test_structured_frames_do_not_need_presidio() -> None:
    import subprocess
    import sys

    code = ("import sys; from mlsecops_jupyter.checks.pii import scan_pii; "
            "from mlsecops_jupyter.checks.pii.synth import people_frame; "
            "r = scan_pii(people_frame(300, 1).drop(columns=['support_notes'])); "
            "print(len(r.findings), 'presidio_analyzer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["11", "False"]


def test_short_context_words_match_whole_words_only() -> None:
    rng = np.random.default_rng(2)
    numbers = [f"415{rng.integers(200, 999)}{rng.integers(1000, 9999)}" for _ in range(200)]
    assert scan_pii(pd.DataFrame({"telemetry_id": numbers, "cellar_ref": numbers})).findings == []
    found = scan_pii(pd.DataFrame({"cell": numbers, "tel": numbers})).findings
    assert sorted((f.location.column, f.rule) for f in found) == [
        ("cell", "PII-PHONE-NUMBER"), ("tel", "PII-PHONE-NUMBER")]


def test_public_api_exports() -> None:
    import mlsecops_jupyter

    assert mlsecops_jupyter.scan_pii is scan_pii
    assert "scan_text" in mlsecops_jupyter.__all__
