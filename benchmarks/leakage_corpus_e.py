"""Held-out corpus E for the code-level leakage check: realistic notebooks written blind.

Written without reading the detector's source, its tests, its docs or the earlier corpora (only
the framework of corpus D: the marker format and ``labels.json``). 80 notebooks: 44 leak (48
labelled leaks, four notebooks with two), 36 are clean look-alikes; six were run out of order.

Domains (picked to differ from corpus D's list; the other corpora were not read): insurance
claims, wine quality, electricity load, chess games, ad clicks,
land-cover features from satellite tiles, customer-support tickets, wildlife-sensor audio
embeddings, student grades, used-car prices, ICU sepsis vitals, app reviews, taxi trips, card
fraud, protein assays, football player stats, call-centre churn, air quality, loan defaults.
Styles: Kaggle kernels (EDA, plots, feature engineering, several models compared), course labs,
team reports with helpers defined in one cell and used later, method chains, ``.values`` and numpy
arrays, ``pd.concat``/``np.vstack``, comprehensions over models, loops over folds, early stopping
with ``eval_set=`` or ``validation_data=``, hand-made target encoding, ``category_encoders``,
TF-IDF, PCA, feature selection, SMOTE / ``resample`` / ``sample(replace=True)``, augmentation,
lags and rolling windows, entities (patients, students, players, devices, users).

The clean look-alikes are genuinely clean: Pipelines and ColumnTransformers inside
``cross_val_score``/``GridSearchCV``, fit on train then transform test, imblearn Pipelines,
resampling after the split, chronological splits and ``TimeSeriesSplit``, ``GroupKFold`` /
``GroupShuffleSplit`` on the entity, early stopping on a validation split carved from train, model
choice on validation or by CV then one test score, a refit on all data after evaluation, EDA on the
whole frame that never feeds the model, train-only groupby encodings mapped to test.

Some notebooks were run out of order: their code cells carry explicit execution counts (the third
element of ``py(...)``). In a few of them the leak exists only in execution order (a cell lower on
the page ran before the split); in others the page looks leaky but the execution order is clean.
In those notebooks every code cell carries its count; elsewhere code cells are numbered in display
order.

Each leak is marked in the source below by a trailing ``#@ RULE | why`` comment on the first line
of the leaking statement; the marker is stripped before the notebook is written, and its cell
index (markdown included) and 1-based line become the label. Label conventions: preprocessing or
selection fitted on data that still holds test rows -> the fit / fit_transform line (or the pandas
statistic line; a fit inside a helper function would be ambiguous, so none is labelled);
resampling, augmentation or duplication before the split -> the statement that
creates the extra rows (a model fitted on all the data that is later split for scoring -> its fit
line); label among the features -> the line that builds ``X``; random split of time-ordered or
grouped data -> the split call, or the construction of the splitter passed as ``cv=``; test set
used for selection or early stopping -> the line that scores or early-stops on the test set; fit
on test -> the fit line.

    python benchmarks/leakage_corpus_e.py [DIR]
"""

# Notebook sources below are kept as written in a notebook (long lines included):
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import Spec, main, md, py
from leakage_corpus_kit import build as build_corpus

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-e"

NOTEBOOKS: dict[str, list[Spec]] = {}

# --------------------------------------------------------------------------- preprocessing leaks

NOTEBOOKS["insurance_claim_severity_eda"] = [
    md("""
# Claim severity - first look
Predicting the settled amount of motor claims from the policy and incident features.
Data: the internal extract `claims_2023.csv` (one row per claim)."""),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns

pd.set_option('display.max_columns', 60)
claims = pd.read_csv('data/claims_2023.csv')
claims.shape"""),
    py("""
claims.head()"""),
    py("""
claims.describe().T"""),
    md("""
## Distribution of the target
Heavily right-skewed, so we model `log1p(settled_amount)`."""),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
claims['settled_amount'].hist(bins=80, ax=ax[0])
np.log1p(claims['settled_amount']).hist(bins=80, ax=ax[1])
plt.show()"""),
    py("""
sns.heatmap(claims.select_dtypes('number').corr(), cmap='vlag', center=0)
plt.show()"""),
    md("""
## Features"""),
    py("""
claims['vehicle_age'] = 2023 - claims['vehicle_year']
claims['is_night'] = claims['incident_hour'].between(0, 5).astype(int)
num_cols = ['vehicle_age', 'driver_age', 'policy_tenure_months', 'annual_premium',
            'num_parties', 'incident_hour', 'is_night', 'prior_claims']
X = claims[num_cols].values
y = np.log1p(claims['settled_amount'].values)"""),
    py("""
from sklearn.preprocessing import StandardScaler

scaler = StandardScaler()
X = scaler.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all claims before the split"""),
    py("""
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7)
gbr = GradientBoostingRegressor(random_state=7).fit(X_train, y_train)
pred = gbr.predict(X_test)
print('test MAE (log scale)', mean_absolute_error(y_test, pred))"""),
    py("""
plt.scatter(y_test, pred, s=3, alpha=0.4)
plt.plot([0, 12], [0, 12], 'k--'); plt.xlabel('actual'); plt.ylabel('predicted')
plt.show()"""),
    md("""
Residuals look fine up to ~50k; large claims are under-predicted. Next step: tuning."""),
]

NOTEBOOKS["wine_quality_pca_svm"] = [
    md("""
# Wine quality with PCA + SVM
Course lab 4: dimensionality reduction before a classifier."""),
    py("""
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import train_test_split

red = pd.read_csv('winequality-red.csv', sep=';')
white = pd.read_csv('winequality-white.csv', sep=';')
red['is_red'] = 1
white['is_red'] = 0
wine = pd.concat([red, white], ignore_index=True)
wine['good'] = (wine['quality'] >= 7).astype(int)"""),
    md("""
**Task 1.** Reduce the 12 physico-chemical features to the components explaining 95% of the variance."""),
    py("""
features = wine.drop(columns=['quality', 'good'])
reducer = make_pipeline(StandardScaler(), PCA(n_components=0.95))
Z = reducer.fit_transform(features)  #@ LEAK-PREPROCESSING | scaler+PCA fitted on every wine, test rows included
print(Z.shape, reducer[-1].explained_variance_ratio_.round(3))"""),
    md("""
**Task 2.** Train an RBF SVM on the components and report the test accuracy."""),
    py("""
Z_train, Z_test, y_train, y_test = train_test_split(Z, wine['good'], test_size=0.25,
                                                    stratify=wine['good'], random_state=0)
svm = SVC(C=3, gamma='scale').fit(Z_train, y_train)
print('test accuracy:', svm.score(Z_test, y_test))"""),
]

NOTEBOOKS["support_ticket_routing_tfidf"] = [
    md("""
# Ticket routing
Classify incoming support tickets into the 9 queues. Baseline: TF-IDF + linear model."""),
    py("""
import re
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report

tickets = pd.read_parquet('exports/tickets_q3.parquet')
tickets = tickets.dropna(subset=['body', 'queue'])
print(tickets['queue'].value_counts())"""),
    py("""
def clean(text):
    text = text.lower()
    text = re.sub(r'https?://[^ ]+', ' URL ', text)
    text = re.sub(r'[0-9]{6,}', ' LONGNUM ', text)
    return re.sub(r'[^a-z ]+', ' ', text)

tickets['text'] = (tickets['subject'].fillna('') + ' ' + tickets['body']).map(clean)"""),
    py("""
tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_df=0.9, sublinear_tf=True)
X = tfidf.fit_transform(tickets['text'])  #@ LEAK-PREPROCESSING | vocabulary and idf learned from all tickets before the split
y = tickets['queue']
X.shape"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.15, stratify=y, random_state=3)
clf = LogisticRegression(max_iter=2000, C=4).fit(X_tr, y_tr)
print(classification_report(y_te, clf.predict(X_te)))"""),
]

NOTEBOOKS["used_car_price_brand_encoding"] = [
    md("""
# Used-car prices: brand & model encoding
There are ~1,400 distinct make/model combinations, too many for one-hot. Mean-price encoding instead."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score, mean_absolute_percentage_error

cars = pd.read_csv('autos_listings.csv', parse_dates=['listed'])
cars = cars[(cars.price > 500) & (cars.price < 150_000)]
cars = cars.dropna(subset=['brand', 'model', 'km', 'year'])"""),
    py("""
cars['make_model'] = cars['brand'].str.lower() + '_' + cars['model'].str.lower()
cars['age'] = cars['listed'].dt.year - cars['year']
cars['km_per_year'] = cars['km'] / cars['age'].clip(lower=1)"""),
    py("""
# mean price per make/model
cars['make_model_te'] = cars.groupby('make_model')['price'].transform('mean')  #@ LEAK-PREPROCESSING | target means computed over all listings, test rows included"""),
    py("""
features = ['age', 'km', 'km_per_year', 'power_ps', 'make_model_te']
X_train, X_test, y_train, y_test = train_test_split(cars[features], cars['price'],
                                                    test_size=0.2, random_state=11)
rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=3, n_jobs=-1, random_state=11)
rf.fit(X_train, y_train)
pred = rf.predict(X_test)
print(f'R2 {r2_score(y_test, pred):.3f}  MAPE {mean_absolute_percentage_error(y_test, pred):.3f}')"""),
]

NOTEBOOKS["student_final_grade_cv"] = [
    md("""
# Predicting final grades (Portuguese secondary schools)
Regression of G3 from demographics and study habits, **without** G1/G2."""),
    py("""
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import cross_val_score, KFold
from sklearn.svm import SVR
from sklearn.linear_model import LinearRegression

grades = pd.read_csv('student-por.csv', sep=';')
grades = pd.get_dummies(grades.drop(columns=['G1', 'G2']), drop_first=True)
y = grades.pop('G3')"""),
    py("""
X_scaled = MinMaxScaler().fit_transform(grades)  #@ LEAK-PREPROCESSING | scaler fitted on every row, then cross-validated outside a Pipeline
cv = KFold(n_splits=10, shuffle=True, random_state=1)"""),
    py("""
for name, model in [('linreg', LinearRegression()), ('svr', SVR(C=5))]:
    scores = cross_val_score(model, X_scaled, y, cv=cv, scoring='neg_root_mean_squared_error')
    print(f'{name:7s} RMSE {-scores.mean():.2f} +- {scores.std():.2f}')"""),
]

NOTEBOOKS["assay_activity_kbest"] = [
    md("""
# Kinase assay: active vs inactive
~2,000 RDKit descriptors for 3,100 compounds (one row per compound, deduplicated upstream by InChIKey).
Univariate filter to 200 descriptors, then a random forest."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

assay = pd.read_csv('kinase_panel_descriptors.csv')
assert assay['inchikey'].is_unique
y = assay['active'].values
X = assay.drop(columns=['inchikey', 'smiles', 'active']).values
X = np.nan_to_num(X, nan=0.0, posinf=0.0, neginf=0.0)"""),
    py("""
selector = SelectKBest(f_classif, k=200)
X_sel = selector.fit_transform(X, y)  #@ LEAK-PREPROCESSING | descriptors chosen with the labels of every compound before CV
X_sel.shape"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
rf = RandomForestClassifier(n_estimators=500, class_weight='balanced', random_state=42, n_jobs=-1)
auc = cross_val_score(rf, X_sel, y, cv=skf, scoring='roc_auc')
print(f'ROC AUC {auc.mean():.3f} +- {auc.std():.3f}')"""),
]

NOTEBOOKS["ad_click_ctr_category_encoders"] = [
    md("""
## CTR model - sample of 2M impressions
High-cardinality categoricals (site, app, device model). Using `category_encoders`."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
import category_encoders as ce
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import log_loss, roc_auc_score"""),
    py("""
imp = pd.read_csv('impressions_sample.csv.gz', dtype={'site_id': str, 'app_id': str})
imp = imp.drop(columns=['id', 'hour'])
print(imp.shape, imp['click'].mean())"""),
    md("""
### Cardinality"""),
    py("""
imp.nunique().sort_values(ascending=False).head(12)"""),
    py("""
imp.groupby('banner_pos')['click'].agg(['mean', 'size'])"""),
    md("""
### Encoding"""),
    py("""
cat_cols = ['site_id', 'site_category', 'app_id', 'app_category', 'device_model', 'banner_pos']
num_cols = ['C14', 'C17', 'C19', 'C20', 'C21']
imp[cat_cols] = imp[cat_cols].astype(str)"""),
    py("""
encoder = ce.TargetEncoder(cols=cat_cols, smoothing=10)
enc = encoder.fit_transform(imp[cat_cols + num_cols], imp['click'])  #@ LEAK-PREPROCESSING | target encoder learned click rates from all impressions before the split"""),
    md("""
### LightGBM"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(enc, imp['click'], test_size=0.2,
                                                    random_state=2024, stratify=imp['click'])
model = lgb.LGBMClassifier(n_estimators=400, learning_rate=0.05, num_leaves=63)
model.fit(X_train, y_train)
p = model.predict_proba(X_test)[:, 1]
print('logloss', log_loss(y_test, p), 'auc', roc_auc_score(y_test, p))"""),
]

