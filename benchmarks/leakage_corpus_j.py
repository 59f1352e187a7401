"""Held-out corpus J for the code-level leakage check, written blind.

Written without reading the detector, its tests, the other corpora or ``docs/leakage.md``:
only the rule definitions of the issue and the shared frame (``leakage_corpus_kit.py``).
Domains new to the corpora: ski-resort snowmaking, food-delivery couriers, microfinance,
dermatology photos, mine safety, carbon credits, yacht racing, theatre reviews, warehouse
forklifts, sheep farms, solar-panel cleaning robots, a language-learning app, pipeline
corrosion, ticket scalping, greenhouses, scuba dives, brewing, maple syrup, escape rooms,
theme-park queues, bridge sensors, hearing aids, SMS spam, CI builds, sneaker resale,
freelancers, honey, olive oil, street lights, swimming pools, golf, archery, translation
quality, snow ploughs, tattoo studios, mushrooms, noise complaints, karaoke, desalination,
railway track, pollen, cheese, wiki edits, shellfish toxins, tutoring, ice rinks...

Styles: Kaggle kernels (EDA, several models), course labs, team reports with helpers, method
chains, numpy stacking, early stopping (``eval_set=``, ``validation_data=``), hand target
encoding, TF-IDF, PCA, feature selection, resampling, augmentation, lags and rolling windows,
grouped data. Some notebooks were run out of order (explicit execution counts): there a leak
may exist only in execution order, or a page that reads leaky is clean when executed.
About half the notebooks leak (a few twice); the rest are clean look-alikes.
"""

# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import build as build_corpus
from leakage_corpus_kit import main, md, py

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-j"

NOTEBOOKS: dict[str, list] = {}

# 1. snowmaking: daily series per resort, random split of a lagged series (leaky)
NOTEBOOKS["snowmaking_water_usage"] = [
    md("# Snowmaking water usage forecast\nDaily water draw of the snow guns at Hochalm, 2015-2023."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
snow = pd.read_csv("hochalm_snowmaking_daily.csv", parse_dates=["date"]).sort_values("date")
snow.head()
"""),
    md("## Lags and rolling means"),
    py("""
for lag in (1, 2, 7):
    snow[f"water_lag{lag}"] = snow["water_m3"].shift(lag)
snow["temp_roll3"] = snow["wet_bulb_c"].rolling(3).mean()
snow["dow"] = snow["date"].dt.dayofweek
snow = snow.dropna()
"""),
    py("""
features = ["wet_bulb_c", "humidity", "wind_ms", "temp_roll3", "water_lag1", "water_lag2", "water_lag7", "dow"]
X_tr, X_te, y_tr, y_te = train_test_split(snow[features], snow["water_m3"], test_size=0.2, random_state=7)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a daily series with lag features
"""),
    py("""
gbr = GradientBoostingRegressor(n_estimators=400, max_depth=3, random_state=0).fit(X_tr, y_tr)
print("MAE m3:", mean_absolute_error(y_te, gbr.predict(X_te)))
"""),
]

# 2. snowmaking look-alike: chronological cut, season holdout (clean)
NOTEBOOKS["snowmaking_gun_hours"] = [
    md("# Snow gun hours per night\nPredict how many gun-hours the night crew will run, by season."),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

nights = pd.read_parquet("gun_nights.parquet").sort_values("night")
nights["hours_lag1"] = nights["gun_hours"].shift(1)
nights["hours_roll7"] = nights["gun_hours"].shift(1).rolling(7).mean()
nights = nights.dropna()
"""),
    py("""
nights.describe().T
"""),
    py("""
cutoff = pd.Timestamp("2022-07-01")
train = nights[nights["night"] < cutoff]
test = nights[nights["night"] >= cutoff]
cols = ["min_temp", "humidity", "base_depth_cm", "hours_lag1", "hours_roll7"]
"""),
    py("""
rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=3, random_state=1)
rf.fit(train[cols], train["gun_hours"])
print(mean_absolute_error(test["gun_hours"], rf.predict(test[cols])))
"""),
]

# 3. food delivery: per courier rows, random split (group leak)
NOTEBOOKS["courier_late_drops"] = [
    md("# Late deliveries\nEvery row is one delivery; couriers do hundreds each. Goal: flag drops likely to be >10 min late."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from lightgbm import LGBMClassifier
from sklearn.metrics import roc_auc_score

drops = pd.read_csv("deliveries_q3.csv")
print(drops.courier_id.nunique(), "couriers,", len(drops), "deliveries")
"""),
    py("""
drops["late"] = (drops["delay_min"] > 10).astype(int)
X = drops[["distance_km", "restaurant_prep_min", "hour", "rain_mm", "courier_tenure_days", "vehicle"]].copy()
X["vehicle"] = X["vehicle"].astype("category")
y = drops["late"]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=3)  #@ LEAK-GROUP-SPLIT | deliveries of the same courier end up in both sets
clf = LGBMClassifier(n_estimators=300, learning_rate=0.05)
clf.fit(X_train, y_train)
print("AUC", roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
"""),
]

# 4. food delivery clean: GroupShuffleSplit by courier
NOTEBOOKS["courier_tip_model"] = [
    md("# Tip prediction for couriers\nSplit by courier so new couriers are what we score on."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import r2_score
"""),
    py("""
tips = pd.read_csv("courier_tips.csv")
feat = ["order_value", "distance_km", "wait_min", "rating_prev", "hour"]
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=11)
tr_idx, te_idx = next(gss.split(tips, groups=tips["courier_id"]))
train, test = tips.iloc[tr_idx], tips.iloc[te_idx]
"""),
    py("""
model = make_pipeline(StandardScaler(), Ridge(alpha=3.0))
model.fit(train[feat], train["tip_eur"])
r2_score(test["tip_eur"], model.predict(test[feat]))
"""),
]

# 5. microfinance: hand target encoding on full frame before split (preprocessing)
NOTEBOOKS["microfinance_repayment"] = [
    md("# Microloan repayment\nOne row per loan (borrowers take one loan each in this extract)."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
"""),
    py("""
loans = pd.read_csv("mfi_loans_2021.csv")
loans["repaid"] = (loans["status"] == "repaid").astype(int)
loans = loans.drop(columns=["status"])
"""),
    md("Village repayment rate is a strong signal, encode it."),
    py("""
village_rate = loans.groupby("village")["repaid"].mean()  #@ LEAK-PREPROCESSING | target mean per village computed on all loans, test included
loans["village_rate"] = loans["village"].map(village_rate)
"""),
    py("""
feats = ["amount", "term_weeks", "group_size", "borrower_age", "village_rate"]
Xtr, Xte, ytr, yte = train_test_split(loans[feats], loans["repaid"], test_size=0.3, random_state=0)
lr = LogisticRegression(max_iter=1000).fit(Xtr, ytr)
roc_auc_score(yte, lr.predict_proba(Xte)[:, 1])
"""),
]

# 6. microfinance clean: encoding learned on train only and mapped to test
NOTEBOOKS["microfinance_officer_rates"] = [
    md("# Loan officer effect\nEncode the loan officer by their training-set default rate."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score

loans = pd.read_csv("mfi_loans_2022.csv")
train, test = train_test_split(loans, test_size=0.25, stratify=loans["default"], random_state=5)
train = train.copy()
test = test.copy()
"""),
    py("""
prior = train["default"].mean()
stats = train.groupby("officer_id")["default"].agg(["sum", "count"])
smooth = (stats["sum"] + 20 * prior) / (stats["count"] + 20)
train["officer_rate"] = train["officer_id"].map(smooth)
test["officer_rate"] = test["officer_id"].map(smooth).fillna(prior)
"""),
    py("""
cols = ["amount", "term_weeks", "officer_rate", "prev_loans", "savings"]
rf = RandomForestClassifier(n_estimators=500, min_samples_leaf=5, random_state=0, n_jobs=-1)
rf.fit(train[cols], train["default"])
average_precision_score(test["default"], rf.predict_proba(test[cols])[:, 1])
"""),
]

# 7. dermatology photos: augmentation before split (overlap)
NOTEBOOKS["derm_photo_augment"] = [
    md("# Dermatology photos: melanoma vs naevus\nSmall set (1,200 crops, one lesion photo per patient), so we augment."),
    py("""
import numpy as np
from pathlib import Path
from PIL import Image
from sklearn.model_selection import train_test_split
from tensorflow import keras
"""),
    py("""
paths = sorted(Path("crops").glob("*/*.png"))
images = np.stack([np.asarray(Image.open(p).resize((96, 96))) / 255.0 for p in paths])
labels = np.array([p.parent.name == "melanoma" for p in paths], dtype=int)
"""),
    py("""
def augment(batch):
    flipped = batch[:, :, ::-1, :]
    rotated = np.rot90(batch, k=1, axes=(1, 2))
    return np.concatenate([flipped, rotated])

aug_images = np.concatenate([images, augment(images)])  #@ LEAK-OVERLAP | flipped/rotated copies made before the split land beside their originals in test
aug_labels = np.concatenate([labels, labels, labels])
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(aug_images, aug_labels, test_size=0.2, random_state=42)
"""),
    py("""
net = keras.Sequential([
    keras.layers.Conv2D(16, 3, activation="relu", input_shape=(96, 96, 3)),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(1, activation="sigmoid"),
])
net.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
net.fit(X_train, y_train, epochs=15, batch_size=32)
net.evaluate(X_test, y_test)
"""),
]

