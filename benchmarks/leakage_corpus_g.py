"""Held-out corpus G for the code-level leakage check: realistic notebooks written blind.

Written without reading the detector's source, its tests, its documentation or the other corpora
(only corpus D's small framework shape was seen): 76 notebooks in the style of Kaggle kernels,
course labs and analytics-team reports, on domains no earlier corpus uses (shipping delays,
library loans, veterinary records, speech emotion, traffic cameras, semiconductor wafers, recipe
ratings, hotel review text, bakery stock, earthquake aftershocks, online courses, dental x-ray
embeddings, marathon splits, beehives, pharmacy sales, podcasts, shelter dogs, keystroke dynamics,
sleep studies, EEG, ferries, coffee roasting, steel plates, fish markets, laptops, mobile networks,
warehouses, museum visitors, water pipes, support e-mails, ski resorts, perfume reviews, vinyl
prices, gyms, plant leaves, bird counts, telecom churn, cinema tickets, tyre wear). Styles:
EDA-heavy kernels, helper functions defined in one cell and used later, method chains, numpy
arrays, ``pd.concat``, comprehensions over models, fold loops, ``eval_set=`` /
``validation_data=`` early stopping, target encoding by hand, TF-IDF, PCA, feature selection,
SMOTE and manual upsampling, lags and rolling windows, and entity groups. Some notebooks were executed out of display order (their execution
counts say so): a few leak only because of that order, a few look leaky on the page but are clean
in the order they ran. 38 notebooks leak (three of them twice: 41 labels); 38 are clean
look-alikes.

Each leak is marked in the source below by a trailing ``#@ RULE | why`` comment on the first line
of the leaking statement; the marker is stripped before the notebook is written, and its cell index
(markdown included) and 1-based line become the label. Code cells get execution counts in display
order unless a spec gives an explicit count (third tuple element).

    python benchmarks/leakage_corpus_g.py [DIR]
"""

# Notebook sources below are kept as written in a notebook (long lines included):
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

from leakage_corpus_kit import Spec, main, md, py
from leakage_corpus_kit import build as build_corpus

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "leakage-corpus-g"

NOTEBOOKS: dict[str, list[Spec]] = {}

# --- 1. shipping delays: scaler on everything before the split (leak) -------------------------
NOTEBOOKS["shipping_delay_kernel"] = [
    md("# Will my parcel be late?\nKaggle *E-commerce shipping* data. EDA first, then a few models."),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
"""),
    py("""
ship = pd.read_csv('../input/ecommerce-shipping/Train.csv')
ship.head()
"""),
    py("""
ship.describe().T
"""),
    py("""
fig, ax = plt.subplots(1, 2, figsize=(12, 4))
sns.countplot(x='Mode_of_Shipment', hue='Reached.on.Time_Y.N', data=ship, ax=ax[0])
sns.boxplot(x='Reached.on.Time_Y.N', y='Discount_offered', data=ship, ax=ax[1])
plt.show()
"""),
    md("## Feature engineering"),
    py("""
ship = ship.drop(columns=['ID'])
ship = pd.get_dummies(ship, columns=['Warehouse_block', 'Mode_of_Shipment', 'Product_importance', 'Gender'], drop_first=True)
y = ship['Reached.on.Time_Y.N']
X = ship.drop('Reached.on.Time_Y.N', axis=1)
"""),
    py("""
sc = StandardScaler()
X_scaled = sc.fit_transform(X)  #@ LEAK-PREPROCESSING | scaler fitted on all rows before the split
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.25, random_state=7)
"""),
    py("""
models = {'logreg': LogisticRegression(max_iter=500), 'rf': RandomForestClassifier(n_estimators=300, random_state=7)}
for name, m in models.items():
    m.fit(X_train, y_train)
    pred = m.predict(X_test)
    print(f'{name}: acc={accuracy_score(y_test, pred):.3f} f1={f1_score(y_test, pred):.3f}')
"""),
]

# --- 2. shipping delays, course-lab style: pipeline in CV (clean) ----------------------------
NOTEBOOKS["shipping_lab_week4"] = [
    md("# Lab 4 — pipelines\nThis week we redo last week's model properly."),
    py("""
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, StratifiedKFold
"""),
    py("""
df = pd.read_csv('data/shipping.csv').drop(columns='ID')
target = 'Reached.on.Time_Y.N'
X, y = df.drop(columns=target), df[target]
num_cols = X.select_dtypes('number').columns.tolist()
cat_cols = X.select_dtypes('object').columns.tolist()
"""),
    md("**Task 1.** Build the preprocessing with `make_column_transformer` and put it *inside* the pipeline."),
    py("""
pre = make_column_transformer((StandardScaler(), num_cols), (OneHotEncoder(handle_unknown='ignore'), cat_cols))
clf = make_pipeline(pre, LogisticRegression(max_iter=1000))
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_val_score(clf, X, y, cv=cv, scoring='roc_auc')
print(scores.mean().round(3), scores.std().round(3))
"""),
    md("**Task 2.** What happens if the scaler is outside? Discuss in the report (no code needed)."),
]

# --- 3. library loans: TF-IDF fitted on all titles (leak) --------------------------------------
NOTEBOOKS["library_genre_from_title"] = [
    md("# Predicting genre shelf from title + blurb\nCity library catalogue export."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC
from sklearn.metrics import classification_report
"""),
    py("""
cat = pd.read_parquet('catalogue_2023.parquet')
cat = cat.dropna(subset=['blurb'])
cat['text'] = cat['title'].str.lower() + ' ' + cat['blurb'].str.lower()
cat['shelf'].value_counts().head(15)
"""),
    py("""
tfidf = TfidfVectorizer(min_df=3, ngram_range=(1, 2), sublinear_tf=True)
X = tfidf.fit_transform(cat['text'])  #@ LEAK-PREPROCESSING | vocabulary and idf learned from test blurbs too
y = cat['shelf']
"""),
    py("""
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
svm = LinearSVC(C=0.5).fit(X_tr, y_tr)
print(classification_report(y_te, svm.predict(X_te)))
"""),
]

# --- 4. library loans: split then vectorise (clean) --------------------------------------------
NOTEBOOKS["library_genre_v2"] = [
    md("# Shelf classifier v2\nSame data, vectoriser now fitted on the training titles only."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import f1_score
cat = pd.read_parquet('catalogue_2023.parquet').dropna(subset=['blurb'])
docs = (cat['title'] + ' ' + cat['blurb']).str.lower()
"""),
    py("""
docs_tr, docs_te, y_tr, y_te = train_test_split(docs, cat['shelf'], test_size=0.2, random_state=1, stratify=cat['shelf'])
vec = TfidfVectorizer(min_df=3, ngram_range=(1, 2))
Xtr = vec.fit_transform(docs_tr)
Xte = vec.transform(docs_te)
"""),
    py("""
sgd = SGDClassifier(loss='modified_huber', alpha=1e-5, random_state=1).fit(Xtr, y_tr)
print('macro F1', f1_score(y_te, sgd.predict(Xte), average='macro'))
"""),
    py("""
# whole-catalogue word counts for the slide deck only
vec_all = TfidfVectorizer(max_features=30, stop_words='english')
vec_all.fit(docs)
print(vec_all.get_feature_names_out())
"""),
]

# --- 5. library loans daily counts: random split of a time series (leak) ----------------------
NOTEBOOKS["branch_loans_forecast"] = [
    md("# Daily loans per branch\nForecast tomorrow's loans from lags."),
    py("""
import pandas as pd
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
loans = pd.read_csv('daily_loans.csv', parse_dates=['date']).sort_values('date')
loans = loans[loans.branch == 'Central'].set_index('date')
"""),
    py("""
for lag in (1, 2, 7, 14):
    loans[f'lag_{lag}'] = loans['loans'].shift(lag)
loans['roll7'] = loans['loans'].shift(1).rolling(7).mean()
loans['dow'] = loans.index.dayofweek
loans = loans.dropna()
feats = [c for c in loans.columns if c.startswith(('lag_', 'roll')) or c == 'dow']
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(loans[feats], loans['loans'], test_size=0.2, random_state=42)  #@ LEAK-TEMPORAL-SPLIT | shuffled split of a daily series
gbr = GradientBoostingRegressor().fit(X_train, y_train)
print('MAE', mean_absolute_error(y_test, gbr.predict(X_test)))
"""),
]

# --- 6. library loans: chronological cut (clean) -----------------------------------------------
NOTEBOOKS["branch_loans_backtest"] = [
    md("# Loans backtest\nLast 60 days held out."),
    py("""
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
loans = pd.read_csv('daily_loans.csv', parse_dates=['date']).sort_values('date')
loans = loans.groupby('date', as_index=False)['loans'].sum()
for lag in (1, 7, 28):
    loans[f'lag{lag}'] = loans['loans'].shift(lag)
loans = loans.dropna().reset_index(drop=True)
"""),
    py("""
cutoff = loans['date'].max() - pd.Timedelta(days=60)
train = loans[loans['date'] <= cutoff]
test = loans[loans['date'] > cutoff]
features = ['lag1', 'lag7', 'lag28']
model = HistGradientBoostingRegressor(max_iter=200).fit(train[features], train['loans'])
print(mean_absolute_error(test['loans'], model.predict(test[features])))
"""),
]

# --- 7. veterinary records: random split with repeat visits of the same animal (leak) ---------
NOTEBOOKS["vet_visit_outcome"] = [
    md("# Will the visit need a follow-up?\nOne row per visit; many pets come back several times. The model goes to clinics joining the network next year, so it will only see new pets."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
visits = pd.read_csv('clinic_visits.csv')
print(visits.shape, visits['pet_id'].nunique())
"""),
    py("""
X = visits[['age_months', 'weight_kg', 'species_cat', 'temp_c', 'heart_rate', 'n_prev_visits']]
y = visits['followup']
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=3)  #@ LEAK-GROUP-SPLIT | same pet's visits on both sides
rf = RandomForestClassifier(n_estimators=400, min_samples_leaf=3, random_state=3).fit(Xtr, ytr)
print(roc_auc_score(yte, rf.predict_proba(Xte)[:, 1]))
"""),
]

# --- 8. veterinary: GroupShuffleSplit by pet (clean) -------------------------------------------
NOTEBOOKS["vet_visit_grouped"] = [
    md("# Follow-up model, grouped by pet"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
visits = pd.read_csv('clinic_visits.csv')
feats = ['age_months', 'weight_kg', 'species_cat', 'temp_c', 'heart_rate', 'n_prev_visits']
"""),
    py("""
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=3)
tr_idx, te_idx = next(gss.split(visits, visits['followup'], groups=visits['pet_id']))
tr, te = visits.iloc[tr_idx], visits.iloc[te_idx]
assert not set(tr.pet_id) & set(te.pet_id)
rf = RandomForestClassifier(n_estimators=400, random_state=3).fit(tr[feats], tr['followup'])
print(roc_auc_score(te['followup'], rf.predict_proba(te[feats])[:, 1]))
"""),
]

# --- 9. speech emotion: augmentation before the split (leak) -----------------------------------
NOTEBOOKS["speech_emotion_mfcc"] = [
    md("# Speech emotion recognition (RAVDESS-like)\nMFCC means + augmentation with noise and pitch shift."),
    py("""
import numpy as np
import pandas as pd
import librosa
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.neural_network import MLPClassifier
"""),
    py("""
def extract(y, sr):
    return np.mean(librosa.feature.mfcc(y=y, sr=sr, n_mfcc=40).T, axis=0)

def noise(y):
    return y + 0.005 * np.random.randn(len(y))

def pitch(y, sr):
    return librosa.effects.pitch_shift(y, sr=sr, n_steps=2)
"""),
    py("""
meta = pd.read_csv('ravdess_index.csv')
X, Y = [], []
for path, emo in zip(meta.path, meta.emotion):
    sig, sr = librosa.load(path, duration=2.5, offset=0.6)
    X.append(extract(sig, sr)); Y.append(emo)
    X += [extract(noise(sig), sr), extract(pitch(sig, sr), sr)]  #@ LEAK-OVERLAP | augmented copies of each clip created before the split
    Y += [emo, emo]
X = np.array(X)
y = LabelEncoder().fit_transform(Y)
"""),
    py("""
x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, shuffle=True)
mlp = MLPClassifier(hidden_layer_sizes=(256, 128), max_iter=400, random_state=0).fit(x_train, y_train)
print('test acc', mlp.score(x_test, y_test))
"""),
]

# --- 10. speech emotion: augment only the training clips, group by actor (clean) --------------
NOTEBOOKS["speech_emotion_actor_split"] = [
    md("# SER, speaker-independent\nActors 1-20 train, 21-24 test. Augmentation only on the training clips."),
    py("""
