"""Code-level leakage: realistic leaky and clean notebooks built with nbformat.

Each leaky notebook must give exactly one finding with the expected rule, cell (0-based, markdown
cells counted) and line; each clean look-alike must give none.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mlsecops_jupyter.checks.leakage import check_code_leakage
from mlsecops_jupyter.checks.leakage.code_cells import (
    BAD_CELL,
    execution_order,
    python_source,
)
from mlsecops_jupyter.checks.leakage.code_check import RuntimeLeak
from mlsecops_jupyter.core.errors import MLSecInputError
from mlsecops_jupyter.core.notebook_io import NO_SUCH_NOTEBOOK

IMPORTS = """\
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split, cross_val_score, GridSearchCV
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.pipeline import Pipeline, make_pipeline"""
LOAD = """\
df = pd.read_csv("customers.csv")
X = df.drop(columns=["churn"])
y = df["churn"]"""
SPLIT = "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)"
FIT_EVAL = """\
model = LogisticRegression(max_iter=1000)
model.fit(X_train, y_train)
print(model.score(X_test, y_test))"""


def notebook(*codes: str, counts: list[int | None] | None = None):
    """A notebook: a markdown title, then one code cell per source (executed in page order
    unless ``counts`` says otherwise)."""
    cells = [new_markdown_cell("# Churn model")]
    for i, code in enumerate(codes):
        cell = new_code_cell(code)
        cell.execution_count = (counts[i] if counts is not None else i + 1)
        cells.append(cell)
    return new_notebook(cells=cells)


def found(nb) -> list[tuple[str, int | None, int | None]]:
    report = check_code_leakage(nb)
    assert report.check == "leakage"
    return [(f.rule, f.location.cell, f.location.line) for f in report.findings]


LEAKY = {
    "scaler-before-split": (
        [IMPORTS, LOAD, "scaler = StandardScaler()\nX = scaler.fit_transform(X)", SPLIT + "\n"
         + FIT_EVAL],
        ("LEAK-PREPROCESSING", 3, 2)),
    "scaler-fit-on-all-then-transform-test": (
        [IMPORTS, LOAD, SPLIT, "scaler = StandardScaler().fit(X)\n"
         "model = LogisticRegression().fit(scaler.transform(X_train), y_train)\n"
         "model.score(scaler.transform(X_test), y_test)"],
        ("LEAK-PREPROCESSING", 4, 1)),
    "imputer-statistic-in-pandas": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "df['income'] = df['income'].fillna(df['income'].median())", LOAD.split("\n", 1)[1],
         SPLIT],
        ("LEAK-PREPROCESSING", 2, 2)),
    "standardise-by-hand": (
        [IMPORTS, LOAD, "X = (X - X.mean()) / X.std()", SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "target-encoding": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "df['city_rate'] = df.groupby('city')['churn'].transform('mean')",
         LOAD.split("\n", 1)[1], SPLIT],
        ("LEAK-PREPROCESSING", 2, 2)),
    "cv-with-preprocessing-outside-pipeline": (
        [IMPORTS, LOAD, "X_scaled = StandardScaler().fit_transform(X)\n"
         "scores = cross_val_score(LogisticRegression(), X_scaled, y, cv=5)"],
        ("LEAK-PREPROCESSING", 3, 1)),
    "feature-selection-before-split": (
        [IMPORTS + "\nfrom sklearn.feature_selection import SelectKBest, f_classif", LOAD,
         "selector = SelectKBest(f_classif, k=10)\nX = selector.fit_transform(X, y)", SPLIT],
        ("LEAK-PREPROCESSING", 3, 2)),
    "helper-function": (
        [IMPORTS, "def preprocess(frame):\n    scaler = StandardScaler()\n"
         "    return scaler.fit_transform(frame)", LOAD, "X = preprocess(X)", SPLIT],
        ("LEAK-PREPROCESSING", 4, 1)),
    "out-of-order-scaler-ran-before-split": (
        [IMPORTS, LOAD, SPLIT, "X = StandardScaler().fit_transform(X)"],
        ("LEAK-PREPROCESSING", 4, 1), [1, 2, 4, 3]),
    "smote-before-split": (
        [IMPORTS + "\nfrom imblearn.over_sampling import SMOTE", LOAD,
         "X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)",
         "X_train, X_test, y_train, y_test = train_test_split(X_res, y_res)"],
        ("LEAK-OVERLAP", 3, 1)),
    "manual-upsampling-before-split": (
        [IMPORTS + "\nfrom sklearn.utils import resample",
         "df = pd.read_csv('customers.csv')\nminority = df[df.churn == 1]\n"
         "majority = df[df.churn == 0]\n"
         "upsampled = resample(minority, replace=True, n_samples=len(majority))\n"
         "balanced = pd.concat([majority, upsampled])",
         "X = balanced.drop(columns=['churn'])\ny = balanced['churn']\n" + SPLIT],
        ("LEAK-OVERLAP", 2, 4)),
    "duplication-by-concat": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\ndf = pd.concat([df, df[df.churn == 1]])",
         LOAD.split("\n", 1)[1], SPLIT],
        ("LEAK-OVERLAP", 2, 2)),
    "model-fitted-on-all-rows": (
        [IMPORTS, LOAD, "model = RandomForestClassifier().fit(X, y)", SPLIT,
         "model.score(X_test, y_test)"],
        ("LEAK-OVERLAP", 3, 1)),
    "hyperparameters-picked-on-test": (
        [IMPORTS, LOAD, SPLIT, "best, best_c = 0, None\nfor c in [0.01, 0.1, 1, 10]:\n"
         "    clf = LogisticRegression(C=c).fit(X_train, y_train)\n"
         "    acc = clf.score(X_test, y_test)\n    if acc > best:\n        best, best_c = acc, c"],
        ("LEAK-MULTI-TEST", 4, 4)),
    "models-compared-on-test": (
        [IMPORTS, LOAD, SPLIT, "models = {'lr': LogisticRegression(), "
         "'rf': RandomForestClassifier()}\nresults = {}\n"
         "for name, m in models.items():\n    m.fit(X_train, y_train)\n"
         "    results[name] = m.score(X_test, y_test)\nbest = max(results, key=results.get)"],
        ("LEAK-MULTI-TEST", 4, 5)),
    "early-stopping-on-test": (
        [IMPORTS + "\nimport xgboost as xgb", LOAD, SPLIT,
         "model = xgb.XGBClassifier(n_estimators=500)\n"
         "model.fit(X_train, y_train, eval_set=[(X_test, y_test)], early_stopping_rounds=20)"],
        ("LEAK-MULTI-TEST", 4, 2)),
    "fit-transform-on-test": (
        [IMPORTS, LOAD, SPLIT, "scaler = StandardScaler()\n"
         "X_train_s = scaler.fit_transform(X_train)\nX_test_s = scaler.fit_transform(X_test)"],
        ("LEAK-FIT-ON-TEST", 4, 3)),
    "fit-on-train-and-test-concatenated": (
        [IMPORTS, LOAD, SPLIT, "encoder = OneHotEncoder(handle_unknown='ignore')\n"
         "encoder.fit(pd.concat([X_train, X_test]))"],
        ("LEAK-PREPROCESSING", 4, 2)),
    "encoder-fitted-on-train-and-test-files": (
        [IMPORTS, "train = pd.read_csv('train.csv')\ntest = pd.read_csv('test.csv')",
         "encoder = OneHotEncoder(handle_unknown='ignore')\n"
         "encoder.fit(pd.concat([train, test]))"],
        ("LEAK-PREPROCESSING", 3, 2)),
    "keras-early-stopping-on-test": (
        [IMPORTS + "\nfrom keras import Sequential\nfrom keras.callbacks import EarlyStopping",
         LOAD, SPLIT, "net = Sequential()\nnet.fit(X_train, y_train, epochs=50,\n"
         "        validation_data=(X_test, y_test), callbacks=[EarlyStopping(patience=3)])"],
        ("LEAK-MULTI-TEST", 4, 2)),
    "random-split-of-time-series": (
        [IMPORTS, "sales = pd.read_csv('sales.csv', parse_dates=['date'])\n"
         "sales = sales.sort_values('date')\nsales['lag_7'] = sales['units'].shift(7)",
         "X = sales.drop(columns=['units', 'date'])\ny = sales['units']\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 3)),
    "label-left-in-features": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\ny = df['churn']\n"
         "X = df.drop(columns=['customer_id'])", SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 2, 3)),
    "label-in-feature-list": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "features = ['age', 'income', 'churn']\nX = df[features]\ny = df.churn",
         "model = LogisticRegression().fit(X, y)"],
        ("LEAK-TARGET-IN-FEATURES", 2, 3)),
    "label-encoded-by-map-left-in-features": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "y = df['churn'].map({'yes': 1, 'no': 0})\nX = pd.get_dummies(df)", SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 2, 3)),
    "random-split-of-patients": (
        [IMPORTS, "visits = pd.read_csv('visits.csv')\n"
         "visits['mean_hr'] = visits.groupby('patient_id')['heart_rate'].transform('mean')",
         "X = visits.drop(columns=['readmitted'])\ny = visits['readmitted']\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
}

CLEAN = {
    "pipeline-in-cross-val-score": [
        IMPORTS, LOAD, "pipe = make_pipeline(StandardScaler(), LogisticRegression())\n"
        "scores = cross_val_score(pipe, X, y, cv=5)"],
    "fit-on-train-transform-test": [
        IMPORTS, LOAD, SPLIT, "scaler = StandardScaler().fit(X_train)\n"
        "X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)\n"
        "model = LogisticRegression().fit(X_train_s, y_train)\nmodel.score(X_test_s, y_test)"],
    "pipeline-in-grid-search": [
        IMPORTS, LOAD, SPLIT, "pipe = Pipeline([('scale', StandardScaler()), "
        "('clf', LogisticRegression())])\n"
        "search = GridSearchCV(pipe, {'clf__C': [0.1, 1, 10]}, cv=5).fit(X_train, y_train)\n"
        "print(search.best_params_, search.score(X_test, y_test))"],
    "imblearn-pipeline": [
        IMPORTS + "\nfrom imblearn.over_sampling import SMOTE\n"
        "from imblearn.pipeline import make_pipeline as make_imb_pipeline", LOAD,
        "pipe = make_imb_pipeline(SMOTE(random_state=0), LogisticRegression())\n"
        "cross_val_score(pipe, X, y, cv=5)"],
    "smote-after-split": [
        IMPORTS + "\nfrom imblearn.over_sampling import SMOTE", LOAD, SPLIT,
        "X_res, y_res = SMOTE().fit_resample(X_train, y_train)\n"
        "model = LogisticRegression().fit(X_res, y_res)\nmodel.score(X_test, y_test)"],
    "chronological-split": [
        IMPORTS, "sales = pd.read_csv('sales.csv', parse_dates=['date'])\n"
        "sales = sales.sort_values('date')\nsales['lag_7'] = sales['units'].shift(7)",
        "X = sales.drop(columns=['units', 'date'])\ny = sales['units']\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)"],
    "time-series-split": [
        IMPORTS + "\nfrom sklearn.model_selection import TimeSeriesSplit",
        "sales = pd.read_csv('sales.csv', parse_dates=['date'], index_col='date')\n"
        "X = sales.drop(columns=['units'])\ny = sales['units']\n"
        "cross_val_score(LogisticRegression(), X, y, cv=TimeSeriesSplit(n_splits=5))"],
    "group-split": [
        IMPORTS + "\nfrom sklearn.model_selection import GroupShuffleSplit",
        "visits = pd.read_csv('visits.csv')\n"
        "visits['mean_hr'] = visits.groupby('patient_id')['heart_rate'].transform('mean')",
        "X = visits.drop(columns=['readmitted'])\ny = visits['readmitted']\n"
        "splitter = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)\n"
        "train_idx, test_idx = next(splitter.split(X, y, groups=visits['patient_id']))\n"
        "X_train, X_test = X.iloc[train_idx], X.iloc[test_idx]\n"
        "y_train, y_test = y.iloc[train_idx], y.iloc[test_idx]\n"
        "model = RandomForestClassifier().fit(X_train, y_train)\nmodel.score(X_test, y_test)"],
    "validation-set-for-early-stopping": [
        IMPORTS + "\nimport xgboost as xgb", LOAD, SPLIT,
        "X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2)\n"
        "model = xgb.XGBClassifier(n_estimators=500, early_stopping_rounds=20)\n"
        "model.fit(X_tr, y_tr, eval_set=[(X_val, y_val)])\nmodel.score(X_test, y_test)"],
    "refit-on-all-data-after-evaluation": [
        IMPORTS, LOAD, SPLIT, FIT_EVAL,
        "final = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)"],
    "cross-validation-folds-by-hand": [
        IMPORTS + "\nfrom sklearn.model_selection import StratifiedKFold", LOAD,
        "scores = []\nfor fold, (tr, te) in enumerate(StratifiedKFold(5).split(X, y)):\n"
        "    scaler = StandardScaler().fit(X.iloc[tr])\n"
        "    m = LogisticRegression().fit(scaler.transform(X.iloc[tr]), y.iloc[tr])\n"
        "    scores.append(m.score(scaler.transform(X.iloc[te]), y.iloc[te]))"],
    "label-popped-from-features": [
        IMPORTS, "df = pd.read_csv('customers.csv')\nX = df\ny = X.pop('churn')", SPLIT],
    "label-encoder-on-the-target": [
        IMPORTS + "\nfrom sklearn.preprocessing import LabelEncoder", LOAD,
        "y = LabelEncoder().fit_transform(y)", SPLIT],
    "statistics-of-train-fill-test": [
        IMPORTS, LOAD, SPLIT, "medians = X_train.median()\n"
        "X_train = X_train.fillna(medians)\nX_test = X_test.fillna(medians)"],
    "two-balanced-halves-concatenated": [
        IMPORTS, "df = pd.read_csv('customers.csv')\n"
        "df = pd.concat([df[df.churn == 0], df[df.churn == 1]])", LOAD.split("\n", 1)[1],
        SPLIT],
    "separate-train-and-test-files": [
        IMPORTS, "train = pd.read_csv('train.csv')\ntest = pd.read_csv('test.csv')",
        "X = train.drop(columns=['churn'])\ny = train['churn']\n"
        "X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)\n"
        "scaler = StandardScaler().fit(X_tr)\n"
        "model = LogisticRegression().fit(scaler.transform(X_tr), y_tr)\n"
        "model.score(scaler.transform(X_val), y_val)\n"
        "submission = model.predict(scaler.transform(test.drop(columns=['id'])))"],
    "models-compared-with-cross-validation": [
        IMPORTS, LOAD, SPLIT, "for candidate in [LogisticRegression(), "
        "RandomForestClassifier()]:\n"
        "    print(cross_val_score(candidate, X_train, y_train, cv=5).mean())\n"
        "best = RandomForestClassifier().fit(X_train, y_train)\nbest.score(X_test, y_test)"],
    "sequential-split-by-slicing": [
        IMPORTS, LOAD, "X_train, X_test = X[:800], X[800:]\ny_train, y_test = y[:800], y[800:]\n"
        + FIT_EVAL],
    "unexecuted-leaky-cell-is-still-read-but-clean-order": [
        IMPORTS, LOAD, SPLIT, "scaler = StandardScaler().fit(X_train)\n"
        "X_test_s = scaler.transform(X_test)"],
}


# -- the general patterns behind the held-out corpus' misses, each with clean look-alikes ------
FLATS = """\
flats = pd.read_csv("flats.csv")
flats["furnished"] = (flats["furnished"] == "yes").astype(int)"""
TICKS = """\
ticks = pd.read_csv("ticker.csv", parse_dates=["day"]).sort_values("day")
ticks["ret"] = ticks["close"].pct_change()"""

LEAKY.update({
    # the label stays among the features through column-preserving calls
    "label-kept-through-select-dtypes-chain": (
        [IMPORTS, FLATS, "nums = flats.select_dtypes(include=[np.number]).fillna(-1)\n"
         "rent = nums['rent']\n"
         "feats = nums.reset_index(drop=True).rename(columns={'sqm': 'area'}).drop("
         "'flat_id', axis=1)",
         "f_tr, f_te, r_tr, r_te = train_test_split(feats, rent, random_state=1)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 3)),
    # a column list that only drops the id: reported where the list is built (never named X)
    "label-kept-by-index-difference": (
        [IMPORTS, FLATS, "keep = flats.columns.difference(['flat_id'])\n"
         "f_tr, f_te, r_tr, r_te = train_test_split(flats[keep], flats['rent'])"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "label-kept-by-comprehension-over-a-name-list": (
        [IMPORTS, FLATS, "every = ['sqm', 'rooms', 'rent']\n"
         "use = [n for n in every if n != 'sqm']\n"
         "f_tr, f_te, r_tr, r_te = train_test_split(flats[use], flats['rent'])"],
        ("LEAK-TARGET-IN-FEATURES", 3, 2)),
    "feature-selection-by-correlation-before-split": (
        [IMPORTS, FLATS, "rel = flats.corr(numeric_only=True)['rent'].abs()\n"
         "picked = rel.sort_values(ascending=False).index[1:8]",
         "f_tr, f_te, r_tr, r_te = train_test_split(flats[picked], flats['rent'])"],
        ("LEAK-PREPROCESSING", 3, 1)),
    "feature-selection-by-mutual-information-before-split": (
        [IMPORTS + "\nfrom sklearn.feature_selection import mutual_info_classif", LOAD,
         "mi = pd.Series(mutual_info_classif(X, y), index=X.columns)\n"
         "X = X[mi.nlargest(12).index]", SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "feature-selection-by-corrwith-before-split": (
        [IMPORTS, LOAD, "strength = X.corrwith(y).abs()\nX = X.loc[:, strength > 0.05]",
         SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "lightgbm-native-early-stopping-on-test": (
        [IMPORTS + "\nimport lightgbm as lgb", LOAD, SPLIT,
         "d_fit = lgb.Dataset(X_train, label=y_train)\n"
         "gbm = lgb.train({'objective': 'binary'}, d_fit, num_boost_round=2000,\n"
         "                valid_sets=[lgb.Dataset(X_test, label=y_test)],\n"
         "                callbacks=[lgb.early_stopping(40)])"],
        ("LEAK-MULTI-TEST", 4, 2)),
    "xgboost-native-early-stopping-on-test": (
        [IMPORTS + "\nimport xgboost as xgb", LOAD, SPLIT,
         "m_tr = xgb.DMatrix(X_train, label=y_train)\nm_te = xgb.DMatrix(X_test, label=y_test)\n"
         "booster = xgb.train({'eta': 0.1}, m_tr, 800, evals=[(m_te, 'holdout')],\n"
         "                    early_stopping_rounds=25)"],
        ("LEAK-MULTI-TEST", 4, 3)),
    # entity ids in a metadata frame row-aligned with a numpy array of features
    "speakers-repeat-in-metadata-aligned-array": (
        [IMPORTS, "clips = pd.read_csv('clips.csv')\n"
         "clips['speaker_id'].value_counts().describe()",
         "mfcc = np.load('mfcc.npy')\nmood = clips['mood'].to_numpy()\n"
         "m_tr, m_te, mood_tr, mood_te = train_test_split(mfcc, mood, stratify=mood)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    # a whole-column mean still counts next to window features; the split keeps the days in
    # order, so the centred returns carry the test days' mean into training (issue 14)
    "whole-column-mean-beside-window-features": (
        [IMPORTS, TICKS + "\nticks['vol_5'] = ticks['ret'].rolling(5).std()\n"
         "ticks['ret_centered'] = ticks['ret'] - ticks['ret'].mean()",
         "X = ticks[['vol_5', 'ret_centered']]\ny = ticks['up']\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)"],
        ("LEAK-TEMPORAL-SPLIT", 2, 4)),
    # the same centring before a shuffled split of independent rows is a fitted statistic
    "whole-column-mean-before-a-shuffled-split": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "df['income_c'] = df['income'] - df['income'].mean()",
         LOAD.split("\n", 1)[1], SPLIT],
        ("LEAK-PREPROCESSING", 2, 2)),
    # a lambda that aggregates the group is still a target encoding
    "target-encoding-through-lambda": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "df['city_rate'] = df.groupby('city')['churn'].transform(lambda g: g.mean())",
         LOAD.split("\n", 1)[1], SPLIT],
        ("LEAK-PREPROCESSING", 2, 2)),
})

CLEAN.update({
    "window-features-then-chronological-split": [
        IMPORTS, TICKS + "\nticks['vol_10'] = ticks['ret'].rolling(10).std()\n"
        "ticks['ma_3'] = ticks['close'].shift(1).rolling(3).mean()\n"
        "ticks['trend'] = ticks['close'].ewm(span=12).mean()\n"
        "ticks['best_so_far'] = ticks['close'].expanding().max()",
        "X = ticks[['vol_10', 'ma_3', 'trend', 'best_so_far']]\ny = ticks['up']\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)"],
    "lagged-group-window-of-the-target-with-cutoff": [
        IMPORTS, "units = pd.read_csv('units.csv', parse_dates=['day']).sort_values('day')\n"
        "units['past_avg'] = units.groupby('shop')['sold'].transform(\n"
        "    lambda s: s.shift(1).expanding().mean())",
        "fit_rows = units[units['day'] < '2024-01-01']\n"
        "check_rows = units[units['day'] >= '2024-01-01']\n"
        "m = RandomForestClassifier().fit(fit_rows[['past_avg']], fit_rows['sold'])\n"
        "m.score(check_rows[['past_avg']], check_rows['sold'])"],
    "feature-list-comprehensions-drop-the-label": [
        IMPORTS, FLATS, "cols = [c for c in flats.columns if c != 'rent' and c not in "
        "('flat_id',)]\nalso = [name for name in flats.columns if name not in ['rent']]\n"
        "f_tr, f_te, r_tr, r_te = train_test_split(flats[cols], flats['rent'])\n"
        "m = RandomForestClassifier().fit(flats[also], flats['rent'])"],
    "label-dropped-from-the-column-index": [
        IMPORTS, FLATS, "cols = flats.columns.drop(['flat_id', 'rent'])\n"
        "rest = list(set(flats.columns) - {'rent'})\nnames = flats.columns.tolist()\n"
        "names.remove('rent')",
        "for used in (cols, rest, names):\n"
        "    f_tr, f_te, r_tr, r_te = train_test_split(flats[used], flats['rent'])"],
    "comprehension-over-a-name-list-drops-the-label": [
        IMPORTS, FLATS, "every = ['sqm', 'rooms', 'rent']\ngoal = 'rent'\n"
        "use = [n for n in every if n != goal]\n"
        "f_tr, f_te, r_tr, r_te = train_test_split(flats[use], flats[goal])"],
    "feature-lists-concatenated": [
        IMPORTS, "NUMERIC = ['age', 'income']\nCODES = ['region_code']",
        "df = pd.read_csv('customers.csv')\ndf['log_income'] = np.log1p(df['income'])\n"
        "X = df[NUMERIC + CODES + ['log_income']]\ny = df['churn']", SPLIT],
    "group-splitter-given-the-whole-frame-for-positions": [
        IMPORTS + "\nfrom sklearn.model_selection import GroupShuffleSplit",
        "visits = pd.read_csv('visits.csv')",
        "cut = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=3)\n"
        "fit_pos, hold_pos = next(cut.split(visits, visits['readmitted'], "
        "groups=visits['patient_id']))\n"
        "cols = [c for c in visits.columns if c not in ('readmitted', 'patient_id')]\n"
        "fit_part, hold_part = visits.iloc[fit_pos], visits.iloc[hold_pos]\n"
        "m = RandomForestClassifier().fit(fit_part[cols], fit_part['readmitted'])\n"
        "m.score(hold_part[cols], hold_part['readmitted'])"],
    "label-popped-after-select-dtypes": [
        IMPORTS, FLATS, "nums = flats.select_dtypes('number').fillna(0)\n"
        "rent = nums.pop('rent')\nfeats = nums.drop(columns=['flat_id'])\n"
        "f_tr, f_te, r_tr, r_te = train_test_split(feats, rent)"],
    "correlation-selection-on-training-rows": [
        IMPORTS, FLATS, "fit_rows, hold_rows = train_test_split(flats, random_state=0)\n"
        "rel = fit_rows.corr(numeric_only=True)['rent'].abs()\n"
        "picked = rel.drop('rent').nlargest(6).index\n"
        "m = RandomForestClassifier().fit(fit_rows[picked], fit_rows['rent'])\n"
        "m.score(hold_rows[picked], hold_rows['rent'])"],
    "correlation-heatmap-only": [
        IMPORTS + "\nimport seaborn as sns", FLATS,
        "sns.heatmap(flats.corr(numeric_only=True))\n"
        "print(flats.corr(numeric_only=True)['rent'].sort_values())",
        "X = flats.drop(columns=['rent'])\ny = flats['rent']\n"
        "f_tr, f_te, r_tr, r_te = train_test_split(X, y)"],
    "lightgbm-native-early-stopping-on-validation": [
        IMPORTS + "\nimport lightgbm as lgb", LOAD, SPLIT,
        "X_fit, X_es, y_fit, y_es = train_test_split(X_train, y_train, test_size=0.2)\n"
        "gbm = lgb.train({'objective': 'binary'}, lgb.Dataset(X_fit, label=y_fit),\n"
        "                valid_sets=[lgb.Dataset(X_es, label=y_es)],\n"
        "                callbacks=[lgb.early_stopping(40)])\n"
        "print(gbm.predict(X_test))"],
    "speakers-repeat-but-split-by-speaker": [
        IMPORTS + "\nfrom sklearn.model_selection import GroupShuffleSplit",
        "clips = pd.read_csv('clips.csv')\nclips['speaker_id'].value_counts().describe()",
        "mfcc = np.load('mfcc.npy')\nmood = clips['mood'].to_numpy()\n"
        "gss = GroupShuffleSplit(n_splits=1, test_size=0.2)\n"
        "tr, te = next(gss.split(mfcc, mood, groups=clips['speaker_id']))\n"
        "m = LogisticRegression().fit(mfcc[tr], mood[tr])\nm.score(mfcc[te], mood[te])"],
})


# entity columns named like ids (``*_no``, ``*_key`` ...), get_dummies of a frame holding the
# label, statistics inside pipe/apply/transform lambdas, where a label left in is reported,
# and stacked features next to doubled labels
VISITS = "visits = pd.read_csv('visits.csv')"
VISITS_SPLIT = ("feats = visits[['stay_days', 'n_prior']]\ntarget = visits['returned']\n"
                "f_tr, f_te, t_tr, t_te = train_test_split(feats, target, test_size=0.25)")
PLANTS = "plants = pd.read_csv('plants.csv')"
PLANTS_SPLIT = ("harvest = plants['yield']\n"
                "f_tr, f_te, h_tr, h_te = train_test_split(feats, harvest)")
SPECTRA = ("spec = np.load('spec.npy')\nspec_noisy = np.load('spec_noisy.npy')\n"
           "tags = np.load('tags.npy')")
LEAKY.update({
    "visits-per-member-no-counted-then-random-split": (
        [IMPORTS, VISITS + "\nprint(len(visits), visits['member_no'].nunique())\n"
         "visits['n_prior'] = visits.groupby('member_no').cumcount()", VISITS_SPLIT],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    "device-key-value-counts-then-random-split": (
        [IMPORTS, "logs = pd.read_csv('logs.csv')\nlogs['device_key'].value_counts().head()",
         "feats = logs[['bytes', 'hour']]\nalarm = logs['alarm']\n"
         "f_tr, f_te, a_tr, a_te = train_test_split(feats, alarm)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    "get-dummies-of-the-frame-holding-the-label": (
        [IMPORTS, "staff = pd.read_csv('staff.csv')",
         "quit = (staff['left'] == 'yes').astype(int)\n"
         "feats = pd.get_dummies(staff, drop_first=True)\n"
         "f_tr, f_te, q_tr, q_te = train_test_split(feats, quit)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 2)),
    "pipe-lambda-fills-with-medians-of-all-rows": (
        [IMPORTS, PLANTS, "feats = (plants\n         .drop(columns=['yield'])\n"
         "         .pipe(lambda t: t.fillna(t.median())))\n" + PLANTS_SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "apply-lambda-fills-each-column-with-its-mean": (
        [IMPORTS, PLANTS, "feats = plants.drop(columns=['yield'])\n"
         "feats = feats.apply(lambda c: c.fillna(c.mean()))\n" + PLANTS_SPLIT],
        ("LEAK-PREPROCESSING", 3, 2)),
    "transform-lambda-zscores-all-rows": (
        [IMPORTS, PLANTS, "feats = plants.drop(columns=['yield']).transform(\n"
         "    lambda s: (s - s.mean()) / s.std())\n" + PLANTS_SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "drop-forgets-the-label-then-narrowed": (
        [IMPORTS, "orders = pd.read_csv('orders.csv')",
         "feats = orders.drop(columns=['order_ref', 'placed_at'])\nlate = orders['is_late']\n"
         "feats = feats.select_dtypes('number')\n"
         "f_tr, f_te, l_tr, l_te = train_test_split(feats, late)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "stacked-augmented-features-with-doubled-labels": (
        [IMPORTS, SPECTRA, "feats = np.vstack([spec, spec_noisy])\n"
         "tags2 = np.concatenate([tags, tags])\n"
         "f_tr, f_te, t_tr, t_te = train_test_split(feats, tags2)"],
        ("LEAK-OVERLAP", 3, 1)),
    "doubled-labels-without-a-features-stack": (
        [IMPORTS, SPECTRA, "both = np.load('spec_and_noisy.npy')\n"
         "tags2 = np.concatenate([tags, tags])\n"
         "f_tr, f_te, t_tr, t_te = train_test_split(both, tags2)"],
        ("LEAK-OVERLAP", 3, 2)),
})
CLEAN.update({
    "member-no-checked-unique-then-random-split": [
        IMPORTS, VISITS + "\nassert visits['member_no'].nunique() == len(visits)\n"
        "visits['n_prior'] = visits['stay_days'] * 0", VISITS_SPLIT],
    "get-dummies-after-dropping-the-label": [
        IMPORTS, "staff = pd.read_csv('staff.csv')",
        "quit = (staff['left'] == 'yes').astype(int)\nfeats = staff.drop(columns=['left'])\n"
        "feats = pd.get_dummies(feats, drop_first=True)\n"
        "f_tr, f_te, q_tr, q_te = train_test_split(feats, quit)"],
    "pipe-with-a-row-wise-lambda": [
        IMPORTS, PLANTS, "feats = (plants.drop(columns=['yield'])\n"
        "         .pipe(lambda t: t.assign(ratio=t['n'] / t['p'])))\n" + PLANTS_SPLIT],
    "apply-row-wise-with-axis-1": [
        IMPORTS, PLANTS, "feats = plants.drop(columns=['yield'])\n"
        "feats['np_sum'] = feats.apply(lambda r: r['n'] + r['p'], axis=1)\n" + PLANTS_SPLIT],
    "stacked-features-with-their-own-labels": [
        IMPORTS, "a = np.load('a.npy')\nb = np.load('b.npy')\n"
        "ya = np.load('ya.npy')\nyb = np.load('yb.npy')",
        "feats = np.vstack([a, b])\nlab = np.concatenate([ya, yb])\n"
        "f_tr, f_te, l_tr, l_te = train_test_split(feats, lab)"],
})

# Repeated entities need a look at the repetition or a per-entity aggregate of a feature; lag
# features and label encodings grouped by an id are other leaks (or none), not this one.
SHOPS = "shops = pd.read_csv('shop_days.csv', parse_dates=['day']).sort_values('day')"
SHOPS_SPLIT = ("inputs = shops[['prev_sales', 'promo']]\nout = shops['sold_out']\n"
               "i_tr, i_te, o_tr, o_te = train_test_split(inputs, out, random_state=1)")
# a notebook helper that fits only when asked to
RESCALE = ("def rescale(part, tool, learn=False):\n    if learn:\n"
           "        return tool.fit_transform(part)\n    return tool.transform(part)")
LEAKY.update({
    "duplicated-ids-seen-then-random-split": (
        [IMPORTS, "orders = pd.read_csv('orders.csv')\n"
         "print(orders['customer_id'].duplicated().sum())",
         "feats = orders[['price', 'qty']]\ntarget = orders['returned']\n"
         "f_tr, f_te, t_tr, t_te = train_test_split(feats, target)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    "label-mean-by-site-is-an-encoding-not-entity-evidence": (
        [IMPORTS, "ads = pd.read_csv('ads.csv')\n"
         "ads['site_rate'] = ads.groupby('site_id')['clicked'].transform('mean')",
         "feats = ads[['site_rate', 'hour']]\ntarget = ads['clicked']\n"
         "f_tr, f_te, t_tr, t_te = train_test_split(feats, target, random_state=0)"],
        ("LEAK-PREPROCESSING", 2, 2)),
    "lag-by-shop-is-temporal-not-entity-evidence": (
        [IMPORTS, SHOPS, "shops['prev_sales'] = shops.groupby('shop_id')['sales'].transform("
         "lambda s: s.shift(1))\n" + SHOPS_SPLIT],
        ("LEAK-TEMPORAL-SPLIT", 3, 4)),
    "helper-told-to-fit-on-test-rows": (
        [IMPORTS, RESCALE, LOAD + "\n" + SPLIT, "sc = StandardScaler()\n"
         "a = rescale(X_train, sc, learn=True)\nb = rescale(X_test, sc, True)"],
        ("LEAK-FIT-ON-TEST", 4, 3)),
    "frame-handed-whole-to-features": (
        [IMPORTS, "loans = pd.read_csv('loans.csv')\nloans = loans.drop(columns=['loan_id'])\n"
         "y = loans['defaulted'].to_numpy()\nX = loans.to_numpy()", SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 2, 4)),
    "features-rebound-keep-their-first-line": (
        [IMPORTS, "loans = pd.read_csv('loans.csv')\ny = loans['defaulted']\n"
         "X = loans.drop(columns=['loan_id'])\nX = X.select_dtypes('number')", SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 2, 3)),
})
CLEAN.update({
    "helper-fits-on-train-only-by-default-flag": [
        IMPORTS, RESCALE, LOAD + "\n" + SPLIT, "sc = StandardScaler()\n"
        "a = rescale(X_train, sc, learn=True)\nb = rescale(X_test, sc)\n"
        "c = rescale(X_test, sc, learn=False)"],
    "per-shop-lag-with-chronological-split": [
        IMPORTS, SHOPS, "shops['prev_sales'] = shops.groupby('shop_id')['sales'].transform("
        "lambda s: s.shift(1))\n" + SHOPS_SPLIT.replace("random_state=1", "shuffle=False")],
})


# Repeated entities seen three more ways (a group vector defined but not used, entity ids kept
# beside a feature array, an entity id among the features), where a shuffled splitter built on
# its own line is reported, paired X/y duplication, and neighbouring gaps (CatBoost's default
# best-iteration on eval_set, a fitted selector's mask, quantile bins).
TRIPS = "trips = pd.read_csv('trips.csv')"
BEATS = ("beats = np.load('beat_windows.npy')\ninfo = pd.read_csv('beat_info.csv')\n"
         "rhythm = info['arrhythmia'].to_numpy()")
METER = ("meter = pd.read_csv('meter.csv', parse_dates=['ts']).sort_values('ts')\n"
         "meter['kwh_prev'] = meter['kwh'].shift(1)\nmeter = meter.dropna()\n"
         "inputs = meter[['kwh_prev', 'temp']]\nload = meter['kwh']")
IMPORTS_CV = IMPORTS + ("\nfrom sklearn.model_selection import KFold, ShuffleSplit, GroupKFold"
                        "\nfrom sklearn.feature_selection import RFE")
LEAKY.update({
    "group-vector-defined-but-shuffled-folds-used": (
        [IMPORTS_CV, TRIPS + "\nfeats = trips[['distance_km', 'hour']]\nlate = trips['late']\n"
         "groups = trips['route']",
         "folds = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)\n"
         "print(cross_val_score(LogisticRegression(), feats, late, cv=folds).mean())"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "group-vector-ignored-by-a-hand-written-fold-loop": (
        [IMPORTS_CV, TRIPS + "\nfeats = trips[['distance_km', 'hour']]\nlate = trips['late']\n"
         "groups = trips['route']",
         "kf = KFold(n_splits=5, shuffle=True, random_state=0)\n"
         "for tr, te in kf.split(feats, late):\n"
         "    m = LogisticRegression().fit(feats.iloc[tr], late.iloc[tr])\n"
         "    print(m.score(feats.iloc[te], late.iloc[te]))"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "entity-ids-kept-beside-a-feature-array": (
        [IMPORTS, BEATS + "\npatients = info['patient_id'].to_numpy()",
         "b_tr, b_te, r_tr, r_te = train_test_split(beats, rhythm, random_state=2)\n"
         "RandomForestClassifier().fit(b_tr, r_tr).score(b_te, r_te)"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "repeating-entity-id-among-the-features": (
        [IMPORTS, TRIPS, "feats = trips[['driver_id', 'distance_km', 'hour']]\n"
         "late = trips['late']\nf_tr, f_te, l_tr, l_te = train_test_split(feats, late)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    "user-id-among-features-of-a-per-play-table": (
        [IMPORTS, "plays = pd.read_csv('user_plays.csv')",
         "feats = plays[['user_id', 'track_len', 'hour']]\nskip = plays['skipped']\n"
         "f_tr, f_te, s_tr, s_te = train_test_split(feats, skip)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    "shuffled-kfold-built-on-its-own-line-over-lags": (
        [IMPORTS_CV, METER, "kf = KFold(n_splits=4, shuffle=True, random_state=1)\n"
         "scores = cross_val_score(RandomForestClassifier(), inputs, load, cv=kf)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "shuffled-kfold-object-looped-by-hand-over-lags": (
        [IMPORTS_CV, METER, "kf = KFold(n_splits=4, shuffle=True, random_state=1)\n"
         "for tr, te in kf.split(inputs):\n"
         "    m = RandomForestClassifier().fit(inputs.iloc[tr], load.iloc[tr])\n"
         "    print(m.score(inputs.iloc[te], load.iloc[te]))"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "features-and-labels-both-upsampled-by-index": (
        [IMPORTS, LOAD + "\nX, y = X.to_numpy(), y.to_numpy()",
         "rare = np.flatnonzero(y == 1)\nX_up = np.concatenate([X, X[rare], X[rare]])\n"
         "y_up = np.concatenate([y, y[rare], y[rare]])",
         "X_train, X_test, y_train, y_test = train_test_split(X_up, y_up, stratify=y_up)"],
        ("LEAK-OVERLAP", 3, 2)),
    "catboost-keeps-best-iteration-on-test": (
        [IMPORTS + "\nfrom catboost import CatBoostClassifier", LOAD, SPLIT,
         "cat = CatBoostClassifier(iterations=3000, verbose=0)\n"
         "cat.fit(X_train, y_train, eval_set=(X_test, y_test))\nprint(cat.score(X_test, y_test))"],
        ("LEAK-MULTI-TEST", 4, 2)),
    "rfe-mask-from-all-rows-selects-the-columns": (
        [IMPORTS_CV, LOAD, "rfe = RFE(LogisticRegression(max_iter=500), n_features_to_select=6)\n"
         "rfe.fit(X, y)\nX = X.loc[:, rfe.support_]", SPLIT],
        ("LEAK-PREPROCESSING", 3, 2)),
    "selector-get-support-from-all-rows": (
        [IMPORTS_CV, LOAD, "rfe = RFE(LogisticRegression(max_iter=500)).fit(X, y)\n"
         "kept = X.columns[rfe.get_support()]", "X_train, X_test, y_train, y_test = "
         "train_test_split(X[kept], y)"],
        ("LEAK-PREPROCESSING", 3, 1)),
    "quantile-bins-cut-on-all-rows": (
        [IMPORTS, LOAD, "X['income_band'] = pd.qcut(X['income'], 4, labels=False)", SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
})
CLEAN.update({
    "group-vector-passed-to-group-kfold": [
        IMPORTS_CV, TRIPS + "\nfeats = trips[['distance_km', 'hour']]\nlate = trips['late']\n"
        "groups = trips['route']",
        "folds = GroupKFold(n_splits=5)\n"
        "print(cross_val_score(LogisticRegression(), feats, late, cv=folds, "
        "groups=groups).mean())"],
    "entity-ids-beside-an-array-used-as-groups": [
        IMPORTS_CV, BEATS + "\npatients = info['patient_id'].to_numpy()",
        "cross_val_score(RandomForestClassifier(), beats, rhythm, groups=patients, "
        "cv=GroupKFold(4))"],
    "customer-ids-kept-one-row-per-customer": [
        IMPORTS, "df = pd.read_csv('customers.csv')\ncustomer_ids = df['customer_id']\n"
        "X = df[['customer_id', 'age', 'income']]\ny = df['churn']", SPLIT],
    "user-id-among-features-of-the-users-table": [
        IMPORTS, "users = pd.read_csv('data/users.csv')",
        "feats = users[['user_id', 'age', 'tenure']]\nleft = users['left']\n"
        "f_tr, f_te, l_tr, l_te = train_test_split(feats, left)"],
    "patient-ids-beside-the-patients-table": [
        IMPORTS, "pts = pd.read_csv('patients.csv')\npatient_ids = pts['patient_id']\n"
        "feats = pts[['age', 'bmi']]\noutcome = pts['died']",
        "f_tr, f_te, o_tr, o_te = train_test_split(feats, outcome)"],
    "entity-id-among-features-checked-unique": [
        IMPORTS, TRIPS + "\nassert trips['driver_id'].is_unique",
        "feats = trips[['driver_id', 'distance_km', 'hour']]\n"
        "late = trips['late']\nf_tr, f_te, l_tr, l_te = train_test_split(feats, late)"],
    "entity-id-counted-equal-to-rows": [
        IMPORTS, TRIPS + "\nprint(trips['driver_id'].nunique() == len(trips))",
        "feats = trips[['driver_id', 'distance_km']]\n"
        "late = trips['late']\nf_tr, f_te, l_tr, l_te = train_test_split(feats, late)"],
    "per-driver-aggregate-then-random-split-of-drivers": [
        IMPORTS, TRIPS, "per_driver = trips.groupby('driver_id').agg(\n"
        "    n_trips=('distance_km', 'size'), mean_km=('distance_km', 'mean'),\n"
        "    quit=('quit', 'max')).reset_index()\n"
        "feats = per_driver.drop(columns=['driver_id', 'quit'])\n"
        "f_tr, f_te, q_tr, q_te = train_test_split(feats, per_driver['quit'])"],
    "shuffled-kfold-on-independent-rows": [
        IMPORTS_CV, LOAD, "kf = KFold(n_splits=5, shuffle=True, random_state=0)\n"
        "cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X, y, cv=kf)"],
    "catboost-early-stopping-on-validation": [
        IMPORTS + "\nfrom catboost import CatBoostClassifier", LOAD, SPLIT,
        "X_fit, X_es, y_fit, y_es = train_test_split(X_train, y_train, test_size=0.2)\n"
        "cat = CatBoostClassifier(iterations=3000, verbose=0)\n"
        "cat.fit(X_fit, y_fit, eval_set=(X_es, y_es))\nprint(cat.score(X_test, y_test))"],
    "catboost-monitors-test-without-keeping-the-best": [
        IMPORTS + "\nfrom catboost import CatBoostClassifier", LOAD, SPLIT,
        "cat = CatBoostClassifier(iterations=300, use_best_model=False, verbose=0)\n"
        "cat.fit(X_train, y_train, eval_set=(X_test, y_test))"],
    "rfe-fitted-on-training-rows": [
        IMPORTS_CV, LOAD, SPLIT, "rfe = RFE(LogisticRegression(max_iter=500)).fit(X_train, "
        "y_train)\nX_train, X_test = X_train.loc[:, rfe.support_], X_test.loc[:, rfe.support_]\n"
        + FIT_EVAL],
    "fixed-bins-on-all-rows": [
        IMPORTS, LOAD, "X['age_band'] = pd.cut(X['age'], bins=[0, 30, 50, 120], labels=False)",
        SPLIT],
})


# Fits without a fit method: preprocessing functions (sklearn ``scale``, scipy ``zscore``) and
# Keras preprocessing layers adapted on all rows (inside the model, or applied to the texts).
KERAS = IMPORTS + "\nfrom tensorflow import keras"
REVIEWS = "reviews = pd.read_csv('reviews.csv')\nstars = reviews['positive']"
LEAKY.update({
    "scale-function-on-all-rows": (
        [IMPORTS + "\nfrom sklearn.preprocessing import robust_scale", LOAD,
         "X = robust_scale(X)", SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "zscore-applied-per-column-on-all-rows": (
        [IMPORTS + "\nfrom scipy.stats import zscore", LOAD, "X = X.apply(zscore)", SPLIT],
        ("LEAK-PREPROCESSING", 3, 1)),
    "keras-normalization-adapted-on-all-rows-inside-the-model": (
        [KERAS, LOAD, "norm = keras.layers.Normalization()\nnorm.adapt(X.to_numpy())", SPLIT,
         "net = keras.Sequential([norm, keras.layers.Dense(8), keras.layers.Dense(1)])\n"
         "net.compile(loss='binary_crossentropy')\nnet.fit(X_train, y_train, epochs=3)\n"
         "net.evaluate(X_test, y_test)"],
        ("LEAK-PREPROCESSING", 3, 2)),
    "keras-tokenizer-vocabulary-from-all-texts": (
        [KERAS + "\nfrom keras.preprocessing.text import Tokenizer", REVIEWS,
         "tok = Tokenizer(num_words=5000)\ntok.fit_on_texts(reviews['text'])\n"
         "seqs = tok.texts_to_matrix(reviews['text'])",
         "s_tr, s_te, p_tr, p_te = train_test_split(seqs, stars)"],
        ("LEAK-PREPROCESSING", 3, 2)),
})
CLEAN.update({
    "row-wise-normalize-function": [
        IMPORTS + "\nfrom sklearn.preprocessing import normalize", LOAD, "X = normalize(X)",
        SPLIT],
    "keras-normalization-adapted-on-training-rows": [
        KERAS, LOAD, SPLIT, "norm = keras.layers.Normalization()\nnorm.adapt(X_train)\n"
        "net = keras.Sequential()\nnet.add(norm)\nnet.add(keras.layers.Dense(1))\n"
        "net.fit(X_train, y_train, epochs=3)\nnet.evaluate(X_test, y_test)"],
    "keras-tokenizer-fitted-on-training-texts": [
        KERAS + "\nfrom keras.preprocessing.text import Tokenizer", REVIEWS,
        "t_tr, t_te, p_tr, p_te = train_test_split(reviews['text'], stars)\n"
        "tok = Tokenizer(num_words=5000)\ntok.fit_on_texts(t_tr)\n"
        "m_tr, m_te = tok.texts_to_matrix(t_tr), tok.texts_to_matrix(t_te)\n"
        "LogisticRegression().fit(m_tr, p_tr).score(m_te, p_te)"],
})


# -- corpus-E patterns: temporal dependence, per-entity lags, validation sets, copies --------
KIOSK = ("kiosk = pd.read_csv('kiosk_days.csv', parse_dates=['day']).sort_values('day')\n"
         "kiosk = kiosk.assign(prev_day=lambda d: d.coffees.shift(1),\n"
         "                     prev_week=lambda d: d.coffees.shift(7)).dropna()\n"
         "feats = kiosk[['prev_day', 'prev_week', 'rain_mm']]\nsold = kiosk['coffees']")
PINGS = ("pings = pd.read_parquet('scooter_pings.parquet')\n"
         "rides = (pings.groupby(['dock_id', 'slot']).size().reset_index(name='rides')\n"
         "              .sort_values(['dock_id', 'slot']))\n"
         "per_dock = rides.groupby('dock_id')['rides']\n"
         "rides['rides_prev'] = per_dock.shift(1)\nrides['rides_prev_day'] = per_dock.shift(48)\n"
         "rides = rides.dropna()")
GLUCOSE = ("cgm = pd.read_csv('cgm_readings.csv')\n"
           "cgm['delta'] = cgm.groupby('participant_id')['glucose'].diff().fillna(0)\n"
           "inputs = cgm[['glucose', 'delta', 'carbs_g']]\nhypo = cgm['hypo_next_30min']")
QUIZ = ("quiz = pd.read_csv('quiz_attempts.csv')\n"
        "quiz.groupby('id_learner').size().describe()\n"
        "inputs = quiz[['minutes_spent', 'hints_used', 'prior_score']]\npassed = quiz['passed']")
CAFFE = ("cafe = pd.read_csv('branch_sales.csv', parse_dates=['day']).sort_values('day')\n"
         "cafe['lag_1'] = cafe['sales'].shift(1)\ncafe = cafe.dropna()\n"
         "cols = ['lag_1', 'staff_on_shift']\n"
         "train = cafe[cafe.day < '2024-01-01']\n"
         "valid = cafe[(cafe.day >= '2024-01-01') & (cafe.day < '2024-04-01')]\n"
         "test = cafe[cafe.day >= '2024-04-01']")
LGB = IMPORTS + "\nimport lightgbm as lgb"
LEAKY.update({
    "lag-features-made-by-assign-lambdas-then-shuffled": (
        [IMPORTS, KIOSK, "f_tr, f_te, s_tr, s_te = train_test_split(feats, sold, random_state=3)\n"
         "RandomForestClassifier().fit(f_tr, s_tr).score(f_te, s_te)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "hourly-counts-aggregated-then-lagged-then-shuffled-folds": (
        [IMPORTS_CV, PINGS,
         "kf = KFold(n_splits=4, shuffle=True, random_state=0)\n"
         "cross_val_score(RandomForestClassifier(), rides[['rides_prev', 'rides_prev_day']],\n"
         "                rides['rides'], cv=kf)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "per-participant-differences-split-at-random": (
        [IMPORTS, GLUCOSE, "i_tr, i_te, h_tr, h_te = train_test_split(inputs, hypo)\n"
         "LogisticRegression().fit(i_tr, h_tr).score(i_te, h_te)"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "learner-attempts-counted-then-shuffled-folds": (
        [IMPORTS_CV + "\nfrom sklearn.model_selection import StratifiedKFold", QUIZ,
         "folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)\n"
         "cross_val_score(LogisticRegression(), inputs, passed, cv=folds)"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "column-rescaled-by-its-maximum-inside-assign": (
        [IMPORTS, "df = pd.read_csv('customers.csv')\n"
         "df = df.assign(spend_rel=lambda d: d.spend / d.spend.max())",
         LOAD.split("\n", 1)[1], SPLIT],
        ("LEAK-PREPROCESSING", 2, 2)),
    "scaler-and-pca-pipeline-fitted-on-every-row": (
        [IMPORTS + "\nfrom sklearn.decomposition import PCA", LOAD,
         "compress = make_pipeline(StandardScaler(), PCA(n_components=5))\n"
         "X = compress.fit_transform(X)", SPLIT + "\n" + FIT_EVAL],
        ("LEAK-PREPROCESSING", 3, 2)),
    "minority-texts-augmented-before-the-split": (
        [IMPORTS + "\nfrom textattack.augmentation import EasyDataAugmenter",
         REVIEWS + "\neda = EasyDataAugmenter(transformations_per_example=1)\n"
         "few = reviews[reviews.positive == 0]\n"
         "extra = pd.DataFrame({'text': [eda.augment(t)[0] for t in few['text']],\n"
         "                      'positive': 0})\n"
         "reviews = pd.concat([reviews, extra], ignore_index=True)",
         "t_tr, t_te, p_tr, p_te = train_test_split(reviews['text'], reviews['positive'])"],
        ("LEAK-OVERLAP", 2, 5)),
    "noisy-copies-of-rare-rows-before-the-split": (
        [IMPORTS, "vib = np.load('vibration_features.npy')\nfault = np.load('fault_labels.npy')\n"
         "rare = fault == 1\n"
         "jittered = vib[rare] + np.random.normal(0, 0.02, size=vib[rare].shape)\n"
         "vib_all = np.vstack([vib, jittered])\nfault_all = np.concatenate([fault, fault[rare]])",
         "v_tr, v_te, f_tr, f_te = train_test_split(vib_all, fault_all, random_state=0)"],
        ("LEAK-OVERLAP", 2, 4)),
    "label-encoder-refitted-on-the-test-file": (
        [IMPORTS + "\nfrom sklearn.preprocessing import LabelEncoder",
         "train = pd.read_csv('flats_train.csv')\ntest = pd.read_csv('flats_test.csv')",
         "enc = LabelEncoder()\ntrain['district'] = enc.fit_transform(train['district'])\n"
         "test['district'] = enc.fit_transform(test['district'])"],
        ("LEAK-FIT-ON-TEST", 3, 3)),
})
CLEAN.update({
    "independent-visits-sorted-by-date-then-split-at-random": [
        IMPORTS, "visits = pd.read_csv('er_visits.csv', parse_dates=['arrived'])\n"
        "visits = visits.sort_values('arrived').drop_duplicates('patient_id')\n"
        "inputs = visits[['triage_level', 'age', 'heart_rate']]\nadmitted = visits['admitted']",
        "i_tr, i_te, a_tr, a_te = train_test_split(inputs, admitted, stratify=admitted)\n"
        "LogisticRegression().fit(i_tr, a_tr).score(i_te, a_te)"],
    "ticket-subject-line-as-a-text-feature": [
        IMPORTS + "\nfrom sklearn.feature_extraction.text import TfidfVectorizer",
        "mail = pd.read_csv('helpdesk_mail.csv')\ntext = mail['subject'] + ' ' + mail['body']",
        "m_tr, m_te, q_tr, q_te = train_test_split(text, mail['team'], random_state=0)\n"
        "pipe = make_pipeline(TfidfVectorizer(), LogisticRegression())\n"
        "pipe.fit(m_tr, q_tr).score(m_te, q_te)"],
    "early-stopping-on-a-validation-quarter-test-quarter-apart": [
        LGB, CAFFE,
        "gbm = lgb.LGBMRegressor(n_estimators=3000)\n"
        "gbm.fit(train[cols], train['sales'], eval_set=[(valid[cols], valid['sales'])],\n"
        "        callbacks=[lgb.early_stopping(100)])\n"
        "gbm.score(test[cols], test['sales'])"],
    "per-dock-lags-split-chronologically": [
        IMPORTS_CV + "\nfrom sklearn.model_selection import TimeSeriesSplit", PINGS,
        "cross_val_score(RandomForestClassifier(), rides[['rides_prev', 'rides_prev_day']],\n"
        "                rides['rides'], cv=TimeSeriesSplit(n_splits=4))"],
    "minority-texts-augmented-after-the-split": [
        IMPORTS + "\nfrom textattack.augmentation import EasyDataAugmenter",
        REVIEWS + "\nt_tr, t_te, p_tr, p_te = train_test_split(reviews['text'], stars)",
        "eda = EasyDataAugmenter()\nmore = [eda.augment(t)[0] for t in t_tr[p_tr == 0]]\n"
        "t_tr = pd.concat([t_tr, pd.Series(more)])\n"
        "p_tr = pd.concat([p_tr, pd.Series([0] * len(more))])"],
    "label-encoder-fitted-on-train-applied-to-test": [
        IMPORTS + "\nfrom sklearn.preprocessing import LabelEncoder",
        "train = pd.read_csv('flats_train.csv')\ntest = pd.read_csv('flats_test.csv')",
        "enc = LabelEncoder().fit(train['district'])\n"
        "train['district'] = enc.transform(train['district'])\n"
        "test['district'] = enc.transform(test['district'])"],
})


LAPS = ("laps = pd.read_csv('kart_laps.csv')\n"
        "order = ['lap_time_prev', 'tyre_age', 'fuel_kg', 'track_temp', 'podium']\n"
        "grid = laps[order].to_numpy(dtype=float)\npodium = grid[:, -1]")
LEAKY.update({
    "numpy-delete-drops-a-feature-instead-of-the-label": (
        [IMPORTS, LAPS, "feats = np.delete(grid, 1, axis=1)\n"
         "g_tr, g_te, p_tr, p_te = train_test_split(feats, podium, random_state=4)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
})
CLEAN.update({
    "numpy-delete-drops-the-label-column": [
        IMPORTS, LAPS, "feats = np.delete(grid, -1, axis=1)\n"
        "g_tr, g_te, p_tr, p_te = train_test_split(feats, podium, random_state=4)"],
    "numpy-slice-keeps-all-but-the-label-column": [
        IMPORTS, LAPS, "feats = grid[:, :-1]\n"
        "g_tr, g_te, p_tr, p_te = train_test_split(feats, podium, random_state=4)"],
})


def test_validation_named_part_is_the_test_set_when_no_other_part_exists():
    codes = [LGB, CAFFE.rsplit("\n", 1)[0],
             "gbm = lgb.LGBMRegressor(n_estimators=3000)\n"
             "gbm.fit(train[cols], train['sales'], eval_set=[(valid[cols], valid['sales'])],"
             "\n        callbacks=[lgb.early_stopping(100)])\n"
             "gbm.score(valid[cols], valid['sales'])"]
    assert found(notebook(*codes)) == [("LEAK-MULTI-TEST", 3, 2)]


def test_per_entity_lags_are_grouped_not_temporal():
    codes, _ = LEAKY["per-participant-differences-split-at-random"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "groupby().diff() links the rows of each entity 'participant_id'" in finding.detail


def test_sorting_supports_but_does_not_decide_temporal_evidence():
    codes, _ = LEAKY["lag-features-made-by-assign-lambdas-then-shuffled"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "shift() builds features from neighbouring rows" in finding.detail
    assert "sort_values('day') orders the rows in time" in finding.detail


def test_label_left_in_names_the_later_narrowing():
    codes, _, *_ = LEAKY["drop-forgets-the-label-then-narrowed"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "re-derived at cell 3, line 3" in finding.detail


def test_overlap_on_the_features_line_names_the_labels_line():
    codes, _, *_ = LEAKY["stacked-augmented-features-with-doubled-labels"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "cell 3, line 2" in finding.detail and finding.evidence["variable"] == "feats"


# -- general patterns behind the corpus-F errors ------------------------------------------------
IMPORTS_F = IMPORTS + """
from sklearn.impute import SimpleImputer
from sklearn.decomposition import PCA
from sklearn.metrics import f1_score
from tensorflow import keras"""
PUMPS = ("hist = pd.read_csv('pumps_2019_2022.csv')\nrecent = pd.read_csv('pumps_2023.csv')\n"
         "cols = ['rpm', 'temp', 'pressure']\n"
         "imp = SimpleImputer(strategy='median').fit(hist[cols])\n"
         "rf = RandomForestClassifier().fit(imp.transform(hist[cols]), hist['failed'])")
SWEEP_FIT = (SPLIT + "\nmodel = LogisticRegression().fit(X_train, y_train)\n"
             "p = model.predict_proba(X_test)[:, 1]")
BOLTS = "bolts = pd.read_csv('bolt_torque.csv')"

LEAKY.update({
    # a label computed from one column: a mean of that column per group is a target encoding
    "label-binned-from-price-then-price-mean-per-district": (
        [IMPORTS_F, "homes = pd.read_csv('homes.csv')\n"
         "homes['pricey'] = (homes['price'] > 500000).astype(int)\n"
         "homes['district_price'] = homes.groupby('district')['price'].transform('mean')",
         "feats = homes[['sqm', 'rooms', 'district_price']]\n"
         "h_tr, h_te, p_tr, p_te = train_test_split(feats, homes['pricey'], random_state=0)\n"
         "LogisticRegression().fit(h_tr, p_tr).score(h_te, p_te)"],
        ("LEAK-PREPROCESSING", 2, 3)),
    # the file the model is scored on, imputed with its own statistics
    "evaluation-file-imputed-with-its-own-medians": (
        [IMPORTS_F, PUMPS, "X_recent = SimpleImputer(strategy='median').fit_transform("
         "recent[cols])\nf1_score(recent['failed'], rf.predict(X_recent))"],
        ("LEAK-FIT-ON-TEST", 3, 1)),
    # the file name says test; the variable name does not
    "keras-best-weights-restored-on-the-test-file": (
        [IMPORTS_F, "calls = pd.read_csv('calls_train.csv')\n"
         "held = pd.read_csv('calls_test.csv')\ncols = ['dur', 'hour', 'retries']",
         "net = keras.Sequential([keras.layers.Dense(16, activation='relu'),\n"
         "                          keras.layers.Dense(1, activation='sigmoid')])\n"
         "net.compile(optimizer='adam', loss='binary_crossentropy')\n"
         "stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)\n"
         "net.fit(calls[cols].to_numpy(), calls['dropped'], epochs=40,\n"
         "        validation_data=(held[cols].to_numpy(), held['dropped']), callbacks=[stop])"],
        ("LEAK-MULTI-TEST", 3, 5)),
    "decision-threshold-swept-on-test-predictions": (
        [IMPORTS_F, LOAD, SWEEP_FIT,
         "cuts = np.arange(0.05, 0.95, 0.05)\nby_cut = {}\nfor c in cuts:\n"
         "    by_cut[c] = f1_score(y_test, (p >= c).astype(int))\n"
         "best = max(by_cut, key=by_cut.get)"],
        ("LEAK-MULTI-TEST", 4, 4)),
    "sliding-windows-of-one-series-split-at-random": (
        [IMPORTS_F, "flow = pd.read_csv('pipe_flow.csv')['rate'].to_numpy()\nlag = 24\n"
         "X = np.array([flow[t - lag:t] for t in range(lag, len(flow))])\ny = flow[lag:] > 5",
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "positional-slice-runs-to-the-last-column": (
        [IMPORTS_F, BOLTS, "X = bolts.iloc[:, 2:].values\ny = bolts.iloc[:, -1].values\n"
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=3)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    # a file named like a test, with no training file beside it, is just the data
    "lab-results-file-scaled-before-the-split": (
        [IMPORTS_F, "labs = pd.read_csv('blood_test.csv')\n"
         "vals = StandardScaler().fit_transform(labs[['hb', 'wbc', 'plt']])\n"
         "v_tr, v_te, a_tr, a_te = train_test_split(vals, labs['anaemic'], random_state=0)"],
        ("LEAK-PREPROCESSING", 2, 2)),
    "riders-counted-beside-trips-then-random-split": (
        [IMPORTS_F, "trips = pd.read_csv('trips.csv')\n"
         "print(trips['rider_id'].nunique(), 'riders', len(trips), 'trips')",
         "feats = trips[['km', 'hour']]\n"
         "f_tr, f_te, t_tr, t_te = train_test_split(feats, trips['tipped'])"],
        ("LEAK-GROUP-SPLIT", 3, 2)),
})

CLEAN.update({
    # ``dev`` beside ``hold`` is the development (training) side of a backtest
    "development-part-beside-a-holdout-part": [
        IMPORTS_F, "sales = pd.read_csv('kiosk.csv')\ndev = sales[sales.week < 40]\n"
        "hold = sales[sales.week >= 40]",
        "rf = RandomForestClassifier().fit(dev[['price', 'promo']], dev['sold_out'])\n"
        "rf.score(hold[['price', 'promo']], hold['sold_out'])"],
    # the encoder is fitted only when none is passed in: on the training file
    "encoder-fitted-in-helper-only-when-none-given": [
        IMPORTS_F, "def encode(frame, ohe=None):\n    if ohe is None:\n"
        "        ohe = OneHotEncoder(handle_unknown='ignore').fit(frame[['city']])\n"
        "    return ohe.transform(frame[['city']]), ohe",
        "train = pd.read_csv('flats_train.csv')\ntest = pd.read_csv('flats_test.csv')\n"
        "A_tr, ohe = encode(train)\nA_te, _ = encode(test, ohe)\n"
        "m = LogisticRegression().fit(A_tr, train['let'])\nm.score(A_te, test['let'])"],
    # a PCA fitted on one cohort and applied to the held-out cohort saw none of its rows
    "pca-fitted-on-the-reference-cohort-only": [
        IMPORTS_F, "ref = pd.read_csv('site_a.csv')\nval = pd.read_csv('site_b.csv')\n"
        "genes = ['g1', 'g2', 'g3', 'g4']\npca = PCA(n_components=2).fit(ref[genes])\n"
        "clf = LogisticRegression().fit(pca.transform(ref[genes]), ref['dx'])\n"
        "clf.score(pca.transform(val[genes]), val['dx'])"],
    "evaluation-file-imputed-with-the-training-medians": [
        IMPORTS_F, PUMPS, "X_recent = imp.transform(recent[cols])\n"
        "f1_score(recent['failed'], rf.predict(X_recent))"],
    "per-class-scores-in-a-loop-over-classes": [
        IMPORTS_F, LOAD, SWEEP_FIT + "\npred = model.predict(X_test)",
        "for k in [0, 1]:\n    print(k, f1_score(y_test == k, pred == k))"],
    "decision-threshold-swept-on-a-validation-part": [
        IMPORTS_F, LOAD, SPLIT + "\nX_fit, X_val, y_fit, y_val = train_test_split(X_train, "
        "y_train, random_state=1)\nmodel = LogisticRegression().fit(X_fit, y_fit)\n"
        "p = model.predict_proba(X_val)[:, 1]",
        "by_cut = {c: f1_score(y_val, p >= c) for c in np.arange(0.1, 0.9, 0.1)}"],
    "sliding-windows-split-in-time-order": [
        IMPORTS_F, "flow = pd.read_csv('pipe_flow.csv')['rate'].to_numpy()\nlag = 24\n"
        "X = np.array([flow[t - lag:t] for t in range(lag, len(flow))])\ny = flow[lag:] > 5",
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, shuffle=False)"],
    "positional-slice-stops-before-the-last-column": [
        IMPORTS_F, BOLTS, "X = bolts.iloc[:, 2:-1].values\ny = bolts.iloc[:, -1].values\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=3)"],
    "positional-features-beside-a-label-by-name": [
        IMPORTS_F, BOLTS, "X = bolts.iloc[:, 1:]\ny = bolts['torque']\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=3)"],
    # chunks of a fixed step are batches, not overlapping windows
    "batches-cut-by-a-stepped-range-then-shuffled-folds": [
        IMPORTS_F + "\nfrom sklearn.model_selection import KFold",
        "sig = np.load('sig.npy')\nlabels = np.load('labels.npy')\n"
        "batches = [sig[i:i + 100] for i in range(0, len(sig), 100)]",
        "cross_val_score(LogisticRegression(), sig, labels, cv=KFold(5, shuffle=True))"],
    "customers-counted-beside-rows-then-random-split": [
        IMPORTS_F, "accounts = pd.read_csv('accounts.csv')\n"
        "print(accounts['customer_id'].nunique(), len(accounts))",
        "feats = accounts[['tenure', 'spend']]\n"
        "f_tr, f_te, c_tr, c_te = train_test_split(feats, accounts['churned'])"],
})

# -- corpus-G round: stacked fits, per-period totals, validation early stopping, boosting
# stages, augmented lists, entities shown by their row numbers or by a one-entity label
IMPORTS_G = IMPORTS + """
from sklearn.decomposition import PCA
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, GroupKFold
from sklearn.metrics import log_loss, roc_auc_score
from tensorflow import keras"""
TILES = ("tiles_tr = np.load('tile_emb_train.npy')\ntiles_te = np.load('tile_emb_test.npy')\n"
         "lab_tr = np.load('tile_lab_train.npy')\nlab_te = np.load('tile_lab_test.npy')")
NET = ("net = keras.Sequential([keras.layers.Dense(32, activation='relu'),\n"
       "                          keras.layers.Dense(1, activation='sigmoid')])\n"
       "net.compile('adam', 'binary_crossentropy')")
GAIT = ("gait = pd.read_csv('gait_steps.csv')\n"
        "gait['cum_dist'] = gait.sort_values('step').groupby('learner_id').dist.cumsum()\n"
        "G = gait[['cadence', 'cum_dist', 'sway']].to_numpy()\ng_y = gait['fell'].to_numpy()")
CHIRPS = ("def mfcc_mean(wave):\n    return np.mean(librosa.feature.mfcc(y=wave).T, axis=0)\n\n"
          "def hiss(wave):\n    return wave + 0.01 * np.random.randn(len(wave))")
LEAKY.update({
    # a statistic of train and test rows stacked together: preprocessing, not fit-on-test
    "pca-on-stacked-train-and-test-embeddings": (
        [IMPORTS_G, TILES, "both = np.vstack([tiles_tr, tiles_te])\npca = PCA(n_components=16)\n"
         "pca.fit(both)\nclf = LogisticRegression().fit(pca.transform(tiles_tr), lab_tr)\n"
         "clf.score(pca.transform(tiles_te), lab_te)"],
        ("LEAK-PREPROCESSING", 3, 3)),
    "mean-of-stacked-frames-centres-both": (
        [IMPORTS_G, "tr = pd.read_csv('rides_train.csv')\nte = pd.read_csv('rides_test.csv')",
         "mu = pd.concat([tr, te])['fare'].mean()\n"
         "tr['fare_c'] = tr['fare'] - mu\nte['fare_c'] = te['fare'] - mu"],
        ("LEAK-PREPROCESSING", 3, 1)),
    # early stopping watches a second recording session, and the model is scored on it
    "best-epoch-kept-on-the-session-it-is-scored-on": (
        [IMPORTS_G, "a_x = np.load('day1_x.npy'); a_y = np.load('day1_y.npy')\n"
         "b_x = np.load('day2_x.npy'); b_y = np.load('day2_y.npy')", NET,
         "stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)\n"
         "net.fit(a_x, a_y, epochs=100, validation_data=(b_x, b_y), callbacks=[stop])\n"
         "print(net.evaluate(b_x, b_y))"],
        ("LEAK-MULTI-TEST", 4, 2)),
    # a short validation name is still the only held-out part: still the test set
    "early-stopping-on-xval-with-no-other-held-out-part": (
        [IMPORTS_G, "a_x = np.load('day1_x.npy'); a_y = np.load('day1_y.npy')\n"
         "Xtr, Xval, ytr, yval = train_test_split(a_x, a_y, random_state=0)", NET,
         "stop = keras.callbacks.EarlyStopping(patience=5)\n"
         "net.fit(Xtr, ytr, validation_data=(Xval, yval), callbacks=[stop])\n"
         "print(net.evaluate(Xval, yval))"],
        ("LEAK-MULTI-TEST", 4, 2)),
    "boosting-stages-picked-on-the-test-split": (
        [IMPORTS_G, LOAD, SPLIT, "gb = GradientBoostingClassifier(n_estimators=800)\n"
         "gb.fit(X_train, y_train)\n"
         "losses = [log_loss(y_test, p) for p in gb.staged_predict_proba(X_test)]\n"
         "n_stages = int(np.argmin(losses)) + 1"],
        ("LEAK-MULTI-TEST", 4, 3)),
    # a list that takes each recording and a noisy copy of it, split afterwards
    "noisy-copies-appended-to-the-feature-list": (
        [IMPORTS_G + "\nimport librosa", CHIRPS,
         "calls = pd.read_csv('bird_calls.csv')\nfeats, species = [], []\n"
         "for path, sp in zip(calls.path, calls.species):\n    wave, _ = librosa.load(path)\n"
         "    feats.append(mfcc_mean(wave))\n    feats += [mfcc_mean(hiss(wave))]\n"
         "    species += [sp, sp]\nfeats = np.array(feats)",
         "f_tr, f_te, s_tr, s_te = train_test_split(feats, species, random_state=0)"],
        ("LEAK-OVERLAP", 3, 6)),
    # a learner's running total over their own steps: rows repeat the learner
    "learner-running-totals-in-shuffled-folds": (
        [IMPORTS_G, GAIT, "skf = StratifiedKFold(n_splits=4, shuffle=True, random_state=1)\n"
         "for tr, te in skf.split(G, g_y):\n"
         "    m = LogisticRegression().fit(G[tr], g_y[tr])\n"
         "    print(roc_auc_score(g_y[te], m.predict_proba(G[te])[:, 1]))"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    # the row number within each subject is dropped beside the subject: rows repeat it
    "subject-and-window-number-dropped-then-random-split": (
        [IMPORTS_G, "win = pd.read_parquet('tremor_windows.parquet')\n"
         "X = win.drop(columns=['subject', 'window_idx', 'tremor'])\ny = win['tremor']",
         SPLIT + "\n" + FIT_EVAL],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    # genuine-vs-impostor: the label picks one entity's rows out of many entities' rows
    "one-user-against-the-rest-split-at-random": (
        [IMPORTS_G, "taps = pd.read_csv('swipe_sessions.csv')\n"
         "taps['owner'] = (taps.user == 'u017').astype(int)",
         "X = taps[['speed', 'pressure', 'angle']]\ny = taps['owner']\n" + SPLIT],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    # ``X, y = data, data[:, -1]``: the line that builds X from the whole array
    "whole-array-handed-to-x-beside-its-last-column": (
        [IMPORTS_G, "cars = pd.read_csv('used_cars.csv')\n"
         "arr = cars[['km', 'age', 'power', 'price']].to_numpy()",
         "X, y = arr, arr[:, -1]\n" + SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
})
CLEAN.update({
    # daily totals are one row per day; the split is a date cut-off: nothing crosses it
    "daily-totals-with-lags-then-a-date-cutoff": [
        IMPORTS_G, "rent = pd.read_csv('bike_rentals.csv', parse_dates=['date'])"
        ".sort_values('date')\n"
        "rent = rent.groupby('date', as_index=False)['rentals'].sum()\n"
        "rent['lag1'] = rent['rentals'].shift(1)\nrent = rent.dropna().reset_index(drop=True)",
        "cut = rent['date'].max() - pd.Timedelta(days=30)\n"
        "train = rent[rent['date'] <= cut]\ntest = rent[rent['date'] > cut]\n"
        "m = RandomForestClassifier().fit(train[['lag1']], train['rentals'])\n"
        "m.score(test[['lag1']], test['rentals'])"],
    "hourly-resampled-counts-then-a-season-holdout": [
        IMPORTS_G, "gate = pd.read_csv('gate_counts.csv', parse_dates=['ts'])\n"
        "hourly = gate.set_index('ts').sort_index().resample('h')['entries'].sum()"
        ".to_frame('n')\nhourly['lag24'] = hourly['n'].shift(24)\nhourly = hourly.dropna()",
        "train = hourly.loc[:'2023-12-31']\ntest = hourly.loc['2024-01-01':]\n"
        "m = RandomForestClassifier().fit(train[['lag24']], train['n'])\n"
        "m.score(test[['lag24']], test['n'])"],
    # stopping on a validation slice, then scored once on a separate session file
    "early-stopping-on-xval-then-a-separate-test-session": [
        IMPORTS_G, "a_x = np.load('day1_x.npy'); a_y = np.load('day1_y.npy')\n"
        "b_x = np.load('day2_x.npy'); b_y = np.load('day2_y.npy')\n"
        "Xtr, Xval, ytr, yval = train_test_split(a_x, a_y, random_state=0)", NET,
        "stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)\n"
        "net.fit(Xtr, ytr, validation_data=(Xval, yval), callbacks=[stop])\n"
        "print(net.evaluate(b_x, b_y))"],
    "boosting-stages-picked-on-a-validation-split-of-the-training-rows": [
        IMPORTS_G, LOAD, SPLIT, "X_fit, X_val, y_fit, y_val = train_test_split(X_train, "
        "y_train, random_state=1)\ngb = GradientBoostingClassifier(n_estimators=800)\n"
        "gb.fit(X_fit, y_fit)\n"
        "losses = [log_loss(y_val, p) for p in gb.staged_predict_proba(X_val)]\n"
        "gb.score(X_test, y_test)"],
    "recordings-listed-once-each-without-copies": [
        IMPORTS_G + "\nimport librosa", CHIRPS,
        "calls = pd.read_csv('bird_calls.csv')\nfeats, species = [], []\n"
        "for path, sp in zip(calls.path, calls.species):\n    wave, _ = librosa.load(path)\n"
        "    feats += [mfcc_mean(wave)]\n    species += [sp]\nfeats = np.array(feats)",
        "f_tr, f_te, s_tr, s_te = train_test_split(feats, species, random_state=0)"],
    "learner-running-totals-in-group-folds": [
        IMPORTS_G, GAIT + "\nwho = gait['learner_id']",
        "for tr, te in GroupKFold(n_splits=4).split(G, g_y, groups=who):\n"
        "    m = LogisticRegression().fit(G[tr], g_y[tr])\n"
        "    print(roc_auc_score(g_y[te], m.predict_proba(G[te])[:, 1]))"],
    # an e-mail subject line dropped with the send time: no row numbers of an entity
    "subject-line-and-timestamp-dropped-then-random-split": [
        IMPORTS_G, "mail = pd.read_csv('mail_meta.csv')\n"
        "X = mail.drop(columns=['subject', 'sent_at', 'spam'])\ny = mail['spam']",
        SPLIT + "\n" + FIT_EVAL],
    "label-picks-a-plan-not-an-entity": [
        IMPORTS_G, "subs = pd.read_csv('subscriptions.csv')\n"
        "subs['premium'] = (subs.plan == 'gold').astype(int)",
        "X = subs[['months', 'spend', 'logins']]\ny = subs['premium']\n" + SPLIT],
    "whole-array-sliced-without-its-last-column": [
        IMPORTS_G, "cars = pd.read_csv('used_cars.csv')\n"
        "arr = cars[['km', 'age', 'power', 'price']].to_numpy()",
        "X, y = arr[:, :-1], arr[:, -1]\n" + SPLIT],
})


# -- corpus-H patterns (issue 3): entity-period tables, copies made on their own line, rows
# repeated through list arithmetic, a label kept through set_index ------------------------------
IMPORTS_H = IMPORTS + "\nfrom sklearn.model_selection import GroupShuffleSplit"
WEIGHINGS = "scale = pd.read_csv('pig_scale_visits.csv')"
SPECTRA = """\
spec = np.load('leaf_scans.npy')
disease = np.load('leaf_labels.npy')
scarce = disease == 'rust'"""
TICKETS = """\
import random


