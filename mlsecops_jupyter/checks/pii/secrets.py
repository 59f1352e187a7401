"""Credentials in text: a table of detectors, each a pattern plus the checks that keep it precise.

Why a table: every kind of credential is one ``Detector`` row (its rule type, a regex whose
``value`` group is the secret, how much of the value may be shown, a minimum entropy of its random
part, an optional validator). Adding a token format is one row; users extend the allowlist through
``[tool.mlsec.secrets]`` rather than code.

Precision comes from three places:

- structure: a JWT must decode to a JSON header with ``alg``; a private key block must carry a
  base64 body; an AWS secret key counts only next to its name or an access key id (context-paired);
  a SAS ``sig=`` only with an ``sv=`` version; a ``Password=`` only inside a connection string;
- randomness: a token's random part must reach a Shannon entropy, so ``ghp_xxxx...`` and
  ``AKIAXXXXXXXXXXXXXXXX`` are placeholders, not findings;
- placeholders: ``<...>``, ``${...}``, ``{...}`` (f-strings), ``%s``, ``$VAR``, ``xxx``, ``***``,
  ``changeme``, ``your_api_key``, ``dummy``, ``redacted``... and the documentation examples
  providers publish (AWS's ``AKIAIOSFODNN7EXAMPLE``): they are counted as *allowlisted*, never
  reported. Reading a secret from the environment (``os.environ[...]``, ``os.getenv``) or asking
  for it (``getpass``) assigns no literal, so nothing matches.

Values never leave this module unmasked: spans carry the offsets and a masked form for evidence.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ...core.severity import Severity
from .secret_hints import HintFinder
from .secret_providers import PROVIDER_ROWS, PUBLISHED_KEYS, SHAPE_ONLY, provider_of

if TYPE_CHECKING:
    from ...core.settings import SecretsSettings
    from .secret_toml import CustomRule

CUSTOM_TYPE = "CUSTOM"

Context = Literal["text", "code"]


@dataclass(frozen=True)
class Detector:
    """One kind of credential.

    ``keep`` characters of the value (its public prefix) may be shown in evidence;
    ``min_entropy`` applies to the value without that prefix; ``validator`` names a function of
    ``VALIDATORS`` that sees the whole text and must accept the match; ``severity`` overrides the
    rule's default (Stripe test keys are low).
    """

    type: str
    pattern: re.Pattern[str]
    keep: int = 0
    min_entropy: float = 0.0
    validator: str | None = None
    severity: Severity | None = None
    # lower-case strings of which the text must hold one for the pattern to be accepted: a
    # cheap substring test that skips the regex on the many texts holding none
    hints: tuple[str, ...] = ()
    # the service that issued the credential (``PROVIDER-TOKEN`` rows), shown in evidence
    provider: str = ""


@dataclass(frozen=True)
class SecretSpan:
    """One credential in a text: ``text[start:end]`` is the secret value."""

    start: int
    end: int
    type: str
    masked: str
    length: int
    entropy: float
    fingerprint: str
    severity: Severity | None = None
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class SecretMatches:
    """What ``scan_secrets`` found: reportable spans, and how many look-alikes were allowed."""

    spans: list[SecretSpan] = field(default_factory=list)
    allowlisted: Counter[str] = field(default_factory=Counter)


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


AWS_PREFIXES = ("akia", "asia", "abia", "acca", "agpa", "aida", "aipa", "anpa", "anva", "apka",
                "aroa")
AWS_KEY_ID = _re(
    r"(?<![A-Za-z0-9])(?P<value>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)"
    r"[A-Z2-7]{16})(?![A-Za-z0-9])")

# -- the detector table (order = priority: an earlier, more specific match wins an overlap) ----
DETECTORS: tuple[Detector, ...] = (
    Detector("GCP-SERVICE-ACCOUNT", _re(
        r"""['"]private_key['"]\s*:\s*['"](?P<value>-----BEGIN[A-Z ]*PRIVATE KEY-----"""
        r"""[^'"]{40,}?-----END[A-Z ]*PRIVATE KEY-----(?:\\n)?)['"]"""),
        keep=0, validator="gcp_service_account", hints=("private_key",)),
    Detector("PRIVATE-KEY", _re(
        r"(?P<value>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:(?!-----BEGIN ).){0,20000}?"
        r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=-----BEGIN )|\Z))",
        re.DOTALL), validator="private_key", hints=("private key",)),
    Detector("JWT", _re(
        r"(?<![A-Za-z0-9_\-])(?P<value>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}"
        r"\.[A-Za-z0-9_\-]*)"), keep=3, validator="jwt", hints=("eyj",)),
    # a JWT base64-encoded once more (Kubernetes secrets, config dumps): "eyJ" -> "ZXlK"
    Detector("JWT", _re(r"(?<![A-Za-z0-9+/])(?P<value>ZXlK[A-Za-z0-9+/]{40,}={0,2})"
                        r"(?![A-Za-z0-9+/=])"), keep=4, validator="jwt_base64",
             hints=("zxlk",)),
    Detector("AWS-ACCESS-KEY-ID", AWS_KEY_ID, keep=4, min_entropy=2.8, hints=AWS_PREFIXES),
    Detector("AWS-SECRET-KEY", _re(
        r"(?<![A-Za-z0-9/+=._\-])(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=._\-])"),
        min_entropy=4.0, validator="aws_secret_key", hints=("secret", *AWS_PREFIXES)),
    Detector("GOOGLE-API-KEY", _re(r"(?<![A-Za-z0-9_\-])(?P<value>AIza[0-9A-Za-z_\-]{35})"
                                   r"(?![A-Za-z0-9_\-])"), keep=4, min_entropy=3.5,
             hints=("aiza",)),
    Detector("AZURE-CONNECTION-STRING", _re(
        r"(?i:AccountKey|SharedAccessKey)\s*=\s*(?P<value>[A-Za-z0-9+/]{30,}={0,2})"),
        min_entropy=4.0, hints=("accountkey", "sharedaccesskey")),
    Detector("AZURE-SAS-TOKEN", _re(
        r"[?&;\s'\"]sig=(?P<value>(?:[A-Za-z0-9+/]|%2[BbFf]){30,}(?:=|%3[Dd]){0,2})"),
        min_entropy=3.5, validator="azure_sas", hints=("sig=",)),
    Detector("GITHUB-TOKEN", _re(
        r"(?<![A-Za-z0-9_])(?P<value>gh[pousr]_[A-Za-z0-9]{36,251}"
        r"|github_pat_\w{82})(?![A-Za-z0-9_])"),
        keep=4, min_entropy=3.5, hints=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    Detector("GITLAB-TOKEN", _re(
        r"(?<![A-Za-z0-9_\-])(?P<value>glpat-[A-Za-z0-9_\-.]{20,})(?![A-Za-z0-9_\-.])"),
        keep=6, min_entropy=3.3, hints=("glpat-",)),
    Detector("SLACK-TOKEN", _re(
        r"(?<![A-Za-z0-9.])(?P<value>xox[abposre]-(?:\d-)?[0-9A-Za-z]{5,}(?:-[0-9A-Za-z]+)*)"
        r"(?![A-Za-z0-9\-#*.])"), keep=5, min_entropy=3.0, validator="slack",
        hints=("xox",)),
    Detector("SLACK-TOKEN", _re(
        r"https://hooks\.slack\.com/services/(?P<value>T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/"
        r"[A-Za-z0-9]{20,})"), keep=0, min_entropy=3.5, hints=("hooks.slack.com",)),
    Detector("STRIPE-KEY", _re(
        r"(?<![A-Za-z0-9_])(?P<value>(?:sk|rk)_live_[A-Za-z0-9]{10,})(?![A-Za-z0-9_])"),
        keep=8, min_entropy=3.0, hints=("_live_",)),
    Detector("STRIPE-KEY", _re(
        r"(?<![A-Za-z0-9_])(?P<value>(?:sk|rk)_test_[A-Za-z0-9]{10,})(?![A-Za-z0-9_])"),
        keep=8, min_entropy=3.0, severity=Severity.LOW, hints=("_test_",)),
    Detector("ANTHROPIC-KEY", _re(
        r"(?<![A-Za-z0-9_\-])(?P<value>sk-ant-[a-z]{3,6}\d{2}-[A-Za-z0-9_\-]{80,})"
        r"(?![A-Za-z0-9_\-])"), keep=7, min_entropy=4.0, hints=("sk-ant-",)),
    Detector("OPENAI-KEY", _re(
        r"(?<![A-Za-z0-9_\-])(?P<value>sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?"
        r"[A-Za-z0-9_\-]{32,})(?![A-Za-z0-9_\-])"), keep=3, min_entropy=3.8, hints=("sk-",)),
    Detector("HUGGINGFACE-TOKEN", _re(
        r"(?<![A-Za-z0-9_])(?P<value>hf_[A-Za-z0-9]{34,})(?![A-Za-z0-9_])"),
        keep=3, min_entropy=3.5, validator="not_words", hints=("hf_",)),
    # scheme://user:password@host -- greedy password up to the LAST '@' before the host, so a raw
    # '@' (or ':', '!', '#', quotes ...) inside the password is kept whole
    Detector("URL-PASSWORD", _re(
        r"\b[a-zA-Z][a-zA-Z0-9+.\-]{1,30}://(?P<user>[^\s:/@'\"<>]*):"
        r"(?P<value>[^\s/\"<>]+)@(?=[A-Za-z0-9\[])"), validator="url_password",
        hints=("://",)),
    Detector("CONNECTION-STRING-PASSWORD", _re(
        r"(?i)(?:^|[;\s'\"(])(?:password|pwd)\s*=\s*(?P<value>\{[^}\n]*\}|[^;\s'\")]+)"),
        validator="connection_string", hints=("password", "pwd")),
)
PROVIDER_TYPE = "PROVIDER-TOKEN"
RANDOM_TYPE = "HIGH-ENTROPY-STRING"
HTTP_TYPE = "HTTP-CREDENTIALS"
# the provider formats (``secret_providers``) after the structural rows: a GitHub or AWS match
# keeps its own rule; before the URL and connection-string passwords, which are the widest
PROVIDER_DETECTORS: tuple[Detector, ...] = tuple(
    Detector(PROVIDER_TYPE, pattern, keep=keep,
             min_entropy=0.0 if provider in SHAPE_ONLY else 3.0,
             validator=None if provider in SHAPE_ONLY else "provider", hints=hints,
             provider=provider)
    for provider, pattern, keep, hints in PROVIDER_ROWS)
