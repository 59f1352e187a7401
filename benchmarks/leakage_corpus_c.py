"""Held-out corpus C for the code-level leakage check: realistic notebooks written blind.

Run from the repository root::

    python benchmarks/leakage_corpus_c.py [--out DIR]

Writes one ``.ipynb`` per notebook (nbformat 4) and ``labels.json`` into ``DIR`` (default
``benchmarks/data/leakage-corpus-c``, git-ignored). The notebooks imitate code found in the
wild (competition kernels, course labs, analytics notebooks) in domains absent from corpora A
and B: energy load, sensor faults, insurance claims, e-commerce returns, sports, clinical labs,
app reviews, satellite tiles, fraud, student performance, ad clicks, logistics. About half leak,
half are clean look-alikes. The corpus was written without reading the detector's source or
its tests, so it measures the detector rather than echoing it.

Label convention (documented per label in its ``why``): a label is (rule, cell, line) of the
first line of the leaking statement, cell 0-based over all cells (markdown included), line
1-based within the cell. For a label left among the features, the line that builds ``X``; for a
random split of time-ordered or grouped data, the split call; for test-set selection, the line
that scores or early-stops on the test set; for overlap, the resampling (or the fit on all rows).
In the sources below a label is written as a trailing ``#@RULE why`` marker, which is removed
from the notebook before writing, so the detector never sees it.
"""

# Notebook sources below keep the long lines real notebooks have.
# ruff: noqa: E501

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).parent / "data" / "leakage-corpus-c"
RULES = ["LEAK-PREPROCESSING", "LEAK-OVERLAP", "LEAK-MULTI-TEST", "LEAK-FIT-ON-TEST",
         "LEAK-TEMPORAL-SPLIT", "LEAK-TARGET-IN-FEATURES", "LEAK-GROUP-SPLIT"]
_MARK = re.compile(r"\s*#@(LEAK-[A-Z-]+)\s*(.*)$")

# Each notebook: name -> (cells, execution order or None). A cell starting with "md:" is
# markdown. Execution order, when given, lists execution counts per code cell in page order.
NB: dict[str, tuple[list[str], list[int] | None]] = {}


def nb(name: str, *cells: str, order: list[int] | None = None) -> None:
    NB[name] = (list(cells), order)


IMPORTS = """import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score, roc_auc_score, mean_absolute_error"""

# ---------------------------------------------------------------- energy load forecasting ----
nb("c01_energy_load_random_split",
   "md:# Hourly load forecasting\nPJM-style hourly demand, gradient boosting on lag features.",
   IMPORTS + "\nimport lightgbm as lgb",
   """load = pd.read_csv('../input/hourly-energy/PJME_hourly.csv', parse_dates=['Datetime'])
load = load.sort_values('Datetime').set_index('Datetime')
load.head()""",
   """load['hour'] = load.index.hour
load['dow'] = load.index.dayofweek
load['lag_24'] = load['PJME_MW'].shift(24)
load['lag_168'] = load['PJME_MW'].shift(168)
load['roll_24'] = load['PJME_MW'].rolling(24).mean()
load = load.dropna()""",
   """X = load.drop(columns=['PJME_MW'])
y = load['PJME_MW']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)  #@LEAK-TEMPORAL-SPLIT random split of lagged hourly series""",
   """reg = lgb.LGBMRegressor(n_estimators=500, learning_rate=0.05)
reg.fit(X_train, y_train)
print('MAE', mean_absolute_error(y_test, reg.predict(X_test)))""")

nb("c02_energy_load_chrono_clean",
   "md:# Hourly load forecasting (chronological hold-out)",
   IMPORTS + "\nimport lightgbm as lgb",
   """load = pd.read_csv('../input/hourly-energy/AEP_hourly.csv', parse_dates=['Datetime'])
load = load.sort_values('Datetime').set_index('Datetime')
for lag in (1, 24, 168):
    load[f'lag_{lag}'] = load['AEP_MW'].shift(lag)
load = load.dropna()""",
   """split_date = '2017-01-01'
train = load.loc[load.index < split_date]
test = load.loc[load.index >= split_date]
features = [c for c in load.columns if c != 'AEP_MW']""",
   """reg = lgb.LGBMRegressor(n_estimators=800)
reg.fit(train[features], train['AEP_MW'])
pred = reg.predict(test[features])
mean_absolute_error(test['AEP_MW'], pred)""")

nb("c03_energy_scaler_before_tscv",
   "md:## Building consumption - LSTM-free baseline",
   IMPORTS + "\nfrom sklearn.preprocessing import MinMaxScaler\nfrom sklearn.linear_model import Ridge",
   """df = pd.read_parquet('building_meter.parquet')
df['timestamp'] = pd.to_datetime(df['timestamp'])
df = df.sort_values('timestamp')
df['lag1'] = df['meter_reading'].shift(1)
df = df.dropna()
y = df['meter_reading'].values
X = df[['air_temperature', 'dew_temperature', 'lag1', 'square_feet']].values""",
   """scaler = MinMaxScaler()
X_scaled = scaler.fit_transform(X)  #@LEAK-PREPROCESSING scaler fitted on all rows before the chronological split""",
   """X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.25, shuffle=False)
model = Ridge(alpha=1.0).fit(X_train, y_train)
print(mean_absolute_error(y_test, model.predict(X_test)))""")

nb("c04_energy_tscv_pipeline_clean",
   "md:# Load forecasting with TimeSeriesSplit",
   """import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score""",
   """df = pd.read_csv('load_temp.csv', parse_dates=['ts']).sort_values('ts')
df['lag_24'] = df['load'].shift(24)
df = df.dropna()
X = df[['temp', 'humidity', 'lag_24']]
y = df['load']""",
   """pipe = make_pipeline(StandardScaler(), Ridge())
scores = cross_val_score(pipe, X, y, cv=TimeSeriesSplit(n_splits=5), scoring='neg_mean_absolute_error')
scores.mean()""")

# ---------------------------------------------------------------- sensor fault detection -----
nb("c05_sensor_fault_fit_on_test",
   "md:# Bearing fault classification (CWRU features)",
   IMPORTS + "\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.svm import SVC",
   """feats = pd.read_csv('cwru_features.csv')
X = feats.drop(columns=['fault'])
y = feats['fault']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)""",
   """sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)  #@LEAK-FIT-ON-TEST scaler re-fitted on the test rows""",
   """clf = SVC(C=10, gamma='scale').fit(X_train, y_train)
accuracy_score(y_test, clf.predict(X_test))""")

