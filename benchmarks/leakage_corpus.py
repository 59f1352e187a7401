# ruff: noqa: E501
"""A held-out corpus of realistic notebooks for the code-level leakage check, with labels.

Written blind to the detector (only the rule ids were read): the notebooks follow what data
scientists write in Kaggle kernels and tutorials (CSV loading, EDA, plots, feature engineering,
several models, helpers, method chains, numpy arrays), about half with one or more leaks and half
clean look-alikes of the same tasks. The notebooks need no data files and are not executed; every
code cell is valid Python once IPython magics (``%``/``!`` lines) are set aside.

Labels come from markers in the sources below, stripped before the notebook is written:

* ``#@LEAK:RULE:key`` ends the line of a leaking statement (``RULE`` without the ``LEAK-``
  prefix); the label is (rule, cell index counting markdown cells, 1-based line in the cell);
* ``#@ALT:key`` marks another statement of the same leak that is an equally fair place to report
  it (e.g. the call site of a helper and the fit inside it); a finding there also matches.

Each notebook has a note saying why it is labelled as it is. Cells carry execution counts; where a
notebook was run out of order the counts say so (the analysis must follow them).

    python benchmarks/leakage_corpus.py [--out benchmarks/data/leakage-corpus]

writes ``<name>.ipynb`` files and ``labels.json`` beside them.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data" / "leakage-corpus"
MARKER = re.compile(r"\s*#@(LEAK|ALT):([A-Za-z0-9-]+)(?::([a-z0-9]+))?\s*$")


@dataclass
class Spec:
    """One notebook: its cells (``md:`` prefix = markdown), execution counts and why it is labelled."""

    name: str
    note: str
    cells: list[str]
    exec_counts: list[int | None] | None = None
    labels: list[dict[str, Any]] = field(default_factory=list)


CORPUS: list[Spec] = []


def nb(name: str, note: str, *cells: str, exec_counts: list[int | None] | None = None) -> None:
    """Register a notebook of the corpus (cells are dedented here)."""
    CORPUS.append(Spec(name, note, [textwrap.dedent(c).strip("\n") for c in cells], exec_counts))


IMPORTS_BASIC = """
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
%matplotlib inline
"""

# =============================================================================================
# Tabular classification: Titanic
# =============================================================================================

# Two leaks: the Age median is a statistic of all rows (test rows included) used as a feature
# value; the scaler is fitted on all rows before the split. get_dummies before the split is NOT a
# leak here (no fitted statistic: a fixed one-hot of the known categories).
nb(
    "titanic_scale_then_split",
    "median fillna and StandardScaler on the full frame, then train_test_split",
    "md:# Titanic - survival prediction\nFirst pass: logistic regression baseline.",
    IMPORTS_BASIC + """
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix
""",
    """
df = pd.read_csv('../input/titanic/train.csv')
df.head()
""",
    """
df.info()
df.isnull().sum()
""",
    """
sns.countplot(x='Survived', hue='Sex', data=df)
plt.show()
""",
    "md:## Cleaning\nAge has missing values, fill them with the median. Cabin is mostly empty.",
    """
df['Age'] = df['Age'].fillna(df['Age'].median())  #@LEAK:PREPROCESSING:a
df['Embarked'] = df['Embarked'].fillna('S')
df = df.drop(['Cabin', 'Ticket', 'Name', 'PassengerId'], axis=1)
df = pd.get_dummies(df, columns=['Sex', 'Embarked'], drop_first=True)
""",
    """
X = df.drop('Survived', axis=1)
y = df['Survived']
scaler = StandardScaler()
X = scaler.fit_transform(X)  #@LEAK:PREPROCESSING:b
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
logreg = LogisticRegression(max_iter=1000)
logreg.fit(X_train, y_train)
y_pred = logreg.predict(X_test)
print('Accuracy:', accuracy_score(y_test, y_pred))
""",
    """
sns.heatmap(confusion_matrix(y_test, y_pred), annot=True, fmt='d')
""",
)

# Clean: split first, medians from the training part, scaler inside a Pipeline.
nb(
    "titanic_pipeline_clean",
    "split first; ColumnTransformer(imputer, scaler, one-hot) inside a Pipeline fitted on train",
    "md:# Titanic with a proper sklearn pipeline",
    """
import pandas as pd
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split, cross_val_score
""",
    """
train_df = pd.read_csv('data/titanic.csv')
print(train_df.shape)
train_df.describe(include='all')
""",
    """
train_df['Survived'].value_counts(normalize=True)
""",
    """
features = ['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare', 'Embarked']
target = 'Survived'
X = train_df[features]
y = train_df[target]
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, stratify=y,
                                                      random_state=0)
""",
    """
num_cols = ['Age', 'SibSp', 'Parch', 'Fare']
cat_cols = ['Pclass', 'Sex', 'Embarked']
preprocess = ColumnTransformer([
    ('num', Pipeline([('impute', SimpleImputer(strategy='median')),
                      ('scale', StandardScaler())]), num_cols),
    ('cat', Pipeline([('impute', SimpleImputer(strategy='most_frequent')),
                      ('onehot', OneHotEncoder(handle_unknown='ignore'))]), cat_cols),
])
clf = Pipeline([('prep', preprocess),
                ('model', RandomForestClassifier(n_estimators=300, random_state=0))])
""",
    """
cv_scores = cross_val_score(clf, X_train, y_train, cv=5)
print(f'CV accuracy {cv_scores.mean():.3f} +/- {cv_scores.std():.3f}')
""",
    """
clf.fit(X_train, y_train)
print('Validation accuracy:', clf.score(X_valid, y_valid))
""",
)

# =============================================================================================
# Regression: house prices
# =============================================================================================

# Leak: X is the frame minus Id only, SalePrice stays among the features.
nb(
    "houseprices_target_in_features",
    "X = train.drop('Id') keeps SalePrice among the features",
    "md:# House Prices - Advanced Regression\nQuick random forest baseline.",
    """
import pandas as pd
import numpy as np
import matplotlib.pyplot as plt
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error
""",
    """
train = pd.read_csv('/kaggle/input/house-prices-advanced-regression-techniques/train.csv')
train.shape
""",
    """
plt.hist(np.log1p(train['SalePrice']), bins=50)
plt.title('log SalePrice')
""",
    """
numeric = train.select_dtypes(include=[np.number]).fillna(0)
y = numeric['SalePrice']
X = numeric.drop('Id', axis=1)  #@LEAK:TARGET-IN-FEATURES:a
""",
    """
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=1)
rf = RandomForestRegressor(n_estimators=200, n_jobs=-1, random_state=1)
rf.fit(X_train, y_train)
rmse = np.sqrt(mean_squared_error(y_val, rf.predict(X_val)))
print('RMSE', rmse)
""",
)

# Clean: target dropped; imputer/one-hot in a pipeline; CV on train, one test evaluation, then a
# refit on all labelled rows for the submission (the refit comes after evaluation: not a leak).
nb(
    "houseprices_pipeline_refit_all",
    "Pipeline in CV, single test evaluation, refit on all labelled data for the submission",
    "md:# House prices: gradient boosting with a column pipeline",
    """
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer, make_column_selector
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import train_test_split, cross_val_score, KFold
from sklearn.metrics import mean_absolute_error
""",
    """
houses = pd.read_csv('data/train.csv', index_col='Id')
submission_df = pd.read_csv('data/test.csv', index_col='Id')
houses.head()
""",
    """
corr = houses.corr(numeric_only=True)['SalePrice'].sort_values(ascending=False)
corr.head(15)
""",
    """
y = np.log1p(houses['SalePrice'])
X = houses.drop(columns=['SalePrice'])
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=7)
""",
    """
prep = make_column_transformer(
    (SimpleImputer(strategy='median'), make_column_selector(dtype_include=np.number)),
    (make_pipeline(SimpleImputer(strategy='constant', fill_value='NA'),
                   OneHotEncoder(handle_unknown='ignore')),
     make_column_selector(dtype_include=object)),
)
model = make_pipeline(prep, HistGradientBoostingRegressor(max_iter=500, learning_rate=0.05))
scores = cross_val_score(model, X_tr, y_tr, cv=KFold(5, shuffle=True, random_state=7),
                         scoring='neg_mean_absolute_error')
print(-scores.mean())
""",
    """
model.fit(X_tr, y_tr)
print('holdout MAE (log):', mean_absolute_error(y_te, model.predict(X_te)))
""",
    "md:Happy with the holdout score, refit on every labelled house and predict the test file.",
    """
model.fit(X, y)
preds = np.expm1(model.predict(submission_df))
pd.DataFrame({'Id': submission_df.index, 'SalePrice': preds}).to_csv('submission.csv',
                                                                      index=False)
""",
)

# Leak: selecting features by their correlation with SalePrice on all rows (a label statistic over
# the test rows), then splitting.
nb(
    "houseprices_corr_selection_full",
    "features picked by |corr| with the target on the whole frame before the split",
    "md:# Feature selection by correlation",
    IMPORTS_BASIC + """
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score
""",
    """
data = pd.read_csv('housing/train.csv')
data = data.select_dtypes('number').fillna(0)
""",
    """
plt.figure(figsize=(12, 10))
sns.heatmap(data.corr(), cmap='coolwarm')
""",
    """
target_corr = data.corr()['SalePrice'].abs()  #@LEAK:PREPROCESSING:a
top_features = target_corr[target_corr > 0.5].index.drop('SalePrice')  #@ALT:a
print(list(top_features))
""",
    """
X = data[top_features]
y = data['SalePrice']
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=3)
ridge = Ridge(alpha=1.0).fit(X_train, y_train)
print(r2_score(y_test, ridge.predict(X_test)))
""",
)

# Leak: numeric columns selected by dtype (the target is numeric) -> the label is a feature.
nb(
    "insurance_select_dtypes_label",
    "X = df[numeric columns] where the numeric columns include the target 'charges'",
    "md:## Medical insurance cost\nPredict `charges` from the numeric columns.",
    """
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
""",
    """
df = pd.read_csv('insurance.csv')
df['smoker'] = (df['smoker'] == 'yes').astype(int)
num_cols = df.select_dtypes(include='number').columns.tolist()
num_cols
""",
    """
