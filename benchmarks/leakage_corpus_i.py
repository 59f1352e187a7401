"""Held-out corpus I for the code-level leakage check: realistic notebooks written blind.

Written without reading the detector's source, its tests or the other corpora (only the marker
format and ``labels.json`` layout of corpus D were shared): notebooks in the style of Kaggle
kernels (EDA, plots, several models compared), course labs and team reports with helper functions,
on domains the earlier corpora do not use (pharmacy sales, hospital beds, horse racing, toll roads,
wind farms, phishing e-mails, fishing quotas, car telematics, kindergartens, opera tickets, coral
reefs, 3D printers, weather radar, call transcripts, avalanches, ambulances, cement, tennis,
hearing aids, ocean buoys, pollen, bridges, laundromats, organ transplants, cricket, parcel
lockers, yarn mills, wildfires). 42 of the 80 notebooks leak (46 labels; four notebooks carry two
leaks); the other 38 are clean look-alikes (Pipelines and ColumnTransformers in CV and grid
search, fit on train then transform test, imblearn Pipelines, SMOTE or upsampling or augmentation
on the training split only, chronological splits and TimeSeriesSplit, GroupKFold and
GroupShuffleSplit on the entity, early stopping on a validation split carved from train, selection
on validation then one test score, a refit on all data after evaluation, whole-frame EDA that never
feeds the model, groupby aggregates computed on train and mapped to test, helpers with a fit flag).

Some notebooks carry out-of-order execution counts (a cell further up run later): the spec gives
the count explicitly and the notebook must be read in execution order; in a few, the leak exists
only in that order, and in a few, a page that reads leaky is clean in that order.

Each leak is marked in the source below by a trailing ``#@ RULE | why`` comment on the first line
of the leaking statement (for a label left among the features: the line that builds ``X``; for a
random split of time-ordered or grouped data: the split call, or the splitter construction when the
splitter is passed as ``cv=``); the marker is stripped before the notebook is written, and its cell
index (markdown included) and 1-based line become the label.

    python benchmarks/leakage_corpus_i.py [DIR]
"""

# Notebook sources below are kept as written in a notebook (long lines included):
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import Spec, main, md, py
from leakage_corpus_kit import build as build_corpus

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-i"

NOTEBOOKS: dict[str, list[Spec]] = {}


# --- pharmacy sales: lag features, then a shuffled split --------------------------------------
NOTEBOOKS["pharmacy_weekly_sales"] = [
    md("# Pharmacy weekly sales forecast\nPredict next week's units per branch from lags and promotions."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

sales = pd.read_csv("pharmacy_sales.csv", parse_dates=["week"])
sales = sales.sort_values(["branch", "week"])
sales.head()
"""),
    md("## EDA\nSeasonality is strong (flu season, summer sun-care peak)."),
    py("""
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(12, 4))
for branch, g in sales.groupby("branch"):
    ax.plot(g["week"], g["units"], alpha=0.4)
sales.groupby(sales["week"].dt.isocalendar().week)["units"].mean().plot(title="mean units by ISO week")
"""),
    py("""
sales[["units", "promo", "flu_index"]].corr()
"""),
    py("""
for lag in (1, 2, 4, 52):
    sales[f"units_lag{lag}"] = sales.groupby("branch")["units"].shift(lag)
sales["roll4"] = sales.groupby("branch")["units"].transform(lambda s: s.shift(1).rolling(4).mean())
sales = sales.dropna()
"""),
    md("Feature check: lags are per branch, the rolling mean starts at the previous week."),
    py("""
sales.loc[sales.branch == sales.branch.iloc[0], ["week", "units", "units_lag1", "roll4"]].head(8)
"""),
    md("Quick split and a baseline model."),
    py("""
features = [c for c in sales.columns if c.startswith("units_lag")] + ["roll4", "promo", "flu_index"]
X_train, X_test, y_train, y_test = train_test_split(sales[features], sales["units"], test_size=0.2, random_state=7)  #@ LEAK-TEMPORAL-SPLIT | weekly series with lag features split at random, future weeks in train
gbr = GradientBoostingRegressor(n_estimators=400, max_depth=3)
gbr.fit(X_train, y_train)
print("MAE", mean_absolute_error(y_test, gbr.predict(X_test)))
"""),
]

# --- hospital beds: clean TimeSeriesSplit with a pipeline ----------------------------------------
NOTEBOOKS["bed_occupancy_forecast"] = [
    md("# Bed occupancy, 7 days ahead\nTeam report, data team, ward planning."),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score

beds = pd.read_parquet("beds_daily.parquet").set_index("date").sort_index()
beds["occ_lag7"] = beds["occupied"].shift(7)
beds["occ_lag14"] = beds["occupied"].shift(14)
beds["admissions_ma7"] = beds["admissions"].shift(7).rolling(7).mean()
beds = beds.dropna()
"""),
    py("""
beds[["occupied", "admissions"]].describe()
beds["occupied"].plot(figsize=(12, 3))
"""),
    py("""
X = beds[["occ_lag7", "occ_lag14", "admissions_ma7", "is_holiday"]]
y = beds["occupied"]
model = make_pipeline(StandardScaler(), Ridge(alpha=3.0))
tscv = TimeSeriesSplit(n_splits=6, gap=7)
scores = cross_val_score(model, X, y, cv=tscv, scoring="neg_mean_absolute_error")
print(-scores.mean())
"""),
    md("Fit on the full history for the weekly forecast run."),
    py("""
model.fit(X, y)
"""),
]

# --- horse racing: runners per horse, random split ----------------------------------------------
NOTEBOOKS["racing_win_probability"] = [
    md("# Who wins? Flat racing results 2015-2023"),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import log_loss, roc_auc_score

runs = pd.read_csv("runs.csv")
horses = pd.read_csv("horses.csv")
df = runs.merge(horses, on="horse_id")
print(df.shape, df.race_id.nunique(), df.horse_id.nunique())
"""),
    py("""
df["won"] = (df["finish_pos"] == 1).astype(int)
df["weight_per_age"] = df["carried_kg"] / df["age"]
cols = ["draw", "carried_kg", "age", "official_rating", "going_code", "distance_m", "weight_per_age", "trainer_win_rate"]
"""),
    md("Each race has 8-16 runners and exactly one winner; I keep a random 25% of runs aside."),
    py("""
tr, te = train_test_split(df, test_size=0.25, random_state=1)  #@ LEAK-GROUP-SPLIT | runners of the same race (one winner each) split across train and test at random
clf = lgb.LGBMClassifier(n_estimators=300, learning_rate=0.05)
clf.fit(tr[cols], tr["won"])
p = clf.predict_proba(te[cols])[:, 1]
print(log_loss(te["won"], p), roc_auc_score(te["won"], p))
"""),
]

# --- toll roads: scaler before the split --------------------------------------------------------
NOTEBOOKS["toll_plaza_congestion"] = [
    md("# Toll plaza congestion classifier (course lab 4)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from sklearn.metrics import classification_report
"""),
    py("""
toll = pd.read_csv("toll_plaza.csv")
toll = toll.drop(columns=["plaza_name"])
y = toll.pop("congested")
X = toll.values
"""),
    md("**Step 1.** Standardise the features (SVMs need it)."),
    py("""
sc = StandardScaler()
X = sc.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all rows before the split
"""),
    md("**Step 2.** Split and train."),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
svc = SVC(C=10, gamma="scale").fit(X_train, y_train)
print(classification_report(y_test, svc.predict(X_test)))
"""),
]

# --- wind farms: clean GroupKFold on turbine ----------------------------------------------------
NOTEBOOKS["turbine_power_curve"] = [
    md("# Turbine power curve residual model\nSCADA 10-minute records, 48 turbines."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.ensemble import RandomForestRegressor
scada = pd.read_csv("scada_10min.csv", parse_dates=["ts"])
scada = scada[scada.status == "normal"]
"""),
    py("""
scada.groupby("turbine_id")["power_kw"].mean().sort_values().plot.barh(figsize=(5, 10))
"""),
    py("""
X = scada[["wind_speed", "wind_dir", "ambient_temp", "rotor_rpm", "pitch_deg"]]
y = scada["power_kw"]
groups = scada["turbine_id"]
cv = GroupKFold(n_splits=4)
res = cross_validate(RandomForestRegressor(n_estimators=200, n_jobs=-1), X, y, groups=groups, cv=cv, scoring=["r2", "neg_root_mean_squared_error"])
pd.DataFrame(res).mean()
"""),
]

# --- phishing emails: TF-IDF fitted on all mails ------------------------------------------------
NOTEBOOKS["phish_mail_tfidf"] = [
    md("# Phishing e-mail detection with TF-IDF + logistic regression"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

mails = pd.read_json("mails.jsonl", lines=True)
mails["text"] = mails["subject"].fillna("") + " " + mails["body"].fillna("")
"""),
    py("""
vec = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True)
X = vec.fit_transform(mails["text"])  #@ LEAK-PREPROCESSING | vocabulary and idf learnt from test mails too
y = mails["is_phish"].values
"""),
    py("""
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
lr = LogisticRegression(max_iter=2000, C=4).fit(Xtr, ytr)
f1_score(yte, lr.predict(Xte))
"""),
]

# --- phishing emails: clean pipeline in grid search ---------------------------------------------
NOTEBOOKS["phish_mail_grid"] = [
    md("# Phishing e-mail detection, tuned\nSame data as last week, now the vectoriser is tuned too."),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.metrics import f1_score

mails = pd.read_json("mails.jsonl", lines=True)
text = mails["subject"].fillna("") + " " + mails["body"].fillna("")
y = mails["is_phish"]
text_tr, text_te, y_tr, y_te = train_test_split(text, y, test_size=0.2, stratify=y, random_state=42)
"""),
    py("""
pipe = Pipeline([("tfidf", TfidfVectorizer(sublinear_tf=True)), ("clf", LogisticRegression(max_iter=2000))])
grid = GridSearchCV(pipe, {"tfidf__min_df": [1, 3, 5], "tfidf__ngram_range": [(1, 1), (1, 2)], "clf__C": [0.5, 2, 8]}, cv=5, scoring="f1", n_jobs=-1)
grid.fit(text_tr, y_tr)
grid.best_params_
"""),
    py("""
print("held-out F1", f1_score(y_te, grid.predict(text_te)))
"""),
]