nb("c06_sensor_fault_clean",
   "md:# Bearing fault classification, train-only scaling",
   IMPORTS + "\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.svm import SVC",
   """feats = pd.read_csv('cwru_features.csv')
X = feats.drop(columns=['fault'])
y = feats['fault']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)""",
   """sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)""",
   """clf = SVC(C=10, gamma='scale').fit(X_train, y_train)
accuracy_score(y_test, clf.predict(X_test))""")

nb("c07_sensor_pca_before_split",
   "md:# Hydraulic system condition monitoring\nUCI hydraulic rig, PCA on 17 sensors.",
   """import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier""",
   """sensors = pd.read_csv('hydraulic_cycles.csv')
target = sensors.pop('cooler_condition')
print(sensors.shape)""",
   """pca = PCA(n_components=20, random_state=1)
components = pca.fit_transform(sensors)  #@LEAK-PREPROCESSING PCA fitted on every cycle before the split
print(pca.explained_variance_ratio_.cumsum()[-1])""",
   """Xtr, Xte, ytr, yte = train_test_split(components, target, test_size=0.2, random_state=1)
rf = RandomForestClassifier(n_estimators=300).fit(Xtr, ytr)
rf.score(Xte, yte)""")

nb("c08_sensor_group_split_machine",
   "md:# Predictive maintenance - failure within 24h\nOne row per machine per hour.",
   IMPORTS + "\nfrom xgboost import XGBClassifier",
   """telemetry = pd.read_csv('PdM_telemetry.csv')
failures = pd.read_csv('PdM_failures.csv')
df = telemetry.merge(failures, on=['machineID', 'datetime'], how='left')
df['fail_24h'] = df['failure'].notna().astype(int)
df['volt_mean_machine'] = df.groupby('machineID')['volt'].transform('mean')
df['rotate_std_machine'] = df.groupby('machineID')['rotate'].transform('std')""",
   """features = ['volt', 'rotate', 'pressure', 'vibration', 'volt_mean_machine', 'rotate_std_machine']
X_train, X_test, y_train, y_test = train_test_split(df[features], df['fail_24h'], test_size=0.2, random_state=7)  #@LEAK-GROUP-SPLIT rows of one machineID land on both sides""",
   """xgb = XGBClassifier(n_estimators=400, max_depth=6)
xgb.fit(X_train, y_train)
roc_auc_score(y_test, xgb.predict_proba(X_test)[:, 1])""")

nb("c09_sensor_group_split_clean",
   "md:# Predictive maintenance, split by machine",
   """import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.metrics import roc_auc_score
from xgboost import XGBClassifier""",
   """df = pd.read_csv('PdM_telemetry_labeled.csv')
df['volt_mean_machine'] = df.groupby('machineID')['volt'].transform('mean')
features = ['volt', 'rotate', 'pressure', 'vibration', 'volt_mean_machine']""",
   """gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=7)
train_idx, test_idx = next(gss.split(df, df['fail_24h'], groups=df['machineID']))
train, test = df.iloc[train_idx], df.iloc[test_idx]""",
   """xgb = XGBClassifier(n_estimators=400, max_depth=6)
xgb.fit(train[features], train['fail_24h'])
roc_auc_score(test['fail_24h'], xgb.predict_proba(test[features])[:, 1])""")

# ---------------------------------------------------------------- insurance claims -----------
nb("c10_claims_smote_before_split",
   "md:# Fraudulent insurance claims\nHighly imbalanced (6% fraud), so we balance with SMOTE.",
   IMPORTS + "\nfrom imblearn.over_sampling import SMOTE\nfrom sklearn.ensemble import GradientBoostingClassifier",
   """claims = pd.read_csv('insurance_claims.csv')
claims = pd.get_dummies(claims, columns=['incident_type', 'collision_type', 'insured_sex'], drop_first=True)
y = claims['fraud_reported'].map({'Y': 1, 'N': 0})
X = claims.drop(['fraud_reported', 'policy_number'], axis=1)""",
   """sm = SMOTE(random_state=2)
X_res, y_res = sm.fit_resample(X, y)  #@LEAK-OVERLAP SMOTE on all rows before the split
print(y_res.value_counts())""",
   """X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.25, random_state=2)
gb = GradientBoostingClassifier().fit(X_train, y_train)
print(roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1]))""")

nb("c11_claims_imblearn_pipeline_clean",
   "md:# Fraudulent claims with an imblearn pipeline",
   """import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score""",
   """claims = pd.read_csv('insurance_claims_clean.csv')
y = claims['fraud_reported']
X = claims.drop(columns=['fraud_reported'])""",
   """pipe = Pipeline([('scale', StandardScaler()), ('smote', SMOTE(random_state=0)), ('lr', LogisticRegression(max_iter=1000))])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
print(cross_val_score(pipe, X, y, cv=cv, scoring='roc_auc').mean())""")

nb("c12_claims_target_in_features",
   "md:# Claim severity regression\nPredict `total_claim_amount`.",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score""",
   """df = pd.read_csv('claims_severity.csv')
num_cols = df.select_dtypes('number').columns.tolist()
target = 'total_claim_amount'""",
   """X = df[num_cols]  #@LEAK-TARGET-IN-FEATURES num_cols still contains total_claim_amount
y = df[target]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)""",
   """rf = RandomForestRegressor(n_estimators=200, n_jobs=-1).fit(X_train, y_train)
r2_score(y_test, rf.predict(X_test))""")

nb("c13_claims_target_removed_clean",
   "md:# Claim severity regression (target removed)",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score""",
   """df = pd.read_csv('claims_severity.csv')
target = 'total_claim_amount'
num_cols = [c for c in df.select_dtypes('number').columns if c != target]""",
   """X = df[num_cols]
y = df[target]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)""",
   """rf = RandomForestRegressor(n_estimators=200, n_jobs=-1).fit(X_train, y_train)
r2_score(y_test, rf.predict(X_test))""")

# ---------------------------------------------------------------- e-commerce returns ---------
nb("c14_returns_impute_then_cv",
   "md:# Will the order be returned?\nCourse lab 4: cross-validation.",
   """import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.tree import DecisionTreeClassifier
from sklearn.model_selection import cross_val_score""",
   """orders = pd.read_csv('orders_returns.csv')
y = orders['returned']
X = orders[['price', 'discount', 'items', 'customer_age', 'days_to_ship']]""",
   """imp = SimpleImputer(strategy='median')
X = imp.fit_transform(X)  #@LEAK-PREPROCESSING imputer fitted on all rows, then cross-validated outside a Pipeline""",
   """tree = DecisionTreeClassifier(max_depth=5, random_state=0)
scores = cross_val_score(tree, X, y, cv=5)
print(scores.mean(), scores.std())""")

