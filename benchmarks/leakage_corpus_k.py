# ruff: noqa: E501
"""Held-out corpus K for the code-level leakage check, written blind.

Written without reading the detector, its tests or the other corpora, from how people write
notebooks: Kaggle kernels (EDA, several models compared), course labs, team reports with helper
functions, numpy arrays, ``pd.concat``/``np.vstack``, dict comprehensions over models, loops over
folds, xgboost/lightgbm early stopping (``eval_set=``), keras ``validation_data=``, target
encoding by hand and with ``category_encoders``, TF-IDF, PCA, SelectKBest/RFE/VarianceThreshold,
SMOTE, ``resample`` and ``sample(replace=True)`` upsampling, image flips and text augmentation,
lag/rolling features, grouped rows (trees, athletes, climbers, patients, quarries, buses).

Domains (new to this corpus): aquaculture, hospice care, podcast guests, drone deliveries,
orchards, veterinary vaccines, paint factories, climbing gyms, bus fleets, printing presses,
legal aid, sports injuries, zoos, bowling, parcel sorting, fire and ambulance services, knitting
patterns, kombucha, radio apps, hearing aids, glassworks, food trucks, wedding venues, pest
control, insulin pumps, thermostats, coin grading, antiques auctions, perfume, barbers, seed
banks, nail salons, candles, compost, lighthouses, hot springs, quarries, recycling, hot-air
balloons, lifeguards, cable cars, pinball, darts and optometry.

78 notebooks: 41 leaky (44 labelled leaks; three notebooks carry two) and 37 clean look-alikes.
Six notebooks were run out of order (explicit execution counts): two leak only because of the
run order, four look leaky on the page but are clean in run order. Labels per rule:
LEAK-PREPROCESSING 13, LEAK-MULTI-TEST 7, LEAK-OVERLAP 7, LEAK-TEMPORAL-SPLIT 5,
LEAK-GROUP-SPLIT 5, LEAK-FIT-ON-TEST 4, LEAK-TARGET-IN-FEATURES 3.

    python benchmarks/leakage_corpus_k.py [DIR]   # default: benchmarks/data/leakage-corpus-k
"""

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import build as build_corpus
from leakage_corpus_kit import main, md, py

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-k"

NOTEBOOKS = {
    # 1 aquaculture: scaler on the whole frame before the split (Kaggle style)
    "salmon_pen_mortality": [
        md("# Salmon pen mortality\nPredict whether a site's latest cycle loses more than 2% of its fish. One row per farm site."),
        py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

pens = pd.read_csv('site_cycles.csv')
pens.head()
"""),
        py("""
pens.describe().T
"""),
        py("""
features = ['water_temp', 'oxygen_mgl', 'salinity', 'lice_count', 'feed_kg', 'stocking_density']
X = pens[features].values
y = (pens['mortality_pct'] > 2.0).astype(int).values
scaler = StandardScaler()
X = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all pens before the split
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=7)
gb = GradientBoostingClassifier(random_state=7).fit(X_train, y_train)
roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1])
"""),
    ],
    # 2 aquaculture look-alike: Pipeline inside cross_val_score
    "shrimp_pond_yield": [
        md("## Shrimp pond harvest yield\nRegression on pond conditions, one row per pond, 5-fold CV."),
        py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score, KFold

ponds = pd.read_parquet('ponds.parquet')
X = ponds.drop(columns=['pond_id', 'harvest_kg'])
y = ponds['harvest_kg']
"""),
        py("""
ponds.corr(numeric_only=True)['harvest_kg'].sort_values()
"""),
        py("""
pipe = make_pipeline(StandardScaler(), Ridge(alpha=3.0))
scores = cross_val_score(pipe, X, y, cv=KFold(5, shuffle=True, random_state=0), scoring='r2')
print(scores.mean(), scores.std())
"""),
    ],
    # 3 hospice: TF-IDF on all nursing notes before the split
    "hospice_notes_transfer": [
        md("# Hospice: will the patient transfer to hospital within 7 days?\nFree-text nursing notes, one admission note per patient."),
        py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report

notes = pd.read_csv('admission_notes.csv')
notes = notes.dropna(subset=['note_text'])
"""),
        py("""
tfidf = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True)
X = tfidf.fit_transform(notes['note_text'])  #@ LEAK-PREPROCESSING | vocabulary and idf learned from every note, test notes included
y = notes['transferred_7d']
"""),
        py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1, stratify=y)
clf = LogisticRegression(max_iter=2000, C=4.0).fit(X_tr, y_tr)
print(classification_report(y_te, clf.predict(X_te)))
"""),
    ],
    # 4 hospice look-alike: vectorizer fitted on train texts only
    "hospice_family_survey": [
        md("# Family satisfaction survey (hospice)\nClassify comments as complaint / not."),
        py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

survey = pd.read_csv('family_survey.csv')
train_txt, test_txt, train_y, test_y = train_test_split(
    survey['comment'], survey['is_complaint'], test_size=0.3, random_state=11)
"""),
        py("""
vec = TfidfVectorizer(stop_words='english', max_features=20000)
Xtr = vec.fit_transform(train_txt)
Xte = vec.transform(test_txt)
"""),
        py("""
svm = LinearSVC(C=0.5).fit(Xtr, train_y)
f1_score(test_y, svm.predict(Xte))
"""),
    ],
    # 5 podcast guests: several models compared on the test set
    "podcast_guest_rebook": [
        md("# Will a podcast guest be booked again?\nComparing a few classifiers."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score

guests = pd.read_csv('guests.csv')
X = guests[['episode_downloads', 'minutes_spoken', 'social_followers', 'laugh_count', 'topic_overlap']]
y = guests['rebooked']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
"""),
        md("Try a few models and keep the best one."),
        py("""
models = {
    'logreg': LogisticRegression(max_iter=500),
    'rf': RandomForestClassifier(n_estimators=300, random_state=3),
    'et': ExtraTreesClassifier(n_estimators=300, random_state=3),
    'knn': KNeighborsClassifier(n_neighbors=15),
}
results = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, model.predict(X_test))  #@ LEAK-MULTI-TEST | four models ranked on the test set
best = max(results, key=results.get)
print(best, results[best])
"""),
    ],
    # 6 podcast look-alike: model choice on validation, one final test score
    "podcast_ad_skip": [
        md("# Predicting ad-skip rate per podcast episode"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor, GradientBoostingRegressor
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_absolute_error

eps = pd.read_csv('episodes.csv')
X = eps[['ad_position_s', 'ad_length_s', 'host_read', 'episode_len_min', 'listener_age_median']]
y = eps['skip_rate']
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=5)
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=5)
"""),
        py("""
candidates = [Lasso(alpha=0.01), RandomForestRegressor(n_estimators=200, random_state=5),
              GradientBoostingRegressor(random_state=5)]
val_mae = [mean_absolute_error(y_val, m.fit(X_train, y_train).predict(X_val)) for m in candidates]
chosen = candidates[val_mae.index(min(val_mae))]
val_mae
"""),
        md("Final check on the untouched test split."),
        py("""
