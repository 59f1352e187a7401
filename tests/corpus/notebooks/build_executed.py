"""Write and execute the realistic notebooks of the notebook-scan corpus (run once, by hand).

    PYTHONPATH=. python tests/corpus/notebooks/build_executed.py

Each notebook is ordinary modelling work executed for real in a fresh kernel with the extension
loaded (``%load_ext mlsecops_jupyter``): data loading and a ``head()`` of the data, a model, and
the checks a team runs (``pii``, ``leakage``, ``bias``, ``explain``, ``scan``, ``notebook``), plus
the credentials people really leave behind (a database URL, cloud keys, a token in a printed
config, a URL in a traceback). The credentials are fakes in the real formats, drawn from a
seeded RNG here, never copied from anywhere. The executed ``.ipynb`` files are stored beside
this script with ``labels.json`` (what a reviewer wants reported: rule, cell, and ``source`` or
the output's index); the test (``tests/test_notebook_corpus_executed.py``) reads those files and
never runs this script.
"""

from __future__ import annotations

import json
import os
import random
import string
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
ALNUM = string.ascii_letters + string.digits
RNG = random.Random(20261127)


def _chars(n: int, alphabet: str = ALNUM) -> str:
    """A random string; from a mixed alphabet, one with a digit and both cases, as keys are."""
    while True:
        value = "".join(RNG.choice(alphabet) for _ in range(n))
        if alphabet != ALNUM and not alphabet.startswith(ALNUM) or (
                any(c.isdigit() for c in value) and any(c.islower() for c in value)
                and any(c.isupper() for c in value)):
            return value


DATA = '''import numpy as np
import pandas as pd

rng = np.random.default_rng(7)
first = ["Maria", "James", "Wei", "Aisha", "Lukas", "Sofia", "Omar", "Emma", "Ravi", "Chen"]
last = ["Garcia", "Smith", "Zhang", "Khan", "Muller", "Rossi", "Haddad", "Brown", "Patel", "Li"]
n = 1200
names = [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(n)]
customers = pd.DataFrame({
    "customer_id": rng.integers(100000, 999999, n),
    "name": names,
    "email": [nm.lower().replace(" ", ".") + f"{i % 97}@gmail.com" for i, nm in enumerate(names)],
    "phone": [f"+1 415-{rng.integers(200, 999)}-{rng.integers(1000, 9999)}" for _ in range(n)],
    "gender": rng.choice(["female", "male"], n),
    "tenure_months": rng.integers(1, 72, n),
    "monthly_spend": rng.gamma(4.0, 20.0, n).round(2),
    "support_calls": rng.poisson(1.5, n),
})
logit = -1.5 + 0.04 * customers.support_calls * 10 - 0.03 * customers.tenure_months
customers["churned"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
customers.head()'''

MODEL = '''from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

features = ["tenure_months", "monthly_spend", "support_calls"]
X = customers[features]
y = customers["churned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
model = GradientBoostingClassifier(random_state=0).fit(X_train, y_train)
print(f"test accuracy {model.score(X_test, y_test):.3f}")'''

BIAS = '''X_test_g = X_test.assign(gender=customers.loc[X_test.index, "gender"].to_numpy())
y_pred = model.predict(X_test)
%mlsec bias y_test y_pred --sensitive gender --data X_test_g --format html'''


def churn_notebook() -> tuple[Any, list[list[Any]]]:
    password = _chars(10) + "!" + _chars(4)
    key_id = "AKIA" + _chars(16, string.ascii_uppercase + "234567")
    secret = _chars(40, ALNUM + "+/")
    db_url = f"postgresql://analyst:{password}@warehouse.internal:5432/crm"
    cells = [
        new_markdown_cell("# Churn model, Q4\nGradient boosting on the CRM extract; checks run "
                          "inline. Data owner: CRM team."),
        new_code_cell("%load_ext mlsecops_jupyter"),
        new_code_cell(DATA),
        new_code_cell(f'DB_URL = "{db_url}"\n# customers = pd.read_sql("select * from crm", '
                      "DB_URL)"),
        new_code_cell("%mlsec pii customers"),  # the default display: widget and HTML
        new_code_cell(MODEL),
        new_code_cell("%mlsec leakage X_train X_test --format text"),
        new_code_cell(BIAS),
        new_code_cell("explanation = %mlsec explain model X_test --format text"),
        new_code_cell("import joblib, os\nos.makedirs('artifacts', exist_ok=True)\n"
                      "joblib.dump(model, 'artifacts/churn.joblib')\n"
                      "%mlsec scan artifacts/churn.joblib --format text"),
        new_code_cell(f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"\n'
                      "# s3 = boto3.client('s3', aws_access_key_id=aws_access_key_id, ...)"),
        new_code_cell("def connect(url):\n    raise ConnectionError(f'could not connect to "
                      "{url}: timeout')\n\nconnect(DB_URL)"),
        new_code_cell("%mlsec notebook --format text"),
    ]
    labels = [
        ["PII-PERSON", 2, 0], ["PII-EMAIL-ADDRESS", 2, 0], ["PII-PHONE-NUMBER", 2, 0],
        ["SECRET-URL-PASSWORD", 3, "source"],
        ["SECRET-AWS-ACCESS-KEY-ID", 10, "source"], ["SECRET-AWS-SECRET-KEY", 10, "source"],
        ["SECRET-URL-PASSWORD", 11, 0],
    ]
    return new_notebook(cells=cells), labels