DETECTORS = DETECTORS[:-2] + PROVIDER_DETECTORS + DETECTORS[-2:]
# the public prefixes of the token formats: a random literal that starts with one but did not
# match its format is a fixture of a format check (``sntryu_`` and 65 hex), not a key
KNOWN_PREFIXES = tuple(sorted(
    {h for d in DETECTORS if d.type not in ("URL-PASSWORD", "CONNECTION-STRING-PASSWORD",
                                            "AWS-SECRET-KEY", "PRIVATE-KEY",
                                            "GCP-SERVICE-ACCOUNT", "KUBERNETES")
     for h in d.hints if re.fullmatch(r"[a-z][a-z0-9_\-.]*[_\-.~]|[a-z][a-z0-9]{3,}", h)
     and h not in ("secret", "accountkey", "sharedaccesskey", "contribsys")} | {"xox"}))

# a name_kind word (password, secret, token, key ...) must be in the text for an assignment
ASSIGNMENT_HINTS = ("pass", "pwd", "secret", "token", "key", "credential", "bearer", "webhook")
PROSE_HINTS = ("pass", "pwd", "api", "secret", "token")
HTTP_HINTS = ("curl", "authorization", "bearer")
ALL_HINTS = frozenset(h for d in DETECTORS for h in d.hints) | frozenset(ASSIGNMENT_HINTS) | \
    frozenset(PROSE_HINTS) | frozenset(HTTP_HINTS)
