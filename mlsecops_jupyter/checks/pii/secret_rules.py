"""Rule table of the secrets scanner: one ``SECRET-<TYPE>`` rule per kind of credential.

The rules belong to the ``notebook`` check (``%mlsec notebook``, ``mlsec notebook``): a notebook
report holds these and the ``PII-*`` rules of the PII check. The detectors that emit them are a
data table too (``secrets.DETECTORS``); each detector names its rule by type.
"""

from __future__ import annotations

from ...core.rules import Rule, register
from ...core.severity import Severity

CHECK = "notebook"

_ROTATE = ("Revoke and rotate the credential now (it may already be in version control or a "
           "shared output), then read it at run time: os.environ / os.getenv, getpass, or a "
           "secrets manager.")


def _rule(type_: str, severity: Severity, title: str, description: str,
          remediation: str = _ROTATE) -> Rule:
    return Rule(f"SECRET-{type_}", CHECK, severity, title, description, remediation)


RULES = register(
    [
        _rule("AWS-ACCESS-KEY-ID", Severity.HIGH, "AWS access key id",
              "An AWS access key id (AKIA/ASIA... and 16 base-32 characters) appears in the "
              "notebook; with its secret key it signs requests as that IAM identity."),
        _rule("AWS-SECRET-KEY", Severity.CRITICAL, "AWS secret access key",
              "A 40-character AWS secret access key, recognised by its name "
              "(aws_secret_access_key, SecretAccessKey ...) or by an access key id nearby."),
        _rule("GCP-SERVICE-ACCOUNT", Severity.CRITICAL, "GCP service-account key",
              "A Google Cloud service-account key file (JSON with type service_account and a "
              "private_key) is pasted or printed in the notebook."),
        _rule("GOOGLE-API-KEY", Severity.HIGH, "Google API key",
              "A Google API key (AIza and 35 characters)."),
        _rule("AZURE-CONNECTION-STRING", Severity.CRITICAL, "Azure connection string key",
              "An Azure Storage AccountKey or a Service Bus / Event Hubs SharedAccessKey inside a "
              "connection string."),
        _rule("AZURE-SAS-TOKEN", Severity.HIGH, "Azure shared access signature",
              "An Azure SAS token (sv=... &sig=...) in a URL or string: anyone holding it has the "
              "access it grants until it expires."),
        _rule("GITHUB-TOKEN", Severity.HIGH, "GitHub token",
              "A GitHub personal access, OAuth, app or refresh token (ghp_, gho_, ghu_, ghs_, "
              "ghr_, github_pat_)."),
        _rule("GITLAB-TOKEN", Severity.HIGH, "GitLab personal access token",
              "A GitLab personal access token (glpat-)."),
        _rule("SLACK-TOKEN", Severity.HIGH, "Slack token or webhook",
              "A Slack bot/user/app token (xoxb-, xoxp-, xoxa-, ...) or an incoming-webhook URL."),
        _rule("STRIPE-KEY", Severity.HIGH, "Stripe secret key",
              "A Stripe secret or restricted key (sk_live_, rk_live_; test-mode keys are low)."),
        _rule("OPENAI-KEY", Severity.HIGH, "OpenAI-style API key",
              "An OpenAI-style API key (sk-proj-, sk-svcacct-, sk-admin- or sk- and 32+ "
              "characters), as used by OpenAI and compatible providers."),
        _rule("ANTHROPIC-KEY", Severity.HIGH, "Anthropic API key",
              "An Anthropic-style API key (sk-ant-api03-...)."),
        _rule("HUGGINGFACE-TOKEN", Severity.HIGH, "Hugging Face token",
              "A Hugging Face access token (hf_ and 34 characters)."),
        _rule("PRIVATE-KEY", Severity.CRITICAL, "Private key block",
              "A PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, PGP) with a key body."),
        _rule("JWT", Severity.MEDIUM, "JSON Web Token",
              "A JSON Web Token whose header decodes to a JSON object with an alg: a bearer "
              "credential until it expires."),
        _rule("URL-PASSWORD", Severity.HIGH, "Password in a URL",
              "A URL with credentials (scheme://user:password@host), e.g. a database or broker "
              "URL; the password may hold any character a URL allows."),
        _rule("CONNECTION-STRING-PASSWORD", Severity.HIGH, "Password in a connection string",
              "A Password=/Pwd= entry of an ODBC/ADO.NET/libpq connection string."),
        _rule("HARDCODED-PASSWORD", Severity.HIGH, "Hard-coded password",
              "A string literal assigned to a password-named variable, key or argument "
              "(password=, passwd, pwd, db_pass ...) that is not a placeholder."),
        _rule("PROVIDER-TOKEN", Severity.HIGH, "Service credential (provider token format)",
              "A credential in the documented format of a service (about 80 providers: "
              "Databricks, SendGrid, Twilio, npm, PyPI, Shopify, DigitalOcean, Doppler, "
              "Grafana, HashiCorp, Sentry, Telegram ...; the evidence names the provider), or a "
              "random-looking literal assigned to a name that names a provider "
              "(mailgun_key, DATADOG_APP)."),
        _rule("HTTP-CREDENTIALS", Severity.HIGH, "Credentials in an HTTP request",
              "A user:password given to curl (-u/--user) or a credential in an Authorization "
              "header (Bearer, Basic, Token), in a shell line, a %%bash cell or a headers "
              "dict."),
        _rule("HIGH-ENTROPY-STRING", Severity.LOW, "Random-looking string literal",
              "A literal that looks generated (letters and digits mixed, entropy near random "
              "text of its length, no word, path, version or digest shape) assigned to "
              "a name that does not say what it is: most such values in a notebook are keys "
              "under a neutral name (value, KEY_1, cfg['x'])."),
        _rule("CUSTOM", Severity.HIGH, "Secret matched by a team rule",
              "A value matched by a rule of the team's own gitleaks-format rule file "
              "([tool.mlsec.notebook] extra_rules); the evidence names the rule's id."),
        _rule("GENERIC", Severity.MEDIUM, "High-entropy secret assigned to a secret-named name",
              "A random-looking string literal (length and Shannon entropy above "
              "secrets.min_length / secrets.min_entropy) assigned to a name such as api_key, "
              "token, client_secret or access_key."),
    ]
)


def rule_for(type_: str) -> Rule:
    """The rule of a detector type (``GITHUB-TOKEN`` -> ``SECRET-GITHUB-TOKEN``)."""
    return RULES[f"SECRET-{type_}"]