def fraud_notebook() -> tuple[Any, list[list[Any]]]:
    hf_token = "hf_" + _chars(34)
    api_key = _chars(32)
    cells = [
        new_markdown_cell("# Card fraud scoring\nA logistic model on synthetic transactions; "
                          "questions to the risk team (risk-ml@northwind-bank.com)."),
        new_code_cell("%load_ext mlsecops_jupyter"),
        new_code_cell(
            "import numpy as np, pandas as pd\nrng = np.random.default_rng(3)\nn = 2000\n"
            "tx = pd.DataFrame({'account': rng.integers(10_000, 99_999, n),\n"
            "                   'amount': rng.lognormal(3.5, 1.0, n).round(2),\n"
            "                   'hour': rng.integers(0, 24, n),\n"
            "                   'foreign': rng.integers(0, 2, n),\n"
            "                   'region': rng.choice(['north', 'south', 'east', 'west'], n)})\n"
            "tx['fraud'] = (rng.random(n) < 0.03 + 0.05 * tx.foreign).astype(int)\n"
            "tx.describe()"),
        new_code_cell(f'HF_TOKEN = "{hf_token}"  # to pull the embedding model\n'
                      "config = {'model': 'logreg', 'C': 0.5, 'api_key': "
                      f"'{api_key}', 'region': 'eu-west-1'}}\nprint(config)"),
        new_code_cell(
            "from sklearn.linear_model import LogisticRegression\n"
            "from sklearn.model_selection import train_test_split\n"
            "X = pd.get_dummies(tx[['amount', 'hour', 'foreign', 'region']], dtype=float)\n"
            "y = tx['fraud']\n"
            "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1, "
            "stratify=y)\nmodel = LogisticRegression(max_iter=500).fit(X_train, y_train)\n"
            "print(f'accuracy {model.score(X_test, y_test):.3f}')"),
        new_code_cell("%mlsec leakage X_train X_test --format text"),
        new_code_cell("y_pred = model.predict(X_test)\n"
                      "X_eval = X_test.assign(region=tx.loc[X_test.index, 'region'].to_numpy())\n"
                      "%mlsec bias y_test y_pred --sensitive region --data X_eval --format text"),
        new_code_cell("%mlsec explain model X_test --format text"),
        new_code_cell("%mlsec pii tx --format text"),
        new_code_cell("import joblib\njoblib.dump(model, 'fraud.joblib')\n"
                      "%mlsec scan fraud.joblib --format text"),
        new_code_cell("%mlsec notebook --format text"),
    ]
    labels = [
        ["PII-EMAIL-ADDRESS", 0, "source"],
        ["SECRET-HUGGINGFACE-TOKEN", 3, "source"], ["SECRET-GENERIC", 3, "source"],
        ["SECRET-GENERIC", 3, 0],
    ]
    return new_notebook(cells=cells), labels


def clean_notebook() -> tuple[Any, list[list[Any]]]:
    cells = [
        new_markdown_cell("# Wine quality\nA random forest on the scikit-learn wine data; every "
                          "check runs inline and finds nothing to report about this notebook."),
        new_code_cell("%load_ext mlsecops_jupyter"),
        new_code_cell("import os\nfrom sklearn.datasets import load_wine\n"
                      "wine = load_wine(as_frame=True)\ndf = wine.frame\n"
                      "api_key = os.environ.get('WANDB_API_KEY', '')\ndf.head(8)"),
        new_code_cell("from sklearn.ensemble import RandomForestClassifier\n"
                      "from sklearn.model_selection import train_test_split\n"
                      "X, y = df.drop(columns='target'), df['target']\n"
                      "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
                      "model = RandomForestClassifier(n_estimators=50, random_state=0)"
                      ".fit(X_train, y_train)\nprint(f'accuracy {model.score(X_test, y_test):.3f}')"),
        new_code_cell("%mlsec leakage X_train X_test --format text"),
        new_code_cell("%mlsec explain model X_test"),
        new_code_cell("y_pred = model.predict(X_test)\n"
                      "X_eval = X_test.assign(alcohol_band=(X_test.alcohol > 13).map("
                      "{True: 'high', False: 'low'}))\n"
                      "%mlsec bias y_test y_pred --sensitive alcohol_band --data X_eval"),
        new_code_cell("%mlsec pii df --format text"),
        new_code_cell("import joblib\njoblib.dump(model, 'wine.joblib')\n"
                      "%mlsec scan wine.joblib --format text"),
        new_code_cell("%mlsec notebook --format text"),
    ]
    return new_notebook(cells=cells), []


def execute(book: Any, workdir: Path) -> Any:
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    client = NotebookClient(book, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return book


def main() -> int:
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    labels: dict[str, list[list[Any]]] = {}
    for name, build in (("churn_executed", churn_notebook), ("fraud_executed", fraud_notebook),
                        ("clean_executed", clean_notebook)):
        book, expected = build()
        with tempfile.TemporaryDirectory(prefix="mlsec-corpus-") as folder:
            execute(book, Path(folder))
        nbformat.write(book, str(HERE / f"{name}.ipynb"))
        labels[f"{name}.ipynb"] = expected
        print(f"wrote {name}.ipynb", file=sys.stderr)
    (HERE / "labels.json").write_text(json.dumps({
        "about": "executed notebooks of build_executed.py: what mlsec notebook must report "
                 "(rule, cell, 'source' or the output index); nothing else, in particular "
                 "nothing in the outputs of %mlsec cells",
        "labels": labels}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