X = df[num_cols]  #@LEAK:TARGET-IN-FEATURES:a
y = df['charges']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
lr = LinearRegression().fit(X_train, y_train)
print('R^2 on test:', lr.score(X_test, y_test))
""",
)

# Clean: label removed with pop; pandas statistics computed on the training part only.
nb(
    "insurance_train_stats_clean",
    "y = df.pop(target); standardisation with mean/std of the training rows only",
    """
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Lasso
""",
    """
df = pd.read_csv('insurance.csv')
df = pd.get_dummies(df, drop_first=True)
y = df.pop('charges')
""",
    """
X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.2, random_state=11)
mu, sigma = X_train.mean(), X_train.std()
X_train = (X_train - mu) / sigma
X_test = (X_test - mu) / sigma
""",
    """
lasso = Lasso(alpha=0.1).fit(X_train, y_train)
print('test R2', round(lasso.score(X_test, y_test), 3))
""",
)

# Leak: min-max normalisation by hand with statistics of all rows, then the split.
nb(
    "wine_manual_minmax_full",
    "(df - df.min()) / (df.max() - df.min()) over all rows before train_test_split",
    "md:# Wine quality - KNN",
    """
import pandas as pd
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report
""",
    """
wine = pd.read_csv('winequality-red.csv', sep=';')
wine['good'] = (wine['quality'] >= 7).astype(int)
wine['good'].value_counts()
""",
    """
feature_cols = [c for c in wine.columns if c not in ('quality', 'good')]
lo, hi = wine[feature_cols].min(), wine[feature_cols].max()  #@LEAK:PREPROCESSING:a
wine[feature_cols] = (wine[feature_cols] - lo) / (hi - lo)  #@ALT:a
""",
    """
X_train, X_test, y_train, y_test = train_test_split(
    wine[feature_cols], wine['good'], test_size=0.25, stratify=wine['good'], random_state=5)
knn = KNeighborsClassifier(n_neighbors=7)
knn.fit(X_train, y_train)
print(classification_report(y_test, knn.predict(X_test)))
""",
)

# Clean: MinMaxScaler fitted on train (and the scaler cell carries the .values arrays).
nb(
    "wine_minmax_train_only",
    "MinMaxScaler().fit(X_train) then transform both parts",
    """
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVC
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score
""",
    """
wine = pd.read_csv('winequality-white.csv', sep=';')
X_all = wine.drop(columns='quality').values
y_all = (wine['quality'].values >= 7).astype(int)
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X_all, y_all, test_size=0.2,
                                                    random_state=2, stratify=y_all)
mms = MinMaxScaler().fit(X_train)
X_train_s, X_test_s = mms.transform(X_train), mms.transform(X_test)
""",
    """
svc = SVC(C=3, gamma='scale', class_weight='balanced')
svc.fit(X_train_s, y_train)
print('F1:', f1_score(y_test, svc.predict(X_test_s)))
""",
)

# =============================================================================================
# Imbalanced data
# =============================================================================================

# Leak: SMOTE on all rows, then split: synthetic neighbours of test rows are trained on.
nb(
    "creditcard_smote_before_split",
    "SMOTE().fit_resample(X, y) on all rows, then train_test_split",
    "md:# Credit card fraud detection\nThe classes are highly imbalanced (0.17% fraud).",
    """
import pandas as pd
import numpy as np
import seaborn as sns
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report, roc_auc_score
""",
    """
cc = pd.read_csv('creditcard.csv')
print(cc['Class'].value_counts())
sns.countplot(x='Class', data=cc)
""",
    """
from sklearn.preprocessing import RobustScaler
rob = RobustScaler()
cc['scaled_amount'] = rob.fit_transform(cc[['Amount']])  #@LEAK:PREPROCESSING:b
cc['scaled_time'] = rob.fit_transform(cc[['Time']])  #@LEAK:PREPROCESSING:c
cc = cc.drop(['Time', 'Amount'], axis=1)
""",
    """
X = cc.drop('Class', axis=1)
y = cc['Class']
sm = SMOTE(random_state=42)
X_res, y_res = sm.fit_resample(X, y)  #@LEAK:OVERLAP:a
print(pd.Series(y_res).value_counts())
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, test_size=0.3, random_state=42)
rfc = RandomForestClassifier(n_estimators=100, n_jobs=-1)
rfc.fit(X_train, y_train)
pred = rfc.predict(X_test)
print(classification_report(y_test, pred))
print('AUC', roc_auc_score(y_test, rfc.predict_proba(X_test)[:, 1]))
""",
)

# Clean: split (stratified) first, SMOTE on the training part only.
nb(
    "creditcard_smote_after_split",
    "stratified split, then SMOTE on the training part; test untouched",
    "md:# Fraud: oversample the training data only",
    """
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import average_precision_score
""",
    """
df = pd.read_csv('creditcard.csv')
X, y = df.drop(columns=['Class']), df['Class']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y,
                                                    random_state=0)
""",
    """
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)
X_train_sm, y_train_sm = SMOTE(random_state=0).fit_resample(X_train, y_train)
print(X_train_sm.shape, y_train_sm.mean())
""",
    """
clf = LogisticRegression(max_iter=2000)
clf.fit(X_train_sm, y_train_sm)
print('PR-AUC', average_precision_score(y_test, clf.predict_proba(X_test)[:, 1]))
""",
)

# Clean: imblearn Pipeline inside cross_val_score (resampling refitted per fold).
nb(
    "bank_imblearn_pipeline_cv",
    "imblearn Pipeline(SMOTE, scaler, model) evaluated with StratifiedKFold CV",
    "md:# Bank marketing: will the client subscribe?",
    """
import pandas as pd
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.over_sampling import SMOTE
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
""",
    """
bank = pd.read_csv('bank-full.csv', sep=';')
bank['y'] = bank['y'].map({'yes': 1, 'no': 0})
bank = pd.get_dummies(bank, drop_first=True)
features = bank.drop(columns='y')
labels = bank['y']
""",
    """
pipe = ImbPipeline([
    ('scale', StandardScaler()),
    ('smote', SMOTE(random_state=1)),
    ('gb', GradientBoostingClassifier(random_state=1)),
])
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
auc = cross_val_score(pipe, features, labels, cv=skf, scoring='roc_auc')
print('ROC AUC per fold', auc.round(3), 'mean', auc.mean().round(3))
""",
)

# Leak: RandomOverSampler on all rows, then cross-validation on the oversampled data.
nb(
    "stroke_ros_before_cv",
    "RandomOverSampler().fit_resample(X, y) then cross_val_score on the copies",
    """
import pandas as pd
import numpy as np
from imblearn.over_sampling import RandomOverSampler
from sklearn.tree import DecisionTreeClassifier
from sklearn.model_selection import cross_val_score
""",
    """
stroke = pd.read_csv('healthcare-dataset-stroke-data.csv').dropna()
stroke = pd.get_dummies(stroke.drop(columns=['id']), drop_first=True)
X = stroke.drop('stroke', axis=1).values
y = stroke['stroke'].values
print(np.bincount(y))
""",
    """
ros = RandomOverSampler(random_state=0)
X_bal, y_bal = ros.fit_resample(X, y)  #@LEAK:OVERLAP:a
print(np.bincount(y_bal))
""",
    """
tree = DecisionTreeClassifier(max_depth=6, random_state=0)
scores = cross_val_score(tree, X_bal, y_bal, cv=10, scoring='recall')
print('recall: %.3f' % scores.mean())
""",
)

# Leak: manual upsampling with sklearn.utils.resample (replace=True) before the split.
nb(
    "churn_manual_upsample_before_split",
    "resample(minority, replace=True) + concat, then train_test_split",
    "md:# Telco churn - balancing the classes by upsampling",
    """
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import recall_score, precision_score
""",
    """
telco = pd.read_csv('WA_Fn-UseC_-Telco-Customer-Churn.csv')
telco['TotalCharges'] = pd.to_numeric(telco['TotalCharges'], errors='coerce')
telco = telco.dropna().drop(columns=['customerID'])
telco['Churn'] = (telco['Churn'] == 'Yes').astype(int)
telco = pd.get_dummies(telco, drop_first=True)
""",
    """
majority = telco[telco.Churn == 0]
minority = telco[telco.Churn == 1]
minority_up = resample(minority, replace=True, n_samples=len(majority), random_state=123)  #@LEAK:OVERLAP:a
balanced = pd.concat([majority, minority_up])  #@ALT:a
balanced.Churn.value_counts()
""",
    """
X = balanced.drop('Churn', axis=1)
y = balanced.Churn
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=123)
forest = RandomForestClassifier(random_state=123).fit(X_train, y_train)
p = forest.predict(X_test)
print(precision_score(y_test, p), recall_score(y_test, p))
""",
)

# Clean: upsampling done on the training part only after the split; customerID is one row per
# customer (dropped), so a random split is fine.
nb(
    "churn_upsample_train_only",
    "split first, upsample the minority class of the training part only",
    """
import pandas as pd
from sklearn.utils import resample
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""",
    """
telco = pd.read_csv('telco_churn.csv')
print(telco['customerID'].is_unique)
telco = telco.drop(columns=['customerID'])
telco['Churn'] = telco['Churn'].eq('Yes').astype(int)
telco = pd.get_dummies(telco, drop_first=True).dropna()
""",
    """
train, test = train_test_split(telco, test_size=0.25, stratify=telco['Churn'], random_state=4)
maj, mino = train[train.Churn == 0], train[train.Churn == 1]
train_bal = pd.concat([maj, resample(mino, replace=True, n_samples=len(maj), random_state=4)])
""",
    """
lr = LogisticRegression(max_iter=5000)
lr.fit(train_bal.drop(columns='Churn'), train_bal['Churn'])
print('AUC:', roc_auc_score(test['Churn'], lr.predict_proba(test.drop(columns='Churn'))[:, 1]))
""",
)

# Leak: positive rows duplicated with concat before the split.
nb(
    "sentiment_duplicate_positives",
    "df = pd.concat([df, df[df.label == 1]]) duplicates rows before train_test_split",
    """
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
""",
    """