import numpy as np
import pandas as pd
import librosa
from sklearn.svm import SVC
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
meta = pd.read_csv('ravdess_index.csv')
"""),
    py("""
def feats(sig, sr):
    return np.mean(librosa.feature.mfcc(y=sig, sr=sr, n_mfcc=40).T, axis=0)

train_meta = meta[meta.actor <= 20]
test_meta = meta[meta.actor > 20]
Xtr, ytr = [], []
for p, e in zip(train_meta.path, train_meta.emotion):
    s, sr = librosa.load(p, duration=2.5, offset=0.6)
    Xtr += [feats(s, sr), feats(s + 0.005 * np.random.randn(len(s)), sr)]
    ytr += [e, e]
Xte = [feats(*librosa.load(p, duration=2.5, offset=0.6)) for p in test_meta.path]
yte = test_meta.emotion.tolist()
"""),
    py("""
clf = make_pipeline(StandardScaler(), SVC(C=10, gamma='scale'))
clf.fit(np.array(Xtr), ytr)
print('speaker-independent acc', clf.score(np.array(Xte), yte))
"""),
]

# --- 11. traffic cameras: early stopping on the test set (leak) --------------------------------
NOTEBOOKS["traffic_camera_counts_lgbm"] = [
    md("# Vehicle counts per camera-hour\nLightGBM on camera metadata + weather."),
    py("""
import pandas as pd
import lightgbm as lgb
from sklearn.metrics import mean_squared_error
cams = pd.read_parquet('camera_hourly.parquet').sort_values('ts')
cams['hour'] = cams.ts.dt.hour
cams['dow'] = cams.ts.dt.dayofweek
"""),
    py("""
split_ts = cams.ts.quantile(0.8)
train, test = cams[cams.ts < split_ts], cams[cams.ts >= split_ts]
FEATS = ['camera_id', 'hour', 'dow', 'rain_mm', 'temp_c', 'lanes', 'is_holiday']
"""),
    py("""
model = lgb.LGBMRegressor(n_estimators=5000, learning_rate=0.03, num_leaves=63)
model.fit(train[FEATS], train['vehicles'], eval_set=[(test[FEATS], test['vehicles'])],  #@ LEAK-MULTI-TEST | early stopping watches the test set
          callbacks=[lgb.early_stopping(100), lgb.log_evaluation(200)])
rmse = mean_squared_error(test['vehicles'], model.predict(test[FEATS])) ** 0.5
print('test RMSE', rmse)
"""),
]

# --- 12. traffic cameras: early stopping on a validation slice of train (clean) --------------
NOTEBOOKS["traffic_camera_counts_v2"] = [
    md("# Vehicle counts — proper validation\nTrain / valid / test in time order; early stopping on valid."),
    py("""
import pandas as pd
import xgboost as xgb
from sklearn.metrics import mean_absolute_error
cams = pd.read_parquet('camera_hourly.parquet').sort_values('ts')
cams['hour'] = cams.ts.dt.hour
FEATS = ['camera_id', 'hour', 'rain_mm', 'temp_c', 'lanes', 'is_holiday']
n = len(cams)
train = cams.iloc[: int(n * 0.7)]
valid = cams.iloc[int(n * 0.7): int(n * 0.85)]
test = cams.iloc[int(n * 0.85):]
"""),
    py("""
reg = xgb.XGBRegressor(n_estimators=3000, learning_rate=0.05, max_depth=8, early_stopping_rounds=50)
reg.fit(train[FEATS], train['vehicles'], eval_set=[(valid[FEATS], valid['vehicles'])], verbose=False)
print('best iteration', reg.best_iteration)
print('test MAE', mean_absolute_error(test['vehicles'], reg.predict(test[FEATS])))
"""),
]
# --- 13. semiconductor wafers: SMOTE before the split + selection on all rows (two leaks) ----
NOTEBOOKS["wafer_fail_secom"] = [
    md("# SECOM wafer pass/fail\n590 sensor columns, ~6.6% fails. Lots of missing values."),
    py("""
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score, confusion_matrix
from imblearn.over_sampling import SMOTE
"""),
    py("""
secom = pd.read_csv('secom.data', sep=' ', header=None)
labels = pd.read_csv('secom_labels.data', sep=' ', header=None)[0].map({-1: 0, 1: 1})
secom = secom.loc[:, secom.isna().mean() < 0.5]
secom.shape
"""),
    md("## A look at the sensors"),
    py("""
labels.value_counts()
"""),
    py("""
secom.isna().mean().sort_values(ascending=False).head(20).plot(kind='bar', figsize=(12, 3))
"""),
    py("""
corr = secom.corrwith(labels).abs().sort_values(ascending=False)
corr.head(10)
"""),
    md("## Preprocessing"),
    md("Impute with the median, then balance the classes with SMOTE."),
    py("""
imp = SimpleImputer(strategy='median')
Xi = imp.fit_transform(secom)  #@ LEAK-PREPROCESSING | imputer medians computed on all wafers, test included
print(np.isnan(Xi).sum())
"""),
    py("""
X_res, y_res = SMOTE(random_state=11).fit_resample(Xi, labels)  #@ LEAK-OVERLAP | synthetic fails interpolated from rows that end up in the test set
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.3, random_state=11)
"""),
    py("""
rf = RandomForestClassifier(n_estimators=500, class_weight='balanced', random_state=11).fit(X_train, y_train)
pred = rf.predict(X_test)
print(confusion_matrix(y_test, pred))
print('fail recall', recall_score(y_test, pred))
"""),
]

# --- 14. wafers: imblearn pipeline with selection inside, GridSearchCV (clean) ----------------
NOTEBOOKS["wafer_fail_pipeline"] = [
    md("# SECOM, everything inside one imblearn pipeline"),
    py("""
import pandas as pd
from imblearn.pipeline import Pipeline
from imblearn.over_sampling import SMOTE
from sklearn.impute import SimpleImputer
from sklearn.feature_selection import VarianceThreshold, SelectKBest, f_classif
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
"""),
    py("""
X = pd.read_csv('secom.data', sep=' ', header=None)
y = pd.read_csv('secom_labels.data', sep=' ', header=None)[0].eq(1).astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=5)
"""),
    py("""
pipe = Pipeline([
    ('imp', SimpleImputer(strategy='median')),
    ('var', VarianceThreshold()),
    ('kbest', SelectKBest(f_classif)),
    ('scale', StandardScaler()),
    ('smote', SMOTE(random_state=5)),
    ('clf', LogisticRegression(max_iter=2000, C=0.1)),
])
grid = GridSearchCV(pipe, {'kbest__k': [20, 40, 80], 'clf__C': [0.01, 0.1, 1]},
                    cv=StratifiedKFold(5, shuffle=True, random_state=5), scoring='balanced_accuracy')
grid.fit(X_train, y_train)
print(grid.best_params_, round(grid.best_score_, 3))
print('held-out balanced acc', grid.score(X_test, y_test))
"""),
]

# --- 15. recipe ratings: target left among the features via a derived column (leak) ----------
NOTEBOOKS["recipe_rating_regression"] = [
    md("# What makes a recipe 5 stars?\nScraped recipe site; target = mean rating."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
rec = pd.read_json('recipes.jsonl', lines=True)
rec = rec[rec.n_ratings >= 5]
"""),
    py("""
rec['n_ingredients'] = rec.ingredients.str.len()
rec['n_steps'] = rec.steps.str.len()
rec['log_minutes'] = np.log1p(rec.minutes)
rec['is_dessert'] = rec.tags.apply(lambda t: 'desserts' in t).astype(int)
"""),
    py("""
num = rec.select_dtypes('number')
X = num.drop(columns=['recipe_id'])  #@ LEAK-TARGET-IN-FEATURES | avg_rating is still a numeric column of X
y = num['avg_rating']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
    py("""
ridge = Ridge(alpha=1.0).fit(X_tr, y_tr)
print('R2', r2_score(y_te, ridge.predict(X_te)))
"""),
]

# --- 16. recipe ratings: target dropped, id dropped, corr on all for EDA only (clean) ---------
NOTEBOOKS["recipe_rating_eda_model"] = [
    md("# Recipe ratings: EDA then a small model"),
    py("""
import pandas as pd
import numpy as np
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
rec = pd.read_json('recipes.jsonl', lines=True).query('n_ratings >= 5')
rec['n_ingredients'] = rec.ingredients.str.len()
rec['n_steps'] = rec.steps.str.len()
"""),
    py("""
sns.heatmap(rec.select_dtypes('number').corr(), cmap='vlag')
rec[['minutes', 'n_steps', 'avg_rating']].describe()
"""),
    py("""
features = rec.select_dtypes('number').drop(columns=['recipe_id', 'avg_rating', 'n_ratings'])
target = rec['avg_rating']
Xtr, Xte, ytr, yte = train_test_split(features, target, test_size=0.2, random_state=8)
rfr = RandomForestRegressor(n_estimators=300, random_state=8).fit(Xtr, ytr)
print(mean_absolute_error(yte, rfr.predict(Xte)))
"""),
]

# --- 17. hotel reviews (text sentiment): vectorizer fitted on the test reviews (leak) --------
NOTEBOOKS["hotel_review_sentiment"] = [
    md("# Hotel review sentiment\nGiven train/test CSVs from the course."),
    py("""
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.metrics import accuracy_score
train = pd.read_csv('reviews_train.csv')
test = pd.read_csv('reviews_test.csv')
"""),
    py("""
cv = CountVectorizer(stop_words='english', min_df=2)
X_train = cv.fit_transform(train['review'])
"""),
    py("""
cv2 = CountVectorizer(stop_words='english', min_df=2, vocabulary=None)
X_test = cv2.fit_transform(test['review'])  #@ LEAK-FIT-ON-TEST | a second vectorizer fitted on the test reviews
X_test = X_test[:, : X_train.shape[1]]
"""),
    py("""
nb = MultinomialNB().fit(X_train, train['positive'])
print(accuracy_score(test['positive'], nb.predict(X_test)))
"""),
]

# --- 18. hotel reviews: pipeline with TF-IDF, predict test (clean) -----------------------------
NOTEBOOKS["hotel_review_tfidf_pipe"] = [
    md("# Hotel reviews — pipeline version"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
train = pd.read_csv('reviews_train.csv')
test = pd.read_csv('reviews_test.csv')
"""),
    py("""
sent = Pipeline([('tfidf', TfidfVectorizer(ngram_range=(1, 2), min_df=2)), ('lr', LogisticRegression(max_iter=1000, C=4))])
sent.fit(train.review, train.positive)
"""),
    py("""
test_pred = sent.predict(test.review)
print('F1', f1_score(test.positive, test_pred))
"""),
]

