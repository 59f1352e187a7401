"""Held-out corpus F for the code-level leakage check: realistic notebooks written blind.

Written without reading the detector's source, its tests, its documentation or the other corpora
(only corpus D's small framework was read, to keep the ``labels.json`` format). Domains the
earlier corpora do not use: real estate, e-commerce returns, ride-hailing ETAs, network intrusion
logs, solar output, clinical trial visits, gym wearables, restaurant inspections, job postings,
weekly store sales, power-plant sensors, news headlines, mobile game telemetry, agriculture
drones, parking occupancy, phishing e-mails, elevator maintenance, subscription boxes, warehouse
picking, ECG beats, rental listings, shipping containers, podcasts, web traffic, skin lesions,
satellite telemetry, gene expression, concrete strength, support chats, employee attrition, river
gauges, handwriting and restaurant covers. Styles: Kaggle kernels (EDA, plots, several models),
course labs, team reports with helpers defined early and used later, method chains, numpy
arrays, early stopping (``eval_set=``, ``validation_data=``), hand-made target encoding,
``category_encoders``, TF-IDF, PCA, feature selection, SMOTE and manual upsampling, text
augmentation, lags and rolling windows, per-entity rows (subjects, users, players, writers).

78 notebooks: 41 leak (47 labelled leaks; six notebooks leak twice) and 37 are clean look-alikes
(Pipelines inside CV or grid search, fit on train then transform test, imblearn Pipelines, SMOTE
or upsampling on the training split only, chronological splits and TimeSeriesSplit,
GroupKFold/GroupShuffleSplit on the entity, early stopping on a validation split carved from
train, model choice on validation then one test score, a refit on all data after evaluation,
whole-frame EDA that never feeds a model, id columns dropped, groupby aggregates computed on
train and mapped to test).

Each leak is marked by a trailing ``#@ RULE | why`` comment on the first line of the leaking
statement; the marker is stripped before the notebook is written and its cell index (markdown
included) and 1-based line become the label. Labelling conventions, fixed before writing: fitted
preprocessing or a pandas statistic on data still holding test rows -> the fit (or statistic)
line; resampling, augmentation or duplication before the split -> the statement creating the new
rows; a model fitted on all rows and then scored on the test split -> that fit line; label among
the features -> the line building ``X``; random split of time-ordered or grouped rows -> the
split call, or the splitter's construction when it is passed as ``cv=``; test set used for
selection or early stopping -> the line scoring (or early-stopping) on the test set; fit on test
-> the fit line. Printing several models' test scores without choosing among them was avoided
(ambiguous), as were random splits of data whose time order or grouping is debatable.

Code cells are numbered in display order unless a spec gives an explicit execution count (third
tuple element). Six notebooks were run out of order: in two the leak exists only in execution
order, two clean ones look leaky on the page but are fine in execution order, and in two a
harmless re-run of an earlier cell changes nothing.

    python benchmarks/leakage_corpus_f.py [DIR]
"""

# Notebook sources below are kept as written in a notebook (long lines included):
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import Spec, main, md, py
from leakage_corpus_kit import build as build_corpus

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-f"

NOTEBOOKS: dict[str, list[Spec]] = {}


# --- real estate -------------------------------------------------------------------------------

NOTEBOOKS["house_prices_kernel"] = [
    md("# King County-style house prices\nQuick kernel: EDA, some feature engineering, three regressors compared."),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor, GradientBoostingRegressor
from sklearn.model_selection import cross_val_score
from sklearn.metrics import mean_absolute_error

df = pd.read_csv('../input/house-sales/sales.csv')
df.shape
"""),
    py("""
df.describe().T
"""),
    md("## Target distribution\nPrices are right-skewed; model the log."),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
sns.histplot(df['price'], ax=ax[0])
sns.histplot(np.log1p(df['price']), ax=ax[1])
"""),
    md("## Correlations"),
    py("""
plt.figure(figsize=(10, 8))
sns.heatmap(df.select_dtypes('number').corr(), cmap='coolwarm', center=0)
"""),
    py("""
sns.boxplot(data=df, x='grade', y='price')
plt.yscale('log')
"""),
    md("## Missing values\n`lot_size` and `year_renovated` have gaps; fill with medians."),
    py("""
df['lot_size'] = df['lot_size'].fillna(df['lot_size'].median())  #@ LEAK-PREPROCESSING | median over every sale, test rows included, before the split
df['year_renovated'] = df['year_renovated'].fillna(0)
df['age'] = df['yr_sold'] - df['year_built']
df['log_price'] = np.log1p(df['price'])
"""),
    md("## Modelling\nRandom 80/20 split, compare three regressors with 5-fold CV on the training part."),
    py("""
features = ['sqft_living', 'bedrooms', 'bathrooms', 'lot_size', 'age', 'grade', 'waterfront', 'lat', 'long']
X = df[features]
y = df['log_price']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
"""),
    py("""
models = {'ridge': Ridge(alpha=1.0), 'rf': RandomForestRegressor(n_estimators=300, n_jobs=-1, random_state=0),
          'gbr': GradientBoostingRegressor(random_state=0)}
cv_mae = {name: -cross_val_score(m, X_train, y_train, cv=5, scoring='neg_mean_absolute_error').mean()
          for name, m in models.items()}
cv_mae
"""),
    md("Gradient boosting has the lowest CV error; fit it on the training split and check the hold-out."),
    py("""
best = models[min(cv_mae, key=cv_mae.get)].fit(X_train, y_train)
print('hold-out MAE (log price):', mean_absolute_error(y_test, best.predict(X_test)))
"""),
]

NOTEBOOKS["house_prices_pipeline"] = [
    md("# House prices: ColumnTransformer + CV\nAll preprocessing lives in the pipeline so CV folds stay honest."),
    py("""
import pandas as pd
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import cross_val_score, KFold

homes = pd.read_csv('data/listings_sold.csv')
homes = homes.drop(columns=['listing_id', 'agent_phone'])
""", 1),
    py("""
homes.isna().mean().sort_values(ascending=False).head(10)
""", 5),
    py("""
num = ['sqft', 'beds', 'baths', 'lot_sqft', 'year_built', 'hoa_fee']
cat = ['zip', 'property_type', 'heating']
pre = ColumnTransformer([
    ('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), num),
    ('cat', make_pipeline(SimpleImputer(strategy='most_frequent'), OneHotEncoder(handle_unknown='ignore')), cat),
])
model = Pipeline([('pre', pre), ('hgb', HistGradientBoostingRegressor(max_iter=400))])
X = homes[num + cat]
y = np.log(homes['sold_price'])
""", 2),
    py("""
cv = KFold(n_splits=5, shuffle=True, random_state=7)
scores = cross_val_score(model, X, y, cv=cv, scoring='neg_mean_absolute_error')
print(-scores.mean(), scores.std())
""", 3),
    md("Happy with CV, fit on everything for the pricing tool."),
    py("""
model.fit(X, y)
import joblib
joblib.dump(model, 'price_model.joblib')
""", 4),
]

NOTEBOOKS["rental_listings_quickfit"] = [
    md("### Will a rental listing be let within 30 days?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

rent = pd.read_parquet('rentals_2023.parquet')
rent['let_fast'] = (rent['days_on_market'] <= 30).astype(int)
rent = rent.drop(columns=['days_on_market'])
"""),
    py("""
rent = pd.get_dummies(rent, columns=['borough', 'furnishing'], drop_first=True)
X = rent.drop(columns=['listing_id', 'url', 'agent'])  #@ LEAK-TARGET-IN-FEATURES | only ids dropped: let_fast stays among the features
y = rent['let_fast']
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=1)
clf = RandomForestClassifier(n_estimators=500, min_samples_leaf=3, random_state=1).fit(X_tr, y_tr)
roc_auc_score(y_te, clf.predict_proba(X_te)[:, 1])
"""),
]

NOTEBOOKS["rental_listings_report"] = [
    md("### Rental listings: time-to-let classifier (team report)"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score

TARGET = 'let_fast'
ID_COLS = ['listing_id', 'url', 'agent']

def load():
    d = pd.read_parquet('rentals_2023.parquet')
    d[TARGET] = (d.pop('days_on_market') <= 30).astype(int)
    return d
"""),
    py("""
rent = load()
rent = pd.get_dummies(rent, columns=['borough', 'furnishing'], drop_first=True)
y = rent[TARGET]
X = rent.drop(columns=ID_COLS + [TARGET])
X.shape, y.mean()
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, test_size=0.25, random_state=3)
sc = StandardScaler().fit(X_tr)
lr = LogisticRegression(max_iter=2000, C=0.5).fit(sc.transform(X_tr), y_tr)
print('test AUC', roc_auc_score(y_te, lr.predict_proba(sc.transform(X_te))[:, 1]))
"""),
]

# --- e-commerce returns ------------------------------------------------------------------------

NOTEBOOKS["returns_smote_xgb"] = [
    md("# Predicting returned orders\nOnly ~6% of orders come back, so balance the classes with SMOTE first."),
    py("""
import pandas as pd
import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report, f1_score
from xgboost import XGBClassifier

orders = pd.read_csv('orders_returns.csv')
orders['returned'].value_counts(normalize=True)
"""),
    md("### Return rate by category and by discount"),
    py("""
import matplotlib.pyplot as plt
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
orders.groupby('category')['returned'].mean().sort_values().plot.barh(ax=ax[0])
orders.groupby(pd.cut(orders['discount_pct'], 10))['returned'].mean().plot(ax=ax[1])
"""),
    md("Customers who returned before return again; size variance (bracketing) matters too."),
    py("""
num_cols = ['price', 'discount_pct', 'n_items', 'days_to_deliver', 'customer_prev_returns', 'size_variance']
X = orders[num_cols].fillna(0).values
y = orders['returned'].values
"""),
    py("""
sm = SMOTE(random_state=42)
X_bal, y_bal = sm.fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic minority rows made from all orders before the split
print(np.bincount(y_bal))
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_bal, y_bal, test_size=0.2, random_state=42)
xgb = XGBClassifier(n_estimators=400, learning_rate=0.05, max_depth=5)
xgb.fit(X_train, y_train)
print(classification_report(y_test, xgb.predict(X_test)))
"""),
    md("### What drives returns?"),
    py("""
pd.Series(xgb.feature_importances_, index=num_cols).sort_values().plot.barh()
"""),
]

