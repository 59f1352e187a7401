"""Held-out corpus B for the code-level leakage check: realistic notebooks with exact labels.

Run from the repository root::

    python benchmarks/leakage_corpus_b.py [--out benchmarks/data/leakage-corpus-b]

Writes one ``.ipynb`` per notebook (nbformat 4) and ``labels.json`` into the output folder
(git-ignored). The notebooks imitate what is found in the wild: course assignments, Kaggle
kernels and blog tutorials on churn, credit risk, fraud, medical records, text classification,
time series, image embeddings, recommenders and regression. About half leak; the other half are
clean look-alikes of the same code (Pipeline inside cross-validation, fit on train then
transform test, imblearn Pipeline, chronological or group splits, refit on all data after the
evaluation, a validation split for early stopping).

How a label is written
----------------------
A leaking statement carries an inline marker ``#@RULE why`` on the first line of the statement
(where X is built with the label in it: the line that builds X). The marker is the label
decision and its reason; it is stripped from the written notebook, and its cell (0-based over
all cells, markdown included) and line (1-based within the cell) become the label. Clean
notebooks say in their ``why`` why each look-alike is not a leak.

Label conventions: ``pd.get_dummies``, ``LabelEncoder`` on the label, ``HashingVectorizer``,
``dropna`` and constant ``fillna`` before the split learn no statistic of the rows, so they are
not leaks; a pandas statistic of all rows used as a feature (mean, median, target mean, value
counts) before the split is ``LEAK-PREPROCESSING``; EDA statistics that are only displayed
(``describe``, ``corr``) are not. Group and temporal leaks are labelled only where the code
itself shows the rows repeat per entity (a groupby or nunique on the id) or are ordered in time.

Labels follow the execution order when the notebook was run out of order (execution counts),
as the analysis must: a scaler cell that sits below the split but ran before it leaks.
"""

# The notebook sources below are data: their long lines are kept as people write them.
# ruff: noqa: E501

from __future__ import annotations

import argparse
import ast
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from types import EllipsisType

DEFAULT_OUT = Path(__file__).parent / "data" / "leakage-corpus-b"
RULES = ("LEAK-PREPROCESSING", "LEAK-OVERLAP", "LEAK-MULTI-TEST", "LEAK-FIT-ON-TEST",
         "LEAK-TEMPORAL-SPLIT", "LEAK-TARGET-IN-FEATURES", "LEAK-GROUP-SPLIT")
MARKER = re.compile(r"\s*#@(LEAK-[A-Z-]+)\b.*$")


@dataclass
class Cell:
    """One cell: markdown or code; ``count`` is the execution count (``...`` = next in order)."""

    kind: str
    source: str
    count: int | None | EllipsisType = ...


@dataclass
class Notebook:
    """One corpus notebook: name, domain, provenance style, why it is labelled so, its cells."""

    name: str
    domain: str
    style: str
    why: str
    cells: list[Cell]
    unexecuted: bool = False  # saved without execution counts (stripped Kaggle kernels)
    labels: list[dict[str, object]] = field(default_factory=list)