nb("c15_returns_pipeline_cv_clean",
   "md:# Will the order be returned? (pipeline)",
   """import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier
from sklearn.model_selection import cross_val_score""",
   """orders = pd.read_csv('orders_returns.csv')
y = orders['returned']
X = orders[['price', 'discount', 'items', 'customer_age', 'days_to_ship']]""",
   """pipe = Pipeline([('imp', SimpleImputer(strategy='median')), ('tree', DecisionTreeClassifier(max_depth=5, random_state=0))])
scores = cross_val_score(pipe, X, y, cv=5)
print(scores.mean(), scores.std())""")

nb("c16_returns_customer_group_split",
   "md:# Returns - customer-level features",
   IMPORTS + "\nfrom sklearn.ensemble import HistGradientBoostingClassifier",
   """orders = pd.read_csv('orders_2023.csv')
cust = orders.groupby('customer_id').agg(cust_orders=('order_id', 'count')).reset_index()
orders = orders.merge(cust, on='customer_id')""",
   """X = orders[['price', 'discount', 'cust_orders', 'items']]
y = orders['returned']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=3)  #@LEAK-GROUP-SPLIT many orders per customer_id split at random""",
   """hgb = HistGradientBoostingClassifier().fit(X_tr, y_tr)
roc_auc_score(y_te, hgb.predict_proba(X_te)[:, 1])""")

nb("c17_returns_early_stopping_test",
   "md:# Returns with XGBoost early stopping",
   IMPORTS + "\nimport xgboost as xgb",
   """df = pd.read_csv('orders_features.csv')
X = df.drop(columns=['returned', 'order_id'])
y = df['returned']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=11)""",
   """model = xgb.XGBClassifier(n_estimators=2000, learning_rate=0.03, early_stopping_rounds=50, eval_metric='auc')
model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=100)  #@LEAK-MULTI-TEST early stopping on the test set""",
   """print('test AUC', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))""")

nb("c18_returns_early_stopping_valid_clean",
   "md:# Returns with XGBoost early stopping on a validation split",
   IMPORTS + "\nimport xgboost as xgb",
   """df = pd.read_csv('orders_features.csv')
X = df.drop(columns=['returned', 'order_id'])
y = df['returned']
X_trval, X_test, y_trval, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=11)
X_train, X_valid, y_train, y_valid = train_test_split(X_trval, y_trval, test_size=0.2, stratify=y_trval, random_state=11)""",
   """model = xgb.XGBClassifier(n_estimators=2000, learning_rate=0.03, early_stopping_rounds=50, eval_metric='auc')
model.fit(X_train, y_train, eval_set=[(X_valid, y_valid)], verbose=100)""",
   """print('test AUC', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))""")

# ---------------------------------------------------------------- sports outcomes ------------
nb("c19_football_model_selection_on_test",
   "md:# Predicting match outcomes (EPL)\nTry several models and keep the best.",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score""",
   """matches = pd.read_csv('epl_matches_features.csv')
X = matches[['home_elo', 'away_elo', 'home_form', 'away_form', 'h2h_home_wins']]
y = matches['result']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)""",
   """models = {'lr': LogisticRegression(max_iter=500), 'rf': RandomForestClassifier(), 'gb': GradientBoostingClassifier(), 'knn': KNeighborsClassifier()}
results = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, m.predict(X_test))  #@LEAK-MULTI-TEST test accuracy picks the model
best = max(results, key=results.get)
print(best, results[best])""")

nb("c20_football_cv_selection_clean",
   "md:# Predicting match outcomes - select with CV, test once",
   """import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score""",
   """matches = pd.read_csv('epl_matches_features.csv')
X = matches[['home_elo', 'away_elo', 'home_form', 'away_form']]
y = matches['result']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)""",
   """candidates = {'lr': LogisticRegression(max_iter=500), 'rf': RandomForestClassifier(random_state=0)}
cv_scores = {n: cross_val_score(m, X_train, y_train, cv=5).mean() for n, m in candidates.items()}
best_name = max(cv_scores, key=cv_scores.get)
best = candidates[best_name].fit(X_train, y_train)
print(best_name, accuracy_score(y_test, best.predict(X_test)))""")

nb("c21_nba_temporal_random_split",
   "md:# NBA game winner from rolling team form",
   IMPORTS + "\nfrom sklearn.linear_model import LogisticRegression",
   """games = pd.read_csv('nba_games.csv', parse_dates=['GAME_DATE'])
games = games.sort_values(['TEAM_ID', 'GAME_DATE'])
games['pts_last5'] = games.groupby('TEAM_ID')['PTS'].transform(lambda s: s.shift(1).rolling(5).mean())
games['win_last10'] = games.groupby('TEAM_ID')['WL_HOME'].transform(lambda s: s.shift(1).rolling(10).mean())
games = games.dropna(subset=['pts_last5', 'win_last10'])""",
   """X = games[['pts_last5', 'win_last10', 'HOME']]
y = games['WL_HOME']""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)  #@LEAK-TEMPORAL-SPLIT rolling form features, random split across seasons
clf = LogisticRegression().fit(X_train, y_train)
accuracy_score(y_test, clf.predict(X_test))""")

nb("c22_nba_season_split_clean",
   "md:# NBA game winner, train on past seasons",
   """import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score""",
   """games = pd.read_csv('nba_games.csv', parse_dates=['GAME_DATE'])
games = games.sort_values(['TEAM_ID', 'GAME_DATE'])
games['pts_last5'] = games.groupby('TEAM_ID')['PTS'].transform(lambda s: s.shift(1).rolling(5).mean())
games = games.dropna(subset=['pts_last5'])""",
   """train = games[games['SEASON'] < 2022]
test = games[games['SEASON'] >= 2022]
clf = LogisticRegression().fit(train[['pts_last5', 'HOME']], train['WL_HOME'])
accuracy_score(test['WL_HOME'], clf.predict(test[['pts_last5', 'HOME']]))""")

# ---------------------------------------------------------------- clinical lab values --------
nb("c23_clinical_patient_group_split",
   "md:# Sepsis onset from ICU lab values\nPhysioNet 2019, one row per patient-hour.",
   IMPORTS + "\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.impute import SimpleImputer",
   """icu = pd.read_csv('sepsis_hourly.csv')