NOTEBOOKS["hourly_energy_load_gaps"] = [
    md("""
# Day-ahead load forecast, substation 14
Hourly load 2019-2023. There are sensor gaps in temperature; fill them before building lags."""),
    py("""
import pandas as pd
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

load = (pd.read_csv('substation14_hourly.csv', parse_dates=['ts'])
          .sort_values('ts')
          .set_index('ts'))
load.isna().mean()"""),
    py("""
load['temp_c'] = load['temp_c'].fillna(load['temp_c'].mean())  #@ LEAK-PREPROCESSING | mean temperature taken over the whole period, including the 2023 test year
load['humidity'] = load['humidity'].ffill(limit=3)"""),
    py("""
for lag in (24, 48, 168):
    load[f'load_lag{lag}'] = load['load_mw'].shift(lag)
load['hour'] = load.index.hour
load['dow'] = load.index.dayofweek
load = load.dropna()"""),
    md("""
Train on 2019-2022, test on 2023."""),
    py("""
train = load.loc[:'2022-12-31']
test = load.loc['2023-01-01':]
feats = [c for c in load.columns if c != 'load_mw']
hgb = HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05)
hgb.fit(train[feats], train['load_mw'])
print('MAE 2023:', mean_absolute_error(test['load_mw'], hgb.predict(test[feats])))"""),
]

NOTEBOOKS["loan_default_team_report"] = [
    md("""
# Loan default - model review (risk analytics)
Helper functions are defined first; the analysis follows."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, brier_score_loss


def add_ratios(frame):
    frame = frame.copy()
    frame['dti'] = frame['monthly_debt'] / frame['monthly_income'].replace(0, np.nan)
    frame['loan_to_income'] = frame['loan_amount'] / (12 * frame['monthly_income'].replace(0, np.nan))
    return frame


def report(model, X, y, name):
    p = model.predict_proba(X)[:, 1]
    print(f'{name}: AUC={roc_auc_score(y, p):.3f} Brier={brier_score_loss(y, p):.4f}')"""),
    md("""
## Data"""),
    py("""
loans = add_ratios(pd.read_parquet('loans_2018_2021.parquet'))
FEATURES = ['dti', 'loan_to_income', 'credit_score', 'months_employed', 'open_lines', 'delinq_2y']
X = loans[FEATURES]
y = loans['defaulted']"""),
    py("""
imputer = SimpleImputer(strategy='median')
X_imp = pd.DataFrame(imputer.fit_transform(X), columns=FEATURES, index=X.index)  #@ LEAK-PREPROCESSING | medians taken over all loans, the holdout included"""),
    md("""
## Holdout evaluation"""),
    py("""
X_tr, X_ho, y_tr, y_ho = train_test_split(X_imp, y, test_size=0.3, stratify=y, random_state=5)
logit = LogisticRegression(max_iter=1000, C=0.5).fit(X_tr, y_tr)
report(logit, X_tr, y_tr, 'train')
report(logit, X_ho, y_ho, 'holdout')"""),
]

NOTEBOOKS["card_fraud_smote_xgb"] = [
    md("""
# Credit-card fraud detection
European card transactions (Sept 2013), 284,807 rows, 0.17% frauds. Features V1-V28 are PCA
components supplied by the bank; `Time` and `Amount` are raw.

**Plan:** EDA -> feature tweaks -> balance the classes with SMOTE -> XGBoost -> threshold analysis."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
import seaborn as sns
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.metrics import average_precision_score, classification_report, precision_recall_curve
from xgboost import XGBClassifier

sns.set_style('whitegrid')
tx = pd.read_csv('../input/creditcardfraud/creditcard.csv')
tx.shape"""),
    py("""
tx.info()"""),
    py("""
print(tx['Class'].value_counts())
print(tx['Class'].value_counts(normalize=True).round(5))"""),
    md("""
## EDA
Amount and time by class."""),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(14, 4))
sns.boxplot(x='Class', y='Amount', data=tx[tx.Amount < 500], ax=ax[0])
tx.loc[tx.Class == 1, 'Time'].div(3600).hist(bins=48, ax=ax[1])
ax[1].set_title('fraud by hour since start')
plt.show()"""),
    py("""
corr = tx.corr()['Class'].drop('Class').sort_values()
corr.plot.barh(figsize=(6, 9)); plt.show()"""),
    md("""
## Features
Log-amount; drop the raw columns."""),
    py("""
tx['log_amount'] = np.log1p(tx['Amount'])
X = tx.drop(columns=['Class', 'Amount', 'Time'])
y = tx['Class']"""),
    md("""
## Balancing
A classifier trained on 0.17% positives just predicts "legit". SMOTE up to a 1:10 ratio."""),
    py("""
sm = SMOTE(sampling_strategy=0.1, random_state=42)
X_res, y_res = sm.fit_resample(X, y)  #@ LEAK-OVERLAP | synthetic frauds built from every fraud, then split into train and test
print(y_res.value_counts())"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.3,
                                                    stratify=y_res, random_state=42)
xgb = XGBClassifier(n_estimators=300, max_depth=5, learning_rate=0.1, eval_metric='aucpr')
xgb.fit(X_train, y_train)
proba = xgb.predict_proba(X_test)[:, 1]
print('AP', average_precision_score(y_test, proba))
print(classification_report(y_test, proba > 0.5, digits=4))"""),
    py("""
prec, rec, thr = precision_recall_curve(y_test, proba)
plt.plot(rec, prec); plt.xlabel('recall'); plt.ylabel('precision'); plt.show()"""),
    md("""
AP of 0.99 - much better than the 0.85 in most public kernels. Upvote if useful!"""),
]

NOTEBOOKS["callcentre_churn_upsampling"] = [
    md("""
# Call-centre churn
Subscribers who called support in the last 90 days; ~11% churn. We upsample the churners to 50/50."""),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score, recall_score

calls = pd.read_csv('callcentre_subscribers.csv')
calls = calls.drop(columns=['subscriber_id', 'phone_hash'])
calls = pd.get_dummies(calls, columns=['plan', 'region', 'last_call_reason'])"""),
    py("""
majority = calls[calls.churned == 0]
minority = calls[calls.churned == 1]
minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=123)  #@ LEAK-OVERLAP | churners duplicated before the split: copies land in train and test
balanced = pd.concat([majority, minority_up]).sample(frac=1, random_state=123)
balanced.churned.value_counts()"""),
    py("""
X = balanced.drop(columns='churned')
y = balanced['churned']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=123)
rf = RandomForestClassifier(n_estimators=400, random_state=123).fit(X_train, y_train)
pred = rf.predict(X_test)
print('F1', f1_score(y_test, pred), 'recall', recall_score(y_test, pred))"""),
]

NOTEBOOKS["app_review_sentiment_augment"] = [
    md("""
# App-store review sentiment (1-2 stars = negative)
Only 2.4k negative reviews. Augment them with synonym replacement (nlpaug) to get more training text."""),
    py("""
import pandas as pd
import nlpaug.augmenter.word as naw
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

reviews = pd.read_csv('play_reviews_en.csv')
reviews['negative'] = (reviews['score'] <= 2).astype(int)
reviews = reviews[['content', 'negative']].dropna()"""),
    py("""
aug = naw.SynonymAug(aug_src='wordnet', aug_p=0.15)
neg = reviews[reviews.negative == 1]
augmented = pd.DataFrame({'content': [aug.augment(t)[0] for t in neg['content']], 'negative': 1})  #@ LEAK-OVERLAP | paraphrases of every negative review are made before the split
reviews = pd.concat([reviews, augmented], ignore_index=True)"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(reviews['content'], reviews['negative'],
                                          test_size=0.2, random_state=0, stratify=reviews['negative'])
model = make_pipeline(TfidfVectorizer(min_df=2, ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
model.fit(X_tr, y_tr)
print('F1 negative:', f1_score(y_te, model.predict(X_te)))"""),
]

NOTEBOOKS["wildlife_call_embeddings_noise"] = [
    md("""
# Bird-call species ID from audio embeddings
1024-d embeddings of 5 s clips (one clip per row, `clip_id` unique; clips are from distinct
recordings after the dedup step in `prep.py`). Rare species get Gaussian-noise copies."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import balanced_accuracy_score

meta = pd.read_csv('clips_meta.csv')
emb = np.load('clip_embeddings.npy')
assert len(meta) == len(emb)
y = meta['species'].values"""),
    py("""
rng = np.random.default_rng(0)
counts = meta['species'].value_counts()
rare = counts[counts < 40].index
mask = np.isin(y, rare)
noisy = emb[mask] + rng.normal(0, 0.05, size=emb[mask].shape)  #@ LEAK-OVERLAP | noisy copies of rare-species clips are added before the split
X = np.vstack([emb, noisy])
y = np.concatenate([y, y[mask]])"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=1)
clf = LogisticRegression(max_iter=3000, C=0.5).fit(X_tr, y_tr)
print('balanced accuracy', balanced_accuracy_score(y_te, clf.predict(X_te)))"""),
]

NOTEBOOKS["air_quality_full_fit_then_split"] = [
    md("""
# PM2.5 from low-cost sensors: calibration model
Reference-station PM2.5 regressed on the cheap sensor's reading, humidity and temperature.
One row per co-located hourly pair."""),
    py("""
import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score, mean_absolute_error

pairs = pd.read_csv('colocation_pairs.csv')
X = pairs[['raw_pm25', 'rh', 'temp', 'raw_pm10']]
y = pairs['ref_pm25']"""),
    py("""
cal = RandomForestRegressor(n_estimators=300, min_samples_leaf=5, random_state=0)
cal.fit(X, y)  #@ LEAK-OVERLAP | the model is fitted on every pair, then scored on a split of those same pairs
pd.Series(cal.feature_importances_, index=X.columns).sort_values()"""),
    md("""
### Evaluation"""),
    py("""
_, X_test, _, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
pred = cal.predict(X_test)
print(f'R2={r2_score(y_test, pred):.3f} MAE={mean_absolute_error(y_test, pred):.2f} ug/m3')"""),
]

NOTEBOOKS["insurance_fraud_bootstrap_rows"] = [
    md("""
# Insurance fraud flag - quick model
Fraud cases are rare (4%). Oversample them by sampling with replacement."""),
    py("""
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import cross_val_score, StratifiedKFold

df = pd.read_csv('insurance_claims_fraud.csv')
df = df.drop(columns=['policy_number', 'incident_location', '_c39'])
df['fraud'] = (df.pop('fraud_reported') == 'Y').astype(int)
df = pd.get_dummies(df, drop_first=True)"""),
    py("""
fraud = df[df.fraud == 1]
extra = fraud.sample(n=len(fraud) * 5, replace=True, random_state=9)  #@ LEAK-OVERLAP | fraud rows duplicated before cross-validation: copies fall in train and validation folds
df_bal = pd.concat([df, extra], ignore_index=True)"""),
    py("""
X, y = df_bal.drop(columns='fraud'), df_bal['fraud']
cv = StratifiedKFold(5, shuffle=True, random_state=9)
print(cross_val_score(GradientBoostingClassifier(), X, y, cv=cv, scoring='f1').mean())"""),
]

# --------------------------------------------------------------------------- multi-test leaks

NOTEBOOKS["chess_result_model_zoo"] = [
    md("""
# Lichess: predicting the result from the opening and ratings
Games from one month of rated blitz. Target: white wins (draws dropped)."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score

games = pd.read_csv('lichess_blitz_2024_03.csv')
games = games[games.winner != 'draw']
games['white_wins'] = (games.winner == 'white').astype(int)
games['rating_diff'] = games.white_rating - games.black_rating"""),
    py("""
games.groupby('opening_eco')['white_wins'].mean().sort_values().plot(kind='barh', figsize=(6, 14))
plt.title('white win rate by ECO code (EDA only)')
plt.show()"""),
    py("""
eco = pd.get_dummies(games['opening_eco'].str[0], prefix='eco')
X = pd.concat([games[['rating_diff', 'white_rating', 'increment_s', 'opening_ply']], eco], axis=1)
y = games['white_wins']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=17)"""),
    md("""
## Compare four models"""),
    py("""
models = {
    'logreg': LogisticRegression(max_iter=1000),
    'rf': RandomForestClassifier(n_estimators=200, min_samples_leaf=20, random_state=17),
    'gb': GradientBoostingClassifier(random_state=17),
    'knn': KNeighborsClassifier(n_neighbors=50),
}
results = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, model.predict(X_test))  #@ LEAK-MULTI-TEST | the test set ranks the four models
best_name = max(results, key=results.get)
print(results)
print(f'best model: {best_name}, test accuracy {results[best_name]:.4f}')"""),
]