# --- fishing quotas: target in features ----------------------------------------------------------
NOTEBOOKS["quota_overrun"] = [
    md("# Will a vessel exceed its quota this season?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

landings = pd.read_csv("landings_2023_by_vessel.csv")
landings["overrun"] = (landings["landed_t"] > landings["quota_t"]).astype(int)
landings = pd.get_dummies(landings, columns=["gear", "port"], drop_first=True)
"""),
    py("""
X = landings.drop(columns=["vessel_id", "landed_t"])  #@ LEAK-TARGET-IN-FEATURES | overrun (the label) is still among the columns
y = landings["overrun"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=3)
rf = RandomForestClassifier(n_estimators=500, min_samples_leaf=2, random_state=3).fit(X_train, y_train)
roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])
"""),
]

# --- telematics: clean GroupShuffleSplit on driver ----------------------------------------------
NOTEBOOKS["telematics_claim_risk"] = [
    md("# Claim risk from telematics trips\nOne row per trip; a driver has hundreds of trips."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

trips = pd.read_parquet("trips.parquet")
feats = ["harsh_brakes_per_100km", "night_share", "speeding_share", "phone_use_min", "km"]
"""),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=11)
train_idx, test_idx = next(gss.split(trips, groups=trips["driver_id"]))
train, test = trips.iloc[train_idx], trips.iloc[test_idx]
assert set(train.driver_id).isdisjoint(test.driver_id)
"""),
    py("""
scaler = StandardScaler().fit(train[feats])
lr = LogisticRegression(class_weight="balanced", max_iter=500)
lr.fit(scaler.transform(train[feats]), train["claim_next_year"])
roc_auc_score(test["claim_next_year"], lr.predict_proba(scaler.transform(test[feats]))[:, 1])
"""),
]

# --- telematics: per-driver rows, random KFold passed as cv ---------------------------------------
NOTEBOOKS["telematics_kfold"] = [
    md("# Trip-level claim model, 5-fold CV"),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import HistGradientBoostingClassifier
trips = pd.read_parquet("trips.parquet")
X = trips[["harsh_brakes_per_100km", "night_share", "speeding_share", "phone_use_min", "km"]]
y = trips["claim_next_year"]
"""),
    py("""
kf = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | trips of one driver land in both train and validation folds
pipe = make_pipeline(StandardScaler(), HistGradientBoostingClassifier())
print(cross_val_score(pipe, X, y, cv=kf, scoring="roc_auc").mean())
"""),
]

# --- kindergarten: SMOTE before the split --------------------------------------------------------
NOTEBOOKS["kindergarten_readiness"] = [
    md("# School readiness screening (kindergarten cohort)\nOnly ~8% flagged, so we rebalance."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score, precision_score

kids = pd.read_csv("kg_screening.csv")
X = kids.drop(columns=["child_id", "needs_support"])
y = kids["needs_support"]
y.value_counts(normalize=True)
"""),
    py("""
X_bal, y_bal = SMOTE(random_state=5).fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic minority rows made before the split, neighbours leak into test
y_bal.value_counts()
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X_bal, y_bal, test_size=0.25, random_state=5)
rf = RandomForestClassifier(n_estimators=300, random_state=5).fit(X_tr, y_tr)
pred = rf.predict(X_te)
print(recall_score(y_te, pred), precision_score(y_te, pred))
"""),
]

# --- kindergarten: clean imblearn pipeline --------------------------------------------------------
NOTEBOOKS["kindergarten_readiness_v2"] = [
    md("# School readiness screening v2\nReviewer asked us to resample inside CV."),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

kids = pd.read_csv("kg_screening.csv")
X = kids.drop(columns=["child_id", "needs_support"])
y = kids["needs_support"]
"""),
    py("""
pipe = Pipeline([("scale", StandardScaler()), ("smote", SMOTE(random_state=5)), ("lr", LogisticRegression(max_iter=1000))])
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=5)
cross_val_score(pipe, X, y, cv=skf, scoring="recall").mean()
"""),
]


# --- opera tickets: several models compared on the test set -------------------------------------
NOTEBOOKS["opera_no_show"] = [
    md("# Opera house: predicting no-shows\nKaggle-style: EDA, features, five models."),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier, ExtraTreesClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import roc_auc_score
tickets = pd.read_csv("opera_tickets.csv")
"""),
    md("## EDA"),
    py("""
tickets.describe(include="all").T
sns.countplot(data=tickets, x="no_show", hue="channel")
plt.show()
tickets.corr(numeric_only=True)["no_show"].sort_values()
"""),
    md("## Features"),
    py("""
tickets["days_ahead"] = (pd.to_datetime(tickets.perf_date) - pd.to_datetime(tickets.buy_date)).dt.days
tickets = pd.get_dummies(tickets.drop(columns=["ticket_id", "perf_date", "buy_date"]), drop_first=True)
X = tickets.drop(columns="no_show")
y = tickets["no_show"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2023, stratify=y)
"""),
    md("## Models"),
    py("""
models = {
    "logreg": LogisticRegression(max_iter=3000),
    "rf": RandomForestClassifier(n_estimators=400, random_state=0),
    "gb": GradientBoostingClassifier(random_state=0),
    "et": ExtraTreesClassifier(n_estimators=400, random_state=0),
    "knn": KNeighborsClassifier(n_neighbors=25),
}
results = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    results[name] = roc_auc_score(y_test, m.predict_proba(X_test)[:, 1])  #@ LEAK-MULTI-TEST | five models ranked on the same test set
pd.Series(results).sort_values(ascending=False)
"""),
    py("""
best = max(results, key=results.get)
print("going with", best)
"""),
]

# --- opera tickets: clean, selection on validation, one test score ------------------------------
NOTEBOOKS["opera_no_show_holdout"] = [
    md("# Opera no-shows: model choice on a validation split"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
tickets = pd.read_csv("opera_tickets_features.csv")
X = tickets.drop(columns=["ticket_id", "no_show"])
y = tickets["no_show"]
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=1)
"""),
    py("""
candidates = [LogisticRegression(max_iter=3000), RandomForestClassifier(n_estimators=300), GradientBoostingClassifier()]
val_auc = [roc_auc_score(y_val, m.fit(X_train, y_train).predict_proba(X_val)[:, 1]) for m in candidates]
chosen = candidates[int(pd.Series(val_auc).idxmax())]
val_auc
"""),
    py("""
chosen.fit(X_rest, y_rest)
print("test AUC:", roc_auc_score(y_test, chosen.predict_proba(X_test)[:, 1]))
"""),
]

# --- coral reefs: imputer fitted on test separately -----------------------------------------------
NOTEBOOKS["reef_bleaching"] = [
    md("# Coral bleaching severity from survey + SST anomalies"),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
train = pd.read_csv("reef_surveys_2010_2018.csv")
test = pd.read_csv("reef_surveys_2019_2021.csv")
cols = ["sst_anomaly", "dhw", "depth_m", "turbidity", "cyclone_freq", "lat_abs"]
"""),
    py("""
imp = SimpleImputer(strategy="median")
X_train = imp.fit_transform(train[cols])
"""),
    md("The later surveys have more gaps, so impute them with their own medians."),
    py("""
imp_test = SimpleImputer(strategy="median")
X_test = imp_test.fit_transform(test[cols])  #@ LEAK-FIT-ON-TEST | imputer fitted on the test surveys
rf = RandomForestClassifier(n_estimators=400, class_weight="balanced").fit(X_train, train["severity"])
balanced_accuracy_score(test["severity"], rf.predict(X_test))
"""),
]

# --- 3D printers: clean ColumnTransformer in cross_val_score -------------------------------------
NOTEBOOKS["print_failure_ct"] = [
    md("# 3D print failure prediction\nPrint logs from the makerspace fleet."),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score, StratifiedKFold
logs = pd.read_csv("print_logs.csv")
num = ["nozzle_temp", "bed_temp", "speed_mm_s", "layer_h", "infill_pct", "room_humidity"]
cat = ["material", "printer_model"]
"""),
    py("""
pre = ColumnTransformer([
    ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
    ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
])
clf = Pipeline([("pre", pre), ("rf", RandomForestClassifier(n_estimators=300, random_state=0))])
cv = StratifiedKFold(5, shuffle=True, random_state=0)
scores = cross_val_score(clf, logs[num + cat], logs["failed"], cv=cv, scoring="f1")
scores.mean(), scores.std()
"""),
]

# --- 3D printers: preprocessing outside CV --------------------------------------------------------
NOTEBOOKS["print_failure_quick"] = [
    md("# 3D print failures - quick CV"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier
logs = pd.read_csv("print_logs.csv").dropna()
num = ["nozzle_temp", "bed_temp", "speed_mm_s", "layer_h", "infill_pct", "room_humidity"]
"""),
    py("""
X = StandardScaler().fit_transform(logs[num])  #@ LEAK-PREPROCESSING | scaler fitted on every fold's validation rows before cross-validation
y = logs["failed"]
for k in (5, 15):
    print(k, cross_val_score(KNeighborsClassifier(n_neighbors=k), X, y, cv=5).mean())
"""),
]

# --- weather radar: out-of-order, clean in execution order (sort ran before split) ---------------
NOTEBOOKS["radar_nowcast"] = [
    md("# Radar nowcasting: rain rate in 30 minutes\nCells were re-run during the session; execution counts show the order."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
radar = pd.read_parquet("radar_pixels_5min.parquet")
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(radar[feats], radar["rain_rate_t30"], test_size=0.2, shuffle=False)
""", 4),
    md("Order the scans in time and build the features."),
    py("""
radar = radar.sort_values("scan_time").reset_index(drop=True)
radar["dbz_lag1"] = radar.groupby("pixel")["dbz"].shift(1)
radar["dbz_lag2"] = radar.groupby("pixel")["dbz"].shift(2)
radar = radar.dropna()
feats = ["dbz", "dbz_lag1", "dbz_lag2", "echo_top_km", "vil"]
""", 3),
    py("""
hgb = HistGradientBoostingRegressor(max_iter=300).fit(X_train, y_train)
mean_absolute_error(y_test, hgb.predict(X_test))
""", 5),
]

