# ruff: noqa: E501
"""Held-out corpus M for the code-level leakage check, written blind.

Written without reading the detector, its tests, its docs or the other corpora: only the
shared frame (``leakage_corpus_kit.py``) and the rule definitions of the issue. Domains not used
by earlier corpora (vineyard frost fans, ambulance drones, chess club members, AIS vessel
windows, soap batches, radio ads, street trees, parking-fine appeals, bee pollination, cello
lessons, flour mills, hostel reviews, lift inspections, glass furnaces, canal locks, heat
pumps, coins, sawmills, dance schools, cruises, pawn shops, rice paddies, planetariums, yoga
studios, cocoa, fireworks, sewing machines, alpaca fleece, comic books, cable cars, stamps,
chimney sweeps, roofing, saffron, orchestras, ice cream vans, looms, vanilla, pianos, reef
tanks, carpet cleaning, jigsaws, balloons, botanic gardens, seaweed, glazes, luthiers, street
food, mosaics, mountain huts) in the styles of Kaggle kernels, course
labs and team reports: helper functions, method chains, numpy slices, ``pd.concat`` and
``np.vstack``, comprehensions over models, early stopping (``eval_set=``, keras
``validation_data=``), target encoding by hand and with ``category_encoders``, TF-IDF, PCA,
feature selection, SMOTE/ADASYN/``resample``/``sample(replace=True)``, image augmentation,
lag/rolling features and entity groups. Some notebooks were run out of order (explicit
execution counts): two leak only because of the order, two others look leaky on the page but are
clean in execution order.

80 notebooks: 41 leaky (43 labelled leaks; two notebooks carry two), 39 clean look-alikes.
Labels per rule: LEAK-PREPROCESSING 10, LEAK-MULTI-TEST 7, LEAK-OVERLAP 6, LEAK-FIT-ON-TEST 5,
LEAK-TEMPORAL-SPLIT 5, LEAK-TARGET-IN-FEATURES 5, LEAK-GROUP-SPLIT 5. Four notebooks carry
out-of-order execution counts.
"""

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import build as build_corpus
from leakage_corpus_kit import main, md, py

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-m"

NOTEBOOKS: dict[str, list] = {}

NOTEBOOKS["vineyard_frost_fan_runtime"] = [
    md("""
# Frost fan runtime model
Predict how many minutes the wind machines run per night from the hourly station log
(block 4, seasons 2019-2023).
"""),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
log = pd.read_csv('frost_station_hourly.csv', parse_dates=['timestamp']).sort_values('timestamp')
log = log.set_index('timestamp')
nightly = log.resample('D').agg({'air_temp_c': 'min', 'dew_point_c': 'min',
                                 'wind_ms': 'mean', 'fan_minutes': 'sum'})
nightly.describe()
"""),
    md("Lag features: yesterday's minimum and a 3-night rolling mean."),
    py("""
for lag in (1, 2, 3):
    nightly[f'tmin_lag{lag}'] = nightly['air_temp_c'].shift(lag)
nightly['tmin_roll3'] = nightly['air_temp_c'].rolling(3).mean().shift(1)
nightly['fan_lag1'] = nightly['fan_minutes'].shift(1)
nightly = nightly.dropna()
"""),
    py("""
X = nightly.drop(columns=['fan_minutes'])
y = nightly['fan_minutes']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=7)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a nightly time series with lag features
"""),
    py("""
gbr = GradientBoostingRegressor(n_estimators=400, max_depth=3, learning_rate=0.05)
gbr.fit(X_train, y_train)
print('MAE minutes:', mean_absolute_error(y_test, gbr.predict(X_test)))
"""),
]

NOTEBOOKS["vineyard_fan_forecast_v2"] = [
    md("""
# Fan minutes forecast, v2
Same nightly table as v1, but evaluated forward in time (TimeSeriesSplit), then one holdout season.
"""),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
"""),
    py("""
nightly = pd.read_parquet('frost_nightly.parquet').sort_index()
for lag in (1, 2, 3):
    nightly[f'tmin_lag{lag}'] = nightly['air_temp_c'].shift(lag)
nightly = nightly.dropna()
feats = [c for c in nightly.columns if c != 'fan_minutes']
"""),
    py("""
train = nightly.loc[:'2022-12-31']
test = nightly.loc['2023-01-01':]
pipe = make_pipeline(StandardScaler(), Ridge(alpha=3.0))
scores = cross_val_score(pipe, train[feats], train['fan_minutes'], cv=TimeSeriesSplit(n_splits=5),
                         scoring='neg_mean_absolute_error')
print(-scores.mean())
"""),
    py("""
pipe.fit(train[feats], train['fan_minutes'])
print('2023 MAE', abs(pipe.predict(test[feats]) - test['fan_minutes']).mean())
"""),
]

NOTEBOOKS["ambulance_drone_eta"] = [
    md("## Ambulance drone: time to scene (lab 3)"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
"""),
    py("""
flights = pd.read_csv('aed_drone_flights.csv')
flights = flights.drop(columns=['flight_id'])
X = flights[['distance_km', 'headwind_ms', 'battery_pct', 'payload_kg', 'altitude_m']].values
y = flights['seconds_to_scene'].values
"""),
    py("""
scaler = StandardScaler()
X = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all flights before the split
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1)
knn = KNeighborsRegressor(n_neighbors=9).fit(X_tr, y_tr)
knn.score(X_te, y_te)
"""),
]

NOTEBOOKS["ambulance_drone_dispatch"] = [
    md("# Which base should launch? Dispatch classifier"),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
calls = pd.read_csv('dispatch_calls.csv')
num = ['distance_km', 'wind_ms', 'visibility_km']
cat = ['base', 'call_type']
X, y = calls[num + cat], calls['launched']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2, random_state=0)
"""),
    py("""
pre = ColumnTransformer([
    ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), num),
    ('cat', OneHotEncoder(handle_unknown='ignore'), cat),
])
search = GridSearchCV(Pipeline([('pre', pre), ('clf', LogisticRegression(max_iter=2000))]),
                      {'clf__C': [0.01, 0.1, 1, 10]}, cv=5, scoring='roc_auc')
search.fit(X_train, y_train)
search.best_params_
"""),
    py("""
print('held-out AUC', search.score(X_test, y_test))
"""),
]

NOTEBOOKS["chess_club_member_churn"] = [
    md("""
# Chess club: will a member lapse next month?
One row per member per month (attendance, rated games, rating change).
"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
    py("""
months = pd.read_csv('club_member_months.csv')
print(months.groupby('member_id').size().describe())
months.head()
"""),
    md("Most members have 10+ monthly rows."),
    py("""
feats = ['nights_attended', 'rated_games', 'rating_delta', 'tenure_months', 'is_junior']
X_train, X_test, y_train, y_test = train_test_split(months[feats], months['lapsed_next'],  #@ LEAK-GROUP-SPLIT | member-month rows split at random; a member lands in both sets
                                                    test_size=0.3, random_state=11)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, class_weight='balanced', random_state=0)
rf.fit(X_train, y_train)
f1_score(y_test, rf.predict(X_test))
"""),
]

NOTEBOOKS["chess_club_rating_gain"] = [
    md("# Rating gain per member-season"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingRegressor
"""),
    py("""
seasons = pd.read_csv('member_seasons.csv')
feats = ['games', 'opening_variety', 'avg_opp_rating', 'lessons']
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=3)
tr_idx, te_idx = next(gss.split(seasons, groups=seasons['member_id']))
train, test = seasons.iloc[tr_idx], seasons.iloc[te_idx]
assert set(train.member_id).isdisjoint(test.member_id)
"""),
    py("""
model = HistGradientBoostingRegressor(max_iter=300).fit(train[feats], train['rating_gain'])
print(model.score(test[feats], test['rating_gain']))
"""),
]