# 8. dermatology clean: split by patient first, augment train only, val from train
NOTEBOOKS["derm_lesion_cnn"] = [
    md("# Lesion classifier\nSeveral photos per patient: split by patient, augment only the training images."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from tensorflow import keras

meta = pd.read_csv("lesions.csv")
X = np.load("lesions_128.npy")
y = meta["malignant"].to_numpy()
"""),
    py("""
outer = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
dev_idx, test_idx = next(outer.split(X, y, groups=meta["patient_id"]))
inner = GroupShuffleSplit(n_splits=1, test_size=0.15, random_state=1)
tr, va = next(inner.split(X[dev_idx], y[dev_idx], groups=meta["patient_id"].iloc[dev_idx]))
X_tr, y_tr = X[dev_idx][tr], y[dev_idx][tr]
X_va, y_va = X[dev_idx][va], y[dev_idx][va]
X_te, y_te = X[test_idx], y[test_idx]
"""),
    py("""
X_tr = np.concatenate([X_tr, X_tr[:, :, ::-1], X_tr[:, ::-1, :]])
y_tr = np.concatenate([y_tr, y_tr, y_tr])
"""),
    py("""
model = keras.applications.MobileNetV2(weights=None, input_shape=(128, 128, 3), classes=1, classifier_activation="sigmoid")
model.compile("adam", "binary_crossentropy", metrics=["AUC"])
stop = keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True)
model.fit(X_tr, y_tr, validation_data=(X_va, y_va), epochs=40, callbacks=[stop])
print(model.evaluate(X_te, y_te))
"""),
]

# 9. mine safety: scaler fit on test (fit on test)
NOTEBOOKS["mine_gas_alarms"] = [
    md("# Methane alarm classifier\nSensor snapshots from shafts A-D, labelled by the shift supervisor. Snapshots are independent spot checks."),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.metrics import classification_report

train = pd.read_csv("gas_train.csv")
test = pd.read_csv("gas_test.csv")
sensors = ["ch4_ppm", "co_ppm", "o2_pct", "airflow", "temp_c", "pressure_kpa"]
"""),
    py("""
sc = StandardScaler()
X_train = sc.fit_transform(train[sensors])
sc_test = StandardScaler()
X_test = sc_test.fit_transform(test[sensors])  #@ LEAK-FIT-ON-TEST | second scaler fitted on the test snapshots
"""),
    py("""
svm = SVC(C=2.0, gamma="scale").fit(X_train, train["alarm"])
print(classification_report(test["alarm"], svm.predict(X_test)))
"""),
]

# 10. mine safety clean: ColumnTransformer in pipeline with cross_val_score
NOTEBOOKS["mine_injury_severity"] = [
    md("# Injury severity (lost-time vs first-aid)\nIncident reports, one per incident."),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
"""),
    py("""
inc = pd.read_csv("incidents.csv")
inc = inc.drop(columns=["incident_id", "report_text"])
y = inc.pop("lost_time")
num = ["depth_m", "shift_hour", "crew_size", "years_experience"]
cat = ["activity", "equipment", "shaft"]
"""),
    py("""
pre = ColumnTransformer([
    ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
    ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
])
pipe = Pipeline([("pre", pre), ("lr", LogisticRegression(max_iter=2000, class_weight="balanced"))])
scores = cross_val_score(pipe, inc, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring="roc_auc")
scores.mean(), scores.std()
"""),
]

# 11. carbon credits: several models compared on test (multi-test)
NOTEBOOKS["carbon_credit_prices"] = [
    md("# Carbon credit project rating\nPredict whether a registry project gets the 'high integrity' label."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import f1_score
"""),
    py("""
proj = pd.read_csv("registry_projects.csv")
proj = pd.get_dummies(proj, columns=["methodology", "country"], drop_first=True)
X = proj.drop(columns=["project_id", "high_integrity"])
y = proj["high_integrity"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1, stratify=y)
"""),
    py("""
models = {
    "logreg": LogisticRegression(max_iter=3000),
    "rf": RandomForestClassifier(n_estimators=400, random_state=0),
    "extra": ExtraTreesClassifier(n_estimators=400, random_state=0),
    "knn": KNeighborsClassifier(15),
}
results = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    results[name] = f1_score(y_test, m.predict(X_test))  #@ LEAK-MULTI-TEST | four models ranked on the test F1
best = max(results, key=results.get)
print(results, "->", best)
"""),
]

# 12. carbon credits clean: selection on validation, single test score
NOTEBOOKS["carbon_offset_retirements"] = [
    md("# Offset retirement volume\nPick the model on a validation split, report test once."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

ret = pd.read_csv("retirements.csv")
X = ret.drop(columns=["serial", "tonnes_retired"])
y = ret["tonnes_retired"]
X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_tr, X_val, y_tr, y_val = train_test_split(X_dev, y_dev, test_size=0.25, random_state=0)
"""),
    py("""
candidates = {"ridge": Ridge(1.0), "hgb": HistGradientBoostingRegressor(max_iter=300)}
val_mae = {k: mean_absolute_error(y_val, m.fit(X_tr, y_tr).predict(X_val)) for k, m in candidates.items()}
chosen = min(val_mae, key=val_mae.get)
val_mae, chosen
"""),
    py("""
final = candidates[chosen].fit(X_dev, y_dev)
print("test MAE", mean_absolute_error(y_test, final.predict(X_test)))
"""),
]
# 13. yacht racing: target left in features via select_dtypes
NOTEBOOKS["yacht_race_finish"] = [
    md("# Finishing time, coastal regattas\nOne row per boat per race (each race a separate event)."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.ensemble import RandomForestRegressor

races = pd.read_csv("regatta_results.csv")
races["elapsed_h"] = races["elapsed_s"] / 3600
races = races.drop(columns=["elapsed_s"])
"""),
    py("""
races.corr(numeric_only=True)["elapsed_h"].sort_values()
"""),
    py("""
X = races.select_dtypes("number")  #@ LEAK-TARGET-IN-FEATURES | elapsed_h is numeric and stays in X
y = races["elapsed_h"]
cv = GroupKFold(n_splits=5)
cross_val_score(RandomForestRegressor(n_estimators=200, random_state=0), X, y, cv=cv, groups=races["race_id"], scoring="neg_mean_absolute_error").mean()
"""),
]

# 14. yacht racing clean: select_dtypes then drop target
NOTEBOOKS["yacht_handicap_rating"] = [
    md("# Handicap rating from hull measurements"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LassoCV

boats = pd.read_csv("boats_measured.csv")
print(boats.shape)
boats.describe()
"""),
    py("""
X = boats.select_dtypes("number").drop(columns=["irc_tcc", "sail_number"])
y = boats["irc_tcc"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=4)
lasso = make_pipeline(StandardScaler(), LassoCV(cv=5)).fit(X_tr, y_tr)
lasso.score(X_te, y_te)
"""),
]

# 15. theatre reviews: TF-IDF fit on all reviews before split
NOTEBOOKS["theatre_review_sentiment"] = [
    md("# Theatre reviews: rave or pan?\nReviews scraped from three papers, one review per critic per show."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
"""),
    py("""
rev = pd.read_json("reviews.jsonl", lines=True)
rev = rev[rev["stars"] != 3]
rev["rave"] = (rev["stars"] >= 4).astype(int)
"""),
    py("""
tfidf = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True)
X = tfidf.fit_transform(rev["text"])  #@ LEAK-PREPROCESSING | vocabulary and idf learned from all reviews, test included
X_train, X_test, y_train, y_test = train_test_split(X, rev["rave"], test_size=0.2, random_state=0)
"""),
    py("""
clf = LogisticRegression(C=4, max_iter=2000).fit(X_train, y_train)
accuracy_score(y_test, clf.predict(X_test))
"""),
]

# 16. theatre clean: TF-IDF in pipeline, GridSearchCV, test once
NOTEBOOKS["theatre_genre_tagging"] = [
    md("# Tag productions by genre from the programme blurb"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import GridSearchCV, train_test_split

blurbs = pd.read_csv("programme_blurbs.csv")
tr, te = train_test_split(blurbs, test_size=0.2, stratify=blurbs["genre"], random_state=2)
"""),
    py("""
pipe = Pipeline([("tfidf", TfidfVectorizer(stop_words="english")), ("svm", LinearSVC())])
grid = GridSearchCV(pipe, {"tfidf__min_df": [1, 3], "svm__C": [0.1, 1, 10]}, cv=5, scoring="f1_macro")
grid.fit(tr["blurb"], tr["genre"])
grid.best_params_
"""),
    py("""
print("held-out macro F1", grid.score(te["blurb"], te["genre"]))
"""),
]

# 17. forklifts: per-truck telemetry, KFold shuffle as cv (group)
NOTEBOOKS["forklift_battery_faults"] = [
    md("# Forklift battery faults\nTelemetry windows from 38 trucks; most windows come from the same handful of trucks."),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_validate
from sklearn.ensemble import HistGradientBoostingClassifier
"""),
    py("""
win = pd.read_parquet("forklift_windows.parquet")
X = win[["volt_mean", "volt_min", "current_p95", "temp_max", "lift_cycles", "idle_frac"]]
y = win["fault_next_24h"]
"""),
    py("""
cv = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | windows of one truck spread over train and validation folds
res = cross_validate(HistGradientBoostingClassifier(), X, y, cv=cv, scoring=["roc_auc", "average_precision"])
pd.DataFrame(res).mean()
"""),
]

