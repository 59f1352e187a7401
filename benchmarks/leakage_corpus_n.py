# ruff: noqa: E501
"""Held-out corpus N for the code-level leakage check, written blind.

Written without reading the detector, its tests, its docs or any other corpus (only the shared
frame ``leakage_corpus_kit.py``). Domains not used in earlier corpora: monastery archives,
kidney cohorts (per patient), e-scooters (per scooter), trivia nights, salt pans, paragliding, job
interviews (text), puppet theatres, hearing aids (per wearer), bell ringing, allotments, hot-air
balloons, smart thermostats (per home), perfume, falconry, snow ploughs, lacrosse, clock repair,
radio telescopes, hydroponics, asthma inhalers (per patient), cemetery registers, bookbinding,
locksmiths, regattas, fountain pens, kite festivals, taxidermy, organ donors, pigeon racing,
circus reviews, bridge clubs, ice cream vans, forges, canoe rentals, auctions, fencing (per
fencer) and lifeguards. Styles: Kaggle kernels with EDA and model comparisons, course labs, team
reports with helpers, method chains, numpy arrays, keras/LightGBM/XGBoost early stopping, hand-made
and category_encoders target encoding, SMOTE/RandomOverSampler/resample, text augmentation, TF-IDF,
PCA, SelectKBest/RFE/VarianceThreshold, lags and rolling windows, group splitters, and five
notebooks run out of order (explicit execution counts: three leak only because of the run order,
two are clean in run order). 79 notebooks: 41 leak (43 labelled leaks, two notebooks with two),
38 are clean look-alikes. Each leak is marked ``#@ RULE | why`` on the first line of the leaking
statement.
"""

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import build as build_corpus
from leakage_corpus_kit import main, md, py

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-n"

NOTEBOOKS: dict[str, list] = {}

NOTEBOOKS["monastery_manuscript_dating"] = [
    md("# Dating monastery manuscripts\nPredict the century of a manuscript from ink and parchment measurements."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
mss = pd.read_csv("archive_scans.csv")
mss.describe()
"""),
    py("""
features = ["iron_gall", "parchment_thickness", "line_spacing", "margin_ratio", "ruling_depth"]
X = mss[features].values
y = mss["century"].values
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all manuscripts before the split
X_tr, X_te, y_tr, y_te = train_test_split(X_scaled, y, test_size=0.25, random_state=3)
"""),
    py("""
clf = LogisticRegression(max_iter=2000).fit(X_tr, y_tr)
print("accuracy", clf.score(X_te, y_te))
"""),
]

NOTEBOOKS["manuscript_century_pipeline"] = [
    md("# Manuscript century, second attempt\nScaler inside the pipeline this time."),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, StratifiedKFold
mss = pd.read_csv("archive_scans.csv")
print(mss.shape, mss.century.value_counts().to_dict())
"""),
    py("""
X = mss.drop(columns=["century", "shelfmark"])
y = mss["century"]
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_val_score(pipe, X, y, cv=cv)
print(scores.mean().round(3), scores.std().round(3))
"""),
]

NOTEBOOKS["kidney_egfr_decline"] = [
    md("# Kidney cohort: rapid eGFR decline\nEach patient has several clinic visits."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
visits = pd.read_parquet("ckd_visits.parquet")
visits.groupby("patient_id").size().describe()
"""),
    md("Several visits per patient, ~7 on average."),
    py("""
X = visits[["age", "creatinine", "acr", "sbp", "hba1c", "bmi"]]
y = visits["rapid_decline"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=11)  #@ LEAK-GROUP-SPLIT | visits of one patient land in train and test
"""),
    py("""
gbm = GradientBoostingClassifier(random_state=0).fit(X_train, y_train)
print(roc_auc_score(y_test, gbm.predict_proba(X_test)[:, 1]))
"""),
]

NOTEBOOKS["kidney_cohort_grouped"] = [
    md("# Kidney cohort, split by patient"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
visits = pd.read_parquet("ckd_visits.parquet")
feats = ["age", "creatinine", "acr", "sbp", "hba1c", "bmi"]
"""),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=11)
train_idx, test_idx = next(gss.split(visits, groups=visits["patient_id"]))
train, test = visits.iloc[train_idx], visits.iloc[test_idx]
assert set(train.patient_id).isdisjoint(test.patient_id)
"""),
    py("""
gbm = GradientBoostingClassifier(random_state=0).fit(train[feats], train["rapid_decline"])
print(roc_auc_score(test["rapid_decline"], gbm.predict_proba(test[feats])[:, 1]))
"""),
]

NOTEBOOKS["escooter_battery_swap"] = [
    md("# E-scooter fleet: will the battery need a swap tomorrow?\nOne row per scooter per day."),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
rides = pd.read_csv("scooter_daily.csv", parse_dates=["day"])
rides = rides.sort_values(["scooter_id", "day"])
rides["km_lag1"] = rides.groupby("scooter_id")["km"].shift(1)
rides["km_roll7"] = rides.groupby("scooter_id")["km"].transform(lambda s: s.shift(1).rolling(7).mean())
rides = rides.dropna()
"""),
    py("""
cols = ["km_lag1", "km_roll7", "temp_c", "charge_cycles", "firmware"]
train = rides[rides.day < "2024-05-01"]
valid = rides[(rides.day >= "2024-05-01") & (rides.day < "2024-06-01")]
test = rides[rides.day >= "2024-06-01"]
"""),
    py("""
model = lgb.LGBMClassifier(n_estimators=2000, learning_rate=0.03)
model.fit(train[cols], train["swap_next_day"],
          eval_set=[(valid[cols], valid["swap_next_day"])],
          callbacks=[lgb.early_stopping(100)])
print("test auc", model.score(test[cols], test["swap_next_day"]))
"""),
]

NOTEBOOKS["escooter_swap_kernel"] = [
    md("# Scooter swaps - LightGBM with early stopping"),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
rides = pd.read_csv("scooter_daily.csv", parse_dates=["day"])
cols = ["km", "temp_c", "charge_cycles", "firmware", "hilly_share"]
"""),
    py("""
train = rides[rides.day < "2024-06-01"]
test = rides[rides.day >= "2024-06-01"]
"""),
    py("""
model = lgb.LGBMClassifier(n_estimators=3000, learning_rate=0.02)
model.fit(train[cols], train["swap_next_day"],  #@ LEAK-MULTI-TEST | early stopping on the test month
          eval_set=[(test[cols], test["swap_next_day"])],
          callbacks=[lgb.early_stopping(200)])
print(roc_auc_score(test["swap_next_day"], model.predict_proba(test[cols])[:, 1]))
"""),
]

NOTEBOOKS["trivia_night_turnout"] = [
    md("# Trivia nights: how many teams turn up?\nOne pub's weekly quiz, 2019-2024, one row per quiz night."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
q = pd.read_csv("quiz_nights.csv", parse_dates=["night"]).sort_values("night")
q["teams_lag1"] = q["teams"].shift(1)
q["teams_roll4"] = q["teams"].shift(1).rolling(4).mean()
q = q.dropna()
"""),
    py("""
X = q[["teams_lag1", "teams_roll4", "jackpot", "bank_holiday", "football_on_tv"]]
y = q["teams"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a weekly series with lag features
rf = RandomForestRegressor(n_estimators=400, random_state=0).fit(X_tr, y_tr)
print(mean_absolute_error(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["trivia_turnout_tscv"] = [
    md("# Trivia turnout forecast with TimeSeriesSplit"),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor
q = pd.read_csv("quiz_nights.csv", parse_dates=["night"]).sort_values("night").reset_index(drop=True)
q["teams_lag1"] = q["teams"].shift(1)
q = q.dropna()
"""),
    py("""
X = q[["teams_lag1", "jackpot", "bank_holiday", "football_on_tv"]]
y = q["teams"]
tscv = TimeSeriesSplit(n_splits=5)
mae = -cross_val_score(RandomForestRegressor(n_estimators=300, random_state=0), X, y, cv=tscv,
                       scoring="neg_mean_absolute_error")
print(mae.round(2))
"""),
]