NOTEBOOKS["vessel_ais_loitering"] = [
    md("""
# Loitering detection from AIS pings
Each row is a 30-minute window for one vessel (MMSI). Team report, section 2.
"""),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import KFold, cross_val_score
from sklearn.svm import SVC
"""),
    py("""
win = pd.read_parquet('ais_windows.parquet')
print(win['mmsi'].nunique(), 'vessels,', len(win), 'windows')
feats = ['mean_sog', 'std_cog', 'turn_rate', 'dist_to_port_km', 'heading_var']
X = win[feats].to_numpy()
y = win['loitering'].to_numpy()
"""),
    py("""
X_std = StandardScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all windows outside the cross-validation
cv = KFold(n_splits=5, shuffle=True, random_state=42)  #@ LEAK-GROUP-SPLIT | shuffled KFold over windows of the same vessel
scores = cross_val_score(SVC(C=2.0, gamma='scale'), X_std, y, cv=cv, scoring='f1')
print(scores.mean(), scores.std())
"""),
]

NOTEBOOKS["vessel_port_call_delay"] = [
    md("# Port call delay per vessel, grouped CV"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import ElasticNet
"""),
    py("""
calls = pd.read_csv('port_calls.csv')
calls = calls.drop(columns=['call_id'])
X = calls[['dwt', 'berth_queue', 'tide_m', 'crane_count', 'cargo_teu']]
y = calls['delay_h']
res = cross_validate(make_pipeline(StandardScaler(), ElasticNet(alpha=0.1)), X, y,
                     groups=calls['imo'], cv=GroupKFold(n_splits=5),
                     scoring='neg_mean_absolute_error')
print(-res['test_score'].mean())
"""),
]

NOTEBOOKS["soap_batch_saponification"] = [
    md("# Soap factory: failed batches (rare)"),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report
"""),
    py("""
batches = pd.read_csv('soap_batches.csv')
batches['failed'].value_counts(normalize=True)
"""),
    py("""
X = batches[['lye_ratio', 'oil_temp_c', 'mix_minutes', 'fragrance_pct', 'humidity']]
y = batches['failed']
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | SMOTE before the split: synthetic rows built from future test rows
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.2, random_state=0)
"""),
    py("""
clf = RandomForestClassifier(n_estimators=500, random_state=0).fit(X_train, y_train)
print(classification_report(y_test, clf.predict(X_test)))
"""),
]

NOTEBOOKS["soap_line_defects"] = [
    md("# Soap line defects with SMOTE inside the CV pipeline"),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
"""),
    py("""
df = pd.read_csv('soap_line.csv')
X, y = df.drop(columns=['defect', 'bar_id']), df['defect']
pipe = Pipeline([('sc', StandardScaler()), ('smote', SMOTE(random_state=1)),
                 ('lr', LogisticRegression(max_iter=1000))])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
cross_val_score(pipe, X, y, cv=cv, scoring='average_precision').mean()
"""),
]

NOTEBOOKS["radio_ad_recall"] = [
    md("""
# Radio ads: does the listener recall the brand?
Kaggle-style comparison of a few classifiers.
"""),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.metrics import accuracy_score
"""),
    py("""
survey = pd.read_csv('radio_recall_survey.csv')
survey.hist(figsize=(10, 6)); plt.tight_layout()
"""),
    py("""
X = survey[['spot_seconds', 'plays_per_week', 'jingle', 'daypart_code', 'listener_age']]
y = survey['recalled']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5)
"""),
    py("""
models = {'logreg': LogisticRegression(max_iter=500), 'rf': RandomForestClassifier(random_state=5),
          'gb': GradientBoostingClassifier(), 'nb': GaussianNB()}
results = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, m.predict(X_test))  #@ LEAK-MULTI-TEST | four models compared on the same test set
best = max(results, key=results.get)
print(results, 'best:', best)
"""),
]

NOTEBOOKS["radio_ad_spend_response"] = [
    md("# Spend response: pick a model on validation, report test once"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge, Lasso
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
"""),
    py("""
spots = pd.read_csv('radio_spend.csv')
X, y = spots.drop(columns=['calls_next_day', 'campaign_id']), spots['calls_next_day']
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=2)
"""),
    py("""
cands = {'ridge': Ridge(1.0), 'lasso': Lasso(0.05), 'rf': RandomForestRegressor(300, random_state=2)}
val = {k: r2_score(y_val, m.fit(X_train, y_train).predict(X_val)) for k, m in cands.items()}
best = cands[max(val, key=val.get)]
val
"""),
    py("""
best.fit(X_rest, y_rest)
print('test R2', r2_score(y_test, best.predict(X_test)))
"""),
]

NOTEBOOKS["urban_tree_condition"] = [
    md("# Street tree condition survey: classify poor/fair/good"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
"""),
    py("""
trees = pd.read_csv('street_trees_2024.csv')
trees['condition'] = trees['condition'].map({'poor': 0, 'fair': 1, 'good': 2})
trees = pd.get_dummies(trees, columns=['species', 'pit_type'])
"""),
    py("""
X = trees.drop(columns=['tree_id', 'surveyor'])  #@ LEAK-TARGET-IN-FEATURES | condition (the label) is still a column of X
y = trees['condition']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
et = ExtraTreesClassifier(n_estimators=400, random_state=0).fit(X_train, y_train)
et.score(X_test, y_test)
"""),
]

NOTEBOOKS["parking_fine_appeals"] = [
    md("# Parking fine appeals: will the appeal succeed? (text of the appeal letter)"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
"""),
    py("""
train = pd.read_csv('appeals_train.csv')
test = pd.read_csv('appeals_test.csv')
"""),
    py("""
vec = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
Xtr = vec.fit_transform(train['letter_text'])
Xte = TfidfVectorizer(ngram_range=(1, 2), min_df=3, vocabulary=vec.vocabulary_).fit_transform(test['letter_text'])  #@ LEAK-FIT-ON-TEST | idf weights re-fitted on the test letters
"""),
    py("""
clf = LogisticRegression(C=4, max_iter=2000).fit(Xtr, train['upheld'])
roc_auc_score(test['upheld'], clf.predict_proba(Xte)[:, 1])
"""),
]

NOTEBOOKS["parking_fine_text_pipeline"] = [
    md("# Appeal letters, TF-IDF inside a pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import cross_val_score, train_test_split
"""),
    py("""
letters = pd.read_csv('appeals_all.csv')
text_train, text_test, y_train, y_test = train_test_split(letters['letter_text'], letters['upheld'],
                                                          test_size=0.2, random_state=8)
pipe = make_pipeline(TfidfVectorizer(min_df=2), LinearSVC(C=0.5))
print(cross_val_score(pipe, text_train, y_train, cv=5).mean())
pipe.fit(text_train, y_train)
print(pipe.score(text_test, y_test))
"""),
]

NOTEBOOKS["bee_pollination_seed_set"] = [
    md("""
# Seed set after bee visits
Target encoding of the flower species by hand (mean seed set per species).
"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
"""),
    py("""
obs = pd.read_csv('pollination_obs.csv')
obs['species_te'] = obs.groupby('flower_species')['seed_set'].transform('mean')  #@ LEAK-PREPROCESSING | target mean per species computed over all rows before the split
obs['visits_per_hour'] = obs['visits'] / obs['obs_minutes'] * 60
"""),
    py("""
X = obs[['species_te', 'visits_per_hour', 'bee_size_mm', 'temp_c']]
y = obs['seed_set']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=21)
lr = LinearRegression().fit(X_train, y_train)
lr.score(X_test, y_test)
"""),
]

NOTEBOOKS["bee_pollination_fruit_weight"] = [
    md("# Fruit weight: species encoding learned on the training split only"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
"""),
    py("""
obs = pd.read_csv('pollination_fruit.csv')
train, test = train_test_split(obs, test_size=0.3, random_state=9)
species_mean = train.groupby('flower_species')['fruit_g'].mean()
prior = train['fruit_g'].mean()
train = train.assign(species_te=train['flower_species'].map(species_mean))
test = test.assign(species_te=test['flower_species'].map(species_mean).fillna(prior))
"""),
    py("""
cols = ['species_te', 'visits', 'bee_size_mm']
lr = LinearRegression().fit(train[cols], train['fruit_g'])
print(lr.score(test[cols], test['fruit_g']))
"""),
]