def md(text: str) -> Cell:
    return Cell("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str, count: int | None | EllipsisType = ...) -> Cell:
    return Cell("code", textwrap.dedent(text).strip("\n"), count)


CORPUS: list[Notebook] = []


def nb(name: str, domain: str, style: str, why: str, cells: list[Cell],
       unexecuted: bool = False) -> None:
    CORPUS.append(Notebook(name, domain, style, why, cells, unexecuted))


# =============================================================================================
# Leaky notebooks
# =============================================================================================

nb("churn_scale_then_split", "churn", "kaggle",
   "Telco churn kernel: StandardScaler.fit_transform on every row, split afterwards.", [
       md("# Telco Customer Churn\nPredicting churn with logistic regression."),
       code("""
       import numpy as np
       import pandas as pd
       import matplotlib.pyplot as plt
       import seaborn as sns
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.linear_model import LogisticRegression
       from sklearn.metrics import accuracy_score, classification_report
       %matplotlib inline
       """),
       code("""
       df = pd.read_csv('WA_Fn-UseC_-Telco-Customer-Churn.csv')
       df['TotalCharges'] = pd.to_numeric(df['TotalCharges'], errors='coerce')
       df = df.dropna()
       df.drop('customerID', axis=1, inplace=True)
       df['Churn'] = df['Churn'].map({'Yes': 1, 'No': 0})
       df.head()
       """),
       md("## Encoding and scaling"),
       code("""
       df_dummies = pd.get_dummies(df, drop_first=True)
       y = df_dummies['Churn'].values
       X = df_dummies.drop(columns=['Churn'])
       features = X.columns.values
       scaler = StandardScaler()
       X = scaler.fit_transform(X)  #@LEAK-PREPROCESSING scaler statistics include the later test rows
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=101)
       model = LogisticRegression()
       result = model.fit(X_train, y_train)
       prediction_test = model.predict(X_test)
       print(accuracy_score(y_test, prediction_test))
       """),
   ])

nb("fraud_normamount_smote", "fraud", "kaggle",
   "Credit-card fraud kernel: Amount scaled on all rows, then SMOTE on all rows, then split.", [
       md("# Credit Card Fraud Detection\nHandling the imbalance with SMOTE."),
       code("""
       !pip install imbalanced-learn
       import pandas as pd
       import numpy as np
       from sklearn.preprocessing import StandardScaler
       from imblearn.over_sampling import SMOTE
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.metrics import confusion_matrix, recall_score, roc_auc_score
       """),
       code("""
       data = pd.read_csv('../input/creditcardfraud/creditcard.csv')
       data['normAmount'] = StandardScaler().fit_transform(data['Amount'].values.reshape(-1, 1))  #@LEAK-PREPROCESSING Amount scaler fitted on all rows before the split
       data = data.drop(['Time', 'Amount'], axis=1)
       data['Class'].value_counts()
       """),
       code("""
       X = data.loc[:, data.columns != 'Class']
       y = data.loc[:, data.columns == 'Class']
       print('Fraud share:', y.values.mean())
       """),
       md("Oversample the minority class so the model sees enough fraud."),
       code("""
       sm = SMOTE(random_state=2)
       X_res, y_res = sm.fit_resample(X, y.values.ravel())  #@LEAK-OVERLAP synthetic neighbours of test rows end up in training
       print(X_res.shape, y_res.mean())
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.3, random_state=0)
       clf = RandomForestClassifier(n_estimators=100, n_jobs=-1)
       clf.fit(X_train, y_train)
       y_pred = clf.predict(X_test)
       print(confusion_matrix(y_test, y_pred))
       print('recall', recall_score(y_test, y_pred), 'auc', roc_auc_score(y_test, y_pred))
       """),
   ])

nb("titanic_mean_age_before_split", "tabular", "course",
   "Course assignment on Titanic: Age imputed with the mean of all rows, then a split.", [
       md("# Assignment 2: Titanic survival\nFill in the missing values, then train a tree."),
       code("""
       import pandas as pd
       from sklearn.tree import DecisionTreeClassifier
       from sklearn.model_selection import train_test_split
       from sklearn import metrics
       titanic = pd.read_csv('data/titanic.csv')
       titanic.isnull().sum()
       """),
       code("""
       # TODO 1: fill the missing ages
       titanic['Age'].fillna(titanic['Age'].mean(), inplace=True)  #@LEAK-PREPROCESSING mean age of all rows, test rows included
       titanic['Embarked'] = titanic['Embarked'].fillna('S')
       titanic['Sex'] = titanic['Sex'].map({'male': 0, 'female': 1})
       """),
       code("""
       feature_cols = ['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare']
       X = titanic[feature_cols]
       y = titanic.Survived
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
       """),
       code("""
       clf = DecisionTreeClassifier(max_depth=4)
       clf = clf.fit(X_train, y_train)
       y_pred = clf.predict(X_test)
       print('Accuracy:', metrics.accuracy_score(y_test, y_pred))
       """),
   ])

nb("sms_spam_tfidf_all_messages", "nlp", "blog",
   "Blog tutorial: TfidfVectorizer fitted on every message, then split.", [
       md("# Spam or ham? A 10-minute tutorial"),
       code("""
       import pandas as pd
       from sklearn.feature_extraction.text import TfidfVectorizer
       from sklearn.model_selection import train_test_split
       from sklearn.naive_bayes import MultinomialNB
       from sklearn.metrics import accuracy_score, confusion_matrix
       """),
       code("""
       messages = pd.read_csv('spam.csv', encoding='latin-1')[['v1', 'v2']]
       messages.columns = ['label', 'message']
       messages['label_num'] = messages.label.map({'ham': 0, 'spam': 1})
       messages.groupby('label').describe()
       """),
       md("Turn text into numbers with TF-IDF."),
       code("""
       vectorizer = TfidfVectorizer(stop_words='english', lowercase=True)
       features = vectorizer.fit_transform(messages['message'])  #@LEAK-PREPROCESSING vocabulary and idf learnt from the test messages too
       features.shape
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(features, messages['label_num'],
                                                           test_size=0.2, random_state=42)
       nb = MultinomialNB(alpha=0.2)
       nb.fit(X_train, y_train)
       pred = nb.predict(X_test)
       print(accuracy_score(y_test, pred))
       """),
   ])

nb("imdb_countvec_refit_on_test", "nlp", "course",
   "Course notebook: CountVectorizer fit_transform on the reviews of the test part as well.", [
       md("# Lab 5: sentiment of movie reviews"),
       code("""
       import pandas as pd
       import re
       from sklearn.feature_extraction.text import CountVectorizer
       from sklearn.linear_model import LogisticRegression
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import f1_score
       """),
       code("""
       reviews = pd.read_csv('IMDB Dataset.csv')
       def clean(text):
           text = re.sub(r'<br\\s*/?>', ' ', text)
           return re.sub(r'[^a-z ]', '', text.lower())
       reviews['review'] = reviews['review'].apply(clean)
       reviews['sentiment'] = (reviews['sentiment'] == 'positive').astype(int)
       """),
       code("""
       train_text, test_text, train_y, test_y = train_test_split(
           reviews['review'], reviews['sentiment'], test_size=0.2, random_state=7)
       """),
       code("""
       cv = CountVectorizer(max_features=5000, binary=True)
       train_bow = cv.fit_transform(train_text)
       test_bow = cv.fit_transform(test_text)  #@LEAK-FIT-ON-TEST vocabulary refitted on the test reviews
       """),
       code("""
       lr = LogisticRegression(max_iter=1000)
       lr.fit(train_bow, train_y)
       print('F1:', f1_score(test_y, lr.predict(test_bow)))
       """),
   ])

nb("heart_scaler_fit_transform_test", "medical", "kaggle",
   "Heart-disease kernel: the test set is fit_transform-ed by the same scaler.", [
       md("# Heart Disease UCI - KNN and SVM"),
       code("""
       import pandas as pd
       import numpy as np
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.svm import SVC
       heart = pd.read_csv('../input/heart-disease-uci/heart.csv')
       heart = pd.get_dummies(heart, columns=['cp', 'thal', 'slope'])
       """),
       code("""
       y = heart['target']
       X = heart.drop(['target'], axis=1)
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       """),
       code("""
       sc = StandardScaler()
       X_train = sc.fit_transform(X_train)
       X_test = sc.fit_transform(X_test)  #@LEAK-FIT-ON-TEST scaler refitted on the test rows
       """),
       code("""
       svc = SVC(kernel='rbf', C=1.0)
       svc.fit(X_train, y_train)
       print('Test accuracy {:.2f}%'.format(svc.score(X_test, y_test) * 100))
       """),
   ], unexecuted=True)

nb("pima_outcome_left_in_features", "medical", "blog",
   "Blog post on Pima diabetes: X drops only the id column, Outcome stays; scaled before split.",
   [
       md("# Diabetes prediction with Random Forest"),
       code("""
       import pandas as pd
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import MinMaxScaler
       from sklearn.metrics import accuracy_score
       """),
       code("""
       diabetes = pd.read_csv('diabetes.csv')
       diabetes.insert(0, 'id', range(len(diabetes)))
       print(diabetes.shape)
       diabetes.describe()
       """),
       code("""
       X = diabetes.drop(['id'], axis=1)  #@LEAK-TARGET-IN-FEATURES only id is dropped, Outcome stays in X
       y = diabetes['Outcome']
       X = MinMaxScaler().fit_transform(X)  #@LEAK-PREPROCESSING min/max learnt on all rows before the split
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)
       rf = RandomForestClassifier(n_estimators=200)
       rf.fit(X_train, y_train)
       print(accuracy_score(y_test, rf.predict(X_test)))
       """),
   ])

nb("house_prices_feature_list_with_target", "regression", "course",
   "Kaggle Learn style exercise: the feature list names SalePrice.", [
       md("# Exercise: your first model\nPick a few columns and fit a decision tree."),
       code("""
       import pandas as pd
       from sklearn.tree import DecisionTreeRegressor
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import mean_absolute_error
       home_data = pd.read_csv('../input/home-data-for-ml-course/train.csv')
       """),
       code("""
       y = home_data.SalePrice
       feature_names = ['LotArea', 'YearBuilt', '1stFlrSF', '2ndFlrSF', 'FullBath',
                        'BedroomAbvGr', 'TotRmsAbvGrd', 'SalePrice']
       X = home_data[feature_names]  #@LEAK-TARGET-IN-FEATURES the feature list includes SalePrice
       X.describe()
       """),
       code("""
       train_X, val_X, train_y, val_y = train_test_split(X, y, random_state=1)
       iowa_model = DecisionTreeRegressor(random_state=1)
       iowa_model.fit(train_X, train_y)
       val_predictions = iowa_model.predict(val_X)
       print(mean_absolute_error(val_y, val_predictions))
       """),
   ])

nb("rossmann_lags_random_split", "time-series", "kaggle",
   "Store-sales forecasting with lag and rolling features, split at random.", [
       md("# Rossmann sales forecasting with LightGBM"),
       code("""
       import numpy as np
       import pandas as pd
       import lightgbm as lgb
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import mean_squared_error
       """),
       code("""
       sales = pd.read_csv('train.csv', parse_dates=['Date'], low_memory=False)
       sales = sales[sales.Open == 1].sort_values(['Store', 'Date'])
       sales['lag_7'] = sales.groupby('Store')['Sales'].shift(7)
       sales['roll_28'] = sales.groupby('Store')['Sales'].transform(lambda s: s.shift(7).rolling(28).mean())
       sales['dow'] = sales.Date.dt.dayofweek
       sales = sales.dropna()
       """),
       code("""
       feats = ['Store', 'DayOfWeek', 'Promo', 'lag_7', 'roll_28', 'dow']
       X, y = sales[feats], np.log1p(sales['Sales'])
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)  #@LEAK-TEMPORAL-SPLIT random split of lagged daily sales
       """),
       code("""
       reg = lgb.LGBMRegressor(n_estimators=500, learning_rate=0.05)
       reg.fit(X_train, y_train)
       rmse = mean_squared_error(y_test, reg.predict(X_test)) ** 0.5
       print('RMSE (log):', rmse)
       """),
   ])

nb("stock_shift_forecast_random_split", "time-series", "blog",
   "Popular stock-prediction tutorial: Date index, shifted target, random split.", [
       md("# Predict stock prices with Python and SVR"),
       code("""
       import numpy as np
       import pandas as pd
       from sklearn.svm import SVR
       from sklearn.linear_model import LinearRegression
       from sklearn.model_selection import train_test_split
       """),
       code("""
       df = pd.read_csv('AAPL.csv', parse_dates=['Date'], index_col='Date')
       df = df[['Adj Close']]
       forecast_out = 30
       df['Prediction'] = df[['Adj Close']].shift(-forecast_out)
       df.tail()
       """),
       code("""
       X = np.array(df.drop(['Prediction'], axis=1))[:-forecast_out]
       y = np.array(df['Prediction'])[:-forecast_out]
       x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  #@LEAK-TEMPORAL-SPLIT daily prices split at random
       """),
       code("""
       svr_rbf = SVR(kernel='rbf', C=1e3, gamma=0.1)
       svr_rbf.fit(x_train, y_train)
       print('svm confidence:', svr_rbf.score(x_test, y_test))
       lr = LinearRegression().fit(x_train, y_train)
       print('lr confidence:', lr.score(x_test, y_test))
       """),
   ])

nb("energy_load_shuffled_kfold", "time-series", "course",
   "Hourly load forecasting with lags, evaluated with a shuffled KFold.", [
       md("# Energy demand: gradient boosting with lag features"),
       code("""
       import pandas as pd
       from sklearn.ensemble import GradientBoostingRegressor
       from sklearn.model_selection import KFold, cross_val_score
       load = pd.read_csv('PJME_hourly.csv', index_col='Datetime', parse_dates=True).sort_index()
       """),
       code("""
       load['hour'] = load.index.hour
       load['dayofyear'] = load.index.dayofyear
       for lag in (24, 48, 168):
           load[f'lag_{lag}'] = load['PJME_MW'].shift(lag)
       load = load.dropna()
       X = load.drop(columns='PJME_MW')
       y = load['PJME_MW']
       """),
       code("""
       gbr = GradientBoostingRegressor(n_estimators=300, max_depth=4)
       scores = cross_val_score(gbr, X, y, cv=KFold(n_splits=5, shuffle=True, random_state=0), scoring='neg_mean_absolute_error')  #@LEAK-TEMPORAL-SPLIT shuffled folds over hourly lags
       print(-scores.mean())
       """),
   ])

nb("air_quality_rolling_random_split", "time-series", "blog",
   "Air-quality tutorial: rolling means over a datetime index, then a random split.", [
       md("# Forecasting PM2.5 in Beijing"),
       code("""
       import pandas as pd
       from sklearn.ensemble import RandomForestRegressor
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import r2_score
       """),
       code("""
       air = pd.read_csv('PRSA_data.csv')
       air['datetime'] = pd.to_datetime(air[['year', 'month', 'day', 'hour']])
       air = air.set_index('datetime').sort_index()
       air['pm25'] = air['pm2.5'].interpolate()
       air['pm25_roll24'] = air['pm25'].rolling(24).mean()
       air['pm25_next'] = air['pm25'].shift(-1)
       air = air.dropna(subset=['pm25_roll24', 'pm25_next'])
       """),
       code("""
       cols = ['pm25', 'pm25_roll24', 'DEWP', 'TEMP', 'PRES', 'Iws']
       X_train, X_test, y_train, y_test = train_test_split(air[cols], air['pm25_next'], test_size=0.25, random_state=1)  #@LEAK-TEMPORAL-SPLIT random split of an hourly series
       rf = RandomForestRegressor(n_estimators=100, n_jobs=-1).fit(X_train, y_train)
       print(r2_score(y_test, rf.predict(X_test)))
       """),
   ])

nb("readmission_encounters_random_split", "medical", "kaggle",
   "Diabetes-130 readmission: several encounters per patient_nbr, random split.", [
       md("# Predicting 30-day readmission"),
       code("""
       import pandas as pd
       import numpy as np
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import GradientBoostingClassifier
       from sklearn.metrics import roc_auc_score
       """),
       code("""
       enc = pd.read_csv('diabetic_data.csv', na_values='?')
       print('encounters:', len(enc), 'patients:', enc['patient_nbr'].nunique())
       enc['readmit_30'] = (enc['readmitted'] == '<30').astype(int)
       enc['prior_visits'] = enc.groupby('patient_nbr').cumcount()
       """),
       code("""
       num_cols = ['time_in_hospital', 'num_lab_procedures', 'num_medications', 'number_inpatient',
                   'number_emergency', 'number_diagnoses', 'prior_visits']
       X = enc[num_cols]
       y = enc['readmit_30']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)  #@LEAK-GROUP-SPLIT encounters of one patient land on both sides
       """),
       code("""
       gb = GradientBoostingClassifier().fit(X_train, y_train)
       print('AUC', roc_auc_score(y_test, gb.predict_proba(X_test)[:, 1]))
       """),
   ])

nb("clickstream_users_random_split", "recommender", "blog",
   "Purchase prediction from sessions; many sessions per user_id, random split.", [
       md("# Will this session convert? Features from clickstream logs"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import LogisticRegression
       from sklearn.metrics import roc_auc_score
       """),
       code("""
       sessions = pd.read_parquet('sessions.parquet')
       per_user = sessions.groupby('user_id').size()
       print(per_user.describe())
       """),
       code("""
       X = sessions[['n_clicks', 'n_views', 'dwell_s', 'hour']]
       y = sessions['purchased']
       X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=3)  #@LEAK-GROUP-SPLIT sessions of one user on both sides
       clf = LogisticRegression(max_iter=500).fit(X_tr, y_tr)
       print(roc_auc_score(y_te, clf.predict_proba(X_te)[:, 1]))
       """),
   ])

nb("speaker_embeddings_random_split", "images-embeddings", "course",
   "Emotion from audio embeddings: many clips per speaker_id, random split.", [
       md("# Speech emotion recognition from pretrained embeddings"),
       code("""
       import numpy as np
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.svm import SVC
       from sklearn.metrics import accuracy_score
       """),
       code("""
       meta = pd.read_csv('clips.csv')
       emb = np.load('wav2vec_embeddings.npy')
       print(meta.groupby('speaker_id')['clip'].count().head())
       """),
       code("""
       Xtr, Xte, ytr, yte = train_test_split(emb, meta['emotion'].values, test_size=0.2, random_state=0)  #@LEAK-GROUP-SPLIT clips of one speaker in train and test
       svm = SVC(C=10).fit(Xtr, ytr)
       print(accuracy_score(yte, svm.predict(Xte)))
       """),
   ])

nb("credit_xgb_early_stop_on_test", "credit-risk", "kaggle",
   "Credit default kernel: XGBoost early-stopped on the test set.", [
       md("# Home Credit default risk - XGBoost baseline"),
       code("""
       import pandas as pd
       import xgboost as xgb
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import roc_auc_score
       app = pd.read_csv('application_train.csv')
       app = pd.get_dummies(app.drop(columns=['SK_ID_CURR']), dummy_na=True)
       """),
       code("""
       X = app.drop('TARGET', axis=1)
       y = app['TARGET']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=17)
       """),
       code("""
       %%time
       model = xgb.XGBClassifier(n_estimators=5000, learning_rate=0.02, max_depth=6)
       model.fit(X_train, y_train, eval_set=[(X_test, y_test)], early_stopping_rounds=100, verbose=200)  #@LEAK-MULTI-TEST early stopping watches the test set
       """),
       code("""
       print('Test AUC:', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
       """),
   ])

nb("churn_model_zoo_pick_best_on_test", "churn", "blog",
   "Blog: loop over classifiers, score each on the test set, keep the best.", [
       md("# Which classifier predicts bank churn best?"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.linear_model import LogisticRegression
       from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
       from sklearn.neighbors import KNeighborsClassifier
       from sklearn.metrics import accuracy_score
       """),
       code("""
       bank = pd.read_csv('Churn_Modelling.csv').drop(columns=['RowNumber', 'CustomerId', 'Surname'])
       bank = pd.get_dummies(bank, columns=['Geography', 'Gender'], drop_first=True)
       X, y = bank.drop(columns='Exited'), bank['Exited']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       scaler = StandardScaler().fit(X_train)
       X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
       """),
       code("""
       models = {'logreg': LogisticRegression(), 'rf': RandomForestClassifier(),
                 'gb': GradientBoostingClassifier(), 'knn': KNeighborsClassifier()}
       results = {}
       for name, m in models.items():
           m.fit(X_train, y_train)
           results[name] = accuracy_score(y_test, m.predict(X_test))  #@LEAK-MULTI-TEST test accuracy picks the model
       best = max(results, key=results.get)
       print('best model:', best, results[best])
       """),
   ])