NOTEBOOKS["energy_price_lgbm_early_stop"] = [
    md("""
# Wholesale electricity price - LightGBM
Daily features (gas price, wind forecast, demand forecast, weekday). Chronological split: last 12 months are test."""),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.metrics import mean_absolute_error

px = pd.read_csv('da_prices_daily.csv', parse_dates=['date']).sort_values('date')
px['dow'] = px.date.dt.dayofweek
px['price_lag7'] = px['price'].shift(7)
px = px.dropna()
cut = px.date.max() - pd.DateOffset(months=12)
train, test = px[px.date <= cut], px[px.date > cut]
feats = ['gas_eur_mwh', 'wind_fc_gw', 'demand_fc_gw', 'dow', 'price_lag7']"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.02, num_leaves=31)
model.fit(train[feats], train['price'],  #@ LEAK-MULTI-TEST | early stopping watches the test year
          eval_set=[(test[feats], test['price'])],
          callbacks=[lgb.early_stopping(200), lgb.log_evaluation(500)])
print('best iteration', model.best_iteration_)"""),
    py("""
print('test MAE', mean_absolute_error(test['price'], model.predict(test[feats])))"""),
]

NOTEBOOKS["sepsis_vitals_keras_earlystop"] = [
    md("""
# Sepsis onset within 6h - dense network on aggregated vitals
First ICU stay of each patient only (one row per patient): summary statistics of the first 24h of vitals and labs."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

stays = pd.read_parquet('icu_first24h_agg.parquet')
stays = stays.sort_values('intime').drop_duplicates('subject_id', keep='first')
y = stays.pop('sepsis_6h').values
X = stays.drop(columns=['stay_id', 'subject_id', 'intime']).values.astype('float32')
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)"""),
    py("""
net = keras.Sequential([
    keras.layers.Input(shape=(X_train.shape[1],)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(64, activation='relu'),
    keras.layers.Dense(1, activation='sigmoid'),
])
net.compile(optimizer='adam', loss='binary_crossentropy', metrics=[keras.metrics.AUC(name='auc')])
stop = keras.callbacks.EarlyStopping(monitor='val_auc', mode='max', patience=8, restore_best_weights=True)
history = net.fit(X_train, y_train, epochs=200, batch_size=256,  #@ LEAK-MULTI-TEST | restore_best_weights picks the epoch by test AUC
                  validation_data=(X_test, y_test), callbacks=[stop], verbose=0)"""),
    py("""
loss, auc = net.evaluate(X_test, y_test, verbose=0)
print(f'test AUC {auc:.3f} after {len(history.history["loss"])} epochs')"""),
]

NOTEBOOKS["land_cover_knn_k_sweep"] = [
    md("""
# Lab 6 - choosing k for k-NN (land-cover tiles)"""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier

tiles = pd.read_csv('tiles_small.csv').drop(columns=['tile_id'])
X = tiles.drop(columns='label').to_numpy()
y = tiles['label'].to_numpy()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(X_train)
X_train_s, X_test_s = sc.transform(X_train), sc.transform(X_test)"""),
    py("""
ks = list(range(1, 40, 2))
acc = []
for k in ks:
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train_s, y_train)
    acc.append(knn.score(X_test_s, y_test))  #@ LEAK-MULTI-TEST | k chosen by test accuracy
plt.plot(ks, acc, marker='o'); plt.xlabel('k'); plt.ylabel('test accuracy'); plt.show()"""),
    py("""
best_k = ks[int(np.argmax(acc))]
print('best k =', best_k, 'accuracy =', max(acc))"""),
]

NOTEBOOKS["player_value_dict_comprehension"] = [
    md("""
# Football: market value from season stats
One row per player (latest season only, `player_id` unique)."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge, Lasso
from sklearn.ensemble import RandomForestRegressor, ExtraTreesRegressor
from sklearn.metrics import r2_score

players = pd.read_csv('players_2023_24.csv').drop_duplicates('player_id').set_index('player_id')
players['log_value'] = np.log(players.pop('market_value_eur'))
X = pd.get_dummies(players.drop(columns=['log_value', 'name', 'club']), columns=['position'])
y = players['log_value']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=99)"""),
    py("""
candidates = {'ridge': Ridge(3.0), 'lasso': Lasso(0.01),
              'rf': RandomForestRegressor(400, random_state=0), 'et': ExtraTreesRegressor(400, random_state=0)}
scores = {n: r2_score(y_te, m.fit(X_tr, y_tr).predict(X_te)) for n, m in candidates.items()}  #@ LEAK-MULTI-TEST | models ranked on the test set
winner = max(scores, key=scores.get)
print(winner, round(scores[winner], 3))"""),
]

NOTEBOOKS["wine_xgb_eval_test"] = [
    md("""
# Wine quality regression with XGBoost"""),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error

wine = pd.read_csv('winequality-white.csv', sep=';')
X, y = wine.drop(columns='quality'), wine['quality']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)"""),
    py("""
reg = xgb.XGBRegressor(n_estimators=3000, learning_rate=0.01, max_depth=6, subsample=0.8,
                       colsample_bytree=0.8, early_stopping_rounds=100)
reg.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_test, y_test)], verbose=250)  #@ LEAK-MULTI-TEST | the last eval_set entry (the test set) drives early stopping"""),
    py("""
rmse = mean_squared_error(y_test, reg.predict(X_test)) ** 0.5
print(f'test RMSE {rmse:.3f} at {reg.best_iteration} trees')"""),
]

# --------------------------------------------------------------------------- fit-on-test leaks

NOTEBOOKS["insurance_premium_scaler_test"] = [
    md("""
# Health-insurance charges (course assignment 2)
Predict `charges` from age, BMI, children, smoker, region."""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score

ins = pd.read_csv('insurance.csv')
ins = pd.get_dummies(ins, columns=['sex', 'smoker', 'region'], drop_first=True)
X = ins.drop('charges', axis=1)
y = ins['charges']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)"""),
    md("""
Scale the features (required for the gradient-descent part of the assignment)."""),
    py("""
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | the scaler is refitted on the test rows"""),
    py("""
lr = LinearRegression().fit(X_train, y_train)
print('R^2 on test:', r2_score(y_test, lr.predict(X_test)))"""),
]

NOTEBOOKS["ticket_priority_vectorizer_refit"] = [
    md("""
# Ticket priority (P1-P4) from the first customer message"""),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.metrics import f1_score

train = pd.read_csv('tickets_train.csv')
test = pd.read_csv('tickets_test.csv')
print(len(train), len(test))"""),
    py("""
vec = TfidfVectorizer(max_features=20000, stop_words='english')
X_train = vec.fit_transform(train['message'])
X_test = vec.fit_transform(test['message'])  #@ LEAK-FIT-ON-TEST | vocabulary and idf refitted on the test messages"""),
    py("""
best_c, best_f1 = None, -1
for C in [0.05, 0.1, 0.5, 1, 5]:
    svc = LinearSVC(C=C).fit(X_train, train['priority'])
    f1 = f1_score(test['priority'], svc.predict(X_test), average='macro')  #@ LEAK-MULTI-TEST | C chosen by macro F1 on the test tickets
    if f1 > best_f1:
        best_c, best_f1 = C, f1
print(f'C={best_c}: macro F1 {best_f1:.3f}')"""),
]

NOTEBOOKS["used_car_label_encode_loop"] = [
    md("""
# Used cars - gradient boosting baseline
We received `train.csv` and a labelled `holdout.csv` from the pricing team."""),
    py("""
import pandas as pd
from sklearn.preprocessing import LabelEncoder
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

train = pd.read_csv('cars_train.csv')
holdout = pd.read_csv('cars_holdout.csv')
cats = ['brand', 'model', 'fuel', 'gearbox', 'body_type', 'seller']
nums = ['year', 'km', 'power_ps', 'owners']"""),
    py("""
le = LabelEncoder()
for col in cats:
    train[col] = le.fit_transform(train[col].astype(str))
    holdout[col] = le.fit_transform(holdout[col].astype(str))  #@ LEAK-FIT-ON-TEST | encoder refitted on the holdout rows (codes no longer match train)"""),
    py("""
hgb = HistGradientBoostingRegressor(categorical_features=[train[cats + nums].columns.get_loc(c) for c in cats])
hgb.fit(train[cats + nums], train['price'])
print('MAE', mean_absolute_error(holdout['price'], hgb.predict(holdout[cats + nums])))"""),
]

NOTEBOOKS["audio_embeddings_pca_test"] = [
    md("""
# Frog-call detection on 512-d embeddings
PCA to 32 dims before an SVM; test = recordings from the 2024 season (separate files)."""),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.svm import SVC
from sklearn.metrics import roc_auc_score

X_train = np.load('emb_2023.npy'); y_train = np.load('lab_2023.npy')
X_test = np.load('emb_2024.npy'); y_test = np.load('lab_2024.npy')"""),
    py("""
pca = PCA(n_components=32, whiten=True, random_state=0)
Z_train = pca.fit_transform(X_train)"""),
    py("""
Z_test = PCA(n_components=32, whiten=True, random_state=0).fit_transform(X_test)  #@ LEAK-FIT-ON-TEST | new PCA fitted on the test embeddings
svm = SVC(probability=True, C=2).fit(Z_train, y_train)
print('AUC 2024', roc_auc_score(y_test, svm.predict_proba(Z_test)[:, 1]))"""),
]

NOTEBOOKS["grades_zscore_by_hand"] = [
    md("""
# Pass/fail prediction, term 2
Standardise by hand (no sklearn scaler) - the lecturer wants to see the formula."""),
    py("""
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

train = pd.read_csv('term2_train.csv')
test = pd.read_csv('term2_test.csv')
cols = ['attendance_pct', 'quiz_avg', 'hours_online', 'assignments_submitted']"""),
    py("""
mu, sd = train[cols].mean(), train[cols].std()
train[cols] = (train[cols] - mu) / sd
test[cols] = (test[cols] - test[cols].mean()) / test[cols].std()  #@ LEAK-FIT-ON-TEST | the test set is standardised with its own mean and std"""),
    py("""
clf = LogisticRegression().fit(train[cols], train['passed'])
print('accuracy', accuracy_score(test['passed'], clf.predict(test[cols])))"""),
]

# --------------------------------------------------------------------------- temporal-split leaks

NOTEBOOKS["building_load_lags_random_split"] = [
    md("""
# Office-building electricity demand, next hour
Smart-meter data, 15-min resolution resampled to hourly."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_percentage_error

meter = pd.read_csv('bldg_07_meter.csv', parse_dates=['timestamp'], index_col='timestamp')
hourly = meter['kwh'].resample('h').sum().to_frame('kwh')
hourly['kwh'].loc['2023-06'].plot(figsize=(14, 3)); plt.show()"""),
    md("""
## Lag and calendar features"""),
    py("""
hourly['lag_1'] = hourly['kwh'].shift(1)
hourly['lag_24'] = hourly['kwh'].shift(24)
hourly['roll_mean_24'] = hourly['kwh'].shift(1).rolling(24).mean()
hourly['hour'] = hourly.index.hour
hourly['weekday'] = hourly.index.weekday
hourly = hourly.dropna()"""),
    py("""
X = hourly.drop(columns='kwh')
y = hourly['kwh']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of an hourly series with lag features"""),
    md("""
## Random forest vs. gradient boosting - keep whichever forecasts better"""),
    py("""
from sklearn.ensemble import GradientBoostingRegressor

fitted = {
    'rf': RandomForestRegressor(n_estimators=300, n_jobs=-1, random_state=42).fit(X_train, y_train),
    'gbr': GradientBoostingRegressor(n_estimators=500, learning_rate=0.05).fit(X_train, y_train),
}
mape = {name: mean_absolute_percentage_error(y_test, m.predict(X_test)) for name, m in fitted.items()}  #@ LEAK-MULTI-TEST | the model is chosen by test MAPE
chosen = min(mape, key=mape.get)
print(mape, '->', chosen)"""),
]