chosen.fit(X_rest, y_rest)
print('test MAE', mean_absolute_error(y_test, chosen.predict(X_test)))
"""),
    ],
    # 7 drone deliveries: time-ordered data, random split
    "drone_delivery_delay": [
        md("# Drone delivery delay forecasting\nHourly records per depot; lags of the delay."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from lightgbm import LGBMRegressor
from sklearn.metrics import mean_absolute_error

d = pd.read_csv('depot_hourly.csv', parse_dates=['hour'])
d = d.sort_values('hour').reset_index(drop=True)
d['delay_lag1'] = d['mean_delay_min'].shift(1)
d['delay_lag24'] = d['mean_delay_min'].shift(24)
d['wind_roll6'] = d['wind_ms'].rolling(6).mean()
d = d.dropna()
"""),
        py("""
X = d[['delay_lag1', 'delay_lag24', 'wind_roll6', 'orders', 'battery_swaps']]
y = d['mean_delay_min']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of an hourly series with lag features
"""),
        py("""
lgb = LGBMRegressor(n_estimators=400, learning_rate=0.05)
lgb.fit(X_train, y_train)
mean_absolute_error(y_test, lgb.predict(X_test))
"""),
    ],
    # 8 drone look-alike: chronological split with TimeSeriesSplit, early stopping on a train-carved validation
    "drone_battery_swaps": [
        md("# Battery swaps per day (drone fleet)"),
        py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import TimeSeriesSplit
from sklearn.metrics import mean_squared_error

daily = pd.read_csv('swaps_daily.csv', parse_dates=['day']).sort_values('day')
for lag in (1, 7, 14):
    daily[f'swaps_lag{lag}'] = daily['swaps'].shift(lag)
daily['temp_roll3'] = daily['temp_c'].rolling(3).mean()
daily = daily.dropna()
feats = [c for c in daily.columns if c.startswith('swaps_lag')] + ['temp_roll3', 'flights_planned']
"""),
        py("""
cutoff = daily['day'].quantile(0.8)
train = daily[daily['day'] <= cutoff]
test = daily[daily['day'] > cutoff]
fit_part = train.iloc[:-60]
val_part = train.iloc[-60:]
"""),
        py("""
model = xgb.XGBRegressor(n_estimators=2000, learning_rate=0.03, early_stopping_rounds=50)
model.fit(fit_part[feats], fit_part['swaps'], eval_set=[(val_part[feats], val_part['swaps'])], verbose=False)
rmse = mean_squared_error(test['swaps'], model.predict(test[feats])) ** 0.5
print(rmse)
"""),
        py("""
tscv = TimeSeriesSplit(n_splits=5)
for i, (a, b) in enumerate(tscv.split(train)):
    print(i, train.iloc[a]['day'].max(), train.iloc[b]['day'].min())
"""),
    ],
    # 9 orchards: per-tree rows, random split (grouped data)
    "orchard_tree_yield": [
        md("# Apple orchard: fruit yield per tree per season\nEach tree appears in 6 seasons."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score

trees = pd.read_csv('tree_seasons.csv')
print(trees['tree_id'].nunique(), len(trees))
X = trees[['trunk_girth_cm', 'rootstock_code', 'chill_hours', 'irrigation_mm', 'age_years']]
y = trees['yield_kg']
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | seasons of the same tree end up in train and test
rf = RandomForestRegressor(n_estimators=500, random_state=0).fit(X_train, y_train)
r2_score(y_test, rf.predict(X_test))
"""),
    ],
    # 10 orchards look-alike: GroupShuffleSplit on tree_id
    "orchard_frost_damage": [
        md("# Frost damage per orchard block\nSeveral nights per block; split by block."),
        py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score

nights = pd.read_csv('frost_nights.csv')
X = nights[['min_temp', 'dew_point', 'wind_speed', 'bloom_stage', 'fan_on']]
y = nights['damaged']
groups = nights['block_id']
"""),
        py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=4)
tr_idx, te_idx = next(gss.split(X, y, groups=groups))
hgb = HistGradientBoostingClassifier(max_iter=300).fit(X.iloc[tr_idx], y.iloc[tr_idx])
balanced_accuracy_score(y.iloc[te_idx], hgb.predict(X.iloc[te_idx]))
"""),
    ],
    # 11 veterinary vaccines: target left among the features
    "vet_vaccine_reaction": [
        md("# Adverse reactions after canine vaccination\nOne row per dog (first vaccination)."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression

vax = pd.read_csv('vaccinations.csv')
vax = vax.drop(columns=['owner_name', 'clinic_phone'])
vax['reaction'] = vax['reaction'].map({'yes': 1, 'no': 0})
vax = pd.get_dummies(vax, columns=['breed_group', 'vaccine_brand'])
"""),
        py("""
X = vax.drop(columns=['visit_id'])  #@ LEAK-TARGET-IN-FEATURES | only the id is dropped, reaction stays in X
y = vax['reaction']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)
"""),
    ],
    # 12 vet look-alike: id and target dropped, encoder inside ColumnTransformer
    "vet_vaccine_booster_due": [
        md("# Booster compliance (cats)\nOne row per cat."),
        py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

cats = pd.read_csv('cat_visits.csv')
y = cats.pop('returned_for_booster')
X = cats.drop(columns=['visit_id'])
cat_cols = ['clinic', 'vaccine_type', 'indoor_outdoor']
num_cols = ['age_months', 'weight_kg', 'distance_km']
"""),
        py("""
pre = ColumnTransformer([('cat', OneHotEncoder(handle_unknown='ignore'), cat_cols),
                         ('num', StandardScaler(), num_cols)])
clf = Pipeline([('pre', pre), ('lr', LogisticRegression(max_iter=1000))])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2, stratify=y)
clf.fit(X_train, y_train)
clf.score(X_test, y_test)
"""),
    ],
    # 13 paint factories: SMOTE before the split
    "paint_batch_defects": [
        md("# Paint batch rejects\nOnly 4% of batches fail QC, so oversample."),
        py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score, precision_score

batches = pd.read_csv('paint_batches.csv')
X = batches[['viscosity', 'pigment_ratio', 'mix_minutes', 'ambient_humidity', 'solvent_pct']]
y = batches['qc_fail']
y.value_counts(normalize=True)
"""),
        py("""
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic rows made from all batches before splitting
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.25, random_state=0)
"""),
        py("""
rf = RandomForestClassifier(n_estimators=400, random_state=0).fit(X_train, y_train)
pred = rf.predict(X_test)
print(precision_score(y_test, pred), recall_score(y_test, pred))
"""),
    ],
    # 14 paint look-alike: imblearn Pipeline in cross validation
    "paint_gloss_out_of_spec": [
        md("# Gloss out of spec, imblearn pipeline"),
        py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate

gloss = pd.read_csv('gloss_readings.csv')
X = gloss.drop(columns=['reading_id', 'out_of_spec'])
y = gloss['out_of_spec']
pipe = Pipeline([('scale', StandardScaler()), ('smote', SMOTE(random_state=1)),
                 ('lr', LogisticRegression(max_iter=1000))])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
res = cross_validate(pipe, X, y, cv=cv, scoring=['recall', 'precision'])
{k: v.mean() for k, v in res.items() if k.startswith('test_')}
"""),
    ],
    # 15 climbing gyms: per-climber sessions, KFold
    "climbing_gym_send_rate": [
        md("# Climbing gym: does the climber send the route?\nSession logs, many attempts per climber."),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import GradientBoostingClassifier

logs = pd.read_csv('attempts.csv')
logs['grade_gap'] = logs['route_grade'] - logs['climber_max_grade']
X = logs[['grade_gap', 'attempt_no', 'rest_minutes', 'wall_angle', 'hold_type_code']]
y = logs['sent']
"""),
        py("""
cv = KFold(n_splits=5, shuffle=True, random_state=13)  #@ LEAK-GROUP-SPLIT | attempts of one climber spread over train and validation folds
scores = cross_val_score(GradientBoostingClassifier(), X, y, cv=cv, scoring='roc_auc')
np.round(scores, 3)
"""),
    ],
    # 16 climbing look-alike: GroupKFold by climber
    "climbing_finger_injury": [
        md("# Finger pulley injuries per climber-week"),
        py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression

weeks = pd.read_csv('climber_weeks.csv')
X = weeks[['hangboard_sessions', 'crimp_volume', 'sleep_h', 'prior_injury']]
y = weeks['injury_next_week']
pipe = make_pipeline(SimpleImputer(strategy='median'), LogisticRegression(max_iter=1000))
scores = cross_val_score(pipe, X, y, cv=GroupKFold(n_splits=5), groups=weeks['climber_id'], scoring='roc_auc')
scores.mean()
"""),
    ],
    # 17 bus fleets: scaler fitted on the test set
    "bus_fleet_breakdowns": [
        md("# City bus breakdowns\nTrain on 2022 depots, test on the new depot."),
        py("""
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC

train = pd.read_csv('buses_old_depots.csv')
test = pd.read_csv('buses_new_depot.csv')
cols = ['km_since_service', 'engine_hours', 'coolant_temp_max', 'brake_wear_mm', 'age_years']
"""),
        py("""
scaler = MinMaxScaler()
Xtr = scaler.fit_transform(train[cols])
Xte = MinMaxScaler().fit_transform(test[cols])  #@ LEAK-FIT-ON-TEST | a fresh scaler fitted on the new depot's rows
svc = SVC(C=2.0, gamma='scale').fit(Xtr, train['breakdown_30d'])
svc.score(Xte, test['breakdown_30d'])
"""),
    ],
    # 18 bus look-alike: per-bus group split, fit on train, transform test, refit on all for deployment
    "bus_fuel_per_km": [
        md("# Fuel per km, by bus\nSplit by bus so no bus is on both sides."),
        py("""
import pandas as pd
import joblib
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_absolute_error

trips = pd.read_csv('bus_trips.csv')
X = trips[['passengers_avg', 'stops', 'gradient_m', 'ac_on', 'driver_score']].to_numpy()
y = trips['litres_per_km'].to_numpy()
g = trips['bus_id'].to_numpy()
tr, te = next(GroupShuffleSplit(test_size=0.2, random_state=9).split(X, y, g))
"""),
        py("""
sc = StandardScaler().fit(X[tr])
model = ElasticNet(alpha=0.05).fit(sc.transform(X[tr]), y[tr])
print(mean_absolute_error(y[te], model.predict(sc.transform(X[te]))))
"""),
        md("Evaluation done: refit on every trip for the production model."),
        py("""
final_sc = StandardScaler().fit(X)
final = ElasticNet(alpha=0.05).fit(final_sc.transform(X), y)
joblib.dump((final_sc, final), 'fuel_model.joblib')
"""),
    ],
    # 19 printing presses: the scaler cell below the split was run before it (leak only in run order)
    "press_web_break": [
        md("# Web breaks on rotogravure presses\nNotebook was re-run piecemeal; see the execution counts."),
        py("""
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""", 1),
        py("""
runs = pd.read_csv('press_runs.csv')
X = runs[['tension_n', 'speed_mpm', 'ink_viscosity', 'paper_gsm', 'humidity']].values
y = runs['web_break'].values
""", 2),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21, stratify=y)
""", 4),
        md("Robust scaling because tension has outliers."),
        py("""
X = RobustScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | run (In[3]) before the split cell (In[4]), so the split takes scaled-on-everything rows
""", 3),
        py("""
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1])
""", 5),
    ],
    # 20 printing look-alike: on the page X_val is the test set, in run order the carve-out replaces it
    "press_ink_consumption": [
        md("# Ink consumption per job (LightGBM)"),
        py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_percentage_error

jobs = pd.read_csv('print_jobs.csv')
X = jobs[['sheets', 'coverage_pct', 'colours', 'paper_type_code', 'press_model_code']]
y = jobs['ink_kg']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=6)
""", 1),
        md("Carve a validation split from train for early stopping."),
        py("""
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.15, random_state=6)
""", 3),
        py("""
# quick smoke test from earlier
X_val, y_val = X_test, y_test
""", 2),
        py("""
reg = lgb.LGBMRegressor(n_estimators=3000, learning_rate=0.02)
reg.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], callbacks=[lgb.early_stopping(100)])
mean_absolute_percentage_error(y_test, reg.predict(X_test))
""", 4),
    ],
    # 21 legal aid: mean target encoding on the whole frame before the split
    "legal_aid_case_outcome": [
        md("# Legal aid: probability the tenant keeps the home\nTarget encoding of the judge."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

cases = pd.read_csv('eviction_cases.csv')
cases['judge_rate'] = cases.groupby('judge')['tenant_won'].transform('mean')  #@ LEAK-PREPROCESSING | target mean per judge computed over all cases, test included
"""),
        py("""
X = cases[['judge_rate', 'arrears_months', 'has_children', 'represented_days_before_hearing']]
y = cases['tenant_won']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=17)
rf = RandomForestClassifier(n_estimators=300, min_samples_leaf=5, random_state=17).fit(X_tr, y_tr)
roc_auc_score(y_te, rf.predict_proba(X_te)[:, 1])
"""),
    ],
    # 22 legal aid look-alike: target means from the training split mapped onto test
    "legal_aid_intake_priority": [
        md("# Intake priority at a legal aid clinic"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression

intake = pd.read_csv('intake.csv')
train, test = train_test_split(intake, test_size=0.2, random_state=23, stratify=intake['urgent'])
train = train.copy()
test = test.copy()
"""),
        py("""
office_rate = train.groupby('office')['urgent'].mean()
prior = train['urgent'].mean()
train['office_rate'] = train['office'].map(office_rate)
test['office_rate'] = test['office'].map(office_rate).fillna(prior)
"""),
        py("""
feats = ['office_rate', 'household_size', 'income_pct_poverty', 'days_to_deadline']
lr = LogisticRegression(max_iter=1000).fit(train[feats], train['urgent'])
lr.score(test[feats], test['urgent'])
"""),
    ],
    # 23 sports injuries: two leaks, scaler on everything and a random split of athlete-days
    "athlete_hamstring_strain": [
        md("# Hamstring strains in a football academy\nOne row per athlete-session, 60 athletes, about 150 sessions each."),
        py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

load = pd.read_csv('gps_daily.csv')
load['acwr'] = load['acute_load'] / load['chronic_load']
"""),
        md("## Features"),
        py("""
cols = ['acwr', 'hsr_m', 'sprint_count', 'decel_count', 'sleep_score', 'soreness']
Z = StandardScaler().fit_transform(load[cols])  #@ LEAK-PREPROCESSING | standardised with every athlete-day, test days included
y = load['strain_7d'].to_numpy()
"""),
        py("""
Z_tr, Z_te, y_tr, y_te = train_test_split(Z, y, test_size=0.2, random_state=0, stratify=y)  #@ LEAK-GROUP-SPLIT | the same athlete's days land in train and test
clf = LogisticRegression(class_weight='balanced', max_iter=1000).fit(Z_tr, y_tr)
average_precision_score(y_te, clf.predict_proba(Z_te)[:, 1])
"""),
    ],
    # 24 sports injuries look-alike: GridSearchCV over a Pipeline with GroupKFold
    "athlete_ankle_sprain": [
        md("# Ankle sprains per basketball player-game"),
        py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV, GroupKFold, GroupShuffleSplit

games = pd.read_csv('player_games.csv')
X = games[['minutes', 'jumps', 'landings_hard', 'court_surface_code', 'prev_sprains']]
y = games['sprain']
players = games['player_id']
outer = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=30)
tr, te = next(outer.split(X, y, players))
"""),
        py("""
pipe = Pipeline([('sc', StandardScaler()), ('svc', SVC(probability=True))])
grid = GridSearchCV(pipe, {'svc__C': [0.1, 1, 10], 'svc__gamma': ['scale', 0.01]},
                    cv=GroupKFold(n_splits=4), scoring='roc_auc')
grid.fit(X.iloc[tr], y.iloc[tr], groups=players.iloc[tr])
grid.best_params_, grid.score(X.iloc[te], y.iloc[te])
"""),
    ],
    # 25 zoo: xgboost early stopping on the test set
    "zoo_feed_waste": [
        md("# Zoo: feed waste per enclosure design\nCross-sectional survey, one row per enclosure."),
        py("""
import pandas as pd
from xgboost import XGBRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error

feed = pd.read_csv('enclosure_feed.csv')
X = feed[['species_code', 'animals', 'visitor_count', 'temp_c', 'enrichment_items']]
y = feed['waste_kg']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=12)
"""),
        py("""
xgbr = XGBRegressor(n_estimators=5000, learning_rate=0.01, max_depth=5, early_stopping_rounds=200)
xgbr.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=500)  #@ LEAK-MULTI-TEST | number of trees picked by early stopping on the test set
print(xgbr.best_iteration, mean_absolute_error(y_test, xgbr.predict(X_test)))
"""),
    ],
    # 26 bowling alleys: keras validation_data is the test set with EarlyStopping
    "bowling_lane_oil": [
        md("# Bowling lanes: predict the strike rate from the oil pattern sensors (Keras)"),
        py("""
import numpy as np
import pandas as pd
from tensorflow import keras
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

lanes = pd.read_csv('lane_sessions.csv')
X = lanes.filter(like='oil_sensor_').to_numpy(dtype='float32')
y = lanes['strike_rate'].to_numpy(dtype='float32')
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=99)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)
"""),
        py("""
net = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dropout(0.2),
                        keras.layers.Dense(32, activation='relu'), keras.layers.Dense(1)])
net.compile(optimizer='adam', loss='mse', metrics=['mae'])
stop = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
hist = net.fit(X_train, y_train, epochs=300, batch_size=64,  #@ LEAK-MULTI-TEST | EarlyStopping restores the epoch best on the test set
               validation_data=(X_test, y_test), callbacks=[stop])
"""),
        py("""
net.evaluate(X_test, y_test)
"""),
    ],
    # 27 bowling look-alike: keras with validation_split on train only
    "bowling_next_season_average": [
        md("# Bowler's next-season average (Keras), validation carved from training data\nOne row per bowler."),
        py("""
import pandas as pd
from tensorflow import keras
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

bowlers = pd.read_csv('bowlers.csv')
X = bowlers[['season_avg', 'season_std', 'games_bowled', 'ball_weight_lb', 'rev_rate']].values
y = bowlers['next_season_avg'].values
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=31)
scaler = StandardScaler()
Xtr = scaler.fit_transform(Xtr)
Xte = scaler.transform(Xte)
"""),
        py("""
m = keras.Sequential([keras.layers.Dense(32, activation='relu'), keras.layers.Dense(1)])
m.compile('adam', 'mae')
m.fit(Xtr, ytr, epochs=200, validation_split=0.15,
      callbacks=[keras.callbacks.EarlyStopping(patience=8, restore_best_weights=True)], verbose=0)
m.evaluate(Xte, yte)
"""),
    ],
    # 28 postal sorting: fillna with whole-frame means before the split
    "parcel_sort_misroute": [
        md("# Misrouted parcels at the sorting hub"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

hub = pd.read_csv('sorter_scans.csv')
hub.isna().mean().sort_values(ascending=False).head(8)
"""),
        py("""
num = ['weight_g', 'length_cm', 'barcode_quality', 'belt_speed', 'label_skew_deg']
hub[num] = hub[num].fillna(hub[num].mean())  #@ LEAK-PREPROCESSING | imputation means computed over every parcel before splitting
X_train, X_test, y_train, y_test = train_test_split(hub[num], hub['misrouted'], test_size=0.3, random_state=3)
DecisionTreeClassifier(max_depth=6).fit(X_train, y_train).score(X_test, y_test)
"""),
    ],
    # 29 fire stations: SelectKBest on all rows before cross-validation
    "fire_call_severity": [
        md("# Fire call severity from dispatch features\nMany one-hot features, keep the best 40."),
        py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.naive_bayes import MultinomialNB
from sklearn.model_selection import cross_val_score, StratifiedKFold

calls = pd.read_csv('dispatch_calls.csv')
X = pd.get_dummies(calls[['call_type', 'station', 'caller_keyword', 'building_class']]).astype(int)
y = calls['severe']
"""),
        py("""
selector = SelectKBest(chi2, k=40)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | features chosen with the labels of every fold
cross_val_score(MultinomialNB(), X_sel, y, cv=StratifiedKFold(5, shuffle=True, random_state=0)).mean()
"""),
    ],
    # 30 fire look-alike: selector inside the Pipeline inside GridSearchCV
    "fire_hydrant_failure": [
        md("# Hydrant failures at annual inspection"),
        py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split

hyd = pd.read_csv('hydrants.csv')
X = hyd.drop(columns=['hydrant_id', 'failed'])
y = hyd['failed']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=44)
pipe = Pipeline([('sc', StandardScaler()), ('kbest', SelectKBest(f_classif)), ('lr', LogisticRegression(max_iter=500))])
gs = GridSearchCV(pipe, {'kbest__k': [5, 10, 20], 'lr__C': [0.1, 1.0]}, cv=5, scoring='f1')
gs.fit(X_train, y_train)
print(gs.best_params_)
print('held-out F1:', gs.score(X_test, y_test))
"""),
    ],
    # 31 ambulance dispatch: shuffled KFold on a daily series
    "ambulance_daily_calls": [
        md("# Ambulance calls per day\nLag and rolling features; 5-fold CV."),
        py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import RandomForestRegressor

calls = pd.read_csv('ems_daily.csv', parse_dates=['date']).set_index('date').sort_index()
calls['lag_1'] = calls['calls'].shift(1)
calls['lag_7'] = calls['calls'].shift(7)
calls['roll_28'] = calls['calls'].shift(1).rolling(28).mean()
calls['dow'] = calls.index.dayofweek
calls = calls.dropna()
"""),
        py("""
X, y = calls[['lag_1', 'lag_7', 'roll_28', 'dow', 'temp_max']], calls['calls']
kf = KFold(n_splits=5, shuffle=True, random_state=1)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds of a daily series: future days train the past
cross_val_score(RandomForestRegressor(n_estimators=300), X, y, cv=kf, scoring='neg_mean_absolute_error').mean()
"""),
    ],
    # 32 ambulance look-alike: TimeSeriesSplit
    "ambulance_turnaround": [
        md("# Hospital turnaround time per week"),
        py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge

wk = pd.read_csv('turnaround_weekly.csv', parse_dates=['week']).sort_values('week')
wk['lag1'] = wk['turnaround_min'].shift(1)
wk['lag52'] = wk['turnaround_min'].shift(52)
wk = wk.dropna()
X, y = wk[['lag1', 'lag52', 'flu_index', 'staffed_beds']], wk['turnaround_min']
cross_val_score(make_pipeline(StandardScaler(), Ridge()), X, y, cv=TimeSeriesSplit(n_splits=6),
                scoring='neg_mean_absolute_error')
"""),
    ],
    # 33 knitting pattern reviews: augmentation before the split
    "knitting_pattern_difficulty": [
        md("# Knitting pattern reviews: too hard for a beginner?\nAugment the minority class by synonym swaps."),
        py("""
import random
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

reviews = pd.read_csv('pattern_reviews.csv')
SYN = {'hard': 'difficult', 'confusing': 'unclear', 'stitch': 'st', 'easy': 'simple'}

def augment(text, p=0.3):
    return ' '.join(SYN.get(w, w) if random.random() < p else w for w in text.split())
"""),
        py("""
hard = reviews[reviews['too_hard'] == 1]
extra = hard.assign(text=hard['text'].apply(augment))  #@ LEAK-OVERLAP | augmented copies of reviews made before the split, their originals end up in test
reviews = pd.concat([reviews, extra], ignore_index=True)
"""),
        py("""
tr, te = train_test_split(reviews, test_size=0.2, random_state=5)
vec = CountVectorizer(min_df=2)
clf = LogisticRegression(max_iter=1000).fit(vec.fit_transform(tr['text']), tr['too_hard'])
clf.score(vec.transform(te['text']), te['too_hard'])
"""),
    ],
    # 34 kombucha: upsampling with resample before the split
    "kombucha_batch_spoilage": [
        md("# Kombucha spoilage"),
        py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

b = pd.read_csv('kombucha_batches.csv')
ok, bad = b[b.spoiled == 0], b[b.spoiled == 1]
bad_up = resample(bad, replace=True, n_samples=len(ok), random_state=0)  #@ LEAK-OVERLAP | upsampled copies of spoiled batches before the split
b_bal = pd.concat([ok, bad_up])
"""),
        py("""
X = b_bal[['ph', 'brix', 'ferment_days', 'scoby_age', 'room_temp']]
y = b_bal['spoiled']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
f1_score(y_te, RandomForestClassifier(random_state=0).fit(X_tr, y_tr).predict(X_te))
"""),
    ],
    # 35 kombucha look-alike: upsample the training split only
    "kombucha_carbonation": [
        md("# Over-carbonated bottles: upsampling the training part only"),
        py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression

bottles = pd.read_csv('bottles.csv')
train, test = train_test_split(bottles, test_size=0.25, stratify=bottles['overcarb'], random_state=2)
major = train[train.overcarb == 0]
minor = train[train.overcarb == 1]
train_bal = pd.concat([major, resample(minor, replace=True, n_samples=len(major), random_state=2)])
"""),
        py("""
cols = ['sugar_g', 'days_bottled', 'fridge_delay_h', 'yeast_strain_code']
lr = LogisticRegression(max_iter=1000).fit(train_bal[cols], train_bal['overcarb'])
lr.score(test[cols], test['overcarb'])
"""),
    ],
    # 36 radio stations: encoder fitted on the test frame
    "radio_listener_churn": [
        md("# Radio app listeners: churn"),
        py("""
import pandas as pd
from sklearn.preprocessing import OrdinalEncoder
from sklearn.ensemble import HistGradientBoostingClassifier

train = pd.read_csv('listeners_train.csv')
test = pd.read_csv('listeners_test.csv')
cats = ['favourite_station', 'device', 'region']
nums = ['hours_week', 'skips_week', 'days_since_signup']
"""),
        py("""
enc = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1)
train[cats] = enc.fit_transform(train[cats])
"""),
        py("""