reviews = pd.read_csv('reviews.csv')[['text', 'label']]
reviews['label'].value_counts()
""",
    "md:Positive reviews are rare, so we duplicate them to balance the classes.",
    """
reviews = pd.concat([reviews, reviews[reviews['label'] == 1]], ignore_index=True)  #@LEAK:OVERLAP:a
""",
    """
train_text, test_text, train_y, test_y = train_test_split(reviews['text'], reviews['label'],
                                                          test_size=0.2, random_state=8)
cv = CountVectorizer(min_df=2)
Xtr = cv.fit_transform(train_text)
Xte = cv.transform(test_text)
nbc = MultinomialNB().fit(Xtr, train_y)
print(accuracy_score(test_y, nbc.predict(Xte)))
""",
)

# =============================================================================================
# Text
# =============================================================================================

# Leak: TF-IDF vocabulary and idf fitted on all messages before the split.
nb(
    "spam_tfidf_before_split",
    "TfidfVectorizer().fit_transform(all messages) then train_test_split",
    "md:# SMS spam classifier",
    """
import pandas as pd
import string
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB
from sklearn.metrics import precision_score
""",
    """
sms = pd.read_csv('spam.csv', encoding='latin-1')[['v1', 'v2']]
sms.columns = ['label', 'message']
sms['label_num'] = sms.label.map({'ham': 0, 'spam': 1})
""",
    """
def clean_text(msg):
    msg = ''.join(ch for ch in msg if ch not in string.punctuation)
    return msg.lower()

sms['clean'] = sms['message'].apply(clean_text)
sms['length'] = sms['message'].str.len()
sms.groupby('label')['length'].describe()
""",
    """
tfidf = TfidfVectorizer(stop_words='english', max_df=0.9)
features = tfidf.fit_transform(sms['clean'])  #@LEAK:PREPROCESSING:a
features.shape
""",
    """
X_train, X_test, y_train, y_test = train_test_split(features, sms['label_num'], test_size=0.3,
                                                    random_state=111)
mnb = MultinomialNB(alpha=0.2)
mnb.fit(X_train, y_train)
print('precision', precision_score(y_test, mnb.predict(X_test)))
""",
)

# Leak: the vectorizer is re-fitted on the test texts (fit_transform instead of transform).
nb(
    "news_tfidf_fit_on_test",
    "vec.fit_transform(X_test) after fitting on train",
    """
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import PassiveAggressiveClassifier
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score
""",
    """
news = pd.read_csv('fake_or_real_news.csv')
x_train, x_test, y_train, y_test = train_test_split(news['text'], news.label, test_size=0.2,
                                                    random_state=7)
""",
    """
vec = TfidfVectorizer(stop_words='english', max_features=5000)
tfidf_train = vec.fit_transform(x_train)
tfidf_test = vec.fit_transform(x_test)  #@LEAK:FIT-ON-TEST:a
""",
    """
pac = PassiveAggressiveClassifier(max_iter=50)
pac.fit(tfidf_train, y_train)
score = accuracy_score(y_test, pac.predict(tfidf_test))
print(f'Accuracy: {round(score * 100, 2)}%')
""",
)

# Leak: the vocabulary is fitted on train + test texts concatenated (the test part is labelled
# and scored below, so it is an evaluation set, not an unlabelled submission file).
nb(
    "imdb_vectorizer_on_train_plus_test",
    "CountVectorizer.fit(pd.concat([train text, test text])) where test is the scored holdout",
    "md:# IMDB reviews, bag of words + logistic regression",
    """
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
""",
    """
train_df = pd.read_csv('imdb_train.csv')
test_df = pd.read_csv('imdb_test.csv')
print(len(train_df), len(test_df))
""",
    """
all_reviews = pd.concat([train_df['review'], test_df['review']])
bow = CountVectorizer(ngram_range=(1, 2), min_df=3)
bow.fit(all_reviews)  #@LEAK:FIT-ON-TEST:a
Xtr = bow.transform(train_df['review'])
Xte = bow.transform(test_df['review'])
""",
    """
logit = LogisticRegression(C=0.5, max_iter=1000).fit(Xtr, train_df['sentiment'])
print('test accuracy', accuracy_score(test_df['sentiment'], logit.predict(Xte)))
""",
)

# Clean: tf-idf inside a Pipeline tuned with GridSearchCV on train; test scored once.
nb(
    "tweets_tfidf_pipeline_grid",
    "Pipeline(TfidfVectorizer, LinearSVC) in GridSearchCV on train; one test evaluation",
    """
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.metrics import classification_report
""",
    """
tweets = pd.read_csv('disaster_tweets.csv')
tweets['text'] = tweets['text'].str.replace(r'http\\S+', '', regex=True).str.lower()
X_tr, X_te, y_tr, y_te = train_test_split(tweets.text, tweets.target, test_size=0.2,
                                          random_state=21, stratify=tweets.target)
""",
    """
text_clf = Pipeline([('tfidf', TfidfVectorizer(sublinear_tf=True)), ('svm', LinearSVC())])
params = {'tfidf__ngram_range': [(1, 1), (1, 2)], 'tfidf__min_df': [1, 3],
          'svm__C': [0.1, 1, 10]}
search = GridSearchCV(text_clf, params, cv=5, scoring='f1', n_jobs=-1)
search.fit(X_tr, y_tr)
print(search.best_params_, search.best_score_)
""",
    """
print(classification_report(y_te, search.predict(X_te)))
""",
)

# =============================================================================================
# Scaling / PCA / selection before CV
# =============================================================================================

# Two leaks: MinMaxScaler and PCA both fitted on all rows before the split.
nb(
    "mnist_scale_pca_before_split",
    "MinMaxScaler and PCA fitted on all digits, then train_test_split",
    "md:# Digits: PCA + SVM",
    """
import numpy as np
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.preprocessing import MinMaxScaler
from sklearn.decomposition import PCA
from sklearn.svm import SVC
from sklearn.model_selection import train_test_split
""",
    """
digits = load_digits()
X, y = digits.data, digits.target
fig, axes = plt.subplots(1, 5)
for ax, img in zip(axes, digits.images[:5]):
    ax.imshow(img, cmap='gray')
""",
    """
X = MinMaxScaler().fit_transform(X)  #@LEAK:PREPROCESSING:a
pca = PCA(n_components=0.95, whiten=True)
X_pca = pca.fit_transform(X)  #@LEAK:PREPROCESSING:b
plt.plot(np.cumsum(pca.explained_variance_ratio_))
""",
    """
Xtr, Xte, ytr, yte = train_test_split(X_pca, y, test_size=0.25, random_state=0)
svm = SVC(kernel='rbf', C=10).fit(Xtr, ytr)
print('test accuracy: {:.3f}'.format(svm.score(Xte, yte)))
""",
)

# Leak: SelectKBest with the labels on all rows, then cross-validation of the selected columns.
nb(
    "genes_selectkbest_before_cv",
    "SelectKBest(f_classif).fit_transform(X, y) on all rows, then cross_val_score",
    "md:# Gene expression: 20 best genes + SVM",
    """
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.svm import SVC
from sklearn.model_selection import cross_val_score, StratifiedKFold
""",
    """
expr = pd.read_csv('leukemia_expression.csv')
labels = expr.pop('cancer_type')
print(expr.shape)
""",
    """
selector = SelectKBest(score_func=f_classif, k=20)
X_best = selector.fit_transform(expr, labels)  #@LEAK:PREPROCESSING:a
chosen = expr.columns[selector.get_support()]
chosen
""",
    """
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
acc = cross_val_score(SVC(kernel='linear'), X_best, labels, cv=cv)
print('CV accuracy:', acc.mean())
""",
)

# Clean: scaler and selection inside make_pipeline, evaluated with cross_val_score.
nb(
    "genes_selection_in_pipeline",
    "make_pipeline(StandardScaler, SelectKBest, SVC) inside cross_val_score and GridSearchCV",
    """
import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.svm import SVC
from sklearn.model_selection import cross_val_score, GridSearchCV
""",
    """
expr = pd.read_csv('leukemia_expression.csv')
y = expr['cancer_type']
X = expr.drop(columns=['cancer_type'])
""",
    """
pipe = make_pipeline(StandardScaler(), SelectKBest(f_classif, k=20), SVC(kernel='linear'))
print(cross_val_score(pipe, X, y, cv=5).mean())
""",
    """
grid = GridSearchCV(pipe, {'selectkbest__k': [10, 20, 50], 'svc__C': [0.1, 1, 10]}, cv=5)
grid.fit(X, y)
grid.best_params_
""",
)

# Leak: scaler fitted on all rows, then 10-fold CV of a KNN (no Pipeline).
nb(
    "diabetes_scaler_then_cv",
    "X_scaled = StandardScaler().fit_transform(X); cross_val_score(knn, X_scaled, y)",
    "md:# Pima diabetes - KNN with cross-validation",
    IMPORTS_BASIC + """
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import cross_val_score
""",
    """
pima = pd.read_csv('diabetes.csv')
zero_invalid = ['Glucose', 'BloodPressure', 'SkinThickness', 'Insulin', 'BMI']
pima[zero_invalid] = pima[zero_invalid].replace(0, np.nan)
pima.isna().mean()
""",
    """
pima = pima.dropna()
X = pima.drop('Outcome', axis=1)
y = pima.Outcome
X_scaled = StandardScaler().fit_transform(X)  #@LEAK:PREPROCESSING:a
""",
    """
k_range = range(1, 26)
cv_means = [cross_val_score(KNeighborsClassifier(n_neighbors=k), X_scaled, y, cv=10).mean()
            for k in k_range]
plt.plot(k_range, cv_means)
plt.xlabel('k')
""",
)

# Leak: the test part is standardised with its own freshly fitted scaler.
nb(
    "heart_scaler_fit_on_test",
    "scaler.fit_transform(X_test) after scaler.fit_transform(X_train)",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""",
    """
heart = pd.read_csv('heart.csv')
heart = pd.get_dummies(heart, columns=['cp', 'thal', 'slope'])
X = heart.drop('target', axis=1)
y = heart['target']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""",
    """
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.fit_transform(X_test)  #@LEAK:FIT-ON-TEST:a
""",
    """
model = LogisticRegression()
model.fit(X_train, y_train)
print('ROC AUC:', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
""",
)