NOTEBOOKS["salt_pan_yield"] = [
    md("# Salt pan harvest yield\nDaily evaporation pans on the coast. Course lab 4."),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.impute import SimpleImputer
pans = pd.read_csv("salt_pans.csv", parse_dates=["date"]).sort_values("date")
pans.plot(x="date", y="yield_t")
"""),
    py("""
pans["brine_density"] = pans["brine_density"].fillna(pans["brine_density"].mean())  #@ LEAK-PREPROCESSING | mean over all days including the last 60 used for test
cut = len(pans) - 60
train, test = pans.iloc[:cut], pans.iloc[cut:]
cols = ["sun_hours", "wind_ms", "brine_density", "rain_mm"]
"""),
    py("""
model = Ridge(alpha=1.0).fit(train[cols], train["yield_t"])
print("MAE", np.abs(model.predict(test[cols]) - test["yield_t"]).mean())
"""),
]

NOTEBOOKS["salt_pan_yield_v2"] = [
    md("# Salt pan yield, imputer fitted on the training days"),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.impute import SimpleImputer
pans = pd.read_csv("salt_pans.csv", parse_dates=["date"]).sort_values("date")
print(pans.isna().mean())
"""),
    py("""
cut = len(pans) - 60
train, test = pans.iloc[:cut].copy(), pans.iloc[cut:].copy()
cols = ["sun_hours", "wind_ms", "brine_density", "rain_mm"]
imp = SimpleImputer(strategy="mean").fit(train[cols])
Xtr, Xte = imp.transform(train[cols]), imp.transform(test[cols])
"""),
    py("""
model = Ridge(alpha=1.0).fit(Xtr, train["yield_t"])
print("MAE", np.abs(model.predict(Xte) - test["yield_t"]).mean())
"""),
]