enc_te = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1)
test[cats] = enc_te.fit_transform(test[cats])  #@ LEAK-FIT-ON-TEST | second encoder fitted on the test listeners
"""),
        py("""
clf = HistGradientBoostingClassifier().fit(train[cats + nums], train['churned'])
clf.score(test[cats + nums], test['churned'])
"""),
    ],
    # 37 hearing aids: PCA on stacked train and test
    "hearing_aid_fitting": [
        md("# Hearing aid fitting satisfaction from audiograms"),
        py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

tr = pd.read_csv('audiograms_train.csv')
te = pd.read_csv('audiograms_test.csv')
freq_cols = [c for c in tr.columns if c.startswith('db_')]
"""),
        py("""
pca = PCA(n_components=6)
pca.fit(np.vstack([tr[freq_cols].values, te[freq_cols].values]))  #@ LEAK-PREPROCESSING | components fitted on train and test audiograms stacked together
P_tr, P_te = pca.transform(tr[freq_cols]), pca.transform(te[freq_cols])
"""),
        py("""
lr = LogisticRegression(max_iter=1000).fit(P_tr, tr['satisfied'])
lr.score(P_te, te['satisfied'])
"""),
    ],
    # 38 hearing aids look-alike: whole-frame EDA, PCA on train only
    "hearing_aid_battery_life": [
        md("# Battery life of hearing aids\nOne row per wearer."),
        py("""
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split

logs = pd.read_csv('aid_usage.csv')
sns.heatmap(logs.corr(numeric_only=True), cmap='vlag')
plt.show()
logs['streaming_min'].describe()
"""),
        py("""
usage = [c for c in logs.columns if c.startswith('prog_')]
Xtr, Xte, ytr, yte = train_test_split(logs[usage], logs['battery_h'], test_size=0.2, random_state=14)
pca = PCA(n_components=4).fit(Xtr)
reg = LinearRegression().fit(pca.transform(Xtr), ytr)
reg.score(pca.transform(Xte), yte)
"""),
    ],
    # 39 glassworks: tree depth tuned on the test set
    "glass_furnace_seeds": [
        md("# Seeds (bubbles) in lab glass melts\nOne row per melt trial. How deep should the tree be?"),
        py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
from sklearn.metrics import mean_squared_error

glass = pd.read_csv('melt_trials.csv')
X = glass[['crown_temp', 'batch_moisture', 'cullet_pct', 'pull_rate_t', 'bubbler_flow']]
y = glass['seeds_per_m2']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)
"""),
        py("""