def shuffle_words(text):
    words = text.split()
    random.shuffle(words)
    return ' '.join(words)"""
LEAKY.update({
    "per-animal-weekly-table-split-at-random": (
        [IMPORTS_H, WEIGHINGS + "\nweekly = scale.groupby(['pig_id', 'week_on_farm'], "
         "as_index=False)"
         ".agg(gain=('weight_kg', 'max'), feed=('feed_kg', 'sum'))",
         "X = weekly[['week_on_farm', 'feed']]\ny = weekly['gain']\n"
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=3)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
    "flipped-and-rotated-copies-made-on-their-own-line": (
        [IMPORTS_H, SPECTRA + "\nextra = np.concatenate([np.fliplr(spec[scarce]), "
         "np.rot90(spec[scarce], k=2)])\nextra_y = np.concatenate([disease[scarce], "
         "disease[scarce]])\nspec = np.vstack([spec, extra])\n"
         "disease = np.concatenate([disease, extra_y])",
         "flat = spec.reshape(len(spec), -1)\n"
         "f_tr, f_te, d_tr, d_te = train_test_split(flat, disease, random_state=0)"],
        ("LEAK-OVERLAP", 2, 4)),
    "randomised-rewrite-helper-mapped-before-the-split": (
        [IMPORTS_H, TICKETS, "tickets = pd.read_csv('tickets.csv')\n"
         "noisy = tickets.assign(body=tickets['body'].map(shuffle_words))\n"
         "both = pd.concat([tickets, noisy], ignore_index=True)",
         "tr, te = train_test_split(both, test_size=0.25, random_state=0)"],
        ("LEAK-OVERLAP", 3, 2)),
    "positives-repeated-by-list-arithmetic-before-cv": (
        [IMPORTS_H, "claims = pd.read_csv('claims.csv')\nfraud = claims[claims.fraud == 1]\n"
         "claims_up = pd.concat([claims] + [fraud] * 12, ignore_index=True)",
         "X = claims_up.drop(columns=['fraud'])\ny = claims_up['fraud']\n"
         "print(cross_val_score(RandomForestClassifier(), X, y, cv=5).mean())"],
        ("LEAK-OVERLAP", 2, 3)),
    "per-device-label-table-merged-onto-readings": (
        [IMPORTS_H, "reads = pd.read_csv('thermostat_readings.csv')\n"
         "reads = reads.merge(pd.read_csv('device_faults.csv'), on='device_id')\n"
         "cols = ['temp_c', 'duty_cycle', 'hour']",
         "tr, te = train_test_split(reads, test_size=0.2, random_state=5)\n"
         "m = RandomForestClassifier().fit(tr[cols], tr['faulty'])\n"
         "m.score(te[cols], te['faulty'])"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "label-made-numeric-kept-through-set-index": (
        [IMPORTS_H, "subs = pd.read_csv('subscriptions.csv')\n"
         "subs['cancelled'] = (subs['cancelled'] == 'Y').astype(int)\n"
         "subs = subs.set_index('account_no')",
         "numeric = subs.select_dtypes('number').columns\nX = subs[numeric]\n"
         "y = subs['cancelled']\n" + SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 3, 2)),
})
CLEAN.update({
    "per-animal-weekly-table-split-by-animal": [
        IMPORTS_H, WEIGHINGS + "\nweekly = scale.groupby(['pig_id', 'week_on_farm'], "
        "as_index=False)"
        ".agg(gain=('weight_kg', 'max'), feed=('feed_kg', 'sum'))",
        "X = weekly[['week_on_farm', 'feed']]\ny = weekly['gain']\n"
        "gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=3)\n"
        "tr, te = next(gss.split(X, y, groups=weekly['pig_id']))"],
    "stores-by-calendar-week-are-a-panel-not-entities": [
        IMPORTS_H, "sales = pd.read_csv('till_rolls.csv')\n"
        "weekly = sales.groupby(['store_id', 'week'], as_index=False)"
        ".agg(units=('units', 'sum'), promo=('promo', 'max'))",
        "X = weekly[['promo']]\ny = weekly['units']\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=3)"],
    "device-table-merged-with-its-labels": [
        IMPORTS_H, "units = pd.read_csv('devices.csv')\n"
        "units = units.merge(pd.read_csv('device_faults.csv'), on='device_id')\n"
        "cols = ['age_months', 'firmware_major']",
        "tr, te = train_test_split(units, test_size=0.2, random_state=5)\n"
        "m = RandomForestClassifier().fit(tr[cols], tr['faulty'])\n"
        "m.score(te[cols], te['faulty'])"],
    "per-device-label-table-merged-onto-readings-split-by-device": [
        IMPORTS_H, "reads = pd.read_csv('thermostat_readings.csv')\n"
        "reads = reads.merge(pd.read_csv('device_faults.csv'), on='device_id')\n"
        "cols = ['temp_c', 'duty_cycle', 'hour']",
        "gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=5)\n"
        "tr_idx, te_idx = next(gss.split(reads, groups=reads['device_id']))\n"
        "tr, te = reads.iloc[tr_idx], reads.iloc[te_idx]\n"
        "m = RandomForestClassifier().fit(tr[cols], tr['faulty'])\n"
        "m.score(te[cols], te['faulty'])"],
    "per-customer-table-grouped-with-an-attribute": [
        IMPORTS_H, "orders = pd.read_csv('orders.csv')\n"
        "buyers = orders.groupby(['customer_id', 'country'], as_index=False)"
        ".agg(spend=('amount', 'sum'), n=('order_id', 'count'), vip=('vip', 'max'))",
        "X = buyers[['spend', 'n']]\ny = buyers['vip']\n" + SPLIT],
    "flipped-copies-of-training-images-only": [
        IMPORTS_H, SPECTRA,
        "s_tr, s_te, d_tr, d_te = train_test_split(spec, disease, random_state=0)\n"
        "few = d_tr == 'rust'\n"
        "extra = np.concatenate([np.fliplr(s_tr[few]), np.rot90(s_tr[few], k=2)])\n"
        "s_tr = np.vstack([s_tr, extra])\n"
        "d_tr = np.concatenate([d_tr, d_tr[few], d_tr[few]])"],
    "randomised-rewrite-of-the-training-part-only": [
        IMPORTS_H, TICKETS, "tickets = pd.read_csv('tickets.csv')\n"
        "tr, te = train_test_split(tickets, test_size=0.25, random_state=0)\n"
        "noisy = tr.assign(body=tr['body'].map(shuffle_words))\n"
        "tr = pd.concat([tr, noisy], ignore_index=True)"],
    "fixed-recoding-helper-mapped-before-the-split": [
        IMPORTS_H, "def tidy(text):\n    return ' '.join(text.lower().split())",
        "tickets = pd.read_csv('tickets.csv')\n"
        "tickets = tickets.assign(body=tickets['body'].map(tidy))",
        "tr, te = train_test_split(tickets, test_size=0.25, random_state=0)"],
    "positives-repeated-by-list-arithmetic-in-training-only": [
        IMPORTS_H, "claims = pd.read_csv('claims.csv')\n"
        "tr, te = train_test_split(claims, stratify=claims['fraud'], random_state=0)\n"
        "up = pd.concat([tr] + [tr[tr.fraud == 1]] * 12, ignore_index=True)\n"
        "m = RandomForestClassifier().fit(up.drop(columns=['fraud']), up['fraud'])\n"
        "m.score(te.drop(columns=['fraud']), te['fraud'])"],
    "label-made-numeric-dropped-after-set-index": [
        IMPORTS_H, "subs = pd.read_csv('subscriptions.csv')\n"
        "subs['cancelled'] = (subs['cancelled'] == 'Y').astype(int)\n"
        "subs = subs.set_index('account_no')",
        "X = subs.select_dtypes('number').drop(columns=['cancelled'])\n"
        "y = subs['cancelled']\n" + SPLIT],
})


# -- corpus-I patterns (issue 3): per-period tables, lags read from file, labels computed from
# their row's columns, ``next(splitter.split(...))`` folds, entity-grouped splits of series ------
IMPORTS_I = IMPORTS + """
from sklearn.model_selection import GroupShuffleSplit, KFold, TimeSeriesSplit
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import roc_auc_score"""
METERS = """\
meters = pd.read_csv("meter_reads.csv", parse_dates=["date"])
daily = meters.groupby("date").agg(kwh=("kwh", "sum"), temp=("temp_c", "mean"))"""
GAUGE = """\
river = pd.read_csv("river_gauge.csv", parse_dates=["ts"]).sort_values("ts")
cols = ["level_lag1", "level_lag3", "rain_lag2", "upstream_flow"]"""
LOANS = """\
loans = pd.read_csv("loans.csv")
loans["default"] = np.where((loans.days_past_due > 90) | (loans["charged_off"] == 1), 1, 0)"""
PUMPS = """\
pumps = pd.read_csv("pump_daily.csv").sort_values(["pump_id", "day"])
pumps["vib_roll7"] = pumps.groupby("pump_id")["vibration"].transform(
    lambda s: s.rolling(7, min_periods=1).mean())