NOTEBOOKS["paraglider_incident_risk"] = [
    md("# Paragliding flights: incident risk\nFlight logs from three clubs."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report
flights = pd.read_csv("flight_logs.csv")
X = flights[["wind_kmh", "gust_kmh", "thermal_index", "pilot_hours", "wing_class"]]
y = flights["incident"]
print(y.mean())
"""),
    md("Incidents are rare (about 2 %), so we balance with SMOTE."),
    py("""
X_bal, y_bal = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic incidents generated before the split
X_tr, X_te, y_tr, y_te = train_test_split(X_bal, y_bal, test_size=0.3, random_state=0)
rf = RandomForestClassifier(random_state=0).fit(X_tr, y_tr)
print(classification_report(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["paraglider_incident_imblearn"] = [
    md("# Paragliding incidents, SMOTE inside an imblearn pipeline"),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, train_test_split
flights = pd.read_csv("flight_logs.csv")
X = flights[["wind_kmh", "gust_kmh", "thermal_index", "pilot_hours", "wing_class"]]
y = flights["incident"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
"""),
    py("""
pipe = Pipeline([("smote", SMOTE(random_state=0)), ("rf", RandomForestClassifier(random_state=0))])
grid = GridSearchCV(pipe, {"rf__max_depth": [4, 8, None]}, cv=5, scoring="average_precision")
grid.fit(X_tr, y_tr)
print(grid.best_params_, grid.score(X_te, y_te))
"""),
]

NOTEBOOKS["interview_transcript_hire"] = [
    md("# Job interview transcripts -> hire decision\nTF-IDF + logistic regression."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
iv = pd.read_json("interviews.jsonl", lines=True)
"""),
    py("""
tfidf = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True)
X = tfidf.fit_transform(iv["transcript"])  #@ LEAK-PREPROCESSING | vocabulary and idf learnt from all transcripts
y = iv["hired"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
"""),
    py("""
clf = LogisticRegression(C=4, max_iter=1000).fit(X_train, y_train)
print(f1_score(y_test, clf.predict(X_test)))
"""),
]

NOTEBOOKS["interview_transcripts_tfidf"] = [
    md("# Interview transcripts, vectoriser fitted on train only"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
iv = pd.read_json("interviews.jsonl", lines=True)
train_txt, test_txt, y_train, y_test = train_test_split(iv["transcript"], iv["hired"], test_size=0.2, random_state=42)
"""),
    py("""
tfidf = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True)
X_train = tfidf.fit_transform(train_txt)
X_test = tfidf.transform(test_txt)
clf = LogisticRegression(C=4, max_iter=1000).fit(X_train, y_train)
print(f1_score(y_test, clf.predict(X_test)))
"""),
]

NOTEBOOKS["interview_text_test_vocab"] = [
    md("# Interviews: a second vectoriser for the held-out transcripts"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
train = pd.read_json("interviews_2023.jsonl", lines=True)
test = pd.read_json("interviews_2024.jsonl", lines=True)
"""),
    py("""
vec = CountVectorizer(max_features=5000)
Xtr = vec.fit_transform(train.transcript)
nb = MultinomialNB().fit(Xtr, train.hired)
"""),
    py("""
vec_test = CountVectorizer(max_features=5000)
Xte = vec_test.fit_transform(test.transcript)  #@ LEAK-FIT-ON-TEST | vectoriser fitted on the 2024 test transcripts
print((nb.predict(Xte) == test.hired).mean())
"""),
]

NOTEBOOKS["puppet_theatre_attendance"] = [
    md("# Puppet theatre: matinee attendance\nTeam report. Helper functions first."),
    py("""
import pandas as pd
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

def add_calendar(df):
    df = df.copy()
    df["dow"] = df.show_date.dt.dayofweek
    df["school_holiday"] = df.show_date.isin(HOLIDAYS).astype(int)
    return df

def evaluate(model, X, y):
    return mean_absolute_error(y, model.predict(X))
"""),
    py("""
HOLIDAYS = pd.to_datetime(pd.read_csv("holidays.csv").date)
shows = add_calendar(pd.read_csv("shows.csv", parse_dates=["show_date"])).sort_values("show_date")
"""),
    md("Hold out the last season."),
    py("""
train = shows[shows.season < 2024]
test = shows[shows.season == 2024]
feats = ["dow", "school_holiday", "new_production", "ticket_price", "capacity"]
"""),
    py("""
results = {}
for depth in [2, 3, 4, 5]:
    m = GradientBoostingRegressor(max_depth=depth, random_state=0).fit(train[feats], train.attendance)
    results[depth] = evaluate(m, test[feats], test.attendance)  #@ LEAK-MULTI-TEST | depth chosen on the 2024 test season
best = min(results, key=results.get)
print(results, best)
"""),
]

NOTEBOOKS["puppet_attendance_validation"] = [
    md("# Puppet theatre attendance: depth chosen on 2023, scored once on 2024"),
    py("""
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
shows = pd.read_csv("shows_features.csv", parse_dates=["show_date"]).sort_values("show_date")
feats = ["dow", "school_holiday", "new_production", "ticket_price", "capacity"]
train = shows[shows.season < 2023]
valid = shows[shows.season == 2023]
test = shows[shows.season == 2024]
"""),
    py("""
val_mae = {}
for depth in [2, 3, 4, 5]:
    m = GradientBoostingRegressor(max_depth=depth, random_state=0).fit(train[feats], train.attendance)
    val_mae[depth] = mean_absolute_error(valid.attendance, m.predict(valid[feats]))
best = min(val_mae, key=val_mae.get)
"""),
    py("""
final = GradientBoostingRegressor(max_depth=best, random_state=0)
final.fit(pd.concat([train, valid])[feats], pd.concat([train, valid]).attendance)
print("test MAE", mean_absolute_error(test.attendance, final.predict(test[feats])))
"""),
]

NOTEBOOKS["hearing_aid_returns"] = [
    md("# Hearing aids: will the wearer return the device?\nSeveral fitting sessions per wearer."),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
fits = pd.read_csv("fitting_sessions.csv")
X = fits[["gain_db", "feedback_events", "hours_worn", "audiogram_pta", "age"]]
y = fits["returned"]
"""),
    py("""
kf = KFold(n_splits=5, shuffle=True, random_state=7)  #@ LEAK-GROUP-SPLIT | sessions of the same wearer spread over folds
pipe = make_pipeline(StandardScaler(), LogisticRegression())
print(cross_val_score(pipe, X, y, cv=kf, scoring="roc_auc").mean())
"""),
]

NOTEBOOKS["hearing_aid_groupkfold"] = [
    md("# Hearing aid returns, GroupKFold by wearer"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
fits = pd.read_csv("fitting_sessions.csv")
X = fits[["gain_db", "feedback_events", "hours_worn", "audiogram_pta", "age"]]
y = fits["returned"]
groups = fits["wearer_id"]
"""),
    py("""
pipe = make_pipeline(StandardScaler(), LogisticRegression())
scores = cross_val_score(pipe, X, y, cv=GroupKFold(n_splits=5), groups=groups, scoring="roc_auc")
print(scores.mean())
"""),
]

NOTEBOOKS["bell_ringing_peal_success"] = [
    md("# Church bell ringing: does the peal come round?\nKaggle-style kernel."),
    py("""
import pandas as pd
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
from sklearn.metrics import accuracy_score
peals = pd.read_csv("peal_attempts.csv")
sns.countplot(data=peals, x="method_family", hue="success")
"""),
    md("## Feature engineering"),
    py("""
peals["bells_x_changes"] = peals.bells * peals.changes
peals = pd.get_dummies(peals, columns=["method_family", "tower_county"])
X = peals.drop(columns=["attempt_id", "conductor_name"])  #@ LEAK-TARGET-IN-FEATURES | success column left in X
y = peals["success"]
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=5)
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_tr, y_tr)
print(accuracy_score(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["bell_ringing_kernel_clean"] = [
    md("# Bell ringing peals - which model?\nCross-validated comparison on the training split only."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
peals = pd.read_csv("peal_attempts.csv")
peals = pd.get_dummies(peals, columns=["method_family", "tower_county"])
X = peals.drop(columns=["attempt_id", "conductor_name", "success"])
y = peals.pop("success")
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=5)
"""),
    py("""
models = {"tree": DecisionTreeClassifier(max_depth=5), "rf": RandomForestClassifier(random_state=0),
          "et": ExtraTreesClassifier(random_state=0)}
cv_scores = {name: cross_val_score(m, X_tr, y_tr, cv=5).mean() for name, m in models.items()}
best = max(cv_scores, key=cv_scores.get)
print(cv_scores)
"""),
    py("""
final = models[best].fit(X_tr, y_tr)
print(best, "test accuracy", final.score(X_te, y_te))
"""),
]

NOTEBOOKS["allotment_plot_waitlist"] = [
    md("# Allotment waiting list: will the tenant keep the plot another year?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC
plots = pd.read_csv("allotment_tenancies.csv")
X = plots[["years_held", "inspections_failed", "distance_km", "plot_size_m2", "shed"]]
y = plots["renewed"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
    py("""
candidates = [LogisticRegression(max_iter=500), RandomForestClassifier(random_state=0), SVC()]
for model in candidates:
    model.fit(X_train, y_train)
    print(type(model).__name__, model.score(X_test, y_test))  #@ LEAK-MULTI-TEST | three models compared on the test split
"""),
]

NOTEBOOKS["hot_air_balloon_landing"] = [
    md("# Hot-air balloon flights: landing distance from the planned field\nFlights per pilot; course project."),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
fl = pd.read_csv("balloon_flights.csv")
wind = fl.filter(like="wind_").values
"""),
    py("""
pca = PCA(n_components=4)
wind_pcs = pca.fit_transform(wind)  #@ LEAK-PREPROCESSING | PCA fitted on every flight's wind profile before splitting
X = np.hstack([wind_pcs, fl[["burner_minutes", "envelope_m3"]].values])
y = fl["landing_offset_km"].values
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=2)
print(LinearRegression().fit(Xtr, ytr).score(Xte, yte))
"""),
]

NOTEBOOKS["balloon_landing_pipeline"] = [
    md("# Balloon landing offsets: PCA in a ColumnTransformer"),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
fl = pd.read_csv("balloon_flights.csv")
wind_cols = [c for c in fl.columns if c.startswith("wind_")]
"""),
    py("""
pre = ColumnTransformer([("wind", PCA(n_components=4), wind_cols)], remainder="passthrough")
model = Pipeline([("pre", pre), ("lr", LinearRegression())])
X = fl[wind_cols + ["burner_minutes", "envelope_m3"]]
Xtr, Xte, ytr, yte = train_test_split(X, fl["landing_offset_km"], test_size=0.2, random_state=2)
model.fit(Xtr, ytr)
print(model.score(Xte, yte))
"""),
]

NOTEBOOKS["thermostat_setpoint_override"] = [
    md("# Smart thermostats: will the household override the schedule?\nHourly rows from 900 homes."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
th = pd.read_parquet("thermostat_hourly.parquet")
th.head()
"""),
    py("""
# mean override rate per home as a feature
th["home_rate"] = th.groupby("home_id")["override"].transform("mean")  #@ LEAK-PREPROCESSING | per-home target mean computed on all rows before the split
feats = ["outdoor_c", "setpoint_c", "hour", "occupied", "home_rate"]
"""),
    py("""
homes = th.home_id.unique()
rng = np.random.default_rng(0)
test_homes = rng.choice(homes, size=len(homes) // 5, replace=False)
train, test = th[~th.home_id.isin(test_homes)], th[th.home_id.isin(test_homes)]
clf = HistGradientBoostingClassifier().fit(train[feats], train.override)
print(clf.score(test[feats], test.override))
"""),
]

NOTEBOOKS["thermostat_rate_from_train"] = [
    md("# Thermostat overrides: home-level rate learnt on the training homes"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingClassifier
th = pd.read_parquet("thermostat_hourly.parquet")
splitter = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr_i, te_i = next(splitter.split(th, groups=th.home_id))
train, test = th.iloc[tr_i].copy(), th.iloc[te_i].copy()
"""),
    py("""
region_rate = train.groupby("region")["override"].mean()
global_rate = train["override"].mean()
train["region_rate"] = train.region.map(region_rate)
test["region_rate"] = test.region.map(region_rate).fillna(global_rate)
feats = ["outdoor_c", "setpoint_c", "hour", "occupied", "region_rate"]
"""),
    py("""
clf = HistGradientBoostingClassifier().fit(train[feats], train.override)
print(clf.score(test[feats], test.override))
"""),
]

NOTEBOOKS["perfume_rating_regression"] = [
    md("# Perfume reviews: predicting the community rating"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
perf = pd.read_csv("fragrances.csv")
perf = perf.drop(columns=["name", "house", "perfumer"])
num_cols = perf.select_dtypes("number").columns.tolist()
print(len(num_cols), "numeric columns")
"""),
    py("""
X = perf[num_cols]  #@ LEAK-TARGET-IN-FEATURES | every numeric column, the rating itself included
y = perf["rating"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
print(Ridge().fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["perfume_rating_clean"] = [
    md("# Perfume rating, bucket kept only for plotting"),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
perf = pd.read_csv("fragrances.csv")
perf["rating_bucket"] = pd.cut(perf.rating, bins=[0, 2, 3, 4, 5], labels=False)
perf.groupby("rating_bucket").longevity_votes.mean().plot.bar()
plt.show()
"""),
    py("""
X = perf.drop(columns=["name", "house", "perfumer"]).select_dtypes("number").drop(columns=["rating", "rating_bucket"])
y = perf["rating"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
print(Ridge().fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["falconry_hunt_success"] = [
    md("# Falconry: hunt success per flight\nThe scaler cell was re-run after the split during the session."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.neighbors import KNeighborsClassifier
hunts = pd.read_csv("falconry_flights.csv")
X = hunts[["weight_g", "wind_kmh", "quarry_distance_m", "days_since_fed", "temp_c"]].to_numpy()
y = hunts["caught"].to_numpy()
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
""", 3),
    py("""
X = MinMaxScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | run before the split cell above (In[2] < In[3]), so the split sees scaled data
""", 2),
    py("""
knn = KNeighborsClassifier(n_neighbors=7).fit(X_train, y_train)
print(knn.score(X_test, y_test))
""", 4),
]

NOTEBOOKS["falconry_scaled_after_split"] = [
    md("# Falconry hunts; scaler cell sits above the split but ran after it"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.neighbors import KNeighborsClassifier
hunts = pd.read_csv("falconry_flights.csv")
X = hunts[["weight_g", "wind_kmh", "quarry_distance_m", "days_since_fed", "temp_c"]].to_numpy()
y = hunts["caught"].to_numpy()
""", 1),
    py("""
scaler = MinMaxScaler().fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
""", 3),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
""", 2),
    py("""
knn = KNeighborsClassifier(n_neighbors=7).fit(X_train_s, y_train)
print(knn.score(X_test_s, y_test))
""", 4),
]

NOTEBOOKS["snow_plough_callouts"] = [
    md("# Snow plough call-outs per night\nWinter 2015-2024 for the county depot."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from xgboost import XGBRegressor
nights = pd.read_csv("plough_nights.csv", parse_dates=["night"]).set_index("night").sort_index()
for k in (1, 2, 7):
    nights[f"callouts_lag{k}"] = nights["callouts"].shift(k)
nights["snow_roll3"] = nights["snowfall_cm"].rolling(3).sum()
nights = nights.dropna()
"""),
    md("Model"),
    py("""
X, y = nights.drop(columns="callouts"), nights["callouts"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of nightly series with lags
xgb = XGBRegressor(n_estimators=500, max_depth=4).fit(X_tr, y_tr)
print(xgb.score(X_te, y_te))
"""),
]

NOTEBOOKS["snow_plough_last_winter"] = [
    md("# Snow plough call-outs: train on earlier winters, test on the last"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from xgboost import XGBRegressor
nights = pd.read_csv("plough_nights.csv", parse_dates=["night"]).set_index("night").sort_index()
for k in (1, 2, 7):
    nights[f"callouts_lag{k}"] = nights["callouts"].shift(k)
nights = nights.dropna()
X, y = nights.drop(columns="callouts"), nights["callouts"]
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.15, shuffle=False)
X_tr, X_val, y_tr, y_val = train_test_split(X_tr, y_tr, test_size=0.15, shuffle=False)
xgb = XGBRegressor(n_estimators=2000, max_depth=4, early_stopping_rounds=50)
xgb.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], verbose=False)
print(xgb.score(X_te, y_te))
"""),
]

NOTEBOOKS["lacrosse_shot_conversion"] = [
    md("# Lacrosse: shot conversion\nShot outcomes tagged by the video analysts."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
shots = pd.read_csv("shots.csv")
feats = ["distance_m", "angle_deg", "defender_close", "man_up", "shot_type_code"]
"""),
    py("""
train_df, test_df = train_test_split(shots, test_size=0.2, random_state=4)
"""),
    py("""
for C in [0.01, 0.1, 1, 10]:
    lr = LogisticRegression(C=C, max_iter=1000).fit(train_df[feats], train_df.goal)
    print(C, log_loss(test_df.goal, lr.predict_proba(test_df[feats])))  #@ LEAK-MULTI-TEST | regularisation compared on the test shots
"""),
]

NOTEBOOKS["lacrosse_shots_gridsearch"] = [
    md("# Lacrosse shots: C tuned by grid search"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
shots = pd.read_csv("shots.csv")
feats = ["distance_m", "angle_deg", "defender_close", "man_up", "shot_type_code"]
train_df, test_df = train_test_split(shots, test_size=0.2, random_state=4)
"""),
    py("""
pipe = Pipeline([("sc", StandardScaler()), ("lr", LogisticRegression(max_iter=1000))])
gs = GridSearchCV(pipe, {"lr__C": [0.01, 0.1, 1, 10]}, cv=5, scoring="neg_log_loss")
gs.fit(train_df[feats], train_df.goal)
print(gs.best_params_)
print("held-out log loss", -gs.score(test_df[feats], test_df.goal))
"""),
]

NOTEBOOKS["clock_repair_turnaround"] = [
    md("# Clock repair shop: days to completion"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.ensemble import RandomForestRegressor
jobs = pd.read_csv("repair_jobs.csv")
cat_cols = ["movement", "case_material", "fault"]
num_cols = ["age_years", "parts_ordered", "quoted_price"]
train, test = train_test_split(jobs, test_size=0.2, random_state=9)
"""),
    py("""
enc = OneHotEncoder(handle_unknown="ignore").fit(train[cat_cols])
sc = StandardScaler().fit(train[num_cols])
def prep(df):
    return np.hstack([enc.transform(df[cat_cols]).toarray(), sc.transform(df[num_cols])])
"""),
    py("""
rf = RandomForestRegressor(n_estimators=300, random_state=0).fit(prep(train), train.days)
print(rf.score(prep(test), test.days))
"""),
]

NOTEBOOKS["clock_repair_encoders"] = [
    md("# Clock repairs: encoders refitted on the test jobs"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.ensemble import RandomForestRegressor
jobs = pd.read_csv("repair_jobs.csv")
cat_cols = ["movement", "case_material", "fault"]
num_cols = ["age_years", "parts_ordered", "quoted_price"]
train, test = train_test_split(jobs, test_size=0.2, random_state=9)
"""),
    py("""
enc = OneHotEncoder(sparse_output=False, handle_unknown="ignore")
sc = StandardScaler()
Xtr = np.hstack([enc.fit_transform(train[cat_cols]), sc.fit_transform(train[num_cols])])
"""),
    py("""
Xte = np.hstack([enc.fit_transform(test[cat_cols]), sc.fit_transform(test[num_cols])])  #@ LEAK-FIT-ON-TEST | encoder and scaler refitted on the test jobs
rf = RandomForestRegressor(n_estimators=300, random_state=0).fit(Xtr, train.days)
print(rf.score(Xte, test.days))
"""),
]

NOTEBOOKS["radio_telescope_rfi_flags"] = [
    md("# Radio telescope: flagging interference in spectra\nEach row is a 1-second spectrum (512 channels)."),
    py("""
import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC
spectra = np.load("spectra.npy")
flags = np.load("rfi_flags.npy")
print(spectra.shape, flags.mean())
"""),
    py("""
selector = SelectKBest(f_classif, k=64)
spectra_k = selector.fit_transform(spectra, flags)  #@ LEAK-PREPROCESSING | channels selected with the labels of every spectrum
Xtr, Xte, ytr, yte = train_test_split(spectra_k, flags, test_size=0.25, random_state=0)
svm = LinearSVC(C=0.5).fit(Xtr, ytr)
print(svm.score(Xte, yte))
"""),
]

NOTEBOOKS["radio_rfi_selection_in_cv"] = [
    md("# RFI flags: channel selection inside the pipeline, evaluated by CV"),
    py("""
import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif, VarianceThreshold
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
spectra = np.load("spectra.npy")
flags = np.load("rfi_flags.npy")
pipe = make_pipeline(VarianceThreshold(1e-4), SelectKBest(f_classif, k=64), LinearSVC(C=0.5))
res = cross_validate(pipe, spectra, flags, cv=5, scoring=["accuracy", "f1"])
print({k: v.mean() for k, v in res.items() if k.startswith("test_")})
"""),
]

NOTEBOOKS["hydroponic_lettuce_mass"] = [
    md("# Hydroponic lettuce: harvest mass\nOne row per harvested head, with the nutrient and light readings it grew under."),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler
grow = pd.read_csv("lettuce_heads.csv")
cols = ["ec_ms", "ph", "ppfd", "water_temp", "days_since_transplant"]
"""),
    py("""
grow[cols] = StandardScaler().fit_transform(grow[cols])  #@ LEAK-PREPROCESSING | scaler fitted on all rows and then cross-validated outside a pipeline
scores = cross_val_score(RandomForestRegressor(random_state=0), grow[cols], grow["mass_g"], cv=5)
print(scores.mean())
"""),
]

NOTEBOOKS["hydroponics_eda_then_model"] = [
    md("# Hydroponic lettuce: EDA on the whole frame, model on the train split"),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
grow = pd.read_csv("lettuce_heads.csv")
cols = ["ec_ms", "ph", "ppfd", "water_temp", "days_since_transplant"]
print(grow[cols + ["mass_g"]].corr().round(2))
grow[cols].hist(figsize=(10, 6))
plt.tight_layout()
"""),
    md("Overall mean mass for context:"),
    py("""
overall = grow["mass_g"].mean()
print(f"mean head mass {overall:.1f} g, std {grow['mass_g'].std():.1f}")
"""),
    py("""
Xtr, Xte, ytr, yte = train_test_split(grow[cols], grow["mass_g"], test_size=0.2, random_state=1)
rf = RandomForestRegressor(random_state=0).fit(Xtr, ytr)
print(rf.score(Xte, yte))
"""),
]

NOTEBOOKS["inhaler_exacerbation_risk"] = [
    md("# Asthma inhalers: exacerbation in the next 14 days\nSmart inhaler events; each patient contributes many fortnights.\n\nTwo problems reviewers flagged: see the cells below."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
fn = pd.read_csv("inhaler_fortnights.csv")
num = ["puffs_rescue", "puffs_controller", "night_use", "pollen", "pm25"]
"""),
    py("""
fn[num] = StandardScaler().fit_transform(fn[num])  #@ LEAK-PREPROCESSING | scaler sees every fortnight before the split
tr, te = train_test_split(fn, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | fortnights of one patient on both sides
"""),
    py("""
lr = LogisticRegression(max_iter=1000).fit(tr[num], tr.exacerbation)
print(roc_auc_score(te.exacerbation, lr.predict_proba(te[num])[:, 1]))
"""),
]

NOTEBOOKS["inhaler_patient_folds"] = [
    md("# Inhaler exacerbations: patient-level folds and an in-fold scaler"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
fn = pd.read_csv("inhaler_fortnights.csv")
num = ["puffs_rescue", "puffs_controller", "night_use", "pollen", "pm25"]
X, y, g = fn[num].values, fn.exacerbation.values, fn.patient_id.values
"""),
    py("""
aucs = []
for tr_i, te_i in StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0).split(X, y, g):
    sc = StandardScaler().fit(X[tr_i])
    lr = LogisticRegression(max_iter=1000).fit(sc.transform(X[tr_i]), y[tr_i])
    aucs.append(roc_auc_score(y[te_i], lr.predict_proba(sc.transform(X[te_i]))[:, 1]))
print(np.mean(aucs))
"""),
]

NOTEBOOKS["cemetery_record_transcription"] = [
    md("# Cemetery registers: is the transcribed age plausible?\nTeam notebook, helper cell first."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

def upsample_minority(df, target):
    major = df[df[target] == 0]
    minor = df[df[target] == 1]
    minor_up = resample(minor, replace=True, n_samples=len(major), random_state=0)
    return pd.concat([major, minor_up])
"""),
    py("""
reg = pd.read_csv("burial_register.csv")
feats = ["ink_fade", "year", "clerk_id", "age_digits", "page_damage"]
balanced = upsample_minority(reg, "error")  #@ LEAK-OVERLAP | duplicated error rows before the split end up in both halves
tr, te = train_test_split(balanced, test_size=0.2, random_state=0)
"""),
    py("""
rf = RandomForestClassifier(random_state=0).fit(tr[feats], tr.error)
print(f1_score(te.error, rf.predict(te[feats])))
"""),
]

NOTEBOOKS["cemetery_upsample_train_only"] = [
    md("# Cemetery registers: upsampling only the training rows"),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
reg = pd.read_csv("burial_register.csv")
feats = ["ink_fade", "year", "clerk_id", "age_digits", "page_damage"]
tr, te = train_test_split(reg, test_size=0.2, stratify=reg.error, random_state=0)
"""),
    py("""
minor = tr[tr.error == 1]
tr_bal = pd.concat([tr[tr.error == 0], resample(minor, replace=True, n_samples=(tr.error == 0).sum(), random_state=0)])
rf = RandomForestClassifier(random_state=0).fit(tr_bal[feats], tr_bal.error)
print(f1_score(te.error, rf.predict(te[feats])))
"""),
]

NOTEBOOKS["bookbinding_order_delay"] = [
    md("# Bookbinding workshop: is an order late?\nScaled for a PCA plot after the split; the model uses raw features."),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
orders = pd.read_csv("bindery_orders.csv")
X = orders[["pages", "signatures", "leather", "gilding", "queue_len"]].values
y = orders["late"].values
""", 1),
    py("""
X_vis = StandardScaler().fit_transform(X)
pcs = PCA(n_components=2).fit_transform(X_vis)
plt.scatter(pcs[:, 0], pcs[:, 1], c=y, s=4)
""", 3),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""", 2),
    py("""
rf = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print(rf.score(X_test, y_test))
""", 4),
]

NOTEBOOKS["locksmith_callout_price"] = [
    md("# Locksmith call-outs: price model\nTarget encoding of the postcode district with category_encoders."),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
calls = pd.read_csv("locksmith_calls.csv")
"""),
    py("""
te_enc = ce.TargetEncoder(cols=["district", "lock_brand"])
calls_enc = te_enc.fit_transform(calls[["district", "lock_brand", "hour", "night", "distance_km"]], calls["price"])  #@ LEAK-PREPROCESSING | target encoder fitted on all call-outs before the split
X_tr, X_te, y_tr, y_te = train_test_split(calls_enc, calls["price"], test_size=0.2, random_state=3)
"""),
    py("""
print(Ridge().fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["locksmith_price_pipeline"] = [
    md("# Locksmith prices, target encoder inside the pipeline"),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.linear_model import Ridge
calls = pd.read_csv("locksmith_calls.csv")
X = calls[["district", "lock_brand", "hour", "night", "distance_km"]]
y = calls["price"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=3)
"""),
    py("""
pipe = make_pipeline(ce.TargetEncoder(cols=["district", "lock_brand"]), Ridge())
print("cv", cross_val_score(pipe, X_tr, y_tr, cv=5).mean())
pipe.fit(X_tr, y_tr)
print("test", pipe.score(X_te, y_te))
"""),
]

NOTEBOOKS["regatta_finish_position"] = [
    md("# Sailing regattas: finishing position\nMean encoding of the helm by hand."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
races = pd.read_csv("regatta_results.csv")
"""),
    py("""
train, test = train_test_split(races, test_size=0.25, random_state=12)
helm_mean = races.groupby("helm")["position"].mean()  #@ LEAK-PREPROCESSING | helm means computed on all races, test races included
train["helm_enc"] = train.helm.map(helm_mean)
test["helm_enc"] = test.helm.map(helm_mean)
feats = ["helm_enc", "wind_kts", "boat_class_code", "handicap"]
"""),
    py("""
gbr = GradientBoostingRegressor(random_state=0).fit(train[feats], train.position)
print(gbr.score(test[feats], test.position))
"""),
]

NOTEBOOKS["regatta_helm_encoding_train"] = [
    md("# Regatta positions: helm means from the training races only"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
races = pd.read_csv("regatta_results.csv")
train, test = train_test_split(races, test_size=0.25, random_state=12)
train, test = train.copy(), test.copy()
"""),
    py("""
helm_mean = train.groupby("helm")["position"].mean()
prior = train.position.mean()
train["helm_enc"] = train.helm.map(helm_mean)
test["helm_enc"] = test.helm.map(helm_mean).fillna(prior)
feats = ["helm_enc", "wind_kts", "boat_class_code", "handicap"]
gbr = GradientBoostingRegressor(random_state=0).fit(train[feats], train.position)
print(gbr.score(test[feats], test.position))
"""),
]

NOTEBOOKS["fountain_pen_nib_defects"] = [
    md("# Fountain pen nibs: defect detection from grinding sensor features\nKeras lab."),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
X = np.load("nib_features.npy")
y = np.load("nib_defect.npy")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)
"""),
    py("""
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
model.fit(X_train, y_train, epochs=200, batch_size=64,  #@ LEAK-MULTI-TEST | early stopping and best weights chosen on the test split
          validation_data=(X_test, y_test), callbacks=[stop])
print(model.evaluate(X_test, y_test))
"""),
]

NOTEBOOKS["fountain_pen_nibs_valsplit"] = [
    md("# Nib defects: keras with validation carved from train"),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
X = np.load("nib_features.npy")
y = np.load("nib_defect.npy")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=1)
sc = StandardScaler().fit(X_train)
X_train, X_val, X_test = sc.transform(X_train), sc.transform(X_val), sc.transform(X_test)
"""),
    py("""
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
model.fit(X_train, y_train, epochs=200, batch_size=64, validation_data=(X_val, y_val), callbacks=[stop])
print(model.evaluate(X_test, y_test))
"""),
]

