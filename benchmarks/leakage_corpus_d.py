"""Held-out corpus D for the code-level leakage check: realistic notebooks written blind.

Written without reading the detector's source, its tests or the other corpora: 40+ notebooks in the
style of Kaggle kernels, course labs and analytics-team reports, on domains the earlier corpora do
not use (crop yields, airline delays, music genres, hotel bookings, manufacturing defects, station
rainfall, bike sharing, legal documents, retail baskets, speaker embeddings, hospital readmissions,
crypto prices). About half leak; the rest are clean look-alikes (Pipelines in CV, fit on train
only, imblearn Pipelines, chronological and group splits, groupby features on id-like columns, helpers
with fit flags, ``get_dummies`` after dropping the label, a refit on all data after evaluation).

Each leak is marked in the source below by a trailing ``#@ RULE | why`` comment on the first line
of the leaking statement (for a label left among the features: the line that builds ``X``); the
marker is stripped before the notebook is written, and its cell index (markdown included) and
1-based line become the label. Code cells get execution counts in display order.

    python benchmarks/leakage_corpus_d.py [DIR]
"""

# Notebook sources below are kept as written in a notebook (long lines included):
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import Spec, main, md, py
from leakage_corpus_kit import build as build_corpus

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-d"

NOTEBOOKS: dict[str, list[Spec]] = {}

# ---------------------------------------------------------------- LEAK-PREPROCESSING (leaky)
NOTEBOOKS["crop_yield_scaler_before_split"] = [
    md("# Crop yield regression\nPredict tonnes per hectare from soil and weather."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
"""),
    py("""
df = pd.read_csv("crop_yield.csv")
df = df.dropna(subset=["yield_t_ha"])
df.describe()
"""),
    py("""
X = df[["rainfall_mm", "avg_temp", "pesticides_t", "soil_ph", "nitrogen"]]
y = df["yield_t_ha"]
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all rows before the split
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=42)
model = Ridge(alpha=1.0).fit(X_train, y_train)
print("R2 test:", model.score(X_test, y_test))
"""),
]

NOTEBOOKS["airline_delay_imputer_full"] = [
    md("## Flight delay > 15 min classifier (course lab 4)"),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
    py("""
flights = pd.read_csv("flights_2019_sample.csv")
flights["delayed"] = (flights["arr_delay"] > 15).astype(int)
num_cols = ["dep_hour", "distance", "taxi_out", "carrier_delay_hist", "weather_index"]
"""),
    md("Fill the missing numeric values with the median."),
    py("""
imp = SimpleImputer(strategy="median")
flights[num_cols] = imp.fit_transform(flights[num_cols])  #@ LEAK-PREPROCESSING | imputer medians computed on all flights, test included
"""),
    py("""
X = flights[num_cols]
y = flights["delayed"]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, n_jobs=-1, random_state=0)
rf.fit(X_tr, y_tr)
print(f1_score(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["legal_docs_tfidf_before_split"] = [
    md("# Contract clause classification\nTF-IDF + logistic regression baseline."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report
"""),
    py("""
clauses = pd.read_json("clauses.jsonl", lines=True)
clauses["text"] = clauses["text"].str.lower().str.replace(r"\\s+", " ", regex=True)
labels = clauses["clause_type"]
"""),
    py("""
tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
X = tfidf.fit_transform(clauses["text"])  #@ LEAK-PREPROCESSING | vocabulary and idf learned on every clause, test included
print(X.shape)
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, labels, test_size=0.2, random_state=7)
clf = LogisticRegression(max_iter=2000, C=4.0)
clf.fit(X_train, y_train)
print(classification_report(y_test, clf.predict(X_test)))
"""),
]

NOTEBOOKS["hotel_cancel_scaled_then_cv"] = [
    md("# Hotel booking cancellations\n5-fold CV of an SVM."),
    py("""
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
from sklearn.model_selection import cross_val_score, StratifiedKFold
"""),
    py("""
bookings = pd.read_csv("hotel_bookings.csv")
features = ["lead_time", "adr", "stays_in_week_nights", "total_of_special_requests",
            "previous_cancellations", "booking_changes"]
X = bookings[features].fillna(0)
y = bookings["is_canceled"]
"""),
    py("""
X = MinMaxScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all rows outside the CV pipeline
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
scores = cross_val_score(SVC(C=2.0), X, y, cv=cv, scoring="roc_auc")
print(scores.mean(), scores.std())
"""),
]

NOTEBOOKS["music_genre_pca_selectk"] = [
    md("# Music genre from audio features\nKaggle: spotify-tracks genre"),
    py("""
import pandas as pd
import numpy as np
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
"""),
    py("""
tracks = pd.read_csv("tracks_features.csv")
audio = ["danceability", "energy", "loudness", "speechiness", "acousticness",
         "instrumentalness", "liveness", "valence", "tempo"]
X = tracks[audio].values
y = tracks["genre"].values
"""),
    py("""
pca = PCA(n_components=6, random_state=3)
X_pca = pca.fit_transform(X)  #@ LEAK-PREPROCESSING | PCA fitted on every track before the split
print(pca.explained_variance_ratio_.cumsum())
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_pca, y, test_size=0.3, random_state=3)
knn = KNeighborsClassifier(n_neighbors=15).fit(X_train, y_train)
print("accuracy", knn.score(X_test, y_test))
"""),
]

NOTEBOOKS["defects_machine_target_encoding"] = [
    md("# Manufacturing defect prediction\nMean-encode the machine id with the defect rate."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
"""),
    py("""
parts = pd.read_csv("line3_parts.csv")
parts["machine_defect_rate"] = parts.groupby("machine")["defect"].transform("mean")  #@ LEAK-PREPROCESSING | target mean encoding over all rows, test rows included
parts["shift_night"] = (parts["shift"] == "N").astype(int)
"""),
    py("""
X = parts[["machine_defect_rate", "shift_night", "spindle_temp", "vibration_rms", "torque"]]
y = parts["defect"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=11)
gb = GradientBoostingClassifier(random_state=11).fit(X_train, y_train)
print(roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1]))
"""),
]