# --- 19. bakery stock: shuffled KFold over daily sales (leak) --------------------------------
NOTEBOOKS["bakery_daily_demand"] = [
    md("# Bakery chain — croissant demand per store\nDaily sales 2021-2023, 14 stores."),
    py("""
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import RandomForestRegressor
sales = pd.read_csv('bakery_sales.csv', parse_dates=['day'])
sales = sales[sales.article == 'CROISSANT'].sort_values(['store', 'day'])
"""),
    py("""
g = sales.groupby('store')['qty']
sales['lag1'] = g.shift(1)
sales['lag7'] = g.shift(7)
sales['ma14'] = g.transform(lambda s: s.shift(1).rolling(14).mean())
sales['month'] = sales.day.dt.month
sales['weekday'] = sales.day.dt.weekday
sales = sales.dropna()
"""),
    md("5-fold CV for a quick estimate."),
    py("""
kf = KFold(n_splits=5, shuffle=True, random_state=0)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over daily sales
feats = ['store', 'lag1', 'lag7', 'ma14', 'month', 'weekday']
scores = cross_val_score(RandomForestRegressor(n_estimators=200, n_jobs=-1), sales[feats], sales['qty'], cv=kf, scoring='neg_mean_absolute_error')
print(-scores.mean())
"""),
]

# --- 20. bakery: TimeSeriesSplit (clean) -----------------------------------------------------
NOTEBOOKS["bakery_demand_tscv"] = [
    md("# Croissant demand, time-series CV"),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.linear_model import PoissonRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
daily = (pd.read_csv('bakery_sales.csv', parse_dates=['day'])
         .query("article == 'CROISSANT'")
         .groupby('day', as_index=False)['qty'].sum()
         .sort_values('day'))
daily['lag1'] = daily.qty.shift(1)
daily['lag7'] = daily.qty.shift(7)
daily['weekday'] = daily.day.dt.weekday
daily = daily.dropna()
"""),
    py("""
tscv = TimeSeriesSplit(n_splits=6, gap=1)
model = make_pipeline(StandardScaler(), PoissonRegressor(alpha=1e-3))
print(cross_val_score(model, daily[['lag1', 'lag7', 'weekday']], daily.qty, cv=tscv, scoring='neg_mean_absolute_error'))
"""),
]

# --- 21. earthquake aftershocks: scaler fitted on test separately (leak) ----------------------
NOTEBOOKS["aftershock_classifier"] = [
    md("# Aftershock or not?\nCell-level features around mainshocks (DeVries et al. style). Given split by mainshock."),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import roc_auc_score
tr = pd.read_csv('aftershock_train.csv')
te = pd.read_csv('aftershock_test.csv')
STRESS = ['stress_xx', 'stress_yy', 'stress_xy', 'stress_xz', 'stress_yz', 'stress_zz']
"""),
    py("""
def prep(frame):
    return np.abs(frame[STRESS].to_numpy())
"""),
    py("""
Xtr = StandardScaler().fit_transform(prep(tr))
Xte = StandardScaler().fit_transform(prep(te))  #@ LEAK-FIT-ON-TEST | a fresh scaler fitted on the test cells
net = MLPClassifier(hidden_layer_sizes=(50,) * 6, max_iter=50, random_state=0).fit(Xtr, tr['aftershock'])
print('AUC', roc_auc_score(te['aftershock'], net.predict_proba(Xte)[:, 1]))
"""),
]

# --- 22. aftershocks: helper with a fitted scaler passed in (clean) ---------------------------
NOTEBOOKS["aftershock_classifier_fixed"] = [
    md("# Aftershocks, scaler learned on training mainshocks only"),
    py("""
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import roc_auc_score
tr = pd.read_csv('aftershock_train.csv')
te = pd.read_csv('aftershock_test.csv')
STRESS = ['stress_xx', 'stress_yy', 'stress_xy', 'stress_xz', 'stress_yz', 'stress_zz']
"""),
    py("""
def prep(frame, scaler=None):
    values = np.abs(frame[STRESS].to_numpy())
    if scaler is None:
        scaler = StandardScaler().fit(values)
    return scaler.transform(values), scaler
"""),
    py("""
Xtr, sc = prep(tr)
Xte, _ = prep(te, sc)
net = MLPClassifier(hidden_layer_sizes=(50,) * 6, max_iter=50, random_state=0).fit(Xtr, tr['aftershock'])
print('AUC', roc_auc_score(te['aftershock'], net.predict_proba(Xte)[:, 1]))
"""),
]
# --- 23. online courses (per learner): many rows per learner, StratifiedKFold (leak) ----------
NOTEBOOKS["mooc_dropout_weekly"] = [
    md("# MOOC dropout from weekly activity\nOne row per learner-week (OULAD-like). Predict `dropped_next_week` for the next cohort of learners."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
act = pd.read_csv('learner_weeks.csv')
act.groupby('week').dropped_next_week.mean().plot()
"""),
    py("""
act['clicks_per_day'] = act.clicks / act.days_active.clip(lower=1)
act['cum_clicks'] = act.sort_values('week').groupby('learner_id').clicks.cumsum()
feats = ['week', 'clicks', 'clicks_per_day', 'cum_clicks', 'quiz_score', 'forum_posts', 'days_active', 'age_band', 'prev_attempts']
X = act[feats].to_numpy()
y = act['dropped_next_week'].to_numpy()
"""),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=2024)  #@ LEAK-GROUP-SPLIT | a learner's weeks spread over train and test folds
aucs = []
for fold, (tr, va) in enumerate(skf.split(X, y)):
    clf = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05)
    clf.fit(X[tr], y[tr])
    aucs.append(roc_auc_score(y[va], clf.predict_proba(X[va])[:, 1]))
    print(fold, round(aucs[-1], 4))
print('mean', np.mean(aucs))
"""),
]

# --- 24. online courses: StratifiedGroupKFold by learner (clean) ------------------------------
NOTEBOOKS["mooc_dropout_grouped_cv"] = [
    md("# MOOC dropout — learner-level CV"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
act = pd.read_csv('learner_weeks.csv')
feats = ['week', 'clicks', 'quiz_score', 'forum_posts', 'days_active', 'prev_attempts']
X, y, learners = act[feats].values, act['dropped_next_week'].values, act['learner_id'].values
"""),
    py("""
sgkf = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=2024)
aucs = []
for tr, va in sgkf.split(X, y, groups=learners):
    clf = HistGradientBoostingClassifier(max_iter=300).fit(X[tr], y[tr])
    aucs.append(roc_auc_score(y[va], clf.predict_proba(X[va])[:, 1]))
print(np.round(aucs, 4), np.mean(aucs))
"""),
]

# --- 25. dental x-ray embeddings: PCA on stacked train+test arrays (leak) ----------------------
NOTEBOOKS["dental_caries_embeddings"] = [
    md("# Caries detection from x-ray embeddings\nEmbeddings from a frozen CNN, one 1024-d vector per tooth crop. Patients already split by the data provider."),
    py("""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.svm import SVC
from sklearn.metrics import balanced_accuracy_score
emb_tr = np.load('emb_train.npy'); y_tr = np.load('y_train.npy')
emb_te = np.load('emb_test.npy'); y_te = np.load('y_test.npy')
print(emb_tr.shape, emb_te.shape)
"""),
    md("Reduce to 64 dims first — SVM is slow on 1024-d."),
    py("""
all_emb = np.vstack([emb_tr, emb_te])
pca = PCA(n_components=64, whiten=True, random_state=0)
pca.fit(all_emb)  #@ LEAK-PREPROCESSING | PCA basis learned on train and test embeddings stacked together
Z_tr, Z_te = pca.transform(emb_tr), pca.transform(emb_te)
"""),
    py("""
svc = SVC(C=3, kernel='rbf', class_weight='balanced').fit(Z_tr, y_tr)
print('balanced acc', balanced_accuracy_score(y_te, svc.predict(Z_te)))
"""),
]

# --- 26. dental: PCA in a pipeline, GridSearch on train, one final test score (clean) ---------
NOTEBOOKS["dental_caries_svm_grid"] = [
    md("# Caries SVM with grid search\nPCA is a pipeline step, so every CV fold refits it."),
    py("""
import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV, GroupKFold
emb_tr, y_tr, pid_tr = np.load('emb_train.npy'), np.load('y_train.npy'), np.load('patient_train.npy')
emb_te, y_te = np.load('emb_test.npy'), np.load('y_test.npy')
"""),
    py("""
pipe = Pipeline([('sc', StandardScaler()), ('pca', PCA(whiten=True)), ('svm', SVC(class_weight='balanced'))])
grid = GridSearchCV(pipe, {'pca__n_components': [32, 64, 128], 'svm__C': [0.3, 1, 3, 10]}, cv=GroupKFold(5), scoring='balanced_accuracy', n_jobs=2)
grid.fit(emb_tr, y_tr, groups=pid_tr)
grid.best_params_
"""),
    py("""
print('test balanced acc', grid.score(emb_te, y_te))
"""),
]

# --- 27. marathon splits (per runner): random split over race results of the same runners (leak)
NOTEBOOKS["marathon_finish_time"] = [
    md("# Predict marathon finish from the 10k / half splits\nResults 2015-2023 for one city marathon; many runners appear every year. The pacing app will serve runners we have never seen."),
    py("""
import pandas as pd
from sklearn.model_selection import ShuffleSplit, cross_validate
from sklearn.linear_model import LinearRegression
res = pd.read_csv('marathon_results.csv')
res = res.dropna(subset=['split_10k', 'split_half', 'finish'])
res['pace_drift'] = (res.split_half - 2 * res.split_10k) / res.split_10k
res['n_prev_races'] = res.sort_values('year').groupby('runner_id').cumcount()
res.runner_id.value_counts().describe()
"""),
    py("""
X = res[['split_10k', 'split_half', 'pace_drift', 'age', 'female', 'n_prev_races']]
y = res['finish']
ss = ShuffleSplit(n_splits=10, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | the same runner's races land in both train and test
cvres = cross_validate(LinearRegression(), X, y, cv=ss, scoring=['neg_mean_absolute_error', 'r2'])
pd.DataFrame(cvres).mean()
"""),
]

# --- 28. marathon: whole-data describe + runner-grouped split (clean) --------------------------
NOTEBOOKS["marathon_finish_grouped"] = [
    md("# Marathon finish — runners never on both sides"),
    py("""
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.linear_model import HuberRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
res = pd.read_csv('marathon_results.csv').dropna(subset=['split_10k', 'split_half', 'finish'])
res.describe()
"""),
    py("""
res.groupby('year').finish.median().plot(title='median finish by year')
"""),
    py("""
cols = ['split_10k', 'split_half', 'age', 'female']
model = make_pipeline(StandardScaler(), HuberRegressor())
scores = cross_val_score(model, res[cols], res.finish, groups=res.runner_id, cv=GroupKFold(n_splits=5), scoring='neg_mean_absolute_error')
print(-scores)
"""),
]

# --- 29. beehives: hand-made target encoding on the full frame (leak) -------------------------
NOTEBOOKS["beehive_winter_loss"] = [
    md("# Hive winter loss\nSurvey of beekeepers, one row per hive, predict `lost`."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
hives = pd.read_csv('hive_survey.csv')
hives = hives.drop(columns=['hive_id', 'beekeeper_email'])
"""),
    md("Target-encode the apiary region and the mite treatment (too many levels for one-hot)."),
    py("""
for col in ['region', 'mite_treatment']:
    hives[col + '_te'] = hives.groupby(col)['lost'].transform('mean')  #@ LEAK-PREPROCESSING | loss rate per level computed with the test hives included
"""),
    py("""
feats = ['colony_age', 'frames_brood', 'winter_weight_kg', 'region_te', 'mite_treatment_te', 'feeding_sugar']
Xtr, Xte, ytr, yte = train_test_split(hives[feats], hives['lost'], test_size=0.25, random_state=9, stratify=hives['lost'])
gb = GradientBoostingClassifier(random_state=9).fit(Xtr, ytr)
print(roc_auc_score(yte, gb.predict_proba(Xte)[:, 1]))
"""),
]

