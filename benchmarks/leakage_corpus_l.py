# ruff: noqa: E501
"""Held-out leakage corpus L: realistic notebooks written blind (without reading the detector).

Domains not used by earlier corpora: ski patrol incidents, container ports, blood donors (per
donor), tram networks, poetry (text), seed banks, surf forecasts, dog shelters, violin making,
tax audits, ride-share drivers (per driver), data-centre cooling, hearing aids, wastewater
inflow, kelp farms, snowplough routes, cattle auctions, lab mice, radio listeners, postal
sorting, wildfire lookouts, sawmills, charity donations, fire hydrants, cochlear implants,
textile looms, glassblowing, tower cranes, bowling, recycling sorters, passport queues,
mountain huts, kite surfing, chimney sweeps, jigsaw puzzles, typewriter restoration, prosthetic
gait, tornado warnings. Styles: Kaggle kernels with EDA and several models, course labs, team
reports with helper functions, numpy arrays, method chains, early stopping with ``eval_set=`` /
``validation_data=``, target encoding by hand and with ``category_encoders``, TF-IDF, PCA,
feature selection, SMOTE / RandomOverSampler / ``resample`` / ``sample(replace=True)``,
augmentation, lags and rolling windows, grouped entities. Some notebooks were run out of order
(explicit execution counts); the leak (or its absence) follows the execution order.

78 notebooks: 39 leak (three of them with two leaks, 42 labels), 39 are clean look-alikes; six
were run out of order. ``pd.get_dummies`` before the split is treated as not leaking (it learns
no statistic beyond the category set) and is left unlabelled.
Labels follow the ``#@ RULE | why`` convention of ``leakage_corpus_kit``.
"""

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import build as build_corpus
from leakage_corpus_kit import main, md, py

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-l"

NOTEBOOKS = {
    # 1 -- Kaggle-style kernel, scaler fitted on the full matrix before the split.
    "ski_patrol_incident_severity": [
        md("# Ski patrol incidents: predicting severe injuries\nData: 4 seasons of patrol reports from three resorts."),
        py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score, classification_report
"""),
        py("""
incidents = pd.read_csv('patrol_reports.csv')
incidents.head()
""", 3),
        md("## EDA"),
        py("""
print(incidents.shape)
incidents.describe().T
""", 4),
        py("""
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
sns.countplot(x='severe', data=incidents, ax=ax[0])
sns.boxplot(x='severe', y='slope_angle', data=incidents, ax=ax[1])
plt.show()
""", 5),
        md("## Features"),
        py("""
incidents['is_weekend'] = pd.to_datetime(incidents['date']).dt.dayofweek >= 5
num_cols = ['slope_angle', 'snow_depth_cm', 'temp_c', 'visibility_m', 'skier_age', 'response_min']
X = incidents[num_cols + ['is_weekend']].astype(float).values
y = incidents['severe'].values
""", 7),
        py("""
sc = StandardScaler()
X = sc.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on every incident before the train/test split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=7)
""", 8),
        py("""
lr = LogisticRegression(max_iter=500).fit(X_train, y_train)
print('LR AUC', roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1]))
""", 9),
        md("Per-class report for the logistic model."),
        py("""
print(classification_report(y_test, lr.predict(X_test)))
""", 10),
    ],
    # 2 -- clean: ColumnTransformer pipeline inside cross_val_score.
    "ski_patrol_response_pipeline": [
        md("# Response-time model for ski patrol\nLab 4: pipelines."),
        py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.impute import SimpleImputer
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import cross_val_score, KFold
"""),
        py("""
df = pd.read_csv('patrol_reports.csv')
y = df['response_min']
X = df.drop(columns=['response_min', 'report_id'])
"""),
        py("""
num = ['slope_angle', 'snow_depth_cm', 'temp_c', 'visibility_m']
cat = ['resort', 'run_difficulty', 'lift_nearest']
pre = ColumnTransformer([
    ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), num),
    ('cat', OneHotEncoder(handle_unknown='ignore'), cat),
])
model = Pipeline([('pre', pre), ('gbr', GradientBoostingRegressor(random_state=0))])
"""),
        py("""
scores = cross_val_score(model, X[num + cat], y, cv=KFold(5, shuffle=True, random_state=0), scoring='neg_mean_absolute_error')
print(-scores.mean(), scores.std())
"""),
    ],
    # 3 -- time-ordered daily series with lags, random split.
    "container_port_dwell_forecast": [
        md("# Container dwell time at the port (daily)"),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
"""),
        py("""
daily = (pd.read_csv('terminal_moves.csv', parse_dates=['day'])
           .groupby('day', as_index=False)
           .agg(dwell_h=('dwell_hours', 'mean'), moves=('box_id', 'count'), vessels=('vessel', 'nunique'))
           .sort_values('day'))
"""),
        py("""
for lag in (1, 2, 7, 14):
    daily[f'dwell_lag{lag}'] = daily['dwell_h'].shift(lag)
daily['moves_roll7'] = daily['moves'].rolling(7).mean()
daily['dow'] = daily['day'].dt.dayofweek
daily = daily.dropna()
"""),
        py("""
feats = [c for c in daily.columns if c not in ('day', 'dwell_h')]
X_tr, X_te, y_tr, y_te = train_test_split(daily[feats], daily['dwell_h'], test_size=0.2, random_state=42)  #@ LEAK-TEMPORAL-SPLIT | daily lagged series split at random, future days train the model
rf = RandomForestRegressor(n_estimators=400, random_state=0).fit(X_tr, y_tr)
print('MAE', mean_absolute_error(y_te, rf.predict(X_te)))
"""),
    ],
    # 4 -- clean: same series, chronological cutoff.
    "container_port_berth_chrono": [
        md("# Berth occupancy forecast, chronological holdout"),
        py("""
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import mean_absolute_error
"""),
        py("""
occ = pd.read_csv('berth_occupancy.csv', parse_dates=['date']).sort_values('date').set_index('date')
occ['lag1'] = occ['occupancy'].shift(1)
occ['lag7'] = occ['occupancy'].shift(7)
occ['roll28'] = occ['occupancy'].shift(1).rolling(28).mean()
occ = occ.dropna()
"""),
        py("""
cutoff = '2024-07-01'
train, test = occ.loc[:cutoff], occ.loc[cutoff:].iloc[1:]
cols = ['lag1', 'lag7', 'roll28', 'ships_expected']
sc = StandardScaler().fit(train[cols])
reg = Ridge(alpha=1.0).fit(sc.transform(train[cols]), train['occupancy'])
print(mean_absolute_error(test['occupancy'], reg.predict(sc.transform(test[cols]))))
"""),
    ],
    # 5 -- per-donor visits, random split of rows.
    "blood_donor_return_visits": [
        md("# Will the donor come back within 6 months?\nOne row per donation visit; donors appear many times."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
"""),
        py("""
visits = pd.read_csv('donations.csv')
print(visits['donor_id'].nunique(), 'donors,', len(visits), 'visits')
visits['visits_so_far'] = visits.groupby('donor_id').cumcount()
"""),
        py("""
features = ['age', 'hb_level', 'visits_so_far', 'days_since_last', 'deferral_count', 'distance_km']
X, y = visits[features], visits['returned_6m']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)  #@ LEAK-GROUP-SPLIT | visits of one donor land in both train and test
clf = HistGradientBoostingClassifier().fit(X_train, y_train)
print(roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
"""),
    ],
    # 6 -- clean: GroupKFold by donor.
    "blood_donor_deferral_groupkfold": [
        md("# Deferral risk per donation, grouped by donor"),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
"""),
        py("""
visits = pd.read_csv('donations.csv')
X = visits[['age', 'hb_level', 'weight_kg', 'days_since_last', 'sex_m']].to_numpy()
y = visits['deferred'].to_numpy()
donors = visits['donor_id'].to_numpy()
"""),
        py("""
aucs = []
for fold, (tr, te) in enumerate(GroupKFold(n_splits=5).split(X, y, groups=donors)):
    m = HistGradientBoostingClassifier(random_state=fold).fit(X[tr], y[tr])
    aucs.append(roc_auc_score(y[te], m.predict_proba(X[te])[:, 1]))
print(np.mean(aucs), np.std(aucs))
"""),
    ],
    # 7 -- lightgbm early stopping on the test set.
    "tram_delay_lightgbm": [
        md("# Tram delays (minutes) per trip\nLightGBM with early stopping."),
        py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
        py("""
trips = pd.read_parquet('tram_trips.parquet')
trips = trips.drop(columns=['trip_id'])
y = trips.pop('delay_min')
X = pd.get_dummies(trips, columns=['line', 'weather'])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
"""),
        py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.03, num_leaves=63)
model.fit(X_train, y_train,  #@ LEAK-MULTI-TEST | early stopping picks the number of trees on the test set
          eval_set=[(X_test, y_test)],
          callbacks=[lgb.early_stopping(100), lgb.log_evaluation(200)])
"""),
        py("""
pred = model.predict(X_test, num_iteration=model.best_iteration_)
print('test MAE', mean_absolute_error(y_test, pred))
"""),
    ],
    # 8 -- clean: early stopping on a validation split carved from train.
    "tram_headway_xgb_validation": [
        md("# Tram headway irregularity, XGBoost"),
        py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
"""),
        py("""
df = pd.read_parquet('tram_headways.parquet')
X = df.drop(columns=['headway_dev', 'stop_event_id'])
y = df['headway_dev']
X_full, X_test, y_full, y_test = train_test_split(X, y, test_size=0.2, random_state=11)
X_tr, X_val, y_tr, y_val = train_test_split(X_full, y_full, test_size=0.2, random_state=11)
"""),
        py("""
booster = xgb.XGBRegressor(n_estimators=3000, learning_rate=0.05, max_depth=6, early_stopping_rounds=50)
booster.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], verbose=False)
print(booster.best_iteration)
"""),
        py("""