nb("fashion_embeddings_keras_valdata_test", "images-embeddings", "blog",
   "Keras head on image embeddings, early stopping on validation_data = the test set.", [
       md("# Transfer learning: a dense head on ResNet embeddings"),
       code("""
       import numpy as np
       from tensorflow import keras
       from sklearn.model_selection import train_test_split
       emb = np.load('resnet50_embeddings.npy')
       labels = np.load('labels.npy')
       x_train, x_test, y_train, y_test = train_test_split(emb, labels, test_size=0.2, random_state=0)
       """),
       code("""
       model = keras.Sequential([
           keras.layers.Dense(256, activation='relu', input_shape=(2048,)),
           keras.layers.Dropout(0.3),
           keras.layers.Dense(10, activation='softmax'),
       ])
       model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
       stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)
       history = model.fit(x_train, y_train, epochs=50, batch_size=64,  #@LEAK-MULTI-TEST early stopping and best weights chosen on the test set
                           validation_data=(x_test, y_test), callbacks=[stop])
       """),
       code("""
       test_loss, test_acc = model.evaluate(x_test, y_test)
       print('Test accuracy:', test_acc)
       """),
   ])

nb("knn_elbow_on_test_error", "medical", "course",
   "Course: the error rate on the test set picks K for KNN (the 'elbow method').", [
       md("# Breast cancer: choosing K"),
       code("""
       import numpy as np
       import matplotlib.pyplot as plt
       from sklearn.datasets import load_breast_cancer
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.neighbors import KNeighborsClassifier
       data = load_breast_cancer()
       X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.3, random_state=101)
       scaler = StandardScaler()
       X_train = scaler.fit_transform(X_train)
       X_test = scaler.transform(X_test)
       """),
       code("""
       error_rate = []
       for i in range(1, 40):
           knn = KNeighborsClassifier(n_neighbors=i)
           knn.fit(X_train, y_train)
           pred_i = knn.predict(X_test)  #@LEAK-MULTI-TEST the test error chooses K
           error_rate.append(np.mean(pred_i != y_test))
       plt.plot(range(1, 40), error_rate, marker='o')
       """),
       code("""
       best_k = int(np.argmin(error_rate)) + 1
       knn = KNeighborsClassifier(n_neighbors=best_k).fit(X_train, y_train)
       print('with K =', best_k, 'accuracy', knn.score(X_test, y_test))
       """),
   ])

nb("lending_grid_fit_all_rows", "credit-risk", "blog",
   "GridSearchCV fitted on all rows, then scored on the test part of the same rows.", [
       md("# Loan default: tuning a random forest"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split, GridSearchCV
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.metrics import classification_report
       loans = pd.read_csv('loan_data.csv')
       loans = pd.get_dummies(loans, columns=['purpose'], drop_first=True)
       X = loans.drop('not.fully.paid', axis=1)
       y = loans['not.fully.paid']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=101)
       """),
       code("""
       param_grid = {'n_estimators': [100, 300], 'max_depth': [None, 8, 16]}
       grid = GridSearchCV(RandomForestClassifier(), param_grid, cv=3, n_jobs=-1)
       grid.fit(X, y)  #@LEAK-OVERLAP searched and refitted on all rows, test rows included
       print(grid.best_params_)
       """),
       code("""
       print(classification_report(y_test, grid.predict(X_test)))
       """),
   ])

nb("news_chi2_select_then_cv", "nlp", "course",
   "Text classification: chi2 SelectKBest on all documents, then cross_val_score.", [
       md("# 20 newsgroups: feature selection with chi-squared"),
       code("""
       from sklearn.datasets import fetch_20newsgroups
       from sklearn.feature_extraction.text import HashingVectorizer
       from sklearn.feature_selection import SelectKBest, chi2
       from sklearn.svm import LinearSVC
       from sklearn.model_selection import cross_val_score
       news = fetch_20newsgroups(subset='all', remove=('headers', 'footers'))
       hv = HashingVectorizer(n_features=2 ** 18, alternate_sign=False)
       X_all = hv.transform(news.data)
       """),
       code("""
       selector = SelectKBest(chi2, k=20000)
       X_sel = selector.fit_transform(X_all, news.target)  #@LEAK-PREPROCESSING chi2 uses the labels of every fold's test documents
       scores = cross_val_score(LinearSVC(), X_sel, news.target, cv=5)
       print(scores.mean())
       """),
   ])

nb("bank_marketing_manual_upsample", "churn", "blog",
   "Minority class upsampled with sklearn.utils.resample before the split.", [
       md("# Bank marketing: fixing class imbalance by upsampling"),
       code("""
       import pandas as pd
       from sklearn.utils import resample
       from sklearn.model_selection import train_test_split
       from sklearn.tree import DecisionTreeClassifier
       from sklearn.metrics import f1_score
       bank = pd.read_csv('bank-additional-full.csv', sep=';')
       bank['y'] = (bank['y'] == 'yes').astype(int)
       bank = pd.get_dummies(bank, drop_first=True)
       """),
       code("""
       majority = bank[bank.y == 0]
       minority = bank[bank.y == 1]
       minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=123)  #@LEAK-OVERLAP copies of minority rows before the split
       balanced = pd.concat([majority, minority_up])
       balanced.y.value_counts()
       """),
       code("""
       X = balanced.drop('y', axis=1)
       y = balanced['y']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5)
       tree = DecisionTreeClassifier(max_depth=10).fit(X_train, y_train)
       print(f1_score(y_test, tree.predict(X_test)))
       """),
   ])

nb("xray_embeddings_pca_before_split", "images-embeddings", "kaggle",
   "Chest X-ray embeddings: PCA fitted on every image, then train/test split.", [
       md("# Pneumonia from CNN embeddings + PCA + logistic regression"),
       code("""
       import numpy as np
       from sklearn.decomposition import PCA
       from sklearn.linear_model import LogisticRegression
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import roc_auc_score
       features = np.load('densenet_features.npy')
       target = np.load('pneumonia.npy')
       """),
       code("""
       pca = PCA(n_components=128, random_state=0)
       pca.fit(features)  #@LEAK-PREPROCESSING components learnt from the test images too
       reduced = pca.transform(features)
       print(pca.explained_variance_ratio_.sum())
       """),
       code("""
       X_tr, X_te, y_tr, y_te = train_test_split(reduced, target, test_size=0.2, stratify=target, random_state=4)
       clf = LogisticRegression(max_iter=2000).fit(X_tr, y_tr)
       print(roc_auc_score(y_te, clf.predict_proba(X_te)[:, 1]))
       """),
   ])

nb("loan_city_target_mean_encoding", "credit-risk", "kaggle",
   "Mean default rate per city computed on all rows (target encoding) before the split.", [
       md("# Loan default: target encoding high-cardinality columns"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from lightgbm import LGBMClassifier
       from sklearn.metrics import roc_auc_score
       loans = pd.read_csv('loans.csv')
       """),
       code("""
       loans['city_default_rate'] = loans.groupby('city')['default'].transform('mean')  #@LEAK-PREPROCESSING target mean over all rows, test labels included
       loans['employer_freq'] = loans['employer'].map(loans['employer'].value_counts(normalize=True))  #@LEAK-PREPROCESSING frequency encoding counted on all rows
       """),
       code("""
       cols = ['income', 'loan_amount', 'term', 'city_default_rate', 'employer_freq']
       X_train, X_test, y_train, y_test = train_test_split(loans[cols], loans['default'], test_size=0.2, random_state=0)
       lgbm = LGBMClassifier(n_estimators=400).fit(X_train, y_train)
       print(roc_auc_score(y_test, lgbm.predict_proba(X_test)[:, 1]))
       """),
   ])

nb("churn_scaler_ran_before_split_cell", "churn", "kaggle",
   "Out of order: the scaling cell sits below the split but ran before it (counts 3 then 4).", [
       md("# Churn with SVM"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.svm import SVC
       """, 1),
       code("""
       churn = pd.read_csv('churn.csv').drop(columns=['customerID'])
       churn = pd.get_dummies(churn, drop_first=True)
       X = churn.drop(columns=['Churn_Yes'])
       y = churn['Churn_Yes']
       """, 2),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
       """, 4),
       md("Scale the numeric features."),
       code("""
       scaler = StandardScaler()
       X = pd.DataFrame(scaler.fit_transform(X), columns=X.columns)  #@LEAK-PREPROCESSING executed (count 3) before the split (count 4)
       """, 3),
       code("""
       svc = SVC(probability=True).fit(X_train, y_train)
       print(svc.score(X_test, y_test))
       """, 5),
   ])