# Clean: helper function that fits on the training frame and transforms both.
nb(
    "heart_helper_fit_train",
    "helper scale(train, test) fits the scaler on train only",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import RandomForestClassifier
""",
    """
def scale(train, test, cols):
    \"\"\"Standardise cols with the training statistics.\"\"\"
    sc = StandardScaler().fit(train[cols])
    train, test = train.copy(), test.copy()
    train[cols] = sc.transform(train[cols])
    test[cols] = sc.transform(test[cols])
    return train, test
""",
    """
heart = pd.read_csv('heart.csv')
num = ['age', 'trestbps', 'chol', 'thalach', 'oldpeak']
y = heart.pop('target')
X_train, X_test, y_train, y_test = train_test_split(heart, y, stratify=y, random_state=9)
X_train, X_test = scale(X_train, X_test, num)
""",
    """
rf = RandomForestClassifier(n_estimators=400, random_state=9).fit(X_train, y_train)
print(rf.score(X_test, y_test))
""",
)

# Leak: a preprocessing helper fits a scaler on whatever it is given, and it is given all rows.
nb(
    "loans_helper_preprocess_full",
    "def preprocess(frame) fits StandardScaler; called on the whole frame before the split",
    "md:# Loan default model",
    """
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
""",
    """
NUMERIC = ['loan_amnt', 'annual_inc', 'dti', 'revol_util', 'int_rate']

def preprocess(frame):
    frame = frame.copy()
    frame['int_rate'] = frame['int_rate'].str.rstrip('%').astype(float)
    frame['log_income'] = np.log1p(frame['annual_inc'])
    frame[NUMERIC] = StandardScaler().fit_transform(frame[NUMERIC])  #@ALT:a
    return frame
""",
    """
loans = pd.read_csv('loans_2007_2011.csv', low_memory=False)
loans = loans[loans.loan_status.isin(['Fully Paid', 'Charged Off'])].dropna(subset=NUMERIC)
loans['default'] = (loans.loan_status == 'Charged Off').astype(int)
loans = preprocess(loans)  #@LEAK:PREPROCESSING:a
""",
    """
X = loans[NUMERIC + ['log_income']]
y = loans['default']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2)
gbc = GradientBoostingClassifier().fit(X_train, y_train)
print(roc_auc_score(y_test, gbc.predict_proba(X_test)[:, 1]))
""",
)

# Two leaks: mean imputer and one-hot encoder fitted on all rows (numpy arrays, np.hstack).
nb(
    "adult_imputer_onehot_hstack",
    "SimpleImputer and OneHotEncoder fitted on all rows, np.hstack, then split",
    "md:# Adult income (>50K)",
    """
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder, LabelEncoder
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
""",
    """
cols = ['age', 'workclass', 'fnlwgt', 'education', 'education_num', 'marital_status',
        'occupation', 'relationship', 'race', 'sex', 'capital_gain', 'capital_loss',
        'hours_per_week', 'native_country', 'income']
adult = pd.read_csv('adult.data', names=cols, na_values=' ?', skipinitialspace=True)
y = LabelEncoder().fit_transform(adult['income'])
""",
    """
num_features = ['age', 'fnlwgt', 'education_num', 'capital_gain', 'capital_loss',
                'hours_per_week']
cat_features = ['workclass', 'education', 'marital_status', 'occupation', 'relationship',
                'race', 'sex', 'native_country']
imp = SimpleImputer(strategy='mean')
X_num = imp.fit_transform(adult[num_features].values)  #@LEAK:PREPROCESSING:a
ohe = OneHotEncoder(handle_unknown='ignore', sparse_output=False)
X_cat = ohe.fit_transform(adult[cat_features].fillna('missing'))  #@LEAK:PREPROCESSING:b
X_all = np.hstack([X_num, X_cat])
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X_all, y, test_size=0.2, random_state=10)
clf = LogisticRegression(max_iter=3000).fit(X_train, y_train)
print('accuracy', clf.score(X_test, y_test))
""",
)

# Clean: the same data through a ColumnTransformer fitted inside GridSearchCV on train; LabelEncoder
# on the target only (no leak: it maps class names).
nb(
    "adult_column_transformer_grid",
    "ColumnTransformer + model in GridSearchCV on train; LabelEncoder on y; single test score",
    """
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder, StandardScaler, LabelEncoder
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
""",
    """
adult = pd.read_csv('adult.csv').replace('?', np.nan)
target = LabelEncoder().fit_transform(adult['income'])
feats = adult.drop(columns=['income'])
num_features = feats.select_dtypes('number').columns
cat_features = feats.select_dtypes('object').columns
""",
    """
X_train, X_test, y_train, y_test = train_test_split(feats, target, test_size=0.2,
                                                    random_state=10, stratify=target)
ct = ColumnTransformer([
    ('num', Pipeline([('imp', SimpleImputer()), ('sc', StandardScaler())]), num_features),
    ('cat', Pipeline([('imp', SimpleImputer(strategy='most_frequent')),
                      ('oh', OneHotEncoder(handle_unknown='ignore'))]), cat_features),
])
model = Pipeline([('ct', ct), ('lr', LogisticRegression(max_iter=3000))])
gs = GridSearchCV(model, {'lr__C': np.logspace(-2, 2, 5)}, cv=5, n_jobs=2)
gs.fit(X_train, y_train)
""",
    """
print('best C', gs.best_params_['lr__C'])
print('test accuracy', gs.score(X_test, y_test))
""",
)

# Leak: the classic tutorial bug on a toy dataset.
nb(
    "iris_scaler_tutorial",
    "load_iris; StandardScaler().fit_transform(X); then train_test_split",
    "md:# Iris with an SVM",
    """
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from sklearn.metrics import accuracy_score
""",
    """
X, y = load_iris(return_X_y=True)
X_std = StandardScaler().fit_transform(X)  #@LEAK:PREPROCESSING:a
X_train, X_test, y_train, y_test = train_test_split(X_std, y, test_size=0.3, random_state=1,
                                                    stratify=y)
""",
    """
svm = SVC(kernel='linear', C=1.0, random_state=1)
svm.fit(X_train, y_train)
print('Accuracy: %.2f' % accuracy_score(y_test, svm.predict(X_test)))
""",
)

# Clean: the same toy task done right with a pipeline and grid search.
nb(
    "breast_cancer_pipeline_grid",
    "split; make_pipeline(StandardScaler(), SVC()) in GridSearchCV; test scored once",
    """
from sklearn.datasets import load_breast_cancer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.metrics import classification_report
""",
    """
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=42)
pipe_svc = make_pipeline(StandardScaler(), SVC(random_state=1))
param_grid = [{'svc__C': [0.1, 1.0, 10.0], 'svc__kernel': ['linear']},
              {'svc__C': [0.1, 1.0, 10.0], 'svc__gamma': [0.01, 0.1], 'svc__kernel': ['rbf']}]
gs = GridSearchCV(pipe_svc, param_grid, scoring='accuracy', cv=10, refit=True)
gs = gs.fit(X_train, y_train)
print(gs.best_score_, gs.best_params_)
""",
    """
best = gs.best_estimator_
print(classification_report(y_test, best.predict(X_test)))
""",
)

# =============================================================================================
# Early stopping and model selection on the test set
# =============================================================================================

# Leak: XGBoost early stopping watches the test set (early_stopping_rounds in the constructor,
# as in xgboost >= 1.6), and the same test set gives the reported score.
nb(
    "xgb_early_stopping_on_test",
    "XGBClassifier(early_stopping_rounds=50).fit(..., eval_set=[(X_test, y_test)])",
    "md:# Santander customer satisfaction - XGBoost",
    """
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
""",
    """
sant = pd.read_csv('santander_train.csv')
X = sant.drop(['ID', 'TARGET'], axis=1)
y = sant['TARGET']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y,
                                                    random_state=1234)
""",
    """
model = xgb.XGBClassifier(n_estimators=2000, learning_rate=0.02, max_depth=5,
                          subsample=0.8, colsample_bytree=0.7, eval_metric='auc',
                          early_stopping_rounds=50)
model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=100)  #@LEAK:MULTI-TEST:a
""",
    """