icu['n_hours'] = icu.groupby('patient_id')['ICULOS'].transform('max')
labs = ['HR', 'O2Sat', 'Temp', 'MAP', 'Resp', 'Lactate', 'WBC', 'Creatinine']""",
   """X_train, X_test, y_train, y_test = train_test_split(icu[labs + ['n_hours']], icu['SepsisLabel'], test_size=0.3, random_state=0)  #@LEAK-GROUP-SPLIT patient-hours of one patient_id on both sides
imp = SimpleImputer().fit(X_train)
X_train, X_test = imp.transform(X_train), imp.transform(X_test)""",
   """rf = RandomForestClassifier(n_estimators=300, class_weight='balanced').fit(X_train, y_train)
roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])""")

nb("c24_clinical_groupkfold_clean",
   "md:# Sepsis onset, GroupKFold by patient",
   """import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupKFold, cross_val_score""",
   """icu = pd.read_csv('sepsis_hourly.csv')
labs = ['HR', 'O2Sat', 'Temp', 'MAP', 'Resp', 'Lactate', 'WBC', 'Creatinine']
X, y, groups = icu[labs], icu['SepsisLabel'], icu['patient_id']""",
   """pipe = make_pipeline(SimpleImputer(), RandomForestClassifier(n_estimators=300))
scores = cross_val_score(pipe, X, y, groups=groups, cv=GroupKFold(n_splits=5), scoring='roc_auc')
scores.mean()""")

nb("c25_clinical_mean_fillna_before_split",
   "md:# Diabetes readmission from lab panel",
   IMPORTS + "\nfrom sklearn.linear_model import LogisticRegression",
   """labs = pd.read_csv('lab_panel.csv')
lab_cols = ['glucose', 'hba1c', 'ldl', 'hdl', 'creatinine', 'egfr']
labs[lab_cols] = labs[lab_cols].fillna(labs[lab_cols].mean())  #@LEAK-PREPROCESSING column means over all rows fill the gaps before the split
labs[lab_cols] = (labs[lab_cols] - labs[lab_cols].mean()) / labs[lab_cols].std()  #@LEAK-PREPROCESSING z-scores with all-row mean and std before the split""",
   """X_train, X_test, y_train, y_test = train_test_split(labs[lab_cols], labs['readmit_30d'], test_size=0.2, random_state=1)
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1])""")

nb("c26_clinical_train_means_clean",
   "md:# Diabetes readmission (train-only statistics)",
   IMPORTS + "\nfrom sklearn.linear_model import LogisticRegression",
   """labs = pd.read_csv('lab_panel.csv')
lab_cols = ['glucose', 'hba1c', 'ldl', 'hdl', 'creatinine', 'egfr']
train, test = train_test_split(labs, test_size=0.2, random_state=1)""",
   """means = train[lab_cols].mean()
stds = train[lab_cols].std()
X_train = (train[lab_cols].fillna(means) - means) / stds
X_test = (test[lab_cols].fillna(means) - means) / stds""",
   """lr = LogisticRegression(max_iter=1000).fit(X_train, train['readmit_30d'])
roc_auc_score(test['readmit_30d'], lr.predict_proba(X_test)[:, 1])""")

# ---------------------------------------------------------------- app reviews text -----------
nb("c27_reviews_tfidf_all_text",
   "md:# App store review sentiment\nTF-IDF + linear SVM.",
   """import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score""",
   """reviews = pd.read_csv('googleplay_reviews.csv').dropna(subset=['content'])
reviews['label'] = (reviews['score'] >= 4).astype(int)""",
   """tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
X = tfidf.fit_transform(reviews['content'])  #@LEAK-PREPROCESSING vocabulary and idf learnt from all reviews before the split
y = reviews['label']""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
svm = LinearSVC().fit(X_train, y_train)
f1_score(y_test, svm.predict(X_test))""")

nb("c28_reviews_tfidf_train_clean",
   "md:# App store review sentiment (vectorizer fitted on train)",
   """import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score""",
   """reviews = pd.read_csv('googleplay_reviews.csv').dropna(subset=['content'])
reviews['label'] = (reviews['score'] >= 4).astype(int)
train_text, test_text, y_train, y_test = train_test_split(reviews['content'], reviews['label'], test_size=0.2, random_state=0)""",
   """tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
X_train = tfidf.fit_transform(train_text)
X_test = tfidf.transform(test_text)
svm = LinearSVC().fit(X_train, y_train)
f1_score(y_test, svm.predict(X_test))""")

nb("c29_reviews_vectorizer_fit_on_test",
   "md:# Review helpfulness - bag of words",
   """import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.metrics import accuracy_score""",
   """train_df = pd.read_csv('reviews_train.csv')
test_df = pd.read_csv('reviews_test.csv')""",
   """cv = CountVectorizer(stop_words='english', max_features=20000)
X_train = cv.fit_transform(train_df['text'])
nb_model = MultinomialNB().fit(X_train, train_df['helpful'])""",
   """cv_test = CountVectorizer(stop_words='english', max_features=20000)
X_test = cv_test.fit_transform(test_df['text'])  #@LEAK-FIT-ON-TEST a second vectorizer fitted on the test reviews
accuracy_score(test_df['helpful'], nb_model.predict(X_test))""")

nb("c30_reviews_dup_augment_before_split",
   "md:# Rare-class reviews: duplicate the minority class",
   """import pandas as pd
from sklearn.utils import resample
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report""",
   """df = pd.read_csv('bug_reports.csv')
majority = df[df['is_bug'] == 0]
minority = df[df['is_bug'] == 1]""",
   """minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=4)  #@LEAK-OVERLAP minority rows copied with replacement before the split
balanced = pd.concat([majority, minority_up])""",
   """train, test = train_test_split(balanced, test_size=0.2, random_state=4)
vec = TfidfVectorizer(min_df=2)
Xtr = vec.fit_transform(train['text'])
Xte = vec.transform(test['text'])
lr = LogisticRegression(max_iter=1000).fit(Xtr, train['is_bug'])
print(classification_report(test['is_bug'], lr.predict(Xte)))""")

nb("c31_reviews_upsample_train_clean",
   "md:# Rare-class reviews: upsample the training part only",
   """import pandas as pd
from sklearn.utils import resample
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report""",
   """df = pd.read_csv('bug_reports.csv')
train, test = train_test_split(df, test_size=0.2, stratify=df['is_bug'], random_state=4)""",
   """majority = train[train['is_bug'] == 0]
minority = train[train['is_bug'] == 1]
minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=4)
train_bal = pd.concat([majority, minority_up])""",
   """vec = TfidfVectorizer(min_df=2)
Xtr = vec.fit_transform(train_bal['text'])
Xte = vec.transform(test['text'])
lr = LogisticRegression(max_iter=1000).fit(Xtr, train_bal['is_bug'])
print(classification_report(test['is_bug'], lr.predict(Xte)))""")