NOTEBOOKS["kite_festival_footfall"] = [
    md("# Kite festival footfall by hour\nStack the two years, then scale."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.linear_model import PoissonRegressor
y2023 = pd.read_csv("footfall_2023.csv")
y2024 = pd.read_csv("footfall_2024.csv")
cols = ["hour", "wind_kmh", "sunny", "event_on", "parking_full"]
"""),
    py("""
both = np.vstack([y2023[cols].values, y2024[cols].values])
rs = RobustScaler().fit(both)  #@ LEAK-PREPROCESSING | scaler fitted on 2023 and the 2024 test year stacked together
X23, X24 = rs.transform(y2023[cols].values), rs.transform(y2024[cols].values)
"""),
    py("""
pr = PoissonRegressor(alpha=0.1).fit(X23, y2023.visitors)
print("2024 deviance", pr.score(X24, y2024.visitors))
"""),
]

NOTEBOOKS["kite_festival_by_year"] = [
    md("# Kite festival: train on 2023, test on 2024"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import RobustScaler
from sklearn.linear_model import PoissonRegressor
y2023 = pd.read_csv("footfall_2023.csv")
y2024 = pd.read_csv("footfall_2024.csv")
cols = ["hour", "wind_kmh", "sunny", "event_on", "parking_full"]
pipe = make_pipeline(RobustScaler(), PoissonRegressor(alpha=0.1)).fit(y2023[cols], y2023.visitors)
print("2024", pipe.score(y2024[cols], y2024.visitors))
"""),
    md("Refit on both years for next summer's planning tool."),
    py("""
deploy = make_pipeline(RobustScaler(), PoissonRegressor(alpha=0.1))
deploy.fit(pd.concat([y2023, y2024])[cols], pd.concat([y2023, y2024]).visitors)
"""),
]