cols = ["vib_roll7", "pressure", "flow"]"""
PUMP_SPLIT = """\
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
tr_idx, te_idx = next(gss.split(pumps, groups=pumps["{groups}"]))
tr, te = pumps.iloc[tr_idx], pumps.iloc[te_idx]"""
LOTS = """\
lots = pd.read_csv("auction_lots.csv")
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
tr_idx, te_idx = next(gss.split(lots, groups=lots["auction_id"]))"""
LOTS_FIT = """\
tr, te = lots.iloc[tr_idx].copy(), lots.iloc[te_idx].copy()
feats = ["seller_rate", "reserve", "photos"]
m = LogisticRegression(max_iter=500).fit(tr[feats], tr["sold"])
roc_auc_score(te["sold"], m.predict_proba(te[feats])[:, 1])"""

SESSION_X = "X = sessions[['minutes', 'screens', 'crashes', 'hour']]"

LEAKY.update({
    "daily-totals-with-lags-and-next-day-target-split-at-random": (
        [IMPORTS_I, METERS + "\ndaily['kwh_prev'] = daily['kwh'].shift(1)\n"
         "daily['next_kwh'] = daily['kwh'].shift(-1)\ndaily = daily.dropna()",
         "X, y = daily[['kwh_prev', 'temp']], daily['next_kwh']\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 2)),
    "lag-columns-of-a-sorted-series-in-shuffled-folds": (
        [IMPORTS_I, GAUGE,
         "folds = KFold(n_splits=5, shuffle=True, random_state=0)\n"
         "cross_val_score(RandomForestRegressor(), river[cols], river['level_next'], cv=folds)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "label-computed-from-columns-that-stay-in-x": (
        [IMPORTS_I, LOANS,
         "X = loans.drop(columns=['default', 'loan_id'])\ny = loans['default']\n" + SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "label-by-gt-on-a-count-kept-in-x": (
        [IMPORTS_I, "tickets = pd.read_csv('tickets.csv')\n"
         "y = tickets['reopen_count'].gt(0).astype(int)",
         "X = tickets.drop(columns=['ticket_no'])\n" + SPLIT],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "series-split-by-week-groups-still-random-in-time": (
        [IMPORTS_I, PUMPS, PUMP_SPLIT.format(groups="week")],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "models-ranked-on-the-first-fold-of-a-group-split": (
        [IMPORTS_I, PUMPS, PUMP_SPLIT.format(groups="pump_id"),
         "auc = {}\nfor name, m in [('lr', LogisticRegression()), "
         "('rf', RandomForestClassifier())]:\n"
         "    m.fit(tr[cols], tr['failed'])\n"
         "    proba = m.predict_proba(te[cols])[:, 1]\n"
         "    auc[name] = roc_auc_score(te['failed'], proba)"],
        ("LEAK-MULTI-TEST", 4, 5)),
    "seller-rate-from-all-lots-after-the-split-run-out-of-order": (
        [IMPORTS_I, LOTS,
         "seller_rate = lots.groupby('seller')['sold'].mean()\n"
         "lots['seller_rate'] = lots['seller'].map(seller_rate)", LOTS_FIT],
        ("LEAK-PREPROCESSING", 3, 1), [1, 2, 4, 5]),
    "per-user-outcome-on-session-rows-in-shuffled-folds": (
        [IMPORTS_I, "sessions = pd.read_csv('app_sessions.csv')\n" + SESSION_X
         + "\ny = sessions['churn_next_month']",
         "kf = KFold(n_splits=5, shuffle=True, random_state=0)\n"
         "cross_val_score(RandomForestClassifier(), X, y, cv=kf, scoring='roc_auc')"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
})
CLEAN.update({
    "daily-totals-without-lags-split-at-random": [
        IMPORTS_I, METERS,
        "X, y = daily[['temp']], daily['kwh']\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)"],
    "daily-totals-with-lags-split-in-time-order": [
        IMPORTS_I, METERS + "\ndaily['kwh_prev'] = daily['kwh'].shift(1)\n"
        "daily['next_kwh'] = daily['kwh'].shift(-1)\ndaily = daily.dropna()",
        "X, y = daily[['kwh_prev', 'temp', 'kwh']], daily['next_kwh']\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)"],
    "lag-columns-of-a-sorted-series-in-time-series-folds": [
        IMPORTS_I, GAUGE, "folds = TimeSeriesSplit(n_splits=5)\n"
        "cross_val_score(RandomForestRegressor(), river[cols], river['level_next'], cv=folds)"],
    "reporting-delay-column-of-a-sorted-table-split-at-random": [
        IMPORTS_I, "claims = pd.read_csv('claims.csv').sort_values('filed_date')\n"
        "X = claims[['amount', 'reporting_lag_days', 'prior_claims']]\ny = claims['fraud']",
        SPLIT + "\n" + FIT_EVAL],
    "label-computed-from-columns-that-are-dropped": [
        IMPORTS_I, LOANS,
        "X = loans.drop(columns=['default', 'loan_id', 'days_past_due', 'charged_off'])\n"
        "y = loans['default']\n" + SPLIT],
    "label-rate-computed-in-a-table-later-resampled": [
        IMPORTS_I, "raw = pd.read_csv('lot_counts.csv', parse_dates=['ts'])\n"
        "raw['rate'] = raw['cars'] / raw['spaces']\n"
        "hourly = raw.set_index('ts').resample('h')['rate'].mean().reset_index()\n"
        "hourly['hour'] = hourly['ts'].dt.hour",
        "feats = [c for c in hourly.columns if c not in ('ts', 'rate')]\n"
        "X, y = hourly[feats], hourly['rate']\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)"],
    "series-of-machines-split-by-machine-groups": [
        IMPORTS_I, PUMPS, PUMP_SPLIT.format(groups="pump_id") + "\n"
        "m = RandomForestClassifier().fit(tr[cols], tr['failed'])\n"
        "roc_auc_score(te['failed'], m.predict_proba(te[cols])[:, 1])"],
    "seller-rate-from-the-training-lots-only": [
        IMPORTS_I, LOTS, "tr, te = lots.iloc[tr_idx].copy(), lots.iloc[te_idx].copy()\n"
        "seller_rate = tr.groupby('seller')['sold'].mean()\n"
        "tr['seller_rate'] = tr['seller'].map(seller_rate)\n"
        "te['seller_rate'] = te['seller'].map(seller_rate)\n"
        "feats = ['seller_rate', 'reserve', 'photos']\n"
        "m = LogisticRegression(max_iter=500).fit(tr[feats], tr['sold'])\n"
        "roc_auc_score(te['sold'], m.predict_proba(te[feats])[:, 1])"],
    "session-level-label-on-session-rows-in-shuffled-folds": [
        IMPORTS_I, "sessions = pd.read_csv('app_sessions.csv')\n" + SESSION_X
        + "\ny = sessions['purchased']",
        "kf = KFold(n_splits=5, shuffle=True, random_state=0)\n"
        "cross_val_score(RandomForestClassifier(), X, y, cv=kf, scoring='roc_auc')"],
    "per-user-outcome-on-a-table-of-users-in-shuffled-folds": [
        IMPORTS_I, "sessions = pd.read_csv('app_users.csv')\n" + SESSION_X
        + "\ny = sessions['churn_next_month']",
        "kf = KFold(n_splits=5, shuffle=True, random_state=0)\n"
        "cross_val_score(RandomForestClassifier(), X, y, cv=kf, scoring='roc_auc')"],
    "yes-no-app-user-attribute-among-the-features": [
        IMPORTS_I, "members = pd.read_csv('gym_members.csv')\n"
        "X = members[['age', 'visits_per_week', 'app_user', 'tenure_months']]\n"
        "y = members['cancelled']", SPLIT + "\n" + FIT_EVAL],
})


# -- corpus J round: derived rows, own clocks, owned event tables, out-of-order feature lists --
IMPORTS_J = IMPORTS + """
from pathlib import Path
from PIL import Image
import librosa
from sklearn.model_selection import GroupKFold, ShuffleSplit
from sklearn.ensemble import ExtraTreesRegressor"""
LEAVES = """\
files = sorted(Path("leaves").glob("*/*.jpg"))
pics = np.stack([np.asarray(Image.open(f).resize((64, 64))) / 255.0 for f in files])
blight = np.array([f.parent.name == "blight" for f in files], dtype=int)"""
MIRROR = """\
def mirror(stack):
    upside = stack[:, ::-1, :, :]
    turned = np.rot90(stack, k=2, axes=(1, 2))
    return np.concatenate([upside, turned])"""
CALLS = """\
calls = np.load("owl_calls.npy")
species = np.load("owl_species.npy")
def summary(sig):
    spec = librosa.feature.melspectrogram(y=sig, sr=22050, n_mels=32)
    return np.concatenate([spec.mean(axis=1), spec.max(axis=1)])"""
SHAKES = """\
shakes = pd.read_csv("milk_shake_ferments.csv", parse_dates=["at"])
shakes = shakes.sort_values(["lot", "at"])
shakes["elapsed_h"] = shakes.groupby("lot")["at"].transform(
    lambda s: (s - s.min()).dt.total_seconds() / 3600)