# Speed: a provider token is a run of 14+ token characters holding its hint (public prefix).
# The provider hints are looked for in those runs only, instead of in the whole text; a text
# without such a run (most outputs: tables, logs, prose) looks for none. Hints that need not
# start a run (Kubernetes' "secret", Facebook's "|") are looked for in the whole text.
# (Each match starts at the character before its run, which no run holds, and ``token_runs``
# puts one before the text: the regex engine then tries a match at each separator only,
# instead of at each character.)
TOKEN_RUN = _re(r"[^A-Za-z0-9_\-+/=.~:]([A-Za-z0-9_\-+/=.~:]{14,})")
_WHOLE_TEXT = ("Kubernetes", "Facebook")
_IN_RUNS = ("AWS-ACCESS-KEY-ID", "JWT", "GOOGLE-API-KEY", "GITHUB-TOKEN", "GITLAB-TOKEN",
            "SLACK-TOKEN", "STRIPE-KEY", "ANTHROPIC-KEY", "OPENAI-KEY", "HUGGINGFACE-TOKEN")
RUN_HINTS = frozenset(h for d in DETECTORS
                      if d.type in _IN_RUNS or d.type == PROVIDER_TYPE and
                      d.provider not in _WHOLE_TEXT for h in d.hints)
BASE_HINTS = ALL_HINTS - RUN_HINTS | frozenset(
    h for d in DETECTORS if d.type not in _IN_RUNS and (
        d.type != PROVIDER_TYPE or d.provider in _WHOLE_TEXT) for h in d.hints)
# hint -> positions in DETECTORS of the detectors it enables
HINT_INDEX: dict[str, tuple[int, ...]] = {}
for _index, _detector in enumerate(DETECTORS):
    for _hint in _detector.hints:
        HINT_INDEX[_hint] = (*HINT_INDEX.get(_hint, ()), _index)


def token_runs(text: str) -> list[str]:
    """The runs of 14 or more token characters in ``text``, each whole."""
    return TOKEN_RUN.findall("\n" + text)


# each set found in a few passes (``secret_hints``): asking for each of ~175 hints in turn
# was most of a notebook scan's cost
_BASE_FINDER = HintFinder(BASE_HINTS, group_from=2)
_RUN_FINDER = HintFinder(RUN_HINTS, one_pass=True)


def _present_hints(text: str, lowered: str) -> tuple[set[str], bool]:
    """The hints of ``ALL_HINTS`` the text holds (provider hints: inside its token runs), and
    whether it has a token run at all (no run: no random literal either)."""
    present = _BASE_FINDER.find(lowered)
    runs = token_runs(lowered)
    if runs:  # a run repeated (a progress bar, a path, a domain) is searched once
        present |= _RUN_FINDER.find("\x00".join(set(runs)))
    return present, bool(runs)


GENERIC_TYPE = "GENERIC"
PASSWORD_TYPE = "HARDCODED-PASSWORD"

# name = "literal" | name: "literal" | "name": "literal" | name="literal" | env["NAME"] = "..."
ASSIGNMENT = _re(
    r"(?<![A-Za-z0-9_.\-])(?P<name>[A-Za-z_][A-Za-z0-9_.\-]{0,80})(?![A-Za-z0-9_.\-])"
    r"['\"]?\]?[ \t]*"
    r"(?::=|=(?!=)|:(?!:))[ \t]*"
    r"(?P<prefix>[rRbBuU]{0,2})(?P<quote>['\"])(?P<value>(?:(?!(?P=quote))[^\n\\]|\\.){1,512})"
    r"(?P=quote)")
# what every ASSIGNMENT holds: its operator, then a quote. A match never spans two lines (no part
# of it reads a line break), so only the lines that hold this are read (``_assignments``).
ASSIGNMENT_OPERATOR = _re(r"(?::=|=(?!=)|:(?!:))[ \t]*[rRbBuU]{0,2}['\"]")
# NAME=value lines: dotenv, shell ``export``, ``%env``/``%set_env``, ``!export`` and env dumps
ENV_LINE = _re(
    r"(?m)^[ \t]*(?:export[ \t]+|!export[ \t]+|%env[ \t]+|%set_env[ \t]+|set[ \t]+)?"
    r"(?P<name>[A-Z][A-Z0-9_]{0,80})[ \t]*=[ \t]*(?P<quote>['\"]?)"
    r"(?P<value>[^\s'\"#;]{6,}|(?<=['\"])[^'\"\n]{6,}(?=['\"]))(?P=quote)[ \t;]*(?:#.*)?$")
# unquoted ``name: value`` / ``name = value`` lines of a YAML/INI/.env file a cell writes
# (``%%writefile``) or a shell cell: read only in those cells, where no line is Python
CONFIG_LINE = _re(
    r"(?m)^[ \t]*(?:-[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.\-]{0,80})[ \t]*[:=][ \t]*"
    r"(?P<value>[^\s'\"#][^\s'\"]{5,511})[ \t]*$")