errors = []
depths = range(2, 16)
for depth in depths:
    tree = DecisionTreeRegressor(max_depth=depth, random_state=1).fit(X_train, y_train)
    errors.append(mean_squared_error(y_test, tree.predict(X_test)))  #@ LEAK-MULTI-TEST | depth chosen by test MSE
plt.plot(list(depths), errors)
best_depth = list(depths)[errors.index(min(errors))]
best_depth
"""),
    ],
    # 40 glassworks look-alike: depth tuned on a validation split, test touched once
    "glass_annealing_cracks": [
        md("# Cracks after the annealing lehr"),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

lehr = pd.read_csv('lehr_runs.csv')
X = lehr.drop(columns=['run_id', 'cracked']).to_numpy()
y = lehr['cracked'].to_numpy()
X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, random_state=8, stratify=y)
X_tr, X_val, y_tr, y_val = train_test_split(X_dev, y_dev, test_size=0.25, random_state=8, stratify=y_dev)
"""),
        py("""
val_auc = {}
for leaf in [1, 5, 20, 50]:
    rf = RandomForestClassifier(n_estimators=300, min_samples_leaf=leaf, random_state=8).fit(X_tr, y_tr)
    val_auc[leaf] = roc_auc_score(y_val, rf.predict_proba(X_val)[:, 1])
leaf = max(val_auc, key=val_auc.get)
final = RandomForestClassifier(n_estimators=300, min_samples_leaf=leaf, random_state=8).fit(X_dev, y_dev)
print(leaf, roc_auc_score(y_test, final.predict_proba(X_test)[:, 1]))
"""),
    ],
    # 41 food trucks: select_dtypes keeps the numeric target
    "food_truck_daily_revenue": [
        md("# Food truck festival revenue\nOne row per truck (season totals)."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor

trucks = pd.read_csv('truck_season.csv')
trucks['menu_per_staff'] = trucks['menu_items'] / trucks['staff']
trucks = trucks.drop(columns=['truck_name', 'cuisine'])
"""),
        py("""
X = trucks.select_dtypes('number')  #@ LEAK-TARGET-IN-FEATURES | revenue is numeric and stays in X
y = trucks['revenue']
Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)
RandomForestRegressor(random_state=0).fit(Xtr, ytr).score(Xte, yte)
"""),
    ],
    # 42 food trucks look-alike: select_dtypes then drop the target
    "food_truck_location_tips": [
        md("# Tips per location (food trucks)"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import HuberRegressor

spots = pd.read_csv('truck_spots.csv')
num = spots.select_dtypes('number')
X = num.drop(columns=['tips_total', 'spot_id'])
y = num['tips_total']
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=4)
HuberRegressor().fit(Xtr, ytr).score(Xte, yte)
"""),
    ],
    # 43 wedding venues: model fitted on all rows, then evaluated on a split of them
    "wedding_venue_cancellation": [
        md("# Wedding venue cancellations"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

bookings = pd.read_csv('venue_bookings.csv')
X = bookings[['lead_time_days', 'guests', 'deposit_pct', 'season_code', 'planner_used']]
y = bookings['cancelled']
gbc = GradientBoostingClassifier(random_state=0)
gbc.fit(X, y)  #@ LEAK-OVERLAP | model fitted on every booking, then scored on a split of the same bookings
"""),
        py("""
_, X_test, _, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
roc_auc_score(y_test, gbc.predict_proba(X_test)[:, 1])
"""),
    ],
    # 44 wedding look-alike: evaluate on a split, then refit on all for deployment
    "wedding_catering_headcount": [
        md("# Catering headcount vs RSVPs"),
        py("""
import pandas as pd
import pickle
from sklearn.model_selection import train_test_split
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import mean_absolute_error

ev = pd.read_csv('events.csv')
X = ev[['rsvp_yes', 'rsvp_maybe', 'invites', 'is_destination', 'kids_invited']]
y = ev['actual_guests']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=19)
m = PoissonRegressor(alpha=0.1).fit(X_tr, y_tr)
print('holdout MAE', mean_absolute_error(y_te, m.predict(X_te)))
"""),
        md("Happy with it: fit on everything we have and ship."),
        py("""
prod = PoissonRegressor(alpha=0.1).fit(X, y)
with open('headcount.pkl', 'wb') as fh:
    pickle.dump(prod, fh)
"""),
    ],
    # 45 pest control: explicit shuffle=True on monthly trap counts
    "pest_trap_counts": [
        md("# Rodent trap catches per month (city-wide)\nForecast next month's catches."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesRegressor

traps = pd.read_csv('trap_monthly.csv', parse_dates=['month'])
traps = traps.sort_values(['month'])
traps['catch_prev'] = traps['catches'].shift(1)
traps['catch_prev12'] = traps['catches'].shift(12)
traps['rain_3m'] = traps['rain_mm'].rolling(3).sum()
traps = traps.dropna()
"""),
        py("""
feats = ['catch_prev', 'catch_prev12', 'rain_3m', 'bait_type_code']
train, test = train_test_split(traps, test_size=0.2, shuffle=True, random_state=10)  #@ LEAK-TEMPORAL-SPLIT | monthly series shuffled into train and test
et = ExtraTreesRegressor(n_estimators=400, random_state=10).fit(train[feats], train['catches'])
et.score(test[feats], test['catches'])
"""),
    ],
    # 46 pest look-alike: chronological split with shuffle=False
    "pest_termite_callouts": [
        md("# Termite callouts per week, last 20% of weeks held out"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge

wk = pd.read_csv('callouts_weekly.csv', parse_dates=['week']).sort_values('week')
wk['prev'] = wk['callouts'].shift(1)
wk['prev4'] = wk['callouts'].rolling(4).mean().shift(1)
wk = wk.dropna()
X, y = wk[['prev', 'prev4', 'humidity_avg']], wk['callouts']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, shuffle=False)
Ridge().fit(X_tr, y_tr).score(X_te, y_te)
"""),
    ],
    # 47 insulin pumps: StratifiedKFold over readings of the same patients
    "insulin_pump_hypo_alert": [
        md("# Hypoglycaemia in the next 30 minutes (pump + CGM data)\n~400 readings per patient."),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

cgm = pd.read_parquet('cgm_windows.parquet')
X = cgm[['glucose', 'slope_15m', 'basal_rate', 'bolus_last_2h', 'carbs_last_2h', 'iob']].to_numpy()
y = cgm['hypo_30m'].to_numpy()
"""),
        py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=2)  #@ LEAK-GROUP-SPLIT | windows of one patient fall in both training and validation folds