# 18. forklifts clean: GroupKFold by truck with pipeline
NOTEBOOKS["forklift_collision_risk"] = [
    md("# Near-miss risk per shift\nShift summaries; grouped by truck id for validation."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

shifts = pd.read_csv("forklift_shifts.csv")
feats = ["speed_p95", "harsh_brakes", "aisle_changes", "operator_hours", "load_kg_mean"]
"""),
    py("""
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
gkf = GroupKFold(n_splits=5)
cross_val_score(pipe, shifts[feats], shifts["near_miss"], cv=gkf, groups=shifts["truck_id"], scoring="roc_auc")
"""),
]

# 19. sheep farms: SMOTE before split (overlap)
NOTEBOOKS["sheep_flystrike"] = [
    md("# Flystrike risk in ewes\nFarm survey, one row per ewe. Only 6% affected."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score, precision_score

ewes = pd.read_csv("ewe_survey.csv")
X = ewes[["wool_length_mm", "breech_wrinkle", "dag_score", "age_yr", "weight_kg", "crutched"]]
y = ewes["struck"]
"""),
    py("""
X_bal, y_bal = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic ewes interpolated from rows that later form the test set
X_train, X_test, y_train, y_test = train_test_split(X_bal, y_bal, test_size=0.3, random_state=0)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_train, y_train)
pred = rf.predict(X_test)
print(recall_score(y_test, pred), precision_score(y_test, pred))
"""),
]

# 20. sheep clean: imblearn pipeline in CV
NOTEBOOKS["sheep_lambing_survival"] = [
    md("# Lamb survival to weaning\nImbalanced, so SMOTE inside an imblearn pipeline."),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

lambs = pd.read_csv("lambs.csv")
X = lambs.drop(columns=["tag", "survived"])
y = lambs["survived"]
"""),
    py("""
pipe = Pipeline([("sc", StandardScaler()), ("smote", SMOTE(random_state=0)), ("lr", LogisticRegression(max_iter=1000))])
cross_val_score(pipe, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring="balanced_accuracy").mean()
"""),
]

# 21. solar cleaning robots: out of order, scaler on full run before split (leak by order)
NOTEBOOKS["panel_robot_soiling"] = [
    md("# Soiling loss after robot passes\nRobot logs, one row per pass on independent panel rows."),
    py("""
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
""", 1),
    py("""
passes = pd.read_csv("robot_passes.csv")
num = ["dust_index", "brush_rpm", "pass_speed", "wind_ms", "days_since_rain"]
""", 2),
    md("## Split"),
    py("""
train, test = train_test_split(passes, test_size=0.2, random_state=9)
""", 4),
    md("## Scaling (kNN needs it)"),
    py("""
mm = MinMaxScaler()
passes[num] = mm.fit_transform(passes[num])  #@ LEAK-PREPROCESSING | executed (In 3) before the split cell (In 4): scaler fitted on all passes
""", 3),
    py("""
knn = KNeighborsRegressor(n_neighbors=7).fit(train[num], train["soiling_loss_pct"])
knn.score(test[num], test["soiling_loss_pct"])
""", 5),
]

# 22. solar robots clean: out of order but fine; page shows scaling above, executed after split on train
NOTEBOOKS["panel_robot_battery"] = [
    md("# Robot battery drain per pass"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge

runs = pd.read_csv("robot_runs.csv")
cols = ["distance_m", "slope_deg", "ambient_c", "dust_index"]
""", 1),
    py("""
scaler = StandardScaler().fit(train_df[cols])
Xtr = scaler.transform(train_df[cols])
Xte = scaler.transform(test_df[cols])
""", 3),
    py("""
train_df, test_df = train_test_split(runs, test_size=0.25, random_state=0)
""", 2),
    py("""
reg = Ridge(alpha=0.5).fit(Xtr, train_df["drain_wh"])
reg.score(Xte, test_df["drain_wh"])
""", 4),
]

# 23. language app: many sessions per learner, random row split (group)
NOTEBOOKS["lingo_streak_dropout"] = [
    md("# Will the learner quit after this lesson session?\nOne row per session, 40k learners with dozens of sessions each."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
import xgboost as xgb
from sklearn.metrics import roc_auc_score
"""),
    py("""
days = pd.read_parquet("learner_sessions.parquet")
days["acc"] = days["correct"] / days["answered"].clip(lower=1)
days["native_lang"] = days["native_lang"].astype("category").cat.codes
"""),
    py("""
feats = ["xp", "acc", "lessons", "native_lang", "hearts_lost", "course_level", "push_opened"]
train, test = train_test_split(days, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | sessions of the same learner on both sides of a random row split
"""),
    py("""
booster = xgb.XGBClassifier(n_estimators=500, max_depth=6, learning_rate=0.05, subsample=0.8)
booster.fit(train[feats], train["quit_after"])
roc_auc_score(test["quit_after"], booster.predict_proba(test[feats])[:, 1])
"""),
]

# 24. language app clean: split learners, early stopping on validation learners
NOTEBOOKS["lingo_lesson_completion"] = [
    md("# Lesson completion\nLearners split into train / validation / test by id."),
    py("""
import numpy as np
import pandas as pd
import lightgbm as lgb
from sklearn.metrics import log_loss

les = pd.read_parquet("lesson_attempts.parquet")
learners = les["learner_id"].unique()
rng = np.random.default_rng(0)
rng.shuffle(learners)
n = len(learners)
tr_ids, va_ids, te_ids = learners[: int(0.7 * n)], learners[int(0.7 * n): int(0.85 * n)], learners[int(0.85 * n):]
"""),
    py("""
feats = ["skill_level", "prev_attempts", "time_of_day", "lesson_len", "error_rate_prev"]
tr = les[les.learner_id.isin(tr_ids)]
va = les[les.learner_id.isin(va_ids)]
te = les[les.learner_id.isin(te_ids)]
"""),
    py("""
model = lgb.LGBMClassifier(n_estimators=2000, learning_rate=0.03)
model.fit(tr[feats], tr["completed"], eval_set=[(va[feats], va["completed"])], callbacks=[lgb.early_stopping(100)])
print("test logloss", log_loss(te["completed"], model.predict_proba(te[feats])[:, 1]))
"""),
]

# 25. pipeline corrosion: early stopping on test set (multi-test)
NOTEBOOKS["pipeline_wall_loss"] = [
    md("# Pipeline corrosion: wall-loss rate per inspection segment\nSegments are independent 1 km stretches from ILI runs."),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error

seg = pd.read_csv("ili_segments.csv")
X = seg[["soil_resistivity", "cp_potential_mv", "coating_age", "pipe_temp", "water_cut", "pressure_bar"]].values
y = seg["wall_loss_mm_yr"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
"""),
    py("""
reg = xgb.XGBRegressor(n_estimators=3000, learning_rate=0.02, max_depth=5, early_stopping_rounds=75)
reg.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=200)  #@ LEAK-MULTI-TEST | early stopping watches the test set
print(reg.best_iteration, mean_squared_error(y_test, reg.predict(X_test)) ** 0.5)
"""),
]

# 26. pipeline clean: early stopping on a validation split carved from train
NOTEBOOKS["pipeline_pit_depth"] = [
    md("# Maximum pit depth per segment"),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error

seg = pd.read_csv("pit_segments.csv")
X, y = seg.drop(columns=["segment_id", "max_pit_mm"]), seg["max_pit_mm"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
X_fit, X_es, y_fit, y_es = train_test_split(X_train, y_train, test_size=0.15, random_state=3)
"""),
    py("""
reg = xgb.XGBRegressor(n_estimators=5000, learning_rate=0.02, early_stopping_rounds=100)
reg.fit(X_fit, y_fit, eval_set=[(X_es, y_es)], verbose=False)
print("test MAE", mean_absolute_error(y_test, reg.predict(X_test)))
"""),
]
# 27. ticket scalping: two leaks, stacked scaler + multi-test over C
NOTEBOOKS["ticket_scalper_accounts"] = [
    md("# Scalper account detection\nAccounts from the 2024 stadium tour on-sale, one row per account.\nTeam report; helpers first."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.metrics import f1_score


def load(path):
    acc = pd.read_csv(path)
    acc["tickets_per_order"] = acc["tickets"] / acc["orders"].clip(lower=1)
    return acc


FEATS = ["orders", "tickets_per_order", "cards_used", "ip_count", "checkout_secs", "account_age_d"]
"""),
    py("""
train = load("accounts_train.csv")
test = load("accounts_test.csv")
X_train, y_train = train[FEATS].to_numpy(), train["scalper"].to_numpy()
X_test, y_test = test[FEATS].to_numpy(), test["scalper"].to_numpy()
"""),
    md("Scale with everything we have so the test accounts are on the same footing."),
    py("""
scaler = StandardScaler().fit(np.vstack([X_train, X_test]))  #@ LEAK-PREPROCESSING | scaler statistics from train and test stacked together
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
"""),
    py("""
for C in [0.1, 1, 10, 100]:
    svc = SVC(C=C, class_weight="balanced").fit(X_train_s, y_train)
    print(C, f1_score(y_test, svc.predict(X_test_s)))  #@ LEAK-MULTI-TEST | C chosen by looking at test F1
"""),
]

# 28. ticket resale clean: refit on all data after evaluation
NOTEBOOKS["ticket_resale_markup"] = [
    md("# Resale markup model\nEvaluate once, then refit on everything for the pricing service."),
    py("""
import joblib
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import OneHotEncoder
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_percentage_error

listings = pd.read_csv("resale_listings.csv")
X = listings.drop(columns=["listing_id", "markup_pct"])
y = listings["markup_pct"]
"""),
    py("""
ct = make_column_transformer((OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["venue", "genre", "section"]), remainder="passthrough")
pipe = make_pipeline(ct, HistGradientBoostingRegressor(max_iter=400))
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
pipe.fit(X_tr, y_tr)
print("MAPE", mean_absolute_percentage_error(y_te, pipe.predict(X_te)))
"""),
    md("Numbers reported above. Now refit on all listings for deployment."),
    py("""
pipe.fit(X, y)
joblib.dump(pipe, "markup_model.joblib")
"""),
]

# 29. greenhouse: imputation by pandas mean on whole frame, KFold CV (preprocessing)
NOTEBOOKS["greenhouse_tomato_yield"] = [
    md("# Tomato yield per bay\nBays across 4 glasshouses, one season each (rows independent)."),
    py("""
import pandas as pd
from sklearn.model_selection import cross_val_score, KFold
from sklearn.ensemble import RandomForestRegressor

bays = pd.read_csv("bays_2023.csv")
bays.isna().mean().sort_values(ascending=False).head()
"""),
    py("""
bays = bays.fillna(bays.mean(numeric_only=True))  #@ LEAK-PREPROCESSING | column means of all bays used to impute before cross-validation
X = bays.drop(columns=["bay_code", "yield_kg_m2"])
y = bays["yield_kg_m2"]
"""),
    py("""
cross_val_score(RandomForestRegressor(n_estimators=300, random_state=0), X, y, cv=KFold(5, shuffle=True, random_state=0), scoring="r2").mean()
"""),
]

# 30. greenhouse clean: imputer in pipeline inside CV, whole-frame EDA only for plots
NOTEBOOKS["greenhouse_climate_energy"] = [
    md("# Heating energy per bay\nEDA on the whole table first (plots only), model with the imputer inside the pipeline."),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import cross_val_score

gh = pd.read_csv("greenhouse_energy.csv")
"""),
    py("""
print(gh.describe())
gh.corr(numeric_only=True).style.background_gradient()
"""),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(10, 4))
gh["heating_kwh"].hist(ax=ax[0], bins=40)
gh.plot.scatter("outside_temp", "heating_kwh", ax=ax[1], alpha=0.3)
"""),
    py("""
X = gh.drop(columns=["heating_kwh"])
pipe = make_pipeline(SimpleImputer(strategy="median"), GradientBoostingRegressor(random_state=0))
cross_val_score(pipe, X, gh["heating_kwh"], cv=5).mean()
"""),
]