CONFIG_CELL = _re(r"\A\s*%%(?:writefile|file|bash|sh|script)\b")
# curl -u user:password | --user 'user:password'
CURL_USER = _re(
    r"\bcurl\b[^\n]*?[ \t](?:-u|--user)(?:=|[ \t]+)(?P<q>['\"]?)(?P<user>[^\s:'\"]{1,80}):"
    r"(?P<value>[^\s'\"]{3,200})(?P=q)")
# Authorization: Bearer|Basic|Token <credential>, in a header line, a dict or a curl -H
AUTH_HEADER = _re(
    r"(?i)\bauthorization['\"]?[ \t]*[:=][ \t]*['\"]?(?P<scheme>bearer|basic|token|apikey)"
    r"[ \t]+(?P<value>[A-Za-z0-9._~+/\-]{8,}={0,2})(?![A-Za-z0-9._~+/\-{}$])")
# a quoted literal in a code cell, for the randomness test whatever its name
LITERAL = _re(r"(?P<quote>['\"])(?P<value>[A-Za-z0-9+/=_\-.:~%|]{16,512})(?P=quote)")
# prose (markdown, outputs): "password: hunter2!", "API key = ..."
PROSE = _re(
    r"(?i)\b(?P<name>passwords?|passwd|pwd|passphrase|api[ _\-]?key|secret(?:[ _\-]?key)?|"
    r"access[ _\-]?token|auth[ _\-]?token|token)\b\s*(?:is\s*)?[:=]\s*"
    r"(?P<value>[^\s'\"<>,;`]{8,})")

PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pass", "passphrase", "passwords"})
SECRET_WORDS = frozenset({
    "secret", "token", "apikey", "accesskey", "secretkey", "privatekey", "credential",
    "credentials", "bearer", "authkey", "authtoken", "signingkey", "encryptionkey",
    "masterkey", "sessionkey", "clientsecret", "webhook",
})
KEY_QUALIFIERS = frozenset({
    "api", "access", "secret", "private", "auth", "signing", "encryption", "master", "account",
    "client", "license", "subscription", "service", "app", "session", "storage", "sas", "shared",
})
# a name ending with one of these holds something about a secret, not the secret itself
NOT_A_SECRET_SUFFIX = frozenset({
    "type", "types", "name", "names", "id", "ids", "url", "uri", "path", "file", "filename",
    "dir", "len", "length", "count", "size", "max", "min", "prefix", "suffix", "header",
    "headers", "field", "param", "env", "var", "variable", "prompt", "label", "help", "hint",
    "format", "pattern", "regex", "policy", "scope", "scopes", "expiry", "expires", "ttl",
    "endpoint", "host", "user", "username", "mode", "kind", "index", "col", "column", "limit",
    "budget", "required", "enabled", "version", "arn", "location", "ref", "source", "provider",
    "method", "hash", "salt", "rounds", "strength", "reset", "changed", "manager",
})
NOT_A_SECRET_PREFIX = frozenset({"max", "min", "num", "n", "is", "has", "use", "show", "new",
                                 "total", "count", "public", "publishable", "pub"})
# a name with one of these words says what a random-looking value is: a digest, an id, a place
NOT_RANDOM_WORDS = frozenset({
    "hash", "sha", "sha1", "sha256", "sha512", "md5", "checksum", "digest", "crc", "commit",
    "revision", "rev", "srcrev", "etag", "uuid", "guid", "id", "ids", "oid", "seed", "nonce",
    "url", "uri", "path", "file", "dir", "name", "version", "tag", "sku", "isbn", "doi",
    "fingerprint", "signature", "color", "colour", "format", "pattern", "regex", "alphabet",
    "chars", "charset", "model", "dataset", "repo", "branch", "run", "experiment", "salt",
    "public", "pub", "publickey", "pubkey", "cid", "ipfs", "type", "schema", "class",
    "field", "column", "col", "header", "label", "prompt", "img", "image", "icon", "logo",
    "png", "jpg", "jpeg", "gif", "svg", "b64", "base64", "data", "blob", "thumbnail",
})

PLACEHOLDER_WORDS = (
    "xxx", "***", "...", "\u2026", "changeme", "change_me", "change-me", "placeholder", "your_",
    "your-", "yourkey", "your ", "example", "sample", "dummy", "fake", "redacted", "replace",
    "insert", "todo", "fixme", "not-a-real", "notreal", "<", ">", "secret_here", "key_here",
    "_here", "-here", "###", "here_", "-here-", "tokenhere", "keyhere", "abc123", "123abc",
    "xyz123", "abcdefgh",
)
PLACEHOLDER_VALUES = frozenset({
    "password", "passwd", "secret", "pass", "token", "none", "null", "nil", "undefined", "true",
    "false", "empty", "default", "string", "str", "value", "key", "apikey", "api_key", "pwd",
    "test", "admin", "root", "user", "username", "required", "optional", "missing", "unset",
})
WRAPPED = _re(r"^(?:<[^>]*>|\$\{[^}]*\}|\{\{.*\}\}|\{[^{}]*\}|%\([^)]*\)[sd]|%[sd]|\$[A-Za-z_]\w*"
              r"|\[[^\]]*\])$")
# a template inside a value: ``${VAR}``, ``%(name)s``, ``%s``, ``{{ jinja }}``. A single-brace
# ``{x}`` is not: a plain string keeps its braces (``Tr0ub4dor{x}3`` is a password), and an
# f-string never reaches the value patterns; ``"...{}".format(...)`` is checked at the call
INTERPOLATION = _re(r"\$\{[^}]*\}|%\([^)]*\)[sd]|%s|\{\{[^}]*\}\}|\{\}")