print('held-out MAE', mean_absolute_error(y_test, booster.predict(X_test)))
"""),
    ],
    # 9 -- TF-IDF fitted on the whole corpus of poems.
    "poetry_era_classifier": [
        md("# Which era is this poem from?\nTF-IDF + linear SVM on 12k poems."),
        py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
"""),
        py("""
poems = pd.read_json('poems.jsonl', lines=True)
poems['text'] = poems['text'].str.lower().str.replace(r'[^a-z\\s]', ' ', regex=True)
poems['era'].value_counts()
"""),
        py("""
tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
X = tfidf.fit_transform(poems['text'])  #@ LEAK-PREPROCESSING | vocabulary and idf weights learned from test poems too
y = poems['era']
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2, random_state=0)
svm = LinearSVC(C=0.5).fit(X_train, y_train)
print(f1_score(y_test, svm.predict(X_test), average='macro'))
"""),
    ],
    # 10 -- clean: TF-IDF in a pipeline, grid search on train, test once.
    "poetry_meter_gridsearch": [
        md("# Meter detection (iambic vs other)"),
        py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
"""),
        py("""
lines = pd.read_csv('verse_lines.csv')
train_df, test_df = train_test_split(lines, test_size=0.2, stratify=lines['iambic'], random_state=5)
"""),
        py("""
pipe = make_pipeline(TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 4)), LogisticRegression(max_iter=2000))
grid = GridSearchCV(pipe, {'logisticregression__C': [0.1, 1, 10], 'tfidfvectorizer__min_df': [1, 3]}, cv=5, scoring='f1')
grid.fit(train_df['line'], train_df['iambic'])
print(grid.best_params_, grid.best_score_)
"""),
        py("""
print('test F1', grid.score(test_df['line'], test_df['iambic']))
"""),
    ],
    # 11 -- SMOTE before the split.
    "seed_bank_germination_smote": [
        md("# Seed bank: which accessions fail germination tests?\nOnly ~6% fail, so we balance with SMOTE."),
        py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score, precision_score
"""),
        py("""
seeds = pd.read_csv('accessions.csv')
X = seeds[['storage_years', 'moisture_pct', 'temp_c', 'seed_mass_mg', 'viability_last']]
y = seeds['failed']
"""),
        py("""
X_bal, y_bal = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic seeds interpolated from rows that end up in the test split
X_train, X_test, y_train, y_test = train_test_split(X_bal, y_bal, test_size=0.25, random_state=0)
"""),
        py("""
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_train, y_train)
p = rf.predict(X_test)
print(precision_score(y_test, p), recall_score(y_test, p))
"""),
    ],
    # 12 -- clean: imblearn pipeline in cross_validate.
    "seed_bank_viability_imblearn": [
        md("# Viability loss, imbalanced - SMOTE inside the CV pipeline"),
        py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate, StratifiedKFold
"""),
        py("""
seeds = pd.read_csv('accessions.csv')
X = seeds.drop(columns=['failed', 'accession_no'])
y = seeds['failed']
pipe = Pipeline([('sc', StandardScaler()), ('smote', SMOTE(random_state=0)), ('lr', LogisticRegression(max_iter=1000))])
res = cross_validate(pipe, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring=['recall', 'precision'])
print({k: v.mean() for k, v in res.items() if k.startswith('test_')})
"""),
    ],
    # 13 -- several models compared on the test set, best picked.
    "surf_forecast_wave_height": [
        md("# Surf forecast: wave height at the point break, 6 hours ahead\nBuoy features are already lagged upstream (one row per forecast issue)."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge, Lasso
from sklearn.ensemble import RandomForestRegressor, ExtraTreesRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.metrics import mean_squared_error
"""),
        py("""
obs = pd.read_csv('buoy_features.csv')
X = obs[['swell_h', 'swell_period', 'swell_dir', 'wind_speed', 'wind_dir', 'tide_m']]
y = obs['wave_h_6h']
cut = int(len(obs) * 0.8)
X_train, X_test, y_train, y_test = X.iloc[:cut], X.iloc[cut:], y.iloc[:cut], y.iloc[cut:]
"""),
        py("""
models = {
    'ridge': Ridge(),
    'lasso': Lasso(alpha=0.01),
    'rf': RandomForestRegressor(n_estimators=300, random_state=0),
    'et': ExtraTreesRegressor(n_estimators=300, random_state=0),
    'knn': KNeighborsRegressor(15),
}
rmse = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    rmse[name] = mean_squared_error(y_test, m.predict(X_test)) ** 0.5  #@ LEAK-MULTI-TEST | five models compared on the test set to pick the winner
best = min(rmse, key=rmse.get)
print(rmse, '-> best:', best)
"""),
    ],
    # 14 -- clean: models compared on validation, test used once.
    "surf_forecast_period_validation": [
        md("# Swell period forecast: compare on validation, report the winner on test"),
        py("""
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor, GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
        py("""
obs = pd.read_csv('buoy_features.csv')
n = len(obs)
train, val, test = obs.iloc[:int(.7 * n)], obs.iloc[int(.7 * n):int(.85 * n)], obs.iloc[int(.85 * n):]
cols = ['swell_h', 'swell_dir', 'wind_speed', 'pressure_hpa']
"""),
        py("""
cands = {'ridge': Ridge(), 'rf': RandomForestRegressor(random_state=0), 'gbr': GradientBoostingRegressor(random_state=0)}
val_mae = {k: mean_absolute_error(val['period_6h'], m.fit(train[cols], train['period_6h']).predict(val[cols])) for k, m in cands.items()}
best = min(val_mae, key=val_mae.get)
print(val_mae, best)
"""),
        py("""
final = cands[best]
print('test MAE', mean_absolute_error(test['period_6h'], final.predict(test[cols])))
"""),
    ],
    # 15 -- target left in X.
    "dog_shelter_adoption": [
        md("# Dog shelter: adopted within 30 days?"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import accuracy_score
"""),
        py("""
dogs = pd.read_csv('intakes.csv')
dogs = pd.get_dummies(dogs, columns=['breed_group', 'intake_type', 'colour'], drop_first=True)
dogs['adopted_30d'] = dogs['adopted_30d'].astype(int)
"""),
        py("""
X = dogs.drop(columns=['animal_id', 'intake_date'])  #@ LEAK-TARGET-IN-FEATURES | adopted_30d is still a column of X
y = dogs['adopted_30d']
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
tree = DecisionTreeClassifier(max_depth=5).fit(X_train, y_train)
print(accuracy_score(y_test, tree.predict(X_test)))
"""),
    ],
    # 16 -- clean: id dropped, target popped.
    "dog_shelter_length_of_stay": [
        md("# Length of stay (days) at the shelter"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
"""),
        py("""
dogs = pd.read_csv('intakes.csv').drop(columns=['animal_id', 'name'])
y = dogs.pop('stay_days')
X = pd.get_dummies(dogs.drop(columns=['intake_date', 'outcome_date']), drop_first=True)
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2)
rf = RandomForestRegressor(n_estimators=250, random_state=2).fit(X_train, y_train)
print(mean_absolute_error(y_test, rf.predict(X_test)))
"""),
    ],
    # 17 -- scaler refitted on the test set.
    "violin_tonewood_quality": [
        md("# Violin making: grading spruce tonewood from tap-tone measurements"),
        py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import train_test_split
"""),
        py("""
wood = pd.read_csv('tap_tones.csv')
X = wood[['density', 'speed_of_sound', 'damping', 'f1_hz', 'f2_hz', 'ring_density']].values
y = wood['grade_A'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=4)
"""),
        py("""
X_train = StandardScaler().fit_transform(X_train)
X_test = StandardScaler().fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | a second scaler fitted on the test plates
svc = SVC(C=3, gamma='scale').fit(X_train, y_train)
print((svc.predict(X_test) == y_test).mean())
"""),
    ],
    # 18 -- clean: fit on train, transform test.
    "violin_varnish_price": [
        md("# Auction price of workshop violins"),
        py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import PowerTransformer
from sklearn.linear_model import ElasticNet
from sklearn.model_selection import train_test_split
"""),
        py("""
lots = pd.read_csv('violin_lots.csv')
X = lots[['age_years', 'maker_rank', 'varnish_score', 'repairs', 'back_length_mm']].to_numpy()
y = np.log(lots['hammer_price'].to_numpy())
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)
pt = PowerTransformer()
X_train_t = pt.fit_transform(X_train)
X_test_t = pt.transform(X_test)
"""),
        py("""