nb("stroke_smote_cell_rerun_before_split", "medical", "kaggle",
   "Out of order: SMOTE cell below the split ran first (count 5, split count 6).", [
       md("# Stroke prediction"),
       code("""
       import pandas as pd
       from imblearn.over_sampling import SMOTE
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.metrics import recall_score
       stroke = pd.read_csv('healthcare-dataset-stroke-data.csv').drop(columns='id')
       stroke['bmi'] = stroke['bmi'].fillna(28.1)
       stroke = pd.get_dummies(stroke, drop_first=True)
       X, y = stroke.drop(columns='stroke'), stroke['stroke']
       """, 4),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
       """, 6),
       code("""
       X, y = SMOTE(random_state=42).fit_resample(X, y)  #@LEAK-OVERLAP ran (count 5) before the split (count 6)
       y.value_counts()
       """, 5),
       code("""
       rf = RandomForestClassifier(n_estimators=300, random_state=42).fit(X_train, y_train)
       print('recall', recall_score(y_test, rf.predict(X_test)))
       """, 7),
   ])

nb("stack_train_test_for_scaler", "regression", "blog",
   "Scaler fitted on train and test stacked together 'so both share one scale'.", [
       md("# Concrete strength regression with an MLP"),
       code("""
       import numpy as np
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.neural_network import MLPRegressor
       concrete = pd.read_excel('Concrete_Data.xls')
       X = concrete.iloc[:, :-1].values
       y = concrete.iloc[:, -1].values
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
       """),
       code("""
       all_rows = np.vstack([X_train, X_test])
       scaler = StandardScaler().fit(all_rows)  #@LEAK-FIT-ON-TEST fitted on train and test stacked
       X_train_s = scaler.transform(X_train)
       X_test_s = scaler.transform(X_test)
       """),
       code("""
       mlp = MLPRegressor(hidden_layer_sizes=(64, 64), max_iter=2000, random_state=2)
       mlp.fit(X_train_s, y_train)
       print('R2 on test:', mlp.score(X_test_s, y_test))
       """),
   ])

nb("insurance_ohe_refit_on_test", "regression", "course",
   "OneHotEncoder fitted again on the test frame's categorical columns.", [
       md("# Medical insurance costs"),
       code("""
       import pandas as pd
       from sklearn.preprocessing import OneHotEncoder
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import Ridge
       ins = pd.read_csv('insurance.csv')
       cat_cols = ['sex', 'smoker', 'region']
       num_cols = ['age', 'bmi', 'children']
       train_df, test_df = train_test_split(ins, test_size=0.2, random_state=9)
       """),
       code("""
       ohe = OneHotEncoder(sparse_output=False, handle_unknown='ignore')
       train_cat = ohe.fit_transform(train_df[cat_cols])
       test_cat = ohe.fit_transform(test_df[cat_cols])  #@LEAK-FIT-ON-TEST encoder refitted on the test categories
       """),
       code("""
       import numpy as np
       X_train = np.hstack([train_df[num_cols].values, train_cat])
       X_test = np.hstack([test_df[num_cols].values, test_cat])
       ridge = Ridge(alpha=1.0).fit(X_train, train_df['charges'])
       print(ridge.score(X_test, test_df['charges']))
       """),
   ])

nb("cars_select_dtypes_keeps_price", "regression", "blog",
   "Used-car prices: X = the numeric columns, which include the price itself.", [
       md("# Used car price prediction"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestRegressor
       cars = pd.read_csv('car_data.csv')
       cars['age'] = 2020 - cars['Year']
       cars = cars.drop(columns=['Year', 'Car_Name'])
       """),
       code("""
       y = cars['Selling_Price']
       X = cars.select_dtypes(include='number')  #@LEAK-TARGET-IN-FEATURES Selling_Price is numeric, so it stays in X
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       """),
       code("""
       forest = RandomForestRegressor(n_estimators=200).fit(X_train, y_train)
       print(forest.score(X_test, y_test))
       """),
   ], unexecuted=True)

nb("attrition_get_dummies_keeps_label", "churn", "kaggle",
   "HR attrition: get_dummies of the whole frame keeps Attrition_Yes among the features.", [
       md("# IBM HR attrition"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import LogisticRegression
       from sklearn.metrics import roc_auc_score
       hr = pd.read_csv('WA_Fn-UseC_-HR-Employee-Attrition.csv')
       hr = hr.drop(columns=['EmployeeCount', 'StandardHours', 'Over18'])
       """),
       code("""
       y = (hr['Attrition'] == 'Yes').astype(int)
       X = pd.get_dummies(hr, drop_first=True)  #@LEAK-TARGET-IN-FEATURES Attrition becomes the dummy Attrition_Yes inside X
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
       logit = LogisticRegression(max_iter=5000).fit(X_train, y_train)
       print(roc_auc_score(y_test, logit.predict_proba(X_test)[:, 1]))
       """),
   ])

nb("transactions_drop_wrong_columns", "fraud", "course",
   "Fraud assignment: X drops ids and dates but not the is_fraud label.", [
       md("# Assignment: card transaction fraud"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import HistGradientBoostingClassifier
       from sklearn.metrics import average_precision_score
       tx = pd.read_csv('fraudTrain.csv')
       tx['amt_log'] = tx['amt'].clip(lower=0.01).apply('log')
       """),
       code("""
       X = tx.drop(columns=['trans_num', 'trans_date_trans_time', 'cc_num', 'merchant', 'first', 'last'])  #@LEAK-TARGET-IN-FEATURES is_fraud is not dropped
       y = tx['is_fraud']
       X = X.select_dtypes('number')
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=8)
       """),
       code("""
       hgb = HistGradientBoostingClassifier().fit(X_train, y_train)
       print('AP', average_precision_score(y_test, hgb.predict_proba(X_test)[:, 1]))
       """),
   ])

nb("lgb_train_valid_sets_test", "credit-risk", "kaggle",
   "lightgbm.train with the test Dataset in valid_sets and an early-stopping callback.", [
       md("# Give Me Some Credit - LightGBM"),
       code("""
       import pandas as pd
       import lightgbm as lgb
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import roc_auc_score
       cs = pd.read_csv('cs-training.csv', index_col=0)
       X = cs.drop(columns='SeriousDlqin2yrs')
       y = cs['SeriousDlqin2yrs']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
       """),
       code("""
       dtrain = lgb.Dataset(X_train, label=y_train)
       dtest = lgb.Dataset(X_test, label=y_test)
       params = {'objective': 'binary', 'metric': 'auc', 'learning_rate': 0.03, 'num_leaves': 31}
       booster = lgb.train(params, dtrain, num_boost_round=3000, valid_sets=[dtest],  #@LEAK-MULTI-TEST rounds chosen by the test AUC
                           callbacks=[lgb.early_stopping(100), lgb.log_evaluation(200)])
       """),
       code("""
       print('Test AUC', roc_auc_score(y_test, booster.predict(X_test)))
       """),
   ])

nb("leaf_embeddings_flip_augment_before_split", "images-embeddings", "blog",
   "Augmented (flipped) image embeddings stacked with the originals before the split.", [
       md("# Plant disease: augmentation on embeddings"),
       code("""
       import numpy as np
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import LogisticRegression
       emb = np.load('efficientnet_emb.npy')
       emb_flip = np.load('efficientnet_emb_hflip.npy')
       labels = np.load('labels.npy')
       """),
       code("""
       X = np.concatenate([emb, emb_flip])  #@LEAK-OVERLAP a flipped copy of each test image lands in training
       y = np.concatenate([labels, labels])
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       clf = LogisticRegression(max_iter=3000).fit(X_train, y_train)
       print(clf.score(X_test, y_test))
       """),
   ])

nb("exam_attempts_student_random_split", "tabular", "course",
   "Several attempts per student_id (merged from an attempts table), split at random.", [
       md("# Predicting exam pass from practice attempts"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestClassifier
       students = pd.read_csv('students.csv')
       attempts = pd.read_csv('attempts.csv')
       data = attempts.merge(students, on='student_id', how='left')
       print(data.groupby('student_id').size().mean(), 'attempts per student')
       """),
       code("""
       X = data[['score_practice', 'minutes', 'attempt_no', 'age', 'hours_online']]
       y = data['passed']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=12)  #@LEAK-GROUP-SPLIT attempts of one student on both sides
       rf = RandomForestClassifier(n_estimators=200).fit(X_train, y_train)
       print(rf.score(X_test, y_test))
       """),
   ])

nb("adult_income_helper_preprocess_all", "tabular", "course",
   "A helper function scales and encodes the frame it is given; it is called on all rows "
   "before the split. Label on the call site: the def alone leaks nothing (a clean notebook "
   "could call it on the training part).", [
       md("# Adult income: a reusable preprocessing function"),
       code("""
       import pandas as pd
       from sklearn.preprocessing import StandardScaler
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import LogisticRegression
       NUM = ['age', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']
       """),
       code("""
       def preprocess(frame):
           frame = frame.copy()
           scaler = StandardScaler()
           frame[NUM] = scaler.fit_transform(frame[NUM])
           return pd.get_dummies(frame, drop_first=True)
       """),
       code("""
       adult = pd.read_csv('adult.csv')
       adult['income'] = (adult['income'] == '>50K').astype(int)
       labels = adult.pop('income')
       adult = preprocess(adult)  #@LEAK-PREPROCESSING the helper fits its scaler on all rows
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(adult, labels, test_size=0.2, random_state=0)
       clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
       print(clf.score(X_test, y_test))
       """),
   ])

nb("wine_quality_method_chain_median", "regression", "blog",
   "A method chain fills gaps with the median of all rows before the split.", [
       md("# Wine quality: a tidy pandas chain"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import GradientBoostingRegressor
       wine = pd.read_csv('winequality-red.csv', sep=';')
       """),
       code("""
       X = (wine  #@LEAK-PREPROCESSING medians of all rows fill the gaps before the split
            .drop(columns=['quality'])
            .pipe(lambda d: d.fillna(d.median()))
            .assign(acid_ratio=lambda d: d['fixed acidity'] / d['volatile acidity']))
       y = wine['quality']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)
       """),
       code("""
       gbr = GradientBoostingRegressor(random_state=1).fit(X_train, y_train)
       print(gbr.score(X_test, y_test))
       """),
   ])