# ---------------------------------------------------------------- satellite tile embeddings --
nb("c32_tiles_knn_grid_on_test",
   "md:# Land-cover classification from tile embeddings\nEuroSAT embeddings from a frozen ResNet.",
   """import numpy as np
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import train_test_split""",
   """emb = np.load('eurosat_resnet50_emb.npy')
labels = np.load('eurosat_labels.npy')
X_train, X_test, y_train, y_test = train_test_split(emb, labels, test_size=0.2, random_state=0)""",
   """best_k, best_acc = None, 0.0
for k in [1, 3, 5, 7, 11, 15, 21]:
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    acc = knn.score(X_test, y_test)  #@LEAK-MULTI-TEST k chosen by test accuracy
    if acc > best_acc:
        best_k, best_acc = k, acc
print(best_k, best_acc)""")

nb("c33_tiles_gridsearch_clean",
   "md:# Land-cover from embeddings, GridSearchCV for k",
   """import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import train_test_split, GridSearchCV""",
   """emb = np.load('eurosat_resnet50_emb.npy')
labels = np.load('eurosat_labels.npy')
X_train, X_test, y_train, y_test = train_test_split(emb, labels, test_size=0.2, random_state=0)""",
   """pipe = make_pipeline(StandardScaler(), KNeighborsClassifier())
grid = GridSearchCV(pipe, {'kneighborsclassifier__n_neighbors': [1, 3, 5, 7, 11]}, cv=5)
grid.fit(X_train, y_train)
print(grid.best_params_, grid.score(X_test, y_test))""")

nb("c34_tiles_out_of_order_scaler",
   "md:# Crop type from tile embeddings\n(cells were re-run while exploring)",
   """import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split""",
   """emb = np.load('crop_tiles_emb.npy')
crop = np.load('crop_labels.npy')""",
   """X_train, X_test, y_train, y_test = train_test_split(emb, crop, test_size=0.25, random_state=9)""",
   """scaler = StandardScaler()
emb = scaler.fit_transform(emb)  #@LEAK-PREPROCESSING executed (In[3]) before the split cell (In[4]): scaler saw the test tiles""",
   """clf = LogisticRegression(max_iter=2000).fit(X_train, y_train)
clf.score(X_test, y_test)""",
   order=[1, 2, 4, 3, 5])

nb("c35_tiles_in_order_scaler_clean",
   "md:# Crop type from tile embeddings (run top to bottom)",
   """import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split""",
   """emb = np.load('crop_tiles_emb.npy')
crop = np.load('crop_labels.npy')""",
   """X_train, X_test, y_train, y_test = train_test_split(emb, crop, test_size=0.25, random_state=9)""",
   """scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train)
X_test = scaler.transform(X_test)""",
   """clf = LogisticRegression(max_iter=2000).fit(X_train, y_train)
clf.score(X_test, y_test)""",
   order=[1, 2, 3, 4, 5])

# ---------------------------------------------------------------- fraud with account ids ----
nb("c36_fraud_account_group_and_fit_all",
   "md:# Card fraud - account-level aggregates",
   IMPORTS + "\nfrom sklearn.ensemble import RandomForestClassifier",
   """tx = pd.read_csv('transactions.csv', parse_dates=['tx_time'])
tx['acct_tx_count'] = tx.groupby('account_id')['amount'].transform('count')
tx['acct_amt_mean'] = tx.groupby('account_id')['amount'].transform('mean')
features = ['amount', 'merchant_risk', 'acct_tx_count', 'acct_amt_mean']""",
   """X_train, X_test, y_train, y_test = train_test_split(tx[features], tx['is_fraud'], test_size=0.2, stratify=tx['is_fraud'], random_state=0)  #@LEAK-GROUP-SPLIT account_id repeated across rows, split at random""",
   """rf = RandomForestClassifier(n_estimators=200, n_jobs=-1)
rf.fit(tx[features], tx['is_fraud'])  #@LEAK-OVERLAP model fitted on all rows, then scored on the test part
print(roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1]))""")

nb("c37_fraud_refit_after_eval_clean",
   "md:# Card fraud - evaluate, then refit on everything for production",
   """import pandas as pd
import joblib
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score""",
   """tx = pd.read_csv('transactions.csv')
features = ['amount', 'merchant_risk', 'hour']
splitter = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr_idx, te_idx = next(splitter.split(tx, groups=tx['account_id']))
train, test = tx.iloc[tr_idx], tx.iloc[te_idx]""",
   """rf = RandomForestClassifier(n_estimators=200, n_jobs=-1).fit(train[features], train['is_fraud'])
print('held-out AUC', roc_auc_score(test['is_fraud'], rf.predict_proba(test[features])[:, 1]))""",
   """final = RandomForestClassifier(n_estimators=200, n_jobs=-1).fit(tx[features], tx['is_fraud'])
joblib.dump(final, 'fraud_rf.joblib')""")

nb("c38_fraud_temporal_sorted_random",
   "md:# Fraud over time (PaySim)",
   IMPORTS + "\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.linear_model import LogisticRegression",
   """ps = pd.read_csv('paysim.csv')
ps = ps.sort_values('step')
ps['amt_rolling'] = ps['amount'].rolling(100, min_periods=1).mean()
X = ps[['amount', 'oldbalanceOrg', 'newbalanceOrig', 'amt_rolling']]
y = ps['isFraud']""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)  #@LEAK-TEMPORAL-SPLIT step-sorted with rolling feature, shuffled split
scaler = StandardScaler().fit(X_train)
lr = LogisticRegression(max_iter=1000).fit(scaler.transform(X_train), y_train)
roc_auc_score(y_test, lr.predict_proba(scaler.transform(X_test))[:, 1])""")

nb("c39_fraud_concat_fit_on_test",
   "md:# Fraud - encode merchants consistently",
   """import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import LogisticRegression""",
   """train = pd.read_csv('fraud_train.csv')
test = pd.read_csv('fraud_test.csv')
cat_cols = ['merchant_category', 'country', 'channel']""",
   """enc = OneHotEncoder(handle_unknown='ignore')
enc.fit(pd.concat([train[cat_cols], test[cat_cols]]))  #@LEAK-FIT-ON-TEST encoder fitted on train and test concatenated
X_train = enc.transform(train[cat_cols])
X_test = enc.transform(test[cat_cols])""",
   """lr = LogisticRegression(max_iter=1000).fit(X_train, train['is_fraud'])
lr.score(X_test, test['is_fraud'])""")