NOTEBOOKS["returns_imblearn_grid"] = [
    md("# Returned orders, v2\nReviewer pointed out SMOTE must only see training folds: use imblearn's Pipeline."),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.metrics import f1_score

orders = pd.read_csv('orders_returns.csv')
num_cols = ['price', 'discount_pct', 'n_items', 'days_to_deliver', 'customer_prev_returns', 'size_variance']
X = orders[num_cols].fillna(0)
y = orders['returned']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
"""),
    py("""
pipe = Pipeline([('scale', StandardScaler()), ('smote', SMOTE(random_state=0)), ('lr', LogisticRegression(max_iter=1000))])
grid = GridSearchCV(pipe, {'smote__k_neighbors': [3, 5, 7], 'lr__C': [0.1, 1, 10]},
                    cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring='f1', n_jobs=-1)
grid.fit(X_train, y_train)
grid.best_params_
"""),
    py("""
print('held-out F1:', f1_score(y_test, grid.predict(X_test)))
"""),
]

NOTEBOOKS["returns_manual_upsample"] = [
    md("Returns model for the apparel category. Upsample returns on the training split only, then check on untouched test."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import average_precision_score

apparel = pd.read_csv('orders_returns.csv').query("category == 'apparel'")
feats = ['price', 'discount_pct', 'n_items', 'size_variance', 'customer_prev_returns']
train, test = train_test_split(apparel, test_size=0.25, stratify=apparel['returned'], random_state=11)
"""),
    py("""
pos = train[train.returned == 1]
neg = train[train.returned == 0]
pos_up = resample(pos, replace=True, n_samples=len(neg), random_state=11)
train_bal = pd.concat([neg, pos_up]).sample(frac=1, random_state=11)
train_bal.returned.value_counts()
"""),
    py("""
rf = RandomForestClassifier(n_estimators=400, random_state=11)
rf.fit(train_bal[feats], train_bal['returned'])
average_precision_score(test['returned'], rf.predict_proba(test[feats])[:, 1])
"""),
]

# --- ride-hailing ETAs ---------------------------------------------------------------------

NOTEBOOKS["ride_eta_lightgbm"] = [
    md("# Ride ETA regression with LightGBM"),
    py("""
import pandas as pd
import numpy as np
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error

trips = pd.read_parquet('trips_sample.parquet')
trips = trips.dropna(subset=['eta_min'])
cols = ['hour', 'dow', 'haversine_km', 'pickup_zone', 'dropoff_zone', 'surge', 'rain_mm']
X_train, X_test, y_train, y_test = train_test_split(trips[cols], trips['eta_min'], test_size=0.15, random_state=0)
"""),
    md("Early stopping so we don't have to tune the number of rounds."),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.03, num_leaves=63)
model.fit(X_train, y_train,  #@ LEAK-MULTI-TEST | early stopping watches the test set
          eval_set=[(X_test, y_test)],
          callbacks=[lgb.early_stopping(100), lgb.log_evaluation(200)])
"""),
    py("""
pred = model.predict(X_test)
print('MAE (min):', mean_absolute_error(y_test, pred))
"""),
]

NOTEBOOKS["ride_eta_lightgbm_v2"] = [
    md("# Ride ETA, v2: validation split for early stopping"),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error

trips = pd.read_parquet('trips_sample.parquet')
trips = trips.dropna(subset=['eta_min']).query('eta_min < 180')
cols = ['hour', 'dow', 'haversine_km', 'pickup_zone', 'dropoff_zone', 'surge', 'rain_mm']
X_full, X_test, y_full, y_test = train_test_split(trips[cols], trips['eta_min'], test_size=0.15, random_state=0)
X_tr, X_val, y_tr, y_val = train_test_split(X_full, y_full, test_size=0.15, random_state=1)
"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.03, num_leaves=63)
model.fit(X_tr, y_tr, eval_set=[(X_tr, y_tr), (X_val, y_val)], eval_names=['train', 'valid'],
          callbacks=[lgb.early_stopping(100), lgb.log_evaluation(200)])
model.best_iteration_
"""),
    py("""
print('test MAE:', mean_absolute_error(y_test, model.predict(X_test)))
"""),
]


# --- network intrusion logs --------------------------------------------------------------------

NOTEBOOKS["intrusion_flows_lab"] = [
    md("# Lab 6: detecting attacks in NetFlow records\nStudents: complete the cells marked TODO."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler, LabelEncoder
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score, confusion_matrix

train_df = pd.read_csv('flows_train.csv')
test_df = pd.read_csv('flows_test.csv')
feature_cols = [c for c in train_df.columns if c not in ('attack', 'flow_id')]
"""),
    py("""
enc = LabelEncoder().fit(train_df['attack'])
y_train = enc.transform(train_df['attack'])
y_test = enc.transform(test_df['attack'])
"""),
    md("TODO: scale the features (kNN is distance based)."),
    py("""
scaler = StandardScaler()
X_train = scaler.fit_transform(train_df[feature_cols])
X_test = scaler.fit_transform(test_df[feature_cols])  #@ LEAK-FIT-ON-TEST | the scaler is refitted on the test flows
"""),
    py("""
knn = KNeighborsClassifier(n_neighbors=7).fit(X_train, y_train)
pred = knn.predict(X_test)
print(accuracy_score(y_test, pred))
confusion_matrix(y_test, pred)
"""),
]

NOTEBOOKS["intrusion_logs_pca_gbm"] = [
    md("## Flow statistics -> PCA -> boosting\nCompress the 78 flow statistics with PCA, then a gradient boosting on the components."),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

flows = pd.read_csv('cicids_sample.csv')
flows = flows.replace([np.inf, -np.inf], np.nan).dropna()
y = (flows.pop('Label') != 'BENIGN').astype(int).to_numpy()
X = flows.to_numpy(dtype=float)
"""),
    py("""
X_std = StandardScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on every flow before the split
pca = PCA(n_components=20, random_state=0)
Z = pca.fit_transform(X_std)  #@ LEAK-PREPROCESSING | PCA fitted on every flow before the split
pca.explained_variance_ratio_.cumsum()[-1]
"""),
    py("""
Z_tr, Z_te, y_tr, y_te = train_test_split(Z, y, test_size=0.3, stratify=y, random_state=0)
clf = HistGradientBoostingClassifier().fit(Z_tr, y_tr)
f1_score(y_te, clf.predict(Z_te))
"""),
]

# --- solar output ------------------------------------------------------------------------------

NOTEBOOKS["solar_next_hour"] = [
    md("# Next-hour PV output for the rooftop array\nHourly inverter readings 2021-2024, lag features."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

pv = pd.read_csv('inverter_hourly.csv', parse_dates=['timestamp']).sort_values('timestamp').set_index('timestamp')
pv['kw_lag1'] = pv['kw'].shift(1)
pv['kw_lag24'] = pv['kw'].shift(24)
pv['kw_roll6'] = pv['kw'].shift(1).rolling(6).mean()
pv['hour'] = pv.index.hour
pv['doy'] = pv.index.dayofyear
pv = pv.dropna()
"""),
    py("""
feats = ['kw_lag1', 'kw_lag24', 'kw_roll6', 'hour', 'doy', 'cloud_cover', 'temp_c']
X_train, X_test, y_train, y_test = train_test_split(pv[feats], pv['kw'], test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of an hourly series with lag features
"""),
    py("""
rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=5, n_jobs=-1).fit(X_train, y_train)
mean_absolute_error(y_test, rf.predict(X_test))
"""),
]

NOTEBOOKS["solar_next_hour_backtest"] = [
    md("# Next-hour PV output: proper backtest\nTime-ordered CV, last year held out."),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

pv = pd.read_csv('inverter_hourly.csv', parse_dates=['timestamp']).sort_values('timestamp').set_index('timestamp')
pv = pv.assign(kw_lag1=pv.kw.shift(1), kw_lag24=pv.kw.shift(24), kw_roll6=pv.kw.shift(1).rolling(6).mean(),
               hour=pv.index.hour, doy=pv.index.dayofyear).dropna()
feats = ['kw_lag1', 'kw_lag24', 'kw_roll6', 'hour', 'doy', 'cloud_cover', 'temp_c']
"""),
    py("""
train = pv.loc[:'2023-12-31']
test = pv.loc['2024-01-01':]
rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=5, n_jobs=-1)
tscv = TimeSeriesSplit(n_splits=5, gap=24)
cv_mae = -cross_val_score(rf, train[feats], train['kw'], cv=tscv, scoring='neg_mean_absolute_error')
cv_mae.round(3)
"""),
    py("""
rf.fit(train[feats], train['kw'])
print('2024 MAE', mean_absolute_error(test['kw'], rf.predict(test[feats])))
"""),
]

NOTEBOOKS["solar_daily_kfold"] = [
    md("Daily solar yield per site, CV with a few models."),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.linear_model import Ridge
from sklearn.ensemble import ExtraTreesRegressor

daily = (pd.read_csv('site_daily.csv', parse_dates=['date'])
           .query("site == 'north_roof'")
           .sort_values('date'))
daily['yield_lag1'] = daily['yield_kwh'].shift(1)
daily['yield_lag7'] = daily['yield_kwh'].shift(7)
daily['irr_roll3'] = daily['irradiance'].rolling(3).mean()
daily = daily.dropna()
X = daily[['yield_lag1', 'yield_lag7', 'irr_roll3', 'irradiance', 'temp_max']]
y = daily['yield_kwh']
"""),
    py("""
kf = KFold(n_splits=5, shuffle=True, random_state=2)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over a daily series with lags
for name, m in {'ridge': Ridge(), 'et': ExtraTreesRegressor(n_estimators=300)}.items():
    print(name, cross_val_score(m, X, y, cv=kf, scoring='r2').mean())
"""),
]

# --- clinical trial visits ---------------------------------------------------------------------

NOTEBOOKS["trial_visits_response"] = [
    md("# Responder prediction from visit-level labs\nEach participant has 4-9 visits; one row per visit."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

visits = pd.read_csv('trial_visits.csv')
visits.groupby('subject_id').size().describe()
"""),
    py("""
labs = ['alt', 'ast', 'crp', 'hb', 'wbc', 'egfr', 'weight_kg', 'dose_mg']
X = visits[labs]
y = visits['responder']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=5)  #@ LEAK-GROUP-SPLIT | visits of one subject land in both train and test
"""),
    py("""
gb = GradientBoostingClassifier().fit(X_train, y_train)
roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1])
"""),
]

NOTEBOOKS["trial_visits_by_subject"] = [
    md("# Responder prediction, split by subject"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

visits = pd.read_csv('trial_visits.csv')
labs = ['alt', 'ast', 'crp', 'hb', 'wbc', 'egfr', 'weight_kg', 'dose_mg']
"""),
    md("## Data overview\nVisits per subject, missingness and lab trajectories by arm (whole cohort, descriptive only)."),
    py("""
visits.groupby('subject_id').size().value_counts().sort_index()
"""),
    py("""
visits[labs].isna().mean().round(3)
"""),
    py("""
import seaborn as sns
sns.lineplot(data=visits, x='visit_no', y='crp', hue='arm', estimator='median')
"""),
    md("## Split by subject\nA subject's visits must stay on one side."),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=5)
tr_idx, te_idx = next(gss.split(visits, visits['responder'], groups=visits['subject_id']))
train, test = visits.iloc[tr_idx], visits.iloc[te_idx]
assert set(train.subject_id).isdisjoint(test.subject_id)
"""),
    py("""
gb = GradientBoostingClassifier().fit(train[labs], train['responder'])
roc_auc_score(test['responder'], gb.predict_proba(test[labs])[:, 1])
"""),
    md("Subject-level AUC is what we quote in the SAP appendix."),
]



# --- gym wearables -----------------------------------------------------------------------------