# the small patterns the value tests use, compiled once (a scan calls them per literal)
CAMEL_BOUNDARY = _re(r"(?<=[a-z0-9])(?=[A-Z])")
NAME_SEPARATORS = _re(r"[_\-.\s]+")
LOWER_WORD = _re(r"[a-z0-9]+")
EMBEDDED_DIGITS = _re(r"(?<=[A-Za-z])\d+(?=[A-Za-z])")
LETTER_RUN = _re(r"[A-Z]?[a-z]{2,}|[A-Z]{3,}")
DIGIT = _re(r"[0-9]")
LETTER = _re(r"[A-Za-z]")
HEXISH = _re(r"[0-9a-fA-F]+(?:[\-:][0-9a-fA-F]+)*")
HEX_OR_DASH = _re(r"[0-9a-fA-F\-]+")
HEX_LOWER = _re(r"[a-f]")
HEX_UPPER = _re(r"[A-F]")
SETTING_PAIR = _re(r"[A-Za-z_][A-Za-z_.\-]{2,}[=:]\S")
FILE_SUFFIX = _re(r"\.[A-Za-z]{2,5}$")
NUMBER_OR_VERSION = _re(r"[\d.\-_:v]+")
CONSTANT_NAME = _re(r"[A-Z0-9_]+")
URL_START = _re(r"[A-Za-z][A-Za-z0-9+.\-]*://")
# what the words before an unnamed literal say it is: a digest, or a file/module/message
DIGEST_BEFORE = _re(r"(?:sha\d*|md5|hash|digest|checksum|revision|commit)\W*$", re.I)
CALL_BEFORE = _re(r"\b(?:import|from|open|read_\w+|load\w*|Path|print|log\w*)\s*\(?\s*$")