print('best iteration', model.best_iteration)
print('Test AUC', roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
""",
)

# Clean: early stopping on a validation split carved out of the training part.
nb(
    "xgb_early_stopping_on_valid",
    "train/valid/test: early stopping watches the validation split; test scored once",
    """
import pandas as pd
from xgboost import XGBRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_squared_error
""",
    """
cars = pd.read_csv('used_cars.csv')
cars = pd.get_dummies(cars.drop(columns=['listing_id']), drop_first=True)
X, y = cars.drop(columns='price'), cars['price']
X_trainval, X_test, y_trainval, y_test = train_test_split(X, y, test_size=0.15, random_state=0)
X_train, X_valid, y_train, y_valid = train_test_split(X_trainval, y_trainval, test_size=0.15,
                                                      random_state=0)
""",
    """
reg = XGBRegressor(n_estimators=5000, learning_rate=0.03, early_stopping_rounds=100)
reg.fit(X_train, y_train, eval_set=[(X_valid, y_valid)], verbose=False)
""",
    """
rmse = mean_squared_error(y_test, reg.predict(X_test)) ** 0.5
print(f'test RMSE: {rmse:,.0f}')
""",
)

# Leak: Keras early stopping monitors val_loss computed on the test set.
nb(
    "keras_validation_data_test",
    "model.fit(..., validation_data=(X_test, y_test), callbacks=[EarlyStopping])",
    "md:# Churn with a small neural network",
    """
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.callbacks import EarlyStopping
""",
    """
bank = pd.read_csv('Churn_Modelling.csv')
bank = pd.get_dummies(bank.drop(columns=['RowNumber', 'CustomerId', 'Surname']),
                      drop_first=True)
X = bank.drop('Exited', axis=1).values
y = bank['Exited'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler()
X_train = sc.fit_transform(X_train)
X_test = sc.transform(X_test)
""",
    """
ann = keras.Sequential([
    layers.Dense(16, activation='relu', input_shape=(X_train.shape[1],)),
    layers.Dropout(0.2),
    layers.Dense(8, activation='relu'),
    layers.Dense(1, activation='sigmoid'),
])
ann.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
""",
    """
es = EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True)
history = ann.fit(X_train, y_train, batch_size=32, epochs=200,
                  validation_data=(X_test, y_test), callbacks=[es])  #@LEAK:MULTI-TEST:a
""",
    """
loss, acc = ann.evaluate(X_test, y_test)
print('test accuracy', acc)
pd.DataFrame(history.history).plot()
""",
)

# Clean: Keras with validation_split (taken from the training arrays), test evaluated at the end.
nb(
    "keras_validation_split_clean",
    "validation_split=0.2 from the training data for early stopping; test evaluated once",
    """
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
import tensorflow as tf
""",
    """
energy = pd.read_csv('energy_efficiency.csv')
features = energy.drop(columns=['heating_load', 'cooling_load']).to_numpy()
target = energy['heating_load'].to_numpy()
x_train, x_test, y_train, y_test = train_test_split(features, target, test_size=0.2,
                                                    random_state=3)
mm = MinMaxScaler().fit(x_train)
x_train, x_test = mm.transform(x_train), mm.transform(x_test)
""",
    """
net = tf.keras.Sequential([tf.keras.layers.Dense(64, activation='relu'),
                           tf.keras.layers.Dense(64, activation='relu'),
                           tf.keras.layers.Dense(1)])
net.compile(optimizer='adam', loss='mse', metrics=['mae'])
stop = tf.keras.callbacks.EarlyStopping(patience=20, restore_best_weights=True)
hist = net.fit(x_train, y_train, epochs=500, validation_split=0.2, callbacks=[stop], verbose=0)
""",
    """
print('test MAE', net.evaluate(x_test, y_test, verbose=0)[1])
""",
)

# Leak: LightGBM early stopping with the test set as the validation Dataset.
nb(
    "lgbm_valid_sets_test",
    "lgb.train(..., valid_sets=[Dataset(X_test, y_test)], early_stopping callback)",
    """
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
""",
    """
app = pd.read_csv('application_train.csv')
app = app.select_dtypes(exclude='object')
y = app.pop('TARGET')
app = app.drop(columns=['SK_ID_CURR'])
X_tr, X_te, y_tr, y_te = train_test_split(app, y, test_size=0.2, random_state=2024)
""",
    """
dtrain = lgb.Dataset(X_tr, label=y_tr)
dtest = lgb.Dataset(X_te, label=y_te, reference=dtrain)
params = {'objective': 'binary', 'metric': 'auc', 'learning_rate': 0.05, 'num_leaves': 31,
          'feature_fraction': 0.8, 'verbose': -1}
booster = lgb.train(params, dtrain, num_boost_round=5000, valid_sets=[dtest],
                    callbacks=[lgb.early_stopping(100), lgb.log_evaluation(200)])  #@LEAK:MULTI-TEST:a
""",
    """
print('test AUC', roc_auc_score(y_te, booster.predict(X_te, num_iteration=booster.best_iteration)))
""",
)

# Leak: several models compared on the test set and the best one picked by its test score.
nb(
    "model_zoo_pick_best_on_test",
    "loop over models scoring on X_test, best = max(test scores)",
    "md:# Which classifier is best for heart disease?",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
""",
    """
df = pd.read_csv('heart.csv')
X_train, X_test, y_train, y_test = train_test_split(df.drop('target', axis=1), df['target'],
                                                    test_size=0.2, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
""",
    """
models = {
    'Logistic Regression': LogisticRegression(),
    'KNN': KNeighborsClassifier(),
    'SVM': SVC(probability=True),
    'Decision Tree': DecisionTreeClassifier(),
    'Random Forest': RandomForestClassifier(n_estimators=200),
}
results = {}
for name, m in models.items():
    m.fit(X_train, y_train)
    results[name] = accuracy_score(y_test, m.predict(X_test))  #@LEAK:MULTI-TEST:a
    print(f'{name}: {results[name]:.3f}')
""",
    """
best_name = max(results, key=results.get)  #@ALT:a
best_model = models[best_name]
print('Best model:', best_name, 'with test accuracy', results[best_name])
""",
)

# Leak: k of a KNN chosen by the test accuracy curve.
nb(
    "knn_choose_k_on_test",
    "for k in range: knn.fit(train); knn.score(X_test, y_test); k = argmax",
    """
import numpy as np
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
""",
    """
glass = pd.read_csv('glass.csv')
X = glass.drop('Type', axis=1)
y = glass['Type']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=4,
                                                    stratify=y)
ss = StandardScaler()
X_train = ss.fit_transform(X_train)
X_test = ss.transform(X_test)
""",
    """
test_acc = []
for k in range(1, 31):
    knn = KNeighborsClassifier(n_neighbors=k)
    knn.fit(X_train, y_train)
    test_acc.append(knn.score(X_test, y_test))  #@LEAK:MULTI-TEST:a
plt.plot(range(1, 31), test_acc, marker='o')
best_k = int(np.argmax(test_acc)) + 1  #@ALT:a
print('best k =', best_k, 'accuracy =', max(test_acc))
""",
)

# Clean: models compared by cross-validation on the training part, the winner tested once.
nb(
    "model_zoo_cv_then_test",
    "models compared by cross_val_score on train (Pipelines); the winner scored on test once",
    "md:# Model comparison with cross-validation",
    """
import pandas as pd
from sklearn.model_selection import train_test_split, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
""",
    """
df = pd.read_csv('heart.csv')
X, y = df.drop(columns='target'), df.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0,
                                                    stratify=y)
""",
    """
candidates = {
    'logreg': make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
    'knn': make_pipeline(StandardScaler(), KNeighborsClassifier(15)),
    'rf': RandomForestClassifier(n_estimators=300, random_state=0),
    'gb': GradientBoostingClassifier(random_state=0),
}
cv_results = {name: cross_val_score(est, X_train, y_train, cv=5, scoring='roc_auc').mean()
              for name, est in candidates.items()}
pd.Series(cv_results).sort_values()
""",
    """
winner = max(cv_results, key=cv_results.get)
final = candidates[winner].fit(X_train, y_train)
print(winner, 'test accuracy:', final.score(X_test, y_test))
""",
)

# Leak: GridSearchCV fitted on all rows, then "evaluated" on a test split of those rows.
nb(
    "gridsearch_on_all_then_test",
    "grid.fit(X, y) on all rows; train_test_split afterwards; grid.score(X_test)",
    """
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.metrics import f1_score
""",
    """
water = pd.read_csv('water_potability.csv').dropna()
X = water.drop(columns=['Potability'])
y = water['Potability']
""",
    """
grid = GridSearchCV(RandomForestClassifier(random_state=0),
                    {'n_estimators': [100, 300], 'max_depth': [None, 8, 16]}, cv=5)
grid.fit(X, y)  #@LEAK:OVERLAP:a
grid.best_params_
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
print('F1 on test:', f1_score(y_test, grid.predict(X_test)))
""",
)

# Leak: a random forest fitted on all rows for "feature importance", and that same model is
# scored on a split made afterwards.
nb(
    "rf_fit_all_then_score_split",
    "rf.fit(X, y) on all rows then rf.score(X_test, y_test) of a later split",
    "md:# Mushroom classification",
    """
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
""",
    """
mush = pd.read_csv('mushrooms.csv')
y = (mush['class'] == 'p').astype(int)
X = pd.get_dummies(mush.drop(columns='class'))
""",
    """
rf = RandomForestClassifier(n_estimators=100, random_state=1)
rf.fit(X, y)  #@LEAK:OVERLAP:a
imp = pd.Series(rf.feature_importances_, index=X.columns).nlargest(15)
imp.plot.barh()
plt.show()
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
print('test accuracy:', rf.score(X_test, y_test))
""",
)

# =============================================================================================
# Time series
# =============================================================================================

# Leak: lag and rolling features on date-sorted sales, then a shuffled random split.
nb(
    "store_sales_lags_random_split",
    "sorted by date, shift/rolling features, train_test_split(random_state=42) (shuffled)",
    "md:# Store sales forecasting\nDaily sales per store; we predict tomorrow's sales.",
    IMPORTS_BASIC + """
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error
""",
    """
sales = pd.read_csv('store_sales.csv', parse_dates=['date'])
sales = sales[sales.store_nbr == 1].sort_values('date').reset_index(drop=True)
sales.set_index('date')['sales'].plot(figsize=(14, 4))
""",
    "md:## Features: calendar + lags",
    """
sales['dayofweek'] = sales['date'].dt.dayofweek
sales['month'] = sales['date'].dt.month
for lag in (1, 7, 14):
    sales[f'lag_{lag}'] = sales['sales'].shift(lag)
sales['rolling_7'] = sales['sales'].shift(1).rolling(7).mean()
sales = sales.dropna()
""",
    """
feature_cols = ['dayofweek', 'month', 'lag_1', 'lag_7', 'lag_14', 'rolling_7', 'onpromotion']
X_train, X_test, y_train, y_test = train_test_split(sales[feature_cols], sales['sales'],
                                                    test_size=0.2, random_state=42)  #@LEAK:TEMPORAL-SPLIT:a
""",
    """
rfr = RandomForestRegressor(n_estimators=300, random_state=42).fit(X_train, y_train)
print('MAE', mean_absolute_error(y_test, rfr.predict(X_test)))
""",
)

# Clean: same features, chronological cut-off.
nb(
    "store_sales_cutoff_split",
    "lag features; chronological split at a cut-off date",
    """
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error
""",
    """
sales = pd.read_csv('store_sales.csv', parse_dates=['date']).sort_values('date')
sales['lag_7'] = sales.groupby('store_nbr')['sales'].shift(7)
sales['roll_28'] = sales.groupby('store_nbr')['sales'].transform(lambda s: s.shift(7).rolling(28).mean())
sales = sales.dropna()
""",
    """
cutoff = '2017-06-01'
train = sales[sales['date'] < cutoff]
valid = sales[sales['date'] >= cutoff]
feats = ['store_nbr', 'onpromotion', 'lag_7', 'roll_28']
hgb = HistGradientBoostingRegressor().fit(train[feats], train['sales'])
print(mean_absolute_error(valid['sales'], hgb.predict(valid[feats])))
""",
)