NOTEBOOKS["cello_lesson_progress"] = [
    md("# Cello lessons: predicting grade-exam readiness (one row per lesson)"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
    py("""
lessons = pd.read_csv('cello_lessons.csv')
lessons.groupby('student_id')['lesson_no'].max().plot.hist(bins=20)
"""),
    py("""
feats = ['practice_min_week', 'scales_score', 'sight_reading', 'bow_control', 'lesson_no']
X, y = lessons[feats], lessons['ready_for_exam']
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | lessons of one student fall in train and test folds
pipe = make_pipeline(StandardScaler(), LogisticRegression())
print(cross_val_score(pipe, X, y, cv=skf).mean())
"""),
]

NOTEBOOKS["cello_student_grouped_cv"] = [
    md("# Cello readiness, grouped by student"),
    py("""
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
    py("""
lessons = pd.read_csv('cello_lessons.csv')
feats = ['practice_min_week', 'scales_score', 'sight_reading', 'bow_control']
sgkf = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()),
                         lessons[feats], lessons['ready_for_exam'],
                         groups=lessons['student_id'], cv=sgkf)
scores.mean()
"""),
]

NOTEBOOKS["flour_mill_moisture"] = [
    md("# Flour mill: moisture after tempering (cells were re-run out of order)"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
""", 1),
    py("""
mill = pd.read_csv('tempering_runs.csv')
X = mill[['wheat_moisture', 'water_added_l', 'temper_hours', 'ambient_rh', 'protein_pct']]
y = mill['flour_moisture']
""", 2),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=3)
""", 5),
    md("Scaling (this cell was run before the split above)."),
    py("""
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | in execution order the scaler is fitted on all runs before the split
""", 4),
    py("""
model = Ridge(alpha=1.0).fit(X_train, y_train)
model.score(X_test, y_test)
""", 6),
]

NOTEBOOKS["flour_mill_ash_content"] = [
    md("# Ash content model; the deployment cell sits at the top but was run last"),
    py("""
import joblib
final = pipe.fit(X, y)
joblib.dump(final, 'ash_model.joblib')
""", 7),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
""", 1),
    py("""
mill = pd.read_csv('ash_lab.csv')
X = mill[['extraction_rate', 'bran_pct', 'roll_gap_mm', 'nir_1', 'nir_2', 'nir_3']]
y = mill['ash_pct']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""", 2),
    py("""
pipe = make_pipeline(StandardScaler(), SVR(C=3.0, epsilon=0.01))
pipe.fit(X_train, y_train)
print('test R2', pipe.score(X_test, y_test))
""", 3),
]

NOTEBOOKS["hostel_review_sentiment"] = [
    md("""
# Hostel reviews: negative or not?
Scraped reviews from three booking sites, 2021-2024.
"""),
    py("""
import re
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import f1_score
"""),
    py("""
reviews = pd.read_csv('hostel_reviews.csv').dropna(subset=['text'])
reviews['text'] = reviews['text'].str.lower().map(lambda t: re.sub(r'[^a-z ]', ' ', t))
reviews['negative'] = (reviews['stars'] <= 2).astype(int)
"""),
    py("""
tfidf = TfidfVectorizer(max_features=30000, ngram_range=(1, 2), stop_words='english')
X = tfidf.fit_transform(reviews['text'])  #@ LEAK-PREPROCESSING | vocabulary and idf fitted on every review before the split
y = reviews['negative'].values
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=13)
sgd = SGDClassifier(loss='log_loss', alpha=1e-5, random_state=13).fit(X_train, y_train)
f1_score(y_test, sgd.predict(X_test))
"""),
]

NOTEBOOKS["hostel_review_topics"] = [
    md("# Hostel review complaints: cleanliness vs noise vs staff"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
reviews = pd.read_csv('hostel_complaints.csv')
tr, te = train_test_split(reviews, test_size=0.25, random_state=6, stratify=reviews['topic'])
vec = TfidfVectorizer(min_df=3)
Xtr = vec.fit_transform(tr['text'])
Xte = vec.transform(te['text'])
clf = LogisticRegression(max_iter=3000, C=5).fit(Xtr, tr['topic'])
print(clf.score(Xte, te['topic']))
"""),
]

NOTEBOOKS["lift_inspection_failures"] = [
    md("# Lift inspections: will the lift fail its next inspection? (xgboost)"),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
"""),
    py("""
insp = pd.read_csv('lift_inspections.csv')
insp = insp.drop(columns=['certificate_no'])
X = insp[['age_years', 'trips_per_day', 'door_faults_12m', 'rope_wear_pct', 'last_service_days']]
y = insp['failed_next']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
"""),
    py("""
model = xgb.XGBClassifier(n_estimators=2000, learning_rate=0.03, max_depth=4,
                          early_stopping_rounds=50, eval_metric='auc')
model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=100)  #@ LEAK-MULTI-TEST | early stopping monitored on the test set
print(model.best_iteration)
"""),
    py("""
roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
"""),
]

NOTEBOOKS["lift_inspection_lgbm"] = [
    md("# Lift inspections with LightGBM; early stopping on a slice of train"),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
"""),
    py("""
insp = pd.read_csv('lift_inspections.csv')
X = insp[['age_years', 'trips_per_day', 'door_faults_12m', 'rope_wear_pct']]
y = insp['failed_next']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.15, random_state=0,
                                              stratify=y_train)
"""),
    py("""
clf = lgb.LGBMClassifier(n_estimators=3000, learning_rate=0.02, num_leaves=31)
clf.fit(X_fit, y_fit, eval_set=[(X_val, y_val)], callbacks=[lgb.early_stopping(100)])
print('test AUC', roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
"""),
]

NOTEBOOKS["glass_furnace_keras"] = [
    md("# Glass furnace: predicting seed (bubble) defects from sensor snapshots"),
    py("""
import numpy as np
import pandas as pd
from tensorflow import keras
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
"""),
    py("""
snap = pd.read_csv('furnace_snapshots.csv')
X = snap.filter(like='tc_').values
y = snap['seed_count_per_kg'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.15, random_state=2)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)
"""),
    py("""
net = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(32, activation='relu'),
                        keras.layers.Dense(1)])
net.compile(optimizer='adam', loss='mse')
stop = keras.callbacks.EarlyStopping(patience=15, restore_best_weights=True)
hist = net.fit(X_train, y_train, epochs=500, batch_size=64,  #@ LEAK-MULTI-TEST | early stopping (restore_best_weights) on the test data passed as validation_data
               validation_data=(X_test, y_test), callbacks=[stop])
"""),
    py("""
print('test MSE', net.evaluate(X_test, y_test))
"""),
]

NOTEBOOKS["glass_furnace_keras_v2"] = [
    md("# Furnace seeds, v2: validation carved from train"),
    py("""
import pandas as pd
from tensorflow import keras
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
"""),
    py("""
snap = pd.read_csv('furnace_snapshots.csv')
X, y = snap.filter(like='tc_').values, snap['seed_count_per_kg'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.15, random_state=2)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=2)
sc = StandardScaler().fit(X_tr)
"""),
    py("""
net = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1)])
net.compile(optimizer='adam', loss='mse')
net.fit(sc.transform(X_tr), y_tr, epochs=500, validation_data=(sc.transform(X_val), y_val),
        callbacks=[keras.callbacks.EarlyStopping(patience=15, restore_best_weights=True)])
net.evaluate(sc.transform(X_test), y_test)
"""),
]

NOTEBOOKS["canal_lock_queue"] = [
    md("""
# Canal lock queue length, hour by hour
Rolling/lag features; compare models with 5-fold CV.
"""),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
q = pd.read_csv('lock_queue_hourly.csv', parse_dates=['hour']).set_index('hour').sort_index()
q['queue_lag1'] = q['boats_waiting'].shift(1)
q['queue_lag24'] = q['boats_waiting'].shift(24)
q['passages_roll6'] = q['passages'].rolling(6).sum().shift(1)
q['dow'] = q.index.dayofweek
q = q.dropna()
"""),
    py("""
X, y = q.drop(columns='boats_waiting'), q['boats_waiting']
folds = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over an hourly series with lag features
cross_val_score(RandomForestRegressor(200, random_state=0), X, y, cv=folds,
                scoring='neg_mean_absolute_error').mean()
"""),
]