# --- call transcripts: out-of-order, leak only in execution order -------------------------------
NOTEBOOKS["call_topic_classifier"] = [
    md("# Contact-reason classifier from call transcripts"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
calls = pd.read_csv("transcripts.csv")
calls = calls.drop_duplicates("call_id")
""", 1),
    py("""
tr, te = train_test_split(calls, test_size=0.2, random_state=4, stratify=calls["reason"])
""", 3),
    md("Fill short/empty transcripts with the most common phrase."),
    py("""
calls["text"] = calls["text"].fillna(calls["text"].mode()[0])  #@ LEAK-PREPROCESSING | executed (In[2]) before the split cell (In[3]): the mode comes from all calls
""", 2),
    py("""
cv = CountVectorizer(min_df=2)
Xtr = cv.fit_transform(tr["text"])
Xte = cv.transform(te["text"])
nb = MultinomialNB().fit(Xtr, tr["reason"])
accuracy_score(te["reason"], nb.predict(Xte))
""", 4),
]

# --- avalanche danger: chronological split, clean -----------------------------------------------
NOTEBOOKS["avalanche_danger_level"] = [
    md("# Avalanche danger level from weather station data\nTrain on winters up to 2019/20, test on the last three."),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import cohen_kappa_score
wx = pd.read_csv("station_daily.csv", parse_dates=["date"])
wx = wx.sort_values(["station", "date"])
wx["new_snow_3d"] = wx.groupby("station")["new_snow_cm"].transform(lambda s: s.rolling(3, min_periods=1).sum())
wx["temp_trend"] = wx.groupby("station")["air_temp"].diff()
wx = wx.dropna()
"""),
    py("""
cutoff = pd.Timestamp("2020-07-01")
train = wx[wx["date"] < cutoff]
test = wx[wx["date"] >= cutoff]
features = ["new_snow_3d", "temp_trend", "wind_max", "hs_cm", "rh", "air_temp"]
rf = RandomForestClassifier(n_estimators=500, min_samples_leaf=5, random_state=0)
rf.fit(train[features], train["danger_level"])
cohen_kappa_score(test["danger_level"], rf.predict(test[features]), weights="quadratic")
"""),
]

# --- ambulance response: target encoding by hand on the whole frame ------------------------------
NOTEBOOKS["ambulance_response_time"] = [
    md("# Ambulance response time > 8 min?\nDispatch log, one row per call."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
calls = pd.read_csv("dispatch.csv")
calls["late"] = (calls["response_min"] > 8).astype(int)
"""),
    md("Postcode sector has ~900 levels; mean-encode it."),
    py("""
sector_rate = calls.groupby("postcode_sector")["late"].mean()  #@ LEAK-PREPROCESSING | target mean per sector computed over all calls, test labels included
calls["sector_te"] = calls["postcode_sector"].map(sector_rate)
"""),
    py("""
feats = ["sector_te", "hour", "is_weekend", "priority", "units_available"]
X_tr, X_te, y_tr, y_te = train_test_split(calls[feats], calls["late"], test_size=0.2, random_state=8)
lr = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
roc_auc_score(y_te, lr.predict_proba(X_te)[:, 1])
"""),
]

# --- ambulance response: clean, encoding computed on train only ----------------------------------
NOTEBOOKS["ambulance_response_v2"] = [
    md("# Ambulance response time, sector encoding fitted on train"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
calls = pd.read_csv("dispatch.csv")
calls["late"] = (calls["response_min"] > 8).astype(int)
train, test = train_test_split(calls, test_size=0.2, random_state=8)
train = train.copy(); test = test.copy()
"""),
    py("""
def add_sector_rate(train, test, col="postcode_sector", target="late", k=20):
    prior = train[target].mean()
    stats = train.groupby(col)[target].agg(["sum", "count"])
    smooth = (stats["sum"] + k * prior) / (stats["count"] + k)
    train[col + "_te"] = train[col].map(smooth)
    test[col + "_te"] = test[col].map(smooth).fillna(prior)
    return train, test

train, test = add_sector_rate(train, test)
"""),
    py("""
feats = ["postcode_sector_te", "hour", "is_weekend", "priority", "units_available"]
lr = LogisticRegression(max_iter=1000).fit(train[feats], train["late"])
roc_auc_score(test["late"], lr.predict_proba(test[feats])[:, 1])
"""),
]

# --- cement strength: early stopping on the test set ---------------------------------------------
NOTEBOOKS["cement_strength_xgb"] = [
    md("# Concrete compressive strength with XGBoost"),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score
mix = pd.read_csv("concrete.csv")
X = mix.drop(columns="strength_mpa")
y = mix["strength_mpa"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=10)
"""),
    py("""
model = xgb.XGBRegressor(n_estimators=5000, learning_rate=0.02, max_depth=5, early_stopping_rounds=100)
model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=500)  #@ LEAK-MULTI-TEST | early stopping watches the test set
print(model.best_iteration, r2_score(y_test, model.predict(X_test)))
"""),
]

# --- cement strength: clean, early stopping on a validation split ---------------------------------
NOTEBOOKS["cement_strength_lgbm"] = [
    md("# Concrete strength with LightGBM\nEarly stopping uses a validation slice carved from train."),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score
mix = pd.read_csv("concrete.csv")
X, y = mix.drop(columns="strength_mpa"), mix["strength_mpa"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=10)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.15, random_state=10)
"""),
    py("""
reg = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.02, num_leaves=31)
reg.fit(X_fit, y_fit, eval_set=[(X_val, y_val)], callbacks=[lgb.early_stopping(100), lgb.log_evaluation(500)])
print("test R2", r2_score(y_test, reg.predict(X_test)))
"""),
]

# --- tennis serves: player-level rows, clean GroupKFold but EDA whole frame -----------------------
NOTEBOOKS["tennis_ace_model"] = [
    md("# Ace probability per serve (Hawk-Eye sample)"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
import numpy as np
serves = pd.read_parquet("serves.parquet")
serves.groupby("server_id")["ace"].mean().describe()
"""),
    py("""
feats = ["speed_kmh", "spin_rpm", "net_clearance_cm", "placement_x", "placement_y", "is_second", "surface_code"]
X, y, g = serves[feats].to_numpy(), serves["ace"].to_numpy(), serves["server_id"].to_numpy()
aucs = []
for fold, (tr, va) in enumerate(GroupKFold(n_splits=5).split(X, y, groups=g)):
    clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1)
    clf.fit(X[tr], y[tr])
    aucs.append(roc_auc_score(y[va], clf.predict_proba(X[va])[:, 1]))
    print(fold, round(aucs[-1], 4))
np.mean(aucs)
"""),
]

# --- tennis: random split on serves, players on both sides, plus scaler before split --------------
NOTEBOOKS["tennis_serve_speed"] = [
    md("# Serve speed regression, quick notebook\nThe coaching app will score serves of players it has never seen; ~300 serves per player_id."),
    py("""
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
serves = pd.read_parquet("serves.parquet")
print(serves["player_id"].nunique(), len(serves))
cols = ["height_cm", "toss_height_cm", "racket_speed", "is_second", "fatigue_idx"]
"""),
    py("""
mm = MinMaxScaler()
serves[cols] = mm.fit_transform(serves[cols])  #@ LEAK-PREPROCESSING | min/max taken over all serves before the split
"""),
    py("""
train_df, test_df = train_test_split(serves, test_size=0.2, random_state=99)  #@ LEAK-GROUP-SPLIT | serves of the same player in train and test
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=400, random_state=0)
mlp.fit(train_df[cols], train_df["speed_kmh"])
mlp.score(test_df[cols], test_df["speed_kmh"])
"""),
]

# --- hearing aids: scaler re-fitted on the test file ---------------------------------------------
NOTEBOOKS["hearing_aid_fitting"] = [
    md("# Predicting return of hearing aids within 60 days"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
train = pd.read_csv("fittings_train.csv")
test = pd.read_csv("fittings_test.csv")
num = ["pta_left", "pta_right", "age", "visits", "gain_change_db", "hours_per_day"]
"""),
    py("""
sc = StandardScaler()
Xtr = sc.fit_transform(train[num])
Xte = sc.fit_transform(test[num])  #@ LEAK-FIT-ON-TEST | scaler re-fitted on the test set
clf = LogisticRegression(max_iter=500).fit(Xtr, train["returned"])
roc_auc_score(test["returned"], clf.predict_proba(Xte)[:, 1])
"""),
]

# --- ocean buoys: clean, lag features + chronological split + scaler on train ---------------------
NOTEBOOKS["buoy_wave_height"] = [
    md("# Significant wave height, 6h ahead, from one buoy"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_squared_error
buoy = pd.read_csv("buoy_46042.csv", parse_dates=["time"]).set_index("time").asfreq("1h")
buoy = buoy.ffill(limit=3)
for h in (6, 12, 24):
    buoy[f"hs_lag{h}"] = buoy["hs"].shift(h)
buoy["wind_ma12"] = buoy["wind_speed"].shift(6).rolling(12).mean()
buoy["target"] = buoy["hs"].shift(-6)
buoy = buoy.dropna()
"""),
    py("""
n = len(buoy)
train, test = buoy.iloc[: int(n * 0.8)], buoy.iloc[int(n * 0.8):]
feats = ["hs_lag6", "hs_lag12", "hs_lag24", "wind_ma12", "pressure"]
sc = StandardScaler().fit(train[feats])
en = ElasticNet(alpha=0.01).fit(sc.transform(train[feats]), train["target"])
mean_squared_error(test["target"], en.predict(sc.transform(test[feats]))) ** 0.5
"""),
]

# --- ocean buoys: shuffled CV on hourly data -----------------------------------------------------
NOTEBOOKS["buoy_wave_cv"] = [
    md("# Wave height model, cross-validated"),
    py("""
import pandas as pd
from sklearn.model_selection import cross_val_score, KFold
from sklearn.ensemble import RandomForestRegressor
buoy = pd.read_csv("buoy_46042_features.csv", parse_dates=["time"]).sort_values("time")
feats = ["hs_lag6", "hs_lag12", "hs_lag24", "wind_ma12", "pressure"]
"""),
    py("""
cv = KFold(n_splits=10, shuffle=True, random_state=1)  #@ LEAK-TEMPORAL-SPLIT | hourly series with lags cross-validated with shuffled folds
rf = RandomForestRegressor(n_estimators=300, n_jobs=-1)
scores = cross_val_score(rf, buoy[feats], buoy["target"], cv=cv, scoring="neg_root_mean_squared_error")
-scores.mean()
"""),
]

# --- pollen counts: clean, rolling features, TimeSeriesSplit grid search -------------------------
NOTEBOOKS["pollen_forecast_grid"] = [
    md("# Birch pollen count forecast\nGrid search with time-ordered folds."),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
pollen = pd.read_csv("pollen_daily.csv", parse_dates=["day"]).sort_values("day")
pollen["count_lag1"] = pollen["count"].shift(1)
pollen["gdd_sum"] = pollen["temp_mean"].clip(lower=5).sub(5).cumsum()
pollen = pollen.dropna()
X, y = pollen[["count_lag1", "gdd_sum", "rain_mm", "wind_ms"]], pollen["count"]
"""),
    py("""
split_at = int(len(X) * 0.85)
X_train, X_test, y_train, y_test = X[:split_at], X[split_at:], y[:split_at], y[split_at:]
gs = GridSearchCV(Pipeline([("sc", StandardScaler()), ("svr", SVR())]), {"svr__C": [1, 10, 100], "svr__epsilon": [0.1, 1.0]}, cv=TimeSeriesSplit(5))
gs.fit(X_train, y_train)
print(gs.best_params_, gs.score(X_test, y_test))
"""),
]


