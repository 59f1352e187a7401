"""Held-out corpus H for the code-level leakage check: realistic notebooks written blind.

Written without reading the detector's source, its tests, its docs or the other corpora (only the
marker/labels framework of corpus D was seen). 80 notebooks: 41 leak (44 labelled leaks; three
notebooks have two) and 39 are clean look-alikes; 7 were run out of order. Styles: Kaggle kernels
(EDA, plots, several models compared), course labs, and team reports with helper functions,
method chains, numpy arrays, ``pd.concat``/``np.vstack``, early stopping with ``eval_set=`` and
``validation_data=``, hand-made target encoding, TF-IDF, PCA, feature selection, resampling and
augmentation, lags and rolling windows, and entities (robots, cows, battery cells, app users,
dialysis patients, esports teams).

Domains not used by earlier corpora: airline loyalty, warehouse robots, podcast ads, bird
migration, voter turnout, crowdfunding, beehive sensors, exam proctoring, cement kilns, subway
delays, board-game ratings, glacier melt, esports teams, pet adoption, blood donations, dairy
herds, tyre wear, courier parcels, coffee roasting, museum visits, insect traps, battery cycling,
volcano gas, chatbot intents, rowing crews, grain silos, cinema tickets, dialysis, forest fires,
tea tasting, water meters and more.

The clean look-alikes are meant to be genuinely clean: Pipelines/ColumnTransformers inside
``cross_val_score``/``GridSearchCV``, fit on train then transform test, imblearn Pipelines, SMOTE on
the training split only, chronological splits and ``TimeSeriesSplit``, ``GroupKFold`` /
``GroupShuffleSplit`` on the entity, early stopping on a validation split carved from train, model
choice on validation then one final test score, refits on all data after evaluation, whole-frame
EDA that never feeds the model, groupby aggregates computed on train and mapped to test.

Each leak is marked in the source below by a trailing ``#@ RULE | why`` comment on the first line
of the leaking statement; the marker is stripped before the notebook is written, and its cell index
(markdown included) and 1-based line become the label. Conventions: preprocessing fitted on data
that still holds test rows -> the fit line (or the pandas statistic line); resampling/augmentation/
duplication before the split -> the statement creating the rows; label among the features -> the
line that builds ``X``; random split of time-ordered or grouped data -> the split call, or the
splitter construction when it is passed as ``cv=``; test set used for selection or early stopping
-> the line that scores/early-stops on the test set; fit on test -> the fit line.

Code cells get execution counts in display order unless a cell spec gives an explicit count
(``py(text, n)``): some notebooks were run out of order, and the labels follow the execution order
(a leak may exist only because of the order; a notebook may look leaky on the page and be clean).

    python benchmarks/leakage_corpus_h.py [DIR]
"""

# Notebook sources below are kept as written in a notebook (long lines included):
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import Spec, main, md, py
from leakage_corpus_kit import build as build_corpus

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-h"

NOTEBOOKS: dict[str, list[Spec]] = {}

# --- airline loyalty -------------------------------------------------------------------------

NOTEBOOKS["loyalty_tier_churn"] = [
    md("# Frequent-flyer churn\nWill a member let their tier lapse next year? Kaggle-style baseline."),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, classification_report
"""),
    py("""
members = pd.read_csv("loyalty_members.csv")
members.head()
"""),
    py("""
members.describe().T
"""),
    md("## EDA"),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
sns.histplot(members, x="miles_flown", hue="lapsed", ax=ax[0])
sns.countplot(data=members, x="tier", hue="lapsed", ax=ax[1])
plt.show()
"""),
    py("""
num_cols = ["miles_flown", "segments", "partner_spend", "months_since_join", "upgrades_used", "complaints"]
X = members[num_cols].fillna(0)
y = members["lapsed"]
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on every member before the train/test split
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=7, stratify=y)
clf = LogisticRegression(max_iter=1000)
clf.fit(X_train, y_train)
print(roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
print(classification_report(y_test, clf.predict(X_test)))
"""),
]

NOTEBOOKS["loyalty_points_redemption"] = [
    md("# Points redemption propensity\nTeam report. All preprocessing lives in the pipeline so the grid search folds stay honest."),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.ensemble import GradientBoostingClassifier
"""),
    py("""
df = pd.read_parquet("redemptions.parquet")
df = df.drop(columns=["member_id"])
target = "redeemed_90d"
cat_cols = ["tier", "home_airport", "card_type"]
num_cols = [c for c in df.columns if c not in cat_cols + [target]]
df[num_cols].corr().round(2)
"""),
    py("""
train_df, test_df = train_test_split(df, test_size=0.25, random_state=0, stratify=df[target])
X_train, y_train = train_df.drop(columns=target), train_df[target]
X_test, y_test = test_df.drop(columns=target), test_df[target]
"""),
    py("""
pre = ColumnTransformer([
    ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num_cols),
    ("cat", OneHotEncoder(handle_unknown="ignore"), cat_cols),
])
pipe = Pipeline([("pre", pre), ("gb", GradientBoostingClassifier(random_state=0))])
grid = GridSearchCV(pipe, {"gb__n_estimators": [100, 300], "gb__max_depth": [2, 3]}, cv=5, scoring="roc_auc")
grid.fit(X_train, y_train)
grid.best_params_
"""),
    md("Held-out score, computed once for the chosen configuration:"),
    py("""
print("test AUC", grid.score(X_test, y_test))
"""),
]

# --- warehouse robots --------------------------------------------------------------------------

NOTEBOOKS["robot_fault_prediction"] = [
    md("# Warehouse robot faults\nEach row is one shift of one robot (about 400 shifts per robot, 60 robots). Predict a drive fault in the next shift."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
    py("""
shifts = pd.read_csv("robot_shifts.csv")
print(shifts.robot_id.nunique(), "robots,", len(shifts), "shifts")
shifts.groupby("robot_id").fault_next.mean().sort_values().tail()
"""),
    py("""
features = ["motor_temp_max", "current_mean", "current_std", "picks", "km_travelled", "wheel_slip_events"]
X = shifts[features]
y = shifts["fault_next"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=42)  #@ LEAK-GROUP-SPLIT | shifts of the same robot land in train and test
"""),
    py("""
rf = RandomForestClassifier(n_estimators=400, min_samples_leaf=3, n_jobs=-1, random_state=1)
rf.fit(X_tr, y_tr)
f1_score(y_te, rf.predict(X_te))
"""),
]

NOTEBOOKS["robot_battery_swaps"] = [
    md("# Battery swap timing per robot\nCourse lab 6: grouped cross-validation."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
"""),
    py("""
logs = pd.read_csv("battery_logs.csv")
X = logs[["charge_cycles", "ambient_c", "payload_kg", "idle_minutes"]].to_numpy()
y = logs["minutes_to_swap"].to_numpy()
groups = logs["robot_id"].to_numpy()
"""),
    py("""
model = make_pipeline(StandardScaler(), Ridge(alpha=3.0))
scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(n_splits=5), scoring="neg_mean_absolute_error")
print(-scores.mean(), scores.std())
"""),
    md("Final model for the fleet dashboard, refit on all robots after the evaluation above."),
    py("""
model.fit(X, y)
"""),
]

# --- podcast ads -------------------------------------------------------------------------------

NOTEBOOKS["podcast_ad_clicks"] = [
    md("## Podcast ad conversion\nOnly ~3% of ad reads convert, so we balance the classes first."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score
"""),
    py("""
reads = pd.read_csv("ad_reads.csv")
reads = pd.get_dummies(reads.drop(columns=["read_id"]), columns=["genre", "slot"])
X = reads.drop(columns="converted")
y = reads["converted"]
y.value_counts(normalize=True)
"""),
    py("""
sm = SMOTE(random_state=3)
X_bal, y_bal = sm.fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic minority rows created before the split
X_train, X_test, y_train, y_test = train_test_split(X_bal, y_bal, test_size=0.2, random_state=3)
"""),
    py("""
hgb = HistGradientBoostingClassifier(max_iter=300)
hgb.fit(X_train, y_train)
average_precision_score(y_test, hgb.predict_proba(X_test)[:, 1])
"""),
]

NOTEBOOKS["podcast_listen_through"] = [
    md("# Listen-through after a host-read ad\nimblearn pipeline so the oversampling happens inside each fold."),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.over_sampling import RandomOverSampler
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
"""),
    py("""
ep = pd.read_csv("episodes.csv")
X = ep[["ad_position_s", "ad_length_s", "host_read", "episode_len_min", "prior_skips"]]
y = ep["listened_through"]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2, random_state=11)
"""),
    py("""
pipe = ImbPipeline([
    ("ros", RandomOverSampler(random_state=11)),
    ("sc", StandardScaler()),
    ("lr", LogisticRegression(max_iter=500, C=0.5)),
])
cv = StratifiedKFold(5, shuffle=True, random_state=11)
print(cross_val_score(pipe, X_train, y_train, cv=cv, scoring="roc_auc").mean())
"""),
    py("""
pipe.fit(X_train, y_train)
pipe.score(X_test, y_test)
"""),
]

# --- bird migration ----------------------------------------------------------------------------