# -- measures ----------------------------------------------------------------------------------
def shannon_entropy(text: str) -> float:
    """Bits per character of ``text`` (0 for empty text)."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def mask(value: str, keep: int = 0) -> str:
    """``ghp_******** (40 chars)``: the public prefix at most, never the secret part."""
    keep = min(keep, max(0, len(value) - 8))
    return f"{value[:keep]}********({len(value)} chars)"


def fingerprint(value: str) -> str:
    """A short SHA-256 prefix: the same secret in two places has the same fingerprint."""
    import hashlib

    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def is_placeholder(value: str, allowlist: Sequence[re.Pattern[str]] = ()) -> bool:
    """True for values that stand for a secret rather than being one (see the module doc)."""
    stripped = value.strip()
    lowered = stripped.lower()
    if len(stripped) < 4 or lowered in PLACEHOLDER_VALUES or WRAPPED.match(stripped):
        return True
    if len(set(lowered)) <= 3:  # xxxxxx, ******, 000000, abab...
        return True
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    if INTERPOLATION.search(stripped):  # f"{password}", "%(pw)s", "${DB_PASS}" inside a value
        return True
    return any(pattern.search(stripped) for pattern in allowlist)


def name_words(name: str) -> list[str]:
    """The words of a name, lower case: ``clientSecret`` -> ``["client", "secret"]``."""
    spaced = CAMEL_BOUNDARY.sub("_", name.rsplit(".", 1)[-1])
    return [w for w in NAME_SEPARATORS.split(spaced.lower()) if w]


VOWELS = frozenset("aeiouy")


# base64 of file signatures: PNG, JPEG, GIF, PDF, ZIP, gzip, WebP/RIFF
FILE_MAGIC_B64 = ("iVBORw0KGgo", "/9j/", "R0lGOD", "JVBERi0", "UEsDB", "H4sI", "UklGR")
UUID = _re(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
CONSONANT_RUN = _re(r"[b-df-hj-np-tv-xz]{4,}")


def is_wordy(value: str) -> bool:
    """True for identifiers, selectors and sentences, false for generated text.

    Words: most characters sit in letter runs of three or more, the vowel share is that of
    language (about 0.4; random letters have 0.23) and no run has four consonants in a row,
    which random letters of that length almost always have (``hwhq``, ``bmbgb``).
    """
    embedded = sum(len(d) for d in EMBEDDED_DIGITS.findall(value))
    if embedded > 0.1 * len(value):
        return False  # random alphanumerics mix digits into letters; names add them at ends
    upper, lower = sum(map(str.isupper, value)), sum(map(str.islower, value))
    if upper and lower and upper > 0.35 * (upper + lower):
        return False  # random mixed case is half capitals; camelCase names have a few
    runs = LETTER_RUN.findall(value)
    covered = sum(len(r) for r in runs)
    if not runs or covered < 0.8 * sum(map(str.isalpha, value)):
        return False
    letters = "".join(runs).lower()
    if any(CONSONANT_RUN.search(run.lower()) for run in runs if not run.isupper()):
        return False  # (an upper-case run is an acronym: RHFS, HTTPS)
    return sum(map(VOWELS.__contains__, letters)) / len(letters) >= 0.3


def looks_random(value: str, min_entropy: float = 3.5, min_hex_entropy: float = 3.0) -> bool:
    """A generated key rather than a word, a number, a path, a version or a digest.

    14 to 100 characters (a longer blob is encoded data; long credentials have a provider
    shape), letters and digits mixed, no white space, no URL, e-mail or file-name shape, not
    an identifier (``is_wordy``), not a key=value pair, and a Shannon entropy near what random
    text of its length reaches (``min_entropy``, ``min_hex_entropy`` for hex). UUIDs count
    (several services issue them as API keys); a caller drops them where nothing assigns them.
    """
    if not (14 <= len(value) <= 100) or any(map(str.isspace, value)):
        return False
    hexish = HEXISH.fullmatch(value) is not None
    if not (DIGIT.search(value) and LETTER.search(value)) and not (
            hexish and len(value) >= 16):
        return False
    pair = SETTING_PAIR.match(value)
    if pair and not hexish:
        return False  # key=value, name:value: a pair of settings, not one generated value
    if "://" in value or "@" in value or value.startswith(("/", "./", "~")) or \
            FILE_SUFFIX.search(value) or value.count(".") >= 3 or \
            value.count("/") >= 2 and not ("+" in value or "=" in value):
        return False
    if hexish and HEX_LOWER.search(value) and HEX_UPPER.search(value):
        return False  # hex in both cases: no hex encoder writes that; a hand-made fixture
    if value.startswith(FILE_MAGIC_B64):
        return False  # a picture or a document as base64 (PNG, JPEG, GIF, PDF, ZIP)
    if NUMBER_OR_VERSION.fullmatch(value) or CONSTANT_NAME.fullmatch(value) and \
            "_" in value:
        return False  # a number, a version, a date; a CONSTANT_NAME
    if is_wordy(value) or value.lower().startswith(KNOWN_PREFIXES):
        return False  # words; a provider's prefix whose format did not match: a fixture
    entropy = shannon_entropy(value)
    floor = min_hex_entropy if hexish else min(min_entropy, 0.8 * math.log2(len(value)))
    return entropy >= floor


def name_kind(name: str) -> str | None:
    """``"password"``, ``"secret"`` or ``None`` for a variable/key/argument name.

    Words are split on ``_ - .`` and camelCase, so ``max_tokens``, ``tokenizer``, ``sort_key``,
    ``password_field`` and ``api_key_header`` are not secret names, while ``db_pass``,
    ``clientSecret``, ``OPENAI_API_KEY`` and ``hf_token`` are.
    """
    words = name_words(name)
    if not words or words[-1] in NOT_A_SECRET_SUFFIX or words[0] in NOT_A_SECRET_PREFIX:
        return None
    if any(w in PASSWORD_WORDS or w.endswith("password") for w in words):
        return "password"
    if any(w in SECRET_WORDS for w in words):
        return "secret"
    for index, word in enumerate(words):
        if word == "key" and index > 0 and words[index - 1] in KEY_QUALIFIERS:
            return "secret"
    return None


# -- validators: (text, match, settings) -> accept? -----------------------------------------
def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _jwt(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    header, payload, signature = (match.group("value").split(".") + ["", ""])[:3]
    head = _b64url_json(header)
    if not isinstance(head, dict) or "alg" not in head:
        return False
    if not isinstance(_b64url_json(payload), dict):
        return False
    return str(head.get("alg")).lower() == "none" or len(signature) >= 16


def _jwt_base64(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    value = match.group("value")
    try:
        inner = base64.b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    head = inner.split(".", 1)[0]
    decoded = _b64url_json(head)
    return isinstance(decoded, dict) and "." in inner


def _private_key(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    body = match.group("value").replace("\\n", "\n").replace("\\r", "")
    body = re.sub(r"-----(?:BEGIN|END) [A-Z0-9 ]*-----", "\n", body)
    lines = [ln.strip().strip("'\",+") for ln in body.splitlines()]
    base64_chars = "".join(ln for ln in lines if ln and ":" not in ln)
    base64_chars = re.sub(r"[^A-Za-z0-9+/=]", "", base64_chars)
    return len(base64_chars) >= 64 and shannon_entropy(base64_chars) >= 4.5


def _gcp_service_account(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    window = text[max(0, match.start() - 3000): match.end() + 3000]
    marker = re.search(r"['\"]type['\"]\s*:\s*['\"]service_account['\"]", window)
    email = re.search(r"iam\.gserviceaccount\.com", window)
    return bool(marker or email) and _private_key(text, match, settings)


AWS_SECRET_NAME = _re(r"(?i)(aws)?_?secret_?(access)?_?key|secretaccesskey|aws_?secret")


def _aws_secret_key(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    value = match.group("value")
    if re.fullmatch(r"[0-9a-fA-F]+", value) or not (
            re.search(r"[A-Z]", value) and re.search(r"[a-z]", value)
            and re.search(r"[0-9]", value)):
        return False  # a sha1 or a word, not a 40-character base64 key
    line_start = text.rfind("\n", 0, match.start()) + 1
    if AWS_SECRET_NAME.search(text[max(line_start, match.start() - 80): match.start()]):
        return True
    # context-paired: an access key id within 5 lines either side
    lines_before = text[: match.start()].rsplit("\n", 6)
    lines_after = text[match.end():].split("\n", 6)
    window = "\n".join(lines_before[1:] if len(lines_before) > 6 else lines_before) + \
        "\n".join(lines_after[:6])
    return bool(AWS_KEY_ID.search(window))


def _azure_sas(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start: len(text) if line_end < 0 else line_end]
    return bool(re.search(r"(?:^|[?&;\s'\"])sv=\d{4}-\d{2}-\d{2}", line))


def _url_password(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    value = match.group("value")
    if re.search(r"['\"`]", value) and not re.search(r"[A-Za-z0-9]['\"`][A-Za-z0-9]", value):
        return False  # "'https://host:8000';@x": a port and a string's end, not a password
    return not is_placeholder(value, settings_allowlist(settings))


def _not_words(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    """``hf_requiredCharacteristicTypes...``: an Objective-C selector, not a token."""
    return not is_wordy(match.group("value").split("_", 1)[-1])


def _slack(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    """A bot/user token has numeric team/user parts and a random tail: ``xoxp-1234567890``
    alone, ``xoxb-12345-abcd234`` are fragments; legacy ``xoxa-2-...`` is one random part."""
    parts = match.group("value").split("-")[1:]
    if match.group("value")[:4] in ("xoxa", "xoxr"):
        return len(parts[-1]) >= 8 and not is_wordy(parts[-1])
    return len(parts) >= 2 and len(parts[-1]) >= 8 and bool(re.search(r"\d", parts[0])) and \
        not is_wordy(parts[-1])


def _provider(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    """A provider token's random part must not be a word, a run of one character or a
    published example."""
    value = match.group("value")
    body = re.sub(r"[^A-Za-z0-9]", "", value)  # separators out: the random part dominates
    classes = sum(bool(re.search(c, value)) for c in ("[0-9]", "[a-z]", "[A-Z]"))
    return value not in PUBLISHED_KEYS and not is_wordy(body) and classes >= 2 and \
        len(set(value.lower())) > 6


CONNECTION_KEYS = _re(r"(?i)(?:^|[;\s'\"(])(?:server|host|data source|user id|uid|user|"
                      r"database|dbname|initial catalog|dsn|driver|port)\s*=")


def _connection_string(text: str, match: re.Match[str], settings: SecretsSettings) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start: len(text) if line_end < 0 else line_end]
    value = match.group("value").strip("{}")
    return len(CONNECTION_KEYS.findall(line)) >= 1 and not is_placeholder(
        value, settings_allowlist(settings))


Validator = Callable[[str, "re.Match[str]", "SecretsSettings"], bool]
VALIDATORS: dict[str, Validator] = {
    "jwt": _jwt,
    "private_key": _private_key,
    "gcp_service_account": _gcp_service_account,
    "aws_secret_key": _aws_secret_key,
    "azure_sas": _azure_sas,
    "url_password": _url_password,
    "connection_string": _connection_string,
    "not_words": _not_words,
    "jwt_base64": _jwt_base64,
    "slack": _slack,
    "provider": _provider,
}

_ALLOWLIST_CACHE: dict[tuple[str, ...], tuple[re.Pattern[str], ...]] = {}


def settings_allowlist(settings: SecretsSettings) -> tuple[re.Pattern[str], ...]:
    """The user's allowlist regexes, compiled once."""
    key = tuple(settings.allowlist)
    if key not in _ALLOWLIST_CACHE:
        from ...core.errors import MLSecConfigError

        try:
            _ALLOWLIST_CACHE[key] = tuple(re.compile(p) for p in key)
        except re.error as exc:
            raise MLSecConfigError(f"secrets.allowlist: bad regex ({exc})") from None
    return _ALLOWLIST_CACHE[key]