# Clean: TimeSeriesSplit for CV and shuffle=False for the holdout.
nb(
    "energy_tscv_clean",
    "TimeSeriesSplit in cross_val_score; train_test_split(shuffle=False) for the holdout",
    "md:# Hourly energy consumption",
    """
import pandas as pd
import numpy as np
from sklearn.model_selection import TimeSeriesSplit, cross_val_score, train_test_split
from sklearn.linear_model import Ridge
""",
    """
pjm = pd.read_csv('PJME_hourly.csv', index_col='Datetime', parse_dates=True).sort_index()
pjm['hour'] = pjm.index.hour
pjm['dow'] = pjm.index.dayofweek
pjm['lag_24'] = pjm['PJME_MW'].shift(24)
pjm['lag_168'] = pjm['PJME_MW'].shift(168)
pjm = pjm.dropna()
X, y = pjm[['hour', 'dow', 'lag_24', 'lag_168']], pjm['PJME_MW']
""",
    """
tscv = TimeSeriesSplit(n_splits=5)
print(cross_val_score(Ridge(), X, y, cv=tscv, scoring='neg_mean_absolute_error'))
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.1, shuffle=False)
ridge = Ridge().fit(X_train, y_train)
print('holdout R2', ridge.score(X_test, y_test))
""",
)

# Leak: returns (pct_change) on a date-indexed price series, evaluated with shuffled KFold.
nb(
    "stocks_kfold_shuffle",
    "date-indexed returns with lag features; cross_val_score with KFold(shuffle=True)",
    """
import pandas as pd
import numpy as np
from sklearn.model_selection import KFold, cross_val_score
from sklearn.ensemble import GradientBoostingClassifier
""",
    """
px = pd.read_csv('AAPL.csv', parse_dates=['Date']).set_index('Date')
px['ret'] = px['Close'].pct_change()
for i in range(1, 6):
    px[f'ret_lag{i}'] = px['ret'].shift(i)
px['vol_10'] = px['ret'].rolling(10).std()
px['up_next'] = (px['ret'].shift(-1) > 0).astype(int)
px = px.dropna()
""",
    """
X = px[[f'ret_lag{i}' for i in range(1, 6)] + ['vol_10']]
y = px['up_next']
kf = KFold(n_splits=5, shuffle=True, random_state=0)  #@ALT:a
acc = cross_val_score(GradientBoostingClassifier(), X, y, cv=kf)  #@LEAK:TEMPORAL-SPLIT:a
print(acc.mean())
""",
)

# Clean (hard negative): house sales have a sale date used only for year/month features; rows are
# independent houses (no lags, no ordering), so a random split is the usual, fair evaluation.
nb(
    "kc_house_date_features_random_split",
    "date turned into year/month features of independent sales; random split is fine",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
""",
    """
kc = pd.read_csv('kc_house_data.csv')
kc['date'] = pd.to_datetime(kc['date'])
kc['sale_year'] = kc['date'].dt.year
kc['sale_month'] = kc['date'].dt.month
kc['age'] = kc['sale_year'] - kc['yr_built']
kc = kc.drop(columns=['id', 'date'])
""",
    """
X = kc.drop('price', axis=1)
y = kc['price']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
rf = RandomForestRegressor(n_estimators=200, n_jobs=-1).fit(X_train, y_train)
print('R2:', rf.score(X_test, y_test))
""",
)

# =============================================================================================
# Groups (repeated entities)
# =============================================================================================

# Leak: several visits per patient (EDA shows it), random row split.
nb(
    "patients_visits_random_split",
    "many rows per patient_id (groupby in EDA), random train_test_split",
    "md:# Predicting readmission from visit records",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
""",
    """
visits = pd.read_csv('visits.csv')
visits_per_patient = visits.groupby('patient_id').size()
print(visits_per_patient.describe())
""",
    """
X = visits.drop(columns=['readmitted', 'patient_id', 'visit_id'])
y = visits['readmitted']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)  #@LEAK:GROUP-SPLIT:a
""",
    """
clf = RandomForestClassifier(n_estimators=500, min_samples_leaf=3, random_state=0)
clf.fit(X_train, y_train)
print(roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1]))
""",
)

# Clean: the same task with GroupShuffleSplit on patient_id.
nb(
    "patients_group_shuffle_split",
    "GroupShuffleSplit(groups=patient_id)",
    """
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit
from sklearn.ensemble import RandomForestClassifier
""",
    """
visits = pd.read_csv('visits.csv')
visits.groupby('patient_id').size().hist()
""",
    """
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
train_idx, test_idx = next(gss.split(visits, visits['readmitted'], groups=visits['patient_id']))
train, test = visits.iloc[train_idx], visits.iloc[test_idx]
feats = [c for c in visits.columns if c not in ('readmitted', 'patient_id', 'visit_id')]
""",
    """
clf = RandomForestClassifier(n_estimators=500, random_state=0)
clf.fit(train[feats], train['readmitted'])
print('holdout accuracy', clf.score(test[feats], test['readmitted']))
""",
)

# Leak: accelerometer windows of several users, shuffled stratified CV (users on both sides).
nb(
    "har_users_stratified_cv",
    "several windows per user_id; cross_val_score with StratifiedKFold(shuffle=True)",
    """
import pandas as pd
import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.ensemble import ExtraTreesClassifier
""",
    """
har = pd.read_csv('har_windows.csv')
print(har['user_id'].nunique(), 'users,', len(har), 'windows')
har.groupby('user_id')['activity'].value_counts().unstack().head()
""",
    """
X = har.filter(like='feat_')
y = har['activity']
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=7)  #@ALT:a
scores = cross_val_score(ExtraTreesClassifier(n_estimators=300), X, y, cv=skf)  #@LEAK:GROUP-SPLIT:a
print('CV accuracy %.3f' % scores.mean())
""",
)

# Clean: GroupKFold on the user id.
nb(
    "har_group_kfold",
    "GroupKFold with groups=user_id in cross_val_score",
    """
import pandas as pd
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
""",
    """
har = pd.read_csv('har_windows.csv')
har.groupby('user_id').size().describe()
""",
    """
X = har.filter(like='feat_').values
y = har['activity'].values
groups = har['user_id'].values
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
scores = cross_val_score(model, X, y, groups=groups, cv=GroupKFold(n_splits=5))
print(scores.round(3))
""",
)

# =============================================================================================
# Target encoding
# =============================================================================================

# Leak: mean target per city computed on all rows, mapped as a feature, then the split.
nb(
    "churn_target_encoding_full",
    "df.groupby('city')['churn'].mean() on all rows, mapped as a feature, then split",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
""",
    """
subs = pd.read_csv('subscriptions.csv')
subs.head()
""",
    "md:Encode the high-cardinality `city` column by its churn rate.",
    """
city_rate = subs.groupby('city')['churn'].mean()  #@LEAK:PREPROCESSING:a
subs['city_churn_rate'] = subs['city'].map(city_rate)  #@ALT:a
""",
    """
features = ['tenure_months', 'monthly_fee', 'support_calls', 'city_churn_rate']
X_train, X_test, y_train, y_test = train_test_split(subs[features], subs['churn'],
                                                    test_size=0.25, random_state=0)
lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print(roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1]))
""",
)

# Leak: target encoding via groupby().transform('mean') inside a method chain, before the split.
nb(
    "rentals_target_encoding_transform_chain",
    "assign(neigh_te=groupby('neighbourhood')['price'].transform('mean')) before the split",
    "md:# Airbnb price regression",
    """
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingRegressor
""",
    """
listings = (
    pd.read_csv('listings.csv')
    .query('price > 0')
    .assign(log_price=lambda d: np.log(d['price']))
)
""",
    """
listings = listings.assign(
    neigh_te=listings.groupby('neighbourhood')['log_price'].transform('mean'),  #@LEAK:PREPROCESSING:a
    room_private=(listings['room_type'] == 'Private room').astype(int),
)
""",
    """
cols = ['neigh_te', 'room_private', 'accommodates', 'bedrooms', 'minimum_nights']
train_df, test_df = train_test_split(listings, test_size=0.2, random_state=1)
gbr = GradientBoostingRegressor().fit(train_df[cols].fillna(0), train_df['log_price'])
print('R2', gbr.score(test_df[cols].fillna(0), test_df['log_price']))
""",
)

# Clean: target encoding learnt on the training part and mapped onto the test part.
nb(
    "churn_target_encoding_train_only",
    "groupby mean on the training part only, mapped to both parts with a global fallback",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
""",
    """
subs = pd.read_csv('subscriptions.csv')
train, test = train_test_split(subs, test_size=0.25, random_state=0, stratify=subs['churn'])
""",
    """
rate = train.groupby('city')['churn'].mean()
global_rate = train['churn'].mean()
train = train.assign(city_te=train['city'].map(rate))
test = test.assign(city_te=test['city'].map(rate).fillna(global_rate))
""",
    """
cols = ['tenure_months', 'monthly_fee', 'support_calls', 'city_te']
rf = RandomForestClassifier(random_state=0).fit(train[cols], train['churn'])
print(rf.score(test[cols], test['churn']))
""",
)

# =============================================================================================
# Out-of-order execution
# =============================================================================================

# Leak by execution order: the scaling cell sits below the split on the page but ran before it
# (In[5] vs In[6]); the split therefore cut already-scaled rows.
nb(
    "out_of_order_scaler_before_split",
    "page order split->scale, execution order scale (In[5]) -> split (In[6])",
    "md:# Bike sharing demand",
    """
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import Ridge
""",
    """
bikes = pd.read_csv('hour.csv')
X = bikes[['temp', 'atemp', 'hum', 'windspeed', 'hr', 'weekday', 'season']]
y = bikes['cnt']
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""",
    """
scaler = StandardScaler()
X = pd.DataFrame(scaler.fit_transform(X), columns=X.columns)  #@LEAK:PREPROCESSING:a
""",
    """
ridge = Ridge(alpha=1.0).fit(X_train, y_train)
print('R2 test:', ridge.score(X_test, y_test))
""",
    exec_counts=[1, 2, 6, 5, 7],
)