# 31. scuba dives: fit encoder on test (fit on test) long notebook
NOTEBOOKS["scuba_dive_incidents"] = [
    md("# Decompression incidents in recreational dives\nDive computer uploads; each diver uploads one dive in this sample."),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import OrdinalEncoder
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
"""),
    md("## Load the provided train/test files"),
    py("""
tr = pd.read_csv("dives_train.csv")
te = pd.read_csv("dives_test.csv")
tr.shape, te.shape
"""),
    md("## Quick EDA"),
    py("""
tr.groupby("gas")["incident"].mean()
"""),
    py("""
tr["max_depth_m"].describe()
"""),
    md("## Encode categoricals"),
    py("""
cats = ["gas", "site_type", "certification"]
enc_tr = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
tr[cats] = enc_tr.fit_transform(tr[cats])
enc_te = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
te[cats] = enc_te.fit_transform(te[cats])  #@ LEAK-FIT-ON-TEST | separate encoder fitted on the test dives
"""),
    md("## Model"),
    py("""
feats = cats + ["max_depth_m", "bottom_min", "ascent_rate", "repeat_dives", "age"]
rf = RandomForestClassifier(n_estimators=500, class_weight="balanced", random_state=0)
rf.fit(tr[feats], tr["incident"])
roc_auc_score(te["incident"], rf.predict_proba(te[feats])[:, 1])
"""),
]

# 32. scuba clean: encoder fit on train, transform test
NOTEBOOKS["scuba_air_consumption"] = [
    md("# Air consumption (SAC rate)"),
    py("""
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error
import numpy as np

tr = pd.read_csv("sac_train.csv")
te = pd.read_csv("sac_test.csv")
cats = ["suit", "tank", "experience_band"]
nums = ["depth_avg", "water_temp", "current", "bmi"]
"""),
    py("""
ohe = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(tr[cats])
Xtr = np.hstack([ohe.transform(tr[cats]), tr[nums].to_numpy()])
Xte = np.hstack([ohe.transform(te[cats]), te[nums].to_numpy()])
lin = LinearRegression().fit(Xtr, tr["sac_l_min"])
mean_absolute_error(te["sac_l_min"], lin.predict(Xte))
"""),
]

# 33. brewing: fermentation time series per batch, shuffle split (group leak: the label is per batch)
NOTEBOOKS["brewery_gravity_curve"] = [
    md("# Predicting final gravity\nHourly hydrometer readings for each fermentation batch (~200 readings per batch)."),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import ExtraTreesRegressor

r = pd.read_csv("tilt_readings.csv", parse_dates=["ts"])
r = r.sort_values(["batch", "ts"])
r["hours"] = r.groupby("batch")["ts"].transform(lambda t: (t - t.min()).dt.total_seconds() / 3600)
r["sg_drop_6h"] = r.groupby("batch")["sg"].diff(6)
r = r.dropna()
"""),
    py("""
X = r[["hours", "sg", "sg_drop_6h", "temp_c", "yeast_gen", "og"]]
y = r["final_gravity"]
ss = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | readings of one batch land in train and test folds
cross_val_score(ExtraTreesRegressor(n_estimators=300), X, y, cv=ss, scoring="neg_mean_absolute_error")
"""),
]

# 34. brewing clean: GroupShuffleSplit by batch in CV
NOTEBOOKS["brewery_off_flavour"] = [
    md("# Off-flavour (diacetyl) flag per batch reading"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

r = pd.read_csv("batch_readings.csv")
X = r[["temp_c", "sg", "ph", "hours", "pitch_rate"]]
y = r["diacetyl_flag"]
"""),
    py("""
gss = GroupShuffleSplit(n_splits=5, test_size=0.2, random_state=0)
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
cross_val_score(pipe, X, y, cv=gss, groups=r["batch"], scoring="roc_auc").mean()
"""),
]

# 35. maple syrup: daily sap flow, TimeSeriesSplit clean
NOTEBOOKS["maple_sap_flow"] = [
    md("# Sap flow forecast\nDaily sap volume at the sugarbush, with freeze/thaw features."),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.ensemble import GradientBoostingRegressor

sap = pd.read_csv("sap_daily.csv", parse_dates=["date"]).set_index("date").sort_index()
sap["flow_lag1"] = sap["sap_l"].shift(1)
sap["freeze_thaw"] = ((sap["tmin"] < 0) & (sap["tmax"] > 3)).astype(int)
sap["tmax_roll3"] = sap["tmax"].rolling(3).mean()
sap = sap.dropna()
"""),
    py("""
X = sap[["tmin", "tmax", "freeze_thaw", "tmax_roll3", "flow_lag1", "snow_depth"]]
tscv = TimeSeriesSplit(n_splits=5)
cross_val_score(GradientBoostingRegressor(random_state=0), X, sap["sap_l"], cv=tscv, scoring="neg_mean_absolute_error")
"""),
]

# 36. maple syrup: KFold shuffle on daily series (temporal)
NOTEBOOKS["maple_syrup_grade"] = [
    md("# Syrup grade by boil day\nBoil log, one row per day over six seasons, with yesterday's grade as a feature."),
    py("""
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.ensemble import RandomForestClassifier

boil = pd.read_csv("boil_log.csv", parse_dates=["day"]).sort_values("day")
boil["grade_prev"] = boil["grade_code"].shift(1)
boil["sugar_roll5"] = boil["sap_brix"].rolling(5).mean()
boil = boil.dropna()
X = boil[["sap_brix", "sugar_roll5", "grade_prev", "days_into_season", "tmax"]]
y = boil["grade_code"]
"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over a daily series with lag and rolling features
cross_val_score(RandomForestClassifier(n_estimators=300, random_state=0), X, y, cv=skf).mean()
"""),
]