# -- the scan ------------------------------------------------------------------------------------
def scan_secrets(text: str, *, context: Context = "code",
                 settings: SecretsSettings | None = None,
                 extra: Sequence[CustomRule] = ()) -> SecretMatches:
    """Every credential in ``text`` as non-overlapping spans, plus allowlisted look-alikes.

    ``context="code"`` reads string literals assigned to secret-named names, and random-looking
    literals whatever their name; ``"text"`` (markdown, outputs) also reads ``password: value``
    prose. Known token formats count in both; ``extra`` are a user's own detectors (a
    gitleaks-format rule file, ``secret_toml``), tried after ours.
    """
    if settings is None:
        from ...core.settings import SecretsSettings

        settings = SecretsSettings()
    allowlist = settings_allowlist(settings)
    found = SecretMatches()
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def accept(start: int, end: int, type_: str, value: str, keep: int, entropy: float,
               severity: Severity | None = None, **detail: str) -> None:
        taken.append((start, end))
        found.spans.append(SecretSpan(start, end, type_, mask(value, keep), len(value),
                                      round(entropy, 2), fingerprint(value), severity,
                                      dict(detail)))

    lowered = text.lower()
    present, has_run = _present_hints(text, lowered)
    for position in sorted({i for hint in present for i in HINT_INDEX.get(hint, ())}):
        detector = DETECTORS[position]
        for match in detector.pattern.finditer(text):
            start, end = match.span("value")
            value = match.group("value")
            if not free(start, end) or not value:
                continue
            entropy = shannon_entropy(value[detector.keep:])
            if entropy < detector.min_entropy or value in PUBLISHED_KEYS:
                found.allowlisted[detector.type] += 1
                continue
            if detector.type not in ("URL-PASSWORD", "CONNECTION-STRING-PASSWORD",
                                     "PRIVATE-KEY", "GCP-SERVICE-ACCOUNT") and \
                    is_placeholder(value, allowlist):
                found.allowlisted[detector.type] += 1
                continue
            validator = VALIDATORS.get(detector.validator or "")
            if validator is not None and not validator(text, match, settings):
                if is_placeholder(value, allowlist):
                    found.allowlisted[detector.type] += 1
                continue
            detail = {"provider": detector.provider} if detector.provider else {}
            accept(start, end, detector.type, value, detector.keep, entropy, detector.severity,
                   **detail)

    for rule in extra:
        for start, end in rule.secrets(text, lowered):
            if free(start, end):
                value = text[start:end]
                accept(start, end, CUSTOM_TYPE, value, 0, shannon_entropy(value), rule=rule.id)

    if present & set(HTTP_HINTS):
        for pattern in (CURL_USER, AUTH_HEADER):
            for match in pattern.finditer(text):
                start, end = match.span("value")
                value = match.group("value")
                if not free(start, end):
                    continue
                if is_placeholder(value, allowlist) or value.startswith("$"):
                    found.allowlisted[HTTP_TYPE] += 1
                    continue
                if pattern is AUTH_HEADER and shannon_entropy(value) < 3.0:
                    continue
                accept(start, end, HTTP_TYPE, value, 0, shannon_entropy(value))

    config_cell = context == "code" and CONFIG_CELL.match(text) is not None
    judged: set[int] = set()
    named_only = context != "code" or not has_run  # no random literal: secret names only
    for pattern in _assignment_patterns(context, config_cell):
        if present.isdisjoint(PROSE_HINTS if pattern is PROSE else ASSIGNMENT_HINTS) and (
                named_only or pattern is PROSE):
            continue
        for match in _assignments(text) if pattern is ASSIGNMENT else pattern.finditer(text):
            start, end = match.span("value")
            if not free(start, end):
                continue
            name = match.group("name")
            value = match.group("value")
            kind = name_kind(name)
            if kind is None and name == "key" and text[:match.start()].rstrip().endswith(
                    ("(", ",")):
                kind = "secret"  # wandb.login(key="..."): a keyword argument named key
            if kind is None:
                if context == "code" and pattern is not PROSE:
                    _judge_unnamed(text, match, settings, accept)
                continue
            verdict = judge_value(value, kind, settings, allowlist)
            if verdict is None:
                judged.add(start)  # its secret name's thresholds said no: final
                continue
            if verdict == "allowlisted" or text.startswith(".format(", match.end()):
                found.allowlisted[PASSWORD_TYPE if kind == "password" else GENERIC_TYPE] += 1
                continue
            type_ = PASSWORD_TYPE if kind == "password" else GENERIC_TYPE
            accept(start, end, type_, value, 0, shannon_entropy(value), variable=name)

    if context == "code" and has_run:
        for match in LITERAL.finditer(text):
            start, end = match.span("value")
            if free(start, end) and start not in judged:
                _judge_unnamed(text, match, settings, accept)
    found.spans.sort(key=lambda s: (s.start, s.end))
    return found