# ---------------------------------------------------------------- student performance -------
nb("c40_students_target_via_alias",
   "md:# Student final grade (UCI student-mat)\nLab 2 - regression.",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error""",
   """students = pd.read_csv('student-mat.csv', sep=';')
students = pd.get_dummies(students, drop_first=True)
data = students.copy()
y = data['G3']""",
   """X = data.drop(columns=['G1'])  #@LEAK-TARGET-IN-FEATURES dropped G1 instead of the label G3
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)""",
   """lin = LinearRegression().fit(X_train, y_train)
mean_squared_error(y_test, lin.predict(X_test)) ** 0.5""")

nb("c41_students_clean",
   "md:# Student final grade, without G3 in the features",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error""",
   """students = pd.read_csv('student-mat.csv', sep=';')
students = pd.get_dummies(students, drop_first=True)
y = students.pop('G3')
X = students""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
lin = LinearRegression().fit(X_train, y_train)
mean_squared_error(y_test, lin.predict(X_test)) ** 0.5""")

nb("c42_students_select_kbest_all",
   "md:# Pass/fail prediction with feature selection",
   IMPORTS + "\nfrom sklearn.feature_selection import SelectKBest, f_classif\nfrom sklearn.ensemble import RandomForestClassifier",
   """df = pd.read_csv('student-por.csv', sep=';')
df['passed'] = (df['G3'] >= 10).astype(int)
X = pd.get_dummies(df.drop(columns=['G1', 'G2', 'G3', 'passed']), drop_first=True)
y = df['passed']""",
   """selector = SelectKBest(f_classif, k=15)
X_sel = selector.fit_transform(X, y)  #@LEAK-PREPROCESSING univariate selection used the test rows' labels
X_train, X_test, y_train, y_test = train_test_split(X_sel, y, test_size=0.2, random_state=0)""",
   """rf = RandomForestClassifier(random_state=0).fit(X_train, y_train)
accuracy_score(y_test, rf.predict(X_test))""")

nb("c43_students_label_in_list",
   "md:# Predicting the Portuguese grade",
   IMPORTS + "\nfrom sklearn.ensemble import GradientBoostingRegressor",
   """por = pd.read_csv('student-por.csv', sep=';')
feature_cols = ['studytime', 'failures', 'absences', 'G1', 'G2', 'G3', 'Medu', 'Fedu']
label = 'G3'""",
   """X = por[feature_cols]  #@LEAK-TARGET-IN-FEATURES feature_cols lists the label G3
y = por[label]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)
gbr = GradientBoostingRegressor().fit(X_train, y_train)
mean_absolute_error(y_test, gbr.predict(X_test))""")

# ---------------------------------------------------------------- ad clicks / logistics -----
nb("c44_ctr_target_encoding_all",
   "md:# Click-through rate - mean target encoding of site ids",
   IMPORTS + "\nfrom sklearn.linear_model import LogisticRegression",
   """ads = pd.read_csv('avazu_sample.csv')
for col in ['site_id', 'app_id', 'device_model']:
    ads[col + '_te'] = ads.groupby(col)['click'].transform('mean')  #@LEAK-PREPROCESSING target mean per category computed over all rows before the split""",
   """X = ads[['site_id_te', 'app_id_te', 'device_model_te', 'hour']]
y = ads['click']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
lr = LogisticRegression().fit(X_train, y_train)
roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1])""")

nb("c45_ctr_target_encoding_train_clean",
   "md:# CTR - target encoding learnt on train only",
   IMPORTS + "\nfrom sklearn.linear_model import LogisticRegression",
   """ads = pd.read_csv('avazu_sample.csv')
train, test = train_test_split(ads, test_size=0.2, random_state=0)
for col in ['site_id', 'app_id']:
    te = train.groupby(col)['click'].mean()
    train[col + '_te'] = train[col].map(te)
    test[col + '_te'] = test[col].map(te).fillna(train['click'].mean())""",
   """cols = ['site_id_te', 'app_id_te', 'hour']
lr = LogisticRegression().fit(train[cols], train['click'])
roc_auc_score(test['click'], lr.predict_proba(test[cols])[:, 1])""")

nb("c46_delivery_delay_helper_fit_on_test",
   "md:# Late delivery prediction (logistics)\nHelper to prepare each split.",
   """import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split""",
   """def prepare(frame, scaler):
    cols = ['distance_km', 'weight_kg', 'n_stops', 'warehouse_load']
    return scaler.fit_transform(frame[cols])""",
   """ship = pd.read_csv('shipments.csv')
train, test = train_test_split(ship, test_size=0.2, random_state=8)
Xtr = prepare(train, RobustScaler())
Xte = prepare(test, RobustScaler())  #@LEAK-FIT-ON-TEST helper fit_transforms the test split""",
   """rf = RandomForestClassifier().fit(Xtr, train['late'])
rf.score(Xte, test['late'])""")

nb("c47_delivery_weekly_random_split",
   "md:# Weekly parcel volume per depot\n%matplotlib inline plots omitted.",
   """%matplotlib inline
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor""",
   """vol = pd.read_csv('depot_weekly.csv', parse_dates=['week'], index_col='week').sort_index()
vol['vol_lag1'] = vol['parcels'].shift(1)
vol['vol_lag52'] = vol['parcels'].shift(52)
vol = vol.dropna()""",
   """train, test = train_test_split(vol, test_size=0.2)  #@LEAK-TEMPORAL-SPLIT weekly series with lags, random rows
rfr = RandomForestRegressor().fit(train.drop(columns='parcels'), train['parcels'])
rfr.score(test.drop(columns='parcels'), test['parcels'])""")

nb("c48_delivery_fit_on_test_out_of_order",
   "md:# Delivery ETA - scaling\n(the notebook was re-run out of order)",
   """import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split""",
   """eta = pd.read_csv('eta.csv')
X = eta[['distance_km', 'traffic_index', 'n_stops']]
y = eta['minutes']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
scaler = StandardScaler()""",
   """X_test_s = scaler.transform(X_test)
ridge = Ridge().fit(scaler.transform(X_train), y_train)
ridge.score(X_test_s, y_test)""",
   """scaler.fit(X_test)  #@LEAK-FIT-ON-TEST run (In[3]) before the scoring cell (In[4]): scaler fitted on test rows""",
   order=[1, 2, 4, 3])