NOTEBOOKS["bird_arrival_forecast"] = [
    md("# Spring arrival of swallows at the ringing station\nDaily counts 1998-2023; forecast tomorrow's count from lags."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
counts = pd.read_csv("station_counts.csv", parse_dates=["date"]).sort_values("date")
counts["doy"] = counts.date.dt.dayofyear
for lag in (1, 2, 3, 7):
    counts[f"lag_{lag}"] = counts["swallows"].shift(lag)
counts["roll7"] = counts["swallows"].shift(1).rolling(7).mean()
counts = counts.dropna()
"""),
    py("""
feats = ["doy", "temp_c", "wind_ms", "lag_1", "lag_2", "lag_3", "lag_7", "roll7"]
X_train, X_test, y_train, y_test = train_test_split(counts[feats], counts["swallows"], test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a daily series: future days train the model
"""),
    py("""
gbr = GradientBoostingRegressor(random_state=0).fit(X_train, y_train)
mean_absolute_error(y_test, gbr.predict(X_test))
"""),
]

NOTEBOOKS["bird_stopover_weights"] = [
    md("# Stopover fuel load\nHold out the last two seasons."),
    py("""
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
"""),
    py("""
caps = pd.read_csv("recaptures.csv", parse_dates=["date"])
caps = caps.sort_values("date")
caps["wing_fat_ratio"] = caps["fat_score"] / caps["wing_mm"]
cutoff = pd.Timestamp("2022-01-01")
train = caps[caps.date < cutoff]
test = caps[caps.date >= cutoff]
"""),
    py("""
cols = ["wing_mm", "fat_score", "wing_fat_ratio", "days_since_first_capture"]
lr = LinearRegression().fit(train[cols], train["mass_gain_g"])
r2_score(test["mass_gain_g"], lr.predict(test[cols]))
"""),
]

# --- voter turnout -----------------------------------------------------------------------------

NOTEBOOKS["precinct_turnout_encoding"] = [
    md("# Precinct turnout\nMean-encode the county (too many levels for one-hot)."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
"""),
    py("""
prec = pd.read_csv("precincts.csv")
prec["county_mean_turnout"] = prec.groupby("county")["turnout"].transform("mean")  #@ LEAK-PREPROCESSING | target mean per county computed on all precincts, test included
prec["log_pop"] = np.log1p(prec["registered"])
"""),
    py("""
X = prec[["county_mean_turnout", "log_pop", "median_age", "pct_mail_ballots", "polling_places"]]
y = prec["turnout"]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=2)
model = Ridge().fit(X_train, y_train)
np.sqrt(mean_squared_error(y_test, model.predict(X_test)))
"""),
]

NOTEBOOKS["county_turnout_model"] = [
    md("# County-level turnout (mean encoding done right)\nThe county means come from the training precincts only and are mapped onto the test precincts."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
prec = pd.read_csv("precincts.csv")
train, test = train_test_split(prec, test_size=0.25, random_state=5)
county_means = train.groupby("county")["turnout"].mean()
global_mean = train["turnout"].mean()
train = train.assign(county_te=train["county"].map(county_means))
test = test.assign(county_te=test["county"].map(county_means).fillna(global_mean))
"""),
    py("""
cols = ["county_te", "registered", "median_age", "pct_mail_ballots"]
rf = RandomForestRegressor(n_estimators=300, random_state=5).fit(train[cols], train["turnout"])
rf.score(test[cols], test["turnout"])
"""),
]
# --- crowdfunding ------------------------------------------------------------------------------

NOTEBOOKS["crowdfunding_pitch_text"] = [
    md("# Will the campaign reach its goal?\nPitch text + a few numeric fields. Compare a few classifiers."),
    py("""
import pandas as pd
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC
from sklearn.metrics import accuracy_score
"""),
    py("""
camp = pd.read_csv("campaigns.csv")
camp["pitch"] = camp["title"].fillna("") + " " + camp["blurb"].fillna("")
camp["funded"].mean()
"""),
    py("""
tfidf = TfidfVectorizer(min_df=5, ngram_range=(1, 2), sublinear_tf=True)
X_text = tfidf.fit_transform(camp["pitch"])  #@ LEAK-PREPROCESSING | vocabulary and idf learned from every campaign before the split
y = camp["funded"].values
X_train, X_test, y_train, y_test = train_test_split(X_text, y, test_size=0.2, random_state=1)
"""),
    md("## Model comparison"),
    py("""
models = {"logreg": LogisticRegression(max_iter=2000, C=4), "nb": MultinomialNB(alpha=0.3), "svm": LinearSVC(C=0.5)}
results = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, m.predict(X_test))  #@ LEAK-MULTI-TEST | three models ranked on the test set
results
"""),
    py("""
best = max(results, key=results.get)
print("best model:", best, results[best])
"""),
]

NOTEBOOKS["crowdfunding_goal_validation"] = [
    md("# Crowdfunding: model choice on a validation split\nTrain/validation/test = 60/20/20. The test set is touched once, at the end."),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
"""),
    py("""
camp = pd.read_csv("campaigns.csv")
text, y = camp["blurb"].fillna(""), camp["funded"]
text_tmp, text_test, y_tmp, y_test = train_test_split(text, y, test_size=0.2, random_state=9)
text_train, text_val, y_train, y_val = train_test_split(text_tmp, y_tmp, test_size=0.25, random_state=9)
"""),
    py("""
candidates = {
    "lr": make_pipeline(TfidfVectorizer(min_df=3), LogisticRegression(max_iter=1000)),
    "cnb": make_pipeline(TfidfVectorizer(min_df=3), ComplementNB()),
}
val_f1 = {k: f1_score(y_val, p.fit(text_train, y_train).predict(text_val)) for k, p in candidates.items()}
val_f1
"""),
    py("""
chosen = candidates[max(val_f1, key=val_f1.get)]
chosen.fit(pd.concat([text_train, text_val]), pd.concat([y_train, y_val]))
print("test F1:", f1_score(y_test, chosen.predict(text_test)))
"""),
]

# --- beehive sensors ---------------------------------------------------------------------------

NOTEBOOKS["beehive_swarm_xgb"] = [
    md("# Swarm risk from colony survey + sensor summaries\nXGBoost with early stopping."),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
"""),
    py("""
hive = pd.read_csv("colony_survey.csv")  # one row per colony
hive = hive.drop(columns=["colony_id"])
X = hive.drop(columns=["swarmed_this_season"])
y = hive["swarmed_this_season"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=4)
"""),
    py("""
clf = xgb.XGBClassifier(n_estimators=2000, learning_rate=0.03, max_depth=5, subsample=0.8, early_stopping_rounds=50, eval_metric="auc")
clf.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=200)  #@ LEAK-MULTI-TEST | early stopping picks the number of trees on the test set
print(clf.best_iteration)
roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
"""),
]

NOTEBOOKS["beehive_weight_forecast"] = [
    md("# Hive weight 24 h ahead\nChronological split; LightGBM early-stops on the last weeks of the training period, the test months stay untouched."),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.metrics import mean_absolute_error
"""),
    py("""
w = pd.read_csv("hive_weight.csv", parse_dates=["ts"]).sort_values("ts")
w["w_lag24"] = w["weight_kg"].shift(24)
w["w_diff"] = w["weight_kg"].diff(24)
w["temp_roll"] = w["temp_in"].rolling(24).mean()
w["target"] = w["weight_kg"].shift(-24)
w = w.dropna()
feats = ["w_lag24", "w_diff", "temp_roll", "humidity", "temp_out"]
"""),
    py("""
train = w[w.ts < "2023-06-01"]
test = w[w.ts >= "2023-06-01"]
fit_part = train[train.ts < "2023-05-01"]
val_part = train[train.ts >= "2023-05-01"]
"""),
    py("""
reg = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.02)
reg.fit(fit_part[feats], fit_part["target"], eval_set=[(val_part[feats], val_part["target"])], callbacks=[lgb.early_stopping(100)])
mean_absolute_error(test["target"], reg.predict(test[feats]))
"""),
]

# --- exam proctoring ---------------------------------------------------------------------------

NOTEBOOKS["proctoring_flag_classifier"] = [
    md("# Online exam proctoring: which sessions get flagged for review?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import classification_report
"""),
    py("""
sessions = pd.read_csv("proctor_sessions.csv")
sessions.info()
"""),
    py("""
sessions["tab_switch_rate"] = sessions["tab_switches"] / sessions["duration_min"]
X = sessions.drop(columns=["session_id", "exam_code"])  #@ LEAK-TARGET-IN-FEATURES | the label 'flagged' stays in X
y = sessions["flagged"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
"""),
    py("""
tree = DecisionTreeClassifier(max_depth=6).fit(X_train, y_train)
print(classification_report(y_test, tree.predict(X_test)))
"""),
]

NOTEBOOKS["proctoring_gaze_features"] = [
    md("# Gaze features for proctoring review\nLab notebook. EDA on the full table first (plots only)."),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
"""),
    py("""
gaze = pd.read_csv("gaze_windows.csv")
print(gaze.describe())
gaze.drop(columns=["window_id"]).corr(numeric_only=True)["suspicious"].sort_values()
"""),
    py("""
gaze.boxplot(column="offscreen_ratio", by="suspicious")
plt.show()
"""),
    py("""
X = gaze.drop(columns=["window_id", "student_id", "suspicious"])
y = gaze["suspicious"]
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=3)
tr_idx, te_idx = next(gss.split(X, y, groups=gaze["student_id"]))
"""),
    py("""
rf = RandomForestClassifier(n_estimators=200, class_weight="balanced", random_state=3)
rf.fit(X.iloc[tr_idx], y.iloc[tr_idx])
balanced_accuracy_score(y.iloc[te_idx], rf.predict(X.iloc[te_idx]))
"""),
]

# --- cement kilns ------------------------------------------------------------------------------

NOTEBOOKS["kiln_free_lime"] = [
    md("# Free lime in clinker from kiln sensors\nScale, then a small MLP."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.neural_network import MLPRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
data = pd.read_csv("kiln_lab.csv", parse_dates=["sample_time"]).sort_values("sample_time")
X = data[["burning_zone_temp", "kiln_speed", "feed_rate", "o2_pct", "nox_ppm", "torque"]].values
y = data["free_lime_pct"].values
n = int(len(X) * 0.8)
X_train, X_test, y_train, y_test = X[:n], X[n:], y[:n], y[n:]
"""),
    py("""
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
test_scaler = MinMaxScaler()
X_test = test_scaler.fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | a second scaler fitted on the test rows
"""),
    py("""
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=2000, random_state=0).fit(X_train, y_train)
mean_absolute_error(y_test, mlp.predict(X_test))
"""),
]

NOTEBOOKS["kiln_shell_hotspots"] = [
    md("# Kiln shell hotspot detection\nHelpers keep train/test handling in one place."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
from sklearn.svm import SVC
from sklearn.metrics import recall_score
"""),
    py("""
def fit_features(frame):
    scaler = StandardScaler().fit(frame)
    pca = PCA(n_components=8).fit(scaler.transform(frame))
    return scaler, pca


def apply_features(scaler, pca, frame):
    return pca.transform(scaler.transform(frame))
"""),
    py("""
scans = pd.read_csv("shell_scans.csv", parse_dates=["scan_time"]).sort_values("scan_time")
sensor_cols = [c for c in scans.columns if c.startswith("t_")]
split_at = scans.scan_time.quantile(0.75)
train = scans[scans.scan_time <= split_at]
test = scans[scans.scan_time > split_at]
"""),
    py("""
sc, pca = fit_features(train[sensor_cols])
Z_train = apply_features(sc, pca, train[sensor_cols])
Z_test = apply_features(sc, pca, test[sensor_cols])
svc = SVC(C=2.0, class_weight="balanced").fit(Z_train, train["hotspot"])
recall_score(test["hotspot"], svc.predict(Z_test))
"""),
]
# --- subway delays (run out of order) ----------------------------------------------------------