# --- 30. beehives: target encoding from the training split, mapped to test (clean) ------------
NOTEBOOKS["beehive_winter_loss_te"] = [
    md("# Hive loss — target encoding learned on the training hives"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
hives = pd.read_csv('hive_survey.csv').drop(columns=['hive_id', 'beekeeper_email'])
train, test = train_test_split(hives, test_size=0.25, random_state=9, stratify=hives['lost'])
train, test = train.copy(), test.copy()
"""),
    py("""
prior = train['lost'].mean()
for col in ['region', 'mite_treatment']:
    stats = train.groupby(col)['lost'].agg(['mean', 'count'])
    smooth = (stats['mean'] * stats['count'] + prior * 20) / (stats['count'] + 20)
    train[col + '_te'] = train[col].map(smooth)
    test[col + '_te'] = test[col].map(smooth).fillna(prior)
"""),
    py("""
feats = ['colony_age', 'frames_brood', 'winter_weight_kg', 'region_te', 'mite_treatment_te']
gb = GradientBoostingClassifier(random_state=9).fit(train[feats], train['lost'])
print(roc_auc_score(test['lost'], gb.predict_proba(test[feats])[:, 1]))
"""),
]

# --- 31. pharmacy sales: model picked on the test set (leak) -----------------------------------
NOTEBOOKS["pharmacy_weekly_sales_models"] = [
    md("# Pharmacy weekly sales (ATC groups)\nCompare several regressors, keep the best."),
    py("""
import pandas as pd
import numpy as np
from sklearn.linear_model import Ridge, Lasso
from sklearn.ensemble import RandomForestRegressor, ExtraTreesRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.metrics import mean_absolute_error
wk = pd.read_csv('salesweekly.csv', parse_dates=['datum']).sort_values('datum')
for c in ['M01AB', 'N02BE', 'R03']:
    wk[c + '_lag1'] = wk[c].shift(1)
    wk[c + '_lag4'] = wk[c].shift(4)
wk = wk.dropna()
"""),
    py("""
cut = int(len(wk) * 0.8)
feats = [c for c in wk.columns if 'lag' in c]
X_train, y_train = wk[feats].iloc[:cut], wk['N02BE'].iloc[:cut]
X_test, y_test = wk[feats].iloc[cut:], wk['N02BE'].iloc[cut:]
"""),
    py("""
candidates = {'ridge': Ridge(1.0), 'lasso': Lasso(0.1), 'rf': RandomForestRegressor(300, random_state=0),
              'et': ExtraTreesRegressor(300, random_state=0), 'knn': KNeighborsRegressor(5)}
test_mae = {n: mean_absolute_error(y_test, m.fit(X_train, y_train).predict(X_test)) for n, m in candidates.items()}  #@ LEAK-MULTI-TEST | every candidate scored on the test weeks to pick the winner
best = min(test_mae, key=test_mae.get)
print('best model:', best, 'MAE', test_mae[best])
"""),
]

# --- 32. pharmacy: selection on a validation block, single final test score (clean) ----------
NOTEBOOKS["pharmacy_sales_validation"] = [
    md("# Pharmacy sales — validation block for model choice"),
    py("""
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
wk = pd.read_csv('salesweekly.csv', parse_dates=['datum']).sort_values('datum')
wk['lag1'] = wk['N02BE'].shift(1)
wk['lag4'] = wk['N02BE'].shift(4)
wk = wk.dropna()
n = len(wk)
fit_part, val_part, test_part = wk.iloc[: int(n * .6)], wk.iloc[int(n * .6): int(n * .8)], wk.iloc[int(n * .8):]
F = ['lag1', 'lag4']
"""),
    py("""
cands = {'ridge': Ridge(1.0), 'rf': RandomForestRegressor(300, random_state=0)}
val_mae = {k: mean_absolute_error(val_part.N02BE, m.fit(fit_part[F], fit_part.N02BE).predict(val_part[F])) for k, m in cands.items()}
best = min(val_mae, key=val_mae.get)
final = cands[best].fit(pd.concat([fit_part, val_part])[F], pd.concat([fit_part, val_part]).N02BE)
print(best, 'test MAE', mean_absolute_error(test_part.N02BE, final.predict(test_part[F])))
"""),
]
# --- 33. podcasts: scaling cell at the bottom was run before the split (leak by order) --------
NOTEBOOKS["podcast_listen_time"] = [
    md("# Podcast listening time\nPredict minutes listened per episode from metadata."),
    py("""
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_squared_error
pods = pd.read_csv('podcast_episodes.csv')
pods = pods.drop(columns=['episode_id', 'podcast_name', 'episode_title'])
pods = pd.get_dummies(pods, columns=['genre', 'publication_day', 'publication_time', 'sentiment'], dtype=float)
X = pods.drop(columns='listening_minutes')
y = pods['listening_minutes']
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=17)
""", 4),
    py("""
en = ElasticNet(alpha=0.01, l1_ratio=0.3).fit(X_train, y_train)
print('RMSE', mean_squared_error(y_test, en.predict(X_test)) ** 0.5)
""", 5),
    md("### scratch\nscaling so the ElasticNet penalty treats columns equally"),
    py("""
num_cols = ['episode_length_min', 'host_popularity', 'guest_popularity', 'n_ads']
X[num_cols] = X[num_cols].fillna(0)
X[num_cols] = StandardScaler().fit_transform(X[num_cols])  #@ LEAK-PREPROCESSING | run (In[3]) before the split cell (In[4]): the scaler saw the test rows
""", 3),
]

# --- 34. shelter dogs: SMOTE cell shown first but run after evaluation, for deployment (clean by order)
NOTEBOOKS["shelter_adoption_speed"] = [
    md("# Shelter dogs — adopted within 30 days?"),
    py("""
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report
import joblib
dogs = pd.read_csv('shelter_intakes.csv')
X = pd.get_dummies(dogs[['age_months', 'size', 'sex', 'intake_type', 'color_group', 'weight_kg']], dtype=int)
y = dogs['adopted_30d']
""", 1),
    md("Balanced copy of the data for the model that goes to the shelter dashboard."),
    py("""
X, y = RandomOverSampler(random_state=4).fit_resample(X, y)
X.shape, y.mean()
""", 5),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=4)
""", 2),
    py("""
rf = RandomForestClassifier(n_estimators=300, class_weight='balanced_subsample', random_state=4).fit(X_train, y_train)
print(classification_report(y_test, rf.predict(X_test)))
""", 3),
    py("""
rf_final = RandomForestClassifier(n_estimators=300, random_state=4).fit(X, y)
joblib.dump(rf_final, 'adoption_rf.joblib')
""", 6),
]

# --- 35. keystroke dynamics: scaler fitted on train then SVM, split by keystroke rows not users (leak)
NOTEBOOKS["keystroke_user_auth"] = [
    md("# Keystroke dynamics — genuine vs impostor\nCMU password dataset: 51 subjects x 400 repetitions. Binary task: is this subject s002?"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import OneClassSVM, SVC
from sklearn.metrics import roc_auc_score
ks = pd.read_csv('DSL-StrongPasswordData.csv')
timing = [c for c in ks.columns if c.startswith(('H.', 'DD.', 'UD.'))]
ks['genuine'] = (ks.subject == 's002').astype(int)
"""),
    md("Impostor rows come from the other 50 subjects; a held-out impostor must be someone the model never saw."),
    py("""
train_df, test_df = train_test_split(ks, test_size=0.3, stratify=ks['genuine'], random_state=21)  #@ LEAK-GROUP-SPLIT | impostor subjects' repetitions on both sides of the split
mm = MinMaxScaler().fit(train_df[timing])
svc = SVC(probability=True, C=5).fit(mm.transform(train_df[timing]), train_df['genuine'])
print('AUC', roc_auc_score(test_df['genuine'], svc.predict_proba(mm.transform(test_df[timing]))[:, 1]))
"""),
]

# --- 36. keystroke: leave impostor subjects out (clean) ----------------------------------------
NOTEBOOKS["keystroke_user_auth_v2"] = [
    md("# Keystroke auth — unseen impostors\nTest impostors are 15 subjects never used in training; genuine reps split by session."),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
from sklearn.metrics import roc_auc_score
ks = pd.read_csv('DSL-StrongPasswordData.csv')
timing = [c for c in ks.columns if c.startswith(('H.', 'DD.', 'UD.'))]
ks['genuine'] = (ks.subject == 's002').astype(int)
rng = np.random.default_rng(21)
others = ks.loc[ks.genuine == 0, 'subject'].unique()
test_impostors = set(rng.choice(others, 15, replace=False))
"""),
    py("""
is_test = ks.subject.isin(test_impostors) | ((ks.genuine == 1) & (ks.sessionIndex >= 7))
train_df, test_df = ks[~is_test], ks[is_test]
mm = MinMaxScaler().fit(train_df[timing])
svc = SVC(probability=True, C=5).fit(mm.transform(train_df[timing]), train_df['genuine'])
print('AUC', roc_auc_score(test_df['genuine'], svc.predict_proba(mm.transform(test_df[timing]))[:, 1]))
"""),
]

# --- 37. sleep study: epochs of the same night split at random + label column kept (two leaks)
NOTEBOOKS["sleep_stage_epochs"] = [
    md("# Sleep staging from 30-s epochs\nSleep-EDF derived features, one row per epoch, ~40 subjects."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import cohen_kappa_score
ep = pd.read_parquet('sleep_epochs.parquet')
ep['stage_code'] = ep['stage'].map({'W': 0, 'N1': 1, 'N2': 2, 'N3': 3, 'REM': 4})
ep = ep.drop(columns=['stage'])
"""),
    py("""
band_cols = [c for c in ep.columns if c.endswith('_power')]
ep['delta_theta'] = ep['delta_power'] / ep['theta_power']
X = ep.drop(columns=['subject', 'night', 'epoch_idx'])  #@ LEAK-TARGET-IN-FEATURES | stage_code (the label) stays in X
y = ep['stage_code']
"""),
    py("""
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0)  #@ LEAK-GROUP-SPLIT | epochs from the same subject's night on both sides
rf = RandomForestClassifier(n_estimators=200, n_jobs=-1, random_state=0).fit(Xtr, ytr)
print('kappa', cohen_kappa_score(yte, rf.predict(Xte)))
"""),
]

# --- 38. sleep study: subject-wise LOGO with pipeline (clean) ----------------------------------
NOTEBOOKS["sleep_stage_logo"] = [
    md("# Sleep staging, leave-subjects-out"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score
ep = pd.read_parquet('sleep_epochs.parquet')
y = ep.pop('stage')
groups = ep.pop('subject')
X = ep.drop(columns=['night', 'epoch_idx'])
"""),
    py("""
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=0.5))
pred = cross_val_predict(model, X, y, groups=groups, cv=LeaveOneGroupOut(), n_jobs=2)
print('kappa', cohen_kappa_score(y, pred))
"""),
]