NOTEBOOKS["taxidermy_specimen_grade"] = [
    md("# Taxidermy specimens: museum grade or not\nFit everything, then check on a split."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
spec = pd.read_csv("specimens.csv")
X = spec[["age_years", "fur_loss", "glass_eye", "mount_type", "arsenic_test"]]
y = spec["museum_grade"]
"""),
    py("""
rf = RandomForestClassifier(n_estimators=500, random_state=0)
rf.fit(X, y)  #@ LEAK-OVERLAP | model fitted on every specimen, then scored on a split of the same rows
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
print("test accuracy", rf.score(X_te, y_te))
"""),
]

NOTEBOOKS["taxidermy_final_refit"] = [
    md("# Taxidermy grades: evaluate, then refit on everything for the cataloguing tool"),
    py("""
import joblib
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
spec = pd.read_csv("specimens.csv")
X = spec[["age_years", "fur_loss", "glass_eye", "mount_type", "arsenic_test"]]
y = spec["museum_grade"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
rf = RandomForestClassifier(n_estimators=500, random_state=0).fit(X_tr, y_tr)
print("test accuracy", rf.score(X_te, y_te))
"""),
    py("""
rf_all = RandomForestClassifier(n_estimators=500, random_state=0).fit(X, y)
joblib.dump(rf_all, "grade_model.joblib")
"""),
]

NOTEBOOKS["organ_donor_consent"] = [
    md("# Organ donor registry: family consent\nThe numpy version of the lab."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
reg = pd.read_csv("donor_referrals.csv")
reg = reg[["age", "registered", "icu_days", "faith_code", "approach_nurse_trained", "consent"]]
data = reg.to_numpy(dtype=float)
"""),
    py("""
X = data[:, :]  #@ LEAK-TARGET-IN-FEATURES | the slice keeps the consent column (last) among the features
y = data[:, -1]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
print(LogisticRegression(max_iter=1000).fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["organ_donor_numpy_slice"] = [
    md("# Donor consent: features are every column but the last"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
reg = pd.read_csv("donor_referrals.csv")
data = reg[["age", "registered", "icu_days", "faith_code", "approach_nurse_trained", "consent"]].to_numpy(dtype=float)
X, y = data[:, :-1], data[:, -1]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
print(LogisticRegression(max_iter=1000).fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["pigeon_race_times"] = [
    md("# Pigeon racing: velocity prediction\nImputer history: the cell near the top was re-run late for a summary table."),
    py("""
import pandas as pd
from sklearn.impute import KNNImputer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import ElasticNet
races = pd.read_csv("pigeon_races.csv")
cols = ["distance_km", "headwind", "bird_age", "loft_altitude", "prior_velocity"]
""", 1),
    py("""
imp = KNNImputer(n_neighbors=5).fit(races[cols])  #@ LEAK-PREPROCESSING | executed last among the fits (In[4]); this imputer, fitted on all races, transforms the test set
print(pd.DataFrame(imp.transform(races[cols]), columns=cols).describe())
""", 4),
    py("""
train, test = train_test_split(races, test_size=0.2, random_state=2)
""", 2),
    py("""
imp = KNNImputer(n_neighbors=5).fit(train[cols])
""", 3),
    py("""
Xtr, Xte = imp.transform(train[cols]), imp.transform(test[cols])
en = ElasticNet(alpha=0.05).fit(Xtr, train.velocity)
print(en.score(Xte, test.velocity))
""", 5),
]

NOTEBOOKS["pigeon_races_summary_first"] = [
    md("# Pigeon racing: the summary imputer ran first and was replaced"),
    py("""
import pandas as pd
from sklearn.impute import KNNImputer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import ElasticNet
races = pd.read_csv("pigeon_races.csv")
cols = ["distance_km", "headwind", "bird_age", "loft_altitude", "prior_velocity"]
"""),
    py("""
imp = KNNImputer(n_neighbors=5).fit(races[cols])
print(pd.DataFrame(imp.transform(races[cols]), columns=cols).describe())
"""),
    py("""
train, test = train_test_split(races, test_size=0.2, random_state=2)
"""),
    py("""
imp = KNNImputer(n_neighbors=5).fit(train[cols])
"""),
    py("""
Xtr, Xte = imp.transform(train[cols]), imp.transform(test[cols])
en = ElasticNet(alpha=0.05).fit(Xtr, train.velocity)
print(en.score(Xte, test.velocity))
"""),
]

NOTEBOOKS["circus_act_reviews_augmented"] = [
    md("# Circus act reviews: sentiment\nSmall dataset, so we augment with synonym swaps."),
    py("""
import random
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
rev = pd.read_csv("circus_reviews.csv")
SYN = {"amazing": "stunning", "boring": "dull", "clown": "jester", "scary": "frightening"}

def swap(text):
    return " ".join(SYN.get(w, w) if random.random() < 0.5 else w for w in text.split())
"""),
    py("""
aug = rev.assign(text=rev.text.map(swap))  #@ LEAK-OVERLAP | augmented copies of each review created before the split
rev_all = pd.concat([rev, aug], ignore_index=True)
tr, te = train_test_split(rev_all, test_size=0.2, random_state=0)
"""),
    py("""
clf = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)).fit(tr.text, tr.positive)
print(clf.score(te.text, te.positive))
"""),
]

NOTEBOOKS["circus_reviews_augment_train"] = [
    md("# Circus reviews: augmentation applied to the training reviews only"),
    py("""
import random
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
random.seed(0)
rev = pd.read_csv("circus_reviews.csv")
SYN = {"amazing": "stunning", "boring": "dull", "clown": "jester", "scary": "frightening"}

def swap(text):
    return " ".join(SYN.get(w, w) if random.random() < 0.5 else w for w in text.split())
"""),
    py("""
tr, te = train_test_split(rev, test_size=0.2, random_state=0)
tr_aug = pd.concat([tr, tr.assign(text=tr.text.map(swap))], ignore_index=True)
clf = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)).fit(tr_aug.text, tr_aug.positive)
print(clf.score(te.text, te.positive))
"""),
]

NOTEBOOKS["bridge_club_contract_made"] = [
    md("# Bridge club: will the declarer make the contract?\nRFE for feature selection, then cross-validation."),
    py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
deals = pd.read_csv("bridge_deals.csv")
X = deals.drop(columns=["deal_id", "made"])
y = deals["made"]
"""),
    py("""
rfe = RFE(LogisticRegression(max_iter=1000), n_features_to_select=8)
X_sel = rfe.fit_transform(X, y)  #@ LEAK-PREPROCESSING | features picked with every deal's outcome before cross-validation
print(cross_val_score(LogisticRegression(max_iter=1000), X_sel, y, cv=10).mean())
"""),
]