aucs = []
for tr, va in skf.split(X, y):
    clf = HistGradientBoostingClassifier().fit(X[tr], y[tr])
    aucs.append(roc_auc_score(y[va], clf.predict_proba(X[va])[:, 1]))
np.mean(aucs)
"""),
    ],
    # 48 insulin look-alike: StratifiedGroupKFold by patient
    "insulin_site_occlusion": [
        md("# Infusion site occlusion, per-patient folds"),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score

sites = pd.read_csv('pump_sites.csv')
X = sites[['hours_worn', 'pressure_peak', 'delivery_errors', 'site_code']].values
y = sites['occluded'].values
pid = sites['patient_id'].values
aucs = []
for tr, va in StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=3).split(X, y, pid):
    sc = StandardScaler().fit(X[tr])
    lr = LogisticRegression(max_iter=1000).fit(sc.transform(X[tr]), y[tr])
    aucs.append(roc_auc_score(y[va], lr.predict_proba(sc.transform(X[va]))[:, 1]))
np.mean(aucs)
"""),
    ],
    # 49 smart thermostats: scaler outside the CV pipeline
    "thermostat_setback_savings": [
        md("# Savings from thermostat setback schedules"),
        py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.model_selection import cross_val_score

homes = pd.read_csv('homes.csv')
X = homes[['floor_area', 'insulation_r', 'setback_deg', 'setback_hours', 'hdd']]
y = homes['kwh_saved']
"""),
        py("""
X_scaled = StandardScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | scaling fitted on all homes, outside the cross-validation
scores = cross_val_score(SVR(C=10), X_scaled, y, cv=5, scoring='r2')
scores.mean()
"""),
    ],
    # 50 thermostat look-alike: scaler in the pipeline inside cross_val_score
    "thermostat_eco_acceptance": [
        md("# Does the household accept the eco schedule?\nOne row per household."),
        py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import cross_val_score

occ = pd.read_csv('households.csv')
X = occ[['occupants', 'home_age', 'baseline_setpoint', 'income_band']]
y = occ['accepted_eco']
pipe = Pipeline([('scale', StandardScaler()), ('knn', KNeighborsClassifier(7))])
cross_val_score(pipe, X, y, cv=5).mean()
"""),
    ],
    # 51 coin grading: imputer refitted on the test set in a later cell
    "coin_grade_estimate": [
        md("# Coin grading from image measurements"),
        py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestClassifier

train = pd.read_csv('coins_train.csv')
test = pd.read_csv('coins_holdout.csv')
meas = ['luster', 'wear_index', 'scratch_px', 'strike_sharpness', 'toning']
"""),
        py("""
imp = SimpleImputer(strategy='median')
Xtr = imp.fit_transform(train[meas])
rf = RandomForestClassifier(n_estimators=500, random_state=0).fit(Xtr, train['grade_bucket'])
"""),
        md("Holdout arrived later with different missingness, so impute it on its own."),
        py("""
imp.fit(test[meas])  #@ LEAK-FIT-ON-TEST | imputer refitted on the holdout coins
Xte = imp.transform(test[meas])
rf.score(Xte, test['grade_bucket'])
"""),
    ],
    # 52 coin look-alike: imputer fitted on train, used on test; variable named after test
    "coin_counterfeit_flag": [
        md("# Counterfeit coins"),
        py("""
import pandas as pd
from sklearn.impute import KNNImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

coins = pd.read_csv('coin_scans.csv')
X = coins[['weight_g', 'diameter_mm', 'edge_reeds', 'magnetic', 'xrf_silver']]
y = coins['counterfeit']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=6)
imputer = KNNImputer(n_neighbors=5).fit(X_train)
"""),
        py("""
test_imputer = imputer
X_test_imp = test_imputer.transform(X_test)
lr = LogisticRegression(max_iter=1000).fit(imputer.transform(X_train), y_train)
lr.score(X_test_imp, y_test)
"""),
    ],
    # 53 antiques auctions: two leaks, variance filter on stacked sets and a model zoo on test
    "antique_hammer_price": [
        md("# Auction hammer price above estimate?"),
        py("""
import pandas as pd
from sklearn.feature_selection import VarianceThreshold
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.ensemble import AdaBoostClassifier

lots_tr = pd.read_csv('lots_2023.csv')
lots_te = pd.read_csv('lots_2024.csv')
feat = [c for c in lots_tr.columns if c.startswith('f_')]
"""),
        py("""
vt = VarianceThreshold(threshold=0.01)
vt.fit(pd.concat([lots_tr[feat], lots_te[feat]]))  #@ LEAK-PREPROCESSING | filter fitted on 2023 and 2024 lots together
Xtr, Xte = vt.transform(lots_tr[feat]), vt.transform(lots_te[feat])
ytr, yte = lots_tr['above_estimate'], lots_te['above_estimate']
"""),
        py("""
zoo = [LogisticRegression(max_iter=2000), RandomForestClassifier(random_state=0), AdaBoostClassifier()]
scores = {type(m).__name__: m.fit(Xtr, ytr).score(Xte, yte) for m in zoo}  #@ LEAK-MULTI-TEST | three models ranked on the 2024 lots
scores
"""),
    ],
    # 54 perfume returns: category_encoders target encoder on the whole frame
    "perfume_online_returns": [
        md("# Perfume returns (online shop)"),
        py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from lightgbm import LGBMClassifier

orders = pd.read_csv('perfume_orders.csv')
X = orders[['brand', 'scent_family', 'size_ml', 'price', 'sample_included']]
y = orders['returned']
"""),
        py("""
te = ce.TargetEncoder(cols=['brand', 'scent_family'], smoothing=10)
X_enc = te.fit_transform(X, y)  #@ LEAK-PREPROCESSING | target encoding learned with every order's label
X_tr, X_te, y_tr, y_te = train_test_split(X_enc, y, test_size=0.2, random_state=0)
LGBMClassifier().fit(X_tr, y_tr).score(X_te, y_te)
"""),
    ],
    # 55 perfume look-alike: target encoder inside a pipeline fitted on train
    "perfume_sample_conversion": [
        md("# Do free samples convert to a full bottle?"),
        py("""
import pandas as pd
import category_encoders as ce
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

samples = pd.read_csv('samples.csv')
X = samples[['brand', 'channel', 'customer_tenure_m', 'past_orders']]
y = samples['bought_full']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=12)
model = make_pipeline(ce.TargetEncoder(cols=['brand', 'channel']), LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)
model.score(X_test, y_test)
"""),
    ],
    # 56 barber shops (team report with helpers): clean
    "barber_no_show": [
        md("# Barber appointment no-shows\nOne appointment sampled per customer. Team report. Helpers first, then the analysis."),
        py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score

NUM = ['lead_days', 'past_no_shows', 'price', 'hour']

def add_features(df):
    out = df.copy()
    out['is_morning'] = (out['hour'] < 12).astype(int)
    out['repeat_customer'] = (out['past_visits'] > 0).astype(int)
    return out

def fit_scaler(train_df):
    return StandardScaler().fit(train_df[NUM])

def design(df, scaler):
    X = df[['is_morning', 'repeat_customer']].to_numpy()
    return pd.DataFrame(scaler.transform(df[NUM]), columns=NUM).assign(is_morning=X[:, 0], repeat_customer=X[:, 1])
"""),
        md("## Data"),
        py("""
appts = add_features(pd.read_csv('appointments.csv'))
train, test = train_test_split(appts, test_size=0.2, random_state=40, stratify=appts['no_show'])
"""),
        py("""
scaler = fit_scaler(train)
lr = LogisticRegression(max_iter=1000).fit(design(train, scaler), train['no_show'])
roc_auc_score(test['no_show'], lr.predict_proba(design(test, scaler))[:, 1])
"""),
    ],
    # 57 seed bank: RFE on all rows before the split
    "seed_bank_germination": [
        md("# Seed bank: germination after 10 years in storage"),
        py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

acc = pd.read_csv('accessions.csv')
X = acc.drop(columns=['accession_no', 'germinated'])
y = acc['germinated']
"""),
        py("""
rfe = RFE(LogisticRegression(max_iter=2000), n_features_to_select=8)
rfe.fit(X, y)  #@ LEAK-PREPROCESSING | features ranked with the labels of test accessions too
X_sel = X.loc[:, rfe.support_]
X_tr, X_te, y_tr, y_te = train_test_split(X_sel, y, test_size=0.2, random_state=0)
LogisticRegression(max_iter=2000).fit(X_tr, y_tr).score(X_te, y_te)
"""),
    ],
    # 58 seed bank look-alike: RFE fitted on the training split only
    "seed_bank_viability_drop": [
        md("# Viability drop per storage room"),
        py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split

lots = pd.read_csv('seed_lots.csv')
X = lots.drop(columns=['lot_id', 'viability_drop'])
y = lots['viability_drop']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1)
rfe = RFE(RandomForestRegressor(n_estimators=100, random_state=1), n_features_to_select=6).fit(X_tr, y_tr)
rf = RandomForestRegressor(n_estimators=400, random_state=1).fit(rfe.transform(X_tr), y_tr)
rf.score(rfe.transform(X_te), y_te)
"""),
    ],
    # 59 nail salons: bootstrap duplication with sample(replace=True) before the split
    "nail_salon_rebooking": [
        md("# Nail salon: will the client rebook within 4 weeks?\nOne row per client (their first visit)."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

visits = pd.read_csv('salon_visits.csv')
rebook = visits[visits['rebooked'] == 1]
visits = pd.concat([visits, rebook.sample(n=3 * len(rebook), replace=True, random_state=0)])  #@ LEAK-OVERLAP | duplicated rebooking rows added before the split
"""),
        py("""
X = visits[['service_code', 'minutes', 'price', 'tech_experience_y', 'gel']]
y = visits['rebooked']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
RandomForestClassifier(random_state=0).fit(X_tr, y_tr).score(X_te, y_te)
"""),
    ],
    # 60 candle factory: out of order but clean (imports cell at the bottom ran first)
    "candle_wick_tunnelling": [
        md("# Candle tunnelling tests"),
        py("""
wax = pd.read_csv('burn_tests.csv')
X = wax[['wick_size', 'wax_blend_code', 'fragrance_load', 'diameter_mm']]
y = wax['tunnelled']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
""", 2),
        py("""
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
pipe.fit(X_train, y_train)
pipe.score(X_test, y_test)
""", 3),
        md("(imports, moved to the bottom by accident)"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
""", 1),
    ],
    # 61 compost: SMOTE cell below the split was run before it
    "compost_pile_odour": [
        md("# Odour complaints from compost piles"),
        py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

piles = pd.read_csv('piles.csv')
X = piles[['core_temp', 'moisture', 'cn_ratio', 'turns_week', 'wind_to_houses']]
y = piles['complaint']
""", 1),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7)
""", 3),
        md("Balance the classes."),
        py("""
