"""Labelled test notebooks for the secrets/PII notebook scanner (tests and benchmark share them).

Every credential is generated here from a seeded RNG in the shape of the real format (prefix,
alphabet, length, structure), so none is a live key and none was copied from anywhere. Each
notebook comes with its labels: ``(cell, output, line, rule)`` for every secret and every piece of
personal data a reviewer would want flagged; the clean notebooks and the clean look-alike cells
(placeholders, environment reads, ``getpass``, documentation example keys) have none.
"""

from __future__ import annotations

import base64
import json
import random
import string
from dataclasses import dataclass, field
from typing import Any

import nbformat
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
           "awAAAABJRU5ErkJggg==")

# (cell, output or None, line, rule)
Label = tuple[int, "int | None", int, str]


@dataclass
class LabelledNotebook:
    name: str
    notebook: Any
    labels: list[Label] = field(default_factory=list)

    @property
    def secret_labels(self) -> set[Label]:
        return {label for label in self.labels if label[3].startswith("SECRET-")}

    @property
    def pii_labels(self) -> set[Label]:
        return {label for label in self.labels if label[3].startswith("PII-")}


class Fakes:
    """Realistic-shaped, fake credentials from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chars(self, n: int, alphabet: str = ALNUM) -> str:
        while True:  # a random string with at least one digit and both cases, like real keys
            value = "".join(self.rng.choice(alphabet) for _ in range(n))
            if alphabet != ALNUM or n < 8 or (any(c.isdigit() for c in value)
                                     and any(c.islower() for c in value)
                                     and any(c.isupper() for c in value)):
                return value

    def aws_key_id(self) -> str:
        return "AKIA" + self.chars(16, B32)

    def aws_secret(self) -> str:
        while True:
            value = self.chars(40, B64)
            if all(any(c in group for c in value) for group in
                   (string.ascii_uppercase, string.ascii_lowercase, string.digits)):
                return value

    def github(self) -> str:
        return "ghp_" + self.chars(36)

    def github_pat(self) -> str:
        return f"github_pat_{self.chars(22)}_{self.chars(59)}"

    def gitlab(self) -> str:
        return "glpat-" + self.chars(20, ALNUM + "-_")

    def slack_bot(self) -> str:
        return (f"xoxb-{self.chars(11, string.digits)}-{self.chars(13, string.digits)}-"
                f"{self.chars(24)}")

    def slack_webhook(self) -> str:
        return (f"https://hooks.slack.com/services/T{self.chars(8, string.ascii_uppercase)}/"
                f"B{self.chars(10, string.ascii_uppercase + string.digits)}/{self.chars(24)}")

    def stripe(self) -> str:
        return "sk_live_" + self.chars(24)

    def openai(self) -> str:
        return "sk-proj-" + self.chars(74, ALNUM + "-_") + "T3BlbkFJ" + self.chars(74, ALNUM)

    def anthropic(self) -> str:
        return "sk-ant-api03-" + self.chars(93, ALNUM + "-_") + "AA"

    def huggingface(self) -> str:
        return "hf_" + self.chars(34)

    def hex(self, n: int) -> str:
        return self.chars(n, HEX)

    def password(self) -> str:
        return self.chars(6) + self.rng.choice("!#@$%&*") + self.chars(5) + "@" + self.chars(2)

    def pem_body(self, lines: int = 12) -> list[str]:
        return ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + self.chars(32, B64)] + [
            self.chars(64, B64) for _ in range(lines - 1)]

    def jwt(self) -> str:
        def part(obj: dict[str, Any]) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        payload = {"sub": self.chars(12), "role": "analyst", "iat": 1767225600,
                   "exp": 1767312000}
        return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}." + \
            self.chars(43, ALNUM + "-_")

    def azure_key(self) -> str:
        return self.chars(86, B64) + "=="

    def sas_sig(self) -> str:
        raw = self.chars(43, B64) + "="
        return raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def _source(lines: list[str]) -> str:
    return "\n".join(lines)


def _exec(cell: Any, count: int, outputs: list[Any]) -> Any:
    cell.execution_count = count
    cell.outputs = outputs
    return cell


def _text_result(count: int, plain: str, html: str | None = None) -> Any:
    data = {"text/plain": plain}
    if html is not None:
        data["text/html"] = html
    return new_output("execute_result", data=data, execution_count=count)


CUSTOMERS = [
    ("Maria Garcia", "maria.garcia@gmail.com", "+1 415-867-5309"),
    ("James Smith", "jsmith77@outlook.com", "+1 312-448-2190"),
    ("Wei Zhang", "wei.zhang@protonmail.com", "+1 617-253-1000"),
]


def etl_notebook(fake: Fakes) -> LabelledNotebook:
    """A warehouse ETL notebook: DB URL with a password, AWS keys, customers.head(), traceback."""
    db_password = fake.password()
    cells: list[Any] = []
    labels: list[Label] = []
    cells.append(new_markdown_cell("# Customer churn: load from the warehouse\n\n"
                                   "Run the cells in order; the data owner is Jane Doe "
                                   "(jane.doe@acme-analytics.com)."))
    labels += [(0, None, 3, "PII-EMAIL-ADDRESS"), (0, None, 3, "PII-PERSON")]
    cells.append(_exec(new_code_cell(_source([
        "import os",
        "import pandas as pd",
        f'DB_URL = "postgresql://etl_user:{db_password}@warehouse.internal:5432/sales"',
    ])), 1, []))
    labels.append((1, None, 3, "SECRET-URL-PASSWORD"))
    cells.append(_exec(new_code_cell(_source([
        f'aws_access_key_id = "{fake.aws_key_id()}"',
        f'aws_secret_access_key = "{fake.aws_secret()}"',
        's3 = boto3.client("s3", aws_access_key_id=aws_access_key_id,',
        '                  aws_secret_access_key=aws_secret_access_key)',
    ])), 2, []))
    labels += [(2, None, 1, "SECRET-AWS-ACCESS-KEY-ID"), (2, None, 2, "SECRET-AWS-SECRET-KEY")]
    header = "   customer_id          name                     email            phone  churned"
    rows = [f"{i}  {1001 + i:>11}  {n:>12}  {e:>24}  {p:>15}  {i % 2:>7}"
            for i, (n, e, p) in enumerate(CUSTOMERS)]
    html_rows = "".join(f"<tr><th>{i}</th><td>{1001 + i}</td><td>{n}</td><td>{e}</td>"
                        f"<td>{p}</td><td>{i % 2}</td></tr>" for i, (n, e, p) in
                        enumerate(CUSTOMERS))
    html_table = ("<table class=\"dataframe\"><thead><tr><th></th><th>customer_id</th>"
                  "<th>name</th><th>email</th><th>phone</th><th>churned</th></tr></thead>"
                  f"<tbody>{html_rows}</tbody></table>")
    cells.append(_exec(new_code_cell(
        'customers = pd.read_sql("select * from customers", DB_URL)\ncustomers.head(3)'),
        3, [_text_result(3, "\n".join([header, *rows]), html_table)]))
    for row in range(len(CUSTOMERS)):
        for rule in ("PII-PERSON", "PII-EMAIL-ADDRESS", "PII-PHONE-NUMBER"):
            labels.append((3, 0, row + 2, rule))
    cells.append(_exec(new_code_cell(_source([
        "# secrets come from the environment or a prompt, never from the notebook",
        'api_key = os.environ["OPENAI_API_KEY"]',
        'token = os.getenv("HF_TOKEN", "")',
        'password = getpass.getpass("Warehouse password: ")',
        'os.environ["PGPASSWORD"] = password',
    ])), 4, []))
    tb_url = f"postgresql://etl_user:{db_password}@warehouse.internal:5432/sales"
    traceback = [
        "\x1b[0;31m---------------------------------------------------------------------------"
        "\x1b[0m",
        "\x1b[0;31mOperationalError\x1b[0m                          Traceback (most recent call "
        "last)",
        "Cell \x1b[0;32mIn[5], line 2\x1b[0m",
        "\x1b[1;32m      1\x1b[0m engine \x1b[38;5;241m=\x1b[39m create_engine(DB_URL)",
        f"\x1b[0;31mOperationalError\x1b[0m: (psycopg2.OperationalError) could not connect "
        f"to {tb_url}",
    ]
    cells.append(_exec(new_code_cell("engine = create_engine(DB_URL)\nengine.connect()"), 5, [
        new_output("error", ename="OperationalError",
                   evalue="(psycopg2.OperationalError) connection refused", traceback=traceback)]))
    labels.append((5, 0, 6, "SECRET-URL-PASSWORD"))
    return LabelledNotebook("etl", new_notebook(cells=cells), labels)


def llm_notebook(fake: Fakes) -> LabelledNotebook:
    """An LLM-app notebook: provider keys in code, a printed config, markdown notes."""
    openai_key = fake.openai()
    cells: list[Any] = []
    labels: list[Label] = []
    cells.append(new_markdown_cell(
        "## Setup\nExport your key first: `export OPENAI_API_KEY=<your key>` (never paste it "
        "here).\nExample token format: `ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`."))
    cells.append(_exec(new_code_cell(_source([
        "import openai, anthropic",
        f'openai.api_key = "{openai_key}"',
        f'claude = anthropic.Anthropic(api_key="{fake.anthropic()}")',
        f'HF_TOKEN = "{fake.huggingface()}"',
        'headers = {"Authorization": f"Bearer {HF_TOKEN}"}',
    ])), 1, []))
    labels += [(1, None, 2, "SECRET-OPENAI-KEY"), (1, None, 3, "SECRET-ANTHROPIC-KEY"),
               (1, None, 4, "SECRET-HUGGINGFACE-TOKEN")]
    config = {"model": "gpt-4o-mini", "temperature": 0.2, "max_tokens": 512,
              "api_key": openai_key}
    cells.append(_exec(new_code_cell("config = load_config()\nprint(config)"), 2, [
        new_output("stream", name="stdout", text=f"loaded config\n{config!r}\n")]))
    labels.append((2, 0, 2, "SECRET-OPENAI-KEY"))
    cells.append(new_markdown_cell(
        f"Temporary CI token (rotate on Friday): {fake.github()}\n\n"
        "Questions to the team lead, phone +1 646-230-8822."))
    labels += [(3, None, 1, "SECRET-GITHUB-TOKEN"), (3, None, 3, "PII-PHONE-NUMBER")]
    cells.append(_exec(new_code_cell(_source([
        "from transformers import AutoTokenizer",
        'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
        "max_tokens = 512",
        'token_type = "bearer"',
        'prompt = "Summarise the ticket in two sentences."',
    ])), 4, []))
    return LabelledNotebook("llm", new_notebook(cells=cells), labels)


def cloud_notebook(fake: Fakes) -> LabelledNotebook:
    """Cloud plumbing: GCP service account, Azure, Slack, Stripe, PEM key, JWT, ODBC, GitLab."""
    cells: list[Any] = []
    labels: list[Label] = []
    sa = {
        "type": "service_account", "project_id": "churn-ml-4821",
        "private_key_id": fake.hex(40),
        "private_key": "-----BEGIN PRIVATE KEY-----\n" + "\n".join(fake.pem_body(8))
        + "\n-----END PRIVATE KEY-----\n",
        "client_email": "trainer@churn-ml-4821.iam.gserviceaccount.com",
        "client_id": fake.chars(21, string.digits),
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    sa_lines = json.dumps(sa, indent=2).splitlines()
    key_line = next(i for i, line in enumerate(sa_lines, start=1) if '"private_key"' in line)
    cells.append(_exec(new_code_cell("sa_info = " + "\n".join(sa_lines)), 1, []))
    labels.append((0, None, key_line, "SECRET-GCP-SERVICE-ACCOUNT"))
    cells.append(_exec(new_code_cell(_source([
        "from azure.storage.blob import BlobServiceClient",
        'conn_str = ("DefaultEndpointsProtocol=https;AccountName=churnml;"',
        f'            "AccountKey={fake.azure_key()};EndpointSuffix=core.windows.net")',
        "service = BlobServiceClient.from_connection_string(conn_str)",
        'sas_url = ("https://churnml.blob.core.windows.net/data/train.parquet?"',
        '           "sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&spr=https"',
        f'           "&sig={fake.sas_sig()}")',
    ])), 2, []))
    labels += [(1, None, 3, "SECRET-AZURE-CONNECTION-STRING")]
    # the SAS signature sits on its own line of the literal: sv= is on the line above
    sas_cell = cells[-1]
    sas_cell.source = sas_cell.source.replace(
        '"sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&spr=https"\n           "&sig=',
        '"sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&spr=https&sig=')
    labels += [(1, None, 6, "SECRET-AZURE-SAS-TOKEN")]
    cells.append(_exec(new_code_cell(_source([
        f'SLACK_WEBHOOK = "{fake.slack_webhook()}"',
        f'slack_token = "{fake.slack_bot()}"',
        "import stripe",
        f'stripe.api_key = "{fake.stripe()}"',
        f'gitlab_token = "{fake.gitlab()}"',
        f"!export GITHUB_TOKEN={fake.github_pat()}",
    ])), 3, []))
    labels += [(2, None, 1, "SECRET-SLACK-TOKEN"), (2, None, 2, "SECRET-SLACK-TOKEN"),
               (2, None, 4, "SECRET-STRIPE-KEY"), (2, None, 5, "SECRET-GITLAB-TOKEN"),
               (2, None, 6, "SECRET-GITHUB-TOKEN")]
    pem = ["-----BEGIN RSA PRIVATE KEY-----", *fake.pem_body(10), "-----END RSA PRIVATE KEY-----"]
    cells.append(_exec(new_code_cell("DEPLOY_KEY = \"\"\"\n" + "\n".join(pem) + "\n\"\"\""),
                       4, []))
    labels.append((3, None, 2, "SECRET-PRIVATE-KEY"))
    jwt = fake.jwt()
    cells.append(_exec(new_code_cell("show_session(session)"), 5, [
        new_output("display_data", data={
            "text/html": f"<table><tr><th>user</th><td>analyst</td></tr>\n"
                         f"<tr><th>token</th><td><code>{jwt}</code></td></tr></table>",
            "text/plain": "<IPython.core.display.HTML object>"})]))
    labels.append((4, 0, 2, "SECRET-JWT"))
    odbc_pw = fake.password().replace("@", "!")
    cells.append(_exec(new_code_cell(_source([
        "import pyodbc",
        'cnxn = pyodbc.connect("Driver={ODBC Driver 18 for SQL Server};"',
        f'                      "Server=tcp:sql-ml.database.windows.net;Database=ml;Uid=trainer;'
        f'Pwd={odbc_pw};")',
        f'client_secret = "{fake.chars(34)}"',
        f'WANDB_API_KEY = "{fake.hex(40)}"',
        f'db = connect(host="10.0.4.12", user="ml", password="{fake.password()}")',
    ])), 6, [new_output("display_data", data={"image/png": PNG_1PX,
                                               "text/plain": "<Figure size 640x480>"})]))
    labels += [(5, None, 3, "SECRET-CONNECTION-STRING-PASSWORD"), (5, None, 4, "SECRET-GENERIC"),
               (5, None, 5, "SECRET-GENERIC"), (5, None, 6, "SECRET-HARDCODED-PASSWORD"),
               (5, None, 6, "PII-IP-ADDRESS")]
    cells.append(new_markdown_cell(
        "Payments test: the customer paid with card 4539 1488 0343 6467, IBAN "
        "DE89 3704 0044 0532 0130 00."))
    labels += [(6, None, 1, "PII-CREDIT-CARD"), (6, None, 1, "PII-IBAN-CODE")]
    return LabelledNotebook("cloud", new_notebook(cells=cells), labels)


def lookalike_notebook(fake: Fakes) -> LabelledNotebook:
    """Every clean look-alike we know: placeholders, env reads, getpass, examples, hashes."""
    cells = [
        new_markdown_cell(
            "## Credentials\nSet `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE` and "
            "`AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` (the AWS docs' "
            "example pair) or use `aws configure`.\n\nPassword: ask the platform team."),
        _exec(new_code_cell(_source([
            "import os, getpass",
            'api_key = os.environ["OPENAI_API_KEY"]',
            'hf_token = os.environ.get("HF_TOKEN")',
            'db_password = getpass.getpass("Database password: ")',
            'aws_secret_access_key = os.getenv("AWS_SECRET_ACCESS_KEY")',
            'client_secret = "<client-secret>"',
            'api_key = "your-api-key-here"',
            'password = "changeme"',
            'token = "${GITHUB_TOKEN}"',
            'GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
            'aws_access_key_id = "AKIAXXXXXXXXXXXXXXXX"',
            'stripe_key = "sk_live_" + os.environ["STRIPE_SUFFIX"]',
        ])), 1, []),
        _exec(new_code_cell(_source([
            'url = f"postgresql://{user}:{password}@{host}:5432/{db}"',
            'mysql_url = "mysql://root:${MYSQL_PASSWORD}@db:3306/app"',
            'redis_url = "redis://:%s@cache:6379/0" % os.environ["REDIS_PW"]',
            'repo = "https://analyst@github.com/acme/churn.git"',
            'KEY = "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----"',
            'password_field = "password"',
            'api_key_header = "X-API-Key"',
            'secret_name = "prod/warehouse/readonly"',
            'sort_key = "customer_id_and_signup_date"',
            f'model_sha256 = "{fake.hex(64)}"',
            f'commit = "{fake.hex(40)}"',
            'run_id = "3f2b8c1e-9d4a-4e7b-8a6f-1c2d3e4f5a6b"',
            'if password == "": raise ValueError("empty password")',
        ])), 2, []),
        _exec(new_code_cell("customers.head()\nnp.random.seed(42)\ndf.groupby('customer_id')"
                            ".size()"), 3, [_text_result(3, _source([
                                "   order_id  tracking_no        sku  amount   version",
                                "0  100234  1Z999AA10123456784  SKU-88213  19.990000  1.4.2",
                                "1  100235  940011189922385     SKU-10022  5.250000   1.4.2",
                            ]))]),
        _exec(new_code_cell("print(settings)"), 4, [new_output(
            "stream", name="stdout",
            text="{'max_tokens': 512, 'tokenizer': 'bert-base-uncased', 'seed': 42, "
                 "'api_key': '***', 'password': '<redacted>'}\n")]),
        _exec(new_code_cell("plot_roc(model)"), 5, [new_output(
            "display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure size 640x480>"})]),
    ]
    return LabelledNotebook("lookalikes", new_notebook(cells=cells), [])


def clean_analysis_notebook() -> LabelledNotebook:
    """An ordinary modelling notebook: nothing to report."""
    cells = [
        new_markdown_cell("# Churn model\nGradient boosting on the 2025 snapshot; metrics "
                          "below."),
        _exec(new_code_cell(_source([
            "import numpy as np, pandas as pd",
            "from sklearn.ensemble import GradientBoostingClassifier",
            "from sklearn.model_selection import train_test_split",
            'df = pd.read_parquet("data/churn.parquet")',
            'X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="churned"), '
            'df.churned, random_state=0)',
        ])), 1, []),
        _exec(new_code_cell("model = GradientBoostingClassifier(random_state=0).fit(X_train, "
                            "y_train)\nmodel.score(X_test, y_test)"), 2,
              [_text_result(2, "0.8731")]),
        _exec(new_code_cell("df.describe()"), 3, [_text_result(3, _source([
            "          tenure     monthly   total_spend",
            "count  7043.000  7043.000   7043.000000",
            "mean     32.371    64.762   2283.300441",
            "std      24.559    30.090   2266.771362",
        ]))]),
        _exec(new_code_cell("print(classification_report(y_test, model.predict(X_test)))"), 4,
              [new_output("stream", name="stdout", text=_source([
                  "              precision    recall  f1-score   support",
                  "           0       0.90      0.93      0.91      1294",
                  "           1       0.78      0.71      0.74       467", ""]))]),
    ]
    return LabelledNotebook("clean", new_notebook(cells=cells), [])


def build_labelled_notebooks(seed: int = 7) -> list[LabelledNotebook]:
    """The labelled set: three leaky notebooks, a look-alike notebook, a clean one."""
    fake = Fakes(seed)
    books = [etl_notebook(fake), llm_notebook(fake), cloud_notebook(fake),
             lookalike_notebook(fake), clean_analysis_notebook()]
    for book in books:
        book.notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                                "language": "python"}
        nbformat.validate(book.notebook)
    return books


def write_notebooks(folder: Any, seed: int = 7) -> list[tuple[Any, LabelledNotebook]]:
    """Write the labelled set as ``.ipynb`` files into ``folder``; returns (path, notebook)."""
    from pathlib import Path

    out = []
    for book in build_labelled_notebooks(seed):
        path = Path(folder) / f"{book.name}.ipynb"
        nbformat.write(book.notebook, str(path))
        out.append((path, book))
    return out