nb("churn_evaluate_helper_pick_best", "churn", "kaggle",
   "A helper fits on train and returns the test F1; a dict comprehension over models keeps "
   "the best: the test set selects the model (label on the comprehension).", [
       md("# Customer churn: comparing models with a helper"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import f1_score
       from sklearn.tree import DecisionTreeClassifier
       from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
       churn = pd.read_csv('churn.csv').drop(columns=['customerID'])
       churn = pd.get_dummies(churn, drop_first=True)
       X, y = churn.drop(columns=['Churn_Yes']), churn['Churn_Yes']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=2)
       """),
       code("""
       def evaluate(model):
           model.fit(X_train, y_train)
           return f1_score(y_test, model.predict(X_test))
       """),
       code("""
       models = {'tree': DecisionTreeClassifier(max_depth=6), 'rf': RandomForestClassifier(),
                 'et': ExtraTreesClassifier()}
       scores = {name: evaluate(m) for name, m in models.items()}  #@LEAK-MULTI-TEST test F1 picks the model
       best_name = max(scores, key=scores.get)
       print(best_name, scores[best_name])
       """),
   ])

nb("skin_lesion_embeddings_pca_refit_test", "images-embeddings", "course",
   "PCA fitted on the training embeddings, then a new PCA fitted on the test embeddings.", [
       md("# Skin lesions: embeddings, PCA and an SVM"),
       code("""
       import numpy as np
       from sklearn.decomposition import PCA
       from sklearn.model_selection import train_test_split
       from sklearn.svm import SVC
       emb = np.load('vit_embeddings.npy')
       dx = np.load('diagnosis.npy')
       X_train, X_test, y_train, y_test = train_test_split(emb, dx, test_size=0.2, stratify=dx, random_state=0)
       """),
       code("""
       pca = PCA(n_components=50).fit(X_train)
       X_train_p = pca.transform(X_train)
       """),
       md("Reduce the test embeddings the same way."),
       code("""
       X_test_p = PCA(n_components=50).fit_transform(X_test)  #@LEAK-FIT-ON-TEST a fresh PCA learnt on the test embeddings
       svm = SVC(C=5).fit(X_train_p, y_train)
       print(svm.score(X_test_p, y_test))
       """),
   ])

nb("web_traffic_grid_shufflesplit", "time-series", "kaggle",
   "Daily page views with lag features, tuned by GridSearchCV over ShuffleSplit folds.", [
       md("# Web traffic forecasting with lags"),
       code("""
       import pandas as pd
       from sklearn.model_selection import GridSearchCV, ShuffleSplit
       from sklearn.ensemble import RandomForestRegressor
       views = pd.read_csv('daily_views.csv')
       views['ds'] = pd.to_datetime(views['ds'])
       views = views.sort_values('ds')
       for k in (1, 7, 14):
           views[f'lag{k}'] = views['y'].shift(k)
       views = views.dropna()
       X, y = views[['lag1', 'lag7', 'lag14']], views['y']
       """),
       code("""
       grid = {'max_depth': [4, 8, None], 'n_estimators': [100, 300]}
       search = GridSearchCV(RandomForestRegressor(), grid, cv=ShuffleSplit(n_splits=5, test_size=0.2)).fit(X, y)  #@LEAK-TEMPORAL-SPLIT shuffled folds over a daily series with lags
       print(search.best_params_, search.best_score_)
       """),
   ])

nb("har_windows_shuffled_stratified_cv", "tabular", "course",
   "Human-activity windows: many windows per subject, shuffled StratifiedKFold.", [
       md("# Human activity recognition from accelerometer windows"),
       code("""
       import pandas as pd
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.model_selection import StratifiedKFold, cross_val_score
       har = pd.read_csv('har_windows.csv')
       print(har.groupby('subject').size())
       X = har.drop(columns=['subject', 'activity'])
       y = har['activity']
       """),
       code("""
       rf = RandomForestClassifier(n_estimators=200, n_jobs=-1)
       print(cross_val_score(rf, X, y, cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=0)).mean())  #@LEAK-GROUP-SPLIT windows of one subject in train and test folds
       """),
   ])

# =============================================================================================
# Clean look-alikes
# =============================================================================================

nb("churn_pipeline_columntransformer_cv", "churn", "blog",
   "Clean: ColumnTransformer + model in one Pipeline inside cross_val_score; customerID is one "
   "row per customer (no group issue) and is dropped.", [
       md("# Telco churn done right: pipelines"),
       code("""
       import pandas as pd
       from sklearn.compose import ColumnTransformer
       from sklearn.pipeline import Pipeline
       from sklearn.preprocessing import OneHotEncoder, StandardScaler
       from sklearn.impute import SimpleImputer
       from sklearn.linear_model import LogisticRegression
       from sklearn.model_selection import cross_val_score, StratifiedKFold
       """),
       code("""
       df = pd.read_csv('WA_Fn-UseC_-Telco-Customer-Churn.csv')
       df['TotalCharges'] = pd.to_numeric(df['TotalCharges'], errors='coerce')
       y = (df.pop('Churn') == 'Yes').astype(int)
       X = df.drop(columns=['customerID'])
       num = ['tenure', 'MonthlyCharges', 'TotalCharges']
       cat = [c for c in X.columns if c not in num]
       """),
       code("""
       pre = ColumnTransformer([
           ('num', Pipeline([('imp', SimpleImputer(strategy='median')), ('sc', StandardScaler())]), num),
           ('cat', OneHotEncoder(handle_unknown='ignore'), cat),
       ])
       clf = Pipeline([('pre', pre), ('lr', LogisticRegression(max_iter=1000))])
       cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
       print(cross_val_score(clf, X, y, cv=cv, scoring='roc_auc').mean())
       """),
   ])

nb("fraud_imblearn_pipeline_grid", "fraud", "kaggle",
   "Clean: SMOTE inside an imblearn Pipeline tuned by GridSearchCV on train; test used once.", [
       md("# Fraud detection with SMOTE inside the CV loop"),
       code("""
       import pandas as pd
       from imblearn.pipeline import Pipeline as ImbPipeline
       from imblearn.over_sampling import SMOTE
       from sklearn.preprocessing import RobustScaler
       from sklearn.linear_model import LogisticRegression
       from sklearn.model_selection import train_test_split, GridSearchCV
       from sklearn.metrics import classification_report
       data = pd.read_csv('creditcard.csv')
       X = data.drop(columns=['Class', 'Time'])
       y = data['Class']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
       """),
       code("""
       pipe = ImbPipeline([('scale', RobustScaler()), ('smote', SMOTE(random_state=1)),
                           ('clf', LogisticRegression(max_iter=1000))])
       grid = GridSearchCV(pipe, {'clf__C': [0.01, 0.1, 1, 10]}, scoring='average_precision', cv=5)
       grid.fit(X_train, y_train)
       print(grid.best_params_)
       """),
       code("""
       print(classification_report(y_test, grid.predict(X_test)))
       """),
   ])

nb("spam_tfidf_pipeline_after_split", "nlp", "blog",
   "Clean: TfidfVectorizer in a Pipeline fitted on the training messages only.", [
       md("# Spam filter with a text pipeline"),
       code("""
       import pandas as pd
       from sklearn.pipeline import make_pipeline
       from sklearn.feature_extraction.text import TfidfVectorizer
       from sklearn.naive_bayes import ComplementNB
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import f1_score
       sms = pd.read_csv('SMSSpamCollection', sep='\\t', names=['label', 'text'])
       sms['spam'] = (sms['label'] == 'spam').astype(int)
       sms['text'].str.len().describe()
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(sms['text'], sms['spam'], test_size=0.2,
                                                           stratify=sms['spam'], random_state=3)
       model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2), ComplementNB())
       model.fit(X_train, y_train)
       print(f1_score(y_test, model.predict(X_test)))
       """),
   ])

nb("heart_fit_train_transform_test", "medical", "course",
   "Clean: scaler fitted on the training rows, test only transformed.", [
       md("# Heart disease: logistic regression"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.linear_model import LogisticRegression
       heart = pd.read_csv('heart.csv')
       y = heart['target']
       X = heart.drop(['target'], axis=1)
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       """),
       code("""
       sc = StandardScaler()
       X_train = sc.fit_transform(X_train)
       X_test = sc.transform(X_test)
       """),
       code("""
       lr = LogisticRegression().fit(X_train, y_train)
       print('Test accuracy', lr.score(X_test, y_test))
       """),
   ], unexecuted=True)

nb("rossmann_chronological_holdout", "time-series", "kaggle",
   "Clean: lag features, then the last six weeks held out by date.", [
       md("# Rossmann: time-based validation"),
       code("""
       import numpy as np
       import pandas as pd
       import lightgbm as lgb
       sales = pd.read_csv('train.csv', parse_dates=['Date'], low_memory=False)
       sales = sales[sales.Open == 1].sort_values(['Store', 'Date'])
       sales['lag_7'] = sales.groupby('Store')['Sales'].shift(7)
       sales = sales.dropna()
       """),
       code("""
       cutoff = sales['Date'].max() - pd.Timedelta(weeks=6)
       train = sales[sales['Date'] <= cutoff]
       valid = sales[sales['Date'] > cutoff]
       feats = ['Store', 'DayOfWeek', 'Promo', 'lag_7']
       reg = lgb.LGBMRegressor(n_estimators=500).fit(train[feats], np.log1p(train['Sales']))
       pred = np.expm1(reg.predict(valid[feats]))
       print('RMSPE', np.sqrt(np.mean(((valid['Sales'] - pred) / valid['Sales']) ** 2)))
       """),
   ])

nb("stock_timeseriessplit_cv", "time-series", "blog",
   "Clean: lagged returns evaluated with TimeSeriesSplit.", [
       md("# Stock returns: walk-forward validation"),
       code("""
       import pandas as pd
       from sklearn.model_selection import TimeSeriesSplit, cross_val_score
       from sklearn.linear_model import Ridge
       px = pd.read_csv('SPY.csv', parse_dates=['Date'], index_col='Date').sort_index()
       px['ret'] = px['Close'].pct_change()
       for k in range(1, 6):
           px[f'ret_lag{k}'] = px['ret'].shift(k)
       px = px.dropna()
       """),
       code("""
       X = px[[f'ret_lag{k}' for k in range(1, 6)]]
       y = px['ret']
       tscv = TimeSeriesSplit(n_splits=5)
       print(cross_val_score(Ridge(alpha=1.0), X, y, cv=tscv, scoring='r2'))
       """),
   ])