X, y = SMOTE(random_state=7).fit_resample(X, y)  #@ LEAK-OVERLAP | In[2] ran before the split (In[3]): the split draws from SMOTE output
""", 2),
        py("""
rf = RandomForestClassifier(n_estimators=300, random_state=7).fit(X_train, y_train)
rf.score(X_test, y_test)
""", 4),
    ],
    # 62 lighthouse tickets: page shows the target kept, run order drops it (clean)
    "lighthouse_gift_purchase": [
        md("# Lighthouse gift shop: does the visitor buy something?\nOne row per visitor ticket."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier

slots = pd.read_csv('visitor_tickets.csv')
slots = pd.get_dummies(slots, columns=['ticket_type'])
""", 1),
        py("""
X = slots.drop(columns=['ticket_id', 'bought'])
y = slots['bought']
""", 3),
        md("Earlier exploration (kept for reference)."),
        py("""
X = slots.drop(columns=['ticket_id'])
X.shape
""", 2),
        py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=3)
GradientBoostingClassifier().fit(X_tr, y_tr).score(X_te, y_te)
""", 4),
    ],
    # 63 hot springs: the scaler cell shown above the split ran after it (clean)
    "hot_spring_visitors": [
        md("# Hot spring resort: daily bathers per pool (cross-sectional, one row per pool survey)"),
        py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Lasso

pools = pd.read_csv('pool_surveys.csv')
X = pools[['water_temp', 'depth_m', 'area_m2', 'mineral_index', 'distance_to_lodge']]
y = pools['bathers']
""", 1),
        py("""
sc = StandardScaler().fit(X_train)
Xtr_s, Xte_s = sc.transform(X_train), sc.transform(X_test)
""", 3),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
""", 2),
        py("""
Lasso(alpha=0.1).fit(Xtr_s, y_train).score(Xte_s, y_test)
""", 4),
    ],
    # 64 quarries: ShuffleSplit over blasts of the same quarry sites
    "quarry_blast_vibration": [
        md("# Ground vibration from quarry blasts\nPeak particle velocity at the nearest house. 14 quarries, many blasts each."),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor

blasts = pd.read_csv('blasts.csv')
blasts['scaled_distance'] = blasts['distance_m'] / np.sqrt(blasts['charge_kg'])
X = blasts[['scaled_distance', 'holes', 'delay_ms', 'rock_type_code', 'stemming_m']]
y = np.log(blasts['ppv_mm_s'])
"""),
        py("""
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | blasts from the same quarry in both sides of every split
r2 = cross_val_score(RandomForestRegressor(n_estimators=200), X, y, cv=ss)
r2.mean(), r2.std()
"""),
    ],
    # 65 quarries look-alike: leave one quarry out
    "quarry_dust_exceedance": [
        md("# Dust exceedance days, leave-one-quarry-out"),
        py("""
import pandas as pd
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

days = pd.read_csv('dust_days.csv')
X = days[['wind_speed', 'rain_mm', 'trucks', 'crusher_hours', 'water_cart']]
y = days['exceedance']
logo = LeaveOneGroupOut()
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
cross_val_score(pipe, X, y, groups=days['quarry_id'], cv=logo, scoring='roc_auc').mean()
"""),
    ],
    # 66 recycling: flipped image copies stacked before the split
    "recycling_bale_contamination": [
        md("# Recycling line: contaminated bales from camera crops (small CNN)\nWe double the data with horizontal flips."),
        py("""
import numpy as np
from sklearn.model_selection import train_test_split
from tensorflow import keras

imgs = np.load('bale_crops.npy')
labels = np.load('bale_labels.npy')
"""),
        py("""
imgs = np.vstack([imgs, imgs[:, :, ::-1, :]])  #@ LEAK-OVERLAP | flipped copies stacked before the split, mirror pairs straddle train and test
labels = np.concatenate([labels, labels])
X_tr, X_te, y_tr, y_te = train_test_split(imgs, labels, test_size=0.2, random_state=0)
"""),
        py("""
cnn = keras.Sequential([keras.layers.Conv2D(16, 3, activation='relu'), keras.layers.MaxPooling2D(),
                        keras.layers.Flatten(), keras.layers.Dense(1, activation='sigmoid')])
cnn.compile('adam', 'binary_crossentropy', metrics=['accuracy'])
cnn.fit(X_tr, y_tr, epochs=10, validation_split=0.1)
cnn.evaluate(X_te, y_te)
"""),
    ],
    # 67 recycling look-alike: flips added to the training split only
    "recycling_glass_colour": [
        md("# Glass cullet colour sorting, augmentation on training crops only"),
        py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import SGDClassifier

crops = np.load('cullet_crops.npy')
colour = np.load('cullet_colour.npy')
X_tr, X_te, y_tr, y_te = train_test_split(crops, colour, test_size=0.2, random_state=1, stratify=colour)
X_tr = np.concatenate([X_tr, X_tr[:, ::-1, :, :]])
y_tr = np.concatenate([y_tr, y_tr])
"""),
        py("""
clf = SGDClassifier(loss='log_loss', random_state=1).fit(X_tr.reshape(len(X_tr), -1), y_tr)
clf.score(X_te.reshape(len(X_te), -1), y_te)
"""),
    ],
    # 68 hot-air balloons: random split of a flight log sorted in time with lags
    "balloon_landing_drift": [
        md("# Hot-air balloon landing drift\nFlights in launch order; previous flight's drift is a feature."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor

fl = pd.read_csv('flights.csv', parse_dates=['launch_time']).sort_values('launch_time')
fl['prev_drift_km'] = fl['drift_km'].shift(1)
fl['wind_trend'] = fl['surface_wind'].diff()
fl = fl.dropna()
X = fl[['prev_drift_km', 'wind_trend', 'surface_wind', 'wind_1000ft', 'burner_minutes']]
y = fl['drift_km']
"""),
        py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of flights ordered by launch time