# ---------------------------------------------------------------- LEAK-OVERLAP (leaky)
NOTEBOOKS["readmission_smote_before_split"] = [
    md("# 30-day readmission (admission level)\nClasses are imbalanced, so balance with SMOTE."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
"""),
    py("""
adm = pd.read_csv("admissions_encoded.csv")
X = adm.drop(columns=["readmitted_30d"])
y = adm["readmitted_30d"]
print(y.value_counts(normalize=True))
"""),
    py("""
sm = SMOTE(random_state=42)
X_res, y_res = sm.fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic rows interpolated from rows that end up in the test set
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.2, random_state=42)
"""),
    py("""
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print("recall", recall_score(y_test, lr.predict(X_test)))
"""),
]

NOTEBOOKS["defects_manual_upsample"] = [
    md("# Weld defect classifier\nUpsample the rare defect class by hand."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
"""),
    py("""
welds = pd.read_parquet("welds.parquet")
majority = welds[welds["defect"] == 0]
minority = welds[welds["defect"] == 1]
"""),
    py("""
minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=5)
balanced = pd.concat([majority, minority_up])  #@ LEAK-OVERLAP | duplicated defect rows before the split land on both sides
"""),
    py("""
X = balanced.drop(columns=["defect"])
y = balanced["defect"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5)
et = ExtraTreesClassifier(n_estimators=400, random_state=5).fit(X_train, y_train)
print(et.score(X_test, y_test))
"""),
]

NOTEBOOKS["speech_noise_augment_then_split"] = [
    md("# Keyword spotting on embeddings\nAugment by adding Gaussian noise to each embedding."),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
rng = np.random.default_rng(0)
"""),
    py("""
emb = np.load("keyword_embeddings.npy")
kw = np.load("keyword_labels.npy")
"""),
    py("""
noisy = emb + rng.normal(0, 0.05, size=emb.shape)
X_all = np.vstack([emb, noisy])  #@ LEAK-OVERLAP | augmented copies of every clip stacked before the split
y_all = np.concatenate([kw, kw])
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_all, y_all, test_size=0.2, random_state=0)
mlp = MLPClassifier(hidden_layer_sizes=(256,), max_iter=200, random_state=0)
mlp.fit(X_train, y_train)
print(mlp.score(X_test, y_test))
"""),
]

NOTEBOOKS["bikeshare_fit_all_then_eval"] = [
    md("# Bike sharing: daily rentals\nQuick random forest."),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
    py("""
day = pd.read_csv("bike_day.csv")
X = day[["season", "holiday", "workingday", "weathersit", "temp", "hum", "windspeed"]]
y = day["cnt"]
"""),
    py("""
rf = RandomForestRegressor(n_estimators=200, random_state=1)
rf.fit(X, y)  #@ LEAK-OVERLAP | model fitted on all days, then scored on a split of the same days
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
print("MAE", mean_absolute_error(y_test, rf.predict(X_test)))
"""),
]

NOTEBOOKS["retail_ros_before_split"] = [
    md("# Will the basket contain a promo item?"),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
"""),
    py("""
baskets = pd.read_csv("basket_level.csv")
X = baskets[["n_items", "basket_value", "n_categories", "hour", "weekday"]]
y = baskets["has_promo"]
"""),
    py("""
X_bal, y_bal = RandomOverSampler(random_state=2).fit_resample(X, y)  #@ LEAK-OVERLAP | oversampled duplicates before the split
X_train, X_test, y_train, y_test = train_test_split(X_bal, y_bal, random_state=2)
tree = DecisionTreeClassifier(max_depth=6).fit(X_train, y_train)
print(tree.score(X_test, y_test))
"""),
]

# ---------------------------------------------------------------- LEAK-MULTI-TEST (leaky)
NOTEBOOKS["music_genre_pick_best_on_test"] = [
    md("# Genre classifier bake-off"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.metrics import accuracy_score
"""),
    py("""
tracks = pd.read_csv("genre_tracks.csv")
X = tracks.drop(columns=["genre", "track_id"])
y = tracks["genre"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)
"""),
    py("""
candidates = {
    "logreg": LogisticRegression(max_iter=3000),
    "rf": RandomForestClassifier(n_estimators=300, random_state=4),
    "gb": GradientBoostingClassifier(random_state=4),
}
results = {}
for name, est in candidates.items():
    est.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, est.predict(X_test))  #@ LEAK-MULTI-TEST | each candidate scored on the test set to pick the best
best_name = max(results, key=results.get)
print(best_name, results[best_name])
"""),
]

NOTEBOOKS["hotel_adr_early_stopping_test"] = [
    md("# Hotel ADR forecast with LightGBM"),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error
"""),
    py("""
h = pd.read_csv("hotel_bookings_clean.csv")
X = h[["lead_time", "stays_in_weekend_nights", "adults", "children", "is_repeated_guest",
       "required_car_parking_spaces"]]
y = h["adr"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=9)
"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.03)
model.fit(X_train, y_train, eval_set=[(X_test, y_test)],  #@ LEAK-MULTI-TEST | early stopping watches the test set
          callbacks=[lgb.early_stopping(100)])
print(mean_squared_error(y_test, model.predict(X_test)) ** 0.5)
"""),
]