NOTEBOOKS["wearable_workout_type"] = [
    md("# Classifying workout type from wrist sensor sessions\n~40 users, each with dozens of sessions."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sessions = pd.read_parquet('wrist_sessions.parquet')
print(sessions.user_id.nunique(), len(sessions))
"""),
    py("""
def session_features(df):
    out = pd.DataFrame(index=df.index)
    for axis in ('ax', 'ay', 'az'):
        out[f'{axis}_mean'] = df[f'{axis}_mean']
        out[f'{axis}_std'] = df[f'{axis}_std']
    out['hr_mean'] = df['hr_mean']
    out['hr_peak'] = df['hr_max'] - df['hr_rest']
    out['duration_min'] = df['duration_s'] / 60
    return out

X = session_features(sessions)
y = sessions['workout_type']
"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | folds split sessions of the same user across train and validation
model = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=300, random_state=0))
scores = cross_val_score(model, X, y, cv=skf, scoring='f1_macro')
print(scores.mean())
"""),
]

NOTEBOOKS["wearable_workout_type_loso"] = [
    md("# Workout type, leave-users-out\nWe want accuracy on *new* users, so fold by user."),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sessions = pd.read_parquet('wrist_sessions.parquet')
cols = [c for c in sessions.columns if c.endswith(('_mean', '_std'))] + ['duration_s']
X, y, users = sessions[cols], sessions['workout_type'], sessions['user_id']
"""),
    py("""
gkf = GroupKFold(n_splits=5)
model = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=300, random_state=0))
scores = cross_val_score(model, X, y, groups=users, cv=gkf, scoring='f1_macro')
scores.mean(), scores.std()
"""),
]

NOTEBOOKS["wearable_calories_keras"] = [
    md("# Calories burned per session: small MLP (Keras)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

s = pd.read_parquet('wrist_sessions.parquet')
feats = ['hr_mean', 'hr_max', 'duration_s', 'ax_std', 'ay_std', 'az_std', 'weight_kg', 'age']
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
tr, te = next(gss.split(s, groups=s['user_id']))
train, test = s.iloc[tr], s.iloc[te]
gss_val = GroupShuffleSplit(n_splits=1, test_size=0.15, random_state=1)
tr2, va = next(gss_val.split(train, groups=train['user_id']))
fit_part, val_part = train.iloc[tr2], train.iloc[va]
"""),
    py("""
sc = StandardScaler().fit(fit_part[feats])
Xf, Xv, Xt = (sc.transform(d[feats]) for d in (fit_part, val_part, test))
yf, yv, yt = (d['calories'].to_numpy() for d in (fit_part, val_part, test))
"""),
    py("""
net = keras.Sequential([keras.layers.Dense(64, activation='relu'), keras.layers.Dense(32, activation='relu'), keras.layers.Dense(1)])
net.compile(optimizer='adam', loss='mae')
stop = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
hist = net.fit(Xf, yf, validation_data=(Xv, yv), epochs=300, batch_size=64, callbacks=[stop], verbose=0)
print('test MAE', net.evaluate(Xt, yt, verbose=0))
"""),
]

# --- restaurant inspections --------------------------------------------------------------------

NOTEBOOKS["inspections_fail_numeric"] = [
    md("# Which restaurants fail their next inspection?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score

insp = pd.read_csv('inspections_latest.csv')  # one row per licence: its latest inspection
insp['fail'] = (insp['result'] == 'Fail').astype(int)
insp = insp.drop(columns=['result', 'dba_name', 'address'])
insp.head()
"""),
    py("""
X = insp.select_dtypes(include='number').drop(columns=['license_no'])  #@ LEAK-TARGET-IN-FEATURES | fail is numeric, so select_dtypes keeps the label among the features
y = insp['fail']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
"""),
    py("""
sc = StandardScaler().fit(X_tr)
lr = LogisticRegression(max_iter=1000).fit(sc.transform(X_tr), y_tr)
roc_auc_score(y_te, lr.predict_proba(sc.transform(X_te))[:, 1])
"""),
]

NOTEBOOKS["inspections_fail_numeric_fixed"] = [
    md("# Next-inspection failure (fixed feature list)"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

insp = pd.read_csv('inspections_latest.csv')  # one row per licence: its latest inspection
insp['fail'] = (insp['result'] == 'Fail').astype(int)
insp = insp.drop(columns=['result', 'dba_name', 'address'])
"""),
    py("""
y = insp.pop('fail')
X = insp.select_dtypes(include='number').drop(columns=['license_no'])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
rf = RandomForestClassifier(n_estimators=400, class_weight='balanced', random_state=0).fit(X_tr, y_tr)
roc_auc_score(y_te, rf.predict_proba(X_te)[:, 1])
"""),
]

NOTEBOOKS["inspections_history_encoding"] = [
    md("# Inspection outcome with a hand-made 'facility type fail rate' feature"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

insp = pd.read_csv('inspections_latest.csv')  # one row per licence: its latest inspection
insp['fail'] = (insp['result'] == 'Fail').astype(int)
"""),
    md("Fail rate per facility type and per ward, mapped back onto each inspection."),
    py("""
type_rate = insp.groupby('facility_type')['fail'].mean()  #@ LEAK-PREPROCESSING | target mean per facility type over all inspections, test rows included
ward_rate = insp.groupby('ward')['fail'].transform('mean')  #@ LEAK-PREPROCESSING | target mean per ward over all inspections, test rows included
insp['type_fail_rate'] = insp['facility_type'].map(type_rate)
insp['ward_fail_rate'] = ward_rate
"""),
    py("""
feats = ['type_fail_rate', 'ward_fail_rate', 'risk_level', 'prior_violations', 'days_since_last']
X_tr, X_te, y_tr, y_te = train_test_split(insp[feats], insp['fail'], test_size=0.25, random_state=42)
gb = GradientBoostingClassifier().fit(X_tr, y_tr)
roc_auc_score(y_te, gb.predict_proba(X_te)[:, 1])
"""),
]

NOTEBOOKS["inspections_history_encoding_train"] = [
    md("# Facility-type fail rate, computed on the training inspections only"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

insp = pd.read_csv('inspections_latest.csv')  # one row per licence: its latest inspection
insp['fail'] = (insp['result'] == 'Fail').astype(int)
"""),
    md("### EDA: fail rate by facility type and by ward (all inspections, plot only)"),
    py("""
insp.groupby('facility_type')['fail'].mean().sort_values().tail(15).plot.barh(figsize=(6, 6))
"""),
    py("""
insp.pivot_table(index='ward', columns='risk_level', values='fail', aggfunc='mean').round(2)
"""),
    md("### Split, then encode with training rates only"),
    py("""
train, test = train_test_split(insp, test_size=0.25, random_state=42, stratify=insp['fail'])
train, test = train.copy(), test.copy()
"""),
    py("""
prior = train['fail'].mean()
type_rate = train.groupby('facility_type')['fail'].mean()
ward_rate = train.groupby('ward')['fail'].mean()
for part in (train, test):
    part['type_fail_rate'] = part['facility_type'].map(type_rate).fillna(prior)
    part['ward_fail_rate'] = part['ward'].map(ward_rate).fillna(prior)
"""),
    py("""
feats = ['type_fail_rate', 'ward_fail_rate', 'risk_level', 'prior_violations', 'days_since_last']
gb = GradientBoostingClassifier().fit(train[feats], train['fail'])
roc_auc_score(test['fail'], gb.predict_proba(test[feats])[:, 1])
"""),
]


# --- job postings (text) -----------------------------------------------------------------------

NOTEBOOKS["job_postings_fraud_tfidf"] = [
    md("# Fake job postings: TF-IDF + linear models"),
    py("""
import pandas as pd
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

posts = pd.read_csv('fake_job_postings.csv')
posts['text'] = (posts['title'].fillna('') + ' ' + posts['company_profile'].fillna('') + ' '
                 + posts['description'].fillna('') + ' ' + posts['requirements'].fillna(''))
"""),
    py("""
tfidf = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True, max_features=50000)
X = tfidf.fit_transform(posts['text'])  #@ LEAK-PREPROCESSING | vocabulary and idf learned from every posting before the split
y = posts['fraudulent'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
"""),
    py("""
clf = LogisticRegression(max_iter=2000, class_weight='balanced').fit(X_train, y_train)
print('test F1', f1_score(y_test, clf.predict(X_test)))
"""),
]

NOTEBOOKS["job_postings_fraud_pipeline"] = [
    md("# Fake job postings: vectorizer inside the pipeline"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.metrics import classification_report

posts = pd.read_csv('fake_job_postings.csv')
text = posts[['title', 'company_profile', 'description', 'requirements']].fillna('').agg(' '.join, axis=1)
X_train, X_test, y_train, y_test = train_test_split(text, posts['fraudulent'], test_size=0.2,
                                                    stratify=posts['fraudulent'], random_state=0)
"""),
    py("""
pipe = make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(max_iter=2000, class_weight='balanced'))
search = GridSearchCV(pipe, {'tfidfvectorizer__min_df': [2, 5], 'tfidfvectorizer__ngram_range': [(1, 1), (1, 2)],
                             'logisticregression__C': [0.3, 1, 3]}, cv=5, scoring='f1', n_jobs=-1)
search.fit(X_train, y_train)
print(search.best_params_, search.best_score_)
"""),
    py("""
print(classification_report(y_test, search.predict(X_test)))
"""),
]

NOTEBOOKS["job_postings_salary_band"] = [
    md("# Salary band from posting text + metadata\nTeam notebook, helpers first."),
    py("""
import pandas as pd
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.metrics import accuracy_score
from scipy.sparse import hstack, csr_matrix

def band(s):
    return pd.cut(s, [0, 40000, 70000, 110000, np.inf], labels=[0, 1, 2, 3]).astype(int)

def add_title_rate(df, rates):
    return df.assign(title_rate=df['title_norm'].map(rates).fillna(rates.mean()))
"""),
    py("""
jobs = pd.read_csv('postings_with_salary.csv')
jobs['band'] = band(jobs['salary_mid'])
title_rates = jobs.groupby('title_norm')['salary_mid'].mean() / 1e5  #@ LEAK-PREPROCESSING | mean salary per title over all postings, test rows included
jobs = add_title_rate(jobs, title_rates)
"""),
    py("""
train, test = train_test_split(jobs, test_size=0.2, stratify=jobs['band'], random_state=4)
vec = TfidfVectorizer(min_df=5, max_features=30000).fit(train['description'])
def design(d):
    return hstack([vec.transform(d['description']), csr_matrix(d[['title_rate', 'remote']].to_numpy(float))]).tocsr()
Xtr, Xte = design(train), design(test)
"""),
    md("Try three classifiers and keep the best one."),
    py("""
candidates = {'lr': LogisticRegression(max_iter=3000), 'nb': ComplementNB(), 'rf': RandomForestClassifier(n_estimators=300)}
test_acc = {}
for name, clf in candidates.items():
    clf.fit(Xtr, train['band'])
    test_acc[name] = accuracy_score(test['band'], clf.predict(Xte))  #@ LEAK-MULTI-TEST | test accuracy is what picks the model
best = max(test_acc, key=test_acc.get)
print(best, test_acc[best])
"""),
]