en = ElasticNet(alpha=0.01, l1_ratio=0.3).fit(X_train_t, y_train)
print(en.score(X_test_t, y_test))
"""),
    ],
    # 19 -- mean target encoding by hand on the whole frame.
    "tax_audit_selection": [
        md("# Tax audits: which returns yield an adjustment?\nTeam notebook - helpers in the first cell."),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

def load_returns(path):
    df = pd.read_csv(path)
    df['deduction_ratio'] = df['deductions'] / df['gross_income'].clip(lower=1)
    return df
"""),
        py("""
returns = load_returns('audited_returns.csv')
returns['occ_rate'] = returns.groupby('occupation_code')['adjusted'].transform('mean')  #@ LEAK-PREPROCESSING | occupation target mean computed on all returns, test labels included
"""),
        py("""
cols = ['deduction_ratio', 'gross_income', 'self_employed', 'occ_rate', 'prior_audits']
X_train, X_test, y_train, y_test = train_test_split(returns[cols], returns['adjusted'], test_size=0.2, random_state=9)
gb = GradientBoostingClassifier().fit(X_train, y_train)
print(roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1]))
"""),
    ],
    # 20 -- clean: target encoding learned on the training split and mapped to test.
    "tax_audit_occupation_encoding": [
        md("# Audit yield - occupation encoding done on train only"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
"""),
        py("""
returns = pd.read_csv('audited_returns.csv')
train, test = train_test_split(returns, test_size=0.2, random_state=9, stratify=returns['adjusted'])
train, test = train.copy(), test.copy()
"""),
        py("""
prior = train['adjusted'].mean()
stats = train.groupby('occupation_code')['adjusted'].agg(['sum', 'count'])
enc = (stats['sum'] + 20 * prior) / (stats['count'] + 20)
train['occ_rate'] = train['occupation_code'].map(enc)
test['occ_rate'] = test['occupation_code'].map(enc).fillna(prior)
"""),
        py("""
cols = ['occ_rate', 'gross_income', 'prior_audits']
lr = LogisticRegression(max_iter=1000).fit(train[cols], train['adjusted'])
print(roc_auc_score(test['adjusted'], lr.predict_proba(test[cols])[:, 1]))
"""),
    ],
    # 21 -- weekly rows per driver, shuffled KFold passed as cv=.
    "rideshare_driver_churn": [
        md("# Ride-share drivers: will the driver go inactive next week?\nOne row per driver-week."),
        py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
        py("""
weeks = pd.read_csv('driver_weeks.csv')
X = weeks[['trips', 'hours_online', 'acceptance_rate', 'rating', 'surge_share', 'earnings']]
y = weeks['inactive_next']
"""),
        py("""
cv = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | driver-weeks of the same driver fall in training and validation folds
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
print(cross_val_score(pipe, X, y, cv=cv, scoring='roc_auc').mean())
"""),
    ],
    # 22 -- clean: GroupShuffleSplit by driver.
    "rideshare_driver_earnings_gss": [
        md("# Weekly earnings per driver - holdout by driver"),
        py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
        py("""
weeks = pd.read_csv('driver_weeks.csv')
feats = ['trips', 'hours_online', 'acceptance_rate', 'surge_share', 'city_zone']
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr_idx, te_idx = next(gss.split(weeks, groups=weeks['driver_id']))
train, test = weeks.iloc[tr_idx], weeks.iloc[te_idx]
"""),
        py("""
hgb = HistGradientBoostingRegressor(categorical_features=[4]).fit(train[feats], train['earnings'])
print(mean_absolute_error(test['earnings'], hgb.predict(test[feats])))
"""),
    ],
    # 23 -- two leaks: scaler on the full hourly frame and a random split of the hourly series.
    "datacentre_cooling_pue": [
        md("# Data-centre cooling: predicting PUE one hour ahead"),
        py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
"""),
        py("""
hourly = pd.read_csv('bms_hourly.csv', parse_dates=['ts']).set_index('ts').sort_index()
hourly['pue_next'] = hourly['pue'].shift(-1)
hourly['it_load_roll24'] = hourly['it_load_kw'].rolling(24).mean()
hourly['outside_temp_lag1'] = hourly['outside_temp'].shift(1)
hourly = hourly.dropna()
"""),
        md("Scale everything to [0, 1] for the MLP."),
        py("""
cols = ['it_load_kw', 'it_load_roll24', 'outside_temp', 'outside_temp_lag1', 'chiller_setpoint', 'fan_speed', 'pue']
mm = MinMaxScaler()
scaled = mm.fit_transform(hourly[cols])  #@ LEAK-PREPROCESSING | min/max taken over every hour, including the hours later held out
"""),
        py("""
X_tr, X_te, y_tr, y_te = train_test_split(scaled, hourly['pue_next'].values, test_size=0.2, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | hourly series shuffled, neighbouring hours on both sides
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=500, random_state=0).fit(X_tr, y_tr)
print(mlp.score(X_te, y_te))
"""),
    ],
    # 24 -- clean: TimeSeriesSplit with the scaler inside the pipeline.
    "datacentre_chiller_tss": [
        md("# Chiller power model, walk-forward validation"),
        py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
"""),
        py("""
bms = pd.read_csv('bms_hourly.csv', parse_dates=['ts']).sort_values('ts')
bms['load_lag1'] = bms['it_load_kw'].shift(1)
bms['temp_roll6'] = bms['outside_temp'].rolling(6).mean()
bms = bms.dropna()
X = bms[['load_lag1', 'temp_roll6', 'chiller_setpoint', 'humidity']]
y = bms['chiller_kw']
"""),
        py("""
pipe = Pipeline([('sc', StandardScaler()), ('ridge', Ridge(alpha=3.0))])
tss = TimeSeriesSplit(n_splits=6, gap=24)
print(cross_val_score(pipe, X, y, cv=tss, scoring='neg_mean_absolute_error'))
"""),
    ],
    # 25 -- upsampling with resample before the split.
    "hearing_aid_feedback_events": [
        md("# Hearing aids: detecting acoustic feedback events from device logs"),
        py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
        py("""
logs = pd.read_csv('feedback_windows.csv')
major = logs[logs.feedback == 0]
minor = logs[logs.feedback == 1]
minor_up = resample(minor, replace=True, n_samples=len(major), random_state=42)  #@ LEAK-OVERLAP | duplicated feedback windows created before the split, copies end up in train and test
balanced = pd.concat([major, minor_up])
"""),
        py("""
X = balanced.drop(columns=['feedback', 'window_id'])
y = balanced['feedback']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
rf = RandomForestClassifier(random_state=42).fit(X_train, y_train)
print(f1_score(y_test, rf.predict(X_test)))
"""),
    ],
    # 26 -- clean: upsample only the training split.
    "hearing_aid_feedback_train_upsample": [
        md("# Feedback detection - upsampling after the split"),
        py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
"""),
        py("""
logs = pd.read_csv('feedback_windows.csv').drop(columns=['window_id'])
train, test = train_test_split(logs, test_size=0.2, stratify=logs['feedback'], random_state=42)
"""),
        py("""
pos = train[train.feedback == 1]
neg = train[train.feedback == 0]
train_bal = pd.concat([neg, resample(pos, replace=True, n_samples=len(neg), random_state=42)])
rf = RandomForestClassifier(random_state=42).fit(train_bal.drop(columns='feedback'), train_bal['feedback'])
print(f1_score(test['feedback'], rf.predict(test.drop(columns='feedback'))))
"""),
    ],
    # 27 -- out of order: the scaler cell sits below the split on the page but ran before it.
    "wastewater_inflow_rain_events": [
        md("# Wastewater treatment plant: storm inflow exceedance\nNote: cells were re-run while debugging, see execution counts."),
        py("""
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""", 1),
        py("""
events = pd.read_csv('rain_events.csv')
X = events[['rain_mm_1h', 'rain_mm_24h', 'soil_moisture', 'pump_capacity', 'tide_level']].values
y = events['exceeded'].values
""", 2),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
""", 4),
        md("Robust scaling (rain is heavy-tailed)."),
        py("""
rs = RobustScaler()
X = rs.fit_transform(X)  #@ LEAK-PREPROCESSING | executed (In 3) before the split cell (In 4), so the split takes already-scaled rows
""", 3),
        py("""
clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print(roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
""", 5),
    ],
    # 28 -- clean, out of order: a whole-frame imputation cell above the split ran last, for a plot only.
    "wastewater_sludge_age": [
        md("# Sludge age vs effluent ammonia"),
        py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
""", 1),
        py("""
plant = pd.read_csv('plant_daily.csv')
cols = ['sludge_age_d', 'do_mg_l', 'temp_c', 'inflow_m3', 'mlss']
""", 2),
        md("Median-filled frame for the overview plot (run at the end of the session, after the model)."),
        py("""
plant[cols] = plant[cols].fillna(plant[cols].median())
plant.plot.scatter(x='sludge_age_d', y='nh4_out')
plt.show()
""", 7),
        py("""
train, test = train_test_split(plant.dropna(subset=['nh4_out']), test_size=0.2, random_state=3)
imp = SimpleImputer(strategy='median').fit(train[cols])
""", 3),
        py("""
rf = RandomForestRegressor(n_estimators=300, random_state=3).fit(imp.transform(train[cols]), train['nh4_out'])
""", 4),
        py("""
print(r2_score(test['nh4_out'], rf.predict(imp.transform(test[cols]))))
""", 5),
    ],
    # 29 -- PCA fitted on train and test stacked with np.vstack.
    "kelp_farm_spectra_yield": [
        md("# Kelp farm biomass from hyperspectral drone passes"),
        py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
"""),
        py("""
X_train = np.load('spectra_train.npy')
X_test = np.load('spectra_test.npy')
y_train = np.load('yield_train.npy')
y_test = np.load('yield_test.npy')
print(X_train.shape, X_test.shape)
"""),
        py("""
pca = PCA(n_components=12)
pca.fit(np.vstack([X_train, X_test]))  #@ LEAK-PREPROCESSING | components estimated from train and test spectra stacked together
Z_train, Z_test = pca.transform(X_train), pca.transform(X_test)
"""),
        py("""
lin = LinearRegression().fit(Z_train, y_train)
print(r2_score(y_test, lin.predict(Z_test)))
"""),
    ],
    # 30 -- clean: PCA in the pipeline, explained variance on the whole set only for a plot.
    "kelp_farm_pca_pipeline": [
        md("# Kelp canopy density - PCR pipeline"),
        py("""
import numpy as np
import matplotlib.pyplot as plt
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score
"""),
        py("""
X = np.load('canopy_spectra.npy')
y = np.load('canopy_density.npy')
plt.imshow(np.corrcoef(X, rowvar=False), cmap='coolwarm')
plt.title('band correlation (exploration only)')
plt.show()
"""),
        py("""
pcr = make_pipeline(StandardScaler(), PCA(n_components=15), Ridge(alpha=1.0))
print(cross_val_score(pcr, X, y, cv=5, scoring='r2').mean())
"""),
    ],
    # 31 -- SelectKBest on the full data, then cross-validation.
    "snowplough_route_overruns": [
        md("# Snowplough routes: will the shift overrun?\n60 candidate features from route geometry and weather."),
        py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.model_selection import cross_val_score, StratifiedKFold
from sklearn.ensemble import RandomForestClassifier
"""),
        py("""
shifts = pd.read_csv('plough_shifts.csv')
y = shifts['overrun']
X = shifts.drop(columns=['overrun', 'shift_id'])
"""),
        py("""
selector = SelectKBest(f_classif, k=15)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | features chosen with the labels of every shift before cross-validation
print(X.columns[selector.get_support()].tolist())
"""),
        py("""
cv = StratifiedKFold(5, shuffle=True, random_state=1)
print(cross_val_score(RandomForestClassifier(random_state=1), X_sel, y, cv=cv, scoring='f1').mean())
"""),
    ],
    # 32 -- clean: SelectKBest inside the pipeline.
    "snowplough_salt_usage_selection": [
        md("# Salt tonnage per route - selection inside CV"),
        py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import SelectKBest, mutual_info_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import cross_val_score
"""),
        py("""
routes = pd.read_csv('plough_shifts.csv')
X = routes.drop(columns=['salt_t', 'shift_id', 'overrun'])
y = routes['salt_t']
pipe = Pipeline([('kbest', SelectKBest(mutual_info_regression, k=20)), ('rf', RandomForestRegressor(random_state=0))])
print(cross_val_score(pipe, X, y, cv=5, scoring='neg_mean_absolute_error').mean())
"""),
    ],
    # 33 -- target in the features list.
    "cattle_auction_price": [
        md("# Cattle auction: price per head"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_percentage_error
"""),
        py("""
lots = pd.read_csv('auction_lots.csv')
lots = pd.get_dummies(lots, columns=['breed', 'sex', 'market'])
features = [c for c in lots.columns if c not in ('lot_id', 'sale_date')]
"""),
        py("""
X = lots[features]  #@ LEAK-TARGET-IN-FEATURES | price_per_head is not excluded from features
y = lots['price_per_head']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=6)
gbr = GradientBoostingRegressor().fit(X_train, y_train)
print(mean_absolute_percentage_error(y_test, gbr.predict(X_test)))
"""),
    ],
    # 34 -- clean: target excluded in the comprehension.
    "cattle_auction_weight_gain": [
        md("# Average daily gain after sale"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
"""),
        py("""
lots = pd.read_csv('auction_lots.csv')
target = 'adg_kg'
features = [c for c in lots.select_dtypes('number').columns if c not in (target, 'lot_id')]
X_train, X_test, y_train, y_test = train_test_split(lots[features], lots[target], test_size=0.2, random_state=6)
print(LinearRegression().fit(X_train, y_train).score(X_test, y_test))
"""),
    ],
    # 35 -- repeated measurements per mouse, random split.
    "lab_mice_tumour_growth": [
        md("# Lab mice: tumour volume at next measurement\nEach mouse measured every 3 days."),
        py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor
"""),
        py("""
meas = pd.read_csv('tumour_measurements.csv')
meas['vol_prev'] = meas.groupby('mouse_id')['volume_mm3'].shift(1)
meas = meas.dropna(subset=['vol_prev', 'volume_next'])
X = meas[['vol_prev', 'volume_mm3', 'day', 'dose_mg_kg', 'body_weight_g']]
y = meas['volume_next']
"""),
        py("""
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | measurements of the same mouse on both sides of each split
print(cross_val_score(RandomForestRegressor(random_state=0), X, y, cv=ss).mean())
"""),
    ],
    # 36 -- clean: GroupKFold by mouse via cross_val_score groups=.
    "lab_mice_weight_loss_grouped": [
        md("# Humane endpoint: weight loss > 15%, grouped by mouse"),
        py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
"""),
        py("""
meas = pd.read_csv('tumour_measurements.csv')
X = meas[['volume_mm3', 'day', 'dose_mg_kg', 'food_intake_g']]
y = meas['endpoint']
model = make_pipeline(StandardScaler(), LogisticRegression())
print(cross_val_score(model, X, y, groups=meas['mouse_id'], cv=GroupKFold(n_splits=5), scoring='roc_auc'))
"""),
    ],
    # 37 -- hyperparameter loop scored on the test set.
    "radio_listener_tune_out": [
        md("# Radio station: will the listener tune out within 5 minutes of a song starting?"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
"""),
        py("""
plays = pd.read_csv('stream_sessions.csv')
X = plays[['bpm', 'energy', 'song_age_y', 'hour', 'ad_before', 'listener_tenure_d']]
y = plays['tuned_out']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=10)
"""),
        py("""
results = []
for depth in [4, 8, 12, None]:
    for leaf in [1, 5, 20]:
        rf = RandomForestClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=0).fit(X_train, y_train)
        auc = roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])  #@ LEAK-MULTI-TEST | twelve settings compared on the test AUC
        results.append((depth, leaf, auc))
print(sorted(results, key=lambda r: -r[2])[:3])
"""),
    ],
    # 38 -- clean: GridSearchCV on train, one test score.
    "radio_listener_skip_gridsearch": [
        md("# Song skips - hyperparameters by CV"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.ensemble import RandomForestClassifier
"""),
        py("""
plays = pd.read_csv('stream_sessions.csv')
X = plays[['bpm', 'energy', 'song_age_y', 'hour', 'ad_before']]
y = plays['skipped']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=10)
gs = GridSearchCV(RandomForestClassifier(random_state=0), {'max_depth': [4, 8, None], 'min_samples_leaf': [1, 5]}, cv=5, scoring='roc_auc', n_jobs=-1)
gs.fit(X_train, y_train)
print(gs.best_params_)
print('test AUC', gs.score(X_test, y_test))
"""),
    ],
    # 39 -- encoder fitted separately on the test set.
    "postal_sorting_misroutes": [
        md("# Postal sorting centre: misrouted parcels"),
        py("""
import pandas as pd
from sklearn.preprocessing import OrdinalEncoder
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
"""),
        py("""
parcels = pd.read_csv('sort_events.csv')
cat_cols = ['origin_hub', 'dest_zone', 'machine', 'shift']
X = parcels[cat_cols + ['weight_g', 'label_ocr_conf']]
y = parcels['misrouted']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_test = X_train.copy(), X_test.copy()
"""),
        md("Test has hubs that train has never seen, so encode each part on its own."),
        py("""
X_train[cat_cols] = OrdinalEncoder().fit_transform(X_train[cat_cols])
X_test[cat_cols] = OrdinalEncoder().fit_transform(X_test[cat_cols])  #@ LEAK-FIT-ON-TEST | encoder fitted on the test parcels (and codes no longer match train)
"""),
        py("""
clf = HistGradientBoostingClassifier().fit(X_train, y_train)
print(clf.score(X_test, y_test))
"""),
    ],
    # 40 -- clean: encoder with unknown handling fitted on train.
    "postal_sorting_delay_encoder": [
        md("# Sorting delay - unseen hubs handled by the encoder"),
        py("""
import pandas as pd
from sklearn.preprocessing import OrdinalEncoder
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
"""),
        py("""
parcels = pd.read_csv('sort_events.csv')
cat_cols = ['origin_hub', 'dest_zone', 'machine']
train, test = train_test_split(parcels, test_size=0.2, random_state=0)
enc = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1).fit(train[cat_cols])
Xtr = enc.transform(train[cat_cols])
Xte = enc.transform(test[cat_cols])
"""),
        py("""