nb("c49_students_group_school_clean_cv",
   "md:# Student pass/fail - preprocessing inside the CV pipeline",
   """import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score""",
   """df = pd.read_csv('student-por.csv', sep=';')
y = (df['G3'] >= 10).astype(int)
X = df.drop(columns=['G1', 'G2', 'G3'])
cat = X.select_dtypes('object').columns.tolist()
num = X.select_dtypes('number').columns.tolist()""",
   """pre = ColumnTransformer([('cat', OneHotEncoder(handle_unknown='ignore'), cat), ('num', StandardScaler(), num)])
pipe = Pipeline([('pre', pre), ('lr', LogisticRegression(max_iter=1000))])
cross_val_score(pipe, X, y, cv=5, scoring='accuracy').mean()""")

nb("c50_clinical_label_encoder_clean",
   "md:# Anemia type from CBC values (label encoding the target is fine)",
   """import pandas as pd
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier""",
   """cbc = pd.read_csv('cbc_anemia.csv')
le = LabelEncoder()
y = le.fit_transform(cbc['diagnosis'])
X = cbc.drop(columns=['diagnosis'])""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
sc = StandardScaler().fit(X_train)
rf = RandomForestClassifier(random_state=0).fit(sc.transform(X_train), y_train)
rf.score(sc.transform(X_test), y_test)""")

# ---------------------------------------------------------------- extra cases ---------------
nb("c51_vibration_adasyn_arrays",
   "md:# Motor fault windows - ADASYN on numpy arrays",
   """import numpy as np
from imblearn.over_sampling import ADASYN
from sklearn.model_selection import train_test_split
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import f1_score""",
   """windows = np.load('vibration_windows_features.npy')
faults = np.load('vibration_fault_labels.npy')
print(np.bincount(faults))""",
   """Xb, yb = ADASYN(random_state=3).fit_resample(windows, faults)  #@LEAK-OVERLAP synthetic neighbours created before the split
Xtr, Xte, ytr, yte = train_test_split(Xb, yb, test_size=0.2, random_state=3)
et = ExtraTreesClassifier(n_estimators=300).fit(Xtr, ytr)
f1_score(yte, et.predict(Xte), average='macro')""")

nb("c52_energy_keras_val_on_test",
   "md:# Solar output with a small MLP (Keras)",
   """import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras""",
   """solar = pd.read_csv('solar_plant.csv')
X = solar[['irradiation', 'ambient_temp', 'module_temp']].values
y = solar['dc_power'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)""",
   """model = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1)])
model.compile(optimizer='adam', loss='mae')
stop = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
history = model.fit(X_train, y_train, epochs=300, batch_size=256,  #@LEAK-MULTI-TEST early stopping and best weights chosen on the test set (first line of the call)
                    validation_data=(X_test, y_test), callbacks=[stop])
model.evaluate(X_test, y_test)""")

nb("c53_energy_keras_validation_split_clean",
   "md:# Solar output MLP, early stopping on a validation split",
   """import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras""",
   """solar = pd.read_csv('solar_plant.csv')
X = solar[['irradiation', 'ambient_temp', 'module_temp']].values
y = solar['dc_power'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler().fit(X_train)
X_train, X_test = sc.transform(X_train), sc.transform(X_test)""",
   """model = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1)])
model.compile(optimizer='adam', loss='mae')
stop = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
history = model.fit(X_train, y_train, epochs=300, batch_size=256, validation_split=0.15, callbacks=[stop])
model.evaluate(X_test, y_test)""")

nb("c54_claims_values_with_label",
   "md:# Claim approval - quick numpy baseline",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression""",
   """claims = pd.read_csv('claims_approval.csv')
claims = claims.drop(columns=['claim_id', 'submitted_at'])
y = claims['approved'].values
X = claims.values  #@LEAK-TARGET-IN-FEATURES all columns including approved become X""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)""")

nb("c55_sports_tuning_on_test_params",
   "md:# Tennis match winner - tune max_depth",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import log_loss""",
   """atp = pd.read_csv('atp_matches_features.csv')
X = atp[['rank_diff', 'pts_diff', 'surface_winrate_diff', 'h2h']]
y = atp['p1_won']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)""",
   """scores = []
for depth in range(2, 9):
    gbc = GradientBoostingClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    scores.append((log_loss(y_test, gbc.predict_proba(X_test)), depth))  #@LEAK-MULTI-TEST depth chosen by test log loss
best_loss, best_depth = min(scores)
final = GradientBoostingClassifier(max_depth=best_depth, random_state=0).fit(X_train, y_train)""")

nb("c56_returns_oversample_concat",
   "md:# Returns - naive oversampling by concatenation",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier""",
   """orders = pd.read_csv('orders_features.csv')
returned = orders[orders['returned'] == 1]
orders_bal = pd.concat([orders, returned, returned], ignore_index=True)  #@LEAK-OVERLAP returned orders duplicated before the split""",
   """X = orders_bal.drop(columns=['returned'])
y = orders_bal['returned']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
RandomForestClassifier().fit(X_train, y_train).score(X_test, y_test)""")

# ---------------------------------------------------------------- more clean look-alikes ----
nb("c57_load_shuffle_false_clean",
   "md:# Gas demand, hold out the last 20% of days",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error""",
   """gas = pd.read_csv('gas_daily.csv', parse_dates=['date']).sort_values('date')
gas['lag7'] = gas['demand'].shift(7)
gas['roll7'] = gas['demand'].shift(1).rolling(7).mean()
gas = gas.dropna()
X, y = gas[['hdd', 'lag7', 'roll7']], gas['demand']""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
gbr = GradientBoostingRegressor().fit(X_train, y_train)
mean_absolute_error(y_test, gbr.predict(X_test))""")

nb("c58_reviews_user_groupkfold_clean",
   "md:# Review rating per user - StratifiedGroupKFold",
   """import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, cross_validate""",
   """rev = pd.read_csv('app_reviews_users.csv')
rev['user_n_reviews'] = rev.groupby('user_id')['review_id'].transform('count')
print(rev['user_n_reviews'].describe())""",
   """pipe = make_pipeline(TfidfVectorizer(min_df=2), LogisticRegression(max_iter=1000))
cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
res = cross_validate(pipe, rev['text'], rev['positive'], groups=rev['user_id'], cv=cv, scoring='f1')
res['test_score'].mean()""")

nb("c59_claims_smote_train_only_clean",
   "md:# Fraudulent claims - SMOTE on the training split only",
   IMPORTS + "\nfrom imblearn.over_sampling import SMOTE\nfrom sklearn.ensemble import GradientBoostingClassifier",
   """claims = pd.read_csv('insurance_claims.csv')
y = claims['fraud_reported'].map({'Y': 1, 'N': 0})
X = pd.get_dummies(claims.drop(['fraud_reported', 'policy_number'], axis=1), drop_first=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=2)""",
   """X_res, y_res = SMOTE(random_state=2).fit_resample(X_train, y_train)
gb = GradientBoostingClassifier().fit(X_res, y_res)
print(roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1]))""")

nb("c60_claims_values_without_label_clean",
   "md:# Claim approval - numpy baseline, label dropped",
   """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression""",
   """claims = pd.read_csv('claims_approval.csv')