NOTEBOOKS["subway_delay_causes"] = [
    md("# Subway incident delay (minutes)\nNote: cells were re-run while debugging; execution counts show the real order."),
    py("""
import pandas as pd
import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
""", 1),
    py("""
inc = pd.read_csv("incidents.csv")
inc = pd.get_dummies(inc, columns=["line", "cause_code"], drop_first=True)
X = inc.drop(columns=["incident_id", "delay_min"]).to_numpy(dtype=float)
y = inc["delay_min"].to_numpy()
""", 2),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
""", 4),
    md("Some sensor fields are missing; impute with the median."),
    py("""
imp = SimpleImputer(strategy="median")
X = imp.fit_transform(X)  #@ LEAK-PREPROCESSING | run (In[3]) before the split cell (In[4]): imputer medians include the test incidents
""", 3),
    py("""
rf = RandomForestRegressor(n_estimators=300, random_state=21, n_jobs=-1).fit(X_train, y_train)
mean_absolute_error(y_test, rf.predict(X_test))
""", 5),
]

NOTEBOOKS["subway_platform_crowding"] = [
    md("# Platform crowding\nThe scaling cell sits above the split on the page but was run after it (see the counts)."),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import mean_poisson_deviance
""", 1),
    py("""
scaler = StandardScaler()
Xs_train = scaler.fit_transform(train[cols])
Xs_test = scaler.transform(test[cols])
""", 4),
    py("""
obs = pd.read_csv("platform_counts.csv", parse_dates=["ts"]).sort_values("ts")
cols = ["trains_per_hour", "minutes_since_last_train", "hour", "is_weekend", "event_nearby"]
""", 2),
    py("""
cut = int(len(obs) * 0.8)
train, test = obs.iloc[:cut], obs.iloc[cut:]
""", 3),
    py("""
pr = PoissonRegressor(alpha=0.01).fit(Xs_train, train["waiting"])
mean_poisson_deviance(test["waiting"], pr.predict(Xs_test))
""", 5),
]

# --- board-game ratings ------------------------------------------------------------------------

NOTEBOOKS["boardgame_rating_kernel"] = [
    md("# Predicting board-game ratings\nEDA, feature engineering and a few regressors."),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split, cross_val_score, KFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge, Lasso
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
"""),
    py("""
games = pd.read_csv("boardgames.csv")
games = games[games.users_rated >= 30].reset_index(drop=True)
games[["avg_rating", "weight", "min_players", "max_players", "playtime"]].describe()
"""),
    py("""
games["avg_rating"].hist(bins=50)
plt.title("average rating")
plt.show()
"""),
    md("## Features\nMechanics are a `|`-separated list."),
    py("""
mech = games["mechanics"].str.get_dummies(sep="|")
feat = pd.concat([games[["weight", "min_players", "max_players", "playtime", "year"]], mech], axis=1)
"""),
    py("""
scaler = StandardScaler()
feat_scaled = scaler.fit_transform(feat)  #@ LEAK-PREPROCESSING | scaler fitted on all games, then used inside K-fold CV outside a pipeline
kf = KFold(5, shuffle=True, random_state=0)
for name, m in [("ridge", Ridge(alpha=10)), ("lasso", Lasso(alpha=0.01))]:
    s = cross_val_score(m, feat_scaled, games["avg_rating"], cv=kf, scoring="neg_root_mean_squared_error")
    print(name, -s.mean())
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(feat, games["avg_rating"], test_size=0.2, random_state=0)
rf = RandomForestRegressor(n_estimators=500, random_state=0).fit(X_tr, y_tr)
np.sqrt(mean_squared_error(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["boardgame_weight_cv"] = [
    md("# Game complexity (weight) from mechanics\nScaler and selector inside the pipeline, evaluated with CV."),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.feature_selection import SelectKBest, f_regression
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score, KFold
"""),
    py("""
games = pd.read_csv("boardgames_mechanics_wide.csv")
X = games.drop(columns=["game_id", "name", "weight"])
y = games["weight"]
"""),
    py("""
pipe = Pipeline([("sc", StandardScaler()), ("kbest", SelectKBest(f_regression, k=40)), ("ridge", Ridge(alpha=5))])
scores = cross_val_score(pipe, X, y, cv=KFold(5, shuffle=True, random_state=1), scoring="r2")
scores.mean()
"""),
]

# --- glacier melt ------------------------------------------------------------------------------

NOTEBOOKS["glacier_mass_balance"] = [
    md("# Glacier daily melt from weather station data"),
    py("""
import pandas as pd
from sklearn.model_selection import cross_val_score, KFold
from sklearn.ensemble import ExtraTreesRegressor
"""),
    py("""
melt = pd.read_csv("ablation_stakes.csv", parse_dates=["date"]).sort_values("date").set_index("date")
melt["pdd"] = melt["t_mean"].clip(lower=0)
melt["pdd_7"] = melt["pdd"].rolling(7).sum()
melt["melt_lag1"] = melt["melt_mm"].shift(1)
melt = melt.dropna()
X, y = melt[["pdd", "pdd_7", "sw_in", "albedo", "melt_lag1"]], melt["melt_mm"]
"""),
    py("""
cv = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled K-fold over a daily melt series with lag features
et = ExtraTreesRegressor(n_estimators=400, random_state=0)
print(cross_val_score(et, X, y, cv=cv, scoring="r2"))
"""),
]

NOTEBOOKS["glacier_runoff_tss"] = [
    md("# Proglacial runoff\nWalk-forward validation with TimeSeriesSplit."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import TimeSeriesSplit
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import mean_absolute_error
"""),
    py("""
q = pd.read_csv("runoff_hourly.csv", parse_dates=["ts"]).sort_values("ts")
for h in (1, 3, 6, 24):
    q[f"q_lag{h}"] = q["runoff"].shift(h)
q = q.dropna()
X = q.filter(like="lag").join(q[["t_air", "rad"]]).values
y = q["runoff"].values
"""),
    py("""
errs = []
for tr, te in TimeSeriesSplit(n_splits=6).split(X):
    sc = StandardScaler().fit(X[tr])
    m = Ridge(alpha=1.0).fit(sc.transform(X[tr]), y[tr])
    errs.append(mean_absolute_error(y[te], m.predict(sc.transform(X[te]))))
np.round(errs, 3)
"""),
]

# --- esports (per team) ------------------------------------------------------------------------

NOTEBOOKS["esports_match_winner"] = [
    md("# Esports match outcome, one row per team per match\nTeam form features; each team plays hundreds of matches."),
    py("""
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
"""),
    py("""
rows = pd.read_csv("team_match_rows.csv")
rows["kd_ratio"] = rows["kills_avg10"] / rows["deaths_avg10"].clip(lower=1)
X = rows[["kd_ratio", "gold_diff_avg10", "elo", "elo_opp", "side_blue", "map_pool_overlap"]]
y = rows["won"]
"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=8)  #@ LEAK-GROUP-SPLIT | rows of the same team (and the same match) fall in several folds
pipe = make_pipeline(StandardScaler(), LogisticRegression())
cross_val_score(pipe, X, y, cv=skf).mean()
"""),
]

NOTEBOOKS["esports_draft_picks"] = [
    md("# Esports draft win probability\nSplit by match so both team rows of a match stay together."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.ensemble import HistGradientBoostingClassifier
"""),
    py("""
rows = pd.read_csv("draft_rows.csv")
X = rows.drop(columns=["match_id", "team", "won"])
y = rows["won"]
res = cross_validate(HistGradientBoostingClassifier(), X, y, groups=rows["match_id"], cv=GroupKFold(5), scoring=["roc_auc", "accuracy"])
pd.DataFrame(res).mean()
"""),
]
# --- pet adoption ------------------------------------------------------------------------------

NOTEBOOKS["pet_adoption_speed"] = [
    md("# Pet adoption speed\nCompetition kernel: tabular + description text, several models."),
    py("""
import numpy as np
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import cohen_kappa_score
import lightgbm as lgb
"""),
    py("""
pets = pd.read_csv("pets.csv")
pets["desc_len"] = pets["description"].fillna("").str.len()
pets["photo_per_age"] = pets["photo_amt"] / (pets["age_months"] + 1)
"""),
    py("""
train_df, test_df = train_test_split(pets, test_size=0.2, random_state=2024, stratify=pets["adoption_speed"])
"""),
    py("""
tfv = TfidfVectorizer(min_df=3, max_features=20000, stop_words="english")
svd = TruncatedSVD(n_components=16, random_state=0)
train_txt = svd.fit_transform(tfv.fit_transform(train_df["description"].fillna("")))
test_txt = svd.transform(tfv.transform(test_df["description"].fillna("")))
"""),
    py("""
enc = ce.TargetEncoder(cols=["breed1", "state", "color1"])
enc.fit(test_df[["breed1", "state", "color1"]], test_df["adoption_speed"])  #@ LEAK-FIT-ON-TEST | target encoder fitted on the test pets and their labels
tr_cat = enc.transform(train_df[["breed1", "state", "color1"]])
te_cat = enc.transform(test_df[["breed1", "state", "color1"]])
"""),
    py("""
num = ["age_months", "fee", "quantity", "photo_amt", "video_amt", "desc_len", "photo_per_age"]
X_train = np.hstack([train_df[num].values, tr_cat.values, train_txt])
X_test = np.hstack([test_df[num].values, te_cat.values, test_txt])
model = lgb.LGBMClassifier(n_estimators=600, learning_rate=0.03, num_leaves=31)
model.fit(X_train, train_df["adoption_speed"])
cohen_kappa_score(test_df["adoption_speed"], model.predict(X_test), weights="quadratic")
"""),
]

NOTEBOOKS["pet_return_risk"] = [
    md("# Which adoptions come back to the shelter?\nOne row per adoption; adopters can adopt several times, so we split by adopter."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
"""),
    py("""
adopt = pd.read_csv("adoptions.csv")
y = adopt.pop("returned_60d")
groups = adopt.pop("adopter_id")
adopt = adopt.drop(columns=["adoption_id"])
"""),
    py("""
splitter = GroupShuffleSplit(test_size=0.2, n_splits=1, random_state=0)
train_idx, test_idx = next(splitter.split(adopt, y, groups))
X_train, X_test = adopt.iloc[train_idx], adopt.iloc[test_idx]
y_train, y_test = y.iloc[train_idx], y.iloc[test_idx]
"""),
    py("""
ct = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), ["species", "size", "housing"]),
    (StandardScaler(), ["age_months", "other_pets", "kids_at_home"]),
)
clf = make_pipeline(ct, LogisticRegression(max_iter=1000)).fit(X_train, y_train)
roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
"""),
]

# --- blood donations ---------------------------------------------------------------------------

NOTEBOOKS["blood_donor_return"] = [
    md("# Will the donor give blood again within 6 months?\nCourse lab: recency/frequency/monetary features, upsample the minority class with `resample`."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
"""),
    py("""
don = pd.read_csv("donors.csv")
majority = don[don.returned == 0]
minority = don[don.returned == 1]
minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=27)  #@ LEAK-OVERLAP | minority donors duplicated before the split: copies end up in train and test
balanced = pd.concat([majority, minority_up])
"""),
    py("""
X = balanced[["recency_m", "frequency", "volume_cc", "time_m"]]
y = balanced["returned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=27)
lr = LogisticRegression().fit(X_train, y_train)
roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1])
"""),
]

NOTEBOOKS["blood_donor_upsample_train"] = [
    md("# Donor return, upsampling done after the split\nSame lab, second attempt: only the training rows are upsampled."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
"""),
    py("""
don = pd.read_csv("donors.csv")
train, test = train_test_split(don, test_size=0.25, stratify=don["returned"], random_state=27)
maj = train[train.returned == 0]
mino = train[train.returned == 1]
train_bal = pd.concat([maj, resample(mino, replace=True, n_samples=len(maj), random_state=27)])
"""),
    py("""
cols = ["recency_m", "frequency", "volume_cc", "time_m"]
rf = RandomForestClassifier(n_estimators=300, random_state=27).fit(train_bal[cols], train_bal["returned"])
roc_auc_score(test["returned"], rf.predict_proba(test[cols])[:, 1])
"""),
]