reg = HistGradientBoostingRegressor().fit(Xtr, train['delay_min'])
print(reg.score(Xte, test['delay_min']))
"""),
    ],
    # 41 -- image augmentation concatenated before the split (numpy).
    "wildfire_lookout_smoke_cnn": [
        md("# Wildfire lookout cameras: smoke / no smoke tiles"),
        py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import SGDClassifier
"""),
        py("""
tiles = np.load('tiles_64.npy')
labels = np.load('tile_labels.npy')
X_all = np.concatenate([tiles, tiles[:, :, ::-1], np.rot90(tiles, k=1, axes=(1, 2))])  #@ LEAK-OVERLAP | flipped/rotated copies of each tile added before the split
y_all = np.concatenate([labels, labels, labels])
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X_all.reshape(len(X_all), -1), y_all, test_size=0.2, random_state=0)
sgd = SGDClassifier(loss='log_loss', random_state=0).fit(X_train, y_train)
print(sgd.score(X_test, y_test))
"""),
    ],
    # 42 -- clean: augmentation applied to the training tiles only.
    "wildfire_lookout_aug_train_only": [
        md("# Smoke tiles - augment after splitting"),
        py("""
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import SGDClassifier
"""),
        py("""
tiles = np.load('tiles_64.npy')
labels = np.load('tile_labels.npy')
X_train, X_test, y_train, y_test = train_test_split(tiles, labels, test_size=0.2, random_state=0, stratify=labels)
X_train = np.concatenate([X_train, X_train[:, :, ::-1]])
y_train = np.concatenate([y_train, y_train])
"""),
        py("""
sgd = SGDClassifier(loss='log_loss', random_state=0).fit(X_train.reshape(len(X_train), -1), y_train)
print(sgd.score(X_test.reshape(len(X_test), -1), y_test))
"""),
    ],
    # 43 -- keras: test set as validation_data with early stopping.
    "sawmill_board_defects_keras": [
        md("# Sawmill: knot / crack / sound board classification from line-scan features"),
        py("""
import numpy as np
from tensorflow import keras
from sklearn.model_selection import train_test_split
"""),
        py("""
X = np.load('board_features.npy').astype('float32')
y = np.load('board_labels.npy')
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
mu, sd = X_train.mean(axis=0), X_train.std(axis=0)
X_train, X_test = (X_train - mu) / sd, (X_test - mu) / sd
"""),
        py("""
net = keras.Sequential([
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(3, activation='softmax'),
])
net.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
hist = net.fit(X_train, y_train, epochs=200, batch_size=64,  #@ LEAK-MULTI-TEST | early stopping monitors val_loss computed on the test boards
               validation_data=(X_test, y_test),
               callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)])
"""),
        py("""
print(net.evaluate(X_test, y_test))
"""),
    ],
    # 44 -- clean: keras validation_split from train, evaluate once.
    "sawmill_moisture_keras": [
        md("# Board moisture regression (keras)"),
        py("""
import numpy as np
from tensorflow import keras
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
"""),
        py("""
X = np.load('board_features.npy')
y = np.load('board_moisture.npy')
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)
"""),
        py("""
net = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1)])
net.compile(optimizer='adam', loss='mse')
net.fit(X_train, y_train, epochs=300, validation_split=0.15,
        callbacks=[keras.callbacks.EarlyStopping(patience=15, restore_best_weights=True)], verbose=0)
print(net.evaluate(X_test, y_test, verbose=0))
"""),
    ],
    # 45 -- two leaks: imputer on the whole frame, then sample(replace=True) before the split.
    "charity_donor_lapse": [
        md("# Charity: predicting lapsed regular givers\nCourse project, group 3."),
        py("""
import pandas as pd
from sklearn.impute import KNNImputer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
"""),
        py("""
givers = pd.read_csv('regular_givers.csv')
num = ['monthly_gift', 'tenure_m', 'age', 'campaigns_opened', 'upgrades']
imp = KNNImputer(n_neighbors=5)
givers[num] = imp.fit_transform(givers[num])  #@ LEAK-PREPROCESSING | imputer neighbours drawn from all givers before the split
"""),
        md("Lapsed givers are rare - upsample them."),
        py("""
lapsed = givers[givers['lapsed'] == 1]
extra = lapsed.sample(n=3 * len(lapsed), replace=True, random_state=0)  #@ LEAK-OVERLAP | copies of lapsed givers made before the split, so the same giver is in train and test
givers = pd.concat([givers, extra], ignore_index=True)
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(givers[num], givers['lapsed'], test_size=0.2, random_state=0)
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print(balanced_accuracy_score(y_test, lr.predict(X_test)))
"""),
    ],
    # 46 -- clean: imputer and model in a pipeline, class weights instead of duplication.
    "charity_gift_aid_pipeline": [
        md("# Gift Aid declarations - who will opt in?"),
        py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.impute import KNNImputer
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import balanced_accuracy_score
"""),
        py("""
givers = pd.read_csv('regular_givers.csv')
num = ['monthly_gift', 'tenure_m', 'age', 'campaigns_opened']
X_train, X_test, y_train, y_test = train_test_split(givers[num], givers['gift_aid'], test_size=0.2, stratify=givers['gift_aid'], random_state=0)
pipe = make_pipeline(KNNImputer(), StandardScaler(), LogisticRegression(class_weight='balanced', max_iter=1000))
pipe.fit(X_train, y_train)
print(balanced_accuracy_score(y_test, pipe.predict(X_test)))
"""),
    ],
    # 47 -- inspections over years, shuffled split with rolling history features.
    "hydrant_inspection_failures": [
        md("# Fire hydrants: will the next inspection fail?\nMonthly inspection log 2015-2024, rolling history per hydrant precomputed."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
"""),
        py("""
insp = pd.read_csv('hydrant_inspections.csv', parse_dates=['month']).sort_values('month')
city = insp.groupby('month').agg(fail_rate=('failed', 'mean'), frost_days=('frost_days', 'first')).reset_index()
city['fail_rate_lag1'] = city['fail_rate'].shift(1)
city['fail_rate_roll12'] = city['fail_rate'].shift(1).rolling(12).mean()
city['frost_lag1'] = city['frost_days'].shift(1)
city['high_fail'] = (city['fail_rate'] > 0.08).astype(int)
city = city.dropna()
"""),
        py("""
Xc = city[['fail_rate_lag1', 'fail_rate_roll12', 'frost_lag1', 'frost_days']]
X_train, X_test, y_train, y_test = train_test_split(Xc, city['high_fail'], test_size=0.25, shuffle=True, random_state=5)  #@ LEAK-TEMPORAL-SPLIT | monthly series with lag/rolling features split at random
rf = RandomForestClassifier(random_state=5).fit(X_train, y_train)
print(roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1]))
"""),
    ],
    # 48 -- clean: same kind of series, last two years held out.
    "hydrant_pressure_cutoff": [
        md("# Hydrant static pressure, forecast by month (train to 2022, test 2023-24)"),
        py("""
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
"""),
        py("""
p = pd.read_csv('pressure_monthly.csv', parse_dates=['month']).sort_values('month')
p['lag1'] = p['pressure_bar'].shift(1)
p['lag12'] = p['pressure_bar'].shift(12)
p = p.dropna()
train = p[p['month'] < '2023-01-01']
test = p[p['month'] >= '2023-01-01']
"""),
        py("""
gbr = GradientBoostingRegressor(random_state=0).fit(train[['lag1', 'lag12', 'demand_ml']], train['pressure_bar'])
print(mean_absolute_error(test['pressure_bar'], gbr.predict(test[['lag1', 'lag12', 'demand_ml']])))
"""),
    ],
    # 49 -- pd.concat of train and test, then variance filter and scaler fitted on the concat.
    "cochlear_implant_speech_scores": [
        md("# Cochlear implants: speech score at 12 months\nTrain and test were delivered as two files by the clinic."),
        py("""
import pandas as pd
from sklearn.feature_selection import VarianceThreshold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
"""),
        py("""
train = pd.read_csv('ci_train.csv')
test = pd.read_csv('ci_test.csv')
target = 'cnc_words_12m'
electrode_cols = [c for c in train.columns if c.startswith('imp_')] + ['age_at_implant', 'deaf_years', 'preop_score']
"""),
        py("""
both = pd.concat([train[electrode_cols], test[electrode_cols]], axis=0)
vt = VarianceThreshold(threshold=0.01).fit(both)  #@ LEAK-PREPROCESSING | variance filter fitted on train and test stacked
kept = both.columns[vt.get_support()]
"""),
        py("""
sc = StandardScaler().fit(train[kept])
svr = SVR(C=10).fit(sc.transform(train[kept]), train[target])
print(svr.score(sc.transform(test[kept]), test[target]))
"""),
    ],
    # 50 -- clean: everything fitted on the train file.
    "cochlear_implant_mapping_levels": [
        md("# Comfort-level prediction for implant mapping"),
        py("""
import pandas as pd
from sklearn.feature_selection import VarianceThreshold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
"""),
        py("""
train = pd.read_csv('ci_train.csv')
test = pd.read_csv('ci_test.csv')
cols = [c for c in train.columns if c.startswith('imp_')]
model = make_pipeline(VarianceThreshold(0.01), StandardScaler(), Ridge(alpha=2.0))
model.fit(train[cols], train['c_level'])
print(model.score(test[cols], test['c_level']))
"""),
        md("For the appendix: correlation of electrode impedances across both files (descriptive only)."),
        py("""
pd.concat([train[cols], test[cols]]).corr().round(2)
"""),
    ],
    # 51 -- RandomOverSampler before the split.
    "textile_loom_yarn_breaks": [
        md("# Textile mill: yarn break in the next 10 minutes"),
        py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import classification_report
"""),
        py("""
loom = pd.read_csv('loom_sensors.csv')
X = loom[['tension_cn', 'speed_ppm', 'humidity', 'warp_count', 'vibration_rms']]
y = loom['break_10m']
ros = RandomOverSampler(random_state=0)
X_os, y_os = ros.fit_resample(X, y)  #@ LEAK-OVERLAP | minority rows duplicated before splitting, duplicates on both sides
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X_os, y_os, test_size=0.3, random_state=0)
et = ExtraTreesClassifier(random_state=0).fit(X_train, y_train)
print(classification_report(y_test, et.predict(X_test)))
"""),
    ],
    # 52 -- clean: RandomOverSampler on the training split only.
    "textile_loom_ros_train_only": [
        md("# Yarn breaks - oversampling the training split"),
        py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import f1_score
"""),
        py("""
loom = pd.read_csv('loom_sensors.csv')
X = loom[['tension_cn', 'speed_ppm', 'humidity', 'warp_count', 'vibration_rms']]
y = loom['break_10m']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
X_train_os, y_train_os = RandomOverSampler(random_state=0).fit_resample(X_train, y_train)
"""),
        py("""
et = ExtraTreesClassifier(random_state=0).fit(X_train_os, y_train_os)
print(f1_score(y_test, et.predict(X_test)))
"""),
    ],
    # 53 -- RFE on the full data before the split.
    "glassblowing_reject_rfe": [
        md("# Glass studio: which pieces get rejected at annealing?"),
        py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
"""),
        py("""
pieces = pd.read_csv('glass_pieces.csv')
X = pieces.drop(columns=['rejected', 'piece_id'])
y = pieces['rejected']
rfe = RFE(LogisticRegression(max_iter=2000), n_features_to_select=8)
rfe.fit(X, y)  #@ LEAK-PREPROCESSING | recursive elimination ranked features with every piece's label
X = X.loc[:, rfe.support_]
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=12)
m = LogisticRegression(max_iter=2000).fit(X_train, y_train)
print(accuracy_score(y_test, m.predict(X_test)))
"""),
    ],
    # 54 -- clean: RFECV inside the pipeline with a held-out test.
    "glassblowing_anneal_rfecv": [
        md("# Annealing cracks - RFECV inside the pipeline"),
        py("""
