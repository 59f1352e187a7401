"""Names defined/used/mutated and file references, IPython syntax included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.lineage.names import FileRef, cell_names, python_source


@pytest.mark.parametrize(("cell", "defined", "used"), [
    ("x = 1", ["x"], []),
    ("y = x + 1", ["y"], ["x"]),
    ("y = 1\nz = y + w", ["y", "z"], ["w"]),
    ("total += step", ["total"], ["step", "total"]),
    ("import numpy as np\nimport os.path\nfrom a import b as c", ["np", "os", "c"], []),
    ("for i in items:\n    acc = i", ["i", "acc"], ["items"]),
    ("def f(a, b=default):\n    return a + scale", ["f"], ["default", "scale"]),
    ("class M(Base):\n    rate = lr", ["M"], ["Base", "lr"]),
    ("out = [v * k for v in values]", ["out"], ["values", "k"]),
    ("print(len(data))", [], ["data"]),
    ("with open(p) as fh:\n    text = fh.read()", ["fh", "text"], ["p"]),
    ("try:\n    pass\nexcept ValueError as err:\n    last = err", ["err", "last"], []),
    ("if (n := count) > 1: pass", ["n"], ["count"]),
    ("def g():\n    global state\n    state = 1", ["g", "state"], []),
])
def test_defined_and_used(cell, defined, used):
    names = cell_names(cell)
    assert names.parse_error is None
    assert names.defined == defined
    assert names.used == used


@pytest.mark.parametrize(("cell", "defined", "used", "magics"), [
    ("%matplotlib inline\nimport pandas as pd", ["pd"], [], ["matplotlib"]),
    ("!pip install x\nfiles = !ls\nn = len(files)", ["files", "n"], [], []),
    ("listing = %sx ls\nfirst = listing[0]", ["listing", "first"], [], ["sx"]),
    ("%time result = train(data)", ["result"], ["train", "data"], ["time"]),
    ("%timeit -n1 -r 2 fast(x)", [], ["fast", "x"], ["timeit"]),
    ("if flag:\n    %env A=1\n    b = 2", ["b"], ["flag"], ["env"]),
    ("%%time\nmodel = fit(X)", ["model"], ["fit", "X"], ["time"]),
    ("%%bash\necho $HOME > out.txt", [], [], ["bash"]),
    ("df?", [], [], []),
    ("%mlsec scan model.joblib", [], [], ["mlsec"]),
])
def test_ipython_syntax_is_neutralised(cell, defined, used, magics):
    names = cell_names(cell)
    assert names.parse_error is None
    assert names.defined == defined
    assert names.used == used
    assert names.magics == magics


def test_neutralised_lines_keep_block_indentation():
    source, _, _ = python_source("for i in r:\n    !echo $i\n    %time f(i)")
    assert source == "for i in r:\n    pass\n    f(i)"


@pytest.mark.parametrize(("cell", "mutated"), [
    ('df["c"] = df["a"] * 2', ["df"]),
    ("df.loc[0, 'a'] = 5", ["df"]),
    ("model.fit(X_train, y_train)", ["model"]),
    ("df.dropna(inplace=True)", ["df"]),
    ("rows.append(row)", ["rows"]),
    ("cfg.lr *= 0.1", ["cfg"]),
    ("pipe.steps[0][1].fit(X)", ["pipe"]),
    ("print(df.head())", []),
])
def test_in_place_changes(cell, mutated):
    assert cell_names(cell).mutated == mutated


def test_file_references_literal_and_variable():
    cell = ("import pandas as pd, joblib, numpy as np\n"
            "train = pd.read_csv('data/train.csv')\n"
            "train.to_parquet(path=out_path)\n"
            "joblib.dump(model, 'model.joblib')\n"
            "np.save('arr.npy', arr)\n"
            "with open('notes.txt', 'a') as fh:\n    fh.write('x')\n"
            "with open(config_file) as fh:\n    pass\n")
    assert cell_names(cell).file_refs == [
        FileRef("pd.read_csv", "read", path="data/train.csv"),
        FileRef("train.to_parquet", "write", variable="out_path"),
        FileRef("joblib.dump", "write", path="model.joblib"),
        FileRef("np.save", "write", path="arr.npy"),
        FileRef("open", "write", path="notes.txt"),
        FileRef("open", "read", variable="config_file"),
    ]


def test_writefile_magic_is_a_file_write():
    names = cell_names("%%writefile -a helper.py\nprint('hi')")
    assert names.file_refs == [FileRef("%%writefile", "write", path="helper.py")]


def test_syntax_errors_are_reported_not_raised():
    names = cell_names("def (:")
    assert names.parse_error and names.parse_error.startswith("SyntaxError")
    assert names.defined == [] and names.used == []


def test_star_import_is_flagged():
    assert cell_names("from numpy import *").star_import


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("%!?=()[]{}:;.,'\"\n\t #xyz019_+-*/\\")),
               max_size=200) | st.text(max_size=200))
def test_any_text_is_analysed_without_raising(cell):
    names = cell_names(cell)
    assert isinstance(names.defined, list) and isinstance(names.used, list)


@pytest.mark.parametrize(
    ("code", "expression", "join", "pieces"),
    [
        ('joblib.dump(model, artifacts / "model.joblib")', "artifacts / 'model.joblib'", "path",
         (("name", "artifacts"), ("text", "model.joblib"))),
        ('pd.read_csv(os.path.join(root, "data", name))', "os.path.join(root, 'data', name)",
         "path", (("name", "root"), ("text", "data"), ("name", "name"))),
        ('df.to_csv(f"{out}/clean.csv")', "f'{out}/clean.csv'", "concat",
         (("name", "out"), ("text", "/clean.csv"))),
        ('open(base + ".txt", "w")', "base + '.txt'", "concat",
         (("name", "base"), ("text", ".txt"))),
    ],
)
def test_path_expressions_of_names_and_literals_are_kept(code: str, expression: str, join: str,
                                                           pieces: tuple) -> None:
    (ref,) = cell_names(code).file_refs
    assert (ref.expression, ref.join, ref.pieces) == (expression, join, pieces)


@pytest.mark.parametrize("code", ['joblib.dump(m, get_dir() / "m.joblib")',
                                  'pd.read_csv(f"{cfg.path}/x.csv")',
                                  'pd.read_csv(f"{d:>10}.csv")'])
def test_path_expressions_with_calls_or_attributes_stay_unknown(code: str) -> None:
    assert cell_names(code).file_refs == []