# --- bridge inspections: SelectKBest on all rows, then CV ---------------------------------------
NOTEBOOKS["bridge_condition_selectk"] = [
    md("# Bridge deck condition rating\nNational inventory extract, ~120 numeric columns."),
    py("""
import pandas as pd
import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score, StratifiedKFold
nbi = pd.read_csv("bridge_inventory.csv", low_memory=False)
y = (nbi["deck_rating"] <= 4).astype(int)
X = nbi.select_dtypes("number").drop(columns=["deck_rating", "structure_number"]).fillna(-1)
"""),
    md("Keep the 25 most informative columns."),
    py("""
selector = SelectKBest(f_classif, k=25)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | feature selection uses labels of the rows later used as CV validation folds
kept = X.columns[selector.get_support()]
list(kept)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=400, n_jobs=-1, random_state=0)
cross_val_score(rf, X_sel, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring="roc_auc").mean()
"""),
]

# --- bridges: clean, selection inside the pipeline ------------------------------------------------
NOTEBOOKS["bridge_condition_pipeline"] = [
    md("# Bridge deck condition, selection inside CV"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_selection import VarianceThreshold, SelectKBest, f_classif
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score
nbi = pd.read_csv("bridge_inventory.csv", low_memory=False)
y = (nbi["deck_rating"] <= 4).astype(int)
X = nbi.select_dtypes("number").drop(columns=["deck_rating", "structure_number"])
"""),
    py("""
pipe = make_pipeline(SimpleImputer(strategy="median"), VarianceThreshold(1e-4), SelectKBest(f_classif, k=25), RandomForestClassifier(n_estimators=400, random_state=0))
cross_val_score(pipe, X, y, cv=5, scoring="roc_auc").mean()
"""),
]

# --- laundromats: manual upsampling with resample before split ------------------------------------
NOTEBOOKS["laundromat_machine_fault"] = [
    md("# Washer fault prediction from cycle telemetry"),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import f1_score
cycles = pd.read_csv("cycles.csv")
faulty = cycles[cycles.fault == 1]
ok = cycles[cycles.fault == 0]
print(len(faulty), len(ok))
"""),
    py("""
faulty_up = resample(faulty, replace=True, n_samples=len(ok), random_state=123)  #@ LEAK-OVERLAP | fault cycles duplicated before the split, copies on both sides
balanced = pd.concat([ok, faulty_up]).sample(frac=1, random_state=123)
"""),
    py("""
feats = ["motor_current_a", "drum_rpm", "water_temp", "fill_time_s", "vibration_g", "load_kg"]
X_tr, X_te, y_tr, y_te = train_test_split(balanced[feats], balanced["fault"], test_size=0.2, random_state=123)
gb = GradientBoostingClassifier().fit(X_tr, y_tr)
f1_score(y_te, gb.predict(X_te))
"""),
]

# --- laundromats: clean, upsample the training part only -----------------------------------------
NOTEBOOKS["laundromat_fault_v2"] = [
    md("# Washer faults: upsampling after the split"),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import f1_score
cycles = pd.read_csv("cycles.csv")
feats = ["motor_current_a", "drum_rpm", "water_temp", "fill_time_s", "vibration_g", "load_kg"]
train, test = train_test_split(cycles, test_size=0.2, stratify=cycles["fault"], random_state=123)
"""),
    py("""
minority = train[train.fault == 1]
majority = train[train.fault == 0]
train_bal = pd.concat([majority, resample(minority, replace=True, n_samples=len(majority), random_state=1)])
gb = GradientBoostingClassifier().fit(train_bal[feats], train_bal["fault"])
f1_score(test["fault"], gb.predict(test[feats]))
"""),
]

# --- organ transplants: patients with several transplants, random split + label in features -----
NOTEBOOKS["graft_survival"] = [
    md("# One-year graft failure\nRegistry extract: one row per transplant; some recipients were transplanted more than once."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
tx = pd.read_csv("transplants.csv")
tx["fail_1y"] = ((tx["graft_days"] < 365) & (tx["graft_lost"] == 1)).astype(int)
tx.groupby("recipient_id").size().value_counts()
"""),
    py("""
X = tx.drop(columns=["fail_1y", "recipient_id", "tx_id"])  #@ LEAK-TARGET-IN-FEATURES | graft_days and graft_lost define the label and stay in X
y = tx["fail_1y"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)  #@ LEAK-GROUP-SPLIT | repeat recipients on both sides
rf = RandomForestClassifier(n_estimators=500, random_state=0).fit(X_train, y_train)
roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])
"""),
]

# --- cricket: ball-by-ball, time order within match, clean split by season ------------------------
NOTEBOOKS["cricket_win_predictor"] = [
    md("# T20 second-innings win probability\nBall-by-ball data; train on seasons before 2022."),
    py("""
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import brier_score_loss
balls = pd.read_csv("t20_balls.csv")
balls = balls[balls.innings == 2]
balls["runs_needed"] = balls["target"] - balls["score"]
balls["balls_left"] = 120 - balls["ball_no"]
balls["rrr"] = balls["runs_needed"] / balls["balls_left"].clip(lower=1) * 6
feats = ["runs_needed", "balls_left", "wickets_left", "rrr"]
"""),
    py("""
train = balls[balls.season < 2022]
test = balls[balls.season >= 2022]
wp = make_pipeline(StandardScaler(), LogisticRegression()).fit(train[feats], train["batting_won"])
brier_score_loss(test["batting_won"], wp.predict_proba(test[feats])[:, 1])
"""),
]

# --- cricket: PCA on stacked train+test ------------------------------------------------------------
NOTEBOOKS["cricket_player_clusters"] = [
    md("# Batter style embedding + strike-rate regression"),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge
train = pd.read_csv("batters_2019_2021.csv")
test = pd.read_csv("batters_2022.csv")
shot_cols = [c for c in train.columns if c.startswith("shot_")]
"""),
    py("""
both = np.vstack([train[shot_cols].values, test[shot_cols].values])
pca = PCA(n_components=8).fit(both)  #@ LEAK-PREPROCESSING | PCA fitted on train and test rows stacked together
Z_train = pca.transform(train[shot_cols].values)
Z_test = pca.transform(test[shot_cols].values)
"""),
    py("""
ridge = Ridge(alpha=1.0).fit(Z_train, train["strike_rate"])
ridge.score(Z_test, test["strike_rate"])
"""),
]

# --- hospital beds: length-of-stay with category_encoders on the full frame -----------------------
NOTEBOOKS["length_of_stay_encoders"] = [
    md("# Length of stay > 7 days\nUses category_encoders for the high-cardinality codes."),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
stays = pd.read_csv("admissions.csv")
stays["long_stay"] = (stays["los_days"] > 7).astype(int)
cat_cols = ["primary_dx", "procedure_code", "ward", "consultant"]
"""),
    py("""
enc = ce.TargetEncoder(cols=cat_cols, smoothing=10)
encoded = enc.fit_transform(stays[cat_cols + ["age", "n_meds", "emergency"]], stays["long_stay"])  #@ LEAK-PREPROCESSING | target encoder fitted on all admissions before the split
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(encoded, stays["long_stay"], test_size=0.25, random_state=17)
hgb = HistGradientBoostingClassifier().fit(X_train, y_train)
roc_auc_score(y_test, hgb.predict_proba(X_test)[:, 1])
"""),
]

# --- length of stay: clean, encoder in pipeline ---------------------------------------------------
NOTEBOOKS["length_of_stay_pipeline"] = [
    md("# Length of stay > 7 days, encoder inside the pipeline"),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.pipeline import Pipeline
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
stays = pd.read_csv("admissions.csv")
y = (stays["los_days"] > 7).astype(int)
X = stays[["primary_dx", "procedure_code", "ward", "consultant", "age", "n_meds", "emergency"]]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=17)
"""),
    py("""
pipe = Pipeline([("te", ce.TargetEncoder(cols=["primary_dx", "procedure_code", "ward", "consultant"], smoothing=10)), ("hgb", HistGradientBoostingClassifier())])
pipe.fit(X_train, y_train)
roc_auc_score(y_test, pipe.predict_proba(X_test)[:, 1])
"""),
]


# --- call transcripts: audio-style text augmentation before the split ----------------------------
NOTEBOOKS["call_sentiment_augmented"] = [
    md("# Customer sentiment from call transcripts\nFew negative calls, so we augment them with synonym swaps and back-translation."),
    py("""
import random
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
random.seed(0)
calls = pd.read_csv("call_transcripts_labelled.csv")
"""),
    md("## Look at the data"),
    py("""
print(calls.shape)
calls["sentiment"].value_counts().plot.bar()
calls["n_words"] = calls["text"].str.split().str.len()
calls.groupby("sentiment")["n_words"].describe()
"""),
    md("## Augmentation helpers"),
    py("""
SYN = {"terrible": "awful", "cancel": "terminate", "refund": "money back", "angry": "furious", "wait": "hold"}

def augment(text):
    words = text.split()
    return " ".join(SYN.get(w, w) if random.random() < 0.5 else w for w in words)

def augment_frame(frame, n_copies=3):
    extra = [frame.assign(text=frame["text"].map(augment)) for _ in range(n_copies)]
    return pd.concat([frame] + extra, ignore_index=True)
"""),
    md("## Rebalance"),
    py("""
neg = calls[calls.sentiment == "negative"]
calls_aug = pd.concat([calls, augment_frame(neg)], ignore_index=True)  #@ LEAK-OVERLAP | augmented near-copies of negative calls made before the split
"""),
    md("## Model"),
    py("""