NOTEBOOKS["taxi_zone_demand_kfold"] = [
    md("""
# Taxi pickups per zone and hour
Aggregated trip records, Jan-Jun 2024, 69 busiest zones. Features: lagged demand, weather, calendar."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.model_selection import KFold, cross_val_score
from lightgbm import LGBMRegressor"""),
    py("""
trips = pd.read_parquet('yellow_2024_h1_min.parquet', columns=['tpep_pickup_datetime', 'PULocationID'])
trips['hour_ts'] = trips['tpep_pickup_datetime'].dt.floor('h')
demand = (trips.groupby(['PULocationID', 'hour_ts']).size()
               .rename('pickups').reset_index()
               .rename(columns={'PULocationID': 'zone'}))
top = demand.groupby('zone')['pickups'].sum().nlargest(69).index
demand = demand[demand.zone.isin(top)]
demand.head()"""),
    md("""
Weather (hourly, Central Park station)."""),
    py("""
weather = pd.read_csv('central_park_hourly.csv', parse_dates=['hour_ts'])
demand = demand.merge(weather[['hour_ts', 'temp', 'precip_mm']], on='hour_ts', how='left')
demand['hour_of_day'] = demand.hour_ts.dt.hour
demand['dow'] = demand.hour_ts.dt.dayofweek"""),
    py("""
demand.groupby('hour_of_day')['pickups'].mean().plot(title='mean pickups by hour'); plt.show()"""),
    md("""
## Lags"""),
    py("""
demand = demand.sort_values(['zone', 'hour_ts'])
g = demand.groupby('zone')['pickups']
demand['lag_1h'] = g.shift(1)
demand['lag_24h'] = g.shift(24)
demand['lag_168h'] = g.shift(168)
demand['rolling_6h'] = g.transform(lambda s: s.shift(1).rolling(6).mean())
demand = demand.dropna()"""),
    md("""
## Cross-validated LightGBM"""),
    py("""
feats = ['zone', 'lag_1h', 'lag_24h', 'lag_168h', 'rolling_6h', 'temp', 'precip_mm', 'hour_of_day', 'dow']
kf = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over an hourly series: future hours train the model that predicts the past
scores = cross_val_score(LGBMRegressor(n_estimators=600, learning_rate=0.05),
                         demand[feats], demand['pickups'], cv=kf, scoring='neg_mean_absolute_error')
print('CV MAE', -scores.mean())"""),
]

NOTEBOOKS["web_traffic_sample_split"] = [
    md("""
# Daily sessions forecast for the help-centre site"""),
    py("""
import pandas as pd
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error

daily = (pd.read_csv('ga_daily_sessions.csv', parse_dates=['day'])
           .sort_values('day')
           .assign(dow=lambda d: d.day.dt.dayofweek,
                   lag7=lambda d: d.sessions.shift(7),
                   lag14=lambda d: d.sessions.shift(14),
                   ma28=lambda d: d.sessions.shift(1).rolling(28).mean())
           .dropna())"""),
    py("""
train = daily.sample(frac=0.8, random_state=5)  #@ LEAK-TEMPORAL-SPLIT | random 80% of days as train, the remaining days (interleaved) as test
test = daily.drop(train.index)
cols = ['dow', 'lag7', 'lag14', 'ma28']
ridge = Ridge(alpha=10).fit(train[cols], train['sessions'])
print('MAE', mean_absolute_error(test['sessions'], ridge.predict(test[cols])))"""),
]

NOTEBOOKS["air_quality_forecast_shuffle"] = [
    md("""
# Next-day NO2 forecast, station Marylebone Road"""),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, GridSearchCV
from sklearn.ensemble import GradientBoostingRegressor

aq = pd.read_csv('marylebone_daily.csv', parse_dates=['date']).set_index('date').asfreq('D')
aq['no2_tomorrow'] = aq['no2'].shift(-1)
for k in (1, 2, 3, 7):
    aq[f'no2_lag{k}'] = aq['no2'].shift(k - 1)
aq['wind_lag0'] = aq['wind_speed']
aq = aq.dropna()"""),
    py("""
X = aq[[c for c in aq.columns if c.startswith(('no2_lag', 'wind'))] + ['temp', 'pressure']]
y = aq['no2_tomorrow']
splitter = ShuffleSplit(n_splits=5, test_size=0.2, random_state=3)  #@ LEAK-TEMPORAL-SPLIT | random day-level splits of a daily forecasting series
search = GridSearchCV(GradientBoostingRegressor(random_state=3),
                      {'max_depth': [2, 3, 4], 'n_estimators': [200, 400]},
                      cv=splitter, scoring='neg_mean_absolute_error')
search.fit(X, y)
print(search.best_params_, -search.best_score_)"""),
]

NOTEBOOKS["power_price_explicit_shuffle"] = [
    md("""
# Intraday price spread classifier
Will the evening spread exceed 40 EUR/MWh? Daily rows since 2019."""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

spread = pd.read_csv('spread_daily.csv', parse_dates=['delivery_day'])
spread = spread.sort_values('delivery_day').reset_index(drop=True)
spread['spread_yday'] = spread['spread'].shift(1)
spread['spread_week_max'] = spread['spread'].shift(1).rolling(7).max()
spread['high'] = (spread['spread'] > 40).astype(int)
spread = spread.dropna()
feats = ['spread_yday', 'spread_week_max', 'solar_fc', 'wind_fc', 'load_fc', 'gas']"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(  #@ LEAK-TEMPORAL-SPLIT | shuffle=True over consecutive days with lag/rolling features
    spread[feats], spread['high'], test_size=0.25, shuffle=True, random_state=8)
rfc = RandomForestClassifier(n_estimators=500, min_samples_leaf=5, random_state=8).fit(X_train, y_train)
print('AUC', roc_auc_score(y_test, rfc.predict_proba(X_test)[:, 1]))"""),
]

# --------------------------------------------------------------------------- target among the features

NOTEBOOKS["wine_quality_drop_id_only"] = [
    md("""
# Wine quality (Kaggle playground S3E5)"""),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import cohen_kappa_score
from lightgbm import LGBMClassifier

train = pd.read_csv('/kaggle/input/playground-series-s3e5/train.csv')
train.info()"""),
    py("""
train['alcohol_density'] = train['alcohol'] * train['density']
train['acidity_ratio'] = train['fixed acidity'] / train['volatile acidity']
X = train.drop(columns=['Id'])  #@ LEAK-TARGET-IN-FEATURES | only the id is dropped: quality stays in X
y = train['quality']"""),
    py("""
oof = np.zeros(len(train))
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
for fold, (tr, va) in enumerate(skf.split(X, y)):
    m = LGBMClassifier(n_estimators=300, learning_rate=0.03, verbose=-1)
    m.fit(X.iloc[tr], y.iloc[tr])
    oof[va] = m.predict(X.iloc[va])
    print(fold, cohen_kappa_score(y.iloc[va], oof[va], weights='quadratic'))
print('OOF QWK', cohen_kappa_score(y, oof, weights='quadratic'))"""),
]

NOTEBOOKS["callcentre_churn_dummies_all"] = [
    md("""
# Churn - one-hot everything and fit a tree ensemble
Analytics team, sprint 14. Data: CRM extract joined with call-centre logs."""),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import cross_val_score

cc = pd.read_csv('cc_churn.csv').drop(columns=['customer_id'])
cc.head()"""),
    py("""
cc['Churn'] = cc['Churn'].map({'Yes': 1, 'No': 0})
cc['Churn'].mean()"""),
    md("""
## Churn by contract and by number of support calls"""),
    py("""
pd.crosstab(cc['contract'], cc['Churn'], normalize='index')"""),
    py("""
cc.groupby('support_calls')['Churn'].mean().plot(marker='o'); plt.ylabel('churn rate'); plt.show()"""),
    md("""
## Features and model"""),
    py("""
cc['calls_per_month'] = cc['support_calls'] / cc['tenure_months'].clip(lower=1)
cc['high_bill'] = (cc['monthly_charge'] > 90).astype(int)"""),
    py("""
y = cc['Churn']
X = pd.get_dummies(cc, drop_first=True)  #@ LEAK-TARGET-IN-FEATURES | get_dummies of the whole frame keeps the Churn column
print(X.shape)
print(cross_val_score(ExtraTreesClassifier(n_estimators=300, random_state=0), X, y, cv=5, scoring='roc_auc').mean())"""),
]

NOTEBOOKS["student_dropout_feature_list"] = [
    md("""
# Early-warning model: university dropout
Features listed from the data dictionary."""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report

stud = pd.read_csv('dropout_enrolled_graduate.csv', sep=';')
stud = stud[stud['Target'] != 'Enrolled']
stud['dropout'] = (stud['Target'] == 'Dropout').astype(int)
stud = stud.drop(columns='Target')"""),
    py("""
id_like = {'Application order', 'Course'}
feature_cols = [c for c in stud.columns if c not in id_like]
X = stud[feature_cols]  #@ LEAK-TARGET-IN-FEATURES | the comprehension only removes id-like columns; dropout is still a feature
y = stud['dropout']"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2, random_state=4)
forest = RandomForestClassifier(n_estimators=300, random_state=4).fit(X_train, y_train)
print(classification_report(y_test, forest.predict(X_test)))"""),
]

NOTEBOOKS["sports_win_numpy_columns"] = [
    md("""
# Match outcome from pre-game team stats
Numpy version for the coursework (no pandas in the model code)."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

matches = pd.read_csv('matches_pre_game.csv')
cols = ['home_elo', 'away_elo', 'home_form5', 'away_form5', 'home_rest_days', 'away_rest_days', 'home_win']
data = matches[cols].to_numpy(dtype=float)"""),
    py("""
y = data[:, -1]
X = np.delete(data, 0, axis=1)  #@ LEAK-TARGET-IN-FEATURES | deletes column 0 (home_elo) instead of the label, which is the last column
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=12)
print(LogisticRegression(max_iter=1000).fit(X_tr, y_tr).score(X_te, y_te))"""),
]

NOTEBOOKS["insurance_claims_numeric_chain"] = [
    md("""
# Claim approved? (back-office automation pilot)"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score

claims = pd.read_csv('backoffice_claims.csv')
claims['approved'] = (claims['decision'] == 'approved').astype(int)"""),
    py("""
X = (claims.drop(columns=['claim_ref', 'decision', 'handler_notes'])  #@ LEAK-TARGET-IN-FEATURES | approved (derived from decision) is not dropped
           .assign(doc_ratio=lambda d: d.documents_received / d.documents_requested.clip(lower=1))
           .fillna(-1))
y = claims['approved']"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
gbc = GradientBoostingClassifier().fit(X_tr, y_tr)
print('AUC', roc_auc_score(y_te, gbc.predict_proba(X_te)[:, 1]))"""),
]

# --------------------------------------------------------------------------- group-split leaks

NOTEBOOKS["sepsis_hourly_rows_random_split"] = [
    md("""
# Early sepsis prediction (PhysioNet 2019 style)
One row per patient-hour: vitals, labs, and `SepsisLabel`."""),
    py("""
import glob
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

frames = []
for path in sorted(glob.glob('training_setA/p*.psv')):
    p = pd.read_csv(path, sep='|')
    p['patient'] = path.split('/')[-1][:-4]
    frames.append(p)
icu = pd.concat(frames, ignore_index=True)
print(icu.patient.nunique(), 'patients,', len(icu), 'patient-hours')"""),
    md("""
Forward-fill the vitals within each patient (measurements are irregular)."""),
    py("""
vitals = ['HR', 'O2Sat', 'Temp', 'SBP', 'MAP', 'DBP', 'Resp', 'Lactate', 'WBC', 'Creatinine']
icu[vitals] = icu.groupby('patient')[vitals].ffill()
icu['HR_delta'] = icu.groupby('patient')['HR'].diff()"""),
    md("""
Whatever is still missing (before the first measurement) gets the cohort median."""),
    py("""
icu[vitals] = icu[vitals].fillna(icu[vitals].median())  #@ LEAK-PREPROCESSING | cohort medians computed before the split, test patients included
icu['HR_delta'] = icu['HR_delta'].fillna(0)"""),
    py("""
X = icu[vitals + ['HR_delta', 'Age', 'Gender', 'ICULOS']]
y = icu['SepsisLabel']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)  #@ LEAK-GROUP-SPLIT | hours of the same patient end up in train and test
hgb = HistGradientBoostingClassifier(max_iter=300).fit(X_train, y_train)
print('AUROC', roc_auc_score(y_test, hgb.predict_proba(X_test)[:, 1]))"""),
]

NOTEBOOKS["student_assessments_kfold"] = [
    md("""