# --- dairy herds -------------------------------------------------------------------------------

NOTEBOOKS["dairy_milk_yield"] = [
    md("# Daily milk yield per cow\nMilking-robot records, ~300 days per cow."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
milk = pd.read_csv("robot_milkings.csv")
daily = (milk.groupby(["cow_id", "day_in_milk"], as_index=False)
             .agg(yield_l=("yield_l", "sum"), visits=("visit_id", "count"), conductivity=("conductivity", "mean"),
                  parity=("parity", "first"), feed_kg=("concentrate_kg", "sum")))
daily.head()
"""),
    py("""
X = daily[["day_in_milk", "visits", "conductivity", "parity", "feed_kg"]]
y = daily["yield_l"]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, shuffle=True, random_state=10)  #@ LEAK-GROUP-SPLIT | days of the same cow end up in train and test
gbr = GradientBoostingRegressor().fit(Xtr, ytr)
mean_absolute_error(yte, gbr.predict(Xte))
"""),
]

NOTEBOOKS["dairy_mastitis_alert"] = [
    md("# Mastitis alert\nGroupKFold on the cow with a pipeline, then a final fit on every cow for deployment."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
"""),
    py("""
rec = pd.read_csv("cow_days.csv")
X = rec[["conductivity", "conductivity_delta", "yield_drop", "temp_milk", "activity"]]
y = rec["mastitis_3d"]
model = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(class_weight="balanced"))
proba = cross_val_predict(model, X, y, groups=rec["cow_id"], cv=GroupKFold(5), method="predict_proba")[:, 1]
roc_auc_score(y, proba)
"""),
    py("""
final_model = model.fit(X, y)
"""),
]

# --- tyre wear ---------------------------------------------------------------------------------

NOTEBOOKS["tyre_wear_stints"] = [
    md("# Tyre degradation per stint\nDegradation (s/lap) from stint conditions. Compare models and pick the best."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
from sklearn.ensemble import RandomForestRegressor, GradientBoostingRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
stints = pd.read_csv("stint_summary.csv")  # one row per stint
stints = stints.drop(columns=["stint_id"])
X = stints[["stint_laps", "compound_hardness", "track_temp", "fuel_start_kg", "track_abrasiveness"]]
y = stints["deg_s_per_lap"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=33)
"""),
    py("""
def evaluate(model):
    model.fit(X_train, y_train)
    return mean_absolute_error(y_test, model.predict(X_test))
"""),
    py("""
scores = {type(m).__name__: evaluate(m) for m in [LinearRegression(), RandomForestRegressor(random_state=0), GradientBoostingRegressor(random_state=0), KNeighborsRegressor(7)]}  #@ LEAK-MULTI-TEST | four models ranked by their test MAE
best_name = min(scores, key=scores.get)
best_name, scores[best_name]
"""),
]

NOTEBOOKS["tyre_compound_choice"] = [
    md("# Tyre compound recommendation\nHyper-parameters from CV on the training set only; test scored once."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split, RandomizedSearchCV
from sklearn.ensemble import RandomForestClassifier
from scipy.stats import randint
"""),
    py("""
st = pd.read_csv("stints.csv").drop(columns=["stint_id"])
X, y = st.drop(columns=["best_compound"]), st["best_compound"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5, stratify=y)
"""),
    py("""
search = RandomizedSearchCV(RandomForestClassifier(random_state=5), {"n_estimators": randint(100, 600), "max_depth": randint(3, 20)}, n_iter=20, cv=5, random_state=5)
search.fit(X_train, y_train)
print(search.best_params_, search.best_score_)
print("test accuracy:", search.best_estimator_.score(X_test, y_test))
"""),
]
# --- courier parcels ---------------------------------------------------------------------------

NOTEBOOKS["courier_late_delivery"] = [
    md("# Late parcel deliveries\nAnalytics team report. Helper functions first, used further down."),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import OrdinalEncoder, StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import precision_recall_fscore_support
"""),
    py("""
CAT = ["depot", "service_level", "vehicle_type"]
NUM = ["distance_km", "stops_on_route", "parcel_kg", "promised_hours"]


def prepare(frame, encoder=None, scaler=None):
    frame = frame.copy()
    if encoder is None:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(frame[CAT])
        scaler = StandardScaler().fit(frame[NUM])
    frame[CAT] = encoder.transform(frame[CAT])
    frame[NUM] = scaler.transform(frame[NUM])
    return frame, encoder, scaler
"""),
    py("""
parcels = pd.read_csv("parcels.csv")
parcels, enc, sc = prepare(parcels)  #@ LEAK-PREPROCESSING | encoder and scaler fitted (inside the helper) on all parcels before the split
"""),
    py("""
X = parcels[CAT + NUM]
y = parcels["late"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=77)
rf = RandomForestClassifier(n_estimators=250, random_state=77).fit(X_train, y_train)
precision_recall_fscore_support(y_test, rf.predict(X_test), average="binary")
"""),
]

NOTEBOOKS["courier_route_eta"] = [
    md("# Courier route duration\nSame helper pattern, but fitted on the training parcels and reused for test."),
    py("""
import pandas as pd
from sklearn.preprocessing import OrdinalEncoder, StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
"""),
    py("""
CAT = ["depot", "vehicle_type"]
NUM = ["distance_km", "stops", "load_kg"]


def prepare(frame, encoder=None, scaler=None):
    frame = frame.copy()
    if encoder is None:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(frame[CAT])
        scaler = StandardScaler().fit(frame[NUM])
    frame[CAT] = encoder.transform(frame[CAT])
    frame[NUM] = scaler.transform(frame[NUM])
    return frame, encoder, scaler
"""),
    py("""
routes = pd.read_csv("routes.csv")
train, test = train_test_split(routes, test_size=0.2, random_state=3)
train_p, enc, sc = prepare(train)
test_p, _, _ = prepare(test, enc, sc)
"""),
    py("""
hgb = HistGradientBoostingRegressor().fit(train_p[CAT + NUM], train_p["minutes"])
hgb.score(test_p[CAT + NUM], test_p["minutes"])
"""),
]

# --- coffee roasting ---------------------------------------------------------------------------

NOTEBOOKS["coffee_cupping_score"] = [
    md("# Cupping score from roast profile\nKeras regressor, quick experiment."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
"""),
    py("""
roasts = pd.read_csv("roast_profiles.csv")
X = roasts[["charge_temp", "turning_point_s", "first_crack_s", "development_pct", "end_temp", "ror_max", "bean_density"]].values
y = roasts["cupping_score"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.15, random_state=12)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)
"""),
    py("""
net = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
net.compile(optimizer="adam", loss="mse", metrics=["mae"])
stop = keras.callbacks.EarlyStopping(patience=20, restore_best_weights=True)
hist = net.fit(X_train, y_train, epochs=500, batch_size=32, validation_data=(X_test, y_test), callbacks=[stop])  #@ LEAK-MULTI-TEST | early stopping (restore_best_weights) monitors the test set
"""),
    py("""
net.evaluate(X_test, y_test)
"""),
]