NOTEBOOKS["rainfall_alpha_sweep_on_test"] = [
    md("# Station rainfall (mm) regression\nTune alpha."),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import Lasso
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score
"""),
    py("""
st = pd.read_csv("station_monthly.csv")
X = st[["humidity", "pressure", "cloud_cover", "wind_speed", "elevation"]]
y = st["rain_mm"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=21)
"""),
    py("""
best_alpha, best_r2 = None, -np.inf
for alpha in [0.001, 0.01, 0.1, 1.0, 10.0]:
    m = Lasso(alpha=alpha).fit(X_train, y_train)
    r2 = r2_score(y_test, m.predict(X_test))  #@ LEAK-MULTI-TEST | alpha chosen by the test-set R2
    if r2 > best_r2:
        best_alpha, best_r2 = alpha, r2
print(best_alpha, best_r2)
"""),
]

NOTEBOOKS["legal_docs_gridsearch_on_test"] = [
    md("# Clause type: tune C"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
"""),
    py("""
docs = pd.read_csv("legal_clauses.csv")
train_docs, test_docs, y_train, y_test = train_test_split(
    docs["text"], docs["label"], test_size=0.2, random_state=13)
vec = TfidfVectorizer(min_df=2)
Xtr = vec.fit_transform(train_docs)
Xte = vec.transform(test_docs)
"""),
    py("""
scores = []
for C in (0.1, 0.3, 1, 3, 10):
    svc = LinearSVC(C=C).fit(Xtr, y_train)
    scores.append((svc.score(Xte, y_test), C))  #@ LEAK-MULTI-TEST | C selected on the test set
best_score, best_C = max(scores)
final = LinearSVC(C=best_C).fit(Xtr, y_train)
print("test accuracy", final.score(Xte, y_test))
"""),
]