NOTEBOOKS["job_postings_model_choice_val"] = [
    md("# Salary band: choose on validation, report test once"),
    py("""
import pandas as pd
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from sklearn.metrics import accuracy_score

jobs = pd.read_csv('postings_with_salary.csv')
jobs['band'] = pd.cut(jobs['salary_mid'], [0, 40000, 70000, 110000, np.inf], labels=False)
dev, test = train_test_split(jobs, test_size=0.2, stratify=jobs['band'], random_state=4)
train, val = train_test_split(dev, test_size=0.2, stratify=dev['band'], random_state=5)
"""),
    py("""
vec = TfidfVectorizer(min_df=5, max_features=30000)
Xtr = vec.fit_transform(train['description'])
Xva = vec.transform(val['description'])
val_acc = {}
models = {'lr': LogisticRegression(max_iter=3000), 'nb': ComplementNB(), 'svm': LinearSVC()}
for name, m in models.items():
    val_acc[name] = accuracy_score(val['band'], m.fit(Xtr, train['band']).predict(Xva))
best = max(val_acc, key=val_acc.get)
val_acc
"""),
    py("""
vec_final = TfidfVectorizer(min_df=5, max_features=30000)
Xdev = vec_final.fit_transform(dev['description'])
final = models[best].fit(Xdev, dev['band'])
print(best, 'test accuracy', accuracy_score(test['band'], final.predict(vec_final.transform(test['description']))))
"""),
]

# --- weekly store sales ------------------------------------------------------------------------

NOTEBOOKS["store_sales_weekly_encoding"] = [
    md("# Weekly sales per store (45 stores, 2019-2023)\nChronological hold-out: last 26 weeks."),
    py("""
import pandas as pd
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_percentage_error

sales = pd.read_csv('store_weekly.csv', parse_dates=['week']).sort_values(['store', 'week'])
sales['lag_1'] = sales.groupby('store')['sales'].shift(1)
sales['lag_52'] = sales.groupby('store')['sales'].shift(52)
sales['roll_4'] = sales.groupby('store')['sales'].transform(lambda s: s.shift(1).rolling(4).mean())
"""),
    py("""
sales['store_level'] = sales.groupby('store')['sales'].transform('mean')  #@ LEAK-PREPROCESSING | per-store mean of the target over all weeks, the held-out 26 included
sales = sales.dropna()
cutoff = sales['week'].max() - pd.Timedelta(weeks=26)
train, test = sales[sales.week <= cutoff], sales[sales.week > cutoff]
"""),
    py("""
feats = ['lag_1', 'lag_52', 'roll_4', 'store_level', 'holiday', 'promo', 'temperature', 'fuel_price']
gbr = GradientBoostingRegressor(n_estimators=500, max_depth=4, learning_rate=0.05).fit(train[feats], train['sales'])
mean_absolute_percentage_error(test['sales'], gbr.predict(test[feats]))
"""),
]

NOTEBOOKS["store_sales_weekly_train_levels"] = [
    md("# Weekly sales per store: store level from the training weeks only"),
    py("""
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_percentage_error

sales = pd.read_csv('store_weekly.csv', parse_dates=['week']).sort_values(['store', 'week'])
g = sales.groupby('store')['sales']
sales['lag_1'] = g.shift(1)
sales['lag_52'] = g.shift(52)
sales['roll_4'] = g.transform(lambda s: s.shift(1).rolling(4).mean())
sales = sales.dropna()
cutoff = sales['week'].max() - pd.Timedelta(weeks=26)
train = sales[sales.week <= cutoff].copy()
test = sales[sales.week > cutoff].copy()
"""),
    py("""
levels = train.groupby('store')['sales'].mean()
train['store_level'] = train['store'].map(levels)
test['store_level'] = test['store'].map(levels)
"""),
    py("""
feats = ['lag_1', 'lag_52', 'roll_4', 'store_level', 'holiday', 'promo', 'temperature', 'fuel_price']
gbr = GradientBoostingRegressor(n_estimators=500, max_depth=4, learning_rate=0.05).fit(train[feats], train['sales'])
print(mean_absolute_percentage_error(test['sales'], gbr.predict(test[feats])))
"""),
    md("EDA for the report: correlation of features with sales over the whole history."),
    py("""
import seaborn as sns
sns.heatmap(sales[['sales', 'temperature', 'fuel_price', 'promo', 'holiday']].corr(), annot=True)
"""),
]



# --- power-plant sensors -----------------------------------------------------------------------

NOTEBOOKS["ccpp_output_pca_cv"] = [
    md("# Combined-cycle plant: net output from ambient sensors\nPCA to decorrelate, then SVR, 10-fold CV."),
    py("""
import pandas as pd
import numpy as np
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.model_selection import cross_val_score

ccpp = pd.read_excel('Folds5x2_pp.xlsx')
X = ccpp[['AT', 'V', 'AP', 'RH']].values
y = ccpp['PE'].values
"""),
    py("""
X = StandardScaler().fit_transform(X)  #@ LEAK-PREPROCESSING | scaled on all rows, outside the CV that follows
X = PCA(n_components=3).fit_transform(X)  #@ LEAK-PREPROCESSING | PCA fitted on all rows, outside the CV that follows
"""),
    py("""
scores = cross_val_score(SVR(C=10, epsilon=0.5), X, y, cv=10, scoring='neg_root_mean_squared_error')
print('RMSE', -scores.mean())
"""),
]

NOTEBOOKS["ccpp_output_pca_grid"] = [
    md("# Combined-cycle plant: PCA + SVR tuned in one pipeline"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
from sklearn.model_selection import GridSearchCV, train_test_split

ccpp = pd.read_excel('Folds5x2_pp.xlsx')
X_train, X_test, y_train, y_test = train_test_split(ccpp[['AT', 'V', 'AP', 'RH']], ccpp['PE'], test_size=0.2, random_state=0)
"""),
    py("""
pipe = Pipeline([('sc', StandardScaler()), ('pca', PCA()), ('svr', SVR())])
grid = GridSearchCV(pipe, {'pca__n_components': [2, 3, 4], 'svr__C': [1, 10, 100]}, cv=5,
                    scoring='neg_root_mean_squared_error', n_jobs=-1).fit(X_train, y_train)
grid.best_params_, -grid.best_score_
"""),
    py("""
print('test R2', grid.score(X_test, y_test))
"""),
    md("Whole-data PCA just for the loading plot in the report (not used by any model):"),
    py("""
import matplotlib.pyplot as plt
pca_viz = PCA(n_components=2).fit(StandardScaler().fit_transform(ccpp[['AT', 'V', 'AP', 'RH']]))
plt.bar(['PC1', 'PC2'], pca_viz.explained_variance_ratio_)
"""),
]

NOTEBOOKS["turbine_vibration_test_imputer"] = [
    md("Gas turbine trip classifier, evaluation on the 2024 outage file."),
    py("""
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score

hist = pd.read_csv('turbine_2019_2023.csv')
new = pd.read_csv('turbine_2024.csv')
cols = ['vib_x', 'vib_y', 'exhaust_t', 'comp_p', 'fuel_flow', 'bearing_t']
"""),
    py("""
imp_hist = SimpleImputer(strategy='mean').fit(hist[cols])
X_hist = imp_hist.transform(hist[cols])
rf = RandomForestClassifier(n_estimators=500, class_weight='balanced_subsample').fit(X_hist, hist['trip'])
"""),
    md("2024 has more sensor dropouts; impute it with its own means."),
    py("""
imp_new = SimpleImputer(strategy='mean')
X_new = imp_new.fit_transform(new[cols])  #@ LEAK-FIT-ON-TEST | imputer fitted on the 2024 evaluation rows
balanced_accuracy_score(new['trip'], rf.predict(X_new))
"""),
]

# --- news headlines ----------------------------------------------------------------------------

NOTEBOOKS["headline_topic_models"] = [
    md("# Headline topic classification\nCompare a few models on a held-out set."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import MultinomialNB
from sklearn.metrics import accuracy_score

news = pd.read_json('headlines.jsonl', lines=True)
train, test = train_test_split(news, test_size=0.2, stratify=news['category'], random_state=0)
vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2).fit(train['headline'])
Xtr, Xte = vec.transform(train['headline']), vec.transform(test['headline'])
"""),
    py("""
results = {name: accuracy_score(test['category'], m.fit(Xtr, train['category']).predict(Xte))  #@ LEAK-MULTI-TEST | test accuracy of each candidate feeds the choice below
           for name, m in {'nb': MultinomialNB(alpha=0.1), 'lr': LogisticRegression(max_iter=2000),
                           'sgd': SGDClassifier(loss='modified_huber')}.items()}
best_name = max(results, key=results.get)
print(results, '->', best_name)
"""),
]

NOTEBOOKS["headline_topic_cv_select"] = [
    md("# Headline topics: CV on train for the choice, test once"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import MultinomialNB

news = pd.read_json('headlines.jsonl', lines=True)
train, test = train_test_split(news, test_size=0.2, stratify=news['category'], random_state=0)
"""),
    py("""
cands = {'nb': MultinomialNB(alpha=0.1), 'lr': LogisticRegression(max_iter=2000), 'sgd': SGDClassifier(loss='modified_huber')}
cv_acc = {n: cross_val_score(make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2), m),
                             train['headline'], train['category'], cv=5).mean() for n, m in cands.items()}
best = max(cv_acc, key=cv_acc.get)
cv_acc
"""),
    py("""
final = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2), cands[best]).fit(train['headline'], train['category'])
print(best, final.score(test['headline'], test['category']))
"""),
]

NOTEBOOKS["headline_clickbait_augment"] = [
    md("# Clickbait detector with back-translation augmentation\nAugmented headlines come from `augment_bt.py` (EN->DE->EN)."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
from augment_bt import back_translate

heads = pd.read_csv('clickbait.csv')
heads['label'].value_counts()
"""),
    py("""
heads = pd.concat([heads, heads.assign(headline=heads['headline'].map(back_translate))], ignore_index=True)  #@ LEAK-OVERLAP | paraphrased copies of every headline added before the split
heads = heads.drop_duplicates('headline')
"""),
    py("""
tr, te = train_test_split(heads, test_size=0.2, stratify=heads['label'], random_state=0)
vec = TfidfVectorizer(min_df=2).fit(tr['headline'])
lr = LogisticRegression(max_iter=1000).fit(vec.transform(tr['headline']), tr['label'])
f1_score(te['label'], lr.predict(vec.transform(te['headline'])))
"""),
]