nb("energy_split_no_shuffle", "time-series", "course",
   "Clean: time-sorted hourly data split with shuffle=False; scaler fitted on the early part.", [
       md("# Energy demand: chronological holdout"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import MinMaxScaler
       from sklearn.neural_network import MLPRegressor
       load = pd.read_csv('PJME_hourly.csv', index_col='Datetime', parse_dates=True).sort_index()
       load['lag_24'] = load['PJME_MW'].shift(24)
       load = load.dropna()
       X, y = load[['lag_24']], load['PJME_MW']
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
       mm = MinMaxScaler().fit(X_train)
       mlp = MLPRegressor(hidden_layer_sizes=(32,), max_iter=500).fit(mm.transform(X_train), y_train)
       print(mlp.score(mm.transform(X_test), y_test))
       """),
   ])

nb("readmission_group_shuffle_split", "medical", "kaggle",
   "Clean: encounters split by patient with GroupShuffleSplit.", [
       md("# 30-day readmission, patient-level split"),
       code("""
       import pandas as pd
       from sklearn.model_selection import GroupShuffleSplit
       from sklearn.ensemble import GradientBoostingClassifier
       from sklearn.metrics import roc_auc_score
       enc = pd.read_csv('diabetic_data.csv', na_values='?')
       print('encounters:', len(enc), 'patients:', enc['patient_nbr'].nunique())
       enc['readmit_30'] = (enc['readmitted'] == '<30').astype(int)
       """),
       code("""
       cols = ['time_in_hospital', 'num_lab_procedures', 'num_medications', 'number_inpatient']
       gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
       train_idx, test_idx = next(gss.split(enc[cols], enc['readmit_30'], groups=enc['patient_nbr']))
       train, test = enc.iloc[train_idx], enc.iloc[test_idx]
       gb = GradientBoostingClassifier().fit(train[cols], train['readmit_30'])
       print(roc_auc_score(test['readmit_30'], gb.predict_proba(test[cols])[:, 1]))
       """),
   ])

nb("clickstream_groupkfold_cv", "recommender", "blog",
   "Clean: sessions cross-validated with GroupKFold on user_id.", [
       md("# Session conversion with user-level folds"),
       code("""
       import pandas as pd
       from sklearn.model_selection import GroupKFold, cross_val_score
       from sklearn.pipeline import make_pipeline
       from sklearn.preprocessing import StandardScaler
       from sklearn.linear_model import LogisticRegression
       sessions = pd.read_parquet('sessions.parquet')
       print(sessions.groupby('user_id').size().describe())
       """),
       code("""
       X = sessions[['n_clicks', 'n_views', 'dwell_s', 'hour']]
       y = sessions['purchased']
       model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
       scores = cross_val_score(model, X, y, groups=sessions['user_id'], cv=GroupKFold(n_splits=5), scoring='roc_auc')
       print(scores.mean())
       """),
   ])

nb("credit_xgb_early_stop_on_validation", "credit-risk", "kaggle",
   "Clean: early stopping on a validation split carved from train; the test scored once.", [
       md("# Home Credit - XGBoost with a validation split"),
       code("""
       import pandas as pd
       import xgboost as xgb
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import roc_auc_score
       app = pd.read_csv('application_train.csv')
       app = pd.get_dummies(app.drop(columns=['SK_ID_CURR']), dummy_na=True)
       X, y = app.drop('TARGET', axis=1), app['TARGET']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=17)
       X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, stratify=y_train, random_state=17)
       """),
       code("""
       model = xgb.XGBClassifier(n_estimators=5000, learning_rate=0.02, early_stopping_rounds=100)
       model.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], verbose=200)
       print('Test AUC:', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
       """),
   ])

nb("churn_model_zoo_cv_on_train", "churn", "blog",
   "Clean: candidates compared by cross-validation on the training part; test scored once.", [
       md("# Choosing a churn model with cross-validation"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split, cross_val_score
       from sklearn.pipeline import make_pipeline
       from sklearn.preprocessing import StandardScaler
       from sklearn.linear_model import LogisticRegression
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.neighbors import KNeighborsClassifier
       bank = pd.read_csv('Churn_Modelling.csv').drop(columns=['RowNumber', 'CustomerId', 'Surname'])
       bank = pd.get_dummies(bank, columns=['Geography', 'Gender'], drop_first=True)
       X, y = bank.drop(columns='Exited'), bank['Exited']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       """),
       code("""
       candidates = {'logreg': make_pipeline(StandardScaler(), LogisticRegression()),
                     'rf': RandomForestClassifier(random_state=0),
                     'knn': make_pipeline(StandardScaler(), KNeighborsClassifier())}
       cv_scores = {name: cross_val_score(m, X_train, y_train, cv=5).mean() for name, m in candidates.items()}
       best = max(cv_scores, key=cv_scores.get)
       final = candidates[best].fit(X_train, y_train)
       print(best, 'test accuracy', final.score(X_test, y_test))
       """),
   ])

nb("fashion_embeddings_keras_validation_split", "images-embeddings", "blog",
   "Clean: early stopping on validation_split of the training data; test evaluated once.", [
       md("# Dense head on ResNet embeddings"),
       code("""
       import numpy as np
       from tensorflow import keras
       from sklearn.model_selection import train_test_split
       emb = np.load('resnet50_embeddings.npy')
       labels = np.load('labels.npy')
       x_train, x_test, y_train, y_test = train_test_split(emb, labels, test_size=0.2, random_state=0)
       """),
       code("""
       model = keras.Sequential([keras.layers.Dense(256, activation='relu', input_shape=(2048,)),
                                 keras.layers.Dense(10, activation='softmax')])
       model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
       stop = keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)
       model.fit(x_train, y_train, epochs=50, validation_split=0.1, callbacks=[stop])
       print(model.evaluate(x_test, y_test))
       """),
   ])

nb("insurance_refit_all_after_eval", "regression", "course",
   "Clean: pipeline evaluated on a held-out split, then refitted on all rows for deployment.", [
       md("# Insurance costs: evaluate, then ship"),
       code("""
       import joblib
       import pandas as pd
       from sklearn.compose import make_column_transformer
       from sklearn.pipeline import make_pipeline
       from sklearn.preprocessing import OneHotEncoder, StandardScaler
       from sklearn.ensemble import GradientBoostingRegressor
       from sklearn.model_selection import train_test_split
       ins = pd.read_csv('insurance.csv')
       X, y = ins.drop(columns='charges'), ins['charges']
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=9)
       pre = make_column_transformer((OneHotEncoder(handle_unknown='ignore'), ['sex', 'smoker', 'region']),
                                     (StandardScaler(), ['age', 'bmi', 'children']))
       pipe = make_pipeline(pre, GradientBoostingRegressor(random_state=9))
       pipe.fit(X_train, y_train)
       print('held-out R2', pipe.score(X_test, y_test))
       """),
       md("Happy with the score: refit on every row and save the model."),
       code("""
       pipe.fit(X, y)
       joblib.dump(pipe, 'insurance_model.joblib')
       """),
   ])

nb("stroke_smote_on_train_only", "medical", "kaggle",
   "Clean: SMOTE applied to the training part after the split.", [
       md("# Stroke prediction with SMOTE on the training set"),
       code("""
       import pandas as pd
       from imblearn.over_sampling import SMOTE
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.metrics import recall_score
       stroke = pd.read_csv('healthcare-dataset-stroke-data.csv').drop(columns='id')
       stroke['bmi'] = stroke['bmi'].fillna(28.1)
       stroke = pd.get_dummies(stroke, drop_first=True)
       X, y = stroke.drop(columns='stroke'), stroke['stroke']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
       """),
       code("""
       X_train_res, y_train_res = SMOTE(random_state=42).fit_resample(X_train, y_train)
       rf = RandomForestClassifier(n_estimators=300, random_state=42).fit(X_train_res, y_train_res)
       print('recall', recall_score(y_test, rf.predict(X_test)))
       """),
   ])