train, test = train_test_split(calls_aug, test_size=0.2, random_state=0, stratify=calls_aug["sentiment"])
vec = TfidfVectorizer(min_df=2)
svm = LinearSVC().fit(vec.fit_transform(train.text), train.sentiment)
f1_score(test.sentiment, svm.predict(vec.transform(test.text)), average="macro")
"""),
]

# --- call transcripts: clean, augment training split only ----------------------------------------
NOTEBOOKS["call_sentiment_aug_train"] = [
    md("# Customer sentiment, augmentation applied to the training calls only"),
    py("""
import random
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
random.seed(0)
calls = pd.read_csv("call_transcripts_labelled.csv")
train, test = train_test_split(calls, test_size=0.2, random_state=0, stratify=calls["sentiment"])
"""),
    py("""
SYN = {"terrible": "awful", "cancel": "terminate", "refund": "money back"}
def augment(text):
    return " ".join(SYN.get(w, w) if random.random() < 0.5 else w for w in text.split())

neg_train = train[train.sentiment == "negative"]
train_aug = pd.concat([train, neg_train.assign(text=neg_train.text.map(augment))], ignore_index=True)
"""),
    py("""
model = make_pipeline(TfidfVectorizer(min_df=2), LinearSVC())
model.fit(train_aug.text, train_aug.sentiment)
f1_score(test.sentiment, model.predict(test.text), average="macro")
"""),
]

# --- weather radar: hail classifier, keras validation_data = test ---------------------------------
NOTEBOOKS["radar_hail_cnn"] = [
    md("# Hail detection from radar patches (Keras)"),
    py("""
import numpy as np
from tensorflow import keras
from sklearn.model_selection import train_test_split
patches = np.load("radar_patches.npy")
labels = np.load("hail_labels.npy")
x_train, x_test, y_train, y_test = train_test_split(patches, labels, test_size=0.15, random_state=21)
x_train = x_train / 75.0
x_test = x_test / 75.0
"""),
    py("""
model = keras.Sequential([
    keras.layers.Input(shape=x_train.shape[1:]),
    keras.layers.Conv2D(16, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
"""),
    py("""
history = model.fit(x_train, y_train, epochs=100, batch_size=64, validation_data=(x_test, y_test), callbacks=[stop])  #@ LEAK-MULTI-TEST | early stopping restores the epoch that is best on the test set
model.evaluate(x_test, y_test)
"""),
]

# --- radar hail: clean, validation_split from train ------------------------------------------------
NOTEBOOKS["radar_hail_cnn_v2"] = [
    md("# Hail detection, validation split from the training patches"),
    py("""
import numpy as np
from tensorflow import keras
from sklearn.model_selection import train_test_split
patches = np.load("radar_patches.npy") / 75.0
labels = np.load("hail_labels.npy")
x_train, x_test, y_train, y_test = train_test_split(patches, labels, test_size=0.15, random_state=21)
x_tr, x_val, y_tr, y_val = train_test_split(x_train, y_train, test_size=0.15, random_state=21)
"""),
    py("""
model = keras.Sequential([keras.layers.Input(shape=x_tr.shape[1:]), keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
model.fit(x_tr, y_tr, epochs=100, batch_size=64, validation_data=(x_val, y_val), callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
print(model.evaluate(x_test, y_test))
"""),
]

# --- wind farms: hyperparameter loop printing test RMSE --------------------------------------------
NOTEBOOKS["wind_farm_output_depth"] = [
    md("# Day-ahead wind farm output: tree depth study"),
    py("""
import pandas as pd
from sklearn.tree import DecisionTreeRegressor
from sklearn.metrics import mean_squared_error
farm = pd.read_csv("farm_hourly.csv", parse_dates=["hour"]).sort_values("hour")
feats = ["nwp_wind_100m", "nwp_dir", "nwp_temp", "hour_of_day", "month"]
train = farm[farm.hour < "2023-01-01"]
test = farm[farm.hour >= "2023-01-01"]
"""),
    py("""
for depth in [3, 5, 8, 12, 16, None]:
    tree = DecisionTreeRegressor(max_depth=depth, random_state=0).fit(train[feats], train["mw"])
    rmse = mean_squared_error(test["mw"], tree.predict(test[feats])) ** 0.5  #@ LEAK-MULTI-TEST | depth chosen by looking at test RMSE for each setting
    print(depth, round(rmse, 2))
"""),
    md("Depth 8 looks best, use it."),
    py("""
final = DecisionTreeRegressor(max_depth=8, random_state=0).fit(train[feats], train["mw"])
"""),
]

# --- wind farms: clean, one test evaluation after TimeSeriesSplit tuning --------------------------
NOTEBOOKS["wind_farm_output_tuned"] = [
    md("# Day-ahead wind farm output, depth chosen on time-ordered CV"),
    py("""
import pandas as pd
from sklearn.tree import DecisionTreeRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.metrics import mean_squared_error
farm = pd.read_csv("farm_hourly.csv", parse_dates=["hour"]).sort_values("hour")
feats = ["nwp_wind_100m", "nwp_dir", "nwp_temp", "hour_of_day", "month"]
train = farm[farm.hour < "2023-01-01"]
test = farm[farm.hour >= "2023-01-01"]
"""),
    py("""
search = GridSearchCV(DecisionTreeRegressor(random_state=0), {"max_depth": [3, 5, 8, 12, 16, None]}, cv=TimeSeriesSplit(n_splits=5), scoring="neg_root_mean_squared_error")
search.fit(train[feats], train["mw"])
print(search.best_params_)
print("test RMSE", mean_squared_error(test["mw"], search.predict(test[feats])) ** 0.5)
"""),
]

# --- fishing quotas: catch per haul, random split of a time series -----------------------------------
NOTEBOOKS["haul_catch_forecast"] = [
    md("# Next-day catch per haul, cod quota area 4"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
hauls = pd.read_csv("hauls.csv", parse_dates=["date"]).sort_values("date")
daily = hauls.groupby("date").agg(catch_t=("catch_t", "sum"), effort_h=("tow_hours", "sum"), sst=("sst", "mean"))
daily["catch_lag1"] = daily["catch_t"].shift(1)
daily["catch_ma7"] = daily["catch_t"].shift(1).rolling(7).mean()
daily["target"] = daily["catch_t"].shift(-1)
daily = daily.dropna()
"""),
    py("""
X, y = daily[["catch_lag1", "catch_ma7", "effort_h", "sst"]], daily["target"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  #@ LEAK-TEMPORAL-SPLIT | daily series with lags and a next-day target split at random
rf = RandomForestRegressor(n_estimators=300).fit(X_train, y_train)
rf.score(X_test, y_test)
"""),
]

# --- fishing: clean, split on dates with shuffle=False ---------------------------------------------
NOTEBOOKS["haul_catch_forecast_v2"] = [
    md("# Next-day catch, time-ordered hold-out"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
daily = pd.read_csv("daily_catch_features.csv", parse_dates=["date"]).set_index("date").sort_index()
X, y = daily[["catch_lag1", "catch_ma7", "effort_h", "sst"]], daily["target"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
rf = RandomForestRegressor(n_estimators=300, random_state=0).fit(X_train, y_train)
rf.score(X_test, y_test)
"""),
]


# --- pharmacy: out-of-order; page reads leaky (copy with label), execution order is clean ----------
NOTEBOOKS["pharmacy_stockout"] = [
    md("# Stock-out risk per SKU and branch\nWorking notebook; cells were re-run out of order."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score
sku = pd.read_csv("sku_branch_summary.csv")
""", 1),
    py("""
X = sku.copy()
""", 2),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=3)
tr_idx, te_idx = next(gss.split(X, groups=sku["branch_id"]))
rf = RandomForestClassifier(n_estimators=300, random_state=3).fit(X.iloc[tr_idx], sku["stockout"].iloc[tr_idx])
average_precision_score(sku["stockout"].iloc[te_idx], rf.predict_proba(X.iloc[te_idx])[:, 1])
""", 4),
    md("Keep only the numeric drivers."),
    py("""
X = sku[["avg_daily_units", "lead_time_d", "safety_stock", "promo_flag", "supplier_fill_rate"]]
""", 3),
]

# --- hospital beds: out-of-order; scaler cell run before the split cell ----------------------------
NOTEBOOKS["icu_transfer_risk"] = [
    md("# ICU transfer within 24h (ward vitals)"),
    py("""
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
vitals = pd.read_csv("ward_vitals_snapshot.csv")
cols = ["hr", "rr", "sbp", "spo2", "temp", "gcs", "lactate"]
vitals = vitals.dropna(subset=cols)
X = vitals[cols]
y = vitals["icu_24h"]
""", 1),
    md("Split first."),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=12)
""", 3),
    md("Robust scaling (lactate is heavy-tailed)."),
    py("""
X = pd.DataFrame(RobustScaler().fit_transform(X), columns=cols)  #@ LEAK-PREPROCESSING | In[2] ran before the split in In[3]: scaler fitted on all rows, test included
""", 2),
    py("""
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1])
""", 4),
]

# --- toll roads: out-of-order; SMOTE cell executed after the split, on train only, clean ---------
NOTEBOOKS["toll_evasion"] = [
    md("# Toll evasion detection (ANPR reads)\nThe resampling cell sits above the split on the page but was run after it."),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import recall_score
reads = pd.read_csv("anpr_reads.csv")
feats = ["speed_kmh", "lane", "plate_conf", "hour", "vehicle_class", "tag_present"]
""", 1),
    py("""
ros = RandomOverSampler(random_state=0)
X_train, y_train = ros.fit_resample(X_train, y_train)
""", 3),
    py("""
X_train, X_test, y_train, y_test = train_test_split(reads[feats], reads["evaded"], test_size=0.25, stratify=reads["evaded"], random_state=0)
""", 2),
    py("""
et = ExtraTreesClassifier(n_estimators=400, random_state=0).fit(X_train, y_train)
recall_score(y_test, et.predict(X_test))
""", 4),
]

# --- horse racing: out-of-order; leak only in execution order (target encoding before split) -----
NOTEBOOKS["racing_jockey_form"] = [
    md("# Place prediction with jockey form\nRe-ran the encoding cell after editing it."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
runs = pd.read_csv("runs.csv")
runs["placed"] = (runs["finish_pos"] <= 3).astype(int)
""", 1),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr_idx, te_idx = next(gss.split(runs, groups=runs["race_id"]))
train, test = runs.iloc[tr_idx].copy(), runs.iloc[te_idx].copy()
""", 2),
    py("""
jockey_rate = runs.groupby("jockey")["placed"].mean()  #@ LEAK-PREPROCESSING | In[4]: place rate per jockey taken from all runs (the split frames are rebuilt in In[5]), test labels included
runs["jockey_rate"] = runs["jockey"].map(jockey_rate)
""", 4),
    py("""
train, test = runs.iloc[tr_idx].copy(), runs.iloc[te_idx].copy()
feats = ["jockey_rate", "draw", "official_rating", "carried_kg"]
lr = LogisticRegression(max_iter=1000).fit(train[feats], train["placed"])
roc_auc_score(test["placed"], lr.predict_proba(test[feats])[:, 1])
""", 5),
]

# --- kindergarten: fit on full data, then evaluate on a split of it ----------------------------------
NOTEBOOKS["kindergarten_attendance"] = [
    md("# Chronic absence prediction (kindergarten)"),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
att = pd.read_csv("attendance_term1.csv")
X = att[["distance_km", "siblings", "sick_days_prev", "bus_user", "age_months"]]
y = att["chronic_absent"]
"""),
    py("""
rf = RandomForestClassifier(n_estimators=200, random_state=0)
rf.fit(X, y)  #@ LEAK-OVERLAP | model fitted on all children, then scored on a split of the same rows
"""),
    md("Check accuracy on a hold-out."),
    py("""
_, X_test, _, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
accuracy_score(y_test, rf.predict(X_test))
"""),
]

# --- opera: clean, refit on everything after evaluation ---------------------------------------------
NOTEBOOKS["opera_price_elasticity"] = [
    md("# Opera seat price elasticity model\nEvaluate, then refit on all seasons for production."),
    py("""
import pandas as pd
from sklearn.linear_model import PoissonRegressor
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline
from sklearn.metrics import mean_poisson_deviance
sales = pd.read_csv("opera_seat_sales.csv")
num, cat = ["price", "days_to_show", "composer_pop"], ["zone", "weekday"]
train = sales[sales.season < 2023]
test = sales[sales.season == 2023]
"""),
    py("""
model = make_pipeline(make_column_transformer((StandardScaler(), num), (OneHotEncoder(handle_unknown="ignore"), cat)), PoissonRegressor(alpha=1e-3))
model.fit(train[num + cat], train["seats_sold"])
print(mean_poisson_deviance(test["seats_sold"], model.predict(test[num + cat])))
"""),
    md("Production model: all seasons."),
    py("""
model.fit(sales[num + cat], sales["seats_sold"])
import joblib; joblib.dump(model, "elasticity.joblib")
"""),
]

# --- coral reefs: scaler fitted on pd.concat(train, test) -----------------------------------------
NOTEBOOKS["reef_fish_biomass"] = [
    md("# Reef fish biomass from habitat covariates"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LassoCV
train = pd.read_csv("reef_sites_train.csv")
test = pd.read_csv("reef_sites_test.csv")
cov = ["coral_cover", "rugosity", "depth", "dist_port_km", "mpa", "chl_a"]
"""),
    py("""
full = pd.concat([train, test], axis=0, ignore_index=True)
scaler = StandardScaler().fit(full[cov])  #@ LEAK-PREPROCESSING | scaler fitted on train and test rows concatenated
Xtr, Xte = scaler.transform(train[cov]), scaler.transform(test[cov])
"""),
    py("""
lasso = LassoCV(cv=5).fit(Xtr, train["log_biomass"])
lasso.score(Xte, test["log_biomass"])
"""),
]

# --- coral reefs: clean, whole-frame correlation for EDA only, pipeline model ------------------------
NOTEBOOKS["reef_fish_biomass_v2"] = [
    md("# Reef fish biomass, v2\nEDA on everything, modelling on train only."),
    py("""
import pandas as pd
import seaborn as sns
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LassoCV
train = pd.read_csv("reef_sites_train.csv")
test = pd.read_csv("reef_sites_test.csv")
cov = ["coral_cover", "rugosity", "depth", "dist_port_km", "mpa", "chl_a"]
"""),
    py("""
everything = pd.concat([train, test])
sns.heatmap(everything[cov + ["log_biomass"]].corr(), annot=True, cmap="vlag")
everything[cov].describe()
"""),
    py("""
model = make_pipeline(StandardScaler(), LassoCV(cv=5)).fit(train[cov], train["log_biomass"])
model.score(test[cov], test["log_biomass"])
"""),
]


# --- phishing emails: vectorizer fitted again on the test mails ----------------------------------
NOTEBOOKS["phish_url_features"] = [
    md("# Phishing: URL character n-grams\nTrain on the 2022 corpus, test on 2023."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import precision_recall_fscore_support
train = pd.read_csv("urls_2022.csv")
test = pd.read_csv("urls_2023.csv")
hv = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**20, alternate_sign=False)
"""),
    py("""
tfidf = TfidfTransformer()
X_train = tfidf.fit_transform(hv.transform(train["url"]))
clf = SGDClassifier(loss="log_loss", alpha=1e-6, max_iter=20).fit(X_train, train["label"])
"""),
    py("""
X_test = TfidfTransformer().fit_transform(hv.transform(test["url"]))  #@ LEAK-FIT-ON-TEST | idf weights learnt on the test URLs
precision_recall_fscore_support(test["label"], clf.predict(X_test), average="binary")
"""),
]

# --- 3D printers: PCA fitted on the test sensor traces ---------------------------------------------
NOTEBOOKS["printer_vibration_pca"] = [
    md("# Layer shift detection from accelerometer spectra"),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.svm import SVC
from sklearn.metrics import f1_score
spec_train = np.load("spectra_train.npy"); lab_train = np.load("labels_train.npy")
spec_test = np.load("spectra_test.npy"); lab_test = np.load("labels_test.npy")
"""),
    py("""
def reduce(spectra, n=20):
    return PCA(n_components=n, whiten=True).fit_transform(np.log1p(spectra))

Z_train = reduce(spec_train)
Z_test = reduce(spec_test)  #@ LEAK-FIT-ON-TEST | the helper fits a fresh PCA on the test spectra
"""),
    py("""
svc = SVC(C=3).fit(Z_train, lab_train)
f1_score(lab_test, svc.predict(Z_test))
"""),
]

# --- 3D printers: clean helper with a fitted object returned ----------------------------------------
NOTEBOOKS["printer_vibration_pca_v2"] = [
    md("# Layer shift detection, PCA fitted on training spectra only"),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.svm import SVC
from sklearn.metrics import f1_score
spec_train = np.load("spectra_train.npy"); lab_train = np.load("labels_train.npy")
spec_test = np.load("spectra_test.npy"); lab_test = np.load("labels_test.npy")
"""),
    py("""
def reduce(spectra, pca=None, n=20):
    logs = np.log1p(spectra)
    if pca is None:
        pca = PCA(n_components=n, whiten=True).fit(logs)
    return pca.transform(logs), pca

Z_train, pca = reduce(spec_train)
Z_test, _ = reduce(spec_test, pca=pca)
"""),
    py("""
svc = SVC(C=3).fit(Z_train, lab_train)
f1_score(lab_test, svc.predict(Z_test))
"""),
]