NOTEBOOKS["headline_clickbait_augment_train"] = [
    md("# Clickbait detector, augmentation on the training split only"),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
from augment_bt import back_translate

heads = pd.read_csv('clickbait.csv')
tr, te = train_test_split(heads, test_size=0.2, stratify=heads['label'], random_state=0)
"""),
    py("""
tr_aug = pd.concat([tr, tr.assign(headline=tr['headline'].map(back_translate))], ignore_index=True)
tr_aug = tr_aug.drop_duplicates('headline')
len(tr), len(tr_aug)
"""),
    py("""
vec = TfidfVectorizer(min_df=2).fit(tr_aug['headline'])
lr = LogisticRegression(max_iter=1000).fit(vec.transform(tr_aug['headline']), tr_aug['label'])
f1_score(te['label'], lr.predict(vec.transform(te['headline'])))
"""),
]


# --- mobile game telemetry ---------------------------------------------------------------------

NOTEBOOKS["game_churn_sessions"] = [
    md("# Day-7 churn from session telemetry\nOne row per session (players have 1-200 sessions). Label: player churned by day 7."),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

tele = pd.read_parquet('session_telemetry.parquet')
tele.groupby('player_id').size().describe()
""", 1),
    md("## EDA\nChurners play shorter sessions and watch more ads in their first days."),
    py("""
import matplotlib.pyplot as plt
tele.boxplot(column='session_len_s', by='churn_d7', showfliers=False)
tele.groupby('churn_d7')[['ads_watched', 'deaths', 'iap_usd']].mean()
""", 6),
    md("## Scaling and model"),
    py("""
num = ['session_len_s', 'levels_cleared', 'coins_spent', 'ads_watched', 'deaths', 'iap_usd', 'days_since_install']
scaler = StandardScaler()
tele[num] = scaler.fit_transform(tele[num])  #@ LEAK-PREPROCESSING | scaler fitted on every session before the split
""", 2),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(tele[num], tele['churn_d7'], test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | sessions of the same player in train and test
rf = RandomForestClassifier(n_estimators=200, n_jobs=-1).fit(X_tr, y_tr)
roc_auc_score(y_te, rf.predict_proba(X_te)[:, 1])
""", 3),
    md("AUC 0.93 - good enough to target win-back offers. Top features:"),
    py("""
pd.Series(rf.feature_importances_, index=num).sort_values(ascending=False)
""", 4),
]

NOTEBOOKS["game_churn_players"] = [
    md("# Day-7 churn: split by player, scaler on train only"),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GroupShuffleSplit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

tele = pd.read_parquet('session_telemetry.parquet')
num = ['session_len_s', 'levels_cleared', 'coins_spent', 'ads_watched', 'deaths', 'iap_usd', 'days_since_install']
train_idx, test_idx = next(GroupShuffleSplit(test_size=0.2, random_state=0).split(tele, groups=tele['player_id']))
train, test = tele.iloc[train_idx], tele.iloc[test_idx]
"""),
    py("""
scaler = StandardScaler().fit(train[num])
lr = LogisticRegression(max_iter=500).fit(scaler.transform(train[num]), train['churn_d7'])
roc_auc_score(test['churn_d7'], lr.predict_proba(scaler.transform(test[num]))[:, 1])
"""),
]

NOTEBOOKS["game_spend_xgb_es_test"] = [
    md("# Week-2 payer, XGBoost with early stopping"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier
from sklearn.metrics import roc_auc_score

players = pd.read_parquet('players_week1.parquet')  # one row per player
X = players.drop(columns=['player_id', 'payer_w2'])
y = players['payer_w2']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
"""),
    py("""
xgb = XGBClassifier(n_estimators=2000, learning_rate=0.05, early_stopping_rounds=50, eval_metric='auc')
xgb.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_test, y_test)], verbose=100)  #@ LEAK-MULTI-TEST | the last eval_set entry (the test set) drives early stopping
print('best round', xgb.best_iteration)
"""),
    py("""
roc_auc_score(y_test, xgb.predict_proba(X_test)[:, 1])
"""),
]

# --- agriculture drones ------------------------------------------------------------------------

NOTEBOOKS["drone_plot_disease_selectk"] = [
    md("# Disease presence per field plot from multispectral drone bands\n300 band/index features, 900 plots: select the 25 best first."),
    py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.svm import SVC
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import cross_val_score, StratifiedKFold

plots = pd.read_csv('drone_plot_features.csv')
X = plots.drop(columns=['plot_id', 'diseased'])
y = plots['diseased']
"""),
    py("""
selector = SelectKBest(f_classif, k=25)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | feature selection uses labels of every plot, CV folds included
X.columns[selector.get_support()].tolist()
"""),
    py("""
cv = StratifiedKFold(5, shuffle=True, random_state=0)
cross_val_score(make_pipeline(StandardScaler(), SVC(C=3)), X_sel, y, cv=cv, scoring='roc_auc').mean()
"""),
]

NOTEBOOKS["drone_plot_disease_selectk_pipe"] = [
    md("# Disease per plot: selection inside the CV pipeline"),
    py("""
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif, VarianceThreshold
from sklearn.svm import SVC
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.model_selection import cross_val_score, StratifiedKFold

plots = pd.read_csv('drone_plot_features.csv')
X = plots.drop(columns=['plot_id', 'diseased'])
y = plots['diseased']
"""),
    py("""
pipe = Pipeline([('var', VarianceThreshold(1e-4)), ('sc', StandardScaler()), ('kbest', SelectKBest(f_classif, k=25)), ('svc', SVC(C=3))])
cv = StratifiedKFold(5, shuffle=True, random_state=0)
scores = cross_val_score(pipe, X, y, cv=cv, scoring='roc_auc')
scores.mean()
"""),
    md("Correlation of the raw bands with the label, for the agronomists (EDA only)."),
    py("""
plots.drop(columns='plot_id').corr()['diseased'].sort_values().tail(15)
"""),
]

NOTEBOOKS["drone_yield_field_split"] = [
    md("# Yield per 10 m cell from drone imagery\nCells belong to 60 fields; the model must work on unseen fields."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score

cells = pd.read_parquet('field_cells.parquet')
bands = ['ndvi', 'ndre', 'gndvi', 'red', 'nir', 'rededge', 'canopy_h']
X, y, fields = cells[bands].to_numpy(), cells['yield_t_ha'].to_numpy(), cells['field_id'].to_numpy()
"""),
    py("""
oof = np.zeros_like(y)
for fold, (tr, va) in enumerate(GroupKFold(n_splits=5).split(X, y, groups=fields)):
    rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=5, n_jobs=-1, random_state=fold)
    rf.fit(X[tr], y[tr])
    oof[va] = rf.predict(X[va])
print('out-of-field R2', r2_score(y, oof))
"""),
]

NOTEBOOKS["drone_yield_cells_random"] = [
    md("# Yield per cell, random 80/20"),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor

cells = pd.read_parquet('field_cells.parquet')  # 10 m cells from 60 fields, field_id column
bands = ['ndvi', 'ndre', 'gndvi', 'red', 'nir', 'rededge', 'canopy_h']
print(cells.field_id.nunique(), 'fields,', len(cells), 'cells')
"""),
    py("""
splitter = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | neighbouring cells of one field fall on both sides
r2 = cross_val_score(RandomForestRegressor(n_estimators=300, n_jobs=-1), cells[bands], cells['yield_t_ha'], cv=splitter)
r2.mean()
"""),
]


# --- parking occupancy -------------------------------------------------------------------------

NOTEBOOKS["parking_occupancy_kernel"] = [
    md("# Forecasting car-park occupancy one hour ahead\nData: 15-minute counts from 12 municipal car parks, Jan 2022 - Jun 2024."),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
sns.set_theme()

raw = pd.read_csv('parking_counts.csv', parse_dates=['LastUpdated'])
raw.info()
"""),
    md("## Cleaning\nSome sensors report occupancy above capacity; clip. Resample to hourly per car park."),
    py("""
raw['Occupancy'] = raw['Occupancy'].clip(upper=raw['Capacity'])
raw['rate'] = raw['Occupancy'] / raw['Capacity']
hourly = (raw.set_index('LastUpdated')
             .groupby('SystemCodeNumber')['rate']
             .resample('h').mean()
             .reset_index()
             .rename(columns={'SystemCodeNumber': 'park', 'LastUpdated': 'ts'}))
hourly = hourly.sort_values(['park', 'ts'])
"""),
    py("""
fig, ax = plt.subplots(figsize=(14, 4))
for park, g in hourly.groupby('park'):
    ax.plot(g['ts'], g['rate'].rolling(24 * 7).mean(), label=park)
ax.legend(ncol=4, fontsize=7)
"""),
    md("## Features\nLags of the park's own rate, same hour yesterday and last week, calendar."),
    py("""
g = hourly.groupby('park')['rate']
hourly['lag_1'] = g.shift(1)
hourly['lag_24'] = g.shift(24)
hourly['lag_168'] = g.shift(168)
hourly['roll_mean_6'] = g.transform(lambda s: s.shift(1).rolling(6).mean())
hourly['hour'] = hourly['ts'].dt.hour
hourly['dow'] = hourly['ts'].dt.dayofweek
hourly['is_weekend'] = hourly['dow'].ge(5).astype(int)
hourly = pd.get_dummies(hourly.dropna(), columns=['park'], prefix='p')
"""),
    py("""
feature_cols = [c for c in hourly.columns if c not in ('ts', 'rate')]
X = hourly[feature_cols]
y = hourly['rate']
len(feature_cols)
"""),
    md("## Models"),
    py("""
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.2, shuffle=True, random_state=2024)  #@ LEAK-TEMPORAL-SPLIT | hourly series with lags shuffled into train and validation
"""),
    py("""
hgb = HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05).fit(X_train, y_train)
print('persistence baseline', mean_absolute_error(y_valid, X_valid['lag_1']))
print('hgb', mean_absolute_error(y_valid, hgb.predict(X_valid)))
"""),
    md("HGB beats persistence by a lot (MAE 0.021 vs 0.048). Feature importances next."),
    py("""
from sklearn.inspection import permutation_importance
imp = permutation_importance(hgb, X_valid.sample(5000, random_state=0), y_valid.loc[X_valid.sample(5000, random_state=0).index], n_repeats=3)
pd.Series(imp.importances_mean, index=feature_cols).sort_values().tail(10).plot.barh()
"""),
]

NOTEBOOKS["parking_occupancy_backtest"] = [
    md("# Car-park occupancy one hour ahead (rolling-origin backtest)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

hourly = pd.read_parquet('parking_hourly_features.parquet')   # built by 01_features.ipynb, lags per park
hourly = hourly.sort_values('ts').reset_index(drop=True)
feature_cols = [c for c in hourly.columns if c not in ('ts', 'rate')]
"""),
    md("All parks share the clock, so sort by timestamp and fold on it."),
    py("""
holdout_start = pd.Timestamp('2024-04-01')
dev = hourly[hourly.ts < holdout_start]
hold = hourly[hourly.ts >= holdout_start]
tss = TimeSeriesSplit(n_splits=4, gap=168)
maes = []
for tr, va in tss.split(dev):
    m = HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05)
    m.fit(dev.iloc[tr][feature_cols], dev.iloc[tr]['rate'])
    maes.append(mean_absolute_error(dev.iloc[va]['rate'], m.predict(dev.iloc[va][feature_cols])))
np.round(maes, 4)
"""),
    py("""
final = HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05).fit(dev[feature_cols], dev['rate'])
print('Apr-Jun 2024 MAE', mean_absolute_error(hold['rate'], final.predict(hold[feature_cols])))
"""),
    md("For production, retrain on everything up to today."),
    py("""
prod = HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05).fit(hourly[feature_cols], hourly['rate'])
import joblib; joblib.dump(prod, 'occupancy_hgb.joblib')
"""),
]

# --- phishing e-mails --------------------------------------------------------------------------