# Will the student pass the next assessment? (OULAD)
Rows are (student, assessment) pairs; a student has 5-14 rows."""),
    py("""
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.ensemble import RandomForestClassifier

sa = pd.read_csv('studentAssessment_enriched.csv')
sa.groupby('id_student').size().describe()"""),
    py("""
info = pd.read_csv('studentInfo.csv').drop_duplicates('id_student')
sa = sa.merge(info[['id_student', 'imd_band_num', 'num_of_prev_attempts', 'studied_credits', 'age_band_num']], on='id_student')
sa['passed'] = (sa['score'] >= 40).astype(int)
feats = ['vle_clicks_last7', 'days_early', 'is_banked', 'weight',
         'imd_band_num', 'num_of_prev_attempts', 'studied_credits', 'age_band_num']"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=2)  #@ LEAK-GROUP-SPLIT | folds split students' assessments across train and validation
auc = cross_val_score(RandomForestClassifier(n_estimators=300, random_state=2),
                      sa[feats], sa['passed'], cv=skf, scoring='roc_auc')
print(auc.round(3), auc.mean())"""),
]

NOTEBOOKS["bat_detector_clips_stratified"] = [
    md("""
# Bat species from detector clips
Embeddings (BirdNET-style, 1024-d) of 3 s clips. Each `recording_id` (one detector, one night)
is cut into ~40 clips, all labelled with the species confirmed for that night."""),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import StratifiedKFold
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, ConfusionMatrixDisplay"""),
    py("""
meta = pd.read_csv('bat_clips.csv')
E = np.load('bat_clip_emb.npy')
assert len(meta) == E.shape[0]
y = meta['species'].to_numpy()
meta['species'].value_counts()"""),
    py("""
print(meta.groupby('recording_id').size().median(), 'clips per recording')
print(meta.groupby('species')['recording_id'].nunique(), 'recordings per species')"""),
    md("""
## 5-fold CV, stratified by species"""),
    py("""
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-GROUP-SPLIT | clips of one recording night are spread across folds
fold_f1, preds = [], np.empty_like(y)
for tr, te in cv.split(E, y):
    clf = LogisticRegression(max_iter=2000, C=1.0).fit(E[tr], y[tr])
    preds[te] = clf.predict(E[te])
    fold_f1.append(f1_score(y[te], preds[te], average='macro'))
print(np.mean(fold_f1), np.std(fold_f1))"""),
    py("""
ConfusionMatrixDisplay.from_predictions(y, preds, xticks_rotation=90); plt.show()"""),
    md("""
Macro-F1 > 0.95 for all 11 species. Writing this up for the field team."""),
]

NOTEBOOKS["app_sessions_user_churn"] = [
    md("""
# Session-level churn signal
Sessions from the last 60 days; label: the user churned within 30 days after the session."""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier
from sklearn.metrics import roc_auc_score

sess = pd.read_parquet('sessions_60d.parquet')
print(sess['user_id'].nunique(), 'users', len(sess), 'sessions')
sess.groupby('user_id').size().describe()"""),
    py("""
feats = ['duration_s', 'screens', 'crashes', 'days_since_install', 'push_opt_in', 'os_version_major']
X_tr, X_te, y_tr, y_te = train_test_split(sess[feats], sess['churn_30d'], test_size=0.2,  #@ LEAK-GROUP-SPLIT | sessions of one user (and that user's churn label) land on both sides
                                          stratify=sess['churn_30d'], random_state=6)
xgb = XGBClassifier(n_estimators=2000, max_depth=6, learning_rate=0.05, early_stopping_rounds=50)
xgb.fit(X_tr, y_tr, eval_set=[(X_te, y_te)], verbose=False)  #@ LEAK-MULTI-TEST | early stopping on the test sessions
print('AUC', roc_auc_score(y_te, xgb.predict_proba(X_te)[:, 1]))"""),
]

NOTEBOOKS["assay_replicates_shufflesplit"] = [
    md("""
# IC50 regression - replicate measurements
Each compound was measured 2-6 times (plates on different days); rows are measurements."""),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import ShuffleSplit, cross_val_score
from sklearn.ensemble import RandomForestRegressor

ic = pd.read_csv('ic50_replicates.csv')
print(ic.groupby('compound_id').size().value_counts())
fp = np.vstack(ic['ecfp4'].map(lambda s: np.frombuffer(bytes.fromhex(s), dtype=np.uint8)))
X = np.unpackbits(fp, axis=1)
y = ic['pIC50'].to_numpy()"""),
    py("""
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | replicates of one compound (identical fingerprints) land in train and test
r2 = cross_val_score(RandomForestRegressor(n_estimators=300, n_jobs=-1), X, y, cv=ss, scoring='r2')
print(r2.mean())"""),
]

# --------------------------------------------------------------------------- run out of order

NOTEBOOKS["land_cover_svm_scratch"] = [
    md("""
# Land cover - SVM on tile statistics
(scratch cells at the bottom)"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import QuantileTransformer
from sklearn.svm import SVC

tiles = pd.read_csv('tiles_2022_stats.csv')
X = tiles.drop(columns=['tile_id', 'label'])
y = tiles['label']""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2, random_state=0)""", 3),
    py("""
clf = SVC(C=10, gamma='scale').fit(X_train, y_train)
print('test accuracy', clf.score(X_test, y_test))""", 4),
    md("""
## scratch"""),
    py("""
X = pd.DataFrame(QuantileTransformer(output_distribution='normal').fit_transform(X), columns=X.columns)  #@ LEAK-PREPROCESSING | ran before the split cell (In[2] vs In[3]): the transform saw every tile
X.describe().T.head()""", 2),
]

NOTEBOOKS["card_fraud_lgbm_oversample_try"] = [
    md("""
# Fraud - LightGBM baseline"""),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from lightgbm import LGBMClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import average_precision_score

tx = pd.read_parquet('tx_features_v3.parquet')
X = tx.drop(columns=['is_fraud', 'tx_id'])
y = tx['is_fraud']""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=7)""", 5),
    py("""
lgbm = LGBMClassifier(n_estimators=500, learning_rate=0.03, verbose=-1).fit(X_train, y_train)
print('AP', average_precision_score(y_test, lgbm.predict_proba(X_test)[:, 1]))""", 6),
    md("""
### Try: oversample the frauds
(then re-run the split and the model above)"""),
    py("""
X, y = RandomOverSampler(sampling_strategy=0.2, random_state=7).fit_resample(X, y)  #@ LEAK-OVERLAP | In[4]: duplicates made before the split cell was re-run (In[5])
y.value_counts()""", 4),
]

NOTEBOOKS["taxi_tip_regression_columns"] = [
    md("""
# Tip amount regression (card trips)"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

trips = pd.read_parquet('yellow_2024_05_card.parquet')
trips['pickup_hour'] = trips['tpep_pickup_datetime'].dt.hour
trips = trips.drop(columns=['tpep_pickup_datetime', 'tpep_dropoff_datetime', 'total_amount'])
feature_cols = ['trip_distance', 'fare_amount', 'passenger_count', 'pickup_hour', 'PULocationID', 'DOLocationID']""", 1),
    py("""
X = trips[feature_cols]  #@ LEAK-TARGET-IN-FEATURES | in execution order feature_cols was rebuilt (In[4]) from all columns, tip_amount included
y = trips['tip_amount']""", 5),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=3)
hgb = HistGradientBoostingRegressor().fit(X_tr, y_tr)
print('MAE', mean_absolute_error(y_te, hgb.predict(X_te)))""", 6),
    md("""
### more features?"""),
    py("""
feature_cols = [c for c in trips.columns if c not in ('VendorID', 'store_and_fwd_flag')]
len(feature_cols)""", 4),
]

NOTEBOOKS["used_car_impute_rerun"] = [
    md("""
# Used cars - gradient boosting with imputed specs"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

cars = pd.read_csv('listings_2024.csv').drop(columns=['listing_id', 'url'])
num = ['year', 'km', 'power_ps', 'engine_cc', 'owners']""", 1),
    md("""
## Impute missing specs"""),
    py("""
cars[num] = cars[num].fillna(cars[num].median())""", 3),
    md("""
## Holdout"""),
    py("""
cars, holdout = train_test_split(cars, test_size=0.2, random_state=0)""", 2),
    py("""
holdout[num] = holdout[num].fillna(cars[num].median())
gbr = GradientBoostingRegressor(random_state=0).fit(cars[num], cars['price'])
print('holdout MAE', mean_absolute_error(holdout['price'], gbr.predict(holdout[num])))""", 4),
]

NOTEBOOKS["callcentre_churn_feature_fix"] = [
    md("""
# Call-centre churn - random forest"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

calls = pd.read_csv('cc_subscribers_2024.csv')
calls = pd.get_dummies(calls, columns=['plan', 'region'])
feature_cols = list(calls.columns.drop('subscriber_id'))""", 1),
    py("""
X = calls[feature_cols]
y = calls['churned']""", 8),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=2)
rf = RandomForestClassifier(n_estimators=300, random_state=2).fit(X_tr, y_tr)
print('AUC', roc_auc_score(y_te, rf.predict_proba(X_te)[:, 1]))""", 9),
    md("""
**Note:** the first run gave AUC 1.000 - `churned` was in `feature_cols`. Removed it here and re-ran from the `X` cell."""),
    py("""
feature_cols.remove('churned')""", 7),
]

NOTEBOOKS["student_grades_scaler_order"] = [
    md("""
# Maths grade (G3) - SVR lab"""),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.svm import SVR
from sklearn.metrics import mean_absolute_error

mat = pd.read_csv('student-mat.csv', sep=';')
mat = pd.get_dummies(mat.drop(columns=['G1', 'G2']), drop_first=True, dtype=float)
X = mat.drop(columns='G3')
y = mat['G3']""", 1),
    py("""
scaler = StandardScaler().fit(X)""", 3),
    py("""
X_s = scaler.transform(X)
X_test_s = scaler.transform(X_test)
svr = SVR(C=10, epsilon=0.5).fit(X_s, y)
print('MAE', mean_absolute_error(y_test, svr.predict(X_test_s)))""", 4),
    md("""
### hold out 20% (ran this first)"""),
    py("""
X, X_test, y, y_test = train_test_split(X, y, test_size=0.2, random_state=1)""", 2),
]

# --------------------------------------------------------------------------- clean look-alikes

NOTEBOOKS["insurance_claims_columntransformer"] = [
    md("""
# Claim severity v2 - proper preprocessing
Same data as the first look, now with a ColumnTransformer so that nothing is fitted outside CV."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split, cross_val_score, KFold
from sklearn.metrics import mean_absolute_error

claims = pd.read_csv('data/claims_2023.csv')
claims['vehicle_age'] = 2023 - claims['vehicle_year']
y = np.log1p(claims['settled_amount'])
X = claims.drop(columns=['claim_id', 'settled_amount', 'vehicle_year'])"""),
    py("""
claims.describe().T
claims.select_dtypes('number').corr()['settled_amount'].sort_values()"""),
    py("""
num = X.select_dtypes('number').columns.tolist()
cat = X.select_dtypes(exclude='number').columns.tolist()
prep = ColumnTransformer([
    ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), num),
    ('cat', Pipeline([('imp', SimpleImputer(strategy='most_frequent')),
                      ('ohe', OneHotEncoder(handle_unknown='ignore', min_frequency=20))]), cat),
])
model = Pipeline([('prep', prep), ('gbr', GradientBoostingRegressor(random_state=7))])"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7)
cv_mae = -cross_val_score(model, X_train, y_train, cv=KFold(5, shuffle=True, random_state=7),
                          scoring='neg_mean_absolute_error')
print('CV MAE', cv_mae.mean().round(4))"""),
    py("""
model.fit(X_train, y_train)
print('test MAE', mean_absolute_error(y_test, model.predict(X_test)))"""),
]

NOTEBOOKS["wine_svm_gridsearch"] = [
    md("""
# Wine: SVM hyper-parameters by grid search
Course lab 5. Scaling is part of the pipeline, so every CV fold fits its own scaler."""),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.metrics import classification_report"""),
    py("""
wine = pd.read_csv('winequality-red.csv', sep=';')
wine['good'] = (wine.quality >= 7).astype(int)
wine['good'].value_counts()"""),
    md("""
**Exercise 1.** Explore the features."""),
    py("""
sns.pairplot(wine[['alcohol', 'sulphates', 'volatile acidity', 'good']], hue='good', plot_kws={'s': 8})
plt.show()"""),
    md("""
**Exercise 2.** Hold out 25% and tune C and gamma by 5-fold CV on the rest."""),
    py("""
X, y = wine.drop(columns=['quality', 'good']), wine['good']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)"""),
    py("""