# 37. escape rooms: target in features through feature list
NOTEBOOKS["escape_room_success"] = [
    md("# Escape room: will the team get out?\nBookings, one per team visit."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import accuracy_score

bk = pd.read_csv("bookings.csv")
bk["escaped"] = (bk["finish_min"] <= 60).astype(int)
"""),
    py("""
feature_cols = [c for c in bk.columns if c not in ("booking_id", "team_name", "finish_min")]
X = bk[feature_cols]  #@ LEAK-TARGET-IN-FEATURES | drops finish_min but the label escaped stays among the features
y = bk["escaped"]
"""),
    py("""
X = pd.get_dummies(X, columns=["room", "day_part"])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
tree = DecisionTreeClassifier(max_depth=5).fit(X_tr, y_tr)
accuracy_score(y_te, tree.predict(X_te))
"""),
]

# 38. escape room clean: out of order, page reads leaky (features redefined), execution fine
NOTEBOOKS["escape_room_hints"] = [
    md("# Number of hints a team will ask for"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import PoissonRegressor

bk = pd.read_csv("bookings_hints.csv")
""", 1),
    py("""
features = [c for c in bk.columns if c not in ("booking_id", "hints_used")]
""", 3),
    py("""
features = list(bk.columns)
bk[features].head()
""", 2),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(bk[features], bk["hints_used"], test_size=0.2, random_state=1)
X_tr, X_te = X_tr.drop(columns=["room"]), X_te.drop(columns=["room"])
pois = PoissonRegressor(alpha=0.1).fit(X_tr, y_tr)
pois.score(X_te, y_te)
""", 4),
]
# 39. theme park queues: random split on 15-min time series (temporal), Kaggle style
NOTEBOOKS["themepark_wait_times"] = [
    md("# Theme park wait times\nPosted waits every 15 minutes for the coaster, 2019-2023. Kaggle-style kernel."),
    py("""
import numpy as np
import pandas as pd
import seaborn as sns
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
    py("""
w = pd.read_csv("coaster_waits.csv", parse_dates=["ts"]).sort_values("ts")
w["hour"] = w.ts.dt.hour
w["month"] = w.ts.dt.month
w["wait_lag1"] = w["wait_min"].shift(1)
w["wait_lag4"] = w["wait_min"].shift(4)
w = w.dropna()
"""),
    md("## EDA"),
    py("""
sns.boxplot(data=w, x="hour", y="wait_min")
plt.show()
"""),
    py("""
w.groupby("month")["wait_min"].mean().plot(kind="bar")
"""),
    md("## Modelling"),
    py("""
X = w[["hour", "month", "is_holiday", "temp_c", "wait_lag1", "wait_lag4"]]
y = w["wait_min"]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, shuffle=True, random_state=2023)  #@ LEAK-TEMPORAL-SPLIT | 15-minute series with lag features split at random
"""),
    py("""
from lightgbm import LGBMRegressor
lgbm = LGBMRegressor(n_estimators=800, learning_rate=0.03, num_leaves=63)
lgbm.fit(Xtr, ytr)
print("MAE:", mean_absolute_error(yte, lgbm.predict(Xte)))
"""),
]

# 40. theme park clean: shuffle=False split on sorted frame
NOTEBOOKS["themepark_ride_downtime"] = [
    md("# Ride downtime next hour"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

d = pd.read_csv("ride_status_hourly.csv", parse_dates=["hour_start"]).sort_values("hour_start")
d["down_prev3"] = d["down"].shift(1).rolling(3).sum()
d = d.dropna()
X = d[["wind_ms", "rain_mm", "throughput_prev", "down_prev3", "maint_days_ago"]]
y = d["down_next_hour"]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
rf = RandomForestClassifier(n_estimators=400, min_samples_leaf=10, random_state=0).fit(X_train, y_train)
roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])
"""),
]

# 41. bridge sensors: PCA on whole array before split (preprocessing)
NOTEBOOKS["bridge_strain_damage"] = [
    md("# Bridge strain-gauge damage detection (lab specimens)\n64 gauge channels per loading test; each test on a fresh specimen."),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

signals = np.load("strain_tests.npy")   # (n_tests, 64)
damaged = np.load("damage_labels.npy")
"""),
    py("""
pca = PCA(n_components=12, whiten=True)
Z = pca.fit_transform(signals)  #@ LEAK-PREPROCESSING | principal axes fitted on every specimen before the split
print(pca.explained_variance_ratio_.cumsum()[-1])
"""),
    py("""
Z_tr, Z_te, d_tr, d_te = train_test_split(Z, damaged, test_size=0.3, random_state=0, stratify=damaged)
svc = SVC(kernel="rbf", C=5).fit(Z_tr, d_tr)
svc.score(Z_te, d_te)
"""),
]

# 42. bridge clean: PCA in pipeline + GridSearchCV
NOTEBOOKS["bridge_modal_frequency"] = [
    md("# Modal frequency shift regression"),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, train_test_split

A = np.load("accel_features.npy")
shift = np.load("freq_shift.npy")
A_tr, A_te, s_tr, s_te = train_test_split(A, shift, test_size=0.2, random_state=0)
"""),
    py("""
pipe = Pipeline([("sc", StandardScaler()), ("pca", PCA()), ("ridge", Ridge())])
gs = GridSearchCV(pipe, {"pca__n_components": [5, 10, 20], "ridge__alpha": [0.1, 1, 10]}, cv=5)
gs.fit(A_tr, s_tr)
print(gs.best_params_, gs.score(A_te, s_te))
"""),
]

# 43. hearing aids: SelectKBest on full data then CV (preprocessing)
NOTEBOOKS["hearing_aid_returns"] = [
    md("# Hearing aid returns within the trial period\n300 audiogram + fitting features per customer; one fitting per customer."),
    py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

fit = pd.read_csv("fittings.csv")
X = fit.drop(columns=["customer_id", "returned"])
y = fit["returned"]
"""),
    py("""
selector = SelectKBest(f_classif, k=25)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | features chosen with the labels of every customer, then cross-validated
cross_val_score(LogisticRegression(max_iter=2000), X_sel, y, cv=10, scoring="roc_auc").mean()
"""),
]

# 44. hearing aids clean: selector inside pipeline CV; RFE inside pipeline
NOTEBOOKS["hearing_aid_satisfaction"] = [
    md("# Satisfaction score after 3 months"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import VarianceThreshold, RFE
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import KFold, cross_val_score

sv = pd.read_csv("followup_survey.csv")
X = sv.drop(columns=["customer_id", "satisfaction"])
y = sv["satisfaction"]
"""),
    py("""
pipe = Pipeline([
    ("var", VarianceThreshold(0.01)),
    ("rfe", RFE(LinearRegression(), n_features_to_select=15)),
    ("ridge", Ridge(alpha=1.0)),
])
cross_val_score(pipe, X, y, cv=KFold(5, shuffle=True, random_state=0), scoring="r2")
"""),
]

# 45. SMS spam: manual upsampling of spam before split (overlap)
NOTEBOOKS["sms_spam_filter"] = [
    md("# SMS spam filter (course lab 4)\nThe data is imbalanced (13% spam); balance it, then train a Naive Bayes."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report

sms = pd.read_csv("sms.tsv", sep="\\t", names=["label", "text"])
ham = sms[sms.label == "ham"]
spam = sms[sms.label == "spam"]
"""),
    md("**Exercise 1.** Upsample the minority class."),
    py("""
spam_up = resample(spam, replace=True, n_samples=len(ham), random_state=42)  #@ LEAK-OVERLAP | duplicated spam messages made before the split appear in train and test
balanced = pd.concat([ham, spam_up]).sample(frac=1, random_state=42)
"""),
    md("**Exercise 2.** Split, vectorise (fit on train!), train."),
    py("""
tr, te = train_test_split(balanced, test_size=0.2, random_state=42)
cv = CountVectorizer()
Xtr = cv.fit_transform(tr.text)
Xte = cv.transform(te.text)
nb = MultinomialNB().fit(Xtr, tr.label)
print(classification_report(te.label, nb.predict(Xte)))
"""),
]

# 46. SMS clean: upsample train only after split
NOTEBOOKS["sms_promo_detector"] = [
    md("# Promotional SMS detector\nUpsample the promo class in the training split only."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

msgs = pd.read_csv("carrier_sms.csv")
train, test = train_test_split(msgs, test_size=0.2, stratify=msgs["promo"], random_state=0)
"""),
    py("""
minority = train[train.promo == 1]
majority = train[train.promo == 0]
train_bal = pd.concat([majority, resample(minority, replace=True, n_samples=len(majority), random_state=0)])
"""),
    py("""
clf = make_pipeline(TfidfVectorizer(min_df=2), SGDClassifier(loss="log_loss", random_state=0))
clf.fit(train_bal["text"], train_bal["promo"])
f1_score(test["promo"], clf.predict(test["text"]))
"""),
]

# 47. CI builds: label left in X + random split of builds with rolling history (two leaks)
NOTEBOOKS["ci_build_failures"] = [
    md("# CI build failure prediction\nBuilds of the monorepo in commit order; features include the outcome of the previous builds."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

b = pd.read_csv("builds.csv", parse_dates=["started"]).sort_values("started")
b["failed"] = (b["status"] == "failed").astype(int)
b["fail_rate_last10"] = b["failed"].shift(1).rolling(10).mean()
b["prev_failed"] = b["failed"].shift(1)
b = b.dropna(subset=["fail_rate_last10"])
"""),
    py("""
X = b.drop(columns=["build_id", "status", "started"])  #@ LEAK-TARGET-IN-FEATURES | the label failed is not dropped
y = b["failed"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | builds with rolling history features shuffled across train and test
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_tr, y_tr)
f1_score(y_te, rf.predict(X_te))
"""),
]