def _assignments(text: str) -> Iterator[re.Match[str]]:
    """``ASSIGNMENT.finditer(text)``, reading only the lines that hold an operator and a quote
    (in a notebook's code most lines hold neither)."""
    line_end = -1
    for operator in ASSIGNMENT_OPERATOR.finditer(text):
        if operator.start() < line_end:
            continue  # on a line already read
        line_start = text.rfind("\n", 0, operator.start()) + 1
        line_end = text.find("\n", operator.end())
        if line_end < 0:
            line_end = len(text)
        yield from ASSIGNMENT.finditer(text, line_start, line_end)


def _judge_unnamed(text: str, match: re.Match[str], settings: SecretsSettings,
                   accept: Callable[..., None]) -> None:
    """A random-looking literal whose name does not say it is a secret.

    Its name (or the words before it on its line) must not say what else it is (a digest, an
    id, a path: ``NOT_RANDOM_WORDS``); a name that names a provider (``mailgun_api``) makes it
    that provider's credential, any other name a ``HIGH-ENTROPY-STRING``.
    """
    value = match.group("value")
    start, end = match.span("value")
    if value in PUBLISHED_KEYS or not looks_random(
            value, settings.min_entropy, settings.min_hex_entropy) or \
            is_placeholder(value, settings_allowlist(settings)):
        return
    named = "name" in match.groupdict() and bool(match.group("name"))
    if not named and UUID.fullmatch(value):
        return  # a GUID passed around (a COM class id, a run id): a key only where assigned
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    words = name_words(match.group("name")) if "name" in match.groupdict() and \
        match.group("name") else []
    context_words = words or LOWER_WORD.findall(
        CAMEL_BOUNDARY.sub("_", before[-60:]).lower().replace("_", " "))
    if any(w in NOT_RANDOM_WORDS for w in context_words) or DIGEST_BEFORE.search(before):
        return
    if CALL_BEFORE.search(before):
        return  # a file name, a module, a message: not an assignment of a value
    provider = provider_of(words) if words else None
    if provider is not None:
        accept(start, end, PROVIDER_TYPE, value, 0, shannon_entropy(value), provider=provider,
               variable=match.group("name"))
    else:
        accept(start, end, RANDOM_TYPE, value, 0, shannon_entropy(value))


def _assignment_patterns(context: Context, config_cell: bool = False
                         ) -> tuple[re.Pattern[str], ...]:
    if context != "code":
        return (ASSIGNMENT, ENV_LINE, PROSE)
    return (ASSIGNMENT, ENV_LINE, CONFIG_LINE) if config_cell else (ASSIGNMENT, ENV_LINE)


def judge_value(value: str, kind: str, settings: SecretsSettings,
                allowlist: Sequence[re.Pattern[str]]) -> str | None:
    """``"secret"``, ``"allowlisted"`` (a placeholder) or ``None`` (not secret-like at all)."""
    if value.endswith(":") or name_kind(value.strip(".,;:)")) is not None:
        return None  # "password: password:" -- a label, not a value
    if URL_START.match(value) and "@" not in value:
        return None  # token_endpoint = "https://..." under a secret name: a place, no secret
    if is_placeholder(value, allowlist):
        return "allowlisted"
    if kind == "password":
        if len(value) < settings.min_password_length or len(value.split()) >= 3:
            return None
        return "secret"
    if len(value) < settings.min_length or any(ch.isspace() for ch in value):
        return None
    if not (DIGIT.search(value) and LETTER.search(value)):
        return None
    entropy = shannon_entropy(value)
    is_hex = HEX_OR_DASH.fullmatch(value) is not None
    threshold = settings.min_hex_entropy if is_hex else settings.min_entropy
    return "secret" if entropy >= threshold else None


def find_secrets(text: str, *, context: Context = "code",
                 settings: SecretsSettings | None = None) -> list[SecretSpan]:
    """Credentials in ``text`` as non-overlapping spans sorted by ``start``."""
    return scan_secrets(text, context=context, settings=settings).spans