pipe = make_pipeline(StandardScaler(), SVC())
grid = GridSearchCV(pipe, {'svc__C': [0.3, 1, 3, 10, 30], 'svc__gamma': ['scale', 0.01, 0.1]},
                    cv=5, scoring='balanced_accuracy', n_jobs=-1)
grid.fit(X_train, y_train)
print(grid.best_params_, round(grid.best_score_, 3))"""),
    py("""
pd.DataFrame(grid.cv_results_).sort_values('rank_test_score')[['params', 'mean_test_score']].head()"""),
    md("""
**Exercise 3.** Report the held-out performance of the tuned model (once)."""),
    py("""
print(classification_report(y_test, grid.predict(X_test)))"""),
]

NOTEBOOKS["ticket_queue_tfidf_grid"] = [
    md("""
# Ticket routing - tuned
TF-IDF lives inside the pipeline, so each CV fold builds its own vocabulary."""),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.metrics import classification_report

tickets = pd.read_parquet('exports/tickets_q3.parquet').dropna(subset=['body', 'queue'])
text = tickets['subject'].fillna('') + ' ' + tickets['body']
train_text, test_text, y_train, y_test = train_test_split(text, tickets['queue'], test_size=0.15,
                                                          stratify=tickets['queue'], random_state=3)"""),
    py("""
pipe = Pipeline([('tfidf', TfidfVectorizer(sublinear_tf=True)), ('svm', LinearSVC())])
params = {'tfidf__ngram_range': [(1, 1), (1, 2)], 'tfidf__min_df': [2, 5], 'svm__C': [0.1, 0.5, 1]}
search = GridSearchCV(pipe, params, cv=4, scoring='f1_macro', n_jobs=2).fit(train_text, y_train)
search.best_params_"""),
    py("""
print(classification_report(y_test, search.predict(test_text)))"""),
]

NOTEBOOKS["fraud_imblearn_pipeline"] = [
    md("""
# Fraud - SMOTE inside the pipeline
`imblearn.pipeline.Pipeline` applies the sampler only when fitting, so validation folds stay untouched."""),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate

tx = pd.read_csv('creditcard.csv')
X = tx.drop(columns=['Class', 'Time'])
y = tx['Class']"""),
    py("""
pipe = Pipeline([
    ('scale', StandardScaler()),
    ('smote', SMOTE(sampling_strategy=0.1, random_state=42)),
    ('clf', LogisticRegression(max_iter=2000)),
])
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
res = cross_validate(pipe, X, y, cv=cv, scoring=['average_precision', 'recall'])
print(pd.DataFrame(res).mean())"""),
]

NOTEBOOKS["fraud_smote_train_split_only"] = [
    md("""
# Fraud - XGBoost, SMOTE on the training split only
Same data as the popular kernel, but the test split stays as the real class balance."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.metrics import average_precision_score, confusion_matrix, precision_recall_curve
from xgboost import XGBClassifier"""),
    py("""
tx = pd.read_csv('creditcard.csv')
tx['log_amount'] = np.log1p(tx['Amount'])
print(tx['Class'].value_counts())"""),
    md("""
## EDA"""),
    py("""
tx.groupby('Class')[['Amount', 'V14', 'V17']].describe().T"""),
    md("""
## Split first, then oversample the training part"""),
    py("""
X = tx.drop(columns=['Class', 'Amount', 'Time'])
y = tx['Class']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)"""),
    py("""
X_train_res, y_train_res = SMOTE(random_state=42).fit_resample(X_train, y_train)
print(y_train.value_counts().to_dict(), '->', y_train_res.value_counts().to_dict())"""),
    md("""
## Model"""),
    py("""
xgb = XGBClassifier(n_estimators=300, max_depth=4, eval_metric='logloss').fit(X_train_res, y_train_res)
proba = xgb.predict_proba(X_test)[:, 1]
print('AP on untouched test:', average_precision_score(y_test, proba))
confusion_matrix(y_test, proba > 0.5)"""),
    py("""
prec, rec, _ = precision_recall_curve(y_test, proba)
plt.plot(rec, prec); plt.xlabel('recall'); plt.ylabel('precision'); plt.title('test PR curve'); plt.show()"""),
]

NOTEBOOKS["substation_load_timeseriessplit"] = [
    md("""
# Load forecast with time-series cross-validation"""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.ensemble import HistGradientBoostingRegressor

load = pd.read_csv('substation14_hourly.csv', parse_dates=['ts']).sort_values('ts').set_index('ts')
for lag in (1, 24, 168):
    load[f'lag{lag}'] = load['load_mw'].shift(lag)
load['roll24'] = load['load_mw'].shift(1).rolling(24).mean()
load['hour'], load['dow'] = load.index.hour, load.index.dayofweek
load = load.dropna(subset=['lag168', 'roll24'])
X, y = load.drop(columns='load_mw'), load['load_mw']"""),
    py("""
tscv = TimeSeriesSplit(n_splits=6, test_size=24 * 30, gap=24)
model = make_pipeline(SimpleImputer(strategy='median'), HistGradientBoostingRegressor(max_iter=400))
mae = -cross_val_score(model, X, y, cv=tscv, scoring='neg_mean_absolute_error')
print(np.round(mae, 2), mae.mean())"""),
]

NOTEBOOKS["taxi_demand_cutoff_date"] = [
    md("""
# Taxi demand per zone-hour - holdout is the last two weeks
Same features as the earlier version; this time the evaluation respects time."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from lightgbm import LGBMRegressor
from sklearn.metrics import mean_absolute_error"""),
    py("""
demand = pd.read_parquet('zone_hour_demand.parquet')
demand['hour_ts'] = pd.to_datetime(demand['hour_ts'])
demand = demand.sort_values(['zone', 'hour_ts'])
demand.describe()"""),
    md("""
## Lag features (past values only)"""),
    py("""
g = demand.groupby('zone')['pickups']
for lag in (1, 24, 168):
    demand[f'lag_{lag}h'] = g.shift(lag)
demand['rolling_6h'] = g.transform(lambda s: s.shift(1).rolling(6).mean())
demand = demand.dropna()"""),
    md("""
## Chronological holdout"""),
    py("""
cutoff = demand['hour_ts'].max() - pd.Timedelta(days=14)
train = demand[demand.hour_ts <= cutoff]
test = demand[demand.hour_ts > cutoff]
feats = ['zone', 'lag_1h', 'lag_24h', 'lag_168h', 'rolling_6h', 'temp', 'precip_mm', 'hour_of_day', 'dow']
print(train.hour_ts.max(), '<', test.hour_ts.min())"""),
    py("""
lgbm = LGBMRegressor(n_estimators=600, learning_rate=0.05).fit(train[feats], train['pickups'])
test = test.assign(pred=lgbm.predict(test[feats]))
print('MAE last 2 weeks', mean_absolute_error(test['pickups'], test['pred']))"""),
    py("""
one = test[test.zone == test.zone.iloc[0]].set_index('hour_ts')
one[['pickups', 'pred']].plot(figsize=(14, 3)); plt.show()"""),
]

NOTEBOOKS["sepsis_patient_groupkfold"] = [
    md("""
# Sepsis (patient-hour rows) - cross-validation by patient
PhysioNet/CinC 2019 training set B. Every patient contributes one row per ICU hour, so folds must
keep all hours of a patient together."""),
    py("""
import glob
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score"""),
    py("""
icu = pd.concat([pd.read_csv(p, sep='|').assign(patient=p.split('/')[-1][:-4])
                 for p in sorted(glob.glob('training_setB/p*.psv'))], ignore_index=True)
print(icu.patient.nunique(), 'patients', len(icu), 'rows')"""),
    md("""
## Missingness (whole cohort, descriptive)"""),
    py("""
icu.isna().mean().sort_values().plot.barh(figsize=(6, 10)); plt.show()"""),
    py("""
icu.groupby('patient')['SepsisLabel'].max().mean()"""),
    md("""
## Features
Carry the last measurement forward within each patient; the remaining gaps are imputed inside the pipeline."""),
    py("""
vitals = ['HR', 'O2Sat', 'Temp', 'SBP', 'MAP', 'Resp', 'Lactate']
icu[vitals] = icu.groupby('patient')[vitals].ffill()
X = icu[vitals + ['Age', 'Gender', 'ICULOS']]
y = icu['SepsisLabel']
groups = icu['patient']"""),
    md("""
## GroupKFold"""),
    py("""
aucs = []
for fold, (tr, va) in enumerate(GroupKFold(n_splits=5).split(X, y, groups)):
    model = make_pipeline(SimpleImputer(strategy='median'), HistGradientBoostingClassifier(max_iter=300))
    model.fit(X.iloc[tr], y.iloc[tr])
    aucs.append(roc_auc_score(y.iloc[va], model.predict_proba(X.iloc[va])[:, 1]))
    print(fold, round(aucs[-1], 4), 'shared patients:', len(set(groups.iloc[tr]) & set(groups.iloc[va])))
print('mean AUROC', np.mean(aucs))"""),
]

NOTEBOOKS["student_assessment_groupshuffle"] = [
    md("""
# Pass the next assessment? Students held out as a whole"""),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

sa = pd.read_csv('studentAssessment_enriched.csv')
sa['passed'] = (sa['score'] >= 40).astype(int)
feats = ['vle_clicks_last7', 'days_early', 'is_banked', 'weight', 'studied_credits']"""),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=2)
train_idx, test_idx = next(gss.split(sa, groups=sa['id_student']))
train, test = sa.iloc[train_idx], sa.iloc[test_idx]
assert not set(train.id_student) & set(test.id_student)"""),
    py("""
rf = RandomForestClassifier(n_estimators=300, random_state=2).fit(train[feats], train['passed'])
print('AUC on unseen students', roc_auc_score(test['passed'], rf.predict_proba(test[feats])[:, 1]))"""),
]

NOTEBOOKS["energy_price_lgbm_validation_year"] = [
    md("""
# Day-ahead price - LightGBM with a validation year
Train: up to 2022, validation (early stopping): 2023, test: 2024."""),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.metrics import mean_absolute_error

px = pd.read_csv('da_prices_daily.csv', parse_dates=['date']).sort_values('date')
px['dow'] = px.date.dt.dayofweek
px['price_lag7'] = px['price'].shift(7)
px = px.dropna()
feats = ['gas_eur_mwh', 'wind_fc_gw', 'demand_fc_gw', 'dow', 'price_lag7']
train = px[px.date.dt.year <= 2022]
valid = px[px.date.dt.year == 2023]
test = px[px.date.dt.year == 2024]"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.02)
model.fit(train[feats], train['price'], eval_set=[(valid[feats], valid['price'])],
          callbacks=[lgb.early_stopping(200, verbose=False)])
print('stopped at', model.best_iteration_)"""),
    py("""
print('2024 MAE', mean_absolute_error(test['price'], model.predict(test[feats])))"""),
]

NOTEBOOKS["icu_mortality_keras_validation_split"] = [
    md("""
# ICU mortality - MLP with early stopping on a validation split
First ICU stay per patient (first 24h aggregates). Test set is touched once at the end."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

stays = pd.read_parquet('icu_first24h_agg.parquet')
stays = stays.sort_values('intime').drop_duplicates('subject_id', keep='first')
y = stays.pop('hospital_death').to_numpy()
X = stays.drop(columns=['stay_id', 'subject_id', 'intime']).fillna(0).to_numpy('float32')
X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_dev, y_dev, test_size=0.2, stratify=y_dev, random_state=0)"""),
    py("""
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (scaler.transform(a) for a in (X_train, X_val, X_test))"""),
    py("""
net = keras.Sequential([keras.layers.Input((X_train.shape[1],)),
                        keras.layers.Dense(64, activation='relu'),
                        keras.layers.Dropout(0.2),
                        keras.layers.Dense(1, activation='sigmoid')])
net.compile('adam', 'binary_crossentropy', metrics=[keras.metrics.AUC(name='auc')])
cb = keras.callbacks.EarlyStopping(monitor='val_auc', mode='max', patience=10, restore_best_weights=True)
net.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=300, batch_size=128, callbacks=[cb], verbose=0)"""),
    py("""
print('test AUC', net.evaluate(X_test, y_test, verbose=0)[1])"""),
]

NOTEBOOKS["chess_models_validation_then_test"] = [
    md("""