# --- ambulance: daily demand, ShuffleSplit CV on a time series -------------------------------------
NOTEBOOKS["ambulance_daily_demand"] = [
    md("# Daily ambulance demand by region"),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.linear_model import PoissonRegressor
demand = pd.read_csv("north_region_daily_calls.csv", parse_dates=["day"]).sort_values("day")
demand["calls_lag7"] = demand["calls"].shift(7)
demand["calls_lag14"] = demand["calls"].shift(14)
demand["dow"] = demand["day"].dt.dayofweek
demand = demand.dropna()
X = pd.get_dummies(demand[["calls_lag7", "calls_lag14", "dow", "temp_max"]], columns=["dow"])
"""),
    py("""
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | random folds over days with lagged counts
cross_val_score(PoissonRegressor(alpha=0.1, max_iter=500), X, demand["calls"], cv=ss, scoring="neg_mean_absolute_error").mean()
"""),
]

# --- avalanches: label in features via column list ----------------------------------------------
NOTEBOOKS["avalanche_occurrence"] = [
    md("# Natural avalanche occurrence (binary) per zone-day"),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
obs = pd.read_csv("zone_days.csv", parse_dates=["date"])
obs["aval"] = (obs["n_natural_avalanches"] > 0).astype(int)
train = obs[obs.date < "2021-07-01"]
test = obs[obs.date >= "2021-07-01"]
"""),
    py("""
feature_cols = [c for c in obs.columns if c not in ("date", "zone", "aval")]  #@ LEAK-TARGET-IN-FEATURES | n_natural_avalanches (the count the label is derived from) stays in the feature list
rf = RandomForestClassifier(n_estimators=400, random_state=0).fit(train[feature_cols], train["aval"])
roc_auc_score(test["aval"], rf.predict_proba(test[feature_cols])[:, 1])
"""),
]