nb("titanic_train_median_imputation", "tabular", "course",
   "Clean: the median age comes from the training rows and fills both parts.", [
       md("# Titanic: impute after splitting"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestClassifier
       titanic = pd.read_csv('titanic.csv')
       titanic['Sex'] = titanic['Sex'].map({'male': 0, 'female': 1})
       X = titanic[['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare']]
       y = titanic['Survived']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
       """),
       code("""
       age_median = X_train['Age'].median()
       X_train = X_train.fillna({'Age': age_median})
       X_test = X_test.fillna({'Age': age_median})
       rf = RandomForestClassifier(n_estimators=100, random_state=1).fit(X_train, y_train)
       print(rf.score(X_test, y_test))
       """),
   ])

nb("house_prices_eda_then_pipeline_out_of_order", "regression", "kaggle",
   "Clean: EDA statistics (describe, corr) only displayed; describe() re-ran last (count 9); "
   "SalePrice removed with pop; model in a Pipeline inside cross_val_score.", [
       md("# House prices: EDA and a first pipeline"),
       code("""
       import numpy as np
       import pandas as pd
       import seaborn as sns
       from sklearn.pipeline import make_pipeline
       from sklearn.impute import SimpleImputer
       from sklearn.preprocessing import StandardScaler
       from sklearn.linear_model import RidgeCV
       from sklearn.model_selection import cross_val_score
       """, 1),
       code("""
       houses = pd.read_csv('train.csv')
       houses.shape
       """, 2),
       code("""
       houses.describe()
       """, 9),
       code("""
       corr = houses.select_dtypes('number').corr()
       sns.heatmap(corr, cmap='coolwarm')
       corr['SalePrice'].sort_values(ascending=False).head(10)
       """, 3),
       code("""
       y = np.log1p(houses.pop('SalePrice'))
       X = houses.select_dtypes('number').drop(columns=['Id'])
       """, 4),
       code("""
       model = make_pipeline(SimpleImputer(strategy='median'), StandardScaler(), RidgeCV(alphas=np.logspace(-2, 3, 20)))
       print(-cross_val_score(model, X, y, cv=5, scoring='neg_root_mean_squared_error').mean())
       """, 5),
   ])

nb("imdb_countvec_fit_train_transform_test", "nlp", "course",
   "Clean: CountVectorizer fitted on the training reviews, test only transformed.", [
       md("# Lab 5 (solution): sentiment of movie reviews"),
       code("""
       import pandas as pd
       from sklearn.feature_extraction.text import CountVectorizer
       from sklearn.linear_model import LogisticRegression
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import f1_score
       reviews = pd.read_csv('IMDB Dataset.csv')
       reviews['sentiment'] = (reviews['sentiment'] == 'positive').astype(int)
       train_text, test_text, train_y, test_y = train_test_split(
           reviews['review'], reviews['sentiment'], test_size=0.2, random_state=7)
       """),
       code("""
       cv = CountVectorizer(max_features=5000, binary=True)
       train_bow = cv.fit_transform(train_text)
       test_bow = cv.transform(test_text)
       lr = LogisticRegression(max_iter=1000).fit(train_bow, train_y)
       print('F1:', f1_score(test_y, lr.predict(test_bow)))
       """),
   ])

nb("xray_embeddings_pca_in_grid", "images-embeddings", "kaggle",
   "Clean: PCA inside a Pipeline tuned with GridSearchCV on train; GroupKFold by patient_id.", [
       md("# Pneumonia: PCA + logistic regression, tuned per patient fold"),
       code("""
       import numpy as np
       import pandas as pd
       from sklearn.decomposition import PCA
       from sklearn.pipeline import Pipeline
       from sklearn.linear_model import LogisticRegression
       from sklearn.model_selection import GridSearchCV, GroupKFold, GroupShuffleSplit
       features = np.load('densenet_features.npy')
       meta = pd.read_csv('images.csv')
       target = meta['pneumonia'].values
       print(meta.groupby('patient_id').size().max(), 'images max per patient')
       """),
       code("""
       outer = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=4)
       tr, te = next(outer.split(features, target, groups=meta['patient_id']))
       pipe = Pipeline([('pca', PCA(random_state=0)), ('lr', LogisticRegression(max_iter=2000))])
       search = GridSearchCV(pipe, {'pca__n_components': [64, 128, 256]}, cv=GroupKFold(n_splits=5), scoring='roc_auc')
       search.fit(features[tr], target[tr], groups=meta['patient_id'].values[tr])
       print(search.best_params_, search.score(features[te], target[te]))
       """),
   ])

nb("movielens_leave_last_out_per_user", "recommender", "blog",
   "Clean: per-user leave-last-out by timestamp (a chronological holdout, the standard recsys "
   "protocol); user means computed on the training interactions only.", [
       md("# MovieLens: predicting the next rating"),
       code("""
       import pandas as pd
       from sklearn.linear_model import LinearRegression
       from sklearn.metrics import mean_squared_error
       ratings = pd.read_csv('ratings.csv').sort_values(['userId', 'timestamp'])
       """),
       code("""
       test = ratings.groupby('userId').tail(1)
       train = ratings.drop(test.index)
       user_mean = train.groupby('userId')['rating'].mean().rename('user_mean')
       item_mean = train.groupby('movieId')['rating'].mean().rename('item_mean')
       """),
       code("""
       def add_feats(frame):
           out = frame.join(user_mean, on='userId').join(item_mean, on='movieId')
           return out.fillna({'user_mean': train['rating'].mean(), 'item_mean': train['rating'].mean()})
       tr, te = add_feats(train), add_feats(test)
       lin = LinearRegression().fit(tr[['user_mean', 'item_mean']], tr['rating'])
       print('RMSE', mean_squared_error(te['rating'], lin.predict(te[['user_mean', 'item_mean']])) ** 0.5)
       """),
   ])

nb("news_hashing_vectorizer_before_split", "nlp", "blog",
   "Clean: HashingVectorizer is stateless, so applying it before the split leaks nothing; "
   "tf-idf weighting and selection happen in a Pipeline after the split.", [
       md("# Streaming-friendly text classification"),
       code("""
       from sklearn.datasets import fetch_20newsgroups
       from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
       from sklearn.pipeline import make_pipeline
       from sklearn.linear_model import SGDClassifier
       from sklearn.model_selection import train_test_split
       news = fetch_20newsgroups(subset='all', remove=('headers', 'footers'))
       hv = HashingVectorizer(n_features=2 ** 20, alternate_sign=False)
       X_hash = hv.transform(news.data)
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X_hash, news.target, test_size=0.2, random_state=0)
       clf = make_pipeline(TfidfTransformer(), SGDClassifier(loss='hinge', random_state=0))
       clf.fit(X_train, y_train)
       print(clf.score(X_test, y_test))
       """),
   ])

nb("mall_customers_kmeans_scaled", "churn", "kaggle",
   "Clean: customer segmentation: scaler on all rows feeds KMeans; nothing is split or "
   "evaluated on held-out rows, so there is no test set to leak into.", [
       md("# Mall customer segmentation"),
       code("""
       import pandas as pd
       from sklearn.preprocessing import StandardScaler
       from sklearn.cluster import KMeans
       from sklearn.metrics import silhouette_score
       mall = pd.read_csv('Mall_Customers.csv')
       feats = mall[['Age', 'Annual Income (k$)', 'Spending Score (1-100)']]
       scaled = StandardScaler().fit_transform(feats)
       """),
       code("""
       for k in range(2, 9):
           km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(scaled)
           print(k, silhouette_score(scaled, km.labels_))
       mall['segment'] = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(scaled)
       """),
   ])

nb("loan_target_encoder_in_pipeline_out_of_order", "credit-risk", "kaggle",
   "Clean: TargetEncoder inside a Pipeline under cross_validate; cells re-run out of display "
   "order (imports re-run last), which changes nothing.", [
       md("# Loan default: target encoding without leakage"),
       code("""
       import pandas as pd
       from sklearn.compose import ColumnTransformer
       from sklearn.pipeline import Pipeline
       from sklearn.preprocessing import TargetEncoder, StandardScaler
       from sklearn.ensemble import HistGradientBoostingClassifier
       from sklearn.model_selection import cross_validate
       """, 7),
       code("""
       loans = pd.read_csv('loans.csv')
       X = loans[['income', 'loan_amount', 'term', 'city', 'employer']]
       y = loans['default']
       """, 5),
       code("""
       pre = ColumnTransformer([('te', TargetEncoder(), ['city', 'employer']),
                                ('num', StandardScaler(), ['income', 'loan_amount', 'term'])])
       model = Pipeline([('pre', pre), ('hgb', HistGradientBoostingClassifier())])
       res = cross_validate(model, X, y, cv=5, scoring=['roc_auc', 'average_precision'])
       print({k: v.mean() for k, v in res.items() if k.startswith('test_')})
       """, 6),
   ])

nb("pima_threshold_on_validation", "medical", "blog",
   "Clean: train/validation/test; the decision threshold is tuned on validation; y removed "
   "with drop(columns=...); the test is scored once.", [
       md("# Diabetes: tuning the decision threshold"),
       code("""
       import numpy as np
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import LogisticRegression
       from sklearn.preprocessing import StandardScaler
       from sklearn.metrics import f1_score
       diabetes = pd.read_csv('diabetes.csv')
       X = diabetes.drop(columns=['Outcome'])
       y = diabetes['Outcome']
       X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
       X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.25, stratify=y_tmp, random_state=0)
       """),
       code("""
       sc = StandardScaler().fit(X_train)
       lr = LogisticRegression().fit(sc.transform(X_train), y_train)
       val_proba = lr.predict_proba(sc.transform(X_val))[:, 1]
       thresholds = np.linspace(0.1, 0.9, 33)
       best_t = max(thresholds, key=lambda t: f1_score(y_val, val_proba > t))
       test_pred = lr.predict_proba(sc.transform(X_test))[:, 1] > best_t
       print('threshold', best_t, 'test F1', f1_score(y_test, test_pred))
       """),
   ])

nb("air_quality_cutoff_date_split", "time-series", "blog",
   "Clean: rolling features, then train before 2014 and test from 2014 on.", [
       md("# PM2.5 forecasting with a date cut-off"),
       code("""
       import pandas as pd
       from sklearn.ensemble import RandomForestRegressor
       from sklearn.metrics import r2_score
       air = pd.read_csv('PRSA_data.csv')
       air['datetime'] = pd.to_datetime(air[['year', 'month', 'day', 'hour']])
       air = air.set_index('datetime').sort_index()
       air['pm25'] = air['pm2.5'].interpolate()
       air['pm25_roll24'] = air['pm25'].rolling(24).mean()
       air['pm25_next'] = air['pm25'].shift(-1)
       air = air.dropna(subset=['pm25_roll24', 'pm25_next'])
       """),
       code("""
       cols = ['pm25', 'pm25_roll24', 'DEWP', 'TEMP', 'PRES', 'Iws']
       train, test = air.loc[:'2013-12-31'], air.loc['2014-01-01':]
       rf = RandomForestRegressor(n_estimators=100, n_jobs=-1).fit(train[cols], train['pm25_next'])
       print(r2_score(test['pm25_next'], rf.predict(test[cols])))
       """),
   ])

nb("cars_drop_price_then_numeric", "regression", "blog",
   "Clean look-alike of the select_dtypes leak: the price is dropped before selecting numbers; "
   "log target.", [
       md("# Used car prices, take two"),
       code("""
       import numpy as np
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.ensemble import RandomForestRegressor
       cars = pd.read_csv('car_data.csv')
       cars['age'] = 2020 - cars['Year']
       y = np.log(cars['Selling_Price'])
       X = cars.drop(columns=['Selling_Price', 'Car_Name', 'Year']).select_dtypes(include='number')
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
       forest = RandomForestRegressor(n_estimators=200, random_state=0).fit(X_train, y_train)
       print(forest.score(X_test, y_test))
       """),
   ])

nb("churn_split_ran_before_scaler_cell", "churn", "kaggle",
   "Clean, out of order: the scaler cell sits above the split cell but ran after it (counts "
   "5 and 4) and fits on X_train only.", [
       md("# Churn with SVM (cleaned up)"),
       code("""
       import pandas as pd
       from sklearn.model_selection import train_test_split
       from sklearn.preprocessing import StandardScaler
       from sklearn.svm import SVC
       churn = pd.read_csv('churn.csv').drop(columns=['customerID'])
       churn = pd.get_dummies(churn, drop_first=True)
       X = churn.drop(columns=['Churn_Yes'])
       y = churn['Churn_Yes']
       """, 3),
       code("""
       scaler = StandardScaler()
       X_train_s = scaler.fit_transform(X_train)
       X_test_s = scaler.transform(X_test)
       """, 5),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=11)
       """, 4),
       code("""
       svc = SVC().fit(X_train_s, y_train)
       print(svc.score(X_test_s, y_test))
       """, 6),
   ])

nb("tickets_labelencoder_target_grid", "nlp", "course",
   "Clean: LabelEncoder on the label before the split is label-only and stateless for the "
   "features; TfidfVectorizer sits in the Pipeline tuned by GridSearchCV on train.", [
       md("# Support ticket routing"),
       code("""
       import pandas as pd
       from sklearn.preprocessing import LabelEncoder
       from sklearn.feature_extraction.text import TfidfVectorizer
       from sklearn.linear_model import LogisticRegression
       from sklearn.pipeline import Pipeline
       from sklearn.model_selection import train_test_split, GridSearchCV
       from sklearn.metrics import classification_report
       tickets = pd.read_csv('tickets.csv')
       le = LabelEncoder()
       tickets['queue_id'] = le.fit_transform(tickets['queue'])
       """),
       code("""
       X_train, X_test, y_train, y_test = train_test_split(tickets['body'], tickets['queue_id'], test_size=0.2,
                                                           stratify=tickets['queue_id'], random_state=5)
       pipe = Pipeline([('tfidf', TfidfVectorizer(sublinear_tf=True)), ('clf', LogisticRegression(max_iter=2000))])
       grid = GridSearchCV(pipe, {'tfidf__min_df': [1, 3], 'clf__C': [1, 10]}, cv=5, scoring='f1_macro')
       grid.fit(X_train, y_train)
       print(classification_report(y_test, grid.predict(X_test), target_names=le.classes_))
       """),
   ])