claims = claims.drop(columns=['claim_id', 'submitted_at'])
y = claims['approved'].values
X = claims.drop(columns='approved').values""",
   """X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)""")

nb("c61_delivery_helper_fit_flag_clean",
   "md:# Late delivery - helper that fits only on train",
   """import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split""",
   """COLS = ['distance_km', 'weight_kg', 'n_stops', 'warehouse_load']

def scale(frame, scaler, fit=False):
    if fit:
        return scaler.fit_transform(frame[COLS])
    return scaler.transform(frame[COLS])""",
   """ship = pd.read_csv('shipments.csv')
train, test = train_test_split(ship, test_size=0.2, random_state=8)
rs = RobustScaler()
Xtr = scale(train, rs, fit=True)
Xte = scale(test, rs)""",
   """rf = RandomForestClassifier().fit(Xtr, train['late'])
rf.score(Xte, test['late'])""")

nb("c62_tiles_scaler_above_split_run_later_clean",
   "md:# Crop type - scaler cell sits above the split but ran after it",
   """import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split""",
   """emb = np.load('crop_tiles_emb.npy')
crop = np.load('crop_labels.npy')""",
   """scaler = StandardScaler().fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)""",
   """X_train, X_test, y_train, y_test = train_test_split(emb, crop, test_size=0.25, random_state=9)""",
   """clf = LogisticRegression(max_iter=2000).fit(X_train_s, y_train)
clf.score(X_test_s, y_test)""",
   order=[1, 2, 4, 3, 5])

nb("c63_lgbm_early_stopping_valid_clean",
   "md:# Sensor anomaly - LightGBM with a validation fold for early stopping",
   IMPORTS + "\nimport lightgbm as lgb",
   """sens = pd.read_csv('sensor_anomaly.csv')
X, y = sens.drop(columns=['anomaly']), sens['anomaly']
X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
X_tr, X_val, y_tr, y_val = train_test_split(X_tmp, y_tmp, test_size=0.25, stratify=y_tmp, random_state=0)""",
   """clf = lgb.LGBMClassifier(n_estimators=5000, learning_rate=0.02)
clf.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], callbacks=[lgb.early_stopping(100)])
roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])""")

nb("c64_fraud_concat_for_eda_clean",
   "md:# Fraud - look at train and test together, then fit on train",
   """import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import LogisticRegression""",
   """train = pd.read_csv('fraud_train.csv')
test = pd.read_csv('fraud_test.csv')
cat_cols = ['merchant_category', 'country', 'channel']
both = pd.concat([train.assign(part='train'), test.assign(part='test')])
both.groupby('part')[cat_cols].nunique()""",
   """enc = OneHotEncoder(handle_unknown='ignore').fit(train[cat_cols])
lr = LogisticRegression(max_iter=1000).fit(enc.transform(train[cat_cols]), train['is_fraud'])
lr.score(enc.transform(test[cat_cols]), test['is_fraud'])""")

nb("c65_reviews_grid_pipeline_clean",
   "md:# Review topic classifier - GridSearchCV over a text pipeline",
   """import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GridSearchCV, train_test_split""",
   """rev = pd.read_csv('review_topics.csv')
X_train, X_test, y_train, y_test = train_test_split(rev['text'], rev['topic'], test_size=0.2, stratify=rev['topic'], random_state=0)""",
   """pipe = Pipeline([('tfidf', TfidfVectorizer()), ('kbest', SelectKBest(chi2)), ('sgd', SGDClassifier(random_state=0))])
grid = GridSearchCV(pipe, {'kbest__k': [1000, 5000], 'sgd__alpha': [1e-4, 1e-5]}, cv=3, n_jobs=1)
grid.fit(X_train, y_train)
print(grid.best_params_)
print('test', grid.score(X_test, y_test))""")


def _split(source: str) -> tuple[str, list[tuple[str, int, str]]]:
    """Strip ``#@RULE why`` markers; return the clean source and (rule, line, why) labels."""
    lines, labels = [], []
    for number, line in enumerate(source.split("\n"), start=1):
        match = _MARK.search(line)
        if match:
            labels.append((match.group(1), number, match.group(2).strip()))
            line = line[: match.start()]
        lines.append(line)
    return "\n".join(lines), labels


def notebooks() -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(name, nbformat-4 notebook dict, labels) for every notebook of the corpus."""
    import nbformat

    out = []
    for name, (cells, order) in NB.items():
        book = nbformat.v4.new_notebook()
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
        labels: list[dict[str, Any]] = []
        code_index = 0
        for index, raw in enumerate(cells):
            if raw.startswith("md:"):
                book.cells.append(nbformat.v4.new_markdown_cell(raw[3:]))
                continue
            source, marks = _split(raw)
            cell = nbformat.v4.new_code_cell(source)
            cell.execution_count = order[code_index] if order else code_index + 1
            code_index += 1
            book.cells.append(cell)
            labels += [{"rule": r, "cell": index, "line": ln, "why": why} for r, ln, why in marks]
        out.append((name, book, labels))
    return out


def build(out_dir: Path = DEFAULT_OUT) -> Path:
    """Write every notebook and ``labels.json`` into ``out_dir``; return the labels path."""
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, book, labels in notebooks():
        nbformat.validate(book)
        nbformat.write(book, str(out_dir / f"{name}.ipynb"))
        entries.append({"notebook": f"{name}.ipynb", "leaky": bool(labels), "labels": labels})
    path = out_dir / "labels.json"
    path.write_text(json.dumps({"rules": RULES, "notebooks": entries}, indent=1))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    path = build(args.out)
    document = json.loads(path.read_text())
    per_rule = {rule: 0 for rule in RULES}
    for entry in document["notebooks"]:
        for label in entry["labels"]:
            per_rule[label["rule"]] += 1
    leaky = sum(e["leaky"] for e in document["notebooks"])
    print(f"{len(document['notebooks'])} notebooks ({leaky} leaky) -> {path}")
    print(", ".join(f"{rule} {count}" for rule, count in per_rule.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