# --- 39. EEG: keras validation_data = test arrays for early stopping (leak) -------------------
NOTEBOOKS["eeg_motor_imagery_cnn"] = [
    md("# Motor imagery EEG — small CNN\nBCI-IV 2a, subject 3. Session T = train, session E = test."),
    py("""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
Xtr = np.load('A03T_X.npy'); ytr = np.load('A03T_y.npy')
Xte = np.load('A03E_X.npy'); yte = np.load('A03E_y.npy')
mu, sd = Xtr.mean(axis=(0, 2), keepdims=True), Xtr.std(axis=(0, 2), keepdims=True)
Xtr = (Xtr - mu) / sd
Xte = (Xte - mu) / sd
"""),
    py("""
def build(n_ch=22, n_t=1000):
    m = keras.Sequential([
        layers.Input((n_ch, n_t, 1)),
        layers.Conv2D(8, (1, 64), padding='same', activation='elu'),
        layers.DepthwiseConv2D((n_ch, 1), depth_multiplier=2, activation='elu'),
        layers.AveragePooling2D((1, 8)), layers.Dropout(0.5),
        layers.Flatten(), layers.Dense(4, activation='softmax'),
    ])
    m.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])
    return m
"""),
    py("""
net = build()
stop = keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=30, restore_best_weights=True)
hist = net.fit(Xtr[..., None], ytr, epochs=500, batch_size=32,  #@ LEAK-MULTI-TEST | best epoch restored by test-session accuracy
               validation_data=(Xte[..., None], yte), callbacks=[stop])
print('session E accuracy', net.evaluate(Xte[..., None], yte, verbose=0)[1])
"""),
]

# --- 40. EEG: validation split from training session (clean) ----------------------------------
NOTEBOOKS["eeg_motor_imagery_val"] = [
    md("# Motor imagery — early stopping on a slice of session T"),
    py("""
import numpy as np
from sklearn.model_selection import train_test_split
from tensorflow import keras
from tensorflow.keras import layers
X = np.load('A03T_X.npy'); y = np.load('A03T_y.npy')
Xte = np.load('A03E_X.npy'); yte = np.load('A03E_y.npy')
Xtr, Xval, ytr, yval = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
"""),
    py("""
net = keras.Sequential([layers.Input((22, 1000, 1)), layers.Conv2D(8, (1, 64), activation='elu'),
                        layers.Flatten(), layers.Dense(4, activation='softmax')])
net.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy'])
net.fit(Xtr[..., None], ytr, epochs=300, validation_data=(Xval[..., None], yval),
        callbacks=[keras.callbacks.EarlyStopping(patience=30, restore_best_weights=True)])
print(net.evaluate(Xte[..., None], yte, verbose=0))
"""),
]
# --- 41. ferry ridership: long kernel, lag features, random split (leak) ----------------------
NOTEBOOKS["ferry_ridership_kernel"] = [
    md("# Toronto Island ferry — hourly redemptions\nA long-ish kernel: EDA, calendar features, lags, three models."),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
from sklearn.ensemble import RandomForestRegressor
from xgboost import XGBRegressor
from sklearn.metrics import mean_absolute_error, r2_score
"""),
    py("""
ferry = pd.read_csv('Toronto Island Ferry Ticket Counts.csv', parse_dates=['Timestamp'])
ferry = ferry.set_index('Timestamp').sort_index().resample('h').sum()
ferry.tail()
"""),
    md("## EDA"),
    py("""
ferry['Redemption Count'].resample('W').sum().plot(figsize=(14, 4))
plt.title('weekly redemptions')
plt.show()
"""),
    py("""
ferry.groupby(ferry.index.hour)['Redemption Count'].mean().plot(kind='bar')
"""),
    md("## Features\nCalendar + lagged counts (1h, 24h, 168h) and a 24h rolling mean."),
    py("""
df = ferry[['Redemption Count']].rename(columns={'Redemption Count': 'y'})
df['hour'] = df.index.hour
df['dow'] = df.index.dayofweek
df['month'] = df.index.month
for k in (1, 24, 168):
    df[f'lag_{k}'] = df['y'].shift(k)
df['roll_24'] = df['y'].shift(1).rolling(24).mean()
df = df.dropna()
"""),
    py("""
X = df.drop(columns='y')
y = df['y']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=123)  #@ LEAK-TEMPORAL-SPLIT | hours shuffled: neighbouring hours and their lags on both sides
"""),
    md("## Models"),
    py("""
results = {}
for name, model in [('lin', LinearRegression()), ('rf', RandomForestRegressor(n_estimators=200, n_jobs=-1)), ('xgb', XGBRegressor(n_estimators=600, learning_rate=0.05))]:
    model.fit(X_train, y_train)
    p = model.predict(X_test)
    results[name] = (mean_absolute_error(y_test, p), r2_score(y_test, p))
pd.DataFrame(results, index=['MAE', 'R2']).T
"""),
    md("XGBoost wins with R2 ≈ 0.97."),
]

# --- 42. ferry: same kernel, holdout = last season, refit on all for deployment (clean) -------
NOTEBOOKS["ferry_ridership_season_holdout"] = [
    md("# Ferry redemptions — hold out the 2023 season"),
    py("""
import pandas as pd
from xgboost import XGBRegressor
from sklearn.metrics import mean_absolute_error
ferry = pd.read_csv('Toronto Island Ferry Ticket Counts.csv', parse_dates=['Timestamp'])
df = ferry.set_index('Timestamp').sort_index().resample('h')['Redemption Count'].sum().to_frame('y')
df['hour'], df['dow'] = df.index.hour, df.index.dayofweek
for k in (24, 168):
    df[f'lag_{k}'] = df['y'].shift(k)
df = df.dropna()
"""),
    py("""
train = df.loc[:'2022-12-31']
test = df.loc['2023-01-01':]
feats = ['hour', 'dow', 'lag_24', 'lag_168']
xgb = XGBRegressor(n_estimators=600, learning_rate=0.05).fit(train[feats], train['y'])
print('2023 MAE', mean_absolute_error(test['y'], xgb.predict(test[feats])))
"""),
    md("Good enough. Refit on everything for the 2024 season forecast."),
    py("""
prod = XGBRegressor(n_estimators=600, learning_rate=0.05).fit(df[feats], df['y'])
prod.save_model('ferry_xgb_2024.json')
"""),
]

# --- 43. coffee roasting: hyperparameter loop scored on test (leak) ----------------------------
NOTEBOOKS["coffee_cupping_score"] = [
    md("# Coffee Quality Institute — predict cupping score"),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import mean_absolute_error
cq = pd.read_csv('arabica_data_cleaned.csv')
cols = ['Aroma', 'Flavor', 'Aftertaste', 'Acidity', 'Body', 'Balance', 'Moisture', 'altitude_mean_meters']
cq = cq.dropna(subset=cols + ['Total.Cup.Points'])
"""),
    py("""
X_train, X_test, y_train, y_test = train_test_split(cq[cols], cq['Total.Cup.Points'], test_size=0.2, random_state=2)
sc = StandardScaler().fit(X_train)
Xs_train, Xs_test = sc.transform(X_train), sc.transform(X_test)
"""),
    py("""
best_k, best_mae = None, np.inf
for k in range(1, 31):
    knn = KNeighborsRegressor(n_neighbors=k, weights='distance').fit(Xs_train, y_train)
    mae = mean_absolute_error(y_test, knn.predict(Xs_test))  #@ LEAK-MULTI-TEST | k tuned on the test error
    if mae < best_mae:
        best_k, best_mae = k, mae
print(best_k, best_mae)
"""),
]

# --- 44. coffee: GridSearchCV for k, test once (clean) -----------------------------------------
NOTEBOOKS["coffee_cupping_knn_cv"] = [
    md("# Cupping score — k chosen by CV"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import Pipeline
cq = pd.read_csv('arabica_data_cleaned.csv')
cols = ['Aroma', 'Flavor', 'Aftertaste', 'Acidity', 'Body', 'Balance', 'Moisture', 'altitude_mean_meters']
cq = cq.dropna(subset=cols + ['Total.Cup.Points'])
X_train, X_test, y_train, y_test = train_test_split(cq[cols], cq['Total.Cup.Points'], test_size=0.2, random_state=2)
"""),
    py("""
search = GridSearchCV(Pipeline([('sc', StandardScaler()), ('knn', KNeighborsRegressor(weights='distance'))]),
                      {'knn__n_neighbors': list(range(1, 31))}, cv=5, scoring='neg_mean_absolute_error')
search.fit(X_train, y_train)
print(search.best_params_, -search.score(X_test, y_test))
"""),
]

# --- 45. steel plates: RFE on full data then CV (leak) ----------------------------------------
NOTEBOOKS["steel_plate_faults_rfe"] = [
    md("# Steel plate faults (UCI)\nSeven fault types; 27 geometric / luminosity features."),
    py("""
import pandas as pd
from sklearn.feature_selection import RFE
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import cross_val_score, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier
plates = pd.read_csv('faults.csv')
fault_cols = ['Pastry', 'Z_Scratch', 'K_Scatch', 'Stains', 'Dirtiness', 'Bumps', 'Other_Faults']
y = plates[fault_cols].idxmax(axis=1)
X = plates.drop(columns=fault_cols)
"""),
    py("""
rfe = RFE(DecisionTreeClassifier(random_state=0), n_features_to_select=12)
rfe.fit(X, y)  #@ LEAK-PREPROCESSING | features chosen using every plate, then cross-validated on the same plates
X_sel = X.loc[:, rfe.support_]
X_sel.columns.tolist()
"""),
    py("""
cv = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
print(cross_val_score(ExtraTreesClassifier(n_estimators=500, random_state=0), X_sel, y, cv=cv).mean())
"""),
]

# --- 46. steel plates: RFE inside pipeline (clean) ---------------------------------------------
NOTEBOOKS["steel_plate_faults_pipe"] = [
    md("# Steel plate faults — selection inside the CV loop"),
    py("""
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_selection import RFE
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.model_selection import cross_val_score, StratifiedKFold
plates = pd.read_csv('faults.csv')
fault_cols = ['Pastry', 'Z_Scratch', 'K_Scatch', 'Stains', 'Dirtiness', 'Bumps', 'Other_Faults']
y = plates[fault_cols].idxmax(axis=1)
X = plates.drop(columns=fault_cols)
"""),
    py("""
pipe = Pipeline([('rfe', RFE(DecisionTreeClassifier(random_state=0), n_features_to_select=12)),
                 ('et', ExtraTreesClassifier(n_estimators=500, random_state=0))])
cv = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
print(cross_val_score(pipe, X, y, cv=cv).mean())
"""),
]

# --- 47. fish market: label left in X via weight-derived column list (leak) -------------------
NOTEBOOKS["fish_market_weight"] = [
    md("# Fish market — predict weight from measurements"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
fish = pd.read_csv('Fish.csv')
fish = pd.get_dummies(fish, columns=['Species'], drop_first=True)
fish['Volume_proxy'] = fish['Length1'] * fish['Height'] * fish['Width']
"""),
    py("""
X = fish.drop(columns=['Length2', 'Length3'])  #@ LEAK-TARGET-IN-FEATURES | collinear lengths dropped, Weight (the label) kept
y = fish['Weight']
x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)
lr = LinearRegression().fit(x_train, y_train)
print('R2', r2_score(y_test, lr.predict(x_test)))
"""),
]