shakes["ph_step"] = shakes.groupby("lot")["ph"].diff(3)
shakes = shakes.dropna()
X = shakes[["elapsed_h", "ph", "ph_step", "temp"]]
y = shakes["viscosity_end"]"""
LOGINS = """\
logins = pd.read_parquet("student_logins.parquet")
cols = ["minutes", "pages", "quiz_tries", "hour"]"""
LEAKY.update({
    "flipped-copies-made-by-a-helper-stacked-before-the-split": (
        [IMPORTS_J, LEAVES, MIRROR + "\n\nall_pics = np.concatenate([pics, mirror(pics)])\n"
         "all_blight = np.concatenate([blight, blight, blight])",
         "P_tr, P_te, b_tr, b_te = train_test_split(all_pics, all_blight, test_size=0.25)"],
        ("LEAK-OVERLAP", 3, 6)),
    "stretched-copies-from-a-comprehension-listed-beside-the-originals": (
        [IMPORTS_J, CALLS,
         "slow = [librosa.effects.time_stretch(c, rate=0.9) for c in calls]\n"
         "pool = list(calls) + slow\n"
         "kinds = np.concatenate([species, species])\n"
         "F = np.array([summary(c) for c in pool])",
         "F_tr, F_te, k_tr, k_te = train_test_split(F, kinds, test_size=0.2, random_state=1)\n"
         "svm = make_pipeline(StandardScaler(), LogisticRegression()).fit(F_tr, k_tr)\n"
         "svm.score(F_te, k_te)"],
        ("LEAK-OVERLAP", 3, 1)),
    "feature-list-with-the-label-rebound-by-a-cell-run-last": (
        [IMPORTS, "wines = pd.read_csv('wine_spectra.csv')",
         "bands = [c for c in wines.columns if c.startswith('nm_')] + ['fraud']\n"
         "wines[bands].corr()['fraud'].abs().nlargest(5)",
         "bands = [c for c in wines.columns if c.startswith('nm_')]",
         "X, y = wines[bands], wines['fraud']\n"
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)\n"
         "RandomForestClassifier().fit(X_tr, y_tr).score(X_te, y_te)"],
        ("LEAK-TARGET-IN-FEATURES", 5, 1), [1, 2, 4, 3, 5]),
    "lots-on-their-own-clock-split-by-shuffled-folds": (
        [IMPORTS_J, SHAKES,
         "ss = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)\n"
         "cross_val_score(ExtraTreesRegressor(), X, y, cv=ss)"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "owner-named-event-table-split-at-random": (
        [IMPORTS_J, LOGINS,
         "tr, te = train_test_split(logins, test_size=0.2, random_state=0)\n"
         "m = RandomForestClassifier().fit(tr[cols], tr['dropped_course'])\n"
         "m.score(te[cols], te['dropped_course'])"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
})
CLEAN.update({
    "stacked-photos-flipped-after-the-split": [
        IMPORTS_J, LEAVES, MIRROR,
        "P_tr, P_te, b_tr, b_te = train_test_split(pics, blight, test_size=0.25)\n"
        "P_tr = np.concatenate([P_tr, mirror(P_tr)])\n"
        "b_tr = np.concatenate([b_tr, b_tr, b_tr])"],
    "per-clip-summaries-of-the-original-clips-only": [
        IMPORTS_J, CALLS, "F = np.array([summary(c) for c in calls])",
        "F_tr, F_te, k_tr, k_te = train_test_split(F, species, test_size=0.2, random_state=1)\n"
        "make_pipeline(StandardScaler(), LogisticRegression()).fit(F_tr, k_tr).score(F_te, k_te)"],
    "stretched-copies-of-the-training-clips-only": [
        IMPORTS_J, CALLS,
        "c_tr, c_te, k_tr, k_te = train_test_split(calls, species, test_size=0.2)\n"
        "pool = list(c_tr) + [librosa.effects.time_stretch(c, rate=0.9) for c in c_tr]\n"
        "F_tr = np.array([summary(c) for c in pool])\n"
        "F_te = np.array([summary(c) for c in c_te])"],
    "label-list-for-a-look-then-features-rebound-in-page-order": [
        IMPORTS, "wines = pd.read_csv('wine_spectra.csv')",
        "bands = [c for c in wines.columns if c.startswith('nm_')] + ['fraud']\n"
        "wines[bands].corr()['fraud'].abs().nlargest(5)",
        "bands = [c for c in wines.columns if c.startswith('nm_')]",
        "X, y = wines[bands], wines['fraud']\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)\n"
        "RandomForestClassifier().fit(X_tr, y_tr).score(X_te, y_te)"],
    "lots-on-their-own-clock-split-by-lot": [
        IMPORTS_J, SHAKES,
        "cross_val_score(ExtraTreesRegressor(), X, y, groups=shakes['lot'], cv=GroupKFold(5))"],
    "shared-calendar-offset-is-not-an-own-clock": [
        IMPORTS_J, "hours = pd.read_csv('grid_load.csv', parse_dates=['ts'])\n"
        "hours['since_midnight'] = hours.groupby('day')['ts'].transform(lambda s: s - s.min())\n"
        "X = hours[['since_midnight', 'temp']]\ny = hours['load']",
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, shuffle=False)\n"
        "ExtraTreesRegressor().fit(X_tr, y_tr).score(X_te, y_te)"],
    "owner-named-event-table-split-by-owner": [
        IMPORTS_J, LOGINS,
        "cross_val_score(RandomForestClassifier(), logins[cols], logins['dropped_course'],\n"
        "                groups=logins['student_id'], cv=GroupKFold(5))"],
    "event-table-named-after-a-place-split-at-random": [
        IMPORTS_J, "logins = pd.read_parquet('library_logins.parquet')\n"
        "cols = ['minutes', 'pages', 'hour']",
        "tr, te = train_test_split(logins, test_size=0.2, random_state=0)\n"
        "m = RandomForestClassifier().fit(tr[cols], tr['printed'])\n"
        "m.score(te[cols], te['printed'])"],
})


# Corpus L (issue 3): lags within each entity's own rows (an id key, rows never put on a
# calendar) are a group leak under shuffled folds, while a panel of shops on a shared calendar
# stays temporal; a bare entity noun encoded as a category is an attribute; a model loop on a
# validation part is clean when another part of the same split is scored once at the end.
IMPORTS_L = IMPORTS + """
from sklearn.model_selection import KFold, GroupKFold, ShuffleSplit
from sklearn.preprocessing import OrdinalEncoder
from sklearn.ensemble import RandomForestRegressor, GradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error"""
FERRETS = ("weigh = pd.read_csv('ferret_weighings.csv')\n"
           "weigh['mass_prev'] = weigh.groupby('ferret_id')['mass_g'].shift(1)\n"
           "weigh = weigh.dropna()\n"
           "X = weigh[['mass_prev', 'food_g', 'age_wk']]\ny = weigh['mass_next']")
ARCHERS = ("ends = pd.read_csv('archery_ends.csv')\n"
           "ends['form'] = ends.groupby('archer_no')['points'].transform(\n"
           "    lambda s: s.shift(1).rolling(4).mean())\n"
           "ends = ends.dropna()\nX = ends[['form', 'wind_ms', 'distance_m']]\n"
           "y = (ends['points'] >= 27).astype(int)")
KILNS = ("fires = pd.read_csv('kiln_firings.csv')\n"
         "cats = ['clay_body', 'glaze', 'device', 'cone']\n"
         "X = fires[cats + ['load_kg', 'ramp_c_h']]\ny = fires['cracked']\n"
         "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
         "X_train, X_test = X_train.copy(), X_test.copy()")
DAMS = ("gauge = pd.read_csv('reservoir_features.csv')\nn = len(gauge)\n"
        "train_rows, val_rows, test_rows = (gauge.iloc[:int(.6 * n)], "
        "gauge.iloc[int(.6 * n):int(.8 * n)], gauge.iloc[int(.8 * n):])\n"
        "cols = ['inflow', 'rain_mm', 'level_m']")
DAMS_PICK = ("models = {'ridge': Ridge(), 'gbr': GradientBoostingRegressor(random_state=0)}\n"
             "err = {k: mean_absolute_error({part}['outflow'], m.fit(train_rows[cols], "
             "train_rows['outflow']).predict({part}[cols])) for k, m in models.items()}\n"
             "winner = min(err, key=err.get)")
DAMS_FINAL = ("chosen = models[winner]\n"
              "print(mean_absolute_error(test_rows['outflow'], chosen.predict(test_rows[cols])))")
LEAKY.update({
    "per-animal-lags-under-shuffled-folds": (
        [IMPORTS_L, FERRETS, "cv = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)\n"
         "print(cross_val_score(RandomForestRegressor(), X, y, cv=cv).mean())"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "per-archer-form-from-a-lambda-under-shuffled-folds": (
        [IMPORTS_L, ARCHERS, "kf = KFold(n_splits=5, shuffle=True, random_state=1)\n"
         "print(cross_val_score(RandomForestClassifier(), X, y, cv=kf).mean())"],
        ("LEAK-GROUP-SPLIT", 3, 1)),
    "per-shop-lags-on-a-dated-calendar-under-shuffled-folds": (
        [IMPORTS_L, "days = pd.read_csv('shop_days.csv', parse_dates=['date'])\n"
         "days['sold_prev'] = days.groupby('shop_id')['sold'].shift(1)\n"
         "days = days.dropna()\nX = days[['sold_prev', 'promo']]\ny = days['sold']",
         "kf = KFold(n_splits=5, shuffle=True, random_state=1)\n"
         "print(cross_val_score(RandomForestRegressor(), X, y, cv=kf).mean())"],
        ("LEAK-TEMPORAL-SPLIT", 3, 1)),
    "device-category-encoded-on-each-part-alone": (
        [IMPORTS_L, KILNS, "X_train[cats] = OrdinalEncoder().fit_transform(X_train[cats])\n"
         "X_test[cats] = OrdinalEncoder().fit_transform(X_test[cats])",
         "m = RandomForestClassifier().fit(X_train, y_train)\nprint(m.score(X_test, y_test))"],
        ("LEAK-FIT-ON-TEST", 3, 2)),
    "models-picked-on-the-final-part-then-reported-on-it": (
        [IMPORTS_L, DAMS, DAMS_PICK.replace("{part}", "test_rows"), DAMS_FINAL],
        ("LEAK-MULTI-TEST", 3, 2)),
})
CLEAN.update({
    "per-animal-lags-under-group-folds": [
        IMPORTS_L, FERRETS, "cv = GroupKFold(n_splits=5)\n"
        "print(cross_val_score(RandomForestRegressor(), X, y, cv=cv,\n"
        "                      groups=weigh['ferret_id']).mean())"],
    "device-category-encoder-fitted-on-train-only": [
        IMPORTS_L, KILNS, "enc = OrdinalEncoder().fit(X_train[cats])\n"
        "X_train[cats] = enc.transform(X_train[cats])\n"
        "X_test[cats] = enc.transform(X_test[cats])",
        "m = RandomForestClassifier().fit(X_train, y_train)\nprint(m.score(X_test, y_test))"],
    "models-picked-on-a-validation-period-then-reported-on-the-last": [
        IMPORTS_L, DAMS, DAMS_PICK.replace("{part}", "val_rows"), DAMS_FINAL],
})

# Issue 14: a feature list (or frame) taken before the label column is added to the frame is a
# snapshot: the label assigned, assigned by ``assign`` / ``insert`` / ``.loc``, merged or joined
# from a labels table, or concatenated beside the frame afterwards is not among its names. The
# same label added before the snapshot is still a leak, and so is a column the frame already had
# (re-coded after the snapshot, it was in the list all along).
IMPORTS_S = IMPORTS + "\nfrom sklearn.ensemble import GradientBoostingClassifier"
GYM = "gym = pd.read_csv('gym_members.csv')"
LAPSED = ("gym['lapsed'] = gym['cancel_date'].notna().astype(int)\n"
          "gym = gym.drop(columns=['cancel_date'])")
GYM_FIT = ("X = gym[features]\ny = gym['lapsed']\n"
           "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
           "GradientBoostingClassifier().fit(X_train, y_train).score(X_test, y_test)")
SNAPSHOTS = {
    "list-of-columns": "features = list(gym.columns)",
    "columns-tolist-minus-the-id": "features = gym.columns.tolist()\nfeatures.remove('member_id')",
    "columns-index-itself": "features = gym.columns.drop('member_id')",
    "columns-of-a-dropped-copy": "features = gym.drop(columns=['member_id']).columns",
    "numeric-columns": "features = gym.select_dtypes('number').columns.tolist()",
    "keys-of-the-frame": "features = sorted(gym.keys())",
    "comprehension-over-columns": "features = [c for c in gym.columns if c != 'member_id']",
}
ADDERS = {
    "assign": "gym = gym.assign(lapsed=lambda d: d['cancel_date'].notna().astype(int))",
    "insert": "gym.insert(1, 'lapsed', gym['cancel_date'].notna().astype(int))",
    "loc": "gym.loc[:, 'lapsed'] = gym['cancel_date'].notna().astype(int)",
    "merge-of-a-labels-table": ("outcome = pd.read_csv('gym_outcomes.csv')\n"
                                "gym = gym.merge(outcome, on='member_id', how='left')"),
    "merge-of-two-label-columns": ("outcome = pd.read_csv('gym_outcomes.csv')\n"
                                   "gym = pd.merge(gym, outcome[['member_id', 'lapsed']], "
                                   "on='member_id')"),
    "join-on-the-id": ("outcome = pd.read_csv('gym_outcomes.csv', index_col='member_id')\n"
                       "gym = gym.join(outcome, on='member_id')"),
    "concat-of-a-label-series": ("lapsed = pd.read_csv('gym_outcomes.csv')['lapsed']\n"
                                 "gym = pd.concat([gym, lapsed], axis=1)"),
}
for name, snapshot in SNAPSHOTS.items():
    CLEAN[f"feature-snapshot-{name}-before-the-label-is-assigned"] = [
        IMPORTS_S, f"{GYM}\n{snapshot}\n{LAPSED}", GYM_FIT]
    LEAKY[f"feature-snapshot-{name}-after-the-label-is-assigned"] = (
        [IMPORTS_S, f"{GYM}\n{LAPSED}\n{snapshot}", GYM_FIT], ("LEAK-TARGET-IN-FEATURES", 3, 1))
for name, adder in ADDERS.items():
    snapshot = "features = [c for c in gym.columns if c not in ('member_id', 'cancel_date')]"
    CLEAN[f"feature-snapshot-before-the-label-comes-by-{name}"] = [
        IMPORTS_S, f"{GYM}\n{snapshot}\n{adder}", GYM_FIT]
    LEAKY[f"feature-snapshot-after-the-label-comes-by-{name}"] = (
        [IMPORTS_S, f"{GYM}\n{adder}\n{snapshot}", GYM_FIT], ("LEAK-TARGET-IN-FEATURES", 3, 1))
LEAKY.update({
    # the label column was in the file: re-coding it after the snapshot does not add it
    "existing-label-recoded-after-the-snapshot": (
        [IMPORTS_S, f"{GYM}\nfeatures = [c for c in gym.columns if c != 'member_id']\n"
         "gym['lapsed'] = gym['lapsed'].map({'yes': 1, 'no': 0})", GYM_FIT],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "label-column-concatenated-into-the-features": (
        [IMPORTS_S, f"{GYM}\n{LAPSED}\nnum = gym[['visits_30d', 'age', 'fee']]",
         "X = pd.concat([num, pd.get_dummies(gym['plan']), gym['lapsed']], axis=1)\n"
         "y = gym['lapsed']\ncross_val_score(LogisticRegression(), X, y, cv=5)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "frame-copied-after-the-label-then-narrowed": (
        [IMPORTS_S, f"{GYM}\n{LAPSED}\nraw = gym.copy()",
         "X = raw.drop(columns=['member_id'])\ny = gym['lapsed']\n"
         "cross_val_score(LogisticRegression(), X, y, cv=5)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "snapshot-helper-called-after-the-label": (
        [IMPORTS_S, "def feature_columns(frame, skip=('member_id',)):\n"
         "    return [c for c in frame.columns if c not in skip]",
         f"{GYM}\n{LAPSED}\nfeatures = feature_columns(gym)", GYM_FIT],
        ("LEAK-TARGET-IN-FEATURES", 4, 1)),
})
CLEAN.update({
    "frame-copied-before-the-label-then-narrowed": [
        IMPORTS_S, f"{GYM}\nraw = gym.copy()\n{LAPSED}",
        "X = raw.drop(columns=['member_id', 'cancel_date'])\ny = gym['lapsed']\n"
        "cross_val_score(LogisticRegression(), X, y, cv=5)"],
    "features-dropped-before-the-label-then-used": [
        IMPORTS_S, f"{GYM}\nX = gym.drop(columns=['member_id', 'cancel_date'])\n{LAPSED}",
        "y = gym['lapsed']\ncross_val_score(LogisticRegression(), X, y, cv=5)"],
    "snapshot-helper-called-before-the-label": [
        IMPORTS_S, "def feature_columns(frame, skip=('member_id', 'cancel_date')):\n"
        "    return [c for c in frame.columns if c not in skip]",
        f"{GYM}\nfeatures = feature_columns(gym)\n{LAPSED}", GYM_FIT],
    "snapshot-kept-in-a-config-dict-before-the-merge": [
        IMPORTS_S, f"{GYM}\nconfig = {{'features': gym.columns.drop('member_id').tolist()}}\n"
        "outcome = pd.read_csv('gym_outcomes.csv')\ngym = gym.merge(outcome, on='member_id')",
        "X, y = gym[config['features']], gym['lapsed']\n"
        "cross_val_score(LogisticRegression(), X, y, cv=5)"],
    "snapshot-before-the-merge-plus-a-feature-made-after": [
        IMPORTS_S, f"{GYM}\nbase = gym.columns.drop('member_id').tolist()\n"
        "outcome = pd.read_csv('gym_outcomes.csv')\ngym = gym.merge(outcome, on='member_id')\n"
        "gym['fee_per_visit'] = gym['fee'] / (gym['visits_30d'] + 1)",
        "X, y = gym[base + ['fee_per_visit']], gym['lapsed']\n"
        "cross_val_score(LogisticRegression(), X, y, cv=5)"],
    "label-added-to-a-copy-only": [
        IMPORTS_S, f"{GYM}\nlabelled = gym.copy()\n"
        "labelled['lapsed'] = labelled['cancel_date'].notna().astype(int)",
        "X = gym.drop(columns=['member_id', 'cancel_date'])\ny = labelled['lapsed']\n"
        "cross_val_score(LogisticRegression(), X, y, cv=5)"],
})


# Issue 14: features read from later rows (a negative shift, a centred window, gaps filled
# backwards or interpolated, a rank or a statistic of the whole series turned into each row's
# value) before a split that keeps time order (a cut by position or by date, shuffle=False,
# TimeSeriesSplit) are LEAK-TEMPORAL-SPLIT where they are computed. The same features made on
# each part after the split, from earlier rows only, or used only as the label are clean.
IMPORTS_T = IMPORTS + """
from sklearn.model_selection import TimeSeriesSplit
from sklearn.linear_model import Ridge"""
HEAT = "heat = pd.read_csv('district_heat.csv', parse_dates=['ts']).sort_values('ts')"
HEAT_COLS = "cols = ['outdoor', 'hour_of_day']"
HEAT_SPLITS = {
    "cut-by-position": (f"cut = int(len(heat) * 0.8)\ntrain, test = heat.iloc[:cut], "
                        f"heat.iloc[cut:]\n{HEAT_COLS}\n"
                        "m = Ridge().fit(train[cols], train['demand_mw'])\n"
                        "m.score(test[cols], test['demand_mw'])"),
    "unshuffled-split": ("X, y = heat[['outdoor', 'hour_of_day']], heat['demand_mw']\n"
                         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, "
                         "shuffle=False)\nRidge().fit(X_tr, y_tr).score(X_te, y_te)"),
    "date-cut-off": ("train = heat[heat['ts'] < '2024-01-01']\n"
                     f"test = heat[heat['ts'] >= '2024-01-01']\n{HEAT_COLS}\n"
                     "m = Ridge().fit(train[cols], train['demand_mw'])\n"
                     "m.score(test[cols], test['demand_mw'])"),
    "time-series-folds": ("X, y = heat[['outdoor', 'hour_of_day']], heat['demand_mw']\n"
                          "cross_val_score(Ridge(), X, y, cv=TimeSeriesSplit(n_splits=5))"),
}
# each way of reading later rows, and the line it is reported on (where it is computed)
OUTDOOR = "heat['outdoor'] = heat['outdoor_c']"
READ_AHEAD = {
    "next-hour-value": (f"{OUTDOOR}.shift(-1)", 2),
    "shift-by-a-negative-horizon": (f"horizon = 6\n{OUTDOOR}.shift(-horizon)", 3),
    "shift-with-negative-periods": (f"{OUTDOOR}.shift(periods=-3)", 2),
    "difference-with-the-next-hour": (f"{OUTDOOR}.diff(-1)", 2),
    "centred-window": (f"{OUTDOOR}.rolling(24, center=True).mean()", 2),
    "centred-on-the-whole-series-mean": (f"{OUTDOOR} - heat['outdoor_c'].mean()", 2),
    "scaled-by-the-series-maximum": (f"{OUTDOOR} / heat['outdoor_c'].max()", 2),
    "min-max-by-hand": ("lo, hi = heat['outdoor_c'].min(), heat['outdoor_c'].max()\n"
                        "heat['outdoor'] = (heat['outdoor_c'] - lo) / (hi - lo)", 2),
    "percentile-rank": (f"{OUTDOOR}.rank(pct=True)", 2),
    "gaps-filled-backwards": (f"{OUTDOOR}.bfill()", 2),
    "gaps-filled-by-fillna-bfill": (f"{OUTDOOR}.fillna(method='bfill')", 2),
    "gaps-interpolated": (f"{OUTDOOR}.interpolate()", 2),
    "subtract-method-with-the-mean": (f"{OUTDOOR}.sub(heat['outdoor_c'].mean())", 2),
    "assign-with-a-lead-lambda": (
        "heat = heat.assign(outdoor=lambda d: d['outdoor_c'].shift(-2))", 2),
}
PAST_ONLY = {
    "previous-hour": f"{OUTDOOR}.shift(1)",
    "trailing-window": f"{OUTDOOR}.rolling(24).mean()",
    "expanding-mean": f"{OUTDOOR}.expanding().mean()",
    "gaps-filled-forwards": f"{OUTDOOR}.ffill()",
    "exponential-average": f"{OUTDOOR}.ewm(span=12).mean()",
    "interpolated-by-padding": f"{OUTDOOR}.interpolate(method='pad')",
}
for op, (code, line) in READ_AHEAD.items():
    splits = HEAT_SPLITS if op in ("next-hour-value", "centred-on-the-whole-series-mean",
                                   "gaps-interpolated") else {
        "cut-by-position": HEAT_SPLITS["cut-by-position"]}
    for how, split in splits.items():
        LEAKY[f"heat-{op}-before-a-{how}"] = (
            [IMPORTS_T, f"{HEAT}\n{code}", split], ("LEAK-TEMPORAL-SPLIT", 2, line))
for op, code in PAST_ONLY.items():
    for how, split in HEAT_SPLITS.items():
        CLEAN[f"heat-{op}-before-a-{how}"] = [IMPORTS_T, f"{HEAT}\n{code}", split]
HEAT_CUT = ("cut = int(len(heat) * 0.8)\n"
            "train, test = heat.iloc[:cut].copy(), heat.iloc[cut:].copy()")
HEAT_FIT = (f"{HEAT_COLS}\nm = Ridge().fit(train[cols], train['demand_mw'])\n"
            "m.score(test[cols], test['demand_mw'])")
ZONES = ("zones = pd.read_csv('zone_heat.csv', parse_dates=['ts']).sort_values('ts')\n"
         "{feature}\ntrain = zones[zones['ts'] < '2024-01-01']\n"
         "test = zones[zones['ts'] >= '2024-01-01']")
ZONES_FIT = ("cols = ['outdoor', 'hour_of_day']\n"
             "m = Ridge().fit(train[cols], train['demand_mw'])\n"
             "print(m.score(test[cols], test['demand_mw']))")
LEAKY.update({
    "helper-adds-a-lead-to-the-whole-series-before-the-cut": (
        [IMPORTS_T, "def add_weather(frame):\n"
         "    frame['outdoor'] = frame['outdoor_c'].shift(-1)\n    return frame",
         f"{HEAT}\nheat = add_weather(heat)\n{HEAT_CUT}", HEAT_FIT],
        ("LEAK-TEMPORAL-SPLIT", 3, 2)),
    "per-zone-next-value-before-the-date-cut": (
        [IMPORTS_T, ZONES.format(feature="zones['outdoor'] = zones.groupby('zone')"
                                 "['outdoor_c'].shift(-1)"), ZONES_FIT],
        ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    "per-zone-lead-in-a-lambda-before-the-date-cut": (
        [IMPORTS_T, ZONES.format(feature="zones['outdoor'] = zones.groupby('zone')['outdoor_c']"
                                 ".transform(lambda s: s.shift(-3))"), ZONES_FIT],
        ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    "per-zone-centred-window-in-a-lambda": (
        [IMPORTS_T, ZONES.format(feature="zones['outdoor'] = zones.groupby('zone')['outdoor_c']"
                                 ".transform(lambda s: s.rolling(5, center=True).mean())"),
         ZONES_FIT],
        ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    "whole-frame-filled-backwards-before-the-cut": (
        [IMPORTS_T, f"{HEAT}\nheat = heat.bfill()\nheat['outdoor'] = heat['outdoor_c']\n"
         f"{HEAT_CUT}", HEAT_FIT],
        ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    "feature-frame-standardised-before-a-cut-by-position": (
        [IMPORTS_T, f"{HEAT}\nX = heat[['outdoor_c', 'hour_of_day']]\n"
         "X = (X - X.mean()) / X.std()\ny = heat['demand_mw']",
         "X_tr, X_te, y_tr, y_te = X.iloc[:900], X.iloc[900:], y.iloc[:900], y.iloc[900:]\n"
         "Ridge().fit(X_tr, y_tr).score(X_te, y_te)"],
        ("LEAK-TEMPORAL-SPLIT", 2, 3)),
    "array-standardised-then-sliced-in-order": (
        [IMPORTS_T, f"{HEAT}\nX = heat[['outdoor_c', 'hour_of_day']].to_numpy()\n"
         "X = (X - X.mean(axis=0)) / X.std(axis=0)\ny = heat['demand_mw'].to_numpy()",
         "X_train, X_test, y_train, y_test = X[:900], X[900:], y[:900], y[900:]\n"
         "Ridge().fit(X_train, y_train).score(X_test, y_test)"],
        ("LEAK-TEMPORAL-SPLIT", 2, 3)),
    "rank-tuned-with-time-series-folds": (
        [IMPORTS_T, f"{HEAT}\nheat['outdoor'] = heat['outdoor_c'].rank()",
         "X, y = heat[['outdoor', 'hour_of_day']], heat['demand_mw']\n"
         "grid = GridSearchCV(Ridge(), {'alpha': [0.1, 1, 10]}, cv=TimeSeriesSplit(4))\n"
         "grid.fit(X, y)"],
        ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    "lead-stacked-into-an-array-before-an-unshuffled-split": (
        [IMPORTS_T, f"{HEAT}\nlead = heat['outdoor_c'].shift(-1).fillna(0).to_numpy()\n"
         "X = np.column_stack([lead, heat['hour_of_day']])\ny = heat['demand_mw'].to_numpy()",
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, shuffle=False)\n"
         "Ridge().fit(X_tr, y_tr).score(X_te, y_te)"],
        ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    # a label computed from the lead, with the lead left among the features: the label is read
    # back from X, reported once, where X is built
    "label-made-from-a-lead-left-in-the-features": (
        [IMPORTS_T, f"{HEAT}\nheat['outdoor_next'] = heat['outdoor_c'].shift(-1)\n"
         "heat['frost'] = (heat['outdoor_next'] < 0).astype(int)\n" + HEAT_CUT,
         "cols = ['outdoor_next', 'hour_of_day']\n"
         "m = LogisticRegression().fit(train[cols], train['frost'])\n"
         "m.score(test[cols], test['frost'])"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    # a gap imputed with the mean of the whole series stays a fitted statistic (corpus N)
    "gaps-imputed-with-the-whole-series-mean": (
        [IMPORTS_T, f"{HEAT}\nheat['outdoor'] = heat['outdoor_c'].fillna("
         "heat['outdoor_c'].mean())", HEAT_SPLITS["cut-by-position"]],
        ("LEAK-PREPROCESSING", 2, 2)),
    # a random split of the same rows: one finding, the random split's
    "lead-then-a-shuffled-split": (
        [IMPORTS_T, f"{HEAT}\nheat['outdoor'] = heat['outdoor_c'].shift(-1)",
         "X, y = heat[['outdoor', 'hour_of_day']], heat['demand_mw']\n"
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)"],
        ("LEAK-TEMPORAL-SPLIT", 3, 2)),
})
CLEAN.update({
    "lead-made-on-each-part-after-the-cut": [
        IMPORTS_T, f"{HEAT}\n{HEAT_CUT}\nfor part in (train, test):\n"
        "    part['outdoor'] = part['outdoor_c'].shift(-1)", HEAT_FIT],
    "helper-adds-a-lead-to-each-part-after-the-cut": [
        IMPORTS_T, "def add_weather(frame):\n    frame = frame.copy()\n"
        "    frame['outdoor'] = frame['outdoor_c'].shift(-1)\n    return frame",
        f"{HEAT}\n{HEAT_CUT}\ntrain, test = add_weather(train), add_weather(test)", HEAT_FIT],
    "rank-on-each-part-after-the-cut": [
        IMPORTS_T, f"{HEAT}\n{HEAT_CUT}\ntrain['outdoor'] = train['outdoor_c'].rank(pct=True)\n"
        "test['outdoor'] = test['outdoor_c'].rank(pct=True)", HEAT_FIT],
    "training-mean-used-for-both-parts": [
        IMPORTS_T, f"{HEAT}\n{HEAT_CUT}\nmu = train['outdoor_c'].mean()\n"
        "train['outdoor'] = train['outdoor_c'] - mu\ntest['outdoor'] = test['outdoor_c'] - mu",
        HEAT_FIT],
    "next-hour-label-with-lag-features-and-time-series-folds": [
        IMPORTS_T, f"{HEAT}\nheat['outdoor'] = heat['outdoor_c'].shift(1)\n"
        "heat['demand_next'] = heat['demand_mw'].shift(-1)\nheat = heat.dropna()",
        "X, y = heat[['outdoor', 'hour_of_day']], heat['demand_next']\n"
        "cross_val_score(Ridge(), X, y, cv=TimeSeriesSplit(5))"],
    "centred-smoothing-only-for-a-plot": [
        IMPORTS_T, f"{HEAT}\n"
        "heat['smooth'] = heat['demand_mw'].rolling(24, center=True).mean()\n"
        "heat[['demand_mw', 'smooth']].plot()\nheat['outdoor'] = heat['outdoor_c'].shift(1)",
        HEAT_SPLITS["time-series-folds"]],
    "smoothed-series-as-the-label": [
        IMPORTS_T, f"{HEAT}\n"
        "heat['demand_s'] = heat['demand_mw'].rolling(5, center=True).mean()\n"
        "heat['outdoor'] = heat['outdoor_c'].shift(1)",
        "X, y = heat[['outdoor', 'hour_of_day']], heat['demand_s']\n"
        "cross_val_score(Ridge(), X, y, cv=TimeSeriesSplit(5))"],
    "label-made-from-a-lead-kept-out-of-the-features": [
        IMPORTS_T, f"{HEAT}\nheat['outdoor_next'] = heat['outdoor_c'].shift(-1)\n"
        "heat['frost'] = (heat['outdoor_next'] < 0).astype(int)\n" + HEAT_CUT,
        "cols = ['outdoor_c', 'hour_of_day']\n"
        "m = LogisticRegression().fit(train[cols], train['frost'])\n"
        "m.score(test[cols], test['frost'])"],
    # the series the forecast predicts, its gaps interpolated, then lagged and shifted into
    # the label (cleaning the series, as corpus B's air-quality notebook does)
    "forecast-series-interpolated-then-lagged": [
        IMPORTS_T, f"{HEAT}\nheat['demand'] = heat['demand_mw'].interpolate()\n"
        "heat['demand_prev'] = heat['demand'].shift(1)\n"
        "heat['demand_next'] = heat['demand'].shift(-1)\nheat = heat.dropna()\n" + HEAT_CUT,
        "cols = ['demand', 'demand_prev', 'hour_of_day']\n"
        "m = Ridge().fit(train[cols], train['demand_next'])\n"
        "m.score(test[cols], test['demand_next'])"],
    "cross-sectional-rank-within-each-day": [
        IMPORTS_T, "px = pd.read_csv('fund_prices.csv', parse_dates=['date'])\n"
        "px = px.sort_values('date')\n"
        "px['mom_rank'] = px.groupby('date')['ret_20d'].rank(pct=True)",
        "train, test = px[px['date'] < '2023-01-01'], px[px['date'] >= '2023-01-01']\n"
        "cols = ['mom_rank', 'vol_20d']\n"
        "Ridge().fit(train[cols], train['fwd_ret']).score(test[cols], test['fwd_ret'])"],
    "per-zone-lag-before-the-date-cut": [
        IMPORTS_T, ZONES.format(feature="zones['outdoor'] = zones.groupby('zone')['outdoor_c']"
                                ".transform(lambda s: s.shift(3))"), ZONES_FIT],
})


# What corpus O's blind run showed (issue 14), fixed where the fix is general: column names
# picked by a mask over the Index are a column list; each part filled in the statement that
# cuts it is computed after the split; centred signal filters read later samples; a merge that
# pandas validates one-to-one says the key is unique per row.
LEAKY.update({
    "names-masked-from-the-index-after-the-label": (
        [IMPORTS_S, f"{GYM}\n{LAPSED}\nfeatures = gym.columns[gym.columns != 'member_id']",
         GYM_FIT], ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "columns-picked-by-a-mask-in-loc-after-the-label": (
        [IMPORTS_S, f"{GYM}\n{LAPSED}",
         "X = gym.loc[:, ~gym.columns.isin(['member_id'])]\ny = gym['lapsed']\n"
         "cross_val_score(LogisticRegression(), X, y, cv=5)"],
        ("LEAK-TARGET-IN-FEATURES", 3, 1)),
    "lead-assigned-then-cut-in-one-statement": (
        [IMPORTS_T, f"{HEAT}\ncut = int(len(heat) * 0.8)\n"
         "train = heat.assign(outdoor=heat['outdoor_c'].shift(-1)).iloc[:cut]\n"
         "test = heat.iloc[cut:].assign(outdoor=heat['outdoor_c'].shift(-1))", HEAT_FIT],
        ("LEAK-TEMPORAL-SPLIT", 2, 3)),
    "savitzky-golay-smoothing-before-an-unshuffled-split": (
        [IMPORTS_T + "\nfrom scipy.signal import savgol_filter",
         f"{HEAT}\nheat['outdoor'] = savgol_filter(heat['outdoor_c'], 11, 2)",
         HEAT_SPLITS["unshuffled-split"]], ("LEAK-TEMPORAL-SPLIT", 2, 2)),
    "zero-phase-filter-before-time-series-folds": (
        [IMPORTS_T + "\nfrom scipy import signal",
         f"{HEAT}\nb, a = signal.butter(3, 0.05)\n"
         "heat['outdoor'] = signal.filtfilt(b, a, heat['outdoor_c'])",
         HEAT_SPLITS["time-series-folds"]], ("LEAK-TEMPORAL-SPLIT", 2, 3)),
})
CLEAN.update({
    "names-masked-from-the-index-before-the-label": [
        IMPORTS_S, f"{GYM}\nfeatures = gym.columns[~gym.columns.isin(['member_id', "
        f"'cancel_date'])]\n{LAPSED}", GYM_FIT],
    "columns-picked-by-a-mask-in-loc-without-the-label": [
        IMPORTS_S, f"{GYM}\n{LAPSED}",
        "X = gym.loc[:, ~gym.columns.isin(['member_id', 'lapsed'])]\ny = gym['lapsed']\n"
        "cross_val_score(LogisticRegression(), X, y, cv=5)"],
    "each-part-interpolated-in-the-statement-that-cuts-it": [
        IMPORTS_T, f"{HEAT}\ncut = int(len(heat) * 0.8)\n"
        "train, test = heat.iloc[:cut].interpolate(), heat.iloc[cut:].interpolate()\n"
        "train['outdoor'], test['outdoor'] = train['outdoor_c'], test['outdoor_c']", HEAT_FIT],
    "causal-filter-before-an-unshuffled-split": [
        IMPORTS_T + "\nfrom scipy import signal",
        f"{HEAT}\nb, a = signal.butter(3, 0.05)\n"
        "heat['outdoor'] = signal.lfilter(b, a, heat['outdoor_c'])",
        HEAT_SPLITS["unshuffled-split"]],
    "outcomes-merged-one-to-one-on-the-learner": [
        IMPORTS, "logs = pd.read_csv('course_logs_weeks1_3.csv')\n"
        "outcomes = pd.read_csv('course_outcomes.csv')\n"
        "df = logs.merge(outcomes, on='learner_id', validate='one_to_one')",
        "X = df.drop(columns=['learner_id', 'passed'])\ny = df['passed']\n"
        "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)"],
})
LEAKY.update({
    # the same merge without the validation stays a hint that learners repeat
    "outcomes-merged-on-the-learner-without-validation": (
        [IMPORTS, "logs = pd.read_csv('course_logs_weeks1_3.csv')\n"
         "outcomes = pd.read_csv('course_outcomes.csv')\n"
         "df = logs.merge(outcomes, on='learner_id')",
         "X = df.drop(columns=['learner_id', 'passed'])\ny = df['passed']\n"
         "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)"],
        ("LEAK-GROUP-SPLIT", 3, 3)),
})


def test_copies_finding_names_where_they_are_stacked():
    codes, _ = LEAKY["stretched-copies-from-a-comprehension-listed-beside-the-originals"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "rows computed from calls (made here) stacked back onto it at cell 3, line 2" in \
        finding.detail


def test_own_clock_is_the_group_evidence():
    codes, _ = LEAKY["lots-on-their-own-clock-split-by-shuffled-folds"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "restarts the clock 'at' at the start of each 'lot' (cell 2, line 3)" in \
        finding.detail


@pytest.mark.parametrize("name", sorted(LEAKY))
def test_leaky_notebook_gives_exactly_its_finding(name):
    codes, expected, *counts = LEAKY[name]
    assert found(notebook(*codes, counts=counts[0] if counts else None)) == [expected]


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_look_alike_gives_no_finding(name):
    assert found(notebook(*CLEAN[name])) == []


def test_execution_order_decides_not_page_order():
    codes = [IMPORTS, LOAD, SPLIT, "X = StandardScaler().fit_transform(X)"]
    # page order reads fine only because the scaler cell comes last and ran last
    assert found(notebook(*codes, counts=[1, 2, 3, 4])) == []
    assert found(notebook(*codes, counts=[1, 2, 4, 3])) == [("LEAK-PREPROCESSING", 4, 1)]


def test_unexecuted_cells_run_after_executed_ones_in_page_order():
    codes = [IMPORTS, LOAD, "X = StandardScaler().fit_transform(X)", SPLIT]
    # the scaler cell never ran: it is analysed after the split that did run
    assert found(notebook(*codes, counts=[1, 2, None, 3])) == []
    assert found(notebook(*codes, counts=[None, None, None, None])) == [
        ("LEAK-PREPROCESSING", 3, 1)]


def test_finding_explains_the_path_and_the_fix():
    codes, expected = LEAKY["scaler-before-split"]
    report = check_code_leakage(notebook(*codes))
    (finding,) = report.findings
    assert "StandardScaler.fit" in finding.detail and "cell 4" in finding.detail
    assert "Pipeline" in finding.remediation
    assert finding.evidence["sources"] == ["static"]
    assert finding.evidence["split_at"] == {"cell": 4, "line": 1}
    assert report.metrics["code"]["cells"] == 4 and report.metrics["code"]["splits"] == 1


def test_path_and_notebook_node_and_cell_list_agree(tmp_path):
    codes, expected = LEAKY["smote-before-split"]
    nb = notebook(*codes)
    path = tmp_path / "leaky.ipynb"
    nbformat.write(nb, str(path))
    by_path = check_code_leakage(path)
    assert by_path.subject == str(path)
    as_list = [(i + 1, code, i + 1) for i, code in enumerate(codes)]
    for report in (by_path, check_code_leakage(nbformat.read(str(path), as_version=4)),
                   check_code_leakage(as_list)):
        assert [(f.rule, f.location.cell, f.location.line) for f in report.findings] == [
            expected]


def test_ipython_syntax_is_blanked_keeping_line_numbers():
    source = "%matplotlib inline\n!pip install x\nfiles = !ls\nX = 1\ndf?\n"
    assert python_source(source).splitlines() == ["pass", "pass", "pass", "X = 1", "pass"]
    assert python_source("%%bash\necho hi\n") == "pass\n"
    assert python_source("%%time\nX = 1") == "pass\nX = 1"
    assert python_source("ratio = a % b\nok = x != y") == "ratio = a % b\nok = x != y"
    codes = [IMPORTS, LOAD, "%%time\n%load_ext autoreload\nX = StandardScaler().fit_transform(X)",
             SPLIT]
    assert found(notebook(*codes)) == [("LEAK-PREPROCESSING", 3, 3)]


def test_unparseable_cell_is_skipped_and_reported():
    report = check_code_leakage(notebook(IMPORTS, "def broken(:\n    pass", LOAD, SPLIT))
    assert report.findings == []
    assert [s.what for s in report.skipped] == ["cell 2"]


def test_runtime_evidence_merges_into_the_static_finding():
    codes, expected = LEAKY["model-fitted-on-all-rows"]
    runtime = [RuntimeLeak("LEAK-OVERLAP", "all 200 sampled test rows were in the fit",
                           "RandomForestClassifier", cell=3, facts={"overlap": 1.0}),
               RuntimeLeak("LEAK-FIT-ON-TEST", "a scaler saw the test rows", "StandardScaler")]
    report = check_code_leakage(notebook(*codes), runtime=runtime)
    rules = {f.rule: f for f in report.findings}
    assert len(report.findings) == 2
    assert rules["LEAK-OVERLAP"].evidence["sources"] == ["static", "runtime"]
    assert rules["LEAK-OVERLAP"].evidence["runtime"]["overlap"] == 1.0
    assert rules["LEAK-FIT-ON-TEST"].evidence["sources"] == ["runtime"]


@pytest.mark.parametrize("bad", [42, [("x", "y")], [(0, 1, 2)]])
def test_bad_source_is_a_one_line_input_error(bad):
    with pytest.raises(MLSecInputError) as info:
        check_code_leakage(bad)
    assert "\n" not in str(info.value)


def test_missing_and_corrupt_notebooks(tmp_path):
    with pytest.raises(MLSecInputError, match="no such notebook"):
        check_code_leakage(tmp_path / "nope.ipynb")
    assert NO_SUCH_NOTEBOOK.startswith("no such notebook")
    corrupt = tmp_path / "corrupt.ipynb"
    corrupt.write_text("{not json")
    with pytest.raises(MLSecInputError, match="is not a Jupyter notebook"):
        check_code_leakage(corrupt)
    with pytest.raises(MLSecInputError, match="no 'cells' list"):
        check_code_leakage({"nbformat": 4})
    assert "tuples" in BAD_CELL


def test_empty_notebook_is_clean():
    report = check_code_leakage(new_notebook())
    assert report.findings == [] and report.metrics["code"]["cells"] == 0


def test_execution_order_helper():
    from mlsecops_jupyter.checks.leakage.code_cells import CodeCell

    cells = [CodeCell(0, "a", None), CodeCell(1, "b", 5), CodeCell(2, "c", 2),
             CodeCell(3, "d", None)]
    assert [c.index for c in execution_order(cells)] == [2, 1, 0, 3]


def test_two_hundred_cell_notebook_under_a_second():
    cells = [IMPORTS, LOAD]
    for i in range(198):
        cells.append(f"f{i} = X['a{i}'].fillna(0) * 2\nX['b{i}'] = f{i}.clip(0, 1)\n"
                     f"m{i} = LogisticRegression(C={i + 1}).fit(X_train, y_train)"
                     if i % 2 else SPLIT if i == 0 else
                     f"p{i} = m{i - 1}.predict(X_test) if {i} > 1 else None")
    nb = notebook(*cells)
    started = time.process_time()
    check_code_leakage(nb)
    assert time.process_time() - started < 1.0


NAMES = ("df", "X", "y", "X_train", "X_test", "y_test", "scaler", "model", "parts", "fold")
TEMPLATES = (
    "{a} = {b}", "{a} = StandardScaler().fit_transform({b})", "{a}.fit({b}, {c})",
    "{a}, {b}, {c}, {d} = train_test_split({a}, {b})", "{a} = {b}.drop(columns=['{c}'])",
    "{a} = {b}['{c}']", "{a} = pd.concat([{b}, {c}])", "{a}.score({b}, {c})",
    "for {a} in {b}:\n    {c} = {d}.predict({a})", "def {a}({b}):\n    return {c}.fit({b})",
    "{a} = {b}({c})", "{a} = [{b} for {c} in {d}]", "{a} = {b}.pop('{c}')", "del {a}",
    "{a} = KFold(5, shuffle=True).split({b})", "{a}[{b}] = {c}.mean()",
    "{a} = {b}.iloc[{c}]", "{a} = lambda {b}: {c}.transform({b})",
    "{a} = SMOTE().fit_resample({b}, {c})",
    "{a} = {b}.groupby('{c}_id')['{d}'].transform('mean')", "{a} = ({b} - {b}.mean()) / {c}",
)


@pytest.mark.parametrize("seed", range(40))
def test_random_programs_never_break_the_analysis(seed):
    """Hostile input: random compositions of the constructs the dataflow models, unicode names
    included, must give a report (possibly with findings), never an exception."""
    import random

    rng = random.Random(seed)
    names = [*NAMES, "données", "模型"]
    cells = []
    for _ in range(rng.randint(1, 12)):
        lines = [rng.choice(TEMPLATES).format(**{k: rng.choice(names) for k in "abcd"})
                 for _ in range(rng.randint(1, 4))]
        cells.append("\n".join(lines))
    report = check_code_leakage(notebook(IMPORTS, *cells))
    assert report.check == "leakage"
    for finding in report.findings:
        assert finding.location.cell is not None and finding.location.line >= 1


def test_huge_cell_and_odd_notebook_json():
    big = "\n".join(f"v{i} = X['a'] * {i}" for i in range(5000))
    report = check_code_leakage(notebook(IMPORTS, LOAD, big, SPLIT))
    assert report.findings == []
    odd = {"cells": [{"cell_type": "code", "source": ["X = 1\n", "y = 2"]},
                     {"cell_type": "code"}, "not a cell", {"cell_type": "raw", "source": "x"}]}
    assert check_code_leakage(odd).metrics["code"]["cells"] == 2


def test_nested_loops_stay_within_the_time_budget():
    loops = "\n".join("    " * i + f"for v{i} in [{', '.join(map(str, range(12)))}]:"
                      for i in range(6))
    body = "    " * 6 + "m = LogisticRegression(C=v0).fit(X_train, y_train)"
    started = time.process_time()
    report = check_code_leakage(notebook(IMPORTS, LOAD, SPLIT, loops + "\n" + body))
    assert time.process_time() - started < 1.0
    assert report.findings == []


def test_frame_handed_to_features_names_the_narrowing_line():
    codes, _, *_ = LEAKY["frame-handed-whole-to-features"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "last narrowed at cell 2, line 2" in finding.detail


def test_group_evidence_is_the_look_at_repeats():
    codes = [IMPORTS, SHOPS + "\nshops.groupby('shop_id').size().describe()",
             "shops['promo_rate'] = shops.groupby('shop_id')['promo'].transform("
             "lambda s: s.shift(1))\n" + SHOPS_SPLIT]
    findings = check_code_leakage(notebook(*codes)).findings
    assert [(f.rule, f.location.cell, f.location.line) for f in findings] == [
        ("LEAK-GROUP-SPLIT", 3, 4), ("LEAK-TEMPORAL-SPLIT", 3, 4)]
    assert "groupby().size() counts rows per entity 'shop_id'" in findings[0].detail


def test_shuffled_splitter_finding_names_the_call_that_used_it():
    codes, _ = LEAKY["shuffled-kfold-built-on-its-own-line-over-lags"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "used by cross_val_score at cell 3, line 2" in finding.detail
    assert finding.evidence["split_at"] == {"cell": 3, "line": 2}
    assert "shift() builds features" in finding.detail


def test_inline_shuffled_splitter_is_reported_on_the_call():
    codes = [IMPORTS_CV, METER, "scores = cross_val_score(RandomForestClassifier(), inputs,\n"
             "                         load, cv=KFold(4, shuffle=True))"]
    assert found(notebook(*codes)) == [("LEAK-TEMPORAL-SPLIT", 3, 1)]


def test_group_vector_finding_names_the_unused_groups():
    codes, _ = LEAKY["group-vector-defined-but-shuffled-folds-used"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "'route', is kept as 'groups' (cell 2, line 4)" in finding.detail
    assert "shuffled splitter built here, used by cross_val_score at cell 3, line 2" in \
        finding.detail
    assert finding.evidence["split_at"] == {"cell": 3, "line": 2}
    assert "GroupKFold" in finding.remediation


def test_paired_duplication_is_one_finding_on_the_features():
    codes, _ = LEAKY["features-and-labels-both-upsampled-by-index"]
    (finding,) = check_code_leakage(notebook(*codes)).findings
    assert "concatenating X with its own rows" in finding.detail



# -- corpus-K round: name-based group evidence narrowed, the test part told by its use ---------
IMPORTS_YEARS = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score"""
WARD_DAYS = """\
wards = pd.read_csv("ward_days.csv")
X = wards[[{first!r}, "nurses", "admissions_today", "bed_occupancy"]]
y = wards["overtime_hours"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
reg = Ridge().fit(X_train, y_train)
reg.score(X_test, y_test)"""