NOTEBOOKS["bridge_club_rfe_pipeline"] = [
    md("# Bridge deals: RFE inside the pipeline"),
    py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
deals = pd.read_csv("bridge_deals.csv")
X = deals.drop(columns=["deal_id", "made"])
y = deals["made"]
pipe = Pipeline([("rfe", RFE(LogisticRegression(max_iter=1000), n_features_to_select=8)),
                 ("lr", LogisticRegression(max_iter=1000))])
print(cross_val_score(pipe, X, y, cv=10).mean())
"""),
]

NOTEBOOKS["ice_cream_van_daily_sales"] = [
    md("# Ice cream vans: daily takings\nOne van, five summers, daily rows in date order."),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import RandomForestRegressor
van = pd.read_csv("van_days.csv", parse_dates=["date"]).sort_values("date")
van["sales_lag1"] = van["sales"].shift(1)
van["sales_lag7"] = van["sales"].shift(7)
van["temp_roll3"] = van["max_temp"].rolling(3).mean()
van = van.dropna()
X = van[["sales_lag1", "sales_lag7", "temp_roll3", "max_temp", "weekend"]]
y = van["sales"]
"""),
    py("""
cv = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over a daily series with lag features
print(cross_val_score(RandomForestRegressor(random_state=0), X, y, cv=cv, scoring="r2").mean())
"""),
]