NOTEBOOKS["phishing_header_features"] = [
    md("# Phishing detection from header and URL features"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import precision_recall_fscore_support

mails = pd.read_csv('mail_features.csv')
mails.columns.tolist()[:12]
"""),
    py("""
mails['is_phish'] = (mails['verdict'] == 'phish').astype(int)
mails = mails.drop(columns=['verdict', 'subject', 'body'])
features = [c for c in mails.columns if c != 'message_id']
X = mails[features]  #@ LEAK-TARGET-IN-FEATURES | the feature list only excludes message_id, so is_phish is a feature
y = mails['is_phish']
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=10)
rf = RandomForestClassifier(n_estimators=300, random_state=10).fit(X_tr, y_tr)
precision_recall_fscore_support(y_te, rf.predict(X_te), average='binary')
"""),
]

NOTEBOOKS["phishing_text_and_headers"] = [
    md("# Phishing: body text + header features in one ColumnTransformer"),
    py("""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split, cross_val_score

mails = pd.read_csv('mail_features.csv')
y = (mails['verdict'] == 'phish').astype(int)
X = mails.drop(columns=['verdict', 'message_id', 'subject'])
num_cols = [c for c in X.columns if c != 'body']
"""),
    py("""
pre = ColumnTransformer([('txt', TfidfVectorizer(min_df=3, max_features=20000), 'body'), ('num', StandardScaler(), num_cols)])
clf = Pipeline([('pre', pre), ('lr', LogisticRegression(max_iter=3000, C=2.0))])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=10)
print(cross_val_score(clf, X_tr, y_tr, cv=5, scoring='f1').mean())
"""),
    py("""
clf.fit(X_tr, y_tr)
clf.score(X_te, y_te)
"""),
]

# --- elevator maintenance ----------------------------------------------------------------------

NOTEBOOKS["elevator_failure_upsample"] = [
    md("# Elevator breakdown in the next 30 days\nOne snapshot per elevator; positives are rare (2%). Upsample, then model."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import recall_score, precision_score

lifts = pd.read_csv('elevator_snapshots_2023_12.csv')  # one snapshot per elevator (December 2023)
maj = lifts[lifts.breakdown_30d == 0]
mino = lifts[lifts.breakdown_30d == 1]
"""),
    py("""
mino_up = resample(mino, replace=True, n_samples=len(maj) // 2, random_state=1)  #@ LEAK-OVERLAP | duplicated breakdown rows created before the split, copies land in test
balanced = pd.concat([maj, mino_up])
"""),
    py("""
feats = ['door_cycles', 'motor_temp_p95', 'trips_per_day', 'age_years', 'last_service_days', 'fault_codes_90d']
X_tr, X_te, y_tr, y_te = train_test_split(balanced[feats], balanced['breakdown_30d'], test_size=0.25, random_state=1)
gb = GradientBoostingClassifier().fit(X_tr, y_tr)
p = gb.predict(X_te)
precision_score(y_te, p), recall_score(y_te, p)
"""),
]

NOTEBOOKS["elevator_failure_smote_train"] = [
    md("# Elevator breakdown, SMOTE on the training split only"),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import average_precision_score

lifts = pd.read_csv('elevator_snapshots_2023_12.csv')  # one snapshot per elevator
feats = ['door_cycles', 'motor_temp_p95', 'trips_per_day', 'age_years', 'last_service_days', 'fault_codes_90d']
X_tr, X_te, y_tr, y_te = train_test_split(lifts[feats], lifts['breakdown_30d'], test_size=0.25, stratify=lifts['breakdown_30d'], random_state=1)
"""),
    py("""
X_res, y_res = SMOTE(k_neighbors=3, random_state=1).fit_resample(X_tr, y_tr)
gb = GradientBoostingClassifier().fit(X_res, y_res)
average_precision_score(y_te, gb.predict_proba(X_te)[:, 1])
"""),
]


# --- shipping containers (run out of order) ----------------------------------------------------

NOTEBOOKS["container_dwell_scratch"] = [
    md("# Container dwell time at the terminal (hours)\nLinear baseline; the yard sensors leave gaps that Ridge cannot take."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error

boxes = pd.read_csv('container_moves.csv')  # one row per container visit
feats = ['teu', 'weight_t', 'reefer', 'customs_hold', 'vessel_delay_h', 'yard_util', 'dest_rail']
X = boxes[feats]
y = boxes['dwell_h']
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
""", 4),
    md("### scratch: fill the gaps for the linear model"),
    py("""
X = X.fillna(X.median())  #@ LEAK-PREPROCESSING | run (In[3]) before the split cell (In[4]): medians over all visits reach X_train and X_test
""", 3),
    py("""
ridge = Ridge().fit(X_train, y_train)
mean_absolute_error(y_test, ridge.predict(X_test))
""", 5),
]

NOTEBOOKS["container_dwell_eda_after"] = [
    md("# Container dwell time: imputing pipeline\n(the correlation heatmap was added at the end of the session)"),
    py("""
import pandas as pd
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error

boxes = pd.read_csv('container_moves.csv')  # one row per container visit
feats = ['teu', 'weight_t', 'reefer', 'customs_hold', 'vessel_delay_h', 'yard_util', 'dest_rail']
X = boxes[feats]
y = boxes['dwell_h']
""", 1),
    md("Quick look at the feature correlations (gaps filled just for the plot)."),
    py("""
X = X.fillna(X.median())
sns.heatmap(X.assign(dwell_h=y).corr(), annot=True, fmt='.2f')
""", 4),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
""", 2),
    py("""
ridge = make_pipeline(SimpleImputer(strategy='median'), Ridge()).fit(X_train, y_train)
mean_absolute_error(y_test, ridge.predict(X_test))
""", 3),
]

# --- podcast listener retention (run out of order) ---------------------------------------------

NOTEBOOKS["podcast_retention_refit"] = [
    md("# Will a listener still be subscribed after 90 days?"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

subs = pd.read_csv('listeners.csv')  # one row per listener
feats = ['episodes_7d', 'completion_rate', 'shows_followed', 'downloads', 'app_opens_7d', 'device_ios']
X, y = subs[feats], subs['retained_90d']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
""", 1),
    py("""
model = GradientBoostingClassifier(n_estimators=300, max_depth=3)
model.fit(X_train, y_train)
""", 2),
    md("## Evaluation"),
    py("""
print('test AUC', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
""", 4),
    md("## Refit on all listeners for the dashboard"),
    py("""
model.fit(X, y)  #@ LEAK-OVERLAP | executed (In[3]) before the evaluation cell (In[4]): the scored model was fitted on the test listeners too
""", 3),
]

NOTEBOOKS["podcast_retention_deploy_first"] = [
    md("# Listener retention: deployment model at the top, evaluation below\n(cells reordered for the report; run order: split, fit on train, score, refit on all)"),
    py("""
import pandas as pd
import joblib
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import roc_auc_score

subs = pd.read_csv('listeners.csv')  # one row per listener
feats = ['episodes_7d', 'completion_rate', 'shows_followed', 'downloads', 'app_opens_7d', 'device_ios']
X, y = subs[feats], subs['retained_90d']
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
""", 1),
    md("## Deployment model (all listeners)"),
    py("""
model.fit(X, y)
joblib.dump(model, 'retention_lr.joblib')
""", 5),
    md("## How good is it?"),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
""", 2),
    py("""
print('test AUC', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
""", 4),
    py("""
model.fit(X_train, y_train)
""", 3),
]

# --- subscription boxes ------------------------------------------------------------------------

NOTEBOOKS["subscription_box_ltv"] = [
    md("# 12-month revenue per new subscriber (meal-kit boxes)\nTune on a validation split, one test number, then refit on all data."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

subs = pd.read_csv('subscribers_first_month.csv')  # one row per subscriber
X = subs.drop(columns=['subscriber_id', 'revenue_12m'])
y = subs['revenue_12m']
X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
X_tr, X_val, y_tr, y_val = train_test_split(X_dev, y_dev, test_size=0.25, random_state=22)
"""),
    py("""
val_mae = {}
for depth in (4, 8, 12, None):
    for leaf in (1, 5, 20):
        rf = RandomForestRegressor(n_estimators=200, max_depth=depth, min_samples_leaf=leaf, n_jobs=-1, random_state=0)
        val_mae[(depth, leaf)] = mean_absolute_error(y_val, rf.fit(X_tr, y_tr).predict(X_val))
best_depth, best_leaf = min(val_mae, key=val_mae.get)
best_depth, best_leaf
"""),
    py("""
rf = RandomForestRegressor(n_estimators=500, max_depth=best_depth, min_samples_leaf=best_leaf, n_jobs=-1, random_state=0)
rf.fit(X_dev, y_dev)
print('test MAE', mean_absolute_error(y_test, rf.predict(X_test)))
"""),
    md("Ship it: refit on every subscriber."),
    py("""
rf.fit(X, y)
"""),
]

NOTEBOOKS["subscription_box_depth_sweep"] = [
    md("# 12-month revenue: depth sweep"),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

subs = pd.read_csv('subscribers_first_month.csv')
X = subs.drop(columns=['subscriber_id', 'revenue_12m'])
y = subs['revenue_12m']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
"""),
    py("""
depths = range(1, 9)
maes = []
for d in depths:
    gbr = GradientBoostingRegressor(max_depth=d, n_estimators=300, random_state=0).fit(X_train, y_train)
    maes.append(mean_absolute_error(y_test, gbr.predict(X_test)))  #@ LEAK-MULTI-TEST | test MAE per depth picks the depth reported below
plt.plot(list(depths), maes, marker='o')
"""),
    py("""
best_d = list(depths)[maes.index(min(maes))]
print(f'best depth {best_d}: test MAE {min(maes):.2f}')
"""),
]


# --- warehouse picking -------------------------------------------------------------------------

NOTEBOOKS["warehouse_pick_time_ohe"] = [
    md("# Pick-time model for the DC (train: Q1-Q3 file, test: Q4 file)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error

train = pd.read_csv('picks_q1_q3.csv')
test = pd.read_csv('picks_q4.csv')
cat = ['zone', 'shift', 'picker_level', 'sku_class']
num = ['lines', 'units', 'distance_m', 'weight_kg']
"""),
    py("""
ohe = OneHotEncoder(handle_unknown='ignore', sparse_output=False)
Xtr = np.hstack([ohe.fit_transform(train[cat]), train[num].to_numpy()])
"""),
    md("Q4 has a new zone (Z9); encode test on its own categories to avoid errors."),
    py("""
ohe_test = OneHotEncoder(handle_unknown='ignore', sparse_output=False)
Xte = np.hstack([ohe_test.fit_transform(test[cat]), test[num].to_numpy()])  #@ LEAK-FIT-ON-TEST | encoder fitted on the Q4 test picks
ridge = Ridge(alpha=3).fit(Xtr, train['pick_s'])
mean_absolute_error(test['pick_s'], ridge.predict(Xte))
"""),
]

NOTEBOOKS["warehouse_pick_time_helpers"] = [
    md("# Pick-time model with a reusable prep helper"),
    py("""
import pandas as pd
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

CAT = ['zone', 'shift', 'picker_level', 'sku_class']
NUM = ['lines', 'units', 'distance_m', 'weight_kg']

def prep(df, enc=None, sc=None):
    # fit the encoder and scaler only when none are passed in (i.e. on the training data)
    if enc is None:
        enc = OneHotEncoder(handle_unknown='ignore', sparse_output=False).fit(df[CAT])
        sc = StandardScaler().fit(df[NUM])
    out = pd.concat([pd.DataFrame(enc.transform(df[CAT]), index=df.index), pd.DataFrame(sc.transform(df[NUM]), index=df.index)], axis=1)
    out.columns = out.columns.astype(str)
    return out, enc, sc
"""),
    py("""
train = pd.read_csv('picks_q1_q3.csv')
test = pd.read_csv('picks_q4.csv')
Xtr, enc, sc = prep(train)
Xte, _, _ = prep(test, enc, sc)
"""),
    py("""
gbr = GradientBoostingRegressor(n_estimators=400).fit(Xtr, train['pick_s'])
mean_absolute_error(test['pick_s'], gbr.predict(Xte))
"""),
]