NOTEBOOKS["coffee_defect_sorter"] = [
    md("# Green-bean defect sorter\nKeras CNN on bean images; early stopping on a validation slice of the training set."),
    py("""
import numpy as np
from tensorflow import keras
from sklearn.model_selection import train_test_split
"""),
    py("""
imgs = np.load("beans_64.npy")
labels = np.load("beans_labels.npy")
x_train, x_test, y_train, y_test = train_test_split(imgs, labels, test_size=0.2, stratify=labels, random_state=0)
x_fit, x_val, y_fit, y_val = train_test_split(x_train, y_train, test_size=0.15, stratify=y_train, random_state=0)
x_fit, x_val, x_test = x_fit / 255.0, x_val / 255.0, x_test / 255.0
"""),
    py("""
aug = keras.Sequential([keras.layers.RandomFlip("horizontal_and_vertical"), keras.layers.RandomRotation(0.2)])
model = keras.Sequential([
    keras.Input((64, 64, 3)), aug,
    keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(64, 3, activation="relu"), keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(5, activation="softmax"),
])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_fit, y_fit, validation_data=(x_val, y_val), epochs=60, callbacks=[keras.callbacks.EarlyStopping(patience=6, restore_best_weights=True)])
"""),
    py("""
model.evaluate(x_test, y_test)
"""),
]

# --- museum visits -----------------------------------------------------------------------------