def test_plural_entity_count_among_features_is_a_quantity_not_an_id():
    # ``patients`` on a ward-day row is how many patients, not which one
    assert found(notebook(IMPORTS_YEARS, WARD_DAYS.format(first="patients"))) == []
    # the id itself among the features still is a repeated entity
    assert found(notebook(IMPORTS_YEARS, WARD_DAYS.format(first="patient_id"))) == [
        ("LEAK-GROUP-SPLIT", 2, 4)]


@pytest.mark.parametrize(("table", "expected"), [
    ("first_sessions.parquet", []),
    ("sessions_baseline.parquet", []),
    ("sessions.parquet", [("LEAK-GROUP-SPLIT", 3, 1)]),
])
def test_event_table_named_one_per_entity_is_not_repeated_rows(table, expected):
    codes = [IMPORTS_YEARS,
             f'subs = pd.read_parquet("{table}")\n'
             'X = subs[["minutes", "pages", "device_mobile"]]\n'
             'y = subs["churn_next_month"]',
             "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, "
             "random_state=3)\n"
             "clf = LogisticRegression().fit(X_train, y_train)\n"
             "roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])"]
    assert found(notebook(*codes)) == expected


HARVEST_FILES = """\
older = pd.read_csv("harvest_2022.csv")
newer = pd.read_csv("harvest_2023.csv")
cols = ["rain_mm", "gdd", "n_kg_ha", "soil_ph"]"""