# 48. CI clean: time-ordered holdout, pop target
NOTEBOOKS["ci_flaky_tests"] = [
    md("# Flaky test detection\nTrain on the first 10 months, test on the last 2."),
    py("""
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score

runs = pd.read_parquet("test_runs.parquet").sort_values("run_at")
runs["fail_rate_prev"] = runs.groupby("test_name")["failed"].transform(lambda s: s.shift(1).expanding().mean())
"""),
    py("""
split_at = runs["run_at"].quantile(0.83)
train = runs[runs.run_at <= split_at].copy()
test = runs[runs.run_at > split_at].copy()
y_train = train.pop("flaky")
y_test = test.pop("flaky")
cols = ["duration_s", "fail_rate_prev", "retries", "touches_network", "parallel_workers"]
"""),
    py("""
hgb = HistGradientBoostingClassifier(max_iter=300).fit(train[cols], y_train)
average_precision_score(y_test, hgb.predict_proba(test[cols])[:, 1])
"""),
]

# 49. sneaker resale: fit scaler on X_test (fit_transform on test), numpy style
NOTEBOOKS["sneaker_resale_price"] = [
    md("# Sneaker resale price"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.neural_network import MLPRegressor
from sklearn.model_selection import train_test_split

sn = pd.read_csv("sneaker_sales.csv")
X = sn[["retail_usd", "days_since_release", "size_us", "colorway_pop", "collab"]].values
y = np.log1p(sn["resale_usd"].values)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
    py("""
rs = RobustScaler()
X_train = rs.fit_transform(X_train)
X_test = rs.fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | the scaler is refitted on the test rows
"""),
    py("""
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=600, random_state=0).fit(X_train, y_train)
mlp.score(X_test, y_test)
"""),
]

# 50. sneaker clean: scaler inside a pipeline, two models compared by CV on train, test once
NOTEBOOKS["sneaker_sellthrough"] = [
    md("# Will a listing sell within a week?\nCompare models by cross-validation on the training split; test once."),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split, cross_val_score

ls = pd.read_csv("listings_week.csv")
X = ls.drop(columns=["listing_id", "sold_7d"]).values
y = ls["sold_7d"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
    py("""
cands = {"lr": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)), "rf": RandomForestClassifier(300, random_state=0)}
cv_auc = {k: cross_val_score(m, X_train, y_train, cv=5, scoring="roc_auc").mean() for k, m in cands.items()}
best = max(cv_auc, key=cv_auc.get)
cv_auc
"""),
    py("""
model = cands[best].fit(X_train, y_train)
print(best, model.score(X_test, y_test))
"""),
]

# 51. freelancers: per freelancer many jobs, GroupKFold clean + target encoding inside folds
NOTEBOOKS["freelancer_job_rating"] = [
    md("# Client rating of freelance jobs\nMany jobs per freelancer: folds by freelancer, category encoding fitted inside each fold."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

jobs = pd.read_csv("jobs.csv")
"""),
    py("""
def encode(train, test, col, target):
    means = train.groupby(col)[target].mean()
    glob = train[target].mean()
    return train[col].map(means), test[col].map(means).fillna(glob)
"""),
    py("""
maes = []
for tr_idx, te_idx in GroupKFold(n_splits=5).split(jobs, groups=jobs["freelancer_id"]):
    tr, te = jobs.iloc[tr_idx].copy(), jobs.iloc[te_idx].copy()
    tr["cat_enc"], te["cat_enc"] = encode(tr, te, "category", "rating")
    cols = ["budget", "duration_d", "messages", "cat_enc"]
    m = RandomForestRegressor(200, random_state=0).fit(tr[cols], tr["rating"])
    maes.append(mean_absolute_error(te["rating"], m.predict(te[cols])))
np.mean(maes)
"""),
]

# 52. freelancers: category_encoders TargetEncoder on all data (preprocessing) + group split
NOTEBOOKS["freelancer_dispute_risk"] = [
    md("# Dispute risk for freelance contracts\nContracts; freelancers have many contracts each."),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

con = pd.read_csv("contracts.csv")
print(con["freelancer_id"].value_counts().describe())
y = con["disputed"]
X = con[["skill", "client_country", "budget", "milestones", "freelancer_level"]]
"""),
    py("""
te_enc = ce.TargetEncoder(cols=["skill", "client_country"], smoothing=5)
X_enc = te_enc.fit_transform(X, y)  #@ LEAK-PREPROCESSING | target encoder fitted on all contracts before the split
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X_enc, y, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | contracts of one freelancer on both sides of the split
clf = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
roc_auc_score(y_te, clf.predict_proba(X_te)[:, 1])
"""),
]
# 53. honey: out of order, feature list rebound so the label is in X in execution order (leak by order)
NOTEBOOKS["honey_adulteration"] = [
    md("# Honey adulteration from NMR peaks\nOne jar per row."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

jars = pd.read_csv("honey_nmr.csv")
""", 1),
    py("""
peaks = [c for c in jars.columns if c.startswith("ppm_")] + ["adulterated"]
jars[peaks].corr()["adulterated"].sort_values().tail(10)
""", 3),
    py("""
peaks = [c for c in jars.columns if c.startswith("ppm_")]
""", 2),
    py("""
X = jars[peaks]  #@ LEAK-TARGET-IN-FEATURES | in execution order peaks was last set with the label appended (In 3)
y = jars["adulterated"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
RandomForestClassifier(500, random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
""", 4),
]

# 54. olive oil: out of order, page reads "impute whole df then split", executed split first (clean)
NOTEBOOKS["olive_oil_grading"] = [
    md("# Extra-virgin grading from chemistry panel\nOne sample per row."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("olive_panel.csv")
chem = ["acidity", "peroxide", "k232", "k270", "polyphenols", "oleic_pct"]
""", 1),
    md("Impute missing chemistry with the median."),
    py("""
df[chem] = df[chem].fillna(df[chem].median())
""", 4),
    md("Hold out 20%."),
    py("""
df, holdout = train_test_split(df, test_size=0.2, stratify=df["grade"], random_state=0)
""", 2),
    py("""
df.describe()
""", 3),
    py("""
holdout = holdout.copy()
holdout[chem] = holdout[chem].fillna(df[chem].median())
clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, multi_class="multinomial"))
clf.fit(df[chem], df["grade"])
clf.score(holdout[chem], holdout["grade"])
""", 5),
]

# 55. street lights: out of order, imputation executed before split (leak by order)
NOTEBOOKS["streetlight_outages"] = [
    md("# Street light outage reports\nOne row per luminaire."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

lum = pd.read_csv("luminaires.csv")
""", 1),
    py("""
train, test = train_test_split(lum, test_size=0.2, random_state=0)
""", 3),
    py("""
lum["age_years"] = lum["age_years"].fillna(lum["age_years"].median())  #@ LEAK-PREPROCESSING | run (In 2) before the split cell (In 3): median over all luminaires
lum["burn_hours"] = lum["burn_hours"].fillna(0)
""", 2),
    py("""
cols = ["age_years", "burn_hours", "lamp_type_led", "pole_height", "salt_exposure"]
gb = GradientBoostingClassifier(random_state=0).fit(train[cols], train["outage_90d"])
roc_auc_score(test["outage_90d"], gb.predict_proba(test[cols])[:, 1])
""", 4),
]

# 56. swimming pools: clean; train/test stats, describe on full, scaler on train only
NOTEBOOKS["pool_chlorine_demand"] = [
    md("# Chlorine demand per public pool-day\nEach pool contributes one summer of days, so we hold out whole pools."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_absolute_error

pd_ = pd.read_csv("pool_days.csv")
pd_.describe(include="all")
"""),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=3)
i_tr, i_te = next(gss.split(pd_, groups=pd_["pool_id"]))
tr, te = pd_.iloc[i_tr], pd_.iloc[i_te]
cols = ["bathers", "uv_index", "water_temp", "rain_mm", "cya_ppm"]
sc = StandardScaler().fit(tr[cols])
"""),
    py("""
en = ElasticNet(alpha=0.05, l1_ratio=0.3).fit(sc.transform(tr[cols]), tr["cl_kg"])
mean_absolute_error(te["cl_kg"], en.predict(sc.transform(te[cols])))
"""),
]

# 57. golf: out of order: deployment refit cell sits at the top but ran last (clean)
NOTEBOOKS["golf_drive_distance"] = [
    md("# Drive distance from launch monitor data\nOne shot per amateur golfer in this fitting-day extract."),
    py("""
import joblib
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error

shots = pd.read_csv("launch_monitor.csv")
X = shots[["club_speed", "launch_deg", "spin_rpm", "attack_deg", "smash"]]
y = shots["carry_m"]
""", 1),
    md("## Production model (refit on everything)"),
    py("""
prod = make_pipeline(StandardScaler(), GradientBoostingRegressor(random_state=0)).fit(X, y)
joblib.dump(prod, "carry_model.joblib")
""", 4),
    md("## Evaluation"),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
""", 2),
    py("""
ev = make_pipeline(StandardScaler(), GradientBoostingRegressor(random_state=0)).fit(X_tr, y_tr)
mean_absolute_error(y_te, ev.predict(X_te))
""", 3),
]

# 58. translation quality: out of order SMOTE run before split (leak by order)
NOTEBOOKS["mt_quality_flags"] = [
    md("# Flagging bad machine translations\nSentence-level features from the QE pipeline; 8% flagged by reviewers."),
    py("""
import numpy as np
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

qe = pd.read_csv("qe_sentences.csv")
X = qe[["len_ratio", "lm_score_tgt", "align_cov", "oov_rate", "num_mismatch", "punct_diff"]].to_numpy()
y = qe["flagged"].to_numpy()
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)
""", 3),
    md("Class balance"),
    py("""
ros = RandomOverSampler(random_state=5)
X, y = ros.fit_resample(X, y)  #@ LEAK-OVERLAP | oversampling ran (In 2) before the split (In 3): copies of flagged sentences in both sets
np.bincount(y)
""", 2),
    py("""
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_train, y_train)
f1_score(y_test, rf.predict(X_test))
""", 4),
]

# 59. snow ploughs: GroupKFold by route but scaler fitted outside the CV (preprocessing)
NOTEBOOKS["snowplough_route_time"] = [
    md("# Snow plough route completion time\nRuns grouped by route; the scaler is fitted once up front."),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.model_selection import GroupKFold, cross_val_score

runs = pd.read_csv("plough_runs.csv")
cols = ["snow_cm", "temp_c", "route_km", "salt_t", "start_hour", "traffic_idx"]
"""),
    py("""
X = StandardScaler().fit_transform(runs[cols])  #@ LEAK-PREPROCESSING | scaler fitted on all runs outside the cross-validation
cross_val_score(SVR(C=10), X, runs["minutes"], cv=GroupKFold(5), groups=runs["route_id"], scoring="neg_mean_absolute_error").mean()
"""),
]

# 60. tattoo studio: bookings no-show, clean with ColumnTransformer GridSearch + final test
NOTEBOOKS["tattoo_no_shows"] = [
    md("# Tattoo appointment no-shows\nOne booking per client (first appointments only)."),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, train_test_split

bk = pd.read_csv("studio_bookings.csv").drop(columns=["client_id", "client_name"])
y = bk.pop("no_show")
X_tr, X_te, y_tr, y_te = train_test_split(bk, y, stratify=y, test_size=0.2, random_state=7)
"""),
    py("""
pre = ColumnTransformer([
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["artist", "style", "weekday"]),
    ("num", StandardScaler(), ["deposit_eur", "lead_days", "size_cm2"]),
])
search = GridSearchCV(Pipeline([("pre", pre), ("rf", RandomForestClassifier(random_state=0))]),
                      {"rf__max_depth": [4, 8, None], "rf__n_estimators": [200, 500]}, cv=5, scoring="roc_auc")
search.fit(X_tr, y_tr)
"""),
    py("""
print(search.best_params_, search.best_score_)
print("test AUC", search.score(X_te, y_te))
"""),
]

# 61. mushrooms: keras validation_data = test with early stopping (multi-test)
NOTEBOOKS["mushroom_species_cnn"] = [
    md("# Mushroom species from field photos\nForager uploads, one photo per find."),
    py("""
import numpy as np
from tensorflow import keras
from sklearn.model_selection import train_test_split

X = np.load("fungi_160.npy")
y = np.load("fungi_species.npy")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.15, stratify=y, random_state=0)
"""),
    py("""
base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(160, 160, 3), pooling="avg")
model = keras.Sequential([base, keras.layers.Dropout(0.3), keras.layers.Dense(24, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""),
    py("""
history = model.fit(  #@ LEAK-MULTI-TEST | early stopping and best weights chosen on the test photos
    X_train, y_train,
    validation_data=(X_test, y_test),
    epochs=60, batch_size=64,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=6, restore_best_weights=True)],
)
model.evaluate(X_test, y_test)
"""),
]

# 62. noise complaints: clean per-borough time split; rolling features by date
NOTEBOOKS["noise_complaint_volume"] = [
    md("# Daily noise complaints per district\nTrain until 2023, test on 2024."),
    py("""
import pandas as pd
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import mean_poisson_deviance

nc = pd.read_csv("noise_daily.csv", parse_dates=["date"]).sort_values(["district", "date"])
nc["lag7"] = nc.groupby("district")["complaints"].shift(7)
nc["roll28"] = nc.groupby("district")["complaints"].transform(lambda s: s.shift(1).rolling(28).mean())
nc = nc.dropna()
"""),
    py("""
train = nc[nc.date.dt.year <= 2023]
test = nc[nc.date.dt.year == 2024]
cols = ["lag7", "roll28", "is_weekend", "temp_max", "events"]
pr = PoissonRegressor(alpha=1e-3, max_iter=500).fit(train[cols], train["complaints"])
mean_poisson_deviance(test["complaints"], pr.predict(test[cols]))
"""),
]

# 63. karaoke: audio clips per singer, augmentation (pitch shift) before split (overlap)
NOTEBOOKS["karaoke_pitch_accuracy"] = [
    md("# Karaoke: in tune or not?\nMFCC summaries of 2 s clips; one clip per performance."),
    py("""
import numpy as np
import librosa
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline

clips = np.load("clips_raw.npy")  # (n, 32000) at 16 kHz
in_tune = np.load("in_tune.npy")
"""),
    py("""
def mfcc_summary(wave):
    m = librosa.feature.mfcc(y=wave, sr=16000, n_mfcc=20)
    return np.concatenate([m.mean(axis=1), m.std(axis=1)])

shifted = [librosa.effects.pitch_shift(c, sr=16000, n_steps=0.5) for c in clips]  #@ LEAK-OVERLAP | pitch-shifted copies made before splitting sit next to their originals
all_clips = list(clips) + shifted
labels = np.concatenate([in_tune, in_tune])
feats = np.array([mfcc_summary(c) for c in all_clips])
"""),
    py("""
F_tr, F_te, l_tr, l_te = train_test_split(feats, labels, test_size=0.2, random_state=0)
svm = make_pipeline(StandardScaler(), SVC(C=3)).fit(F_tr, l_tr)
svm.score(F_te, l_te)
"""),
]

# 64. karaoke clean: split first, augment train only
NOTEBOOKS["karaoke_song_difficulty"] = [
    md("# Song difficulty from vocal stems\nAugmentation applied after splitting, to training clips only."),
    py("""
import numpy as np
import librosa
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor

stems = np.load("stems.npy")
difficulty = np.load("difficulty.npy")
s_tr, s_te, d_tr, d_te = train_test_split(stems, difficulty, test_size=0.2, random_state=0)
"""),
    py("""
def feats(w):
    c = librosa.feature.chroma_stft(y=w, sr=16000)
    return np.concatenate([c.mean(1), c.std(1)])

s_aug = [librosa.effects.time_stretch(w, rate=1.1) for w in s_tr]
F_tr = np.array([feats(w) for w in list(s_tr) + s_aug])
y_tr = np.concatenate([d_tr, d_tr])
F_te = np.array([feats(w) for w in s_te])
"""),
    py("""
rf = RandomForestRegressor(400, random_state=0).fit(F_tr, y_tr)
rf.score(F_te, d_te)
"""),
]
# 65. desalination membranes: imputer fitted on the test frame (fit on test)
NOTEBOOKS["desal_membrane_fouling"] = [
    md("# RO membrane fouling alarm\nThe plant engineers gave us separate train/test exports (different modules)."),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

train = pd.read_csv("ro_modules_train.csv")
test = pd.read_csv("ro_modules_test.csv")
cols = ["feed_tds", "dp_bar", "flux_lmh", "sdi", "temp_c", "recovery_pct"]
"""),
    py("""
imp = SimpleImputer(strategy="median")
X_train = imp.fit_transform(train[cols])
imp_test = SimpleImputer(strategy="median").fit(test[cols])  #@ LEAK-FIT-ON-TEST | medians for the test rows come from the test rows
X_test = imp_test.transform(test[cols])
"""),
    py("""
lr = LogisticRegression(max_iter=1000).fit(X_train, train["fouled"])
roc_auc_score(test["fouled"], lr.predict_proba(X_test)[:, 1])
"""),
]