# Clean by execution order: the page reads "scale all, then split", but the scaling cell was run
# last (In[9]) after the model was evaluated; its output feeds nothing that was evaluated.
nb(
    "out_of_order_dead_scaler_clean",
    "page order scale->split, but the scaling cell ran last (In[9]) and feeds nothing evaluated",
    """
import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
""",
    """
cancer = pd.read_csv('breast_cancer.csv').drop(columns=['id'])
y = (cancer.pop('diagnosis') == 'M').astype(int)
X = cancer
""",
    """
X_scaled_all = StandardScaler().fit_transform(X)
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler().fit(X_train)
""",
    """
clf = LogisticRegression(max_iter=500).fit(sc.transform(X_train), y_train)
print(clf.score(sc.transform(X_test), y_test))
""",
    exec_counts=[1, 2, 9, 3, 4],
)

# Clean by execution order: the scaler cell is above the split on the page but ran after it and
# is fitted on the training part (the page alone would look like a NameError).
nb(
    "out_of_order_fit_train_clean",
    "scaler cell above the split on the page, run after it (In[4] vs In[3]) on X_train",
    """
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor
""",
    """
concrete = pd.read_csv('concrete.csv')
X = concrete.drop(columns='strength')
y = concrete['strength']
""",
    """
mms = MinMaxScaler().fit(X_train)
X_train_s = mms.transform(X_train)
X_test_s = mms.transform(X_test)
""",
    """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
""",
    """
knr = KNeighborsRegressor(n_neighbors=5).fit(X_train_s, y_train)
print(knr.score(X_test_s, y_test))
""",
    exec_counts=[1, 2, 4, 3, 5],
)

# =============================================================================================
# Mixed notebooks: EDA statistics that are not leaks, several steps
# =============================================================================================

# Clean (hard negative): lots of EDA statistics on the whole frame (describe, corr heatmap,
# value_counts, groupby means for plots) that never become features; dropna and fillna(0) are
# row-wise; LabelEncoder on the target; the model pipeline is fitted on train.
nb(
    "eda_heavy_clean",
    "whole-frame EDA statistics used only for display; Pipeline fitted on train",
    "md:# Employee attrition - exploratory analysis and model",
    IMPORTS_BASIC + """
from sklearn.preprocessing import LabelEncoder, StandardScaler, OneHotEncoder
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.metrics import classification_report
""",
    """
hr = pd.read_csv('WA_Fn-UseC_-HR-Employee-Attrition.csv')
hr.describe().T
""",
    """
hr['Attrition'].value_counts(normalize=True).plot.bar()
hr.groupby('Department')['MonthlyIncome'].mean().sort_values().plot.barh()
""",
    """
plt.figure(figsize=(16, 12))
sns.heatmap(hr.select_dtypes('number').corr(), cmap='RdBu_r', center=0)
""",
    """
hr = hr.drop(columns=['EmployeeCount', 'Over18', 'StandardHours', 'EmployeeNumber'])
hr = hr.dropna()
hr['NumCompaniesWorked'] = hr['NumCompaniesWorked'].fillna(0)
y = LabelEncoder().fit_transform(hr['Attrition'])
X = hr.drop(columns=['Attrition'])
""",
    """
cat = X.select_dtypes('object').columns
num = X.select_dtypes('number').columns
clf = Pipeline([
    ('prep', ColumnTransformer([('num', StandardScaler(), num),
                                ('cat', OneHotEncoder(handle_unknown='ignore'), cat)])),
    ('lr', LogisticRegression(max_iter=2000, class_weight='balanced')),
])
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.2,
                                                    random_state=42)
clf.fit(X_train, y_train)
print(classification_report(y_test, clf.predict(X_test)))
""",
)

# Clean: iloc-based features/target split (target is the last column), numpy stack of engineered
# columns, scaler fitted on train; a magic and a shell line.
nb(
    "banknote_iloc_clean",
    "X = df.iloc[:, :-1], y = df.iloc[:, -1]; np.column_stack features; fit on train",
    """
!pip install -q seaborn
%load_ext autoreload
%autoreload 2
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
""",
    """
notes = pd.read_csv('data_banknote_authentication.txt', header=None,
                    names=['variance', 'skewness', 'curtosis', 'entropy', 'class'])
X = notes.iloc[:, :-1].values
y = notes.iloc[:, -1].values
X = np.column_stack([X, X[:, 0] * X[:, 1]])
""",
    """
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=17)
scaler = StandardScaler()
X_tr = scaler.fit_transform(X_tr)
X_te = scaler.transform(X_te)
svc = SVC().fit(X_tr, y_tr)
print('accuracy', svc.score(X_te, y_te))
""",
)

# Leak: target left in a hand-written feature list built from df.columns.
nb(
    "students_feature_list_keeps_label",
    "features = df.columns.drop('student_id') keeps 'passed'; model fitted on df[features]",
    """
import pandas as pd
from sklearn.tree import DecisionTreeClassifier
from sklearn.model_selection import train_test_split
""",
    """
students = pd.read_csv('student_performance.csv')
students['passed'] = (students['G3'] >= 10).astype(int)
students = pd.get_dummies(students.drop(columns=['G3']), drop_first=True)
""",
    """
features = students.columns.drop('student_id')  #@LEAK:TARGET-IN-FEATURES:a
X_train, X_test, y_train, y_test = train_test_split(students[features], students['passed'],
                                                    test_size=0.2, random_state=0)
tree = DecisionTreeClassifier(max_depth=4).fit(X_train, y_train)
print('test accuracy', tree.score(X_test, y_test))
""",
)

# Clean: feature list by comprehension excluding id and label.
nb(
    "students_feature_comprehension_clean",
    "features = [c for c in df.columns if c not in (id, label)]",
    """
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split, cross_val_score
""",
    """
students = pd.read_csv('student_performance.csv')
students['passed'] = (students['G3'] >= 10).astype(int)
students = pd.get_dummies(students.drop(columns=['G3', 'G2', 'G1']), drop_first=True)
features = [c for c in students.columns if c not in ('student_id', 'passed')]
""",
    """
X_train, X_test, y_train, y_test = train_test_split(students[features], students['passed'],
                                                    test_size=0.2, random_state=0)
rf = RandomForestClassifier(n_estimators=250, random_state=0)
print(cross_val_score(rf, X_train, y_train, cv=5).mean())
rf.fit(X_train, y_train)
print(rf.score(X_test, y_test))
""",
)

# Two leaks in one longer notebook: KNNImputer on all rows (pandas .values), then an oversampling
# step before the split.
nb(
    "sensor_faults_impute_and_smote",
    "KNNImputer fitted on all rows; BorderlineSMOTE before the split",
    "md:# APS failure (Scania trucks)",
    """
import numpy as np
import pandas as pd
from sklearn.impute import KNNImputer
from imblearn.over_sampling import BorderlineSMOTE
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import confusion_matrix
""",
    """
aps = pd.read_csv('aps_failure_training_set.csv', na_values='na')
aps['class'] = (aps['class'] == 'pos').astype(int)
aps = aps.drop(columns=['br_000', 'bq_000', 'bp_000', 'bo_000', 'ab_000', 'cr_000'])
""",
    """
y = aps['class'].values
X = aps.drop(columns='class').values
X = KNNImputer(n_neighbors=5).fit_transform(X)  #@LEAK:PREPROCESSING:a
""",
    """
X_os, y_os = BorderlineSMOTE(random_state=0).fit_resample(X, y)  #@LEAK:OVERLAP:b
X_train, X_test, y_train, y_test = train_test_split(X_os, y_os, test_size=0.3, random_state=0)
""",
    """
rf = RandomForestClassifier(n_estimators=200, n_jobs=-1, random_state=0).fit(X_train, y_train)
tn, fp, fn, tp = confusion_matrix(y_test, rf.predict(X_test)).ravel()
print('cost', 10 * fp + 500 * fn)
""",
)

# Clean: the same problem done right; imputer inside an imblearn pipeline tuned with
# RandomizedSearchCV on train; the holdout is touched once.
nb(
    "sensor_faults_pipeline_clean",
    "imblearn Pipeline(KNNImputer, SMOTE, RF) in RandomizedSearchCV on train; test once",
    """
import numpy as np
import pandas as pd
from sklearn.impute import KNNImputer
from imblearn.pipeline import make_pipeline
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import RandomizedSearchCV, train_test_split
""",
    """
aps = pd.read_csv('aps_failure_training_set.csv', na_values='na')
target = (aps.pop('class') == 'pos').astype(int)
X_train, X_hold, y_train, y_hold = train_test_split(aps, target, test_size=0.3, stratify=target,
                                                    random_state=0)
""",
    """
pipe = make_pipeline(KNNImputer(), SMOTE(random_state=0), RandomForestClassifier(n_jobs=-1))
search = RandomizedSearchCV(pipe, {'randomforestclassifier__n_estimators': [100, 200, 400],
                                   'randomforestclassifier__max_depth': [None, 10, 20]},
                            n_iter=5, cv=3, scoring='recall', random_state=0)
search.fit(X_train, y_train)
""",
    """
print('holdout recall', search.score(X_hold, y_hold))
""",
)

# Leak: an imputer fitted on the validation frame inside an otherwise tidy notebook.
nb(
    "titanic_imputer_fit_on_valid",
    "SimpleImputer fitted separately on the validation part (fit_transform on valid)",
    """
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
""",
    """
titanic = pd.read_csv('train.csv')
cols = ['Pclass', 'Age', 'SibSp', 'Parch', 'Fare']
train_part, valid_part = train_test_split(titanic, test_size=0.2, random_state=0)
""",
    """
imputer = SimpleImputer(strategy='median')
X_tr = imputer.fit_transform(train_part[cols])
X_val = SimpleImputer(strategy='median').fit_transform(valid_part[cols])  #@LEAK:FIT-ON-TEST:a
""",
    """
gb = GradientBoostingClassifier().fit(X_tr, train_part['Survived'])
print('validation accuracy', gb.score(X_val, valid_part['Survived']))
""",
)