NOTEBOOKS["canal_lock_forecast"] = [
    md("# Canal lock queue: forward-chaining CV"),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.ensemble import HistGradientBoostingRegressor
"""),
    py("""
q = pd.read_csv('lock_queue_hourly.csv', parse_dates=['hour']).set_index('hour').sort_index()
q = q.assign(queue_lag1=q['boats_waiting'].shift(1), queue_lag24=q['boats_waiting'].shift(24)).dropna()
X, y = q.drop(columns='boats_waiting'), q['boats_waiting']
tscv = TimeSeriesSplit(n_splits=6, gap=24)
print(cross_val_score(HistGradientBoostingRegressor(), X, y, cv=tscv, scoring='r2'))
"""),
]

NOTEBOOKS["heat_pump_fault_pca"] = [
    md("# Heat pump fault classes from compressor telemetry (PCA + kNN)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsClassifier
"""),
    py("""
train = pd.read_csv('hp_train.csv')
test = pd.read_csv('hp_test.csv')
sensors = [c for c in train.columns if c.startswith('s_')]
X_train, X_test = train[sensors].values, test[sensors].values
"""),
    py("""
pca = PCA(n_components=12, whiten=True)
pca.fit(np.vstack([X_train, X_test]))  #@ LEAK-PREPROCESSING | PCA fitted on train and test stacked together
Z_train, Z_test = pca.transform(X_train), pca.transform(X_test)
"""),
    py("""
knn = KNeighborsClassifier(n_neighbors=7).fit(Z_train, train['fault'])
print((knn.predict(Z_test) == test['fault']).mean())
"""),
]

NOTEBOOKS["heat_pump_cop_pipeline"] = [
    md("# Heat pump COP: PCA inside the pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import cross_val_score
"""),
    py("""
hp = pd.read_csv('hp_cop.csv')
print(hp.describe().T)
print(hp.corr(numeric_only=True)['cop'].sort_values())
"""),
    py("""
sensors = [c for c in hp.columns if c.startswith('s_')]
pipe = Pipeline([('sc', StandardScaler()), ('pca', PCA(n_components=0.95)), ('reg', RidgeCV())])
cross_val_score(pipe, hp[sensors], hp['cop'], cv=10).mean()
"""),
]

NOTEBOOKS["coin_grading_cnn"] = [
    md("# Coin grading from obverse photos (augmented)"),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
images = np.load('coins_64px.npy')
grades = np.load('coin_grades.npy')
images = images / 255.0
"""),
    md("Augment with horizontal flips and 90 degree rotations to double the data."),
    py("""
aug = np.concatenate([images, images[:, :, ::-1], np.rot90(images, k=1, axes=(1, 2))])  #@ LEAK-OVERLAP | flipped/rotated copies made before the split end up on both sides
aug_y = np.concatenate([grades, grades, grades])
X_train, X_test, y_train, y_test = train_test_split(aug.reshape(len(aug), -1), aug_y, test_size=0.2,
                                                    random_state=0)
"""),
    py("""
clf = LogisticRegression(max_iter=300, C=0.1).fit(X_train, y_train)
clf.score(X_test, y_test)
"""),
]

NOTEBOOKS["coin_mint_mark"] = [
    md("# Mint mark detection; augmentation applied to the training images only"),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC
"""),
    py("""
imgs = np.load('mintmark_32px.npy') / 255.0
marks = np.load('mintmark_labels.npy')
X_tr, X_te, y_tr, y_te = train_test_split(imgs, marks, test_size=0.25, random_state=1, stratify=marks)
X_tr = np.concatenate([X_tr, X_tr[:, :, ::-1]])
y_tr = np.concatenate([y_tr, y_tr])
"""),
    py("""
svc = LinearSVC(C=0.05).fit(X_tr.reshape(len(X_tr), -1), y_tr)
svc.score(X_te.reshape(len(X_te), -1), y_te)
"""),
]

NOTEBOOKS["sawmill_board_grade"] = [
    md("# Sawmill: board grade from 400 scanner features"),
    py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.model_selection import cross_val_score
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
boards = pd.read_parquet('scanner_boards.parquet')
X = boards.filter(regex='^scan_')
y = boards['grade']
selector = SelectKBest(f_classif, k=40)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | feature selection uses the labels of every row before CV
"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, n_jobs=-1, random_state=0)
print(cross_val_score(rf, X_sel, y, cv=5).mean())
"""),
]

NOTEBOOKS["sawmill_knot_count"] = [
    md("# Knot count: selection inside the pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_selection import VarianceThreshold, RFE
from sklearn.linear_model import LinearRegression, PoissonRegressor
from sklearn.model_selection import cross_val_score
"""),
    py("""
boards = pd.read_parquet('scanner_boards.parquet')
X, y = boards.filter(regex='^scan_'), boards['knots']
pipe = make_pipeline(VarianceThreshold(1e-3), RFE(LinearRegression(), n_features_to_select=25),
                     PoissonRegressor(alpha=0.1))
print(cross_val_score(pipe, X, y, cv=5).mean())
"""),
]

NOTEBOOKS["dance_school_dropout"] = [
    md("# Dance school: which pupils drop out before the show?"),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import recall_score
"""),
    py("""
pupils = pd.read_csv('dance_pupils.csv').drop(columns=['pupil_id'])
major = pupils[pupils.dropped == 0]
minor = pupils[pupils.dropped == 1]
minor_up = resample(minor, replace=True, n_samples=len(major), random_state=4)  #@ LEAK-OVERLAP | minority pupils duplicated before the split
balanced = pd.concat([major, minor_up])
"""),
    py("""
X = balanced.drop(columns='dropped')
y = balanced['dropped']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=4)
tree = DecisionTreeClassifier(max_depth=6).fit(X_train, y_train)
recall_score(y_test, tree.predict(X_test))
"""),
]

NOTEBOOKS["dance_school_recital"] = [
    md("# Recital attendance; upsampling after the split"),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
pupils = pd.read_csv('dance_pupils.csv').drop(columns=['pupil_id'])
train, test = train_test_split(pupils, test_size=0.25, stratify=pupils['skipped_recital'], random_state=2)
minority = train[train.skipped_recital == 1]
train_bal = pd.concat([train, resample(minority, replace=True, n_samples=len(minority) * 2, random_state=2)])
"""),
    py("""
feats = ['classes_per_week', 'age', 'years_enrolled', 'fee_arrears']
lr = LogisticRegression().fit(train_bal[feats], train_bal['skipped_recital'])
lr.score(test[feats], test['skipped_recital'])
"""),
]

NOTEBOOKS["cruise_cabin_upgrade"] = [
    md("""
# Cruise cabin upgrades
Who accepts the paid upgrade offer? All columns except the booking id go in.
"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
"""),
    py("""
book = pd.read_csv('cruise_bookings.csv')
book = pd.get_dummies(book, columns=['ship', 'cabin_class', 'loyalty_tier'], drop_first=True)
features = [c for c in book.columns if c not in ('booking_id', 'sail_date')]
"""),
    py("""
X = book[features]  #@ LEAK-TARGET-IN-FEATURES | the comprehension keeps the 'upgraded' label in the feature list
y = book['upgraded']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
gb = GradientBoostingClassifier().fit(X_train, y_train)
gb.score(X_test, y_test)
"""),
]

NOTEBOOKS["pawn_shop_valuation"] = [
    md("# Pawn shop: resale value of pledged items, tuning max_depth"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
items = pd.read_csv('pledges.csv')
items = pd.get_dummies(items.drop(columns=['ticket_no']), columns=['category', 'condition'])
X = items.drop(columns=['resale_price'])
y = items['resale_price']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=12)
"""),
    py("""
best_depth, best_mae = None, float('inf')
for depth in range(2, 16):
    tree = DecisionTreeRegressor(max_depth=depth, random_state=0).fit(X_train, y_train)
    mae = mean_absolute_error(y_test, tree.predict(X_test))  #@ LEAK-MULTI-TEST | max_depth chosen by MAE on the test set
    if mae < best_mae:
        best_depth, best_mae = depth, mae
print(best_depth, best_mae)
"""),
]