# --- ECG beats ---------------------------------------------------------------------------------

NOTEBOOKS["ecg_beats_cnn"] = [
    md("# Arrhythmia beat classification with a 1D CNN\nBeats already windowed (187 samples); the train and test files come from disjoint patient records."),
    py("""
import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

tr = pd.read_csv('beats_train.csv', header=None)
te = pd.read_csv('beats_test.csv', header=None)
X_train, y_train = tr.iloc[:, :187].to_numpy()[..., None], tr.iloc[:, 187].astype(int).to_numpy()
X_test, y_test = te.iloc[:, :187].to_numpy()[..., None], te.iloc[:, 187].astype(int).to_numpy()
"""),
    py("""
model = keras.Sequential([
    layers.Conv1D(32, 5, activation='relu', input_shape=(187, 1)), layers.MaxPool1D(2),
    layers.Conv1D(64, 5, activation='relu'), layers.GlobalAveragePooling1D(),
    layers.Dense(64, activation='relu'), layers.Dense(5, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
"""),
    py("""
es = keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=5, restore_best_weights=True)
history = model.fit(X_train, y_train, epochs=60, batch_size=256,  #@ LEAK-MULTI-TEST | restore_best_weights early stopping monitors the test beats
                    validation_data=(X_test, y_test), callbacks=[es])
"""),
    py("""
model.evaluate(X_test, y_test)
"""),
]