import pandas as pd
from sklearn.feature_selection import RFECV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
"""),
        py("""
pieces = pd.read_csv('glass_pieces.csv')
X = pieces.drop(columns=['cracked', 'piece_id', 'rejected'])
y = pieces['cracked']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=12)
pipe = Pipeline([('sc', StandardScaler()), ('rfe', RFECV(LogisticRegression(max_iter=2000), cv=5)), ('lr', LogisticRegression(max_iter=2000))])
pipe.fit(X_tr, y_tr)
print(pipe.score(X_te, y_te))
"""),
    ],
    # 55 -- numpy matrix that still holds the label column.
    "tower_crane_overload_alarms": [
        md("# Tower cranes: overload alarm in the next lift"),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
"""),
        py("""
lifts = pd.read_csv('crane_lifts.csv')
lifts = lifts[['crane_id', 'load_t', 'radius_m', 'wind_ms', 'slew_deg_s', 'hook_height_m', 'alarm']]
data = lifts.drop('crane_id', axis=1).values  #@ LEAK-TARGET-IN-FEATURES | the alarm column is the last column of the feature matrix
labels = lifts['alarm'].values
"""),
        py("""
Xtr, Xte, ytr, yte = train_test_split(data, labels, test_size=0.2, random_state=0)
sc = StandardScaler().fit(Xtr)
knn = KNeighborsClassifier(7).fit(sc.transform(Xtr), ytr)
print(knn.score(sc.transform(Xte), yte))
"""),
    ],
    # 56 -- clean: label sliced off the numpy matrix.
    "tower_crane_wind_stops": [
        md("# Wind stops per crane-day"),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import PoissonRegressor
"""),
        py("""
days = pd.read_csv('crane_days.csv')
arr = days[['gust_max', 'wind_mean', 'lifts_planned', 'height_m', 'wind_stops']].to_numpy()
X, y = arr[:, :-1], arr[:, -1]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0)
print(PoissonRegressor().fit(Xtr, ytr).score(Xte, yte))
"""),
    ],
    # 57 -- games per bowler, StratifiedKFold with shuffle.
    "bowling_league_strike_rate": [
        md("# Bowling league: predicting a 200+ game\nRows are games; each bowler plays ~90 games a season."),
        py("""
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.ensemble import RandomForestClassifier
"""),
        py("""