NOTEBOOKS["pawn_shop_default"] = [
    md("# Pawn loans: will the pledge be redeemed? GridSearchCV on train"),
    py("""
import pandas as pd
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
loans = pd.read_csv('pawn_loans.csv')
X = loans[['loan_amount', 'item_value', 'term_days', 'prior_pledges', 'customer_age']]
y = loans['redeemed']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2, random_state=3)
grid = GridSearchCV(RandomForestClassifier(random_state=3),
                    {'max_depth': [4, 8, None], 'min_samples_leaf': [1, 5, 20]}, cv=5)
grid.fit(X_train, y_train)
print(grid.best_params_, grid.best_score_)
"""),
    md("Final check on the untouched test set:"),
    py("""
grid.best_estimator_.score(X_test, y_test)
"""),
]

NOTEBOOKS["rice_paddy_soil_cores"] = [
    md("""
# Paddy soil: methane potential from soil cores
Five cores are taken per plot.
"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
cores = pd.read_csv('paddy_cores.csv')
print(cores.plot_id.value_counts().head())
X = cores[['organic_c', 'ph', 'redox_mv', 'clay_pct', 'straw_incorporated']]
y = cores['ch4_potential']
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | cores from the same plot on both sides of a random split
rf = RandomForestRegressor(n_estimators=400, random_state=0).fit(X_train, y_train)
rf.score(X_test, y_test)
"""),
]

NOTEBOOKS["rice_paddy_plot_split"] = [
    md("# Paddy soil cores, split by plot"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
cores = pd.read_csv('paddy_cores.csv')
feats = ['organic_c', 'ph', 'redox_mv', 'clay_pct']
splitter = GroupShuffleSplit(test_size=0.2, n_splits=1, random_state=0)
train_idx, test_idx = next(splitter.split(cores[feats], cores['ch4_potential'], cores['plot_id']))
tr, te = cores.iloc[train_idx], cores.iloc[test_idx]
rf = RandomForestRegressor(n_estimators=400, random_state=0).fit(tr[feats], tr['ch4_potential'])
rf.score(te[feats], te['ch4_potential'])
"""),
]

NOTEBOOKS["planetarium_daily_visitors"] = [
    md("# Planetarium daily visitors"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import PoissonRegressor
"""),
    py("""
daily = pd.read_csv('planetarium_daily.csv', parse_dates=['date']).sort_values('date')
daily['visitors_lag7'] = daily['visitors'].shift(7)
daily['visitors_ma14'] = daily['visitors'].rolling(14).mean().shift(1)
daily['school_holiday'] = daily['school_holiday'].astype(int)
daily = daily.dropna()
"""),
    py("""
feats = ['visitors_lag7', 'visitors_ma14', 'school_holiday', 'cloud_cover', 'show_premiere']
train, test = train_test_split(daily, test_size=0.2)  #@ LEAK-TEMPORAL-SPLIT | random split of a daily series (lag/rolling features)
pr = PoissonRegressor(alpha=0.01).fit(train[feats], train['visitors'])
pr.score(test[feats], test['visitors'])
"""),
]

NOTEBOOKS["planetarium_show_sales"] = [
    md("# Planetarium show sales, last 90 days held out"),
    py("""
import pandas as pd
from sklearn.linear_model import PoissonRegressor
"""),
    py("""
daily = pd.read_csv('planetarium_daily.csv', parse_dates=['date']).sort_values('date')
daily['sales_lag7'] = daily['show_sales'].shift(7)
daily = daily.dropna()
cutoff = daily['date'].max() - pd.Timedelta(days=90)
train, test = daily[daily.date <= cutoff], daily[daily.date > cutoff]
feats = ['sales_lag7', 'school_holiday', 'cloud_cover']
pr = PoissonRegressor().fit(train[feats], train['show_sales'])
print(pr.score(test[feats], test['show_sales']))
"""),
]

NOTEBOOKS["yoga_studio_churn"] = [
    md("# Yoga studio membership churn"),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
"""),
    py("""
members = pd.read_csv('yoga_members.csv')
cats = ['home_studio', 'favourite_teacher', 'plan']
X = members[cats + ['classes_last_30d', 'months_member', 'age']]
y = members['churned']
"""),
    py("""
enc = ce.TargetEncoder(cols=cats, smoothing=5)
X_enc = enc.fit_transform(X, y)  #@ LEAK-PREPROCESSING | target encoder fitted on all members before the split
X_train, X_test, y_train, y_test = train_test_split(X_enc, y, test_size=0.25, random_state=1)
LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["yoga_class_fill_rate"] = [
    md("# Class fill rate with target encoding in the pipeline"),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import cross_val_score, GroupKFold
"""),
    py("""
classes = pd.read_csv('yoga_classes.csv')
cats = ['studio', 'teacher', 'style']
X = classes[cats + ['hour', 'weekday', 'capacity']]
pipe = make_pipeline(ce.TargetEncoder(cols=cats), HistGradientBoostingRegressor())
cross_val_score(pipe, X, classes['fill_rate'], cv=GroupKFold(5), groups=classes['studio']).mean()
"""),
]

NOTEBOOKS["cocoa_fermentation_grade"] = [
    md("""
# Cocoa fermentation: cut-test grade
Imputation, then a bake-off of three models.
"""),
    py("""
import pandas as pd
import numpy as np
from sklearn.impute import KNNImputer
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
"""),
    py("""
lots = pd.read_csv('cocoa_lots.csv')
num = ['ferment_days', 'box_temp_max', 'turns', 'moisture_pct', 'pulp_ph']
lots[num] = KNNImputer(n_neighbors=5).fit_transform(lots[num])  #@ LEAK-PREPROCESSING | KNN imputer fitted on every lot before the split
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(lots[num], lots['grade'], test_size=0.2, random_state=0)
"""),
    py("""
scores = {type(m).__name__: m.fit(X_train, y_train).score(X_test, y_test)  #@ LEAK-MULTI-TEST | three models ranked by their test accuracy
          for m in [SVC(), RandomForestClassifier(random_state=0), LogisticRegression(max_iter=500)]}
pd.Series(scores).sort_values()
"""),
]

NOTEBOOKS["cocoa_bean_count"] = [
    md("# Bean count per 100 g; models compared by CV on the training part"),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
lots = pd.read_csv('cocoa_lots.csv')
num = ['ferment_days', 'box_temp_max', 'moisture_pct', 'bean_size_mm']
X_train, X_test, y_train, y_test = train_test_split(lots[num], lots['bean_count'], random_state=5)
cands = {'ridge': make_pipeline(SimpleImputer(), Ridge()),
         'rf': make_pipeline(SimpleImputer(), RandomForestRegressor(random_state=5))}
cv = {k: cross_val_score(p, X_train, y_train, cv=5).mean() for k, p in cands.items()}
best = max(cv, key=cv.get)
print(cv, best)
"""),
    py("""
final = cands[best].fit(X_train, y_train)
final.score(X_test, y_test)
"""),
]

NOTEBOOKS["fireworks_misfire_lots"] = [
    md("# Fireworks: misfire risk per shell lot"),
    py("""
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import LogisticRegression
"""),
    py("""
train = pd.read_csv('shell_lots_2023.csv')
test = pd.read_csv('shell_lots_2024.csv')
cat = ['supplier', 'shell_calibre', 'fuse_type']
num = ['storage_days', 'humidity_pct', 'lift_charge_g']
"""),
    py("""
enc_tr = OneHotEncoder(handle_unknown='ignore', sparse_output=False).fit(train[cat])
enc_te = OneHotEncoder(handle_unknown='ignore', sparse_output=False).fit(test[cat])  #@ LEAK-FIT-ON-TEST | a separate encoder fitted on the 2024 test lots
Xtr = pd.concat([pd.DataFrame(enc_tr.transform(train[cat])), train[num].reset_index(drop=True)], axis=1)
Xte = pd.concat([pd.DataFrame(enc_te.transform(test[cat])), test[num].reset_index(drop=True)], axis=1)
"""),
    py("""
lr = LogisticRegression(max_iter=1000).fit(Xtr.values, train['misfire'])
lr.score(Xte.values, test['misfire'])
"""),
]