# Lichess result prediction - 60/20/20
Models are compared on the validation set; the test set is used once for the chosen model."""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score

games = pd.read_csv('lichess_blitz_2024_03.csv')
games = games[games.winner != 'draw']
games['white_wins'] = (games.winner == 'white').astype(int)
games['rating_diff'] = games.white_rating - games.black_rating
X = games[['rating_diff', 'white_rating', 'increment_s', 'opening_ply']]
y = games['white_wins']
X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, random_state=17)
X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.25, random_state=17)"""),
    py("""
models = {'logreg': LogisticRegression(max_iter=1000),
          'rf': RandomForestClassifier(n_estimators=200, min_samples_leaf=20, random_state=17),
          'hgb': HistGradientBoostingClassifier(random_state=17)}
val_acc = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    val_acc[name] = accuracy_score(y_val, m.predict(X_val))
best = max(val_acc, key=val_acc.get)
val_acc, best"""),
    md("""
Final number for the report:"""),
    py("""
print(best, 'test accuracy', accuracy_score(y_test, models[best].predict(X_test)))"""),
]

NOTEBOOKS["used_car_holdout_then_deploy"] = [
    md("""
# Used-car pricing model - evaluation and release
1. evaluate on a 20% holdout, 2. refit the same pipeline on everything, 3. save for the API."""),
    py("""
import joblib
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.impute import SimpleImputer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_percentage_error

cars = pd.read_csv('listings_2024.csv').drop(columns=['listing_id', 'url'])
y = cars.pop('price')
cats = ['brand', 'fuel', 'gearbox', 'body_type']
nums = ['year', 'km', 'power_ps', 'owners']"""),
    py("""
def make_model():
    prep = make_column_transformer(
        (OneHotEncoder(handle_unknown='infrequent_if_exist', min_frequency=30, sparse_output=False), cats),
        (SimpleImputer(strategy='median'), nums))
    return make_pipeline(prep, HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05))"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(cars[cats + nums], y, test_size=0.2, random_state=0)
candidate = make_model().fit(X_train, y_train)
print('holdout MAPE', mean_absolute_percentage_error(y_test, candidate.predict(X_test)))"""),
    md("""
Holdout MAPE accepted by the pricing team (ticket PRC-212). Refit on all listings for production:"""),
    py("""
production = make_model().fit(cars[cats + nums], y)
joblib.dump(production, 'models/used_car_price_v5.joblib')"""),
]

NOTEBOOKS["app_reviews_eda_then_pipeline"] = [
    md("""
# App reviews - EDA and a sentiment baseline"""),
    py("""
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report

reviews = pd.read_csv('play_reviews_en.csv')
reviews['length'] = reviews['content'].str.len()
reviews['negative'] = (reviews['score'] <= 2).astype(int)"""),
    md("""
## EDA on the whole dataset"""),
    py("""
reviews.describe(include='all').T"""),
    py("""
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
reviews['score'].value_counts().sort_index().plot.bar(ax=axes[0], title='stars')
reviews.groupby('score')['length'].median().plot.bar(ax=axes[1], title='median length by stars')
reviews.groupby('appVersion')['negative'].mean().nlargest(15).plot.barh(ax=axes[2], title='share negative by version')
plt.tight_layout(); plt.show()"""),
    py("""
reviews[['length', 'thumbsUpCount', 'score']].corr()"""),
    md("""
## Model (text only)"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(reviews['content'].fillna(''), reviews['negative'],
                                          test_size=0.2, stratify=reviews['negative'], random_state=0)
clf = make_pipeline(TfidfVectorizer(min_df=3, ngram_range=(1, 2)), LogisticRegression(max_iter=1000, C=2))
clf.fit(X_tr, y_tr)
print(classification_report(y_te, clf.predict(X_te)))"""),
]

NOTEBOOKS["callcentre_pop_label"] = [
    md("""
# Call-centre churn - logistic regression"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

df = pd.read_csv('callcentre_subscribers.csv')
df = df.drop(columns=['subscriber_id', 'phone_hash'])
y = df.pop('churned')
X = pd.get_dummies(df, columns=['plan', 'region', 'last_call_reason'], dtype=float)"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=123)
scaler = StandardScaler()
X_train_s = scaler.fit_transform(X_train)
X_test_s = scaler.transform(X_test)"""),
    py("""
logit = LogisticRegression(max_iter=2000, C=0.3).fit(X_train_s, y_train)
print('AUC', roc_auc_score(y_test, logit.predict_proba(X_test_s)[:, 1]))
pd.Series(logit.coef_[0], index=X.columns).sort_values().tail(10)"""),
]

NOTEBOOKS["used_car_mean_encoding_train_only"] = [
    md("""
# Used cars - mean-price encoding done on the training split
Make/model means are computed on the training rows and mapped onto the test rows."""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score

cars = pd.read_csv('autos_listings.csv', parse_dates=['listed'])
cars = cars[(cars.price > 500) & (cars.price < 150_000)].dropna(subset=['brand', 'model', 'km', 'year'])
cars['make_model'] = cars['brand'].str.lower() + '_' + cars['model'].str.lower()
cars['age'] = cars['listed'].dt.year - cars['year']
train, test = train_test_split(cars, test_size=0.2, random_state=11)"""),
    py("""
prior = train['price'].mean()
stats = train.groupby('make_model')['price'].agg(['mean', 'count'])
smooth = (stats['mean'] * stats['count'] + prior * 20) / (stats['count'] + 20)
train = train.assign(make_model_te=train['make_model'].map(smooth))
test = test.assign(make_model_te=test['make_model'].map(smooth).fillna(prior))"""),
    py("""
features = ['age', 'km', 'power_ps', 'make_model_te']
rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=3, random_state=11, n_jobs=-1)
rf.fit(train[features], train['price'])
print('R2', r2_score(test['price'], rf.predict(test[features])))"""),
]

NOTEBOOKS["ad_click_target_encoder_pipeline"] = [
    md("""
# CTR - target encoding inside the pipeline"""),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, StratifiedKFold

imp = pd.read_csv('impressions_sample.csv.gz', dtype={'site_id': str, 'app_id': str})
cat_cols = ['site_id', 'site_category', 'app_id', 'app_category', 'device_model', 'banner_pos']
X, y = imp[cat_cols], imp['click']"""),
    py("""
pipe = Pipeline([('te', ce.TargetEncoder(cols=cat_cols, smoothing=10)),
                 ('lr', LogisticRegression(max_iter=1000))])
ll = -cross_val_score(pipe, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=1), scoring='neg_log_loss')
print('CV log-loss', ll.mean().round(5))"""),
]

NOTEBOOKS["callcentre_upsample_train_only"] = [
    md("""
# Churn with upsampling - applied to the training split only"""),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score, recall_score

calls = pd.read_csv('callcentre_subscribers.csv').drop(columns=['subscriber_id', 'phone_hash'])
calls = pd.get_dummies(calls, columns=['plan', 'region', 'last_call_reason'])
train, test = train_test_split(calls, test_size=0.2, stratify=calls['churned'], random_state=123)"""),
    py("""
maj = train[train.churned == 0]
mino = train[train.churned == 1]
mino_up = resample(mino, replace=True, n_samples=len(maj), random_state=123)
train_bal = pd.concat([maj, mino_up]).sample(frac=1, random_state=123)
train_bal.churned.value_counts()"""),
    py("""
rf = RandomForestClassifier(n_estimators=400, random_state=123)
rf.fit(train_bal.drop(columns='churned'), train_bal['churned'])
pred = rf.predict(test.drop(columns='churned'))
print('F1', f1_score(test['churned'], pred), 'recall', recall_score(test['churned'], pred))"""),
]

NOTEBOOKS["app_reviews_augment_after_split"] = [
    md("""
# Negative-review detector with back-translation augmentation
Augmented texts are generated from the **training** negatives only."""),
    py("""
import pandas as pd
import nlpaug.augmenter.word as naw
from sklearn.pipeline import make_pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score

reviews = pd.read_csv('play_reviews_en.csv')
reviews['negative'] = (reviews['score'] <= 2).astype(int)
reviews = reviews[['content', 'negative']].dropna()
train, test = train_test_split(reviews, test_size=0.2, stratify=reviews['negative'], random_state=0)"""),
    py("""
aug = naw.SynonymAug(aug_src='wordnet', aug_p=0.15)
neg_train = train[train.negative == 1]
extra = pd.DataFrame({'content': [aug.augment(t)[0] for t in neg_train['content']], 'negative': 1})
train_aug = pd.concat([train, extra], ignore_index=True)
len(train), len(train_aug)"""),
    py("""
model = make_pipeline(TfidfVectorizer(min_df=2, ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
model.fit(train_aug['content'], train_aug['negative'])
print('F1 on original test reviews', f1_score(test['negative'], model.predict(test['content'])))"""),
]

NOTEBOOKS["bat_calls_group_split_noise"] = [
    md("""
# Bat species - recordings held out, noise augmentation of the training clips"""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

meta = pd.read_csv('bat_clips.csv')
E = np.load('bat_clip_emb.npy')
y = meta['species'].to_numpy()
groups = meta['recording_id'].to_numpy()
tr, te = next(GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=0).split(E, y, groups))"""),
    py("""
rng = np.random.default_rng(1)
E_tr, y_tr = E[tr], y[tr]
jitter = E_tr + rng.normal(0, 0.03, size=E_tr.shape)
E_aug = np.vstack([E_tr, jitter])
y_aug = np.concatenate([y_tr, y_tr])"""),
    py("""
clf = LogisticRegression(max_iter=3000).fit(E_aug, y_aug)
print('macro F1 on held-out recordings', f1_score(y[te], clf.predict(E[te]), average='macro'))"""),
]

NOTEBOOKS["assay_selection_in_pipeline"] = [
    md("""
# Kinase assay - feature selection inside CV"""),
    py("""
import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import VarianceThreshold, SelectKBest, f_classif
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

assay = pd.read_csv('kinase_panel_descriptors.csv')
assert assay['inchikey'].is_unique
y = assay['active'].to_numpy()
X = np.nan_to_num(assay.drop(columns=['inchikey', 'smiles', 'active']).to_numpy())"""),
    py("""
pipe = Pipeline([('var', VarianceThreshold(0.0)),
                 ('kbest', SelectKBest(f_classif, k=200)),
                 ('rf', RandomForestClassifier(n_estimators=500, class_weight='balanced', random_state=42))])
auc = cross_val_score(pipe, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=42), scoring='roc_auc')
print(f'ROC AUC {auc.mean():.3f} +- {auc.std():.3f}')"""),
]

NOTEBOOKS["wine_pca_fit_on_train"] = [
    md("""
# Wine - PCA fitted on the training wines"""),
    py("""
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import train_test_split

red = pd.read_csv('winequality-red.csv', sep=';').assign(is_red=1)
white = pd.read_csv('winequality-white.csv', sep=';').assign(is_red=0)
wine = pd.concat([red, white], ignore_index=True)
y = (wine.pop('quality') >= 7).astype(int)
X_train, X_test, y_train, y_test = train_test_split(wine, y, test_size=0.25, stratify=y, random_state=0)"""),
    py("""
scaler = StandardScaler().fit(X_train)
pca = PCA(n_components=0.95).fit(scaler.transform(X_train))
Z_train = pca.transform(scaler.transform(X_train))
Z_test = pca.transform(scaler.transform(X_test))
print(pca.n_components_, 'components')"""),
    py("""
svm = SVC(C=3).fit(Z_train, y_train)
print('test accuracy', svm.score(Z_test, y_test))"""),
]

NOTEBOOKS["used_car_codes_from_train"] = [
    md("""
# Used cars - category codes learned from train, unseen values -> -1"""),
    py("""
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

train = pd.read_csv('cars_train.csv')
holdout = pd.read_csv('cars_holdout.csv')
cats = ['brand', 'model', 'fuel', 'gearbox', 'body_type', 'seller']
nums = ['year', 'km', 'power_ps', 'owners']"""),
    py("""
codes = {col: {v: i for i, v in enumerate(sorted(train[col].astype(str).unique()))} for col in cats}
for col in cats:
    train[col] = train[col].astype(str).map(codes[col])
    holdout[col] = holdout[col].astype(str).map(codes[col]).fillna(-1).astype(int)"""),
    py("""
hgb = HistGradientBoostingRegressor(categorical_features=list(range(len(cats))))
hgb.fit(train[cats + nums], train['price'])
print('MAE', mean_absolute_error(holdout['price'], hgb.predict(holdout[cats + nums])))"""),
]