def test_file_only_scored_against_is_the_test_part_whatever_its_name():
    codes = [IMPORTS_YEARS, HARVEST_FILES,
             "sc = StandardScaler().fit(pd.concat([older[cols], newer[cols]]))\n"
             "A, B = sc.transform(older[cols]), sc.transform(newer[cols])\n"
             'ya, yb = older["lodging"], newer["lodging"]',
             "ranking = {}\n"
             "for m in [LogisticRegression(), RandomForestClassifier(random_state=0),\n"
             "          GradientBoostingClassifier()]:\n"
             "    ranking[type(m).__name__] = m.fit(A, ya).score(B, yb)\n"
             "ranking"]
    findings = check_code_leakage(notebook(*codes)).findings
    assert [(f.rule, f.location.cell, f.location.line) for f in findings] == [
        ("LEAK-PREPROCESSING", 3, 1), ("LEAK-MULTI-TEST", 4, 4)]


def test_file_pair_fitted_on_the_first_and_scored_once_on_the_second_is_clean():
    codes = [IMPORTS_YEARS, HARVEST_FILES,
             "sc = StandardScaler().fit(older[cols])\n"
             'clf = LogisticRegression().fit(sc.transform(older[cols]), older["lodging"])\n'
             'clf.score(sc.transform(newer[cols]), newer["lodging"])']
    assert found(notebook(*codes)) == []