NOTEBOOKS["ecg_beats_cnn_valsplit"] = [
    md("# 1D CNN, early stopping on a slice of the training beats"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from tensorflow import keras
from tensorflow.keras import layers

tr = pd.read_csv('beats_train.csv', header=None)
te = pd.read_csv('beats_test.csv', header=None)
X, y = tr.iloc[:, :187].to_numpy()[..., None], tr.iloc[:, 187].astype(int).to_numpy()
X_test, y_test = te.iloc[:, :187].to_numpy()[..., None], te.iloc[:, 187].astype(int).to_numpy()
X_tr, X_val, y_tr, y_val = train_test_split(X, y, test_size=0.1, stratify=y, random_state=0)
"""),
    md("Class balance (N, S, V, F, Q) and a few example beats."),
    py("""
import matplotlib.pyplot as plt
print(np.bincount(y), np.bincount(y_test))
fig, axes = plt.subplots(1, 5, figsize=(15, 2))
for k, ax in enumerate(axes):
    ax.plot(X[y == k][0, :, 0])
"""),
    md("## Model"),
    py("""
model = keras.Sequential([layers.Conv1D(32, 5, activation='relu', input_shape=(187, 1)), layers.MaxPool1D(2),
                          layers.Conv1D(64, 5, activation='relu'), layers.GlobalAveragePooling1D(), layers.Dense(5, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
es = keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True)
model.fit(X_tr, y_tr, validation_data=(X_val, y_val), epochs=60, batch_size=256, callbacks=[es])
"""),
    py("""
test_loss, test_acc = model.evaluate(X_test, y_test)
test_acc
"""),
    py("""
from sklearn.metrics import classification_report
print(classification_report(y_test, model.predict(X_test).argmax(axis=1), digits=3))
"""),
]

# --- web traffic (two leaks) -------------------------------------------------------------------

NOTEBOOKS["web_traffic_forecast"] = [
    md("# Daily page views for the news site, next-day forecast"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.metrics import mean_absolute_percentage_error

views = pd.read_csv('daily_views.csv', parse_dates=['day']).set_index('day').asfreq('D')
views['views'] = views['views'].ffill()
for k in (1, 2, 3, 7, 14):
    views[f'lag_{k}'] = views['views'].shift(k)
views['dow'] = views.index.dayofweek
views = views.dropna()
"""),
    py("""
X = views.drop(columns='views').to_numpy()
y = views['views'].to_numpy()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | daily series with lag features split at random
"""),
    py("""
x_scaler = MinMaxScaler().fit(X_train)
X_train_s = x_scaler.transform(X_train)
X_test_s = MinMaxScaler().fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | a second scaler fitted on the test rows
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=2000, random_state=0).fit(X_train_s, y_train)
mean_absolute_percentage_error(y_test, mlp.predict(X_test_s))
"""),
]

NOTEBOOKS["web_traffic_forecast_holdout"] = [
    md("# Daily page views: last 60 days held out"),
    py("""
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.neural_network import MLPRegressor
from sklearn.metrics import mean_absolute_percentage_error

views = pd.read_csv('daily_views.csv', parse_dates=['day']).set_index('day').asfreq('D')
views['views'] = views['views'].ffill()
views = views.assign(**{f'lag_{k}': views['views'].shift(k) for k in (1, 2, 3, 7, 14)}, dow=views.index.dayofweek).dropna()
train, test = views.iloc[:-60], views.iloc[-60:]
"""),
    py("""
sc = MinMaxScaler().fit(train.drop(columns='views'))
mlp = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=2000, random_state=0)
mlp.fit(sc.transform(train.drop(columns='views')), train['views'])
mean_absolute_percentage_error(test['views'], mlp.predict(sc.transform(test.drop(columns='views'))))
"""),
]

# --- skin lesions (numpy, per patient) ---------------------------------------------------------

NOTEBOOKS["skin_lesion_embeddings"] = [
    md("# Melanoma vs naevus from frozen CNN embeddings\nEmbeddings precomputed (`emb.npy`, 2048-d); patients contribute up to 30 images."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

meta = pd.read_csv('lesion_meta.csv')          # image_id, patient_id, melanoma
emb = np.load('emb.npy')                       # aligned with meta rows
y = meta['melanoma'].to_numpy()
print(meta.patient_id.nunique(), 'patients /', len(meta), 'images')
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(emb, y, test_size=0.2, stratify=y, random_state=0)  #@ LEAK-GROUP-SPLIT | images of one patient split across train and test
clf = LogisticRegression(C=0.1, max_iter=3000).fit(X_tr, y_tr)
roc_auc_score(y_te, clf.predict_proba(X_te)[:, 1])
"""),
]

NOTEBOOKS["skin_lesion_embeddings_patient_cv"] = [
    md("# Melanoma from embeddings, patient-grouped CV"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

meta = pd.read_csv('lesion_meta.csv')
emb = np.load('emb.npy')
y, groups = meta['melanoma'].to_numpy(), meta['patient_id'].to_numpy()
"""),
    py("""
cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
pipe = make_pipeline(StandardScaler(), PCA(n_components=128), LogisticRegression(C=0.1, max_iter=3000))
auc = cross_val_score(pipe, emb, y, groups=groups, cv=cv, scoring='roc_auc')
auc.mean()
"""),
]

# --- satellite telemetry -----------------------------------------------------------------------

NOTEBOOKS["sat_telemetry_anomaly_vstack"] = [
    md("# Reaction-wheel anomaly classifier (housekeeping telemetry)\nProvided as separate train and test windows."),
    py("""
import numpy as np
from sklearn.preprocessing import RobustScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

X_train, y_train = np.load('hk_train_X.npy'), np.load('hk_train_y.npy')
X_test, y_test = np.load('hk_test_X.npy'), np.load('hk_test_y.npy')
"""),
    md("Channels have wildly different ranges; fit the scaler on all windows so both sets share one scale."),
    py("""
scaler = RobustScaler().fit(np.vstack([X_train, X_test]))  #@ LEAK-PREPROCESSING | scaler statistics include the test windows
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=500, class_weight='balanced', n_jobs=-1).fit(X_train_s, y_train)
f1_score(y_test, rf.predict(X_test_s))
"""),
]

NOTEBOOKS["sat_telemetry_anomaly_report"] = [
    md("# Reaction-wheel anomalies: scaler from training windows, combined frame for plots"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import RobustScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

X_train, y_train = np.load('hk_train_X.npy'), np.load('hk_train_y.npy')
X_test, y_test = np.load('hk_test_X.npy'), np.load('hk_test_y.npy')
scaler = RobustScaler().fit(X_train)
rf = RandomForestClassifier(n_estimators=500, class_weight='balanced', n_jobs=-1).fit(scaler.transform(X_train), y_train)
pred = rf.predict(scaler.transform(X_test))
f1_score(y_test, pred)
"""),
    py("""
both = pd.concat([pd.DataFrame(X_train).assign(split='train', y=y_train),
                  pd.DataFrame(X_test).assign(split='test', y=y_test, pred=pred)], ignore_index=True)
both.groupby(['split', 'y'])[[0, 1, 2, 3]].mean()
"""),
]


# --- gene expression ---------------------------------------------------------------------------

NOTEBOOKS["tumour_subtype_expression"] = [
    md("# Tumour subtype from RNA-seq (discovery cohort -> validation cohort)"),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.metrics import balanced_accuracy_score

disc = pd.read_csv('discovery_log2tpm.csv', index_col=0)
val = pd.read_csv('validation_log2tpm.csv', index_col=0)
y_disc, y_val = disc.pop('subtype'), val.pop('subtype')
genes = disc.var().sort_values(ascending=False).index[:5000]
"""),
    py("""
sc = StandardScaler().fit(disc[genes])
pca = PCA(n_components=50, random_state=0).fit(sc.transform(disc[genes]))
svc = SVC(kernel='rbf', C=5).fit(pca.transform(sc.transform(disc[genes])), y_disc)
"""),
    md("Batch effect between cohorts is strong, so standardise the validation cohort on itself."),
    py("""
val_sc = StandardScaler().fit_transform(val[genes])  #@ LEAK-FIT-ON-TEST | scaler fitted on the validation (test) cohort
balanced_accuracy_score(y_val, svc.predict(pca.transform(val_sc)))
"""),
]

# --- concrete strength -------------------------------------------------------------------------

NOTEBOOKS["concrete_strength_lab"] = [
    md("# Lab: compressive strength of concrete\nColumns: mix_id, 8 mix ingredients/age, strength_mpa (last column)."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score

df = pd.read_csv('concrete_mixes.csv')
df.head()
"""),
    py("""
X = df.iloc[:, 1:].values  #@ LEAK-TARGET-IN-FEATURES | slice starts after mix_id but runs to the last column, strength_mpa
y = df.iloc[:, -1].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
    py("""
rf = RandomForestRegressor(n_estimators=200, random_state=0).fit(X_train, y_train)
r2_score(y_test, rf.predict(X_test))
"""),
]

NOTEBOOKS["concrete_strength_rfe_grid"] = [
    md("# Concrete strength: RFE inside the grid search"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import RFE
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, train_test_split

df = pd.read_csv('concrete_mixes.csv')
X = df.iloc[:, 1:-1]
y = df.iloc[:, -1]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
"""),
    py("""
pipe = Pipeline([('poly', PolynomialFeatures(2, include_bias=False)), ('sc', StandardScaler()),
                 ('rfe', RFE(LinearRegression())), ('ridge', Ridge())])
gs = GridSearchCV(pipe, {'rfe__n_features_to_select': [10, 20, 30], 'ridge__alpha': [0.1, 1, 10]}, cv=5).fit(X_train, y_train)
print(gs.best_params_, gs.score(X_test, y_test))
"""),
]

# --- support chats -----------------------------------------------------------------------------

NOTEBOOKS["support_chat_escalation_threshold"] = [
    md("# Escalation risk for live support chats\nWe need a probability threshold for the alert."),
    py("""
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

chats = pd.read_parquet('chats_first5msgs.parquet')  # one row per chat
train, test = train_test_split(chats, test_size=0.25, stratify=chats['escalated'], random_state=9)
vec = TfidfVectorizer(min_df=3, ngram_range=(1, 2)).fit(train['text'])
lr = LogisticRegression(max_iter=2000, class_weight='balanced').fit(vec.transform(train['text']), train['escalated'])
proba = lr.predict_proba(vec.transform(test['text']))[:, 1]
"""),
    py("""
thresholds = np.linspace(0.1, 0.9, 81)
f1s = [f1_score(test['escalated'], proba >= t) for t in thresholds]  #@ LEAK-MULTI-TEST | threshold chosen by F1 on the test chats
best_t = thresholds[int(np.argmax(f1s))]
print(f'threshold {best_t:.2f}  F1 {max(f1s):.3f}')
"""),
]

NOTEBOOKS["support_chat_escalation_val_threshold"] = [
    md("# Escalation risk: threshold from a validation split"),
    py("""
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score, precision_recall_curve

chats = pd.read_parquet('chats_first5msgs.parquet')  # one row per chat
dev, test = train_test_split(chats, test_size=0.25, stratify=chats['escalated'], random_state=9)
train, val = train_test_split(dev, test_size=0.2, stratify=dev['escalated'], random_state=10)
"""),
    py("""
model = make_pipeline(TfidfVectorizer(min_df=3, ngram_range=(1, 2)), LogisticRegression(max_iter=2000, class_weight='balanced'))
model.fit(train['text'], train['escalated'])
p, r, t = precision_recall_curve(val['escalated'], model.predict_proba(val['text'])[:, 1])
f1 = 2 * p * r / np.maximum(p + r, 1e-9)
thr = t[np.argmax(f1[:-1])]
"""),
    py("""
test_pred = model.predict_proba(test['text'])[:, 1] >= thr
print('test F1 at validation threshold', f1_score(test['escalated'], test_pred))
"""),
]

# --- employee attrition ------------------------------------------------------------------------

NOTEBOOKS["attrition_oversample_concat"] = [
    md("# Employee attrition (HR analytics)\nLeavers are 16%; duplicate them to balance before modelling."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report

hr = pd.read_csv('hr_employees.csv')  # one row per employee
hr = pd.get_dummies(hr.drop(columns=['EmployeeNumber', 'Over18', 'StandardHours']), drop_first=True)
"""),
    py("""
leavers = hr[hr['Attrition_Yes'] == 1]
extra = leavers.sample(n=len(hr) - 2 * len(leavers), replace=True, random_state=0)  #@ LEAK-OVERLAP | leaver rows duplicated before the split; copies reach the test set
hr_bal = pd.concat([hr, extra], ignore_index=True)
"""),
    py("""
X = hr_bal.drop(columns='Attrition_Yes')
y = hr_bal['Attrition_Yes']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
rf = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_tr, y_tr)
print(classification_report(y_te, rf.predict(X_te)))
"""),
]

NOTEBOOKS["attrition_target_encoder_cv"] = [
    md("# Employee attrition: category_encoders in the pipeline"),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate

hr = pd.read_csv('hr_employees.csv')  # one row per employee
y = (hr.pop('Attrition') == 'Yes').astype(int)
hr = hr.drop(columns=['EmployeeNumber', 'Over18', 'StandardHours'])
cats = hr.select_dtypes('object').columns.tolist()
nums = hr.select_dtypes('number').columns.tolist()
"""),
    py("""
pre = ColumnTransformer([('te', ce.TargetEncoder(smoothing=10), cats), ('sc', StandardScaler(), nums)])
pipe = Pipeline([('pre', pre), ('lr', LogisticRegression(max_iter=2000, class_weight='balanced'))])
res = cross_validate(pipe, hr, y, cv=StratifiedKFold(5, shuffle=True, random_state=1), scoring=['roc_auc', 'f1'])
{k: v.mean() for k, v in res.items() if k.startswith('test_')}
"""),
]



# --- river levels ------------------------------------------------------------------------------

NOTEBOOKS["river_gauge_6h_ahead"] = [
    md("# River gauge level 6 hours ahead (flood warning)\nNumpy windows over the 15-min gauge series."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

g = pd.read_csv('gauge_15min.csv', parse_dates=['time']).sort_values('time')
level = g['level_m'].to_numpy()
rain = g['upstream_rain_mm'].to_numpy()
"""),
    py("""
win, horizon = 48, 24
idx = np.arange(win, len(level) - horizon)
X = np.stack([np.r_[level[i - win:i], rain[i - win:i]] for i in idx])
y = level[idx + horizon]
X.shape
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | overlapping windows of one series shuffled into train and test
gbr = GradientBoostingRegressor(n_estimators=300).fit(X_tr, y_tr)
mean_absolute_error(y_te, gbr.predict(X_te))
"""),
]

NOTEBOOKS["river_gauge_6h_ahead_chrono"] = [
    md("# River gauge 6 h ahead, chronological split with a gap"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error

g = pd.read_csv('gauge_15min.csv', parse_dates=['time']).sort_values('time')
level, rain = g['level_m'].to_numpy(), g['upstream_rain_mm'].to_numpy()
win, horizon = 48, 24
idx = np.arange(win, len(level) - horizon)
X = np.stack([np.r_[level[i - win:i], rain[i - win:i]] for i in idx])
y = level[idx + horizon]
"""),
    py("""
cut = int(len(X) * 0.75)
X_tr, y_tr = X[:cut], y[:cut]
X_te, y_te = X[cut + win + horizon:], y[cut + win + horizon:]
sc = StandardScaler().fit(X_tr)
ridge = Ridge(alpha=10).fit(sc.transform(X_tr), y_tr)
mean_absolute_error(y_te, ridge.predict(sc.transform(X_te)))
"""),
]

# --- handwriting (per writer) ------------------------------------------------------------------

NOTEBOOKS["handwriting_digits_writers"] = [
    md("# Handwritten digit recognition on our scanned forms\n120 writers, ~200 digits each; HOG features precomputed."),
    py("""
import numpy as np
import pandas as pd
from sklearn.svm import SVC
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import KFold, cross_val_score

hog = np.load('hog_features.npy')
meta = pd.read_csv('digits_meta.csv')   # writer_id, digit
y = meta['digit'].to_numpy()
"""),
    py("""
scores = cross_val_score(make_pipeline(StandardScaler(), SVC(C=10, gamma='scale')), hog, y, cv=KFold(5, shuffle=True, random_state=0))  #@ LEAK-GROUP-SPLIT | digits of one writer in both training and validation folds
print(scores.mean())
"""),
]

NOTEBOOKS["handwriting_digits_new_writers"] = [
    md("# Digit recognition for writers never seen in training"),
    py("""
import numpy as np
import pandas as pd
from sklearn.svm import SVC
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GroupKFold, cross_val_score

hog = np.load('hog_features.npy')
meta = pd.read_csv('digits_meta.csv')
y, writers = meta['digit'].to_numpy(), meta['writer_id'].to_numpy()
"""),
    py("""
scores = cross_val_score(make_pipeline(StandardScaler(), SVC(C=10, gamma='scale')), hog, y,
                         groups=writers, cv=GroupKFold(n_splits=5))
print(scores.mean(), scores.min())
"""),
]

# --- restaurant covers (long team report, helpers) ---------------------------------------------

NOTEBOOKS["restaurant_covers_report"] = [
    md("# Nightly covers forecast - Q3 report\nAuthor: ops analytics. Predict tomorrow's covers for each of our 6 sites."),
    md("## Setup"),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

SITES = ['soho', 'camden', 'brixton', 'hackney', 'islington', 'shoreditch']
"""),
    py("""
def load_site(site):
    d = pd.read_csv(f'covers_{site}.csv', parse_dates=['date'])
    d['site'] = site
    return d

def add_calendar(d):
    return d.assign(dow=d['date'].dt.dayofweek, month=d['date'].dt.month,
                    is_payday=d['date'].dt.day.isin([25, 26, 27, 28]).astype(int))

def add_lags(d):
    d = d.sort_values(['site', 'date'])
    g = d.groupby('site')['covers']
    return d.assign(lag_1=g.shift(1), lag_7=g.shift(7), mean_7=g.transform(lambda s: s.shift(1).rolling(7).mean()))
"""),
    md("## Data"),
    py("""
covers = pd.concat([load_site(s) for s in SITES], ignore_index=True)
covers = add_lags(add_calendar(covers)).dropna()
covers = pd.get_dummies(covers, columns=['site'])
covers.tail()
"""),
    py("""
covers.groupby('dow')['covers'].mean().plot.bar(title='Average covers by weekday')
"""),
    md("## Train / test\nTrain on everything before 1 July, test on Q3."),
    py("""
train = covers[covers.date < '2024-07-01']
test = covers[covers.date >= '2024-07-01']
X_train = train.drop(columns=['date'])  #@ LEAK-TARGET-IN-FEATURES | only the date is dropped: covers itself stays a feature
y_train = train['covers']
X_test = test.drop(columns=['date'])
y_test = test['covers']
"""),
    md("## Models"),
    py("""
rf = RandomForestRegressor(n_estimators=400, min_samples_leaf=3, n_jobs=-1, random_state=0).fit(X_train, y_train)
"""),
    py("""
print(f"same weekday last week  MAE {mean_absolute_error(y_test, test['lag_7']):.1f}")
print(f"random forest           MAE {mean_absolute_error(y_test, rf.predict(X_test)):.1f}")
"""),
    md("The random forest is the model we recommend (MAE well under 2 covers)."),
]

NOTEBOOKS["restaurant_covers_report_v2"] = [
    md("# Nightly covers forecast - Q3 report (revised)"),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

SITES = ['soho', 'camden', 'brixton', 'hackney', 'islington', 'shoreditch']
TARGET = 'covers'

def add_lags(d):
    d = d.sort_values(['site', 'date'])
    g = d.groupby('site')[TARGET]
    return d.assign(lag_1=g.shift(1), lag_7=g.shift(7), mean_7=g.transform(lambda s: s.shift(1).rolling(7).mean()))
"""),
    py("""
covers = pd.concat([pd.read_csv(f'covers_{s}.csv', parse_dates=['date']).assign(site=s) for s in SITES], ignore_index=True)
covers = add_lags(covers).dropna().assign(dow=lambda d: d.date.dt.dayofweek)
covers = pd.get_dummies(covers, columns=['site'])
feature_cols = [c for c in covers.columns if c not in ('date', TARGET)]
"""),
    py("""
train = covers[covers.date < '2024-07-01']
test = covers[covers.date >= '2024-07-01']
rf = RandomForestRegressor(n_estimators=400, min_samples_leaf=3, n_jobs=-1, random_state=0)
rf.fit(train[feature_cols], train[TARGET])
print('Q3 MAE', mean_absolute_error(test[TARGET], rf.predict(test[feature_cols])))
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    """Write every notebook and ``labels.json`` (the format the shared scorer reads)."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