NOTEBOOKS["fireworks_display_helpers"] = [
    md("# Fireworks display duration: team helpers"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge


def fit_prep(frame, cols):
    # fit the scaler on the frame passed in (always the training frame)
    return StandardScaler().fit(frame[cols])


def apply_prep(prep, frame, cols):
    return prep.transform(frame[cols])
"""),
    py("""
shows = pd.read_csv('display_shows.csv')
cols = ['shells', 'cakes', 'crew', 'wind_ms']
train = shows[shows.season < 2024]
test = shows[shows.season == 2024]
prep = fit_prep(train, cols)
"""),
    py("""
reg = Ridge().fit(apply_prep(prep, train, cols), train['duration_min'])
reg.score(apply_prep(prep, test, cols), test['duration_min'])
"""),
]

NOTEBOOKS["sewing_machine_repairs"] = [
    md("# Industrial sewing machines: repair within 30 days"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
"""),
    py("""
mach = pd.read_csv('sewing_machines.csv').drop(columns=['serial'])
print(mach['repair_30d'].mean())
extra = mach[mach.repair_30d == 1].sample(frac=3, replace=True, random_state=0)  #@ LEAK-OVERLAP | repaired machines duplicated before the split
mach = pd.concat([mach, extra], ignore_index=True)
"""),
    py("""
X = mach.drop(columns='repair_30d')
y = mach['repair_30d']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
rf = RandomForestClassifier(random_state=0).fit(X_train, y_train)
balanced_accuracy_score(y_test, rf.predict(X_test))
"""),
]