# ---------------------------------------------------------------- LEAK-FIT-ON-TEST (leaky)
NOTEBOOKS["crop_yield_refit_scaler_on_test"] = [
    md("# Crop yield: scaled ridge"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
"""),
    py("""
farms = pd.read_csv("farm_plots.csv")
X = farms[["rain_mm", "gdd", "n_kg_ha", "p_kg_ha", "soil_om"]]
y = farms["yield_t_ha"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
"""),
    py("""
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | scaler refitted on the test set
"""),
    py("""
print(Ridge().fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["legal_docs_vectorizer_fit_test"] = [
    md("# Court opinion outcome (affirmed / reversed)"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
"""),
    py("""
train = pd.read_csv("opinions_train.csv")
test = pd.read_csv("opinions_test.csv")
"""),
    py("""
cv = CountVectorizer(stop_words="english", max_features=20000)
X_train = cv.fit_transform(train["text"])
"""),
    py("""
cv.fit(test["text"])  #@ LEAK-FIT-ON-TEST | vectorizer refitted on the test opinions
X_test = cv.transform(test["text"])
nb = MultinomialNB().fit(X_train, train["outcome"])
"""),
]

NOTEBOOKS["airline_impute_test_separately"] = [
    md("# Airline delay minutes: impute then boost"),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import train_test_split
"""),
    py("""
fl = pd.read_csv("delays.csv")
cols = ["dep_hour", "distance", "taxi_out", "origin_congestion"]
X_train, X_test, y_train, y_test = train_test_split(fl[cols], fl["arr_delay"], random_state=3)
"""),
    py("""
imp_train = SimpleImputer(strategy="mean")
X_train = imp_train.fit_transform(X_train)
imp_test = SimpleImputer(strategy="mean")
X_test = imp_test.fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | a second imputer fitted on the test rows
"""),
    py("""
hgb = HistGradientBoostingRegressor().fit(X_train, y_train)
print(hgb.score(X_test, y_test))
"""),
]

NOTEBOOKS["hotel_encoder_fit_on_test"] = [
    md("# Hotel cancellations: one-hot encode categoricals"),
    py("""
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
"""),
    py("""
bk = pd.read_csv("bookings.csv")
cats = ["hotel", "meal", "market_segment", "deposit_type", "customer_type"]
X_train, X_test, y_train, y_test = train_test_split(bk[cats], bk["is_canceled"], random_state=0)
"""),
    py("""
enc = OneHotEncoder(handle_unknown="ignore")
Xtr = enc.fit_transform(X_train)
clf = LogisticRegression(max_iter=500).fit(Xtr, y_train)
"""),
    py("""
enc_test = OneHotEncoder(handle_unknown="ignore").fit(X_test)  #@ LEAK-FIT-ON-TEST | encoder fitted on the test categories
Xte = enc_test.transform(X_test)
"""),
]

NOTEBOOKS["rainfall_helper_fit_flag_wrong"] = [
    md("# Rainfall: preprocessing helper"),
    py("""
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
scaler = RobustScaler()

def prepare(frame, fit=False):
    cols = ["humidity", "pressure", "dew_point", "wind_gust"]
    if fit:
        return scaler.fit_transform(frame[cols])
    return scaler.transform(frame[cols])
"""),
    py("""
obs = pd.read_csv("station_obs.csv")
train_df, test_df = train_test_split(obs, test_size=0.2, random_state=17)
X_train = prepare(train_df, fit=True)
X_test = prepare(test_df, fit=True)  #@ LEAK-FIT-ON-TEST | helper called with fit=True on the test frame
"""),
    py("""
rfr = RandomForestRegressor(random_state=17).fit(X_train, train_df["rain_mm"])
print(rfr.score(X_test, test_df["rain_mm"]))
"""),
]

# ---------------------------------------------------------------- LEAK-TEMPORAL-SPLIT (leaky)
NOTEBOOKS["crypto_next_day_random_split"] = [
    md("# BTC next-day direction\nLag features from the daily close."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
btc = pd.read_csv("btc_daily.csv", parse_dates=["date"]).sort_values("date")
for lag in (1, 2, 3, 7):
    btc[f"ret_lag{lag}"] = btc["close"].pct_change(lag)
btc["vol_7d"] = btc["close"].pct_change().rolling(7).std()
btc["up_next"] = (btc["close"].shift(-1) > btc["close"]).astype(int)
btc = btc.dropna()
"""),
    py("""
X = btc[["ret_lag1", "ret_lag2", "ret_lag3", "ret_lag7", "vol_7d"]]
y = btc["up_next"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a daily price series
clf = RandomForestClassifier(random_state=1).fit(X_train, y_train)
print(clf.score(X_test, y_test))
"""),
]

NOTEBOOKS["rainfall_daily_random_split"] = [
    md("# Tomorrow's rain at one weather station"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
wx = pd.read_csv("station_042_daily.csv", parse_dates=["Date"], index_col="Date").sort_index()
wx["rain_yesterday"] = wx["rain_mm"].shift(1)
wx["humidity_3d"] = wx["humidity"].rolling(3).mean()
wx["rain_tomorrow"] = (wx["rain_mm"].shift(-1) > 1.0).astype(int)
wx = wx.dropna()
"""),
    py("""
features = ["rain_yesterday", "humidity_3d", "pressure", "temp_max", "temp_min"]
train, test = train_test_split(wx, test_size=0.25, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | random split of a daily time series
lr = LogisticRegression(max_iter=1000).fit(train[features], train["rain_tomorrow"])
print(lr.score(test[features], test["rain_tomorrow"]))
"""),
]

NOTEBOOKS["bikeshare_hourly_shuffled_kfold"] = [
    md("# Hourly bike demand forecast"),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import GradientBoostingRegressor
"""),
    py("""
hour = pd.read_csv("bike_hour.csv", parse_dates=["dteday"])
hour = hour.sort_values(["dteday", "hr"])
hour["cnt_lag_1h"] = hour["cnt"].shift(1)
hour["cnt_lag_24h"] = hour["cnt"].shift(24)
hour = hour.dropna()
X = hour[["hr", "temp", "hum", "windspeed", "cnt_lag_1h", "cnt_lag_24h"]]
y = hour["cnt"]
"""),
    py("""
kf = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds on an hourly series with lag features
print(cross_val_score(GradientBoostingRegressor(), X, y, cv=kf, scoring="r2").mean())
"""),
]

NOTEBOOKS["airline_monthly_delays_random"] = [
    md("# Forecast monthly average delay at ORD"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
"""),
    py("""
m = pd.read_csv("ord_monthly_delays.csv", parse_dates=["month"])
m = m.sort_values("month").reset_index(drop=True)
m["delay_prev_month"] = m["avg_delay"].shift(1)
m["delay_12m_avg"] = m["avg_delay"].shift(1).rolling(12).mean()
m = m.dropna()
"""),
    py("""
X = m[["delay_prev_month", "delay_12m_avg", "n_flights", "precip_days"]]
y = m["avg_delay"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  #@ LEAK-TEMPORAL-SPLIT | random split of a monthly series with lagged targets
print(Ridge().fit(X_train, y_train).score(X_test, y_test))
"""),
]

# ---------------------------------------------------------------- LEAK-TARGET-IN-FEATURES (leaky)
NOTEBOOKS["crop_yield_drop_only_ids"] = [
    md("# Yield model: all numeric columns"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
plots = pd.read_csv("plot_season.csv")
y = plots["yield_t_ha"]
X = plots.drop(columns=["plot_id", "season"])  #@ LEAK-TARGET-IN-FEATURES | only ids dropped, yield_t_ha stays in X
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
print(RandomForestRegressor(random_state=2).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["readmit_feature_list_has_label"] = [
    md("# Readmission: hand-picked features"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
enc = pd.read_csv("encounters_flat.csv")
FEATURES = ["age", "num_lab_procedures", "num_medications", "number_inpatient",
            "time_in_hospital", "readmitted", "number_diagnoses"]
TARGET = "readmitted"
"""),
    py("""
X = enc[FEATURES]  #@ LEAK-TARGET-IN-FEATURES | the feature list contains the label column
y = enc[TARGET]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
print(LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["defects_select_dtypes_number"] = [
    md("# Defect flag from sensor summary (numeric columns only)"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
batches = pd.read_csv("batch_summary.csv")
batches["defect"] = batches["defect"].astype(int)
y = batches["defect"]
X = batches.select_dtypes(include="number")  #@ LEAK-TARGET-IN-FEATURES | numeric selection keeps the integer defect label
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=4)
print(RandomForestClassifier(random_state=4).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["hotel_columns_minus_wrong_col"] = [
    md("# Cancellation model on every column"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
"""),
    py("""
hb = pd.read_csv("hotel_numeric.csv")
target = "is_canceled"
cols = [c for c in hb.columns if c != "reservation_status"]
X = hb[cols]  #@ LEAK-TARGET-IN-FEATURES | only reservation_status removed, is_canceled stays among the features
y = hb[target]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=6)
print(DecisionTreeClassifier(max_depth=5).fit(X_train, y_train).score(X_test, y_test))
"""),
]

# ---------------------------------------------------------------- LEAK-GROUP-SPLIT (leaky)
NOTEBOOKS["readmission_patients_random_split"] = [
    md("# Readmission risk\nOne row per admission; patients come back several times."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
"""),
    py("""
adm = pd.read_csv("admissions.csv")
print(adm["patient_id"].value_counts().describe())
X = adm.drop(columns=["readmitted_30d", "patient_id", "admission_id"])
y = adm["readmitted_30d"]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)  #@ LEAK-GROUP-SPLIT | admissions of one patient on both sides
clf = HistGradientBoostingClassifier().fit(X_train, y_train)
print(clf.score(X_test, y_test))
"""),
]

NOTEBOOKS["speaker_utterances_random_split"] = [
    md("# Emotion from speech embeddings\nEach speaker recorded ~60 utterances."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
"""),
    py("""
meta = pd.read_csv("utterances.csv")
emb = np.load("utterance_embeddings.npy")
speakers = meta["speaker_id"].values
y = meta["emotion"].values
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(emb, y, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | utterances of one speaker on both sides
svc = SVC(C=10).fit(X_train, y_train)
print(svc.score(X_test, y_test))
"""),
]

NOTEBOOKS["speaker_kfold_no_groups"] = [
    md("# Speaker-independent gender classifier?"),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.linear_model import LogisticRegression
"""),
    py("""
df = pd.read_parquet("voice_embeddings.parquet")
emb_cols = [c for c in df.columns if c.startswith("e_")]
X = df[emb_cols]
y = df["gender"]
groups = df["speaker"]
"""),
    py("""
cv = KFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_val_score(LogisticRegression(max_iter=2000), X, y, cv=cv)  #@ LEAK-GROUP-SPLIT | KFold ignores the speaker groups defined above
print(scores.mean())
"""),
]

NOTEBOOKS["music_listener_sessions_random"] = [
    md("# Skip prediction\nListening events, many per user."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
ev = pd.read_csv("listening_events.csv")
X = ev[["user_id", "track_popularity", "position_in_session", "hour"]]
y = ev["skipped"]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)  #@ LEAK-GROUP-SPLIT | events of one user on both sides
print(RandomForestClassifier(random_state=5).fit(X_train, y_train).score(X_test, y_test))
"""),
]

# ---------------------------------------------------------------- clean look-alikes
NOTEBOOKS["clean_crop_yield_pipeline_cv"] = [
    md("# Crop yield: scaler inside the pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score, KFold
"""),
    py("""
df = pd.read_csv("crop_yield.csv").dropna(subset=["yield_t_ha"])
X = df[["rainfall_mm", "avg_temp", "pesticides_t", "soil_ph", "nitrogen"]]
y = df["yield_t_ha"]
"""),
    py("""
pipe = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
scores = cross_val_score(pipe, X, y, cv=KFold(5, shuffle=True, random_state=0), scoring="r2")
print(scores.mean())
"""),
]

NOTEBOOKS["clean_airline_imputer_train_only"] = [
    md("## Flight delay classifier, imputer fitted on train"),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
    py("""
flights = pd.read_csv("flights_2019_sample.csv")
flights["delayed"] = (flights["arr_delay"] > 15).astype(int)
num_cols = ["dep_hour", "distance", "taxi_out", "carrier_delay_hist", "weather_index"]
X_tr, X_te, y_tr, y_te = train_test_split(flights[num_cols], flights["delayed"], test_size=0.25,
                                          stratify=flights["delayed"], random_state=0)
"""),
    py("""
imp = SimpleImputer(strategy="median")
X_tr = imp.fit_transform(X_tr)
X_te = imp.transform(X_te)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_tr, y_tr)
print(f1_score(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["clean_legal_tfidf_pipeline"] = [
    md("# Contract clause classification (pipeline)"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split, GridSearchCV
"""),
    py("""
clauses = pd.read_json("clauses.jsonl", lines=True)
X_train, X_test, y_train, y_test = train_test_split(
    clauses["text"], clauses["clause_type"], test_size=0.2, random_state=7)
"""),
    py("""
pipe = Pipeline([("tfidf", TfidfVectorizer(sublinear_tf=True)),
                 ("clf", LogisticRegression(max_iter=2000))])
grid = GridSearchCV(pipe, {"tfidf__ngram_range": [(1, 1), (1, 2)], "clf__C": [1, 4, 16]}, cv=5)
grid.fit(X_train, y_train)
print(grid.best_params_, grid.score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_readmission_imblearn_pipeline"] = [
    md("# Readmission with SMOTE inside an imblearn pipeline"),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, StratifiedKFold
"""),
    py("""
adm = pd.read_csv("admissions_encoded.csv")
X = adm.drop(columns=["readmitted_30d"])
y = adm["readmitted_30d"]
"""),
    py("""
pipe = Pipeline([("scale", StandardScaler()), ("smote", SMOTE(random_state=42)),
                 ("lr", LogisticRegression(max_iter=1000))])
print(cross_val_score(pipe, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=42),
                      scoring="recall").mean())
"""),
]

NOTEBOOKS["clean_defects_smote_train_only"] = [
    md("# Weld defects: oversample the training split only"),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
"""),
    py("""
welds = pd.read_parquet("welds.parquet")
X = welds.drop(columns=["defect"])
y = welds["defect"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=5)
"""),
    py("""
X_train_bal, y_train_bal = SMOTE(random_state=5).fit_resample(X_train, y_train)
et = ExtraTreesClassifier(n_estimators=400, random_state=5).fit(X_train_bal, y_train_bal)
print(et.score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_crypto_chronological_split"] = [
    md("# BTC next-day direction, chronological hold-out"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
btc = pd.read_csv("btc_daily.csv", parse_dates=["date"]).sort_values("date")
for lag in (1, 2, 3, 7):
    btc[f"ret_lag{lag}"] = btc["close"].pct_change(lag)
btc["up_next"] = (btc["close"].shift(-1) > btc["close"]).astype(int)
btc = btc.dropna()
X = btc[["ret_lag1", "ret_lag2", "ret_lag3", "ret_lag7"]]
y = btc["up_next"]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
clf = RandomForestClassifier(random_state=1).fit(X_train, y_train)
print(clf.score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_rainfall_timeseries_split"] = [
    md("# Tomorrow's rain, walk-forward validation"),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.linear_model import LogisticRegression
"""),
    py("""
wx = pd.read_csv("station_042_daily.csv", parse_dates=["Date"], index_col="Date").sort_index()
wx["rain_yesterday"] = wx["rain_mm"].shift(1)
wx["rain_tomorrow"] = (wx["rain_mm"].shift(-1) > 1.0).astype(int)
wx = wx.dropna()
X = wx[["rain_yesterday", "humidity", "pressure", "temp_max"]]
y = wx["rain_tomorrow"]
"""),
    py("""
tscv = TimeSeriesSplit(n_splits=5)
print(cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=tscv).mean())
"""),
]

NOTEBOOKS["clean_bikeshare_cutoff_date"] = [
    md("# Hourly bike demand: train on 2011, test on 2012"),
    py("""
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
hour = pd.read_csv("bike_hour.csv", parse_dates=["dteday"]).sort_values(["dteday", "hr"])
hour["cnt_lag_24h"] = hour["cnt"].shift(24)
hour = hour.dropna()
feats = ["hr", "temp", "hum", "windspeed", "cnt_lag_24h"]
train = hour[hour["dteday"] < "2012-01-01"]
test = hour[hour["dteday"] >= "2012-01-01"]
"""),
    py("""
gbr = GradientBoostingRegressor(random_state=0).fit(train[feats], train["cnt"])
print(mean_absolute_error(test["cnt"], gbr.predict(test[feats])))
"""),
]

NOTEBOOKS["clean_readmission_group_shuffle"] = [
    md("# Readmission risk, split by patient"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingClassifier
"""),
    py("""
adm = pd.read_csv("admissions.csv")
X = adm.drop(columns=["readmitted_30d", "patient_id", "admission_id"])
y = adm["readmitted_30d"]
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
train_idx, test_idx = next(gss.split(X, y, groups=adm["patient_id"]))
"""),
    py("""
clf = HistGradientBoostingClassifier().fit(X.iloc[train_idx], y.iloc[train_idx])
print(clf.score(X.iloc[test_idx], y.iloc[test_idx]))
"""),
]

NOTEBOOKS["clean_speaker_group_kfold"] = [
    md("# Emotion from speech embeddings, speaker-independent CV"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.svm import SVC
"""),
    py("""
meta = pd.read_csv("utterances.csv")
emb = np.load("utterance_embeddings.npy")
y = meta["emotion"].values
"""),
    py("""
scores = cross_val_score(SVC(C=10), emb, y, cv=GroupKFold(n_splits=5), groups=meta["speaker_id"])
print(scores.mean())
"""),
]

NOTEBOOKS["clean_hotel_early_stopping_valid"] = [
    md("# Hotel ADR with LightGBM, early stopping on a validation split"),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error
"""),
    py("""
h = pd.read_csv("hotel_bookings_clean.csv")
X = h[["lead_time", "stays_in_weekend_nights", "adults", "children", "is_repeated_guest"]]
y = h["adr"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=9)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=9)
"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.03)
model.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], callbacks=[lgb.early_stopping(100)])
print(mean_squared_error(y_test, model.predict(X_test)) ** 0.5)
"""),
]

NOTEBOOKS["clean_music_cv_model_choice"] = [
    md("# Genre bake-off with cross-validation on train"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
tracks = pd.read_csv("genre_tracks.csv")
X = tracks.drop(columns=["genre", "track_id"])
y = tracks["genre"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)
"""),
    py("""
candidates = {"logreg": LogisticRegression(max_iter=3000),
              "rf": RandomForestClassifier(n_estimators=300, random_state=4)}
cv_scores = {name: cross_val_score(est, X_train, y_train, cv=5).mean()
             for name, est in candidates.items()}
best = candidates[max(cv_scores, key=cv_scores.get)]
best.fit(X_train, y_train)
print("held-out accuracy", best.score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_rainfall_alpha_on_validation"] = [
    md("# Station rainfall: tune alpha on a validation split"),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import Lasso
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score
"""),
    py("""
st = pd.read_csv("station_monthly.csv")
X = st[["humidity", "pressure", "cloud_cover", "wind_speed", "elevation"]]
y = st["rain_mm"]
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=21)
"""),
    py("""
best_alpha, best_r2 = None, -np.inf
for alpha in [0.001, 0.01, 0.1, 1.0, 10.0]:
    m = Lasso(alpha=alpha).fit(X_train, y_train)
    r2 = r2_score(y_val, m.predict(X_val))
    if r2 > best_r2:
        best_alpha, best_r2 = alpha, r2
final = Lasso(alpha=best_alpha).fit(X_rest, y_rest)
print("test R2", r2_score(y_test, final.predict(X_test)))
"""),
]

NOTEBOOKS["clean_retail_basket_groupby_id"] = [
    md("# Retail: basket-level features from line items\nAggregate the order lines per basket, then model one row per basket."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
lines = pd.read_csv("order_lines.csv")
baskets = lines.groupby("basket_id").agg(
    n_items=("product_id", "count"),
    n_distinct=("product_id", "nunique"),
    basket_value=("price", "sum"),
    max_price=("price", "max"),
    has_promo=("promo_flag", "max"),
).reset_index()
baskets["avg_price"] = baskets["basket_value"] / baskets["n_items"]
"""),
    py("""
X = baskets[["n_items", "n_distinct", "basket_value", "max_price", "avg_price"]]
y = baskets["has_promo"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
print(RandomForestClassifier(random_state=2).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_defects_lot_groupby_features"] = [
    md("# Lot-level defect prediction\nSensor readings aggregated per production lot."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
readings = pd.read_parquet("lot_readings.parquet")
lot = readings.groupby("lot_id").agg(temp_mean=("temp", "mean"), temp_std=("temp", "std"),
                                     pressure_max=("pressure", "max")).reset_index()
labels = pd.read_csv("lot_labels.csv")
lot = lot.merge(labels, on="lot_id")
"""),
    py("""
X = lot[["temp_mean", "temp_std", "pressure_max"]]
y = lot["defective"]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=3)
print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_rainfall_helper_fit_flag"] = [
    md("# Rainfall: preprocessing helper with a fit flag"),
    py("""
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
scaler = RobustScaler()

def prepare(frame, fit=False):
    cols = ["humidity", "pressure", "dew_point", "wind_gust"]
    if fit:
        return scaler.fit_transform(frame[cols])
    return scaler.transform(frame[cols])
"""),
    py("""
obs = pd.read_csv("station_obs.csv")
train_df, test_df = train_test_split(obs, test_size=0.2, random_state=17)
X_train = prepare(train_df, fit=True)
X_test = prepare(test_df)
"""),
    py("""
rfr = RandomForestRegressor(random_state=17).fit(X_train, train_df["rain_mm"])
print(rfr.score(X_test, test_df["rain_mm"]))
"""),
]

NOTEBOOKS["clean_hotel_get_dummies_after_drop"] = [
    md("# Hotel cancellations: one-hot with pandas"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
bk = pd.read_csv("bookings.csv")
y = bk["is_canceled"]
X = pd.get_dummies(bk.drop(columns=["is_canceled", "reservation_status", "booking_id"]),
                   columns=["hotel", "meal", "market_segment", "deposit_type"], drop_first=True)
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
print(LogisticRegression(max_iter=2000).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_bikeshare_refit_all_after_eval"] = [
    md("# Daily rentals: evaluate, then refit on everything for deployment"),
    py("""
import pandas as pd
import joblib
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
    py("""
day = pd.read_csv("bike_day.csv")
X = day[["season", "holiday", "workingday", "weathersit", "temp", "hum", "windspeed"]]
y = day["cnt"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
"""),
    py("""
rf = RandomForestRegressor(n_estimators=200, random_state=1).fit(X_train, y_train)
print("MAE", mean_absolute_error(y_test, rf.predict(X_test)))
"""),
    md("Evaluation done; the production model is refitted on all days."),
    py("""
final_rf = RandomForestRegressor(n_estimators=200, random_state=1).fit(X, y)
joblib.dump(final_rf, "bike_rf.joblib")
"""),
]

NOTEBOOKS["clean_crop_drop_target_and_ids"] = [
    md("# Yield model: all numeric columns except the label"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
plots = pd.read_csv("plot_season.csv")
y = plots["yield_t_ha"]
X = plots.drop(columns=["plot_id", "season", "yield_t_ha"])
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
print(RandomForestRegressor(random_state=2).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_defects_pop_label"] = [
    md("# Defect flag from sensor summary"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
batches = pd.read_csv("batch_summary.csv")
y = batches.pop("defect").astype(int)
X = batches.select_dtypes(include="number")
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=4)
print(RandomForestClassifier(random_state=4).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_readmit_feature_list"] = [
    md("# Readmission: hand-picked features"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
enc = pd.read_csv("encounters_flat.csv")
FEATURES = ["age", "num_lab_procedures", "num_medications", "number_inpatient",
            "time_in_hospital", "number_diagnoses"]
TARGET = "readmitted"
"""),
    py("""
X = enc[FEATURES]
y = enc[TARGET]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
print(LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_hotel_columns_minus_target"] = [
    md("# Cancellation model on every column except the outcome ones"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
"""),
    py("""
hb = pd.read_csv("hotel_numeric.csv")
target = "is_canceled"
cols = [c for c in hb.columns if c not in (target, "reservation_status")]
X = hb[cols]
y = hb[target]
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=6)
print(DecisionTreeClassifier(max_depth=5).fit(X_train, y_train).score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_legal_vectorizer_train_only"] = [
    md("# Court opinion outcome, vectorizer fitted on train"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
"""),
    py("""
train = pd.read_csv("opinions_train.csv")
test = pd.read_csv("opinions_test.csv")
cv = CountVectorizer(stop_words="english", max_features=20000)
X_train = cv.fit_transform(train["text"])
X_test = cv.transform(test["text"])
"""),
    py("""
nb = MultinomialNB().fit(X_train, train["outcome"])
print(nb.score(X_test, test["outcome"]))
"""),
]

NOTEBOOKS["clean_airline_onehot_train_only"] = [
    md("# Delay classifier with one-hot carriers"),
    py("""
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
fl = pd.read_csv("delays.csv")
fl["delayed"] = (fl["arr_delay"] > 15).astype(int)
cats = ["carrier", "origin", "dest"]
X_train, X_test, y_train, y_test = train_test_split(fl[cats], fl["delayed"], random_state=3)
"""),
    py("""
ohe = OneHotEncoder(handle_unknown="ignore")
Xtr = ohe.fit_transform(X_train)
Xte = ohe.transform(X_test)
print(LogisticRegression(max_iter=1000).fit(Xtr, y_train).score(Xte, y_test))
"""),
]

NOTEBOOKS["clean_crypto_log_transform_then_chrono"] = [
    md("# ETH volatility regression\nStateless log transform, then a chronological split."),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
"""),
    py("""
eth = pd.read_csv("eth_hourly.csv", parse_dates=["ts"]).sort_values("ts")
eth["log_volume"] = np.log1p(eth["volume"])
eth["abs_ret_lag1"] = eth["close"].pct_change().abs().shift(1)
eth["abs_ret"] = eth["close"].pct_change().abs()
eth = eth.dropna()
"""),
    py("""
cut = int(len(eth) * 0.8)
train, test = eth.iloc[:cut], eth.iloc[cut:]
feats = ["log_volume", "abs_ret_lag1"]
lr = LinearRegression().fit(train[feats], train["abs_ret"])
print(lr.score(test[feats], test["abs_ret"]))
"""),
]

NOTEBOOKS["clean_speaker_group_split_scaler"] = [
    md("# Emotion: hold out whole speakers, scale on train"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
"""),
    py("""
meta = pd.read_csv("utterances.csv")
emb = np.load("utterance_embeddings.npy")
y = meta["emotion"].values
splitter = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr, te = next(splitter.split(emb, y, groups=meta["speaker_id"]))
"""),
    py("""
sc = StandardScaler().fit(emb[tr])
svc = SVC(C=10).fit(sc.transform(emb[tr]), y[tr])
print(svc.score(sc.transform(emb[te]), y[te]))
"""),
]

NOTEBOOKS["clean_music_pca_pipeline"] = [
    md("# Genre from audio features, PCA inside the pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import train_test_split
"""),
    py("""
tracks = pd.read_csv("tracks_features.csv")
audio = ["danceability", "energy", "loudness", "speechiness", "acousticness", "valence", "tempo"]
X_train, X_test, y_train, y_test = train_test_split(tracks[audio], tracks["genre"], test_size=0.3,
                                                    random_state=3)
"""),
    py("""
model = make_pipeline(StandardScaler(), PCA(n_components=5), KNeighborsClassifier(15))
model.fit(X_train, y_train)
print(model.score(X_test, y_test))
"""),
]

NOTEBOOKS["clean_hotel_scaler_pipeline_cv"] = [
    md("# Hotel cancellations, SVM with scaling in the pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
from sklearn.model_selection import cross_val_score, StratifiedKFold
"""),
    py("""
bookings = pd.read_csv("hotel_bookings.csv")
features = ["lead_time", "adr", "stays_in_week_nights", "total_of_special_requests"]
X = bookings[features].fillna(0)
y = bookings["is_canceled"]
"""),
    py("""
pipe = Pipeline([("scale", MinMaxScaler()), ("svc", SVC(C=2.0))])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
print(cross_val_score(pipe, X, y, cv=cv, scoring="roc_auc").mean())
"""),
]

NOTEBOOKS["clean_defects_target_encoding_train"] = [
    md("# Defects: machine defect rate learned on train only"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
"""),
    py("""
parts = pd.read_csv("line3_parts.csv")
train, test = train_test_split(parts, test_size=0.2, stratify=parts["defect"], random_state=11)
rate = train.groupby("machine")["defect"].mean()
train = train.assign(machine_rate=train["machine"].map(rate))
test = test.assign(machine_rate=test["machine"].map(rate).fillna(train["defect"].mean()))
"""),
    py("""
feats = ["machine_rate", "spindle_temp", "vibration_rms", "torque"]
gb = GradientBoostingClassifier(random_state=11).fit(train[feats], train["defect"])
print(gb.score(test[feats], test["defect"]))
"""),
]

NOTEBOOKS["clean_music_listener_group_split"] = [
    md("# Skip prediction, users held out"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
ev = pd.read_csv("listening_events.csv")
X = ev[["track_popularity", "position_in_session", "hour"]]
y = ev["skipped"]
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=5)
train_idx, test_idx = next(gss.split(X, y, groups=ev["user_id"]))
"""),
    py("""
rf = RandomForestClassifier(random_state=5).fit(X.iloc[train_idx], y.iloc[train_idx])
print(rf.score(X.iloc[test_idx], y.iloc[test_idx]))
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    """Write every notebook and ``labels.json`` (the format the shared scorer reads)."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