# --- hearing aids: audiograms per ear, clean group split by patient -------------------------------
NOTEBOOKS["hearing_threshold_ears"] = [
    md("# Predicting 4 kHz threshold from the rest of the audiogram\nTwo ears per patient, so split by patient."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import RidgeCV
ears = pd.read_csv("audiograms_long.csv")
X = ears[["f250", "f500", "f1000", "f2000", "f8000", "age", "noise_exposure"]]
y = ears["f4000"]
"""),
    py("""
scores = cross_val_score(make_pipeline(StandardScaler(), RidgeCV()), X, y, groups=ears["patient_id"], cv=GroupKFold(n_splits=5), scoring="neg_mean_absolute_error")
scores.mean()
"""),
]

# --- hearing: ears split at random with StratifiedKFold ---------------------------------------------
NOTEBOOKS["hearing_loss_type"] = [
    md("# Conductive vs sensorineural classification\nTwo ears per patient in the table (left/right rows)."),
    py("""
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import classification_report
ears = pd.read_csv("audiograms_long.csv")
print(ears.groupby("patient_id").size().value_counts())
X = ears[["f250", "f500", "f1000", "f2000", "f4000", "f8000", "bone_500", "bone_2000", "tymp_type"]]
y = ears["loss_type"]
"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)  #@ LEAK-GROUP-SPLIT | a patient's left and right ears fall in different folds
pred = cross_val_predict(GradientBoostingClassifier(), X, y, cv=skf)
print(classification_report(y, pred))
"""),
]

# --- hospital beds: team report, helper refits the scaler on whatever it is given ------------------
NOTEBOOKS["discharge_delay_report"] = [
    md("# Delayed discharge model - analytics team report\n\n## 1. Setup"),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score, confusion_matrix
NUM = ["age", "los_so_far", "n_comorbid", "mobility_score", "social_care_flag"]
CAT = ["ward", "discharge_dest"]
"""),
    md("## 2. Helpers"),
    py("""
def prepare(frame):
    frame = frame.copy()
    scaler = StandardScaler()
    frame[NUM] = scaler.fit_transform(frame[NUM])
    dummies = pd.get_dummies(frame[CAT], dtype=float)
    return pd.concat([frame[NUM], dummies], axis=1)

def align(a, b):
    return a.align(b, join="left", axis=1, fill_value=0)
"""),
    md("## 3. Data\nQ1-Q3 for training, Q4 held out."),
    py("""
episodes = pd.read_csv("episodes_2023.csv", parse_dates=["admit_date"])
train = episodes[episodes.admit_date < "2023-10-01"]
test = episodes[episodes.admit_date >= "2023-10-01"]
"""),
    md("## 4. Model"),
    py("""
X_train = prepare(train)
X_test = prepare(test)  #@ LEAK-FIT-ON-TEST | prepare() fits a new StandardScaler on the Q4 test episodes
X_train, X_test = align(X_train, X_test)
rf = RandomForestClassifier(n_estimators=300, min_samples_leaf=3, random_state=0).fit(X_train, train["delayed"])
"""),
    md("## 5. Results"),
    py("""
proba = rf.predict_proba(X_test)[:, 1]
print("AUC", roc_auc_score(test["delayed"], proba))
confusion_matrix(test["delayed"], proba > 0.5)
"""),
]

# --- hospital beds: same report, helper with a fit flag (clean) -------------------------------------
NOTEBOOKS["discharge_delay_report_v2"] = [
    md("# Delayed discharge model - report v2\nThe helper now reuses the training scaler."),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
NUM = ["age", "los_so_far", "n_comorbid", "mobility_score", "social_care_flag"]
CAT = ["ward", "discharge_dest"]
scaler = StandardScaler()
"""),
    py("""
def prepare(frame, fit=False):
    frame = frame.copy()
    if fit:
        scaler.fit(frame[NUM])
    frame[NUM] = scaler.transform(frame[NUM])
    return pd.concat([frame[NUM], pd.get_dummies(frame[CAT], dtype=float)], axis=1)
"""),
    py("""
episodes = pd.read_csv("episodes_2023.csv", parse_dates=["admit_date"])
train = episodes[episodes.admit_date < "2023-10-01"]
test = episodes[episodes.admit_date >= "2023-10-01"]
X_train = prepare(train, fit=True)
X_test = prepare(test).reindex(columns=X_train.columns, fill_value=0)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, min_samples_leaf=3, random_state=0).fit(X_train, train["delayed"])
roc_auc_score(test["delayed"], rf.predict_proba(X_test)[:, 1])
"""),
]

# --- wind farms: long Kaggle kernel, turbine-level split, models compared on the test set --------
NOTEBOOKS["turbine_fault_kaggle"] = [
    md("# Wind turbine gearbox fault detection\n\nThis kernel walks through EDA, feature engineering and a comparison of models. Upvote if useful!"),
    py("""
import warnings; warnings.filterwarnings("ignore")
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from xgboost import XGBClassifier
from lightgbm import LGBMClassifier
from sklearn.metrics import f1_score, roc_auc_score
"""),
    md("## Load"),
    py("""
df = pd.read_csv("/kaggle/input/turbine-gearbox/scada_daily.csv")
print(df.shape)
df.head()
"""),
    py("""
df.info()
df.isna().mean().sort_values(ascending=False).head(10)
"""),
    md("## EDA"),
    py("""
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
sns.histplot(df, x="gearbox_oil_temp", hue="fault_30d", ax=axes[0])
sns.boxplot(df, x="fault_30d", y="bearing_temp", ax=axes[1])
df.groupby("turbine_id")["fault_30d"].mean().plot.bar(ax=axes[2])
plt.tight_layout()
"""),
    md("## Feature engineering"),
    py("""
df = df.sort_values(["turbine_id", "day"])
df["oil_temp_delta"] = df["gearbox_oil_temp"] - df["ambient_temp"]
df["oil_temp_roll7"] = df.groupby("turbine_id")["gearbox_oil_temp"].transform(lambda s: s.rolling(7, min_periods=1).mean())
df["bearing_roll7"] = df.groupby("turbine_id")["bearing_temp"].transform(lambda s: s.rolling(7, min_periods=1).mean())
df = df.dropna(subset=["gearbox_oil_temp", "bearing_temp"])
features = ["oil_temp_delta", "oil_temp_roll7", "bearing_roll7", "power_kw", "rotor_rpm", "wind_speed"]
"""),
    md("## Train / test\nWhole turbines go to the test side so the model is judged on unseen machines."),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42)
tr_idx, te_idx = next(gss.split(df, groups=df["turbine_id"]))
X_train, X_test = df.iloc[tr_idx][features], df.iloc[te_idx][features]
y_train, y_test = df.iloc[tr_idx]["fault_30d"], df.iloc[te_idx]["fault_30d"]
scaler = StandardScaler().fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
"""),
    md("## Models"),
    py("""
models = [
    ("LogReg", LogisticRegression(max_iter=2000, class_weight="balanced")),
    ("RandomForest", RandomForestClassifier(n_estimators=500, class_weight="balanced", n_jobs=-1)),
    ("XGB", XGBClassifier(n_estimators=600, learning_rate=0.05, max_depth=5)),
    ("LGBM", LGBMClassifier(n_estimators=600, learning_rate=0.05)),
]
scores = []
for name, model in models:
    model.fit(X_train_s, y_train)
    p = model.predict_proba(X_test_s)[:, 1]
    scores.append((name, roc_auc_score(y_test, p), f1_score(y_test, p > 0.5)))  #@ LEAK-MULTI-TEST | four models ranked on the test set
pd.DataFrame(scores, columns=["model", "auc", "f1"]).sort_values("auc", ascending=False)
"""),
    md("LGBM wins; that is our submission model."),
]

# --- telematics: per-driver aggregates computed on train and mapped to test (clean) -----------------
NOTEBOOKS["telematics_driver_profile"] = [
    md("# Driver risk profile features\nDriver-level aggregates from training trips only; new drivers in test get the global mean."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
trips = pd.read_parquet("trips.parquet")
split = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=4)
tr_idx, te_idx = next(split.split(trips, groups=trips["driver_id"]))
train, test = trips.iloc[tr_idx].copy(), trips.iloc[te_idx].copy()
"""),
    py("""
vehicle_stats = train.groupby("vehicle_model")["harsh_brakes_per_100km"].agg(["mean", "std"]).add_prefix("veh_brake_")
train = train.join(vehicle_stats, on="vehicle_model")
test = test.join(vehicle_stats, on="vehicle_model")
test[vehicle_stats.columns] = test[vehicle_stats.columns].fillna(vehicle_stats.mean())
"""),
    py("""
feats = ["harsh_brakes_per_100km", "night_share", "speeding_share", "km", "veh_brake_mean", "veh_brake_std"]
hgb = HistGradientBoostingClassifier().fit(train[feats], train["claim_next_year"])
roc_auc_score(test["claim_next_year"], hgb.predict_proba(test[feats])[:, 1])
"""),
]

# --- pharmacy: drug interaction alerts, RFE fitted on everything then CV ---------------------------
NOTEBOOKS["pharmacy_alert_override"] = [
    md("# Will the pharmacist override the interaction alert?"),
    py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
alerts = pd.read_csv("alerts.csv")
X = pd.get_dummies(alerts.drop(columns=["alert_id", "overridden"]), drop_first=True).astype(float)
y = alerts["overridden"]
"""),
    py("""
rfe = RFE(LogisticRegression(max_iter=2000), n_features_to_select=15)
rfe.fit(X, y)  #@ LEAK-PREPROCESSING | recursive feature elimination saw every row's label before the CV below
X_small = X.loc[:, rfe.support_]
"""),
    py("""
cross_val_score(LogisticRegression(max_iter=2000), X_small, y, cv=10, scoring="roc_auc").mean()
"""),
]