games = pd.read_csv('league_games.csv')
games['avg_last5'] = games.groupby('bowler_id')['score'].transform(lambda s: s.shift(1).rolling(5).mean())
games = games.dropna()
X = games[['avg_last5', 'lane', 'oil_pattern_len', 'ball_speed', 'handicap']]
y = (games['score'] >= 200).astype(int)
"""),
        py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=3)  #@ LEAK-GROUP-SPLIT | games of the same bowler in both training and validation folds
print(cross_val_score(RandomForestClassifier(random_state=3), X, y, cv=skf, scoring='roc_auc').mean())
"""),
    ],
    # 58 -- clean: StratifiedGroupKFold by bowler.
    "bowling_league_grouped_cv": [
        md("# 200+ games, folds by bowler"),
        py("""
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold, cross_val_score
from sklearn.ensemble import RandomForestClassifier
"""),
        py("""
games = pd.read_csv('league_games.csv')
X = games[['lane', 'oil_pattern_len', 'ball_speed', 'handicap']]
y = (games['score'] >= 200).astype(int)
sgkf = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=3)
print(cross_val_score(RandomForestClassifier(random_state=3), X, y, groups=games['bowler_id'], cv=sgkf, scoring='roc_auc').mean())
"""),
    ],
    # 59 -- decision threshold picked on the test set.
    "recycling_sorter_contamination": [
        md("# Recycling MRF: flagging contaminated bales from NIR scans"),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
"""),
        py("""
bales = pd.read_csv('nir_bales.csv')
X = bales.filter(like='nir_').values
y = bales['contaminated'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=21, stratify=y)
clf = LogisticRegression(C=0.3, max_iter=3000).fit(X_train, y_train)
proba = clf.predict_proba(X_test)[:, 1]
"""),
        md("Choose the operating threshold."),
        py("""
thresholds = np.linspace(0.05, 0.95, 19)
f1s = [f1_score(y_test, proba >= t) for t in thresholds]  #@ LEAK-MULTI-TEST | threshold chosen by F1 on the test bales
best_t = thresholds[int(np.argmax(f1s))]
print(best_t, max(f1s))
"""),
    ],
    # 60 -- clean: threshold picked on a validation split.
    "recycling_sorter_threshold_val": [
        md("# Contamination flag - threshold on validation"),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
"""),
        py("""
bales = pd.read_csv('nir_bales.csv')
X = bales.filter(like='nir_').values
y = bales['contaminated'].values
X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, random_state=21, stratify=y)
X_train, X_val, y_train, y_val = train_test_split(X_dev, y_dev, test_size=0.25, random_state=21, stratify=y_dev)
clf = LogisticRegression(C=0.3, max_iter=3000).fit(X_train, y_train)
"""),
        py("""
p_val = clf.predict_proba(X_val)[:, 1]
ts = np.linspace(0.05, 0.95, 19)
best_t = ts[np.argmax([f1_score(y_val, p_val >= t) for t in ts])]
print('test F1 at', best_t, f1_score(y_test, clf.predict_proba(X_test)[:, 1] >= best_t))
"""),
    ],
    # 61 -- category_encoders target encoder fitted on all rows.
    "passport_office_wait_times": [
        md("# Passport office: will the applicant wait > 45 min?"),
        py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
"""),
        py("""
visits = pd.read_csv('counter_visits.csv')
cats = ['office', 'service_type', 'weekday', 'slot']
y = visits['long_wait']
te = ce.TargetEncoder(cols=cats, smoothing=10)
X = te.fit_transform(visits[cats + ['staff_on_duty', 'appointments_booked']], y)  #@ LEAK-PREPROCESSING | target encoding learned from the labels of future test visits
"""),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4)
gbc = GradientBoostingClassifier(random_state=4).fit(X_train, y_train)
print(gbc.score(X_test, y_test))
"""),
    ],
    # 62 -- clean: encoder inside the pipeline.
    "passport_office_staffing_ce": [
        md("# Queue length - target encoder inside the pipeline"),
        py("""
import pandas as pd
import category_encoders as ce
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
"""),
        py("""
visits = pd.read_csv('counter_visits.csv')
cats = ['office', 'service_type', 'weekday']
X_train, X_test, y_train, y_test = train_test_split(visits[cats + ['staff_on_duty']], visits['queue_len'], test_size=0.2, random_state=4)
pipe = make_pipeline(ce.TargetEncoder(cols=cats), Ridge())
pipe.fit(X_train, y_train)
print(pipe.score(X_test, y_test))
"""),
    ],
    # 63 -- daily bookings with lags, random split.
    "mountain_hut_bookings": [
        md("# Alpine hut: beds booked per night\nKaggle-style: lags, rolling means, two models."),
        py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
"""),
        py("""
nights = pd.read_csv('hut_nights.csv', parse_dates=['night'], index_col='night').asfreq('D')
nights['beds_lag1'] = nights['beds'].shift(1)
nights['beds_lag7'] = nights['beds'].shift(7)
nights['beds_roll14'] = nights['beds'].rolling(14).mean().shift(1)
nights['month'] = nights.index.month
nights = nights.dropna()
"""),
        py("""
nights[['beds', 'beds_roll14']].plot(figsize=(14, 4))
"""),
        py("""
X = nights.drop(columns='beds')
y = nights['beds']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  #@ LEAK-TEMPORAL-SPLIT | daily bookings with lag features shuffled into train and test
"""),
        py("""
rf = RandomForestRegressor(n_estimators=500, random_state=0).fit(X_train, y_train)
print(mean_absolute_error(y_test, rf.predict(X_test)))
"""),
    ],
    # 64 -- clean: manual TimeSeriesSplit loop.
    "mountain_hut_cancellations_tss": [
        md("# Cancellations per night, walk-forward"),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.linear_model import PoissonRegressor
"""),
        py("""
nights = pd.read_csv('hut_nights.csv', parse_dates=['night']).sort_values('night')
nights['forecast_snow_lag1'] = nights['forecast_snow_cm'].shift(1)
nights = nights.dropna()
X = nights[['beds', 'forecast_snow_cm', 'forecast_snow_lag1', 'weekend']].to_numpy()
y = nights['cancellations'].to_numpy()
"""),
        py("""
errs = []
for tr, te in TimeSeriesSplit(n_splits=5).split(X):
    m = PoissonRegressor(alpha=0.1).fit(X[tr], y[tr])
    errs.append(np.abs(m.predict(X[te]) - y[te]).mean())
print(errs)
"""),
    ],
    # 65 -- imputer fitted on the test set.
    "kite_surf_session_length": [
        md("# Kite surfing school: session length from wind data"),
        py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestRegressor
"""),
        py("""
train = pd.read_csv('sessions_2023.csv')
test = pd.read_csv('sessions_2024.csv')
cols = ['wind_kn', 'gust_kn', 'kite_m2', 'rider_kg', 'water_temp']
imp_tr = SimpleImputer(strategy='mean').fit(train[cols])
Xtr = imp_tr.transform(train[cols])
"""),
        py("""
imp_te = SimpleImputer(strategy='mean')
Xte = imp_te.fit_transform(test[cols])  #@ LEAK-FIT-ON-TEST | imputer means taken from the 2024 test sessions
rf = RandomForestRegressor(random_state=0).fit(Xtr, train['minutes'])
print(rf.score(Xte, test['minutes']))
"""),
    ],
    # 66 -- clean: evaluation, then refit on everything for deployment.
    "kite_surf_wind_window_refit": [
        md("# Rideable wind window - evaluate, then refit on all seasons for the app"),
        py("""
import pandas as pd
import joblib
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split
"""),
        py("""
obs = pd.read_csv('station_obs.csv')
X = obs[['wind_kn', 'gust_kn', 'dir_deg', 'pressure_trend']]
y = obs['rideable']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7, stratify=y)
model = make_pipeline(SimpleImputer(), GradientBoostingClassifier(random_state=7))
model.fit(X_train, y_train)
print('held-out accuracy', model.score(X_test, y_test))
"""),
        md("Evaluation done. Refit on all data for the production model."),
        py("""