YEAR_PARTS = """\
fields = pd.read_csv("harvests.csv")
cols = ["rain_mm", "gdd", "n_kg_ha", "soil_ph"]
past = fields[fields.year < 2023]
recent = fields[fields.year == 2023]"""


def test_year_held_out_of_the_frame_and_scored_once_is_clean():
    codes = [IMPORTS_YEARS, YEAR_PARTS,
             "sc = StandardScaler().fit(past[cols])\n"
             'clf = LogisticRegression().fit(sc.transform(past[cols]), past["lodging"])\n'
             'clf.score(sc.transform(recent[cols]), recent["lodging"])']
    assert found(notebook(*codes)) == []


def test_scaler_fitted_on_both_years_of_the_frame_leaks():
    codes = [IMPORTS_YEARS, YEAR_PARTS,
             "sc = StandardScaler().fit(fields[cols])\n"
             'clf = LogisticRegression().fit(sc.transform(past[cols]), past["lodging"])\n'
             'clf.score(sc.transform(recent[cols]), recent["lodging"])']
    assert found(notebook(*codes)) == [("LEAK-PREPROCESSING", 3, 1)]


def test_roles_follow_assignments_not_the_rows_a_transformer_was_fitted_on():
    import ast

    from mlsecops_jupyter.checks.leakage.code_roles import infer_roles

    tree = ast.parse(
        "a = pd.read_csv('a.csv')\nb = pd.read_csv('b.csv')\n"
        "sc = StandardScaler().fit(pd.concat([a, b]))\n"
        "Xa, Xb = sc.transform(a), sc.transform(b)\n"
        "m = Ridge().fit(Xa, a['y'])\nr2_score(b['y'], m.predict(Xb))")
    roles = infer_roles([tree])
    assert {"b", "Xb"} <= roles.scored_only and not {"a", "Xa", "sc"} & roles.scored_only
    assert {"a", "Xa"} <= roles.fitted_only and "b" not in roles.fitted_only