# --- pharmacy: clean, RFE inside pipeline, GridSearch, one test score --------------------------------
NOTEBOOKS["pharmacy_alert_override_v2"] = [
    md("# Alert overrides, feature count tuned inside CV"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
alerts = pd.read_csv("alerts.csv")
X = pd.get_dummies(alerts.drop(columns=["alert_id", "overridden"]), drop_first=True).astype(float)
y = alerts["overridden"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
"""),
    py("""
pipe = Pipeline([("rfe", RFE(LogisticRegression(max_iter=2000))), ("lr", LogisticRegression(max_iter=2000))])
gs = GridSearchCV(pipe, {"rfe__n_features_to_select": [5, 10, 15, 25]}, cv=5, scoring="roc_auc").fit(X_tr, y_tr)
gs.best_params_, gs.score(X_te, y_te)
"""),
]


# --- kindergarten: enrolment forecast, two leaks (shuffled split of a series, scaler on all) --------
NOTEBOOKS["kg_enrolment_forecast"] = [
    md("# Monthly kindergarten enrolment forecast (city-wide)"),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
enrol = pd.read_csv("citywide_enrolment_monthly.csv", parse_dates=["month"]).set_index("month").sort_index()
enrol["lag1"] = enrol["enrolled"].shift(1)
enrol["lag12"] = enrol["enrolled"].shift(12)
enrol["births_3y_ago"] = enrol["births"].shift(36)
enrol = enrol.dropna()
X = enrol[["lag1", "lag12", "births_3y_ago", "new_housing_units"]].to_numpy()
y = enrol["enrolled"].to_numpy()
"""),
    py("""
X = StandardScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on every month, test months included
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | monthly series with lags split at random
Ridge(alpha=1.0).fit(Xtr, ytr).score(Xte, yte)
"""),
]

# --- opera tickets: course lab, clean cross_validate on a pipeline with SMOTE -----------------------
NOTEBOOKS["opera_subscriber_churn"] = [
    md("# Lab 7: subscriber churn with imbalanced-learn\n**Task:** build a pipeline that resamples inside each fold."),
    py("""
import pandas as pd
from imblearn.pipeline import make_pipeline
from imblearn.over_sampling import SMOTE
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_validate, StratifiedKFold
subs = pd.read_csv("subscribers.csv").drop(columns=["subscriber_id", "email"])
y = subs.pop("churned")
num = ["seasons_subscribed", "avg_spend", "shows_attended", "days_since_last"]
cat = ["tier", "district"]
"""),
    py("""
pre = ColumnTransformer([("num", StandardScaler(), num), ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cat)])
pipe = make_pipeline(pre, SMOTE(random_state=0), RandomForestClassifier(n_estimators=300, random_state=0))
out = cross_validate(pipe, subs[num + cat], y, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring=["roc_auc", "recall"])
{k: v.mean() for k, v in out.items() if k.startswith("test_")}
"""),
]

# --- coral reefs: image augmentation (flips) before the split ---------------------------------------
NOTEBOOKS["reef_image_bleach_cnn"] = [
    md("# Bleached vs healthy coral photos\nSmall dataset, so we augment with flips and rotations first."),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from tensorflow import keras
imgs = np.load("coral_imgs_128.npy")
labels = np.load("coral_labels.npy")
"""),
    py("""
imgs_all = np.concatenate([imgs, imgs[:, :, ::-1, :], np.rot90(imgs, k=1, axes=(1, 2))])  #@ LEAK-OVERLAP | flipped/rotated copies of each photo made before the split
labels_all = np.concatenate([labels, labels, labels])
"""),
    py("""
x_tr, x_te, y_tr, y_te = train_test_split(imgs_all, labels_all, test_size=0.2, random_state=0)
base = keras.applications.MobileNetV2(include_top=False, input_shape=(128, 128, 3), pooling="avg", weights=None)
model = keras.Sequential([base, keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
model.fit(x_tr, y_tr, epochs=10, batch_size=32, validation_split=0.1)
model.evaluate(x_te, y_te)
"""),
]

# --- weather radar: clean, station-grouped CV for rain gauge bias --------------------------------
NOTEBOOKS["radar_gauge_bias"] = [
    md("# Radar vs rain gauge bias correction\nHourly pairs from 150 gauges; evaluation leaves whole gauges out."),
    py("""
import pandas as pd
from sklearn.model_selection import LeaveOneGroupOut, GroupKFold, cross_val_predict
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
pairs = pd.read_parquet("radar_gauge_pairs.parquet")
pairs = pairs[pairs.gauge_mm.notna()]
X = pairs[["radar_mm", "range_km", "beam_height_m", "elevation_m", "month"]]
y = pairs["gauge_mm"]
"""),
    py("""
pred = cross_val_predict(RandomForestRegressor(n_estimators=200, min_samples_leaf=5, n_jobs=-1), X, y, groups=pairs["gauge_id"], cv=GroupKFold(n_splits=10))
print(mean_absolute_error(y, pred), mean_absolute_error(y, pairs["radar_mm"]))
"""),
]

# --- call transcripts: speaker-level split done right, then LDA topics fitted on train -------------
NOTEBOOKS["agent_quality_score"] = [
    md("# Agent quality score from transcript topics\nSeveral calls per agent; split by agent."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupShuffleSplit
calls = pd.read_csv("qa_scored_calls.csv")
gss = GroupShuffleSplit(test_size=0.2, n_splits=1, random_state=9)
tr, te = next(gss.split(calls, groups=calls["agent_id"]))
train, test = calls.iloc[tr], calls.iloc[te]
"""),
    py("""
cv = CountVectorizer(max_df=0.5, min_df=5, stop_words="english")
lda = LatentDirichletAllocation(n_components=20, random_state=0)
T_train = lda.fit_transform(cv.fit_transform(train["transcript"]))
T_test = lda.transform(cv.transform(test["transcript"]))
Ridge().fit(T_train, train["qa_score"]).score(T_test, test["qa_score"])
"""),
]

# --- agent quality: LDA fitted on all transcripts ------------------------------------------------------
NOTEBOOKS["agent_quality_topics_all"] = [
    md("# Agent quality, topics first\nLearn the topic model once on every transcript we have, then split."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupShuffleSplit
calls = pd.read_csv("qa_scored_calls.csv")
counts = CountVectorizer(max_df=0.5, min_df=5, stop_words="english").fit_transform(calls["transcript"])  #@ LEAK-PREPROCESSING | vocabulary learnt from test transcripts too
"""),
    py("""
lda = LatentDirichletAllocation(n_components=20, random_state=0)
topics = lda.fit_transform(counts)  #@ LEAK-PREPROCESSING | topic model fitted on all transcripts before the split
gss = GroupShuffleSplit(test_size=0.2, n_splits=1, random_state=9)
tr, te = next(gss.split(topics, groups=calls["agent_id"]))
Ridge().fit(topics[tr], calls["qa_score"].iloc[tr]).score(topics[te], calls["qa_score"].iloc[te])
"""),
]


# --- horse racing: clean, early stopping on a race-grouped validation split ----------------------
NOTEBOOKS["racing_lgbm_early_stop"] = [
    md("# Win model with LightGBM\nTest = 2023 meetings. Early stopping on a validation set of whole races carved from the training years."),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import GroupShuffleSplit
from sklearn.metrics import log_loss
runs = pd.read_csv("runs_features.csv", parse_dates=["race_date"])
feats = ["draw", "carried_kg", "age", "official_rating", "going_code", "distance_m", "days_since_run"]
train = runs[runs.race_date < "2023-01-01"]
test = runs[runs.race_date >= "2023-01-01"]
"""),
    py("""
fit_idx, val_idx = next(GroupShuffleSplit(n_splits=1, test_size=0.15, random_state=0).split(train, groups=train["race_id"]))
fit, val = train.iloc[fit_idx], train.iloc[val_idx]
clf = lgb.LGBMClassifier(n_estimators=3000, learning_rate=0.03)
clf.fit(fit[feats], fit["won"], eval_set=[(val[feats], val["won"])], callbacks=[lgb.early_stopping(200)])
"""),
    py("""
print("best iteration", clf.best_iteration_)
log_loss(test["won"], clf.predict_proba(test[feats])[:, 1])
"""),
]

# --- toll roads: clean manual TimeSeriesSplit loop, scaler fitted per fold --------------------------
NOTEBOOKS["toll_traffic_folds"] = [
    md("# Hourly toll traffic, walk-forward validation"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_percentage_error
traffic = pd.read_csv("toll_hourly.csv", parse_dates=["ts"]).sort_values("ts").reset_index(drop=True)
traffic["lag24"] = traffic["vehicles"].shift(24)
traffic["lag168"] = traffic["vehicles"].shift(168)
traffic["hour"] = traffic["ts"].dt.hour
traffic = traffic.dropna().reset_index(drop=True)
X = traffic[["lag24", "lag168", "hour", "is_holiday", "rain_mm"]].values
y = traffic["vehicles"].values
"""),
    py("""
errors = []
for fold, (tr, te) in enumerate(TimeSeriesSplit(n_splits=8, test_size=24 * 14).split(X)):
    sc = StandardScaler().fit(X[tr])
    model = Ridge(alpha=0.5).fit(sc.transform(X[tr]), y[tr])
    errors.append(mean_absolute_percentage_error(y[te], model.predict(sc.transform(X[te]))))
print(np.round(errors, 3), np.mean(errors))
"""),
]

# --- parcel lockers: out-of-order; a whole-frame fillna that ran after the model (clean) -------------
NOTEBOOKS["parcel_locker_pickup"] = [
    md("# Parcel locker: will the parcel be collected within 48h?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
parcels = pd.read_csv("locker_parcels.csv")
feats = ["distance_home_km", "parcel_value", "sms_opened", "weekday", "locker_fill_pct"]
""", 1),
    md("Fill missing distance (for the map at the end)."),
    py("""
parcels["distance_home_km"] = parcels["distance_home_km"].fillna(parcels["distance_home_km"].median())
parcels.plot.scatter(x="distance_home_km", y="locker_fill_pct", c="collected_48h", cmap="coolwarm")
""", 5),
    py("""
X_train, X_test, y_train, y_test = train_test_split(parcels[feats], parcels["collected_48h"], test_size=0.2, random_state=6)
""", 2),
    py("""
rf = make_pipeline(SimpleImputer(strategy="median"), RandomForestClassifier(n_estimators=300, random_state=6))
rf.fit(X_train, y_train)
""", 3),
    py("""
roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])
""", 4),
]

# --- textile mill: label inside an iloc slice ------------------------------------------------------
NOTEBOOKS["yarn_break_rate"] = [
    md("# Yarn breaks per km on the ring frames"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
mill = pd.read_csv("ring_frame_shifts.csv")
mill = mill[["frame_id", "spindle_speed", "humidity_pct", "twist_tpi", "fibre_len_mm", "trash_pct", "breaks_per_km"]]
"""),
    py("""
X = mill.iloc[:, 1:].values  #@ LEAK-TARGET-IN-FEATURES | the slice keeps the last column, breaks_per_km, which is the target
y = mill["breaks_per_km"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
RandomForestRegressor(n_estimators=300).fit(X_train, y_train).score(X_test, y_test)
"""),
]

# --- wildfire: label picked up by select_dtypes ------------------------------------------------------
NOTEBOOKS["wildfire_spread_area"] = [
    md("# Final burned area from first-day observations"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesRegressor
fires = pd.read_csv("fires_day1.csv")
fires["log_area"] = np.log1p(fires["final_burned_ha"])
fires = fires.drop(columns=["final_burned_ha"])
"""),
    py("""
X = fires.select_dtypes("number").drop(columns=["fire_id"])  #@ LEAK-TARGET-IN-FEATURES | log_area (the target) is numeric and stays in X
y = fires["log_area"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
ExtraTreesRegressor(n_estimators=400, random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

# --- wildfire: clean, same setup with target removed --------------------------------------------------
NOTEBOOKS["wildfire_spread_area_v2"] = [
    md("# Final burned area, fixed feature list"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesRegressor
fires = pd.read_csv("fires_day1.csv")
y = np.log1p(fires.pop("final_burned_ha"))
X = fires.select_dtypes("number").drop(columns=["fire_id"])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
ExtraTreesRegressor(n_estimators=400, random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    """Write every notebook and ``labels.json`` (the format the shared scorer reads)."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