final = make_pipeline(SimpleImputer(), GradientBoostingClassifier(random_state=7)).fit(X, y)
joblib.dump(final, 'rideable_v3.joblib')
"""),
    ],
    # 67 -- clean: lots of whole-frame EDA that never feeds the model.
    "chimney_sweep_creosote_eda": [
        md("# Chimney sweeps: creosote build-up (stage 1-3)\nLong EDA first."),
        py("""
import pandas as pd
import seaborn as sns
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
"""),
        py("""
visits = pd.read_csv('sweep_visits.csv')
visits.info()
visits.describe(include='all')
"""),
        py("""
print(visits.isna().mean().sort_values(ascending=False).head(10))
print(visits[['burn_hours', 'wood_moisture', 'flue_temp', 'stage']].corr())
"""),
        py("""
sns.pairplot(visits[['burn_hours', 'wood_moisture', 'flue_temp', 'stage']], hue='stage')
plt.show()
z = (visits['flue_temp'] - visits['flue_temp'].mean()) / visits['flue_temp'].std()
print('outliers:', (z.abs() > 3).sum())
"""),
        md("## Model"),
        py("""
X = visits[['burn_hours', 'wood_moisture', 'flue_temp', 'liner']]
y = visits['stage']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
sc = StandardScaler().fit(X_train)
clf = LogisticRegression(max_iter=1000).fit(sc.transform(X_train), y_train)
print(clf.score(sc.transform(X_test), y_test))
"""),
    ],
    # 68 -- z-score with whole-frame mean/std (pandas statistics) before the split.
    "jigsaw_completion_time": [
        md("# Jigsaw club: minutes to finish a 1000-piece puzzle"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
"""),
        py("""
runs = pd.read_csv('puzzle_runs.csv')
for c in ['pieces_edge', 'colour_entropy', 'solver_experience']:
    runs[c + '_z'] = (runs[c] - runs[c].mean()) / runs[c].std()  #@ LEAK-PREPROCESSING | mean and std over all puzzle runs, test rows included
"""),
        py("""
feats = ['pieces_edge_z', 'colour_entropy_z', 'solver_experience_z', 'team_size']
tr, te = train_test_split(runs, test_size=0.2, random_state=0)
lin = LinearRegression().fit(tr[feats], tr['minutes'])
print(r2_score(te['minutes'], lin.predict(te[feats])))
"""),
    ],
    # 69 -- clean: same z-scores computed from the training split.
    "jigsaw_difficulty_train_stats": [
        md("# Puzzle difficulty rating - stats from train"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
"""),
        py("""
runs = pd.read_csv('puzzle_runs.csv')
tr, te = train_test_split(runs, test_size=0.2, random_state=0)
tr, te = tr.copy(), te.copy()
cols = ['pieces_edge', 'colour_entropy']
mu, sd = tr[cols].mean(), tr[cols].std()
tr[cols] = (tr[cols] - mu) / sd
te[cols] = (te[cols] - mu) / sd
"""),
        py("""
lin = LinearRegression().fit(tr[cols], tr['difficulty'])
print(lin.score(te[cols], te['difficulty']))
"""),
    ],
    # 70 -- two leaks: label among the features, and models compared on the test set.
    "typewriter_restoration_outcome": [
        md("# Typewriter restoration shop: will the machine be sellable after repair?"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, AdaBoostClassifier
from sklearn.metrics import accuracy_score
"""),
        py("""
jobs = pd.read_csv('repair_jobs.csv')
jobs['age'] = 2024 - jobs['year_made']
jobs = pd.get_dummies(jobs, columns=['brand', 'condition_in'])
"""),
        py("""
X = jobs.drop(columns=['job_id', 'year_made'])  #@ LEAK-TARGET-IN-FEATURES | sellable stays in X
y = jobs['sellable']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
        py("""
candidates = [LogisticRegression(max_iter=1000), RandomForestClassifier(random_state=0), AdaBoostClassifier(random_state=0)]
scores = [accuracy_score(y_test, m.fit(X_train, y_train).predict(X_test)) for m in candidates]  #@ LEAK-MULTI-TEST | three models ranked on the test set
best_model = candidates[scores.index(max(scores))]
print(scores, best_model)
"""),
    ],
    # 71 -- clean: LeaveOneGroupOut by patient.
    "prosthetic_gait_phase": [
        md("# Prosthetic knee: stance vs swing from IMU strides\nEach amputee contributes hundreds of strides."),
        py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
"""),
        py("""
strides = pd.read_parquet('imu_strides.parquet')
X = strides.filter(regex='^(acc|gyr)_').to_numpy()
y = strides['phase'].to_numpy()
patients = strides['patient_id'].to_numpy()
"""),
        py("""
scores = cross_val_score(make_pipeline(StandardScaler(), SVC()), X, y, groups=patients, cv=LeaveOneGroupOut())
print(np.round(scores, 3), scores.mean())
"""),
    ],
    # 72 -- out of order: the SMOTE cell below the split ran before it.
    "tornado_warning_verification": [
        md("# Tornado warnings: did a tornado touch down?\nRadar-derived storm features per warning polygon."),
        py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score
""", 1),
        py("""
warn = pd.read_csv('warnings_radar.csv')
X = warn[['rot_velocity', 'mesocyclone_depth', 'cape', 'shear_0_6km', 'lcl_height']]
y = warn['touchdown']
""", 2),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
""", 4),
        md("Balance classes."),
        py("""
X, y = SMOTE(random_state=1).fit_resample(X, y)  #@ LEAK-OVERLAP | ran as In 3, before the split in In 4, so synthetic warnings built from test rows feed both sides
""", 3),
        py("""
rf = RandomForestClassifier(random_state=1).fit(X_train, y_train)
print(recall_score(y_test, rf.predict(X_test)))
""", 5),
    ],
    # 73 -- clean, out of order: a SMOTE cell above the split ran after it, on the training part.
    "tornado_hail_size_order": [
        md("# Severe hail (>= 2 in) from radar - cells moved around while editing"),
        py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import recall_score
""", 1),
        py("""
X_train, y_train = SMOTE(random_state=2).fit_resample(X_train, y_train)
""", 4),
        py("""
storms = pd.read_csv('hail_reports.csv')
X = storms[['mesh_mm', 'vil_density', 'freezing_level', 'cape']]
y = storms['severe_hail']
""", 2),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=2)
""", 3),
        py("""
gbc = GradientBoostingClassifier(random_state=2).fit(X_train, y_train)
print(recall_score(y_test, gbc.predict(X_test)))
""", 5),
    ],
    # 74 -- team helper that fits the scaler on train and test concatenated.
    "hail_roof_damage_claims": [
        md("# Roof damage after hail storms (per roof inspection)\nShared helpers in the first cell."),
        py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier

def scale_pair(train, test, cols):
    sc = StandardScaler()
    sc.fit(pd.concat([train[cols], test[cols]]))  #@ LEAK-PREPROCESSING | scaler fitted on train and test rows concatenated inside the helper
    return sc.transform(train[cols]), sc.transform(test[cols])
"""),
        py("""
roofs = pd.read_csv('roof_inspections.csv')
cols = ['hail_mm', 'roof_age_y', 'slope_deg', 'shingle_class', 'wind_gust']
tr, te = train_test_split(roofs, test_size=0.2, random_state=0)
Xtr, Xte = scale_pair(tr, te, cols)
"""),
        py("""
rf = RandomForestClassifier(random_state=0).fit(Xtr, tr['damaged'])
print(rf.score(Xte, te['damaged']))
"""),
    ],
    # 75 -- clean: helper fits on train only and returns both transforms.
    "hail_gutter_damage_helper": [
        md("# Gutter damage - helper fits on train only"),
        py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression

def scale_pair(train, test, cols):
    sc = StandardScaler().fit(train[cols])
    return sc.transform(train[cols]), sc.transform(test[cols])
"""),
        py("""
roofs = pd.read_csv('roof_inspections.csv')
cols = ['hail_mm', 'roof_age_y', 'gutter_guard', 'wind_gust']
tr, te = train_test_split(roofs, test_size=0.2, random_state=0)
Xtr, Xte = scale_pair(tr, te, cols)
lr = LogisticRegression().fit(Xtr, tr['gutter_damaged'])
print(lr.score(Xte, te['gutter_damaged']))
"""),
    ],
    # 76 -- a second TF-IDF fitted on the test poems.
    "poetry_author_attribution": [
        md("# Poetry: attributing anonymous sonnets to one of 8 poets"),
        py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
"""),
        py("""
known = pd.read_csv('sonnets_known.csv')
held = pd.read_csv('sonnets_heldout.csv')
vec = TfidfVectorizer(max_features=5000, ngram_range=(1, 2))
X_known = vec.fit_transform(known['text'])
"""),
        py("""
vec_held = TfidfVectorizer(max_features=5000, ngram_range=(1, 2))
X_held = vec_held.fit_transform(held['text'])  #@ LEAK-FIT-ON-TEST | vectorizer refitted on the held-out sonnets
"""),
        py("""
clf = LogisticRegression(max_iter=3000).fit(X_known, known['poet'])
print((clf.predict(X_held) == held['poet']).mean())
"""),
    ],
    # 77 -- out of order: the cell that removes the target from the feature list ran last.
    "seed_bank_germination_rate_order": [
        md("# Seed bank: germination rate after 10 years in storage\nRe-run several times; see execution counts."),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
""", 1),
        py("""
seeds = pd.read_csv('retests.csv')
feats = [c for c in seeds.select_dtypes('number').columns if c != 'lot_id']
""", 2),
        md("Oops - the target is numeric too, take it out."),
        py("""
feats.remove('germ_rate')
""", 6),
        py("""
X = seeds[feats]  #@ LEAK-TARGET-IN-FEATURES | built as In 3, before feats.remove ran (In 6), so germ_rate is still a feature
y = seeds['germ_rate']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""", 3),
        py("""
rf = RandomForestRegressor(random_state=0).fit(X_train, y_train)
print(mean_absolute_error(y_test, rf.predict(X_test)))
""", 4),
    ],
    # 78 -- clean, out of order: X built from the frame after the target was popped (In 3 before In 4).
    "tram_fare_evasion_checks_order": [
        md("# Tram ticket inspections: fare evasion per check"),
        py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""", 1),
        py("""
checks = pd.read_csv('inspections.csv')
checks = checks[['check_id', 'hour', 'line_busy', 'stop_zone', 'inspectors', 'evaded']]
""", 2),
        md("Features and target."),
        py("""
X = checks.drop(columns=['check_id'])
""", 4),
        py("""
y = checks.pop('evaded')
""", 3),
        py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print(roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1]))
""", 5),
    ],
}


def build(out: Path = DEFAULT_OUT) -> None:
    """Write corpus L and its labels to ``out``."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