NOTEBOOKS["sewing_needle_breaks"] = [
    md("# Needle breaks with RandomOverSampler on the training split"),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
mach = pd.read_csv('needle_events.csv').drop(columns=['serial'])
X, y = mach.drop(columns='broke'), mach['broke']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
X_train, y_train = RandomOverSampler(random_state=0).fit_resample(X_train, y_train)
RandomForestClassifier(random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["alpaca_fleece_weight"] = [
    md("# Fleece weight, imputing with the training median"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
"""),
    py("""
fleece = pd.read_csv('alpaca_shearing.csv')
train, test = train_test_split(fleece, random_state=2)
med = train['staple_mm'].median()
train = train.assign(staple_mm=train['staple_mm'].fillna(med))
test = test.assign(staple_mm=test['staple_mm'].fillna(med))
cols = ['staple_mm', 'age_years', 'is_suri']
LinearRegression().fit(train[cols], train['fleece_weight_kg']).score(test[cols], test['fleece_weight_kg'])
"""),
]

NOTEBOOKS["comic_book_auction_price"] = [
    md("""
# Comic book auction prices
Evaluate on a holdout, then refit on everything for the pricing tool.
"""),
    py("""
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split
"""),
    py("""
lots = pd.read_csv('comic_lots.csv')
lots['log_price'] = np.log1p(lots['hammer_price'])
X = lots[['publisher', 'era', 'cgc_grade', 'page_quality', 'key_issue', 'year']]
y = lots['log_price']
"""),
    py("""
ct = make_column_transformer((OneHotEncoder(handle_unknown='ignore'), ['publisher', 'era', 'page_quality']),
                             remainder=StandardScaler())
model = make_pipeline(ct, GradientBoostingRegressor(random_state=0))
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
model.fit(X_train, y_train)
print('holdout R2', model.score(X_test, y_test))
"""),
    md("Deployment: refit on all lots now that the estimate is recorded."),
    py("""
model.fit(X, y)
import joblib
joblib.dump(model, 'comic_pricer.joblib')
"""),
]

NOTEBOOKS["cable_car_cabin_vibration"] = [
    md("# Cable car: bearing wear from cabin vibration windows (8 cabins)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report
"""),
    py("""
win = pd.read_parquet('cabin_vibration_windows.parquet')
print(win.groupby('cabin_id').size())
spec = [c for c in win.columns if c.startswith('fft_')]
X, y = win[spec].values, win['bearing_worn'].values
"""),
    py("""
cv = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | windows of the same cabin spread across folds
pred = cross_val_predict(RandomForestClassifier(n_estimators=300, random_state=0), X, y, cv=cv)
print(classification_report(y, pred))
"""),
]

NOTEBOOKS["cable_car_leave_one_cabin_out"] = [
    md("# Bearing wear, leave one cabin out"),
    py("""
import pandas as pd
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
win = pd.read_parquet('cabin_vibration_windows.parquet')
spec = [c for c in win.columns if c.startswith('fft_')]
scores = cross_val_score(RandomForestClassifier(n_estimators=300, random_state=0), win[spec],
                         win['bearing_worn'], groups=win['cabin_id'], cv=LeaveOneGroupOut())
scores
"""),
]

NOTEBOOKS["stamp_auction_unsold"] = [
    md("# Stamp auctions: will the lot go unsold? Choosing a threshold"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
    py("""
lots = pd.read_csv('stamp_lots.csv')
X = lots[['catalogue_value', 'reserve_ratio', 'centering', 'gum_ok', 'photos']]
y = lots['unsold']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=8)
rf = RandomForestClassifier(n_estimators=300, random_state=8).fit(X_train, y_train)
proba = rf.predict_proba(X_test)[:, 1]
"""),
    py("""
thresholds = np.linspace(0.1, 0.9, 17)
f1s = [f1_score(y_test, proba >= t) for t in thresholds]  #@ LEAK-MULTI-TEST | decision threshold picked by F1 on the test set
best_t = thresholds[int(np.argmax(f1s))]
print(best_t, max(f1s))
"""),
]

NOTEBOOKS["stamp_auction_threshold_val"] = [
    md("# Stamp auctions: threshold on validation, test reported once"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
    py("""
lots = pd.read_csv('stamp_lots.csv')
X = lots[['catalogue_value', 'reserve_ratio', 'centering', 'gum_ok', 'photos']]
y = lots['unsold']
X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
X_tr, X_val, y_tr, y_val = train_test_split(X_dev, y_dev, test_size=0.25, random_state=8)
rf = RandomForestClassifier(n_estimators=300, random_state=8).fit(X_tr, y_tr)
pv = rf.predict_proba(X_val)[:, 1]
ts = np.linspace(0.1, 0.9, 17)
t_best = ts[int(np.argmax([f1_score(y_val, pv >= t) for t in ts]))]
"""),
    py("""
print('test F1', f1_score(y_test, rf.predict_proba(X_test)[:, 1] >= t_best))
"""),
]

NOTEBOOKS["chimney_sweep_no_shows"] = [
    md("""
# Chimney sweep bookings: customer no-shows
(notebook re-run during the review; execution counts show the order)
"""),
    py("""
import pandas as pd
from imblearn.over_sampling import ADASYN
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
""", 1),
    py("""
book = pd.read_csv('sweep_bookings.csv')
X = book[['lead_days', 'reminder_sent', 'prior_no_shows', 'winter', 'distance_km']]
y = book['no_show']
""", 2),
    md("## Split"),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
""", 4),
    md("## Balance the classes"),
    py("""
X, y = ADASYN(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | executed before the split cell above, so synthetic rows reach the test set
""", 3),
    py("""
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
lr.score(X_test, y_test)
""", 5),
]

NOTEBOOKS["roofing_quote_acceptance"] = [
    md("# Roofing quotes: acceptance. EDA on the whole table, model in a pipeline."),
    py("""
import pandas as pd
import seaborn as sns
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
    py("""
quotes = pd.read_csv('roof_quotes.csv')
sns.heatmap(quotes.corr(numeric_only=True), cmap='vlag')
plt.show()
quotes.groupby('material')['accepted'].mean()
"""),
    py("""
feats = ['price_per_m2', 'roof_area_m2', 'days_to_start', 'competitor_quotes']
X_train, X_test, y_train, y_test = train_test_split(quotes[feats], quotes['accepted'], random_state=3)
pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
pipe.score(X_test, y_test)
"""),
]

NOTEBOOKS["spice_auction_price_band"] = [
    md("# Spice auction: price band of saffron lots"),
    py("""
import pandas as pd
from sklearn.preprocessing import KBinsDiscretizer
from sklearn.naive_bayes import CategoricalNB
"""),
    py("""
train = pd.read_csv('saffron_lots_train.csv')
test = pd.read_csv('saffron_lots_test.csv')
cols = ['crocin', 'safranal', 'picrocrocin', 'moisture']
"""),
    py("""
kb = KBinsDiscretizer(n_bins=5, encode='ordinal', strategy='quantile')
Xtr = kb.fit_transform(train[cols])
Xte = kb.fit_transform(test[cols])  #@ LEAK-FIT-ON-TEST | bin edges re-fitted on the test lots
nb = CategoricalNB().fit(Xtr, train['price_band'])
(nb.predict(Xte) == test['price_band']).mean()
"""),
]

NOTEBOOKS["orchestra_ticket_sales"] = [
    md("# Orchestra: weekly ticket sales forecast"),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_percentage_error
"""),
    py("""
weekly = pd.read_csv('box_office_weekly.csv', parse_dates=['week']).sort_values('week')
for k in (1, 2, 52):
    weekly[f'sales_lag{k}'] = weekly['tickets'].shift(k)
weekly = weekly.dropna().reset_index(drop=True)
feats = [c for c in weekly.columns if c.startswith('sales_lag')] + ['guest_soloist', 'programme_pop']
"""),
    py("""
errs = []
for tr_idx, te_idx in TimeSeriesSplit(n_splits=5).split(weekly):
    tr, te = weekly.iloc[tr_idx], weekly.iloc[te_idx]
    gbr = GradientBoostingRegressor(random_state=0).fit(tr[feats], tr['tickets'])
    errs.append(mean_absolute_percentage_error(te['tickets'], gbr.predict(te[feats])))
errs
"""),
]

NOTEBOOKS["ice_cream_truck_sales"] = [
    md("# Ice cream van: daily takings vs weather"),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.linear_model import LinearRegression
"""),
    py("""
days = pd.read_csv('van_takings.csv', parse_dates=['day']).sort_values('day').set_index('day')
days['takings_yday'] = days['takings'].shift(1)
days['temp_roll3'] = days['max_temp'].rolling(3).mean()
days = days.dropna()
"""),
    py("""
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | random shuffle splits over a daily series using yesterday's takings
X = days[['max_temp', 'takings_yday', 'temp_roll3', 'is_weekend']]
cross_val_score(LinearRegression(), X, days['takings'], cv=ss).mean()
"""),
]

NOTEBOOKS["textile_loom_warp_breaks"] = [
    md("# Textile looms: warp breaks per shift"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import PoissonRegressor
"""),
    py("""
shifts = pd.read_csv('loom_shifts.csv')
shifts = pd.get_dummies(shifts, columns=['yarn_type'], dtype=float)
X = shifts.drop('loom_id', axis=1)  #@ LEAK-TARGET-IN-FEATURES | warp_breaks (the target) stays in X
y = shifts['warp_breaks']
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
PoissonRegressor().fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["textile_loom_efficiency"] = [
    md("# Loom efficiency; target popped off the frame first"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
shifts = pd.read_csv('loom_shifts.csv')
y = shifts.pop('efficiency_pct')
X = shifts.drop('loom_id', axis=1)
X = pd.get_dummies(X, columns=['yarn_type'])
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
RandomForestRegressor(random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["vanilla_curing_grade"] = [
    md("# Vanilla bean curing: grade A/B/C"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
"""),
    py("""
beans = pd.read_csv('vanilla_lots.csv')
beans['grade_code'] = beans['grade'].map({'A': 0, 'B': 1, 'C': 2})
num = beans[['vanillin_pct', 'moisture_pct', 'length_cm', 'sweat_days']]
dummies = pd.get_dummies(beans['origin'], prefix='origin')
"""),
    py("""
X = pd.concat([num, dummies, beans['grade_code']], axis=1)  #@ LEAK-TARGET-IN-FEATURES | the encoded grade is concatenated into the features
y = beans['grade_code']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=1)
RandomForestClassifier(random_state=1).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["piano_tuning_drift"] = [
    md("# Concert hall Steinway: pitch drift (cents) per day since tuning"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
log = pd.read_csv('hall_piano_daily.csv', parse_dates=['date']).sort_values('date')
log['drift_lag1'] = log['a4_drift_cents'].shift(1)
log['rh_change_3d'] = log['hall_rh'].diff(3)
log = log.dropna()
feats = ['drift_lag1', 'rh_change_3d', 'hall_temp', 'days_since_tuning', 'concerts_week']
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(log[feats], log['a4_drift_cents'],  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a daily series with yesterday's drift as a feature
                                                    test_size=0.2, random_state=99)
RandomForestRegressor(random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["aquarium_tank_ph"] = [
    md("# Public aquarium reef tank pH, next-day forecast with a chronological split"),
    py("""
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
"""),
    py("""
tank = pd.read_csv('reef_tank_daily.csv', parse_dates=['date']).sort_values('date')
tank['ph_lag1'] = tank['ph'].shift(1)
tank['alk_lag1'] = tank['alkalinity'].shift(1)
tank = tank.dropna()
n = int(len(tank) * 0.8)
train, test = tank.iloc[:n], tank.iloc[n:]
feats = ['ph_lag1', 'alk_lag1', 'feedings', 'lights_hours']
"""),
    py("""
r = Ridge().fit(train[feats], train['ph'])
mean_absolute_error(test['ph'], r.predict(test[feats]))
"""),
]

NOTEBOOKS["carpet_cleaning_job_time"] = [
    md("# Carpet cleaning: job duration"),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import HuberRegressor
"""),
    py("""
jobs_tr = pd.read_csv('jobs_q1_q3.csv')
jobs_te = pd.read_csv('jobs_q4.csv')
cols = ['area_m2', 'stain_count', 'pile_depth_mm', 'rooms', 'stairs']
imp = SimpleImputer(strategy='median')
Xtr = imp.fit_transform(jobs_tr[cols])
"""),
    py("""
Xte = SimpleImputer(strategy='median').fit_transform(jobs_te[cols])  #@ LEAK-FIT-ON-TEST | imputer medians taken from the Q4 test jobs
hub = HuberRegressor().fit(Xtr, jobs_tr['minutes'])
hub.score(Xte, jobs_te['minutes'])
"""),
]

NOTEBOOKS["jigsaw_solver_times"] = [
    md("# Jigsaw competition: solve time per solver and puzzle (nested CV grouped by solver)"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
"""),
    py("""
solves = pd.read_csv('jigsaw_solves.csv')
X = solves[['pieces', 'colour_entropy', 'edge_ratio', 'experience_events']]
y = solves['minutes']
groups = solves['solver_id']
outer = GroupKFold(n_splits=5)
scores = []
for tr, te in outer.split(X, y, groups):
    inner = GridSearchCV(make_pipeline(StandardScaler(), Ridge()), {'ridge__alpha': [0.1, 1, 10]},
                         cv=GroupKFold(n_splits=3))
    inner.fit(X.iloc[tr], y.iloc[tr], groups=groups.iloc[tr])
    scores.append(inner.score(X.iloc[te], y.iloc[te]))
scores
"""),
]

NOTEBOOKS["balloon_landing_distance"] = [
    md("""
# Hot-air balloon flights: distance from launch to landing
Kaggle kernel: EDA, feature engineering, baseline models, then a tuned LightGBM.
"""),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import lightgbm as lgb
from sklearn.model_selection import train_test_split, cross_val_score, KFold
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
"""),
    py("""
flights = pd.read_csv('balloon_flights.csv')
print(flights.shape)
flights.describe(include='all').T
"""),
    md("## EDA"),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
flights['landing_km'].hist(bins=40, ax=ax[0])
flights.plot.scatter('wind_850hpa_ms', 'landing_km', ax=ax[1], alpha=0.3)
"""),
    md("## Features"),
    py("""
def add_features(df):
    out = df.copy()
    out['wind_u'] = out['wind_850hpa_ms'] * np.cos(np.radians(out['wind_dir_deg']))
    out['wind_v'] = out['wind_850hpa_ms'] * np.sin(np.radians(out['wind_dir_deg']))
    out['fuel_per_pax'] = out['propane_kg'] / out['passengers'].clip(lower=1)
    return out.drop(columns=['flight_id', 'wind_dir_deg'])


flights = add_features(flights)
X = flights.drop(columns='landing_km')
y = flights['landing_km']
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2024)
kf = KFold(5, shuffle=True, random_state=0)
for name, m in [('ridge', Ridge()), ('rf', RandomForestRegressor(300, random_state=0))]:
    print(name, -cross_val_score(m, X_train, y_train, cv=kf, scoring='neg_mean_absolute_error').mean())
"""),
    md("## LightGBM with early stopping"),
    py("""
gbm = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.01, num_leaves=24, subsample=0.8,
                        subsample_freq=1, colsample_bytree=0.8)
gbm.fit(X_train, y_train, eval_set=[(X_test, y_test)], eval_metric='l1',  #@ LEAK-MULTI-TEST | early stopping picks the number of trees on the test set
        callbacks=[lgb.early_stopping(200), lgb.log_evaluation(500)])
"""),
    py("""
print('MAE km', mean_absolute_error(y_test, gbm.predict(X_test)))
lgb.plot_importance(gbm, max_num_features=15)
"""),
]

NOTEBOOKS["botanic_garden_visits"] = [
    md("""
# Botanic garden: weekend visitor counts per glasshouse event
Course lab 6 (regression with engineered features).
"""),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression, Lasso
from sklearn.metrics import r2_score
"""),
    md("### Load"),
    py("""
ev = pd.read_csv('glasshouse_events.csv')
ev = ev[ev['cancelled'] == 0].copy()
ev.info()
"""),
    md("### Standardise the weather columns (z-scores)"),
    py("""
for col in ['temp_c', 'rain_mm', 'sunshine_h']:
    ev[col + '_z'] = (ev[col] - ev[col].mean()) / ev[col].std()  #@ LEAK-PREPROCESSING | mean/std over every event before the split
"""),
    md("### Event type as one-hot"),
    py("""
ev = pd.get_dummies(ev, columns=['event_type'], drop_first=True)
feature_cols = [c for c in ev.columns if c.endswith('_z') or c.startswith('event_type_')] + ['marketing_spend']
"""),
    md("### Fit"),
    py("""
X_train, X_test, y_train, y_test = train_test_split(ev[feature_cols], ev['visitors'], test_size=0.25,
                                                    random_state=6)
ols = LinearRegression().fit(X_train, y_train)
print('OLS test R2', r2_score(y_test, ols.predict(X_test)))
"""),
    md("### Questions\n1. Which coefficient is largest? 2. Try Lasso with alpha chosen by CV on the training set."),
]

NOTEBOOKS["seaweed_farm_harvest"] = [
    md("""
# Seaweed farm harvest weight per longline
Cells were re-run while cleaning up the notebook; the counts show the real order.
"""),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
""", 1),
    py("""
lines = pd.read_csv('longline_harvests.csv')
lines = lines.drop(columns=['longline_tag'])
X = lines[['depth_m', 'water_temp_c', 'nitrate_um', 'seeding_density', 'days_out']]
y = lines['wet_kg']
""", 2),
    md("### Scaling"),
    py("""
scaler = StandardScaler().fit(X)
X_scaled = scaler.transform(X)
""", 6),
    md("### Hold-out"),
    py("""
X, X_hold, y, y_hold = train_test_split(X, y, test_size=0.2, random_state=5)
""", 3),
    md("Note: `X` now holds only the training rows; the scaler cell above was run after this one."),
    py("""
model = Ridge(alpha=2.0).fit(X_scaled, y)
print(model.score(scaler.transform(X_hold), y_hold))
""", 7),
]

NOTEBOOKS["glaze_crazing_tiles"] = [
    md("# Ceramic glaze: crazing on tiles, quick check"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
"""),
    py("""
tiles = pd.read_csv('glaze_tests.csv')
X = tiles[['silica', 'alumina', 'boron', 'flux_ratio', 'cte', 'peak_c']]
y = tiles['crazed']
gbc = GradientBoostingClassifier(random_state=0)
gbc.fit(X, y)  #@ LEAK-OVERLAP | model fitted on all tiles, then scored on a split of the same tiles
"""),
    py("""
_, X_test, _, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
print('accuracy', gbc.score(X_test, y_test))
"""),
]

NOTEBOOKS["glaze_shivering_cv"] = [
    md("# Glaze shivering with out-of-fold predictions, then a production fit"),
    py("""
import pandas as pd
from sklearn.model_selection import cross_val_predict
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
"""),
    py("""
tiles = pd.read_csv('glaze_tests.csv')
X = tiles[['silica', 'alumina', 'boron', 'flux_ratio', 'cte']]
y = tiles['shivered']
oof = cross_val_predict(GradientBoostingClassifier(random_state=0), X, y, cv=5, method='predict_proba')[:, 1]
print('OOF AUC', roc_auc_score(y, oof))
production = GradientBoostingClassifier(random_state=0).fit(X, y)
"""),
]

NOTEBOOKS["luthier_guitar_prices"] = [
    md("# Luthier guitars: predicting the commission price (numpy arrays)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
guitars = pd.read_csv('commissions.csv')
guitars['top_wood_code'] = guitars['top_wood'].astype('category').cat.codes
arr = guitars[['top_wood_code', 'scale_mm', 'weight_kg', 'build_hours', 'inlay_count', 'price']].to_numpy()
"""),
    py("""
X, y = arr[:, :], arr[:, -1]  #@ LEAK-TARGET-IN-FEATURES | slice keeps the last column (price) in X
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
RandomForestRegressor(random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["luthier_build_hours"] = [
    md("# Luthier build hours (numpy)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
"""),
    py("""
guitars = pd.read_csv('commissions.csv')
arr = guitars[['scale_mm', 'weight_kg', 'inlay_count', 'binding', 'build_hours']].to_numpy()
X, y = arr[:, :-1], arr[:, -1]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
RandomForestRegressor(random_state=0).fit(X_train, y_train).score(X_test, y_test)
"""),
]

NOTEBOOKS["street_food_permit_inspections"] = [
    md("# Street food permits: inspection pass/fail"),
    py("""
import pandas as pd
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
    py("""
train = pd.read_csv('permits_2022_2023.csv')
test = pd.read_csv('permits_2024.csv')
num = ['years_trading', 'prior_violations', 'menu_items']
le = LabelEncoder()
train['cuisine'] = le.fit_transform(train['cuisine'])
test['cuisine'] = le.transform(test['cuisine'])
"""),
    py("""
sc = StandardScaler()
Xtr = sc.fit_transform(train[num + ['cuisine']])
sc_test = StandardScaler()
Xte = sc_test.fit_transform(test[num + ['cuisine']])  #@ LEAK-FIT-ON-TEST | a fresh scaler fitted on the 2024 permits
"""),
    py("""
clf = LogisticRegression().fit(Xtr, train['passed'])
clf.score(Xte, test['passed'])
"""),
]

NOTEBOOKS["mosaic_tile_defects"] = [
    md("# Mosaic tile defects: chi2 selection fitted on the training split"),
    py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB
"""),
    py("""
tiles = pd.read_csv('tile_pixel_hist.csv')
X = tiles.filter(like='bin_')
y = tiles['defect']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
sel = SelectKBest(chi2, k=30).fit(X_train, y_train)
nb = MultinomialNB().fit(sel.transform(X_train), y_train)
nb.score(sel.transform(X_test), y_test)
"""),
]

NOTEBOOKS["mountain_hut_occupancy"] = [
    md("# Mountain hut occupancy: helper functions, chronological evaluation"),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error


def make_lags(df, col, lags):
    out = df.copy()
    for k in lags:
        out[f'{col}_lag{k}'] = out[col].shift(k)
    return out.dropna()


def split_by_date(df, cutoff):
    return df[df.index < cutoff], df[df.index >= cutoff]
"""),
    py("""
hut = pd.read_csv('hut_nights.csv', parse_dates=['night']).set_index('night').sort_index()
hut = make_lags(hut, 'beds_taken', [1, 7, 365])
train, test = split_by_date(hut, '2024-06-01')
"""),
    py("""
feats = [c for c in hut.columns if c != 'beds_taken']
rf = RandomForestRegressor(n_estimators=300, random_state=0).fit(train[feats], train['beds_taken'])
mean_absolute_error(test['beds_taken'], rf.predict(test[feats]))
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