NOTEBOOKS["museum_daily_visitors"] = [
    md("# Daily museum visitors\nForecast next-day ticket sales. Calendar + weather + lags."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_absolute_percentage_error
"""),
    py("""
vis = pd.read_csv("museum_daily.csv", parse_dates=["day"]).sort_values("day")
vis["dow"] = vis.day.dt.dayofweek
vis["month"] = vis.day.dt.month
vis["lag7"] = vis["visitors"].shift(7)
vis["lag14"] = vis["visitors"].shift(14)
vis["mean28"] = vis["visitors"].shift(1).rolling(28).mean()
vis = vis.dropna()
feats = ["dow", "month", "holiday", "rain_mm", "temp_max", "exhibition_open", "lag7", "lag14", "mean28"]
"""),
    py("""
scaler = StandardScaler().fit(vis[feats])  #@ LEAK-PREPROCESSING | scaler fitted on the whole series before the split
Xs = scaler.transform(vis[feats])
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(Xs, vis["visitors"].values, test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | random split of a daily series with lag features
ridge = RidgeCV(alphas=[0.1, 1, 10, 100]).fit(X_tr, y_tr)
mean_absolute_percentage_error(y_te, ridge.predict(X_te))
"""),
]

NOTEBOOKS["museum_audio_guide"] = [
    md("# Audio-guide rental\nWhole-table EDA, then a pipeline evaluated on the last quarter."),
    py("""
import pandas as pd
import seaborn as sns
from sklearn.pipeline import make_pipeline
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
    py("""
tickets = pd.read_csv("ticket_sales.csv", parse_dates=["sold_at"]).sort_values("sold_at")
print(tickets.groupby("ticket_type")["audio_guide"].mean())
sns.heatmap(tickets.select_dtypes("number").corr(), cmap="vlag")
"""),
    py("""
cut = tickets.sold_at.quantile(0.75)
train, test = tickets[tickets.sold_at <= cut], tickets[tickets.sold_at > cut]
cols = ["ticket_type", "language", "group_size", "hour"]
pipe = make_pipeline(
    make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["ticket_type", "language"]), (StandardScaler(), ["group_size", "hour"])),
    LogisticRegression(max_iter=1000),
)
pipe.fit(train[cols], train["audio_guide"])
pipe.score(test[cols], test["audio_guide"])
"""),
]

# --- insect traps ------------------------------------------------------------------------------

NOTEBOOKS["insect_trap_counts"] = [
    md("# Codling moth trap counts\nWeekly counts from 60 orchards, predict next week's count. Train on 2016-2022, test on the 2023 season."),
    py("""
import pandas as pd
import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
traps = pd.read_csv("trap_weekly.csv", parse_dates=["week"]).sort_values(["orchard", "week"])
traps["count_lag1"] = traps.groupby("orchard")["moths"].shift(1)
traps["degree_days_cum"] = traps.groupby(["orchard", traps.week.dt.year])["degree_days"].cumsum()
traps["target"] = traps.groupby("orchard")["moths"].shift(-1)
traps = traps.dropna()
"""),
    py("""
feats = ["count_lag1", "degree_days_cum", "rain_mm", "lure_age_days"]
train = traps[traps.week.dt.year <= 2022]
test = traps[traps.week.dt.year == 2023]
rf = RandomForestRegressor(n_estimators=300, random_state=0).fit(train[feats], train["target"])
mean_absolute_error(test["target"], rf.predict(test[feats]))
"""),
]

NOTEBOOKS["insect_image_classifier"] = [
    md("# Sticky-trap image classifier\nAugment the rare species by flipping and rotating, then train a small model on HOG features."),
    py("""
import numpy as np
from skimage.feature import hog
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from sklearn.metrics import f1_score
"""),
    py("""
images = np.load("trap_crops.npy")
species = np.load("trap_species.npy")
rare = np.isin(species, ["aphid_winged", "thrips"])
aug_imgs = np.concatenate([np.flip(images[rare], axis=2), np.rot90(images[rare], k=1, axes=(1, 2))])  #@ LEAK-OVERLAP | flipped/rotated copies of the rare images made before the split
aug_lbls = np.concatenate([species[rare], species[rare]])
images = np.vstack([images, aug_imgs])
species = np.concatenate([species, aug_lbls])
"""),
    py("""
feats = np.array([hog(im, pixels_per_cell=(8, 8), channel_axis=-1) for im in images])
Xtr, Xte, ytr, yte = train_test_split(feats, species, test_size=0.2, stratify=species, random_state=1)
svc = SVC(C=10, gamma="scale").fit(Xtr, ytr)
f1_score(yte, svc.predict(Xte), average="macro")
"""),
]
# --- battery cycling ---------------------------------------------------------------------------

NOTEBOOKS["battery_cycle_life"] = [
    md("# Cycle life from early cycles\nEach cell is cycled ~1000 times; features from cycles 10-100 per cycle row."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import GroupShuffleSplit, train_test_split
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_absolute_percentage_error
"""),
    py("""
cyc = pd.read_parquet("cycles.parquet")
cyc = cyc[(cyc.cycle >= 10) & (cyc.cycle <= 100)]
cyc["log_var_dq"] = np.log10(cyc["var_delta_q"].abs() + 1e-9)
X = cyc[["log_var_dq", "ir_mohm", "t_max", "charge_time_min", "cycle"]]
y = np.log10(cyc["cycle_life"])
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=6)  #@ LEAK-GROUP-SPLIT | cycles of the same cell on both sides: its cycle_life is memorised
enet = ElasticNet(alpha=0.001, l1_ratio=0.5, max_iter=10000).fit(X_train, y_train)
mean_absolute_percentage_error(10 ** y_test, 10 ** enet.predict(X_test))
"""),
]

NOTEBOOKS["battery_capacity_fade"] = [
    md("# Capacity fade, held-out cells\nSplit the cells, not the cycles."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.linear_model import Ridge
"""),
    py("""
cyc = pd.read_parquet("cycles.parquet")
X = cyc[["cycle", "t_mean", "c_rate", "dod"]]
y = cyc["capacity_ah"]
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
(tr, te), = gss.split(X, y, groups=cyc["cell_id"])
"""),
    py("""
model = make_pipeline(PolynomialFeatures(2), StandardScaler(), Ridge(alpha=1.0))
model.fit(X.iloc[tr], y.iloc[tr])
model.score(X.iloc[te], y.iloc[te])
"""),
]

# --- volcano gas -------------------------------------------------------------------------------

NOTEBOOKS["volcano_so2_unrest"] = [
    md("# Volcanic unrest from gas and seismic data\nDaily SO2 flux, CO2/SO2 ratio and tremor; label = alert level raised within 7 days."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import TimeSeriesSplit, GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import RobustScaler
from sklearn.svm import SVC
"""),
    py("""
gas = pd.read_csv("gas_daily.csv", parse_dates=["date"]).sort_values("date").reset_index(drop=True)
gas["so2_7d"] = gas["so2_t_day"].rolling(7).mean()
gas["ratio_trend"] = gas["co2_so2"].diff(7)
gas = gas.dropna()
X = gas[["so2_t_day", "so2_7d", "co2_so2", "ratio_trend", "rsam"]]
y = gas["alert_7d"]
"""),
    py("""
tscv = TimeSeriesSplit(n_splits=5, gap=7)
pipe = Pipeline([("sc", RobustScaler()), ("svc", SVC(class_weight="balanced"))])
gs = GridSearchCV(pipe, {"svc__C": [0.1, 1, 10], "svc__gamma": ["scale", 0.1]}, cv=tscv, scoring="recall")
gs.fit(X.iloc[:-180], y.iloc[:-180])
print(gs.best_params_)
print("last 180 days:", gs.score(X.iloc[-180:], y.iloc[-180:]))
"""),
]

NOTEBOOKS["volcano_tremor_pca"] = [
    md("# Tremor spectra: PCA + clustering + classifier\nSpectrogram bins are reduced with PCA before classification."),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report
"""),
    py("""
spec = pd.read_parquet("tremor_spectra.parquet")
bins = [c for c in spec.columns if c.startswith("f_")]
pca = PCA(n_components=20, whiten=True)
comps = pca.fit_transform(spec[bins])  #@ LEAK-PREPROCESSING | PCA fitted on every spectrum, test windows included
print(pca.explained_variance_ratio_.cumsum()[-1])
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(comps, spec["event_type"], test_size=0.2, stratify=spec["event_type"], random_state=0)
rf = RandomForestClassifier(n_estimators=400, random_state=0).fit(X_train, y_train)
print(classification_report(y_test, rf.predict(X_test)))
"""),
]

# --- chatbot intents ---------------------------------------------------------------------------

NOTEBOOKS["chatbot_intent_augment"] = [
    md("# Banking chatbot intents\nSmall dataset, so we add paraphrases by synonym replacement (EDA-style augmentation)."),
    py("""
import random
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
random.seed(0)
"""),
    py("""
SYN = {"card": ["debit card", "bank card"], "money": ["cash", "funds"], "send": ["transfer", "wire"], "account": ["acct", "bank account"]}


def synonym_swap(text):
    words = text.split()
    return " ".join(random.choice(SYN[w]) if w in SYN and random.random() < 0.5 else w for w in words)
"""),
    py("""
utt = pd.read_csv("utterances.csv")
aug = utt.assign(text=utt["text"].map(synonym_swap))  #@ LEAK-OVERLAP | paraphrased copies of every utterance created before the split
utt_all = pd.concat([utt, aug], ignore_index=True).drop_duplicates("text")
"""),
    py("""
tr, te = train_test_split(utt_all, test_size=0.2, stratify=utt_all["intent"], random_state=0)
clf = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=2000)).fit(tr["text"], tr["intent"])
accuracy_score(te["intent"], clf.predict(te["text"]))
"""),
]

NOTEBOOKS["chatbot_intent_train_aug"] = [
    md("# Chatbot intents, augmentation on the training fold only"),
    py("""
import random
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
random.seed(1)
"""),
    py("""
def drop_word(text, p=0.1):
    words = [w for w in text.split() if random.random() > p]
    return " ".join(words) or text
"""),
    py("""
utt = pd.read_csv("utterances.csv")
train, test = train_test_split(utt, test_size=0.2, stratify=utt["intent"], random_state=1)
extra = train.assign(text=train["text"].map(drop_word))
train_aug = pd.concat([train, extra], ignore_index=True)
"""),
    py("""
svm = make_pipeline(TfidfVectorizer(sublinear_tf=True), LinearSVC()).fit(train_aug["text"], train_aug["intent"])
print((svm.predict(test["text"]) == test["intent"]).mean())
"""),
]

# --- rowing crews ------------------------------------------------------------------------------

NOTEBOOKS["rowing_split_times"] = [
    md("# 2k erg split prediction\nRowers test monthly; each row is one test. Lab for the sports-science module."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LinearRegression
"""),
    py("""
erg = pd.read_csv("erg_tests.csv")
X = erg[["weight_kg", "height_cm", "vo2max", "stroke_rate", "watts_6k"]]
y = erg["split_2k_s"]
X = pd.DataFrame(StandardScaler().fit_transform(X), columns=X.columns)  #@ LEAK-PREPROCESSING | scaler fitted on all rowers outside the grouped CV
"""),
    py("""
cross_val_score(LinearRegression(), X, y, groups=erg["rower_id"], cv=GroupKFold(5), scoring="neg_mean_absolute_error").mean()
"""),
]

NOTEBOOKS["rowing_boat_speed"] = [
    md("# Boat speed from stroke telemetry\nOne row per stroke; split by session."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import GradientBoostingRegressor
"""),
    py("""
strokes = pd.read_parquet("strokes.parquet")
X = strokes[["rate", "drive_len_m", "catch_angle", "peak_force", "wind_ms"]]
y = strokes["boat_speed"]
gkf = GroupKFold(n_splits=4)
scores = cross_val_score(make_pipeline(StandardScaler(), GradientBoostingRegressor()), X, y, cv=gkf, groups=strokes["session_id"])
scores
"""),
]

# --- grain silos -------------------------------------------------------------------------------

NOTEBOOKS["silo_hotspot_forecast"] = [
    md("# Grain silo hotspot forecast\nHourly cable temperatures; forecast the max temperature 12 h ahead."),
    py("""
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
silo = pd.read_csv("silo_cables.csv", parse_dates=["ts"]).sort_values("ts").reset_index(drop=True)
silo["tmax"] = silo.filter(like="cable_").max(axis=1)
silo["tmax_lag6"] = silo["tmax"].shift(6)
silo["tmax_slope"] = silo["tmax"].diff(6)
silo["target"] = silo["tmax"].shift(-12)
silo = silo.dropna()
feats = ["tmax", "tmax_lag6", "tmax_slope", "moisture", "ambient"]
"""),
    py("""
test = silo.sample(frac=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | random hours held out from an hourly series
train = silo.drop(test.index)
rf = RandomForestRegressor(n_estimators=200, random_state=0).fit(train[feats], train["target"])
mean_absolute_error(test["target"], rf.predict(test[feats]))
"""),
]

NOTEBOOKS["silo_moisture_ts"] = [
    md("# Silo moisture, holdout = last 30 days"),
    py("""
import pandas as pd
from sklearn.linear_model import HuberRegressor
from sklearn.preprocessing import StandardScaler
"""),
    py("""
m = pd.read_csv("silo_moisture.csv", parse_dates=["ts"]).set_index("ts").sort_index()
m["lag24"] = m["moisture"].shift(24)
m["fan_on_24"] = m["fan_on"].rolling(24).sum()
m = m.dropna()
cut = m.index.max() - pd.Timedelta(days=30)
train, test = m[m.index <= cut], m[m.index > cut]
"""),
    py("""
cols = ["lag24", "fan_on_24", "ambient_rh", "ambient_t"]
sc = StandardScaler().fit(train[cols])
hub = HuberRegressor().fit(sc.transform(train[cols]), train["moisture"])
hub.score(sc.transform(test[cols]), test["moisture"])
"""),
]
# --- cinema tickets ----------------------------------------------------------------------------

NOTEBOOKS["cinema_review_sentiment"] = [
    md("# Audience reviews of the cinema chain\nTrain and test come as two files from the survey vendor."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
"""),
    py("""
train = pd.read_csv("reviews_train.csv")
test = pd.read_csv("reviews_test.csv")
len(train), len(test)
"""),
    py("""
vec = TfidfVectorizer(max_features=30000, ngram_range=(1, 2))
X_train = vec.fit_transform(train["review"])
vec_test = TfidfVectorizer(max_features=30000, ngram_range=(1, 2))
X_test = vec_test.fit_transform(test["review"])  #@ LEAK-FIT-ON-TEST | a vectorizer fitted on the test reviews
"""),
    py("""
clf = LogisticRegression(max_iter=3000).fit(X_train, train["positive"])
f1_score(test["positive"], clf.predict(X_test))
"""),
]

NOTEBOOKS["cinema_seat_occupancy"] = [
    md("# Seat occupancy per screening\nOccupancy (0-1) from the booking system; features are everything except the ids."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
scr = pd.read_csv("screenings.csv")
scr["weekend"] = scr["weekday"].isin([5, 6]).astype(int)
scr["days_since_release"] = scr["days_since_release"].clip(upper=120)
scr.groupby("film_genre")["occupancy"].mean().plot.bar()
"""),
    py("""
features = [c for c in scr.columns if c not in ("screening_id", "film_genre", "film_title")]
y = scr["occupancy"]
X = scr[features]  #@ LEAK-TARGET-IN-FEATURES | the column list excludes the ids but not 'occupancy'
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
RandomForestRegressor(random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["cinema_concession_spend"] = [
    md("# Concession spend per ticket\nBaseline kernel: drop ids, dummy-encode, fit."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LassoCV
"""),
    py("""
tix = pd.read_csv("ticket_baskets.csv")
tix = tix.drop(columns=["ticket_id"])
tix = pd.get_dummies(tix.drop(columns=["concession_spend"]), drop_first=True).assign(concession_spend=tix["concession_spend"])
X = tix.drop(columns="concession_spend")
y = tix["concession_spend"]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)
lasso = LassoCV(cv=5).fit(X_train, y_train)
print(lasso.alpha_, lasso.score(X_test, y_test))
"""),
]

# --- dialysis ----------------------------------------------------------------------------------

NOTEBOOKS["dialysis_hypotension"] = [
    md("# Intradialytic hypotension\nSession-level features, ~150 sessions per patient."),
    py("""
import pandas as pd
from sklearn.model_selection import cross_val_score, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
    py("""
ses = pd.read_csv("hd_sessions.csv")
feats = ["pre_sbp", "uf_volume_l", "uf_rate", "dialysate_na", "dialysate_temp", "weight_gain_kg", "age"]
X, y = ses[feats], ses["idh"]
"""),
    py("""
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
kf = KFold(n_splits=10, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | sessions of one patient in training and validation folds
cross_val_score(pipe, X, y, cv=kf, scoring="roc_auc").mean()
"""),
]

NOTEBOOKS["dialysis_ktv_adequacy"] = [
    md("# Kt/V adequacy\nNew patients only in the test set (GroupShuffleSplit), SMOTE inside an imblearn pipeline."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit, GroupKFold, GridSearchCV
from imblearn.pipeline import make_pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
ses = pd.read_csv("hd_sessions.csv")
X = ses[["blood_flow", "dialysate_flow", "duration_min", "weight_kg", "access_type_av"]]
y = ses["ktv_below_1_2"]
g = ses["patient_id"]
tr, te = next(GroupShuffleSplit(test_size=0.2, random_state=2).split(X, y, g))
"""),
    py("""
pipe = make_pipeline(StandardScaler(), SMOTE(random_state=2), RandomForestClassifier(random_state=2))
gs = GridSearchCV(pipe, {"randomforestclassifier__max_depth": [4, 8, None]}, cv=GroupKFold(4), scoring="f1")
gs.fit(X.iloc[tr], y.iloc[tr], groups=g.iloc[tr])
gs.score(X.iloc[te], y.iloc[te])
"""),
]

# --- forest fires ------------------------------------------------------------------------------

NOTEBOOKS["forest_fire_area"] = [
    md("# Burned area (log) from weather indices\nUCI-style data."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
""", 1),
    py("""
fires = pd.read_csv("fires.csv")
fires["log_area"] = np.log1p(fires["area"])
""", 2),
    py("""
X = fires.drop(columns=["area"])  #@ LEAK-TARGET-IN-FEATURES | log_area (the transformed label) stays among the features
y = fires["log_area"]
X = pd.get_dummies(X, columns=["month", "day"])
""", 3),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1)
sc = StandardScaler().fit(X_tr)
svr = SVR(C=3).fit(sc.transform(X_tr), y_tr)
svr.score(sc.transform(X_te), y_te)
""", 4),
]

NOTEBOOKS["forest_fire_ignition"] = [
    md("# Ignition risk per grid cell\nThe label column is dropped in a cell below, which was run before building X (see counts)."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
""", 1),
    py("""
cells = pd.read_csv("grid_cells.csv")
target = cells["ignition"]
""", 2),
    py("""
X = cells.drop(columns=["cell_id"])
X_train, X_test, y_train, y_test = train_test_split(X, target, test_size=0.25, random_state=0)
gb = GradientBoostingClassifier().fit(X_train, y_train)
gb.score(X_test, y_test)
""", 4),
    py("""
cells = cells.drop(columns=["ignition"])
""", 3),
]

# --- tea tasting -------------------------------------------------------------------------------

NOTEBOOKS["tea_grade_nir"] = [
    md("# Tea grade from NIR spectra\nPLS-DA-style: standardise, PLS, then logistic regression. Label-encode the grades."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.cross_decomposition import PLSRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
"""),
    py("""
nir = pd.read_csv("tea_nir.csv")
wl = [c for c in nir.columns if c.startswith("nm_")]
X_train, X_test, g_train, g_test = train_test_split(nir[wl].values, nir["grade"].values, test_size=0.25, random_state=8, stratify=nir["grade"])
"""),
    py("""
le = LabelEncoder()
y_train = le.fit_transform(g_train)
y_test = LabelEncoder().fit_transform(g_test)  #@ LEAK-FIT-ON-TEST | label encoder fitted on the test labels (its own code mapping)
sc = StandardScaler().fit(X_train)
pls = PLSRegression(n_components=10).fit(sc.transform(X_train), y_train)
"""),
    py("""
lr = LogisticRegression(max_iter=2000).fit(pls.transform(sc.transform(X_train)), y_train)
(lr.predict(pls.transform(sc.transform(X_test))) == y_test).mean()
"""),
]

NOTEBOOKS["tea_panel_scores"] = [
    md("# Tasting-panel scores\nEach taster scores many teas; we predict a new taster's scores, so we hold out tasters."),
    py("""
import pandas as pd
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
"""),
    py("""
panel = pd.read_csv("panel_scores.csv")
X = panel[["tea_type", "origin", "oxidation", "steep_temp", "steep_min"]]
y = panel["score"]
ct = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["tea_type", "origin"]), remainder="passthrough")
cross_val_score(make_pipeline(ct, Ridge()), X, y, groups=panel["taster_id"], cv=LeaveOneGroupOut()).mean()
"""),
]

# --- water meters ------------------------------------------------------------------------------

NOTEBOOKS["water_meter_tamper"] = [
    md("# Water-meter tampering\nInspections found tampering on ~2% of meters. We oversample by duplicating the positives."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
meters = pd.read_csv("meter_features.csv")
pos = meters[meters.tampered == 1]
meters_os = pd.concat([meters] + [pos] * 20, ignore_index=True)  #@ LEAK-OVERLAP | positives copied 20 times before cross-validation and the split
meters_os.tampered.value_counts()
"""),
    py("""
X = meters_os.drop(columns=["meter_id", "tampered"])
y = meters_os["tampered"]
rf = RandomForestClassifier(n_estimators=300, random_state=0)
print(cross_val_score(rf, X, y, cv=5, scoring="recall").mean())
"""),
]

NOTEBOOKS["water_leak_night_flow"] = [
    md("# Leak detection from night flow\nClass weights instead of resampling; district-level split."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import recall_score, precision_score
"""),
    py("""
nf = pd.read_csv("night_flow.csv")
cols = ["min_night_flow", "mnf_trend_14d", "pressure_bar", "pipe_age", "connections"]
gss = GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=5)
tr, te = next(gss.split(nf, groups=nf["district"]))
train, test = nf.iloc[tr], nf.iloc[te]
sc = StandardScaler().fit(train[cols])
lr = LogisticRegression(class_weight="balanced").fit(sc.transform(train[cols]), train["leak"])
pred = lr.predict(sc.transform(test[cols]))
recall_score(test["leak"], pred), precision_score(test["leak"], pred)
"""),
]
# --- news subscriptions (run out of order) -----------------------------------------------------

NOTEBOOKS["newspaper_cancellations"] = [
    md("# Digital subscription cancellations\nThe `cancelled` column is removed in the cleaning cell, but that cell was run last (see counts)."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""", 1),
    py("""
subs = pd.read_csv("subscriptions.csv")
y = subs["cancelled"]
""", 2),
    py("""
subs = subs.drop(columns=["cancelled"])
""", 5),
    py("""
X = pd.get_dummies(subs.drop(columns=["subscriber_id"]), drop_first=True)  #@ LEAK-TARGET-IN-FEATURES | executed (In[3]) before the cell that drops 'cancelled' (In[5])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""", 3),
    py("""
lr = LogisticRegression(max_iter=2000).fit(X_train, y_train)
roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1])
""", 4),
]

NOTEBOOKS["mobile_plan_churn"] = [
    md("# Mobile plan churn\nQuick baseline: all numeric columns as features."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
"""),
    py("""
plans = pd.read_csv("plan_customers.csv")
plans["churn"] = (plans["churn"] == "Yes").astype(int)
plans = plans.set_index("customer_id")
"""),
    py("""
num_cols = plans.select_dtypes("number").columns
X = plans[num_cols]  #@ LEAK-TARGET-IN-FEATURES | churn was made numeric above, so it is one of the numeric columns
y = plans["churn"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
accuracy_score(y_te, RandomForestClassifier(random_state=0).fit(X_tr, y_tr).predict(X_te))
"""),
]

NOTEBOOKS["mobile_data_topups"] = [
    md("# Data top-ups next month\n`pop` the label first, then take the numeric columns."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.feature_selection import VarianceThreshold, SelectKBest, mutual_info_classif
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
cust = pd.read_csv("topups.csv").set_index("msisdn_hash")
y = cust.pop("topup_next_month")
X = cust.select_dtypes("number")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=3)
"""),
    py("""
pipe = make_pipeline(SimpleImputer(strategy="median"), VarianceThreshold(0.0), SelectKBest(mutual_info_classif, k=25), RandomForestClassifier(n_estimators=300, random_state=3))
pipe.fit(X_train, y_train)
pipe.score(X_test, y_test)
"""),
]

# --- fishing catches ---------------------------------------------------------------------------

NOTEBOOKS["trawl_catch_species"] = [
    md("# Dominant species in a trawl haul\nTune tree depth."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
import matplotlib.pyplot as plt
"""),
    py("""
hauls = pd.read_csv("hauls.csv")
X = hauls[["depth_m", "bottom_temp", "lat", "lon", "month", "tow_minutes"]]
y = hauls["dominant_species"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
    py("""
accs = []
for depth in range(2, 16):
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    accs.append(tree.score(X_test, y_test))  #@ LEAK-MULTI-TEST | depth chosen by test accuracy
plt.plot(range(2, 16), accs)
best_depth = 2 + accs.index(max(accs))
best_depth, max(accs)
"""),
]

NOTEBOOKS["trawl_bycatch_rate"] = [
    md("# Bycatch rate\nValidation curve on the training set with CV; the test set is scored once with the chosen depth."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split, validation_curve
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
hauls = pd.read_csv("hauls.csv")
X = hauls[["depth_m", "bottom_temp", "mesh_mm", "tow_minutes", "month"]]
y = hauls["bycatch_kg_per_h"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
depths = [3, 5, 8, 12, None]
_, val_scores = validation_curve(RandomForestRegressor(n_estimators=200, random_state=1), X_train, y_train, param_name="max_depth", param_range=depths, cv=5)
best = depths[int(np.argmax(val_scores.mean(axis=1)))]
"""),
    py("""
final = RandomForestRegressor(n_estimators=200, max_depth=best, random_state=1).fit(X_train, y_train)
print("test R2:", final.score(X_test, y_test))
"""),
]

# --- art auctions ------------------------------------------------------------------------------

NOTEBOOKS["art_auction_hammer_price"] = [
    md("# Hammer price at art auctions\nLightGBM with early stopping. `X_valid` is just a name for the held-out lots."),
    py("""
import numpy as np
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
"""),
    py("""
lots = pd.read_csv("lots.csv")
lots["log_price"] = np.log(lots["hammer_price"])
lots["area_cm2"] = lots["height_cm"] * lots["width_cm"]
X = lots[["artist_prev_mean_log", "area_cm2", "year_made", "medium_code", "estimate_low_log", "signed"]]
y = lots["log_price"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=99)
X_valid, y_valid = X_test, y_test
"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=10000, learning_rate=0.01, num_leaves=63)
model.fit(X_train, y_train, eval_set=[(X_valid, y_valid)], callbacks=[lgb.early_stopping(200), lgb.log_evaluation(500)])  #@ LEAK-MULTI-TEST | early stopping on the held-out lots (X_valid is the test set)
np.sqrt(np.mean((model.predict(X_test) - y_test) ** 2))
"""),
]

NOTEBOOKS["art_auction_sell_through"] = [
    md("# Will the lot sell?\nXGBoost, early stopping on a validation split taken from the training lots."),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
"""),
    py("""
lots = pd.read_csv("lots.csv")
X = lots[["estimate_low_log", "estimate_high_log", "area_cm2", "signed", "provenance_len", "sale_month"]]
y = lots["sold"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=7)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, stratify=y_train, random_state=7)
"""),
    py("""
clf = xgb.XGBClassifier(n_estimators=3000, learning_rate=0.02, early_stopping_rounds=100, eval_metric="logloss")
clf.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], verbose=False)
roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
"""),
]

# --- fitness app -------------------------------------------------------------------------------

NOTEBOOKS["fitness_app_dropout"] = [
    md("# Fitness app: will the user drop out within 30 days?\nOne row per workout, with the user's label on every row."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
"""),
    py("""
wk = pd.read_csv("workouts.csv")
wk = wk.merge(pd.read_csv("user_labels.csv"), on="user_id")
feats = ["duration_min", "avg_hr", "calories", "days_since_signup", "workouts_so_far", "hour"]
"""),
    py("""
train, test = train_test_split(wk, test_size=0.2, stratify=wk["dropped_out"], random_state=1)  #@ LEAK-GROUP-SPLIT | workouts of one user in both train and test (label is per user)
m = HistGradientBoostingClassifier().fit(train[feats], train["dropped_out"])
roc_auc_score(test["dropped_out"], m.predict_proba(test[feats])[:, 1])
"""),
]

NOTEBOOKS["fitness_heart_rate_zones"] = [
    md("# Heart-rate zone from accelerometer windows\nLeave users out: GroupKFold inside GridSearchCV."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, GridSearchCV, GroupShuffleSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
"""),
    py("""
win = pd.read_parquet("acc_windows.parquet")
X = win.drop(columns=["user_id", "window_id", "zone"])
y, groups = win["zone"], win["user_id"]
outer = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr, te = next(outer.split(X, y, groups))
"""),
    py("""
pipe = Pipeline([("sc", StandardScaler()), ("rfe", RFE(LogisticRegression(max_iter=500), n_features_to_select=20)), ("lr", LogisticRegression(max_iter=1000))])
gs = GridSearchCV(pipe, {"lr__C": [0.1, 1, 10]}, cv=GroupKFold(n_splits=4))
gs.fit(X.iloc[tr], y.iloc[tr], groups=groups.iloc[tr])
gs.score(X.iloc[te], y.iloc[te])
"""),
]

# --- airport security queues -------------------------------------------------------------------

NOTEBOOKS["security_queue_wait"] = [
    md("# Airport security wait time (15-minute intervals)"),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
q = pd.read_csv("queue_15min.csv", parse_dates=["slot"]).sort_values("slot")
q["pax_lag1"] = q["pax_scanned"].shift(1)
q["wait_lag1"] = q["wait_min"].shift(1)
q["wait_roll4"] = q["wait_min"].shift(1).rolling(4).mean()
q["hour"] = q.slot.dt.hour
q = q.dropna()
X, y = q[["pax_lag1", "wait_lag1", "wait_roll4", "hour", "lanes_open", "departures_next_h"]], q["wait_min"]
"""),
    py("""
ss = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled splits of a 15-minute series with lagged waits
cross_val_score(RandomForestRegressor(n_estimators=200, random_state=0), X, y, cv=ss, scoring="neg_mean_absolute_error").mean()
"""),
]

NOTEBOOKS["security_lane_staffing"] = [
    md("# Lanes to open next hour\nTimeSeriesSplit inside GridSearchCV, final check on the last month."),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, GridSearchCV
from sklearn.ensemble import GradientBoostingRegressor
"""),
    py("""
h = pd.read_csv("queue_hourly.csv", parse_dates=["hour_start"]).sort_values("hour_start")
h["pax_lag24"] = h["pax"].shift(24)
h["pax_lag168"] = h["pax"].shift(168)
h = h.dropna()
feats = ["pax_lag24", "pax_lag168", "departures", "dow", "hour"]
last_month = h.hour_start >= h.hour_start.max() - pd.Timedelta(days=30)
train, test = h[~last_month], h[last_month]
"""),
    py("""
gs = GridSearchCV(GradientBoostingRegressor(random_state=0), {"max_depth": [2, 3, 4], "n_estimators": [200, 400]}, cv=TimeSeriesSplit(5), scoring="neg_mean_absolute_error")
gs.fit(train[feats], train["lanes_needed"])
gs.score(test[feats], test["lanes_needed"])
"""),
]

# --- marketplace sellers (run out of order) ----------------------------------------------------

NOTEBOOKS["marketplace_seller_fraud"] = [
    md("# Fraudulent marketplace sellers\nThe SMOTE cell sits under the split on the page, but it was executed before it."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score
""", 1),
    py("""
sellers = pd.read_csv("sellers.csv")
X = sellers.drop(columns=["seller_id", "is_fraud"])
y = sellers["is_fraud"]
""", 2),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""", 4),
    py("""
X, y = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | In[3] runs before the split (In[4]): synthetic sellers end up in both parts
""", 3),
    py("""
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_train, y_train)
recall_score(y_test, rf.predict(X_test))
""", 5),
]

NOTEBOOKS["marketplace_listing_removal"] = [
    md("# Listing removal\nSMOTE cell above the split on the page, run after it on the training rows only (see counts)."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
""", 1),
    py("""
listings = pd.read_csv("listings.csv")
X = listings.drop(columns=["listing_id", "removed"])
y = listings["removed"]
""", 2),
    py("""
X_res, y_res = SMOTE(random_state=0).fit_resample(X_train, y_train)
""", 4),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
""", 3),
    py("""
lr = LogisticRegression(max_iter=2000).fit(X_res, y_res)
f1_score(y_test, lr.predict(X_test))
""", 5),
]
# --- satellite telemetry -----------------------------------------------------------------------

NOTEBOOKS["satellite_power_anomaly"] = [
    md("# Power-subsystem anomalies on a small satellite\nNumpy workflow: the vendor delivered separate train and test telemetry windows."),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
"""),
    py("""
X_train = np.load("tm_train.npy")
X_test = np.load("tm_test.npy")
y_test = np.load("tm_test_labels.npy")
X_train.shape, X_test.shape
"""),
    py("""
sc = StandardScaler().fit(X_train)
pca = PCA(n_components=6).fit(sc.transform(X_train))
Z_train = pca.transform(sc.transform(X_train))
"""),
    md("Reconstruction error on the test windows."),
    py("""
pca_te = PCA(n_components=6)
pca_te.fit(sc.transform(X_test))  #@ LEAK-FIT-ON-TEST | PCA basis re-fitted on the test windows
Z_test = pca_te.transform(sc.transform(X_test))
iso = IsolationForest(random_state=0).fit(Z_train)
roc_auc_score(y_test, -iso.score_samples(Z_test))
"""),
]

# --- vending machines (two leaks) --------------------------------------------------------------

NOTEBOOKS["vending_restock_units"] = [
    md("# Weekly units sold per vending machine site\nCourse project. Imputation, then a Ridge model with a tuned alpha."),
    py("""
import numpy as np
import pandas as pd
from sklearn.impute import KNNImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
    py("""
visits = pd.read_csv("machine_sites.csv")  # one row per machine site
cols = ["foot_traffic", "temp_c", "days_since_restock", "slots_empty", "price_avg"]
train, test = train_test_split(visits, test_size=0.2, random_state=13)
"""),
    py("""
imp = KNNImputer(n_neighbors=5)
X_train = imp.fit_transform(train[cols])
X_test = KNNImputer(n_neighbors=5).fit_transform(test[cols])  #@ LEAK-FIT-ON-TEST | imputer fitted on the test visits
"""),
    md("## Tuning alpha"),
    py("""
for alpha in [0.01, 0.1, 1, 10, 100]:
    r = Ridge(alpha=alpha).fit(X_train, train["units_sold_week"])
    print(alpha, mean_absolute_error(test["units_sold_week"], r.predict(X_test)))  #@ LEAK-MULTI-TEST | alpha compared on the test visits
"""),
]

NOTEBOOKS["vending_cashless_share"] = [
    md("# Cashless share per machine\nFeature selection fitted on the training machines; a deployment refit on everything after the evaluation."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.feature_selection import VarianceThreshold, SelectKBest, f_regression
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
"""),
    py("""
mach = pd.read_csv("machines.csv").drop(columns=["machine_id"])
X, y = mach.drop(columns=["cashless_share"]), mach["cashless_share"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2)
"""),
    py("""
vt = VarianceThreshold(1e-4).fit(X_train)
kb = SelectKBest(f_regression, k=12).fit(vt.transform(X_train), y_train)
sc = StandardScaler().fit(kb.transform(vt.transform(X_train)))
prep = lambda d: sc.transform(kb.transform(vt.transform(d)))  # noqa: E731
lin = LinearRegression().fit(prep(X_train), y_train)
r2_score(y_test, lin.predict(prep(X_test)))
"""),
    md("Evaluation done. For deployment, refit the whole chain on all machines (no further scoring)."),
    py("""
vt_all = VarianceThreshold(1e-4).fit(X)
kb_all = SelectKBest(f_regression, k=12).fit(vt_all.transform(X), y)
sc_all = StandardScaler().fit(kb_all.transform(vt_all.transform(X)))
deploy_model = LinearRegression().fit(sc_all.transform(kb_all.transform(vt_all.transform(X))), y)
"""),
]

NOTEBOOKS["vending_breakdown_calls"] = [
    md("# Breakdown calls (run out of order)\nThe evaluation cell appears first on the page; it was executed last."),
    py("""
print("test AUC:", roc_auc_score(y_test, clf.predict_proba(sc.transform(X_test))[:, 1]))
""", 5),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""", 1),
    py("""
calls = pd.read_csv("machine_profiles.csv")  # one row per machine
X = calls[["vends", "coin_jams", "temp_alarm", "age_years", "last_service_weeks"]]
y = calls["broke_down_last_year"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
""", 2),
    py("""
sc = StandardScaler().fit(X_train)
""", 3),
    py("""
clf = LogisticRegression(max_iter=1000).fit(sc.transform(X_train), y_train)
""", 4),
]


def build(out: Path = DEFAULT_OUT) -> None:
    """Write every notebook and ``labels.json`` (the format the shared scorer reads)."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