nb("bank_marketing_upsample_train_only", "churn", "blog",
   "Clean: the minority class is upsampled inside the training part after the split.", [
       md("# Bank marketing: upsampling the training set only"),
       code("""
       import pandas as pd
       from sklearn.utils import resample
       from sklearn.model_selection import train_test_split
       from sklearn.tree import DecisionTreeClassifier
       from sklearn.metrics import f1_score
       bank = pd.read_csv('bank-additional-full.csv', sep=';')
       bank['y'] = (bank['y'] == 'yes').astype(int)
       bank = pd.get_dummies(bank, drop_first=True)
       train, test = train_test_split(bank, test_size=0.25, stratify=bank['y'], random_state=5)
       """),
       code("""
       majority = train[train.y == 0]
       minority = train[train.y == 1]
       minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=123)
       train_bal = pd.concat([majority, minority_up])
       tree = DecisionTreeClassifier(max_depth=10).fit(train_bal.drop(columns='y'), train_bal['y'])
       print(f1_score(test['y'], tree.predict(test.drop(columns='y'))))
       """),
   ])

nb("lgb_train_valid_sets_validation", "credit-risk", "kaggle",
   "Clean: lightgbm.train early-stops on a validation Dataset cut from train; test used once.",
   [
       md("# Give Me Some Credit - LightGBM with a validation set"),
       code("""
       import pandas as pd
       import lightgbm as lgb
       from sklearn.model_selection import train_test_split
       from sklearn.metrics import roc_auc_score
       cs = pd.read_csv('cs-training.csv', index_col=0)
       X = cs.drop(columns='SeriousDlqin2yrs')
       y = cs['SeriousDlqin2yrs']
       X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
       X_fit, X_valid, y_fit, y_valid = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
       """),
       code("""
       dfit = lgb.Dataset(X_fit, label=y_fit)
       dvalid = lgb.Dataset(X_valid, label=y_valid)
       params = {'objective': 'binary', 'metric': 'auc', 'learning_rate': 0.03}
       booster = lgb.train(params, dfit, num_boost_round=3000, valid_sets=[dvalid],
                           callbacks=[lgb.early_stopping(100)])
       print('Test AUC', roc_auc_score(y_test, booster.predict(X_test)))
       """),
   ])

nb("review_rating_regression_cv_pipeline", "nlp", "blog",
   "Clean: shuffled KFold on independent reviews (no time, no entity) with the vectorizer in "
   "the Pipeline.", [
       md("# Predicting review stars from text"),
       code("""
       import pandas as pd
       from sklearn.pipeline import make_pipeline
       from sklearn.feature_extraction.text import TfidfVectorizer
       from sklearn.decomposition import TruncatedSVD
       from sklearn.linear_model import Ridge
       from sklearn.model_selection import KFold, cross_val_score
       reviews = pd.read_json('reviews.jsonl', lines=True)
       reviews = reviews.dropna(subset=['text'])
       """),
       code("""
       model = make_pipeline(TfidfVectorizer(min_df=3), TruncatedSVD(n_components=200), Ridge())
       kf = KFold(n_splits=5, shuffle=True, random_state=0)
       print(cross_val_score(model, reviews['text'], reviews['stars'], cv=kf, scoring='r2').mean())
       """),
   ])


nb("adult_income_helper_after_split", "tabular", "course",
   "Clean: the helper fits the scaler on the training part and applies it to both.", [
       md("# Adult income: preprocessing helper used after the split"),
       code("""
       import pandas as pd
       from sklearn.preprocessing import StandardScaler
       from sklearn.model_selection import train_test_split
       from sklearn.linear_model import LogisticRegression
       NUM = ['age', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']
       adult = pd.read_csv('adult.csv')
       labels = (adult.pop('income') == '>50K').astype(int)
       adult = pd.get_dummies(adult, drop_first=True)
       X_train, X_test, y_train, y_test = train_test_split(adult, labels, test_size=0.2, random_state=0)
       """),
       code("""
       def scale(train, test):
           scaler = StandardScaler().fit(train[NUM])
           train, test = train.copy(), test.copy()
           train[NUM] = scaler.transform(train[NUM])
           test[NUM] = scaler.transform(test[NUM])
           return train, test
       X_train, X_test = scale(X_train, X_test)
       """),
       code("""
       clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
       print(clf.score(X_test, y_test))
       """),
   ])

nb("wine_quality_model_factory_cv", "regression", "blog",
   "Clean: a factory returns a Pipeline (imputer + scaler + model) scored by cross_val_score.",
   [
       md("# Wine quality: model factory and cross-validation"),
       code("""
       import pandas as pd
       from sklearn.pipeline import make_pipeline
       from sklearn.impute import SimpleImputer
       from sklearn.preprocessing import StandardScaler
       from sklearn.svm import SVR
       from sklearn.model_selection import cross_val_score
       wine = pd.read_csv('winequality-red.csv', sep=';')
       X, y = wine.drop(columns=['quality']), wine['quality']
       """),
       code("""
       def make_model(C=1.0):
           return make_pipeline(SimpleImputer(strategy='median'), StandardScaler(), SVR(C=C))
       for C in (0.3, 1.0, 3.0):
           print(C, cross_val_score(make_model(C), X, y, cv=5, scoring='r2').mean())
       """),
   ])

nb("har_leave_one_subject_out", "tabular", "course",
   "Clean: activity windows cross-validated with LeaveOneGroupOut over subjects.", [
       md("# Human activity recognition: leave one subject out"),
       code("""
       import pandas as pd
       from sklearn.ensemble import RandomForestClassifier
       from sklearn.model_selection import LeaveOneGroupOut, cross_val_score
       har = pd.read_csv('har_windows.csv')
       print(har.groupby('subject').size())
       X = har.drop(columns=['subject', 'activity'])
       y = har['activity']
       """),
       code("""
       rf = RandomForestClassifier(n_estimators=200, n_jobs=-1)
       print(cross_val_score(rf, X, y, groups=har['subject'], cv=LeaveOneGroupOut()).mean())
       """),
   ])

nb("web_traffic_grid_timeseriessplit", "time-series", "kaggle",
   "Clean: the same lags tuned with TimeSeriesSplit folds.", [
       md("# Web traffic forecasting, walk-forward tuning"),
       code("""
       import pandas as pd
       from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
       from sklearn.ensemble import RandomForestRegressor
       views = pd.read_csv('daily_views.csv')
       views['ds'] = pd.to_datetime(views['ds'])
       views = views.sort_values('ds')
       for k in (1, 7, 14):
           views[f'lag{k}'] = views['y'].shift(k)
       views = views.dropna()
       X, y = views[['lag1', 'lag7', 'lag14']], views['y']
       """),
       code("""
       grid = {'max_depth': [4, 8, None], 'n_estimators': [100, 300]}
       search = GridSearchCV(RandomForestRegressor(), grid, cv=TimeSeriesSplit(n_splits=5)).fit(X, y)
       print(search.best_params_, search.best_score_)
       """),
   ])

# =============================================================================================
# Building
# =============================================================================================

def _strip_magics(source: str) -> str:
    """Source with IPython magics and shell escapes blanked, for the syntax self-check."""
    lines = source.split("\n")
    if lines and lines[0].startswith("%%"):
        lines[0] = ""
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)


def build_notebook(spec: Notebook) -> tuple[object, list[dict[str, object]]]:
    """The nbformat notebook of ``spec`` and its labels (markers stripped, positions read)."""
    import nbformat

    cells = []
    labels: list[dict[str, object]] = []
    next_count = 1
    for index, cell in enumerate(spec.cells):
        if cell.kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(cell.source))
            continue
        clean_lines = []
        for line_no, line in enumerate(cell.source.split("\n"), start=1):
            match = MARKER.search(line)
            if match:
                why = line[match.start():].strip()[len("#@" + match.group(1)):].strip()
                labels.append({"rule": match.group(1), "cell": index, "line": line_no,
                               "why": why})
                line = line[: match.start()].rstrip()
            clean_lines.append(line)
        source = "\n".join(clean_lines)
        ast.parse(_strip_magics(source))  # every cell is valid Python (magics aside)
        if spec.unexecuted:
            count = None
        elif cell.count is ...:
            count = next_count
        else:
            count = cell.count
        if isinstance(count, int):
            next_count = max(next_count, count) + 1
        cells.append(nbformat.v4.new_code_cell(source, execution_count=count))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": "3.10.12"},
    })
    nbformat.validate(notebook)
    return notebook, labels


def build(out_dir: Path) -> dict[str, object]:
    """Write every notebook and ``labels.json`` into ``out_dir``; return the labels document."""
    import nbformat

    out_dir.mkdir(parents=True, exist_ok=True)
    names = [spec.name for spec in CORPUS]
    if len(names) != len(set(names)):
        raise SystemExit("duplicate notebook names in corpus B")
    entries = []
    for spec in CORPUS:
        notebook, labels = build_notebook(spec)
        nbformat.write(notebook, out_dir / f"{spec.name}.ipynb")
        entries.append({"notebook": f"{spec.name}.ipynb", "domain": spec.domain,
                        "style": spec.style, "leaky": bool(labels), "why": spec.why,
                        "out_of_order": _out_of_order(notebook), "labels": labels})
    document = {"corpus": "leakage-corpus-b", "rules": list(RULES), "notebooks": entries}
    (out_dir / "labels.json").write_text(json.dumps(document, indent=1) + "\n")
    return document


def _out_of_order(notebook: object) -> bool:
    counts = [c.get("execution_count") for c in notebook["cells"]  # type: ignore[index]
              if c["cell_type"] == "code" and c.get("execution_count") is not None]
    return counts != sorted(counts)


def summary(document: dict[str, object]) -> str:
    entries = document["notebooks"]
    assert isinstance(entries, list)
    per_rule = {rule: 0 for rule in RULES}
    for entry in entries:
        for label in entry["labels"]:
            per_rule[label["rule"]] += 1
    leaky = sum(1 for e in entries if e["leaky"])
    lines = [f"{len(entries)} notebooks: {leaky} leaky, {len(entries) - leaky} clean, "
             f"{sum(1 for e in entries if e['out_of_order'])} run out of order"]
    lines += [f"  {rule:<25} {count} labels" for rule, count in per_rule.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    document = build(args.out)
    print(summary(document))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