# 66. desalination clean: TimeSeriesSplit inside GridSearchCV with pipeline, last months held out
NOTEBOOKS["desal_energy_per_m3"] = [
    md("# Specific energy (kWh/m3) forecast\nHourly plant data; last 3 months held out, tuning with TimeSeriesSplit on the rest."),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

h = pd.read_parquet("plant_hourly.parquet").sort_values("ts")
h["sec_lag24"] = h["sec_kwh_m3"].shift(24)
h["feed_temp_roll6"] = h["feed_temp"].rolling(6).mean()
h = h.dropna()
cols = ["feed_temp", "feed_temp_roll6", "feed_tds", "sec_lag24", "recovery_pct"]
"""),
    py("""
hold = h["ts"] >= h["ts"].max() - pd.Timedelta(days=90)
dev, test = h[~hold], h[hold]
gs = GridSearchCV(make_pipeline(StandardScaler(), Ridge()), {"ridge__alpha": [0.1, 1, 10, 100]}, cv=TimeSeriesSplit(5), scoring="neg_mean_absolute_error")
gs.fit(dev[cols], dev["sec_kwh_m3"])
print(gs.best_params_, gs.score(test[cols], test["sec_kwh_m3"]))
"""),
]

# 67. railway track geometry: depth chosen on test inside a comprehension (multi-test)
NOTEBOOKS["rail_track_twist"] = [
    md("# Track twist exceedance (course lab)\nRecording-car segments, 200 m each, independent for this exercise."),
    py("""
import pandas as pd
from sklearn.tree import DecisionTreeRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error

seg = pd.read_csv("track_segments.csv")
X = seg[["curvature", "cant_mm", "speed_kmh", "tonnage_mgt", "ballast_age", "drainage_score"]]
y = seg["twist_mm"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
    md("**Q3.** Which tree depth is best?"),
    py("""
depths = range(2, 16)
rmse = {d: mean_squared_error(y_te, DecisionTreeRegressor(max_depth=d, random_state=0).fit(X_tr, y_tr).predict(X_te)) ** 0.5 for d in depths}  #@ LEAK-MULTI-TEST | depth picked by test RMSE
best_depth = min(rmse, key=rmse.get)
best_depth, rmse[best_depth]
"""),
]

# 68. pollen: daily counts, random sample() split (temporal)
NOTEBOOKS["pollen_birch_forecast"] = [
    md("# Birch pollen: tomorrow's count\nDaily station data 2010-2024, lagged counts as features."),
    py("""
import pandas as pd
import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

pol = pd.read_csv("birch_daily.csv", parse_dates=["date"]).set_index("date").asfreq("D")
pol["count_lag1"] = pol["count"].shift(1)
pol["count_lag2"] = pol["count"].shift(2)
pol["gdd_roll10"] = pol["gdd"].rolling(10).sum()
pol["target"] = pol["count"].shift(-1)
pol = pol.dropna()
"""),
    py("""
train = pol.sample(frac=0.8, random_state=1)  #@ LEAK-TEMPORAL-SPLIT | random 80% of days as training, the rest (interleaved) as test
test = pol.drop(train.index)
cols = ["count", "count_lag1", "count_lag2", "gdd_roll10", "rain_mm", "wind_ms"]
"""),
    py("""
rf = RandomForestRegressor(n_estimators=500, random_state=0).fit(train[cols], train["target"])
mean_absolute_error(test["target"], rf.predict(test[cols]))
"""),
]

# 69. pollen clean: iloc chronological cut
NOTEBOOKS["pollen_grass_season_peak"] = [
    md("# Grass pollen, next-day count\nLast two seasons held out."),
    py("""
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

g = pd.read_csv("grass_daily.csv", parse_dates=["date"]).sort_values("date").reset_index(drop=True)
g["lag1"] = g["count"].shift(1)
g["roll7"] = g["count"].shift(1).rolling(7).mean()
g = g.dropna().reset_index(drop=True)
"""),
    py("""
n_test = int(len(g) * 0.15)
train, test = g.iloc[:-n_test], g.iloc[-n_test:]
cols = ["lag1", "roll7", "tmax", "rain_mm", "doy"]
m = HistGradientBoostingRegressor(random_state=0).fit(train[cols], train["count"])
mean_absolute_error(test["count"], m.predict(test[cols]))
"""),
]

# 70. cheese aging: iloc keeps target column (target in features)
NOTEBOOKS["cheese_ripeness"] = [
    md("# Cheese ripeness score\nCSV columns: wheel_id, 14 sensor columns, ripeness (last)."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor

cheese = pd.read_csv("wheels.csv")
cheese.columns.tolist()
"""),
    py("""
X = cheese.iloc[:, 1:].values  #@ LEAK-TARGET-IN-FEATURES | slice 1: keeps the last column, ripeness
y = cheese.iloc[:, -1].values
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
GradientBoostingRegressor(random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
"""),
]

# 71. cheese clean: iloc 1:-1
NOTEBOOKS["cheese_rind_defects"] = [
    md("# Rind defect classification\nColumns: wheel_id, sensor features..., defect (last)."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

rind = pd.read_csv("rind_scans.csv")
X = rind.iloc[:, 1:-1].values
y = rind.iloc[:, -1].values
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
RandomForestClassifier(300, random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
"""),
]

# 72. wiki edits: discretiser fitted on the test edits (fit on test)
NOTEBOOKS["wiki_vandalism_edits"] = [
    md("# Vandalism detection on wiki edits\nProvided competition split: edits_train / edits_test."),
    py("""
import pandas as pd
from sklearn.preprocessing import KBinsDiscretizer
from sklearn.naive_bayes import CategoricalNB
from sklearn.metrics import roc_auc_score

tr = pd.read_csv("edits_train.csv")
te = pd.read_csv("edits_test.csv")
cols = ["chars_added", "chars_removed", "caps_ratio", "bad_words", "editor_edits", "anon"]
"""),
    py("""
kb = KBinsDiscretizer(n_bins=8, encode="ordinal", strategy="quantile")
Xtr = kb.fit_transform(tr[cols])
kb_te = KBinsDiscretizer(n_bins=8, encode="ordinal", strategy="quantile")
Xte = kb_te.fit_transform(te[cols])  #@ LEAK-FIT-ON-TEST | quantile bins of the test set learned from the test set
"""),
    py("""
nb = CategoricalNB().fit(Xtr, tr["vandal"])
roc_auc_score(te["vandal"], nb.predict_proba(Xte)[:, 1])
"""),
]

# 73. shellfish toxins: manual duplication before split + models compared on test (two leaks)
NOTEBOOKS["shellfish_toxin_closures"] = [
    md("# Shellfish toxin (PSP) exceedance\nIndependent lab samples; toxic samples are rare, so the analyst triples them."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.metrics import recall_score

s = pd.read_csv("psp_samples.csv")
toxic = s[s["exceeds"] == 1]
"""),
    py("""
s_bal = pd.concat([s, toxic, toxic], ignore_index=True)  #@ LEAK-OVERLAP | toxic samples duplicated before the split
X = s_bal[["water_temp", "salinity", "chl_a", "dinoflag_cells", "days_since_rain"]]
y = s_bal["exceeds"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
    py("""
for clf in [LogisticRegression(max_iter=1000), RandomForestClassifier(300, random_state=0), GradientBoostingClassifier(random_state=0)]:
    clf.fit(X_tr, y_tr)
    print(type(clf).__name__, recall_score(y_te, clf.predict(X_te)))  #@ LEAK-MULTI-TEST | three models compared on test recall
"""),
]

# 74. tutoring clean: group split, model comparison with GroupKFold on train, one test score
NOTEBOOKS["tutoring_session_gain"] = [
    md("# Learning gain per tutoring session\nMany sessions per student."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit, GroupKFold, cross_val_score
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor

ses = pd.read_csv("sessions.csv")
outer = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr_i, te_i = next(outer.split(ses, groups=ses["student_id"]))
tr, te = ses.iloc[tr_i], ses.iloc[te_i]
cols = ["minutes", "pre_score", "tutor_years", "problems_done", "hint_rate"]
"""),
    py("""
models = {"ridge": Ridge(1.0), "rf": RandomForestRegressor(300, random_state=0)}
cv_r2 = {k: cross_val_score(m, tr[cols], tr["gain"], cv=GroupKFold(5), groups=tr["student_id"]).mean() for k, m in models.items()}
pick = max(cv_r2, key=cv_r2.get)
print(cv_r2, pick)
"""),
    py("""
final = models[pick].fit(tr[cols], tr["gain"])
final.score(te[cols], te["gain"])
"""),
]

# 75. ice rinks clean: target excluded via a list of leakage columns
NOTEBOOKS["icerink_resurfacing"] = [
    md("# Ice quality after resurfacing\nOne row per rink inspection visit (inspectors visit each rink once)."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

ins = pd.read_csv("rink_inspections.csv")
drop_cols = ["inspection_id", "inspector", "quality_ok", "quality_score"]
X = ins.drop(columns=drop_cols)
y = ins["quality_ok"]
"""),
    py("""
X = pd.get_dummies(X, columns=["machine_model", "rink_type"])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
RandomForestClassifier(300, random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
"""),
]

# 76. archery: EDA on whole frame, id dropped, scaler fit on train only
NOTEBOOKS["archery_score_model"] = [
    md("# Archery: end score from bow sensor data\nKaggle-ish EDA, then one model. One end per archer in this competition extract."),
    py("""
import pandas as pd
import seaborn as sns
import matplotlib.pyplot as plt
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

arc = pd.read_csv("archery_ends.csv")
arc.info()
"""),
    py("""
sns.heatmap(arc.drop(columns=["archer_id"]).corr(), cmap="vlag")
plt.title("Correlations (all ends)")
arc["end_score"].value_counts().sort_index()
"""),
    py("""
arc = arc.drop(columns=["archer_id"])
X = arc.drop(columns=["end_score"])
y = arc["end_score"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=12)
scaler = StandardScaler().fit(X_train)
"""),
    py("""
ridge = Ridge(alpha=2.0).fit(scaler.transform(X_train), y_train)
ridge.score(scaler.transform(X_test), y_test)
"""),
]

# 77. tutoring: shuffled KFold built inline over many sessions per student (group)
NOTEBOOKS["tutoring_dropout_risk"] = [
    md("# Will a student cancel the next tutoring session?\nSession log, ~30 sessions per student."),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score

log = pd.read_csv("session_log.csv")
log.groupby("student_id").size().describe()
"""),
    py("""
X = log[["days_since_last", "missed_before", "homework_done", "parent_contact", "price_eur"]]
y = log["cancel_next"]
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
cross_val_score(pipe, X, y, cv=KFold(n_splits=5, shuffle=True, random_state=0), scoring="roc_auc").mean()  #@ LEAK-GROUP-SPLIT | shuffled folds put one student's sessions on both sides
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