# --- 48. fish market: pop the target (clean) ---------------------------------------------------
NOTEBOOKS["fish_market_weight_log"] = [
    md("# Fish weight, log-log model"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
fish = pd.read_csv('Fish.csv')
fish = fish[fish.Weight > 0]
weight = fish.pop('Weight')
feats = np.log(fish[['Length1', 'Length2', 'Length3', 'Height', 'Width']])
feats = feats.join(pd.get_dummies(fish['Species'], drop_first=True, dtype=float))
xtr, xte, ytr, yte = train_test_split(feats, np.log(weight), test_size=0.3, random_state=1)
print(LinearRegression().fit(xtr, ytr).score(xte, yte))
"""),
]
# --- 49. laptops: encoder fitted on the test frame (leak) --------------------------------------
NOTEBOOKS["laptop_price_encoding"] = [
    md("# Laptop prices\nCompetition provides `train.csv` and `test.csv` (with prices for local scoring)."),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import OrdinalEncoder
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_percentage_error
train = pd.read_csv('laptops_train.csv')
test = pd.read_csv('laptops_test.csv')
cats = ['Company', 'TypeName', 'OpSys', 'Cpu_brand', 'Gpu_brand']
nums = ['Inches', 'Ram_GB', 'Weight_kg', 'ppi', 'SSD_GB', 'HDD_GB']
"""),
    py("""
enc = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1)
train[cats] = enc.fit_transform(train[cats])
"""),
    py("""
test[cats] = enc.fit_transform(test[cats])  #@ LEAK-FIT-ON-TEST | encoder refitted on the test laptops (codes even differ from train)
"""),
    py("""
rf = RandomForestRegressor(n_estimators=400, random_state=0).fit(train[cats + nums], np.log(train['Price_euros']))
pred = np.exp(rf.predict(test[cats + nums]))
print('MAPE', mean_absolute_percentage_error(test['Price_euros'], pred))
"""),
]

# --- 50. laptops: encoder fit on train, transform test (clean) ---------------------------------
NOTEBOOKS["laptop_price_encoding_ok"] = [
    md("# Laptop prices — encoders from train only"),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import OneHotEncoder
from sklearn.linear_model import RidgeCV
train = pd.read_csv('laptops_train.csv')
test = pd.read_csv('laptops_test.csv')
cats = ['Company', 'TypeName', 'OpSys']
nums = ['Inches', 'Ram_GB', 'Weight_kg', 'ppi']
"""),
    py("""
ohe = OneHotEncoder(handle_unknown='ignore', sparse_output=False).fit(train[cats])
def design(frame):
    return np.hstack([ohe.transform(frame[cats]), frame[nums].to_numpy()])
Xtr, Xte = design(train), design(test)
"""),
    py("""
ridge = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(Xtr, np.log(train['Price_euros']))
print(ridge.alpha_, ridge.score(Xte, np.log(test['Price_euros'])))
"""),
]

# --- 51. mobile network drops: manual upsampling before the split (leak) -----------------------
NOTEBOOKS["call_drop_upsample"] = [
    md("# Dropped calls per cell tower-hour\n2% positives; upsample the drops."),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import precision_recall_fscore_support
kpi = pd.read_csv('tower_kpis.csv')
kpi = kpi.drop(columns=['record_id'])
"""),
    py("""
majority = kpi[kpi.dropped == 0]
minority = kpi[kpi.dropped == 1]
minority_up = resample(minority, replace=True, n_samples=len(majority) // 2, random_state=13)  #@ LEAK-OVERLAP | copies of positive rows made before the split
balanced = pd.concat([majority, minority_up]).sample(frac=1, random_state=13)
"""),
    py("""
X = balanced.drop(columns='dropped')
y = balanced['dropped']
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=13)
gbc = GradientBoostingClassifier().fit(X_tr, y_tr)
print(precision_recall_fscore_support(y_te, gbc.predict(X_te), average='binary'))
"""),
]

# --- 52. mobile network: upsample inside the training split only (clean) ----------------------
NOTEBOOKS["call_drop_upsample_train"] = [
    md("# Dropped calls — upsampling after the split"),
    py("""
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import average_precision_score
kpi = pd.read_csv('tower_kpis.csv').drop(columns=['record_id'])
train, test = train_test_split(kpi, test_size=0.2, stratify=kpi['dropped'], random_state=13)
"""),
    py("""
pos = train[train.dropped == 1]
neg = train[train.dropped == 0]
train_bal = pd.concat([neg, pos.sample(n=len(neg) // 2, replace=True, random_state=13)])
gbc = GradientBoostingClassifier().fit(train_bal.drop(columns='dropped'), train_bal['dropped'])
print('AP', average_precision_score(test['dropped'], gbc.predict_proba(test.drop(columns='dropped'))[:, 1]))
"""),
]

# --- 53. warehouse pick times: team report, helper fits imputer on whatever it gets (leak) ----
NOTEBOOKS["warehouse_pick_time_report"] = [
    md("# Pick-time model — Q3 report\n*Ops analytics.* Helpers first, then the experiment."),
    py("""
import pandas as pd
import numpy as np
from sklearn.impute import KNNImputer
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

FEATURES = ['n_lines', 'n_units', 'aisle_span', 'zone', 'picker_tenure_days', 'cart_type', 'shift']

def load_picks(path):
    df = pd.read_csv(path, parse_dates=['started_at'])
    df = df[df.pick_seconds.between(10, 3600)]
    df['zone'] = df['zone'].astype('category').cat.codes
    df['cart_type'] = df['cart_type'].astype('category').cat.codes
    df['shift'] = df.started_at.dt.hour // 8
    return df

def report(y_true, y_pred):
    return {'MAE_s': mean_absolute_error(y_true, y_pred), 'within_60s': np.mean(np.abs(y_true - y_pred) < 60)}
"""),
    md("## Data"),
    py("""
picks = load_picks('picks_q3.csv')
imputer = KNNImputer(n_neighbors=5)
picks[FEATURES] = imputer.fit_transform(picks[FEATURES])  #@ LEAK-PREPROCESSING | KNN imputation over all picks, test picks included
"""),
    md("## Experiment"),
    py("""
Xtr, Xte, ytr, yte = train_test_split(picks[FEATURES], picks['pick_seconds'], test_size=0.25, random_state=30)
rf = RandomForestRegressor(n_estimators=300, min_samples_leaf=5, n_jobs=-1).fit(Xtr, ytr)
report(yte, rf.predict(Xte))
"""),
]

# --- 54. warehouse: helpers, pipeline with imputer, week-based holdout (clean) ----------------
NOTEBOOKS["warehouse_pick_time_q4"] = [
    md("# Pick-time model — Q4\nImputer inside the pipeline; last two weeks held out."),
    py("""
import pandas as pd
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.impute import KNNImputer
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error

FEATURES = ['n_lines', 'n_units', 'aisle_span', 'zone', 'picker_tenure_days', 'cart_type']

def load_picks(path):
    df = pd.read_csv(path, parse_dates=['started_at']).sort_values('started_at')
    df['zone'] = df['zone'].astype('category').cat.codes
    df['cart_type'] = df['cart_type'].astype('category').cat.codes
    return df

def fit_model(train):
    model = make_pipeline(KNNImputer(n_neighbors=5), RandomForestRegressor(n_estimators=300, n_jobs=-1))
    return model.fit(train[FEATURES], train['pick_seconds'])
"""),
    py("""
picks = load_picks('picks_q4.csv')
cut = picks.started_at.max() - pd.Timedelta(weeks=2)
train, test = picks[picks.started_at <= cut], picks[picks.started_at > cut]
model = fit_model(train)
print(mean_absolute_error(test['pick_seconds'], model.predict(test[FEATURES])))
"""),
]

# --- 55. museum visitors: walk-forward CV over a numpy array (clean) --------------------------
NOTEBOOKS["museum_daily_visitors"] = [
    md("# Museum daily visitors\nWeather + calendar + school holidays; walk-forward CV."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import TimeSeriesSplit
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error
vis = pd.read_csv('museum_visits.csv', parse_dates=['date']).sort_values('date').reset_index(drop=True)
vis['dow'] = vis.date.dt.dayofweek
vis['lag7'] = vis.visitors.shift(7)
vis['ma28'] = vis.visitors.shift(1).rolling(28).mean()
vis = vis.dropna().reset_index(drop=True)
"""),
    py("""
feats = ['dow', 'lag7', 'ma28', 'rain_mm', 'temp_max', 'school_holiday', 'free_entry']
X, y = vis[feats].values, vis['visitors'].values
maes = []
for tr, te in TimeSeriesSplit(n_splits=5).split(X):
    rf = RandomForestRegressor(n_estimators=300, random_state=0).fit(X[tr], y[tr])
    maes.append(mean_absolute_error(y[te], rf.predict(X[te])))
np.round(maes, 1)
"""),
]

# --- 56. water pipe bursts: scaler on the combined train+test frame (leak) -------------------
NOTEBOOKS["pipe_burst_risk"] = [
    md("# Water main burst risk\nOne row per pipe segment (no repeats). Given train/test extracts."),
    py("""
import pandas as pd
import numpy as np
from sklearn.preprocessing import RobustScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
tr = pd.read_csv('pipes_train.csv')
te = pd.read_csv('pipes_test.csv')
num = ['age_years', 'diameter_mm', 'length_m', 'pressure_bar', 'n_prev_breaks', 'soil_corrosivity']
"""),
    py("""
full = pd.concat([tr, te], ignore_index=True)
scaler = RobustScaler().fit(full[num])  #@ LEAK-PREPROCESSING | scaler statistics from train and test pipes combined
Xtr = scaler.transform(tr[num])
Xte = scaler.transform(te[num])
"""),
    py("""
lr = LogisticRegression(max_iter=1000, class_weight='balanced').fit(Xtr, tr['burst_5y'])
print('AUC', roc_auc_score(te['burst_5y'], lr.predict_proba(Xte)[:, 1]))
"""),
]
# --- 57. support e-mails: back-translation augmentation then split (leak) ----------------------
NOTEBOOKS["support_email_routing"] = [
    md("# Routing support e-mails to teams\n~4k labelled tickets. Small classes are augmented by synonym replacement (nlpaug)."),
    py("""
import pandas as pd
import nlpaug.augmenter.word as naw
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report
mails = pd.read_csv('support_emails.csv')
mails['text'] = mails.subject.fillna('') + ' ' + mails.body.fillna('')
mails.team.value_counts()
"""),
    py("""
aug = naw.SynonymAug(aug_src='wordnet', aug_p=0.15)
small = mails[mails.team.map(mails.team.value_counts()) < 200]
extra = pd.DataFrame({'text': [aug.augment(t)[0] for t in small.text for _ in range(3)],  #@ LEAK-OVERLAP | paraphrased copies of tickets created before the split
                      'team': [t for t in small.team for _ in range(3)]})
mails_aug = pd.concat([mails[['text', 'team']], extra], ignore_index=True)
"""),
    py("""
tr_x, te_x, tr_y, te_y = train_test_split(mails_aug.text, mails_aug.team, test_size=0.2, random_state=0, stratify=mails_aug.team)
router = make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2), LogisticRegression(max_iter=2000, C=5))
router.fit(tr_x, tr_y)
print(classification_report(te_y, router.predict(te_x)))
"""),
]

# --- 58. support e-mails: augment training tickets only (clean) --------------------------------
NOTEBOOKS["support_email_routing_v2"] = [
    md("# E-mail routing v2 — augmentation after the split"),
    py("""