# Clean: PCA fitted on train inside a pipeline; TruncatedSVD on train text; method chains.
nb(
    "faces_pca_pipeline_clean",
    "PCA inside a Pipeline fitted on train; GridSearchCV; test once",
    """
from sklearn.datasets import fetch_olivetti_faces
from sklearn.decomposition import PCA
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC
from sklearn.model_selection import train_test_split, GridSearchCV
""",
    """
faces = fetch_olivetti_faces()
X_train, X_test, y_train, y_test = train_test_split(faces.data, faces.target, stratify=faces.target,
                                                    random_state=0)
""",
    """
pipe = Pipeline([('pca', PCA(whiten=True, random_state=0)), ('svc', SVC(class_weight='balanced'))])
grid = GridSearchCV(pipe, {'pca__n_components': [50, 100], 'svc__C': [1, 10, 100]}, cv=4)
grid.fit(X_train, y_train)
print(grid.best_params_)
print('test accuracy', grid.score(X_test, y_test))
""",
)


# Clean (hard negative): models compared on a VALIDATION split carved from the training data,
# the winner refitted on train+valid and scored once on the untouched test split.
nb(
    "model_select_on_validation_clean",
    "train/valid/test: loop scores candidates on X_valid, picks the best, test used once",
    "md:# Customer segmentation classifier: choose a model on the validation split",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
from sklearn.metrics import f1_score
""",
    """
seg = pd.read_csv('segmentation.csv')
X, y = seg.drop(columns=['Segmentation', 'ID']), seg['Segmentation']
X = pd.get_dummies(X).fillna(-1)
X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_valid, y_train, y_valid = train_test_split(X_rest, y_rest, test_size=0.25,
                                                      random_state=0)
""",
    """
candidates = [LogisticRegression(max_iter=3000), RandomForestClassifier(300),
              ExtraTreesClassifier(300)]
val_f1 = []
for est in candidates:
    est.fit(X_train, y_train)
    val_f1.append(f1_score(y_valid, est.predict(X_valid), average='macro'))
chosen = candidates[val_f1.index(max(val_f1))]
print(type(chosen).__name__, max(val_f1))
""",
    """
chosen.fit(X_rest, y_rest)
print('test macro F1', f1_score(y_test, chosen.predict(X_test), average='macro'))
""",
)

# Leak: the scaler is fitted on train and test rows stacked with np.vstack.
nb(
    "seeds_scaler_on_vstack",
    "StandardScaler().fit(np.vstack([X_train, X_test])) - fitted on the test rows too",
    """
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.neural_network import MLPClassifier
""",
    """
seeds = pd.read_csv('seeds_dataset.txt', sep=r'\\s+', header=None)
X_train, X_test, y_train, y_test = train_test_split(seeds.iloc[:, :7].values,
                                                    seeds.iloc[:, 7].values, random_state=5)
""",
    """
scaler = StandardScaler().fit(np.vstack([X_train, X_test]))  #@LEAK:FIT-ON-TEST:a
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
mlp = MLPClassifier(hidden_layer_sizes=(32,), max_iter=2000, random_state=5)
mlp.fit(X_train, y_train)
print(mlp.score(X_test, y_test))
""",
)

# Leak: hourly series indexed by datetime, differenced/lagged, then a default (shuffled) split.
nb(
    "taxi_hourly_diff_random_split",
    "datetime index, diff/shift features, train_test_split with default shuffle",
    "md:# NYC taxi demand per hour",
    """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_percentage_error
""",
    """
rides = pd.read_csv('taxi_hourly.csv', parse_dates=['pickup_hour'], index_col='pickup_hour')
rides = rides.sort_index()
rides['hour'] = rides.index.hour
rides['d1'] = rides['rides'].diff()
rides['lag_24'] = rides['rides'].shift(24)
rides['lag_1'] = rides['rides'].shift(1)
rides = rides.dropna()
""",
    """
X = rides[['hour', 'd1', 'lag_1', 'lag_24']].shift(1).dropna()
y = rides['rides'].loc[X.index]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)  #@LEAK:TEMPORAL-SPLIT:a
""",
    """
model = RandomForestRegressor(n_estimators=200).fit(X_train, y_train)
print('MAPE', mean_absolute_percentage_error(y_test, model.predict(X_test)))
""",
)

# Leak: several X-ray images per patient (value_counts in EDA), stratified random split.
nb(
    "xray_images_per_patient_split",
    "metadata with several images per patient_id, train_test_split(stratify=label)",
    """
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
""",
    """
meta = pd.read_csv('xray_meta.csv')
meta['patient_id'].value_counts().head()
""",
    """
emb = np.load('xray_embeddings.npy')
labels = meta['finding'].values
emb_tr, emb_te, lab_tr, lab_te = train_test_split(emb, labels, test_size=0.2, stratify=labels,
                                                  random_state=0)  #@LEAK:GROUP-SPLIT:a
""",
    """
probe = LogisticRegression(max_iter=5000).fit(emb_tr, lab_tr)
print('linear probe accuracy', probe.score(emb_te, lab_te))
""",
)

# Clean: cross_validate of a full Pipeline, then refit on all rows and save the model (the
# refit is the deployable model, no score is computed on its training rows).
nb(
    "abalone_cv_then_refit_save",
    "cross_validate(Pipeline) for the estimate, then pipe.fit(X, y) and joblib.dump",
    """
import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import cross_validate
""",
    """
abalone = pd.read_csv('abalone.csv')
target = abalone['Rings']
inputs = abalone.drop(columns='Rings')
""",
    """
pipe = Pipeline([
    ('prep', ColumnTransformer([('sex', OneHotEncoder(), ['Sex'])], remainder=StandardScaler())),
    ('ridge', RidgeCV(alphas=[0.1, 1, 10])),
])
cv_res = cross_validate(pipe, inputs, target, cv=10, scoring=('r2', 'neg_mean_absolute_error'))
print(pd.DataFrame(cv_res).mean())
""",
    """
pipe.fit(inputs, target)
joblib.dump(pipe, 'abalone_model.joblib')
""",
)


# ---------------------------------------------------------------------------------------------
def _blank_magics(source: str) -> str:
    """IPython magics and shell lines blanked (same line numbers), so the cell parses as Python."""
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln
                     for ln in source.split("\n"))


def _statement_start(source: str, line: int) -> int:
    """First line of the innermost statement that spans ``line`` (a marker may sit on a
    continuation line; the label is the statement)."""
    best: ast.stmt | None = None
    for node in ast.walk(ast.parse(_blank_magics(source))):
        if (isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno)
                and (best is None or node.lineno >= best.lineno)):
            best = node
    return best.lineno if best is not None else line


def _strip_markers(spec: Spec) -> list[tuple[str, str]]:
    """Turn marker comments into labels; return the cells (kind, source) without markers.

    A label's line is the first line of the statement carrying the marker; when the marker sits
    on a later line of that statement, that line is kept as an accepted alternative too.
    """
    leaks: dict[str, dict[str, Any]] = {}
    alts: list[tuple[str, int, int]] = []
    cells: list[tuple[str, str]] = []
    for index, raw in enumerate(spec.cells):
        if raw.startswith("md:"):
            cells.append(("markdown", raw[3:]))
            continue
        lines = raw.split("\n")
        marks: list[tuple[str, str, str | None, int]] = []
        for lineno, text in enumerate(lines, start=1):
            found = MARKER.search(text)
            if found:
                lines[lineno - 1] = text[: found.start()]
                kind, what, key = found.groups()
                marks.append((kind, what, key, lineno))
        source = "\n".join(lines)
        for kind, what, key, lineno in marks:
            start = _statement_start(source, lineno)
            if kind == "LEAK":
                key = key or f"{len(leaks)}"
                leaks[key] = {"rule": f"LEAK-{what}", "cell": index, "line": start, "alts": []}
                if start != lineno:
                    alts.append((key, index, lineno))
            else:  # ALT:key - the key is in the ``what`` group for this form
                alts.append((what.lower(), index, start))
                if start != lineno:
                    alts.append((what.lower(), index, lineno))
        cells.append(("code", source))
    for key, cell, line in alts:
        leaks[key]["alts"].append({"cell": cell, "line": line})
    spec.labels = list(leaks.values())
    return cells


def _check_syntax(name: str, source: str) -> None:
    """Every code cell must parse once IPython magics and shell lines are blanked."""
    try:
        ast.parse(_blank_magics(source))
    except SyntaxError as exc:
        raise SystemExit(f"{name}: syntax error in a cell: {exc}") from exc


def build(out: Path) -> dict[str, Any]:
    """Write every notebook and ``labels.json`` into ``out``; return the labels."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    out.mkdir(parents=True, exist_ok=True)
    labels: dict[str, Any] = {}
    names = [s.name for s in CORPUS]
    if len(names) != len(set(names)):
        raise SystemExit("duplicate notebook names in the corpus")
    for spec in CORPUS:
        cells = _strip_markers(spec)
        code_total = sum(kind == "code" for kind, _ in cells)
        counts = spec.exec_counts or list(range(1, code_total + 1))
        if len(counts) != code_total:
            raise SystemExit(f"{spec.name}: {len(counts)} execution counts for {code_total} cells")
        book = new_notebook()
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
        code_seen = 0
        for kind, source in cells:
            if kind == "markdown":
                book.cells.append(new_markdown_cell(source))
                continue
            _check_syntax(spec.name, source)
            book.cells.append(new_code_cell(source, execution_count=counts[code_seen]))
            code_seen += 1
        nbformat.validate(book)
        nbformat.write(book, out / f"{spec.name}.ipynb")
        labels[spec.name] = {"leaky": bool(spec.labels), "note": spec.note, "labels": spec.labels}
    (out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    return labels


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    labels = build(args.out)
    leaky = sum(v["leaky"] for v in labels.values())
    total = sum(len(v["labels"]) for v in labels.values())
    print(f"{len(labels)} notebooks ({leaky} leaky with {total} labelled leaks, "
          f"{len(labels) - leaky} clean) written to {args.out}")


if __name__ == "__main__":
    main()
