"""Backward slice over recorded cells: which cells produced a variable."""

from __future__ import annotations

from mlsecops_jupyter.lineage.names import cell_names
from mlsecops_jupyter.lineage.slice import backward_slice


def cells(*sources: str, session: str = "s1", failed: tuple[int, ...] = ()) -> list[dict]:
    records = []
    for index, source in enumerate(sources):
        records.append({
            "kind": "cell", "session": session, "cell": {"id": f"{session}-{index}"},
            "names": cell_names(source).to_dict(), "data": [],
            "outcome": {"status": "error" if index in failed else "ok"},
        })
    return records


def ids(records: list[dict]) -> list[str]:
    return [r["cell"]["id"] for r in records]


NOTEBOOK = (
    "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression",  # 0
    "raw = pd.read_csv('d.csv')",                                                 # 1
    "print(raw.describe())",                                                      # 2
    "X = raw[['a', 'b']]\ny = raw['t']",                                          # 3
    "unrelated = 3",                                                              # 4
    "model = LogisticRegression(C=c)",                                            # 5
    "c = 1.0",                                                                    # 6
    "model.fit(X, y)",                                                            # 7
    "score = model.score(X, y)",                                                  # 8
)


def test_slice_of_a_fitted_model():
    records = cells(*NOTEBOOK)
    assert ids(backward_slice(records, "model")) == ["s1-0", "s1-1", "s1-3", "s1-5", "s1-7"]


def test_slice_ignores_checks_and_other_kinds():
    records = [{"kind": "session"}, *cells(*NOTEBOOK), {"kind": "check"}]
    assert len(backward_slice(records, "model")) == 5


def test_reassignment_cuts_older_definitions():
    records = cells("x = load()", "x = 5", "y = x + 1")
    assert ids(backward_slice(records, "y")) == ["s1-1", "s1-2"]


def test_self_referencing_assignment_keeps_history():
    records = cells("x = 1", "x = x + 1")
    assert ids(backward_slice(records, "x")) == ["s1-0", "s1-1"]


def test_failed_cell_does_not_cut_history():
    records = cells("m = make()", "m = broken()", failed=(1,))
    assert ids(backward_slice(records, "m")) == ["s1-0", "s1-1"]


def test_only_the_session_that_last_made_the_variable_counts():
    records = cells("model = old()", session="a") + cells("data = 1", "model = fit(data)",
                                                          session="b")
    assert ids(backward_slice(records, "model")) == ["b-0", "b-1"]


def test_data_fingerprint_changes_count_as_writes():
    records = cells("df = load()", "helper(df)")
    records[1]["data"] = [{"name": "df", "change": "changed"}]
    assert ids(backward_slice(records, "df")) == ["s1-0", "s1-1"]


def test_unknown_variable_has_an_empty_slice():
    assert backward_slice(cells(*NOTEBOOK), "nothing") == []