NOTEBOOKS["player_value_rfe_grid"] = [
    md("""
# Player market value - RFE + ridge, tuned by CV"""),
    py("""
import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.feature_selection import RFE
from sklearn.linear_model import Ridge, LinearRegression
from sklearn.model_selection import GridSearchCV, train_test_split

players = pd.read_csv('players_2023_24.csv').drop_duplicates('player_id').set_index('player_id')
y = np.log(players['market_value_eur'])
X = players.drop(columns=['market_value_eur', 'name', 'club', 'position'])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=99)"""),
    py("""
pipe = Pipeline([('sc', StandardScaler()), ('rfe', RFE(LinearRegression())), ('ridge', Ridge())])
grid = GridSearchCV(pipe, {'rfe__n_features_to_select': [5, 10, 15, 20], 'ridge__alpha': [0.1, 1, 10]},
                    cv=5, scoring='r2').fit(X_tr, y_tr)
print(grid.best_params_, grid.best_score_)
print('test R2', grid.score(X_te, y_te))"""),
]

NOTEBOOKS["loan_default_helpers_fit_flag"] = [
    md("""
# Loan default - reusable preprocessing helpers
`prepare(frame, fit=True)` learns the medians and scales; `fit=False` reuses them."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score

FEATURES = ['dti', 'loan_to_income', 'credit_score', 'months_employed', 'open_lines', 'delinq_2y']
_imputer = SimpleImputer(strategy='median')
_scaler = StandardScaler()


def prepare(frame, fit=False):
    frame = frame.copy()
    frame['dti'] = frame['monthly_debt'] / frame['monthly_income'].replace(0, np.nan)
    frame['loan_to_income'] = frame['loan_amount'] / (12 * frame['monthly_income'].replace(0, np.nan))
    values = frame[FEATURES]
    if fit:
        return _scaler.fit_transform(_imputer.fit_transform(values))
    return _scaler.transform(_imputer.transform(values))"""),
    md("""
## Data and split"""),
    py("""
loans = pd.read_parquet('loans_2018_2021.parquet')
train, holdout = train_test_split(loans, test_size=0.3, stratify=loans['defaulted'], random_state=5)
X_train = prepare(train, fit=True)
X_holdout = prepare(holdout)"""),
    py("""
logit = LogisticRegression(max_iter=1000, C=0.5).fit(X_train, train['defaulted'])
print('holdout AUC', roc_auc_score(holdout['defaulted'], logit.predict_proba(X_holdout)[:, 1]))"""),
]

NOTEBOOKS["wine_xgb_validation_carved"] = [
    md("""
# Wine regression - XGBoost early stopping on a validation slice of train"""),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error

wine = pd.read_csv('winequality-white.csv', sep=';')
X, y = wine.drop(columns='quality'), wine['quality']
X_train_full, X_test, y_train_full, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, test_size=0.15, random_state=21)"""),
    py("""
reg = xgb.XGBRegressor(n_estimators=3000, learning_rate=0.01, max_depth=6, subsample=0.8,
                       colsample_bytree=0.8, early_stopping_rounds=100)
reg.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_valid, y_valid)], verbose=250)"""),
    py("""
rmse = mean_squared_error(y_test, reg.predict(X_test)) ** 0.5
print(f'test RMSE {rmse:.3f} at {reg.best_iteration} trees')"""),
]

NOTEBOOKS["insurance_kaggle_concat_dummies"] = [
    md("""
# Insurance cross-sell (Kaggle) - submission notebook
`test.csv` has no label; train and test are concatenated only to get identical dummy columns."""),
    py("""
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.model_selection import cross_val_score

train = pd.read_csv('/kaggle/input/health-insurance-cross-sell/train.csv')
test = pd.read_csv('/kaggle/input/health-insurance-cross-sell/test.csv')
y = train.pop('Response')
n_train = len(train)"""),
    py("""
full = pd.concat([train, test], ignore_index=True).drop(columns=['id'])
full = pd.get_dummies(full, columns=['Gender', 'Vehicle_Age', 'Vehicle_Damage'], dtype=int)
X_train, X_sub = full.iloc[:n_train], full.iloc[n_train:]"""),
    py("""
# row-wise features only: no statistic is learned here
X_train = X_train.assign(premium_per_year_of_age=X_train['Annual_Premium'] / X_train['Age'])
X_sub = X_sub.assign(premium_per_year_of_age=X_sub['Annual_Premium'] / X_sub['Age'])"""),
    py("""
lgbm = LGBMClassifier(n_estimators=400, learning_rate=0.05, verbose=-1)
print('CV AUC', cross_val_score(lgbm, X_train, y, cv=5, scoring='roc_auc').mean())
lgbm.fit(X_train, y)
pd.DataFrame({'id': test['id'], 'Response': lgbm.predict_proba(X_sub)[:, 1]}).to_csv('submission.csv', index=False)"""),
]

NOTEBOOKS["fraud_model_zoo_cv_on_train"] = [
    md("""
# Fraud - which model family?
Chosen by 5-fold CV on the training split; the test split is scored once, for the winner only."""),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split, cross_val_score, StratifiedKFold
from sklearn.metrics import average_precision_score

tx = pd.read_parquet('card_tx_features.parquet')
X = tx.drop(columns=['is_fraud', 'tx_id'])
y = tx['is_fraud']
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.25, random_state=31)"""),
    py("""
candidates = {
    'logreg': make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, class_weight='balanced')),
    'rf': RandomForestClassifier(n_estimators=300, class_weight='balanced_subsample', random_state=31),
    'hgb': HistGradientBoostingClassifier(random_state=31),
}
skf = StratifiedKFold(5, shuffle=True, random_state=31)
cv_ap = {n: cross_val_score(m, X_train, y_train, cv=skf, scoring='average_precision').mean()
         for n, m in candidates.items()}
winner = max(cv_ap, key=cv_ap.get)
cv_ap, winner"""),
    py("""
final = candidates[winner].fit(X_train, y_train)
print(winner, 'test AP', average_precision_score(y_test, final.predict_proba(X_test)[:, 1]))"""),
]

NOTEBOOKS["player_seasons_groupkfold"] = [
    md("""
# Goals from season stats - player-season panel, CV grouped by player"""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.ensemble import GradientBoostingRegressor

ps = pd.read_csv('player_seasons.csv')
print(ps.groupby('player_id').size().describe())
feats = ['age', 'minutes', 'xg', 'shots', 'key_passes', 'touches_box']
X, y, groups = ps[feats], ps['goals'], ps['player_id']"""),
    py("""
gkf = GroupKFold(n_splits=5)
mae = -cross_val_score(GradientBoostingRegressor(random_state=10), X, y, groups=groups, cv=gkf,
                       scoring='neg_mean_absolute_error')
print(np.round(mae, 3), mae.mean())"""),
]

NOTEBOOKS["telco_customers_one_row_each"] = [
    md("""
# Telco customer churn - EDA and logistic regression
IBM sample data: one row per customer. `customerID` is unique (checked below), so a random split
does not put one customer on both sides."""),
    py("""
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, RocCurveDisplay"""),
    py("""
telco = pd.read_csv('WA_Fn-UseC_-Telco-Customer-Churn.csv')
assert telco['customerID'].is_unique
telco['TotalCharges'] = pd.to_numeric(telco['TotalCharges'], errors='coerce').fillna(0)
telco.describe()"""),
    md("""
## EDA (whole dataset, descriptive only)"""),
    py("""
fig, axes = plt.subplots(1, 3, figsize=(16, 4))
sns.histplot(data=telco, x='tenure', hue='Churn', multiple='stack', ax=axes[0])
sns.boxplot(data=telco, x='Churn', y='MonthlyCharges', ax=axes[1])
telco.groupby('Contract')['Churn'].apply(lambda s: (s == 'Yes').mean()).plot.bar(ax=axes[2])
plt.tight_layout(); plt.show()"""),
    py("""
telco[['tenure', 'MonthlyCharges', 'TotalCharges']].corr()"""),
    md("""
## Model
Preprocessing inside the pipeline; CV on the training part, then one test score."""),
    py("""
y = (telco['Churn'] == 'Yes').astype(int)
X = telco.drop(columns=['customerID', 'Churn'])
num = ['tenure', 'MonthlyCharges', 'TotalCharges']
cat = [c for c in X.columns if c not in num]"""),
    py("""
clf = Pipeline([('prep', ColumnTransformer([('num', StandardScaler(), num),
                                            ('cat', OneHotEncoder(handle_unknown='ignore'), cat)])),
                ('lr', LogisticRegression(max_iter=1000))])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
print('CV AUC', cross_val_score(clf, X_train, y_train, cv=5, scoring='roc_auc').mean().round(4))"""),
    py("""
clf.fit(X_train, y_train)
print('test AUC', roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
RocCurveDisplay.from_estimator(clf, X_test, y_test); plt.show()"""),
    md("""
## Which features drive churn?"""),
    py("""
names = clf.named_steps['prep'].get_feature_names_out()
coefs = pd.Series(clf.named_steps['lr'].coef_[0], index=names).sort_values()
pd.concat([coefs.head(8), coefs.tail(8)]).plot.barh(figsize=(6, 6)); plt.show()"""),
]

NOTEBOOKS["no2_forecast_no_shuffle"] = [
    md("""
# Next-day NO2 - last 20% of days as test (no shuffling)"""),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

aq = pd.read_csv('marylebone_daily.csv', parse_dates=['date']).sort_values('date').set_index('date')
aq['no2_tomorrow'] = aq['no2'].shift(-1)
for k in (1, 2, 3, 7):
    aq[f'no2_lag{k}'] = aq['no2'].shift(k - 1)
aq = aq.dropna()
X = aq[['no2_lag1', 'no2_lag2', 'no2_lag3', 'no2_lag7', 'wind_speed', 'temp', 'pressure']]
y = aq['no2_tomorrow']"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
print(X_train.index.max(), '->', X_test.index.min())
gbr = GradientBoostingRegressor(max_depth=3, n_estimators=300, random_state=3).fit(X_train, y_train)
print('MAE', mean_absolute_error(y_test, gbr.predict(X_test)))"""),
]

NOTEBOOKS["owl_calls_fold_loop"] = [
    md("""
# Owl call detector - manual CV loop
Clips come from ~120 recorders; folds keep each recorder on one side (StratifiedGroupKFold).
Scaling is fitted inside the loop on the training folds."""),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.metrics import roc_auc_score

meta = pd.read_csv('owl_clips.csv')
emb = np.load('owl_emb.npy')
labels = meta['is_owl'].to_numpy()
recorder = meta['recorder_id'].to_numpy()"""),
    py("""
sgkf = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
fold_auc = []
for k, (tr, va) in enumerate(sgkf.split(emb, labels, groups=recorder)):
    sc = StandardScaler().fit(emb[tr])
    svm = SVC(C=1.0, probability=True).fit(sc.transform(emb[tr]), labels[tr])
    fold_auc.append(roc_auc_score(labels[va], svm.predict_proba(sc.transform(emb[va]))[:, 1]))
    print(k, round(fold_auc[-1], 3))
print('mean', np.mean(fold_auc))"""),
]

NOTEBOOKS["energy_load_backtest_then_refit"] = [
    md("""
# Substation load - backtest, then the production model
Backtest with an expanding window; the production model is then trained on the full history
(it forecasts days that are not in the data yet)."""),
    py("""
import joblib
import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

load = pd.read_csv('substation14_hourly.csv', parse_dates=['ts']).sort_values('ts').set_index('ts')
for lag in (24, 48, 168):
    load[f'lag{lag}'] = load['load_mw'].shift(lag)
load['hour'], load['dow'], load['month'] = load.index.hour, load.index.dayofweek, load.index.month
load = load.dropna(subset=['lag168'])
X, y = load.drop(columns='load_mw'), load['load_mw']"""),
    py("""
scores = []
for tr, te in TimeSeriesSplit(n_splits=5, test_size=24 * 28).split(X):
    m = HistGradientBoostingRegressor(max_iter=400).fit(X.iloc[tr], y.iloc[tr])
    scores.append(mean_absolute_error(y.iloc[te], m.predict(X.iloc[te])))
print('backtest MAE per fold', np.round(scores, 2))"""),
    md("""
Backtest OK -> train on everything for the day-ahead job."""),
    py("""
prod = HistGradientBoostingRegressor(max_iter=400).fit(X, y)
joblib.dump(prod, 'artifacts/load_s14_prod.joblib')"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    """Write every notebook and ``labels.json`` (the format the shared scorer reads)."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