import pandas as pd
import nlpaug.augmenter.word as naw
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
mails = pd.read_csv('support_emails.csv')
mails['text'] = mails.subject.fillna('') + ' ' + mails.body.fillna('')
train, test = train_test_split(mails[['text', 'team']], test_size=0.2, random_state=0, stratify=mails.team)
"""),
    py("""
aug = naw.SynonymAug(aug_src='wordnet', aug_p=0.15)
counts = train.team.value_counts()
small = train[train.team.map(counts) < 160]
extra = pd.DataFrame({'text': [aug.augment(t)[0] for t in small.text], 'team': small.team.values})
train_aug = pd.concat([train, extra], ignore_index=True)
router = make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2), LogisticRegression(max_iter=2000, C=5)).fit(train_aug.text, train_aug.team)
print('macro F1', f1_score(test.team, router.predict(test.text), average='macro'))
"""),
]

# --- 59. ski resorts: boosting stages picked on the test set (leak) ---- -------------------------------
NOTEBOOKS["ski_lift_ticket_price"] = [
    md("# Ski resort ticket price (Springboard capstone)\nGradient boosting with a parameter search."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
ski = pd.read_csv('ski_data_step3_features.csv')
ski = ski[ski.AdultWeekend.notna()]
X = ski.drop(columns=['Name', 'Region', 'state', 'AdultWeekend', 'AdultWeekday'])
y = ski['AdultWeekend']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=47)
X_train, X_test = X_train.fillna(X_train.median()), X_test.fillna(X_train.median())
"""),
    py("""
params = {'n_estimators': [100, 300, 600], 'max_depth': [2, 3, 4], 'learning_rate': [0.03, 0.1]}
gs = GridSearchCV(GradientBoostingRegressor(random_state=47), params, cv=5, scoring='neg_mean_absolute_error')
gs.fit(X_train, y_train)
gs.best_params_
"""),
    md("Boosting rounds: pick the best number of stages."),
    py("""
best = GradientBoostingRegressor(random_state=47, **{**gs.best_params_, 'n_estimators': 2000}).fit(X_train, y_train)
stage_mae = [mean_absolute_error(y_test, p) for p in best.staged_predict(X_test)]  #@ LEAK-MULTI-TEST | number of stages chosen on the test resorts
n_best = int(np.argmin(stage_mae)) + 1
print(n_best, 'test MAE', stage_mae[n_best - 1])
"""),
]

# --- 60. ski resorts: fillna with train median, search on train (clean) -----------------------
NOTEBOOKS["ski_lift_ticket_price_cv"] = [
    md("# Ticket price — search on the training resorts"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.ensemble import RandomForestRegressor
ski = pd.read_csv('ski_data_step3_features.csv').dropna(subset=['AdultWeekend'])
X = ski.drop(columns=['Name', 'Region', 'state', 'AdultWeekend', 'AdultWeekday'])
y = ski.AdultWeekend
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=47)
"""),
    py("""
rs = RandomizedSearchCV(make_pipeline(SimpleImputer(strategy='median'), RandomForestRegressor(random_state=47)),
                        {'randomforestregressor__n_estimators': [100, 300, 1000], 'randomforestregressor__max_depth': [None, 5, 10]},
                        n_iter=6, cv=5, random_state=47, scoring='neg_mean_absolute_error').fit(X_train, y_train)
print(rs.best_params_, -rs.score(X_test, y_test))
"""),
]

# --- 61. perfume reviews: PCA fitted on the test embeddings (leak) -----------------------------
NOTEBOOKS["perfume_review_stars"] = [
    md("# Perfume review stars from sentence embeddings\nEmbeddings precomputed with a MiniLM model."),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
tr = pd.read_parquet('perfume_train.parquet'); te = pd.read_parquet('perfume_test.parquet')
E_tr = np.stack(tr.embedding.values); E_te = np.stack(te.embedding.values)
"""),
    py("""
pca_tr = PCA(n_components=50, random_state=0).fit(E_tr)
pca_te = PCA(n_components=50, random_state=0).fit(E_te)  #@ LEAK-FIT-ON-TEST | a separate PCA fitted on the test embeddings
Z_tr, Z_te = pca_tr.transform(E_tr), pca_te.transform(E_te)
"""),
    py("""
clf = LogisticRegression(max_iter=3000).fit(Z_tr, tr.stars)
print(accuracy_score(te.stars, clf.predict(Z_te)))
"""),
]

# --- 62. perfume reviews: same PCA for both (clean) --------------------------------------------
NOTEBOOKS["perfume_review_stars_pca"] = [
    md("# Perfume stars — one PCA learned on train"),
    py("""
import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
tr = pd.read_parquet('perfume_train.parquet'); te = pd.read_parquet('perfume_test.parquet')
E_tr = np.stack(tr.embedding.values); E_te = np.stack(te.embedding.values)
pca = PCA(n_components=50, random_state=0).fit(E_tr)
clf = LogisticRegression(max_iter=3000).fit(pca.transform(E_tr), tr.stars)
print(clf.score(pca.transform(E_te), te.stars))
"""),
    py("""
# explained variance of the test set under the training basis, for the write-up
ev = np.var(pca.transform(E_te), axis=0) / np.var(E_te, axis=0).sum()
ev.cumsum()[-1]
"""),
]

# --- 63. vinyl prices: target in features through numpy column slicing (leak) -----------------
NOTEBOOKS["vinyl_resale_price"] = [
    md("# Vinyl record resale price\nMarketplace listings; predict log price."),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
vin = pd.read_csv('vinyl_listings.csv')
vin['log_price'] = np.log(vin['price_usd'])
vin['age'] = 2024 - vin['release_year']
cols = ['age', 'media_grade', 'sleeve_grade', 'n_wants', 'n_haves', 'is_first_press', 'log_price']
data = vin[cols].dropna().to_numpy()
"""),
    py("""
X, y = data, data[:, -1]  #@ LEAK-TARGET-IN-FEATURES | X is the whole array, log_price (last column) included
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=6)
print(RandomForestRegressor(n_estimators=300, random_state=6).fit(Xtr, ytr).score(Xte, yte))
"""),
]

# --- 64. vinyl: numpy slicing without the label column (clean) ---------------------------------
NOTEBOOKS["vinyl_resale_price_v2"] = [
    md("# Vinyl resale — fixed slicing"),
    py("""
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
vin = pd.read_csv('vinyl_listings.csv')
vin['log_price'] = np.log(vin['price_usd'])
vin['age'] = 2024 - vin['release_year']
cols = ['age', 'media_grade', 'sleeve_grade', 'n_wants', 'n_haves', 'is_first_press', 'log_price']
data = vin[cols].dropna().to_numpy()
X, y = data[:, :-1], data[:, -1]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=6)
print(RandomForestRegressor(n_estimators=300, random_state=6).fit(Xtr, ytr).score(Xte, yte))
"""),
]

# --- 65. gym memberships: SMOTE cell at the bottom was run before the split (leak by order) ---
NOTEBOOKS["gym_churn_balance"] = [
    md("# Gym membership churn\nMonthly snapshot, one row per member (no repeats)."),
    py("""
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
gym = pd.read_csv('gym_churn_us.csv')
X = gym.drop(columns=['Churn'])
y = gym['Churn']
""", 1),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
""", 3),
    py("""
forest = RandomForestClassifier(n_estimators=500, random_state=0).fit(X_train, y_train)
print('F1', f1_score(y_test, forest.predict(X_test)))
""", 4),
    md("### balancing experiment"),
    py("""
X, y = SMOTE(random_state=0).fit_resample(X, y)  #@ LEAK-OVERLAP | executed as In[2], before the split: synthetic churners straddle train and test
y.value_counts()
""", 2),
]

# --- 66. gym: PCA cell at top was re-run after the evaluation (clean by order) ----------------
NOTEBOOKS["gym_churn_pca_try"] = [
    md("# Gym churn — logistic regression"),
    py("""
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
gym = pd.read_csv('gym_churn_us.csv')
X, y = gym.drop(columns='Churn'), gym['Churn']
""", 1),
    md("Trying PCA on everything to look at the components (ran after the results below)."),
    py("""
X = pd.DataFrame(PCA(n_components=6).fit_transform(StandardScaler().fit_transform(X)))
X.corrwith(y)
""", 5),
    py("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
sc = StandardScaler().fit(X_train)
""", 2),
    py("""
lr = LogisticRegression(max_iter=1000).fit(sc.transform(X_train), y_train)
print('AUC', roc_auc_score(y_test, lr.predict_proba(sc.transform(X_test))[:, 1]))
""", 3),
    py("""
lr.coef_.round(2)
""", 4),
]
# --- 67. bird counts: shuffled KFold as the GridSearchCV splitter on a daily series (leak) ----
NOTEBOOKS["bird_migration_counts"] = [
    md("# Daily migrant counts at a ringing station\nPredict tomorrow's count from weather and recent counts."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import KFold, GridSearchCV
from sklearn.ensemble import RandomForestRegressor
birds = pd.read_csv('station_daily.csv', parse_dates=['date']).sort_values('date')
birds['count_lag1'] = birds['n_ringed'].shift(1)
birds['count_lag2'] = birds['n_ringed'].shift(2)
birds['wind_change'] = birds['wind_dir_deg'].diff()
birds['doy'] = birds.date.dt.dayofyear
birds = birds.dropna()
features = ['count_lag1', 'count_lag2', 'wind_speed', 'wind_change', 'temp', 'cloud', 'doy']
"""),
    py("""
folds = KFold(n_splits=5, shuffle=True, random_state=1)  #@ LEAK-TEMPORAL-SPLIT | shuffled folds over consecutive days
grid = GridSearchCV(RandomForestRegressor(random_state=1), {'max_depth': [4, 8, None], 'min_samples_leaf': [1, 5]},
                    cv=folds, scoring='neg_mean_absolute_error')
grid.fit(birds[features], birds['n_ringed'])
print(grid.best_params_, -grid.best_score_)
"""),
]