GradientBoostingRegressor().fit(X_tr, y_tr).score(X_te, y_te)
"""),
    ],
    # 69 lifeguards: k of kNN picked on the test set
    "lifeguard_rescue_risk": [
        md("# Beach rescue risk per swimmer\nOne row per swimmer entry survey."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

beach = pd.read_csv('swimmer_entries.csv')
X = beach[['wave_height', 'rip_index', 'swimmers', 'water_temp', 'flag_colour_code']].values
y = beach['rescue'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)
"""),
        py("""
best_k, best_acc = None, 0
for k in range(1, 31, 2):
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    acc = knn.score(X_test, y_test)  #@ LEAK-MULTI-TEST | k picked by test accuracy
    if acc > best_acc:
        best_k, best_acc = k, acc
print(best_k, best_acc)
"""),
    ],
    # 70 lifeguards look-alike: k picked by CV on train, one test score
    "lifeguard_shift_fatigue": [
        md("# Lifeguard fatigue score\nOne row per lifeguard (season summary)."),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsRegressor

shifts = pd.read_csv('lifeguard_seasons.csv')
X = shifts[['hours_on', 'uv_index', 'breaks', 'rescues_today', 'heat_index']]
y = shifts['fatigue']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
cv_scores = {k: cross_val_score(make_pipeline(StandardScaler(), KNeighborsRegressor(k)), X_train, y_train, cv=5).mean()
             for k in range(3, 30, 3)}
k = max(cv_scores, key=cv_scores.get)
final = make_pipeline(StandardScaler(), KNeighborsRegressor(k)).fit(X_train, y_train)
final.score(X_test, y_test)
"""),
    ],
    # 71 cable cars: vectorizer fitted on test complaints
    "cable_car_complaints": [
        md("# Cable car complaints: topic routing"),
        py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

train = pd.read_csv('complaints_train.csv')
test = pd.read_csv('complaints_test.csv')
vec = TfidfVectorizer(max_features=5000)
X_train = vec.fit_transform(train['text'])
clf = SGDClassifier(random_state=0).fit(X_train, train['team'])
"""),
        py("""
vec_test = TfidfVectorizer(max_features=5000, vocabulary=vec.vocabulary_)
X_test = vec_test.fit_transform(test['text'])  #@ LEAK-FIT-ON-TEST | idf weights re-learned on the test complaints
clf.score(X_test, test['team'])
"""),
    ],
    # 72 cable car look-alike: vectorizer in a pipeline
    "cable_car_feedback": [
        md("# Passenger feedback: complaint or not"),
        py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

notices = pd.read_csv('feedback.csv')
tr, te = train_test_split(notices, test_size=0.2, random_state=33)
clf = Pipeline([('tfidf', TfidfVectorizer(ngram_range=(1, 2))), ('lr', LogisticRegression(max_iter=1000))])
clf.fit(tr['comment'], tr['is_complaint'])
clf.score(te['comment'], te['is_complaint'])
"""),
    ],
    # 73 pinball: feature list comprehension only excludes the id
    "pinball_machine_tilt": [
        md("# Arcade pinball: machine out of order next week\nOne snapshot row per machine."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

pb = pd.read_csv('machines_snapshot.csv')
pb['coin_per_play'] = pb['coins'] / pb['plays'].clip(lower=1)
features = [c for c in pb.columns if c not in ('machine_serial', 'arcade_name')]
"""),
        py("""
X = pb[features]  #@ LEAK-TARGET-IN-FEATURES | features list keeps out_of_order_next_week
y = pb['out_of_order_next_week']
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=9)
RandomForestClassifier(random_state=9).fit(Xtr, ytr).score(Xte, yte)
"""),
    ],
    # 74 pinball look-alike: target excluded in the comprehension
    "pinball_high_score_tables": [
        md("# Pinball plays per machine (regression)"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor

m = pd.read_csv('machine_stats.csv')
drop = {'machine_serial', 'plays'}
features = [c for c in m.columns if c not in drop]
X, y = m[features], m['plays']
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=2)
GradientBoostingRegressor().fit(Xtr, ytr).score(Xte, yte)
"""),
    ],
    # 75 darts league: two leaks, random split of a time series and estimators tuned on test
    "darts_checkout_rate": [
        md("# Darts: checkout rate per match\nMatches in date order; rolling form features.\n\n## Load"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

mt = pd.read_csv('matches.csv', parse_dates=['match_date']).sort_values('match_date')
mt['form_5'] = mt['checkout_pct'].rolling(5).mean().shift(1)
mt['form_20'] = mt['checkout_pct'].rolling(20).mean().shift(1)
mt = mt.dropna()
"""),
        md("## Split"),
        py("""
X = mt[['form_5', 'form_20', 'avg_3dart', 'legs', 'venue_code']]
y = mt['checkout_pct']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of matches ordered by date with rolling form
"""),
        md("## Tune the forest size"),
        py("""
maes = {n: mean_absolute_error(y_test, RandomForestRegressor(n_estimators=n, random_state=4).fit(X_train, y_train).predict(X_test))  #@ LEAK-MULTI-TEST | forest size chosen on the test matches
        for n in (50, 100, 200, 400, 800)}
min(maes, key=maes.get), maes
"""),
    ],
    # 76 optometry: early stopping on a validation split carved from train, long notebook, clean
    "optometry_myopia_progression": [
        md("# Myopia progression in children\nOne row per child (first visit), predict dioptre change at 2 years."),
        py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
        py("""
kids = pd.read_csv('first_visits.csv')
kids.info()
"""),
        md("## EDA"),
        py("""
kids.describe()
kids.groupby('parents_myopic')['dioptre_change_2y'].mean()
kids['outdoor_h_week'].hist(bins=30)
plt.show()
"""),
        md("## Features"),
        py("""
kids['near_work_ratio'] = kids['screen_h_day'] / (kids['outdoor_h_week'] / 7 + 0.5)
feats = ['age', 'axial_length_mm', 'baseline_sph', 'parents_myopic', 'outdoor_h_week', 'near_work_ratio']
X, y = kids[feats], kids['dioptre_change_2y']
"""),
        md("## Split: test / train, then a validation slice of train for early stopping"),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=17)
X_fit, X_es, y_fit, y_es = train_test_split(X_train, y_train, test_size=0.2, random_state=17)
"""),
        py("""
reg = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.01, num_leaves=15)
reg.fit(X_fit, y_fit, eval_set=[(X_es, y_es)], callbacks=[lgb.early_stopping(200, verbose=False)])
reg.best_iteration_
"""),
        md("## Held-out result"),
        py("""
pred = reg.predict(X_test)
print('MAE (D):', mean_absolute_error(y_test, pred))
np.percentile(np.abs(pred - y_test), [50, 90])
"""),
    ],
    # 77 hospice: pandas normalisation statistic computed on train+test concatenated
    "hospice_length_of_stay": [
        md("# Hospice length of stay\nWe z-score lab values with the combined data so that both sets are on the same scale."),
        py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor

tr = pd.read_csv('los_train.csv')
te = pd.read_csv('los_test.csv')
labs = ['albumin', 'crp', 'sodium', 'creatinine', 'pps_score']
"""),
        py("""
both = pd.concat([tr, te], ignore_index=True)
mu, sd = both[labs].mean(), both[labs].std()  #@ LEAK-PREPROCESSING | normalisation statistics taken over train and test together
tr[labs] = (tr[labs] - mu) / sd
te[labs] = (te[labs] - mu) / sd
"""),
        py("""
rf = RandomForestRegressor(n_estimators=500, random_state=0).fit(tr[labs], tr['los_days'])
rf.score(te[labs], te['los_days'])
"""),
    ],
    # 78 hospice look-alike: statistics from train applied to test, EDA on the combined frame
    "hospice_pain_crisis": [
        md("# Pain crisis within 48 h"),
        py("""
import pandas as pd
from sklearn.linear_model import LogisticRegression

tr = pd.read_csv('pain_train.csv')
te = pd.read_csv('pain_test.csv')
pd.concat([tr, te]).describe()
cols = ['opioid_meq', 'pain_score_last', 'breakthrough_doses_24h', 'days_since_admit']
"""),
        py("""
mu, sd = tr[cols].mean(), tr[cols].std()
Ztr = (tr[cols] - mu) / sd
Zte = (te[cols] - mu) / sd
LogisticRegression(max_iter=1000).fit(Ztr, tr['crisis_48h']).score(Zte, te['crisis_48h'])
"""),
    ],
}


def build(out: Path = DEFAULT_OUT) -> None:
    """Write corpus K's notebooks and labels to ``out``."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