NOTEBOOKS["ice_cream_van_expanding_window"] = [
    md("# Ice cream van takings: expanding-window backtest"),
    py("""
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
van = pd.read_csv("van_days.csv", parse_dates=["date"]).sort_values("date")
van["sales_lag1"] = van["sales"].shift(1)
van["sales_lag7"] = van["sales"].shift(7)
van = van.dropna()
feats = ["sales_lag1", "sales_lag7", "max_temp", "weekend"]
"""),
    py("""
errors = []
for year in [2021, 2022, 2023]:
    past = van[van.date.dt.year < year]
    this = van[van.date.dt.year == year]
    m = RandomForestRegressor(random_state=0).fit(past[feats], past.sales)
    errors.append(mean_absolute_error(this.sales, m.predict(this[feats])))
print(np.round(errors, 1))
"""),
]

NOTEBOOKS["forge_hardness_lab"] = [
    md("# Blacksmith forge lab: predicting Rockwell hardness\nWeek 3 exercise."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
bars = pd.read_csv("quench_tests.csv")
X = bars[["carbon_pct", "quench_temp", "oil_temp", "temper_min", "bar_mm"]]
y = bars["hrc"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
    md("Scale the features (SVR is sensitive to scale)."),
    py("""
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | scaler refitted on the test bars
"""),
    py("""
svr = SVR(C=10).fit(X_train, y_train)
print(svr.score(X_test, y_test))
"""),
]

NOTEBOOKS["forge_hardness_lab_solution"] = [
    md("# Forge lab, model solution"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
bars = pd.read_csv("quench_tests.csv")
X = bars[["carbon_pct", "quench_temp", "oil_temp", "temper_min", "bar_mm"]]
y = bars["hrc"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
    py("""
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)
svr = SVR(C=10).fit(X_train, y_train)
print(svr.score(X_test, y_test))
"""),
]

NOTEBOOKS["canoe_rental_damage"] = [
    md("# Canoe rentals: was the canoe returned damaged?\nKaggle-style: oversample, then compare models."),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.metrics import f1_score
rent = pd.read_csv("canoe_rentals.csv")
X = rent[["river_grade", "group_size", "hours", "experience", "water_level"]]
y = rent["damaged"]
"""),
    py("""
ros = RandomOverSampler(random_state=0)
X_os, y_os = ros.fit_resample(X, y)  #@ LEAK-OVERLAP | duplicated damaged rentals before the split
X_tr, X_te, y_tr, y_te = train_test_split(X_os, y_os, test_size=0.25, random_state=0)
"""),
    md("## Model comparison"),
    py("""
models = {"logreg": LogisticRegression(max_iter=1000), "rf": RandomForestClassifier(random_state=0),
          "gb": GradientBoostingClassifier(random_state=0)}
scores = {name: f1_score(y_te, m.fit(X_tr, y_tr).predict(X_te)) for name, m in models.items()}  #@ LEAK-MULTI-TEST | models ranked by f1 on the test split
print(max(scores, key=scores.get), scores)
"""),
]

NOTEBOOKS["canoe_rentals_oversample_cv"] = [
    md("# Canoe rentals: oversampler inside the imblearn pipeline, models compared by CV"),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
rent = pd.read_csv("canoe_rentals.csv")
X = rent[["river_grade", "group_size", "hours", "experience", "water_level"]]
y = rent["damaged"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
"""),
    py("""
models = {"logreg": LogisticRegression(max_iter=1000), "rf": RandomForestClassifier(random_state=0)}
cv = {n: cross_val_score(make_pipeline(RandomOverSampler(random_state=0), m), X_tr, y_tr, cv=5, scoring="f1").mean()
      for n, m in models.items()}
best = max(cv, key=cv.get)
final = make_pipeline(RandomOverSampler(random_state=0), models[best]).fit(X_tr, y_tr)
print(best, f1_score(y_te, final.predict(X_te)))
"""),
]

NOTEBOOKS["auction_hammer_price"] = [
    md("# Auction house: hammer price of lots\nMethod chain for the features."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
lots = pd.read_csv("auction_lots.csv")
"""),
    py("""
X = (lots  #@ LEAK-TARGET-IN-FEATURES | hammer_price stays in the chained feature frame
     .assign(log_estimate=lambda d: np.log1p(d.low_estimate), month=lambda d: d.sale_month % 12)
     .drop(columns=["lot_id", "description"]))
y = np.log1p(lots["hammer_price"])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
print(HistGradientBoostingRegressor().fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["auction_lots_chain"] = [
    md("# Auction lots: chained features without the price"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
lots = pd.read_csv("auction_lots.csv")
y = np.log1p(lots.pop("hammer_price"))
X = (lots
     .assign(log_estimate=lambda d: np.log1p(d.low_estimate), month=lambda d: d.sale_month % 12)
     .drop(columns=["lot_id", "description"]))
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
print(HistGradientBoostingRegressor().fit(X_tr, y_tr).score(X_te, y_te))
"""),
]

NOTEBOOKS["fencing_bout_winner"] = [
    md("# Fencing bouts: touches scored per fencer-bout\nRows are fencer-bouts; fencers appear in many bouts."),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor
bouts = pd.read_csv("fencer_bouts.csv")
X = bouts[["reach_cm", "ranking", "weapon_code", "left_handed", "opp_ranking"]]
y = bouts["touches"]
"""),
    py("""
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | a fencer's bouts fall in train and test of each split
print(cross_val_score(RandomForestRegressor(random_state=0), X, y, cv=ss).mean())
"""),
]

NOTEBOOKS["fencing_bouts_by_fencer"] = [
    md("# Fencing bouts: GroupKFold by fencer"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.ensemble import RandomForestRegressor
bouts = pd.read_csv("fencer_bouts.csv")
X = bouts[["reach_cm", "ranking", "weapon_code", "left_handed", "opp_ranking"]]
y = bouts["touches"]
gkf = GroupKFold(n_splits=5)
print(cross_val_score(RandomForestRegressor(random_state=0), X, y, cv=gkf, groups=bouts.fencer_id).mean())
"""),
]

NOTEBOOKS["lifeguard_rescue_days"] = [
    md("# Beach lifeguards: will there be a rescue today?\nThe SMOTE cell below the split was actually run first."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score
obs = pd.read_csv("beach_conditions.csv")
X = obs[["wave_m", "rip_index", "visitors", "water_temp", "flag_red"]]
y = obs["rescue"]
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
""", 3),
    py("""
X, y = SMOTE(random_state=1).fit_resample(X, y)  #@ LEAK-OVERLAP | run as In[2], before the split cell, so synthetic rescue days reach the test split
""", 2),
    py("""
rf = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print(recall_score(y_test, rf.predict(X_test)))
""", 4),
]

NOTEBOOKS["lifeguard_smote_train"] = [
    md("# Lifeguard rescues: SMOTE on the training split"),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score
obs = pd.read_csv("beach_conditions.csv")
X = obs[["wave_m", "rip_index", "visitors", "water_temp", "flag_red"]]
y = obs["rescue"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
"""),
    py("""
X_train, y_train = SMOTE(random_state=1).fit_resample(X_train, y_train)
rf = RandomForestClassifier(random_state=0).fit(X_train, y_train)
print(recall_score(y_test, rf.predict(X_test)))
"""),
]


NOTEBOOKS["scooter_fault_reports"] = [
    md("# E-scooter faults: brake fault from ride telemetry\nEach scooter logs hundreds of rides."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import average_precision_score
rides = pd.read_parquet("scooter_rides.parquet")
feats = ["decel_peak", "brake_temp", "vibration_rms", "rider_weight_est", "slope_pct"]
print(rides.scooter_id.nunique(), len(rides))
"""),
    md("Rows of the same scooter are strongly correlated (same brake pads)."),
    py("""
train, test = train_test_split(rides, test_size=0.2, stratify=rides.brake_fault, random_state=0)  #@ LEAK-GROUP-SPLIT | rides of one scooter end up in both splits
et = ExtraTreesClassifier(n_estimators=400, random_state=0).fit(train[feats], train.brake_fault)
print(average_precision_score(test.brake_fault, et.predict_proba(test[feats])[:, 1]))
"""),
]

NOTEBOOKS["salt_pan_brine_pca_test"] = [
    md("# Salt pans: brine chemistry PCA\nThe analyst computed the components again for the hold-out pans."),
    py("""
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
chem_tr = pd.read_csv("brine_chem_pans_a.csv")
chem_te = pd.read_csv("brine_chem_pans_b.csv")
ions = ["na", "cl", "mg", "ca", "k", "so4", "br"]
"""),
    py("""
pca = PCA(n_components=3).fit(chem_tr[ions])
lr = LinearRegression().fit(pca.transform(chem_tr[ions]), chem_tr.crystal_purity)
"""),
    py("""
pca_b = PCA(n_components=3)
Z_te = pca_b.fit_transform(chem_te[ions])  #@ LEAK-FIT-ON-TEST | PCA fitted on the hold-out pans
print(lr.score(Z_te, chem_te.crystal_purity))
"""),
]

NOTEBOOKS["salt_pan_brine_pca"] = [
    md("# Salt pans: brine chemistry PCA fitted on pans A only"),
    py("""
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
chem_tr = pd.read_csv("brine_chem_pans_a.csv")
chem_te = pd.read_csv("brine_chem_pans_b.csv")
ions = ["na", "cl", "mg", "ca", "k", "so4", "br"]
model = make_pipeline(PCA(n_components=3), LinearRegression()).fit(chem_tr[ions], chem_tr.crystal_purity)
print(model.score(chem_te[ions], chem_te.crystal_purity))
"""),
]

NOTEBOOKS["paragliding_thermal_hourly"] = [
    md("# Paragliding site: hourly thermal strength\nWeather mast readings every hour over three seasons.\n\nDraft by the club's data volunteer."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
mast = pd.read_csv("mast_hourly.csv", parse_dates=["ts"], index_col="ts").sort_index()
mast["climb_lag1"] = mast["climb_ms"].shift(1)
mast["climb_lag24"] = mast["climb_ms"].shift(24)
mast["irradiance_roll6"] = mast["irradiance"].rolling(6).mean()
mast = mast.dropna()
"""),
    md("Quick look at the seasonal shape."),
    py("""
mast["climb_ms"].resample("W").mean().plot()
"""),
    py("""
feats = ["climb_lag1", "climb_lag24", "irradiance_roll6", "temp_gradient", "wind_ms"]
Xtr, Xte, ytr, yte = train_test_split(mast[feats], mast["climb_ms"], test_size=0.2, random_state=42)  #@ LEAK-TEMPORAL-SPLIT | random hours from the same days on both sides
gbr = GradientBoostingRegressor(random_state=0).fit(Xtr, ytr)
print(gbr.score(Xte, yte))
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