# --- 68. telecom churn: get_dummies over the frame including the label (leak) -----------------
NOTEBOOKS["telco_churn_dummies"] = [
    md("# Telco customer churn (IBM sample)\nQuick baseline with one-hot features."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
telco = pd.read_csv('WA_Fn-UseC_-Telco-Customer-Churn.csv')
telco['TotalCharges'] = pd.to_numeric(telco['TotalCharges'], errors='coerce').fillna(0)
telco.info()
"""),
    py("""
y = (telco['Churn'] == 'Yes').astype(int)
X = pd.get_dummies(telco.drop(columns=['customerID']), drop_first=True)  #@ LEAK-TARGET-IN-FEATURES | Churn becomes the dummy column Churn_Yes inside X
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
"""),
    py("""
logit = LogisticRegression(max_iter=5000).fit(X_train, y_train)
print('AUC', roc_auc_score(y_test, logit.predict_proba(X_test)[:, 1]))
"""),
]

# --- 69. plant leaves: selection on train+test stacked, then scaler fitted on test (two leaks)
NOTEBOOKS["plant_leaf_disease_features"] = [
    md("# Leaf disease from colour/texture features\nHandcrafted features (colour histograms, Haralick) from PlantVillage crops; the split folders are given."),
    py("""
import numpy as np
from sklearn.feature_selection import VarianceThreshold
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
from sklearn.metrics import accuracy_score
F_tr, y_tr = np.load('leaf_feats_train.npy'), np.load('leaf_y_train.npy')
F_te, y_te = np.load('leaf_feats_test.npy'), np.load('leaf_y_test.npy')
"""),
    md("Drop near-constant histogram bins."),
    py("""
vt = VarianceThreshold(threshold=1e-4)
vt.fit(np.concatenate([F_tr, F_te]))  #@ LEAK-PREPROCESSING | bin variances computed over train and test leaves together
F_tr, F_te = vt.transform(F_tr), vt.transform(F_te)
"""),
    py("""
mm = MinMaxScaler()
F_tr = mm.fit_transform(F_tr)
F_te = MinMaxScaler().fit_transform(F_te)  #@ LEAK-FIT-ON-TEST | test leaves scaled with their own min/max
"""),
    py("""
svm = SVC(C=20, gamma='scale').fit(F_tr, y_tr)
print('accuracy', accuracy_score(y_te, svm.predict(F_te)))
"""),
]

# --- 70. cinema ticket sales: random split of sorted daily rows per film (leak) ---------------
NOTEBOOKS["cinema_ticket_sales"] = [
    md("# Cinema ticket sales per film per day\nFeatures: days since release, lagged sales, weekday, screens."),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from lightgbm import LGBMRegressor
from sklearn.metrics import mean_absolute_error
tix = pd.read_csv('cinema_ticket.csv', parse_dates=['date', 'release_date']).sort_values(['film_code', 'date'])
tix['days_out'] = (tix.date - tix.release_date).dt.days
tix['lag1'] = tix.groupby('film_code').tickets_sold.shift(1)
tix['lag7'] = tix.groupby('film_code').tickets_sold.shift(7)
tix['weekday'] = tix.date.dt.weekday
tix = tix.dropna(subset=['lag1', 'lag7'])
"""),
    py("""
cols = ['days_out', 'lag1', 'lag7', 'weekday', 'show_time', 'ticket_price', 'capacity']
x_tr, x_te, y_tr, y_te = train_test_split(tix[cols], tix['tickets_sold'], test_size=0.2, random_state=2)  #@ LEAK-TEMPORAL-SPLIT | daily sales shuffled: later days train the model that predicts earlier ones
lgbm = LGBMRegressor(n_estimators=800, learning_rate=0.05).fit(x_tr, y_tr)
print(mean_absolute_error(y_te, lgbm.predict(x_te)))
"""),
]

# --- 71. tyre wear telemetry: shuffled KFold over stints of the same vehicles (leak) ----------
NOTEBOOKS["tyre_wear_stints"] = [
    md("# Tyre wear per stint\nFleet telemetry: each vehicle contributes 20-80 stints. Goal: predict wear for new vehicles joining the fleet."),
    py("""
import pandas as pd
import numpy as np
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import HistGradientBoostingRegressor
stints = pd.read_csv('stints.csv')
stints['km_per_h'] = stints.distance_km / stints.duration_h
print(len(stints), 'stints from', stints.vehicle_id.nunique(), 'vehicles')
X = stints[['distance_km', 'km_per_h', 'mean_lat_g', 'mean_long_g', 'track_temp', 'load_kg', 'compound_code']]
y = stints['wear_mm']
"""),
    py("""
cv = KFold(n_splits=5, shuffle=True, random_state=8)  #@ LEAK-GROUP-SPLIT | stints of one vehicle spread across folds
model = make_pipeline(StandardScaler(), HistGradientBoostingRegressor())
print(cross_val_score(model, X, y, cv=cv, scoring='neg_mean_absolute_error').mean())
"""),
]

# --- 72. telecom churn: label dropped before dummies, SMOTE on the training split (clean) ----
NOTEBOOKS["telco_churn_smote_train"] = [
    md("# Telco churn — a full kernel\nEDA, feature engineering, three models compared by cross-validation on the training rows, SMOTE on the training rows only, one final test score."),
    py("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_imb_pipeline
from sklearn.model_selection import train_test_split, cross_val_score, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.metrics import recall_score, roc_auc_score, classification_report
"""),
    py("""
telco = pd.read_csv('WA_Fn-UseC_-Telco-Customer-Churn.csv')
telco['TotalCharges'] = pd.to_numeric(telco['TotalCharges'], errors='coerce').fillna(0)
telco.shape
"""),
    md("## EDA\nWhole-data summaries only; nothing here feeds the model."),
    py("""
telco['Churn'].value_counts(normalize=True)
"""),
    py("""
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for ax, col in zip(axes, ['tenure', 'MonthlyCharges', 'TotalCharges']):
    sns.kdeplot(data=telco, x=col, hue='Churn', common_norm=False, ax=ax)
plt.tight_layout()
"""),
    py("""
telco.groupby('Contract')['Churn'].apply(lambda s: (s == 'Yes').mean()).sort_values()
"""),
    md("## Features"),
    py("""
y = telco.pop('Churn').eq('Yes').astype(int)
telco['charges_per_month'] = telco['TotalCharges'] / telco['tenure'].clip(lower=1)
X = pd.get_dummies(telco.drop(columns='customerID'), drop_first=True, dtype=float)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
"""),
    md("## Model comparison (5-fold CV on the training rows, SMOTE inside each fold)"),
    py("""
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=10)
candidates = {
    'logreg': make_imb_pipeline(StandardScaler(), SMOTE(random_state=10), LogisticRegression(max_iter=5000)),
    'rf': make_imb_pipeline(SMOTE(random_state=10), RandomForestClassifier(n_estimators=400, random_state=10)),
    'gb': make_imb_pipeline(SMOTE(random_state=10), GradientBoostingClassifier(random_state=10)),
}
cv_auc = {name: cross_val_score(pipe, X_train, y_train, cv=skf, scoring='roc_auc').mean() for name, pipe in candidates.items()}
cv_auc
"""),
    py("""
best_name = max(cv_auc, key=cv_auc.get)
best_name
"""),
    md("## Final fit and the one test score"),
    py("""
scaler = StandardScaler().fit(X_train)
X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)
X_bal, y_bal = SMOTE(random_state=10).fit_resample(X_train_s, y_train)
final = candidates[best_name][-1].fit(X_bal, y_bal)
proba = final.predict_proba(X_test_s)[:, 1]
print('recall', recall_score(y_test, proba > 0.5), 'AUC', roc_auc_score(y_test, proba))
print(classification_report(y_test, proba > 0.5))
"""),
]

# --- 73. bird counts: TimeSeriesSplit inside GridSearchCV (clean) -------------------------------
NOTEBOOKS["bird_migration_tscv"] = [
    md("# Ringing station counts — walk-forward grid search"),
    py("""
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit, GridSearchCV
from sklearn.ensemble import RandomForestRegressor
birds = pd.read_csv('station_daily.csv', parse_dates=['date']).sort_values('date')
birds['count_lag1'] = birds['n_ringed'].shift(1)
birds['doy'] = birds.date.dt.dayofyear
birds = birds.dropna()
features = ['count_lag1', 'wind_speed', 'temp', 'cloud', 'doy']
"""),
    py("""
grid = GridSearchCV(RandomForestRegressor(random_state=1), {'max_depth': [4, 8, None]},
                    cv=TimeSeriesSplit(n_splits=5), scoring='neg_mean_absolute_error')
grid.fit(birds[features], birds['n_ringed'])
print(grid.best_params_, -grid.best_score_)
"""),
]

# --- 74. tyre wear: vehicle-grouped holdout, per-vehicle aggregates from train mapped to test,
#         category_encoders fitted on train (clean)
NOTEBOOKS["tyre_wear_new_vehicles"] = [
    md("# Tyre wear — held-out vehicles\nCompound target-encoded with `category_encoders` (fitted on the training stints only)."),
    py("""
import pandas as pd
import category_encoders as ce
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
stints = pd.read_csv('stints.csv')
gss = GroupShuffleSplit(n_splits=1, test_size=0.25, random_state=8)
tr_i, te_i = next(gss.split(stints, groups=stints['vehicle_id']))
train, test = stints.iloc[tr_i].copy(), stints.iloc[te_i].copy()
"""),
    py("""
load_by_depot = train.groupby('depot')['load_kg'].mean()
train['depot_load'] = train['depot'].map(load_by_depot)
test['depot_load'] = test['depot'].map(load_by_depot).fillna(load_by_depot.mean())
enc = ce.TargetEncoder(cols=['compound'], smoothing=10).fit(train[['compound']], train['wear_mm'])
train['compound_te'] = enc.transform(train[['compound']])['compound']
test['compound_te'] = enc.transform(test[['compound']])['compound']
"""),
    py("""
cols = ['distance_km', 'mean_lat_g', 'track_temp', 'load_kg', 'depot_load', 'compound_te']
hgb = HistGradientBoostingRegressor().fit(train[cols], train['wear_mm'])
print('MAE on unseen vehicles', mean_absolute_error(test['wear_mm'], hgb.predict(test[cols])))
"""),
]

# --- 75. plant leaves: manual numpy standardisation with training statistics (clean) ----------
NOTEBOOKS["plant_leaf_disease_numpy"] = [
    md("# Leaf disease — standardise with training mean/std by hand"),
    py("""
import numpy as np
from sklearn.svm import SVC
F_tr, y_tr = np.load('leaf_feats_train.npy'), np.load('leaf_y_train.npy')
F_te, y_te = np.load('leaf_feats_test.npy'), np.load('leaf_y_test.npy')
mu = F_tr.mean(axis=0)
sd = F_tr.std(axis=0) + 1e-8
keep = F_tr.var(axis=0) > 1e-4
F_tr = ((F_tr - mu) / sd)[:, keep]
F_te = ((F_te - mu) / sd)[:, keep]
"""),
    py("""
svm = SVC(C=20, gamma='scale').fit(F_tr, y_tr)
print('accuracy', svm.score(F_te, y_te))
"""),
]

# --- 76. cinema tickets: chronological split with shuffle=False (clean) ------------------------
NOTEBOOKS["cinema_ticket_sales_ordered"] = [
    md("# Cinema ticket sales — last 20% of dates held out"),
    py("""
import pandas as pd
from sklearn.model_selection import train_test_split
from lightgbm import LGBMRegressor
from sklearn.metrics import mean_absolute_error
tix = pd.read_csv('cinema_ticket.csv', parse_dates=['date']).sort_values('date')
tix['lag1'] = tix.groupby('film_code').tickets_sold.shift(1)
tix['weekday'] = tix.date.dt.weekday
tix = tix.dropna(subset=['lag1'])
cols = ['lag1', 'weekday', 'show_time', 'ticket_price', 'capacity']
x_tr, x_te, y_tr, y_te = train_test_split(tix[cols], tix['tickets_sold'], test_size=0.2, shuffle=False)
lgbm = LGBMRegressor(n_estimators=800, learning_rate=0.05).fit(x_tr, y_tr)
print(mean_absolute_error(y_te, lgbm.predict(x_te)))
"""),
]


def build(out: Path = DEFAULT_OUT) -> None:
    """Write every notebook and ``labels.json`` (the format the shared scorer reads)."""
    build_corpus(NOTEBOOKS, out)


if __name__ == "__main__":
    main(NOTEBOOKS, DEFAULT_OUT)
