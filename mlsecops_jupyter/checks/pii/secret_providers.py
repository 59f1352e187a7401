"""Provider token formats: one row per credential a service issues with a recognisable shape.

Why a separate table: ``secrets.DETECTORS`` holds the structural detectors (keys that need a
validator or context); the formats here need only their shape (a public prefix, an alphabet, a
length) and an entropy floor for the random part, so they are data. Every row reports
``SECRET-PROVIDER-TOKEN`` with the provider's name in the evidence.

The families follow the providers gitleaks covers (its rule list was the checklist); the
patterns are written from the providers' documented token formats, not taken from gitleaks.
Services whose keys have no shape of their own (a bare 32-character string) are covered by
``PROVIDER_WORDS``: a random-looking literal assigned to a name that names the provider
(``mailgun_key``, ``TWILIO_AUTH``) is that provider's credential.

``PUBLISHED_KEYS`` are keys their owners published on purpose (SDK examples, documentation):
they are fixtures, never findings.
"""

from __future__ import annotations

import re

# what may follow a token: the end of a string, a quote, white space, a separator
_END = r"(?![A-Za-z0-9_\-])"
_START = r"(?<![A-Za-z0-9_\-./])"
_HEX = "0-9a-fA-F"


def _shape(body: str, *, start: str = _START, end: str = _END, flags: int = 0
           ) -> re.Pattern[str]:
    return re.compile(f"{start}(?P<value>{body}){end}", flags)


# (provider, pattern, characters of public prefix shown in evidence, lower-case hints)
Row = tuple[str, "re.Pattern[str]", int, tuple[str, ...]]

PROVIDER_ROWS: tuple[Row, ...] = (
    ("1Password", _shape(r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})"
                         r"(?:-[A-Z0-9]{5}){3}"), 3, ("a3-",)),
    ("1Password", _shape(r"ops_eyJ[A-Za-z0-9+/]{250,}={0,3}", end=r"(?![A-Za-z0-9+/=])"), 7,
     ("ops_eyj",)),
    ("Adobe", _shape(r"p8e-[A-Za-z0-9]{32}"), 4, ("p8e-",)),
    ("age", _shape(r"AGE-SECRET-KEY-1[02-9ac-hj-np-z]{58}", flags=re.I), 15,
     ("age-secret-key-1",)),
    ("Airtable", _shape(r"pat[A-Za-z0-9]{14}\.[0-9a-f]{64}"), 3, ("pat",)),
    ("Alibaba Cloud", _shape(r"LTAI[A-Za-z0-9]{20}"), 4, ("ltai",)),
    ("AWS Bedrock", _shape(r"ABSK[A-Za-z0-9+/]{109,269}={0,2}", end=r"(?![A-Za-z0-9+/=])"), 4,
     ("absk",)),
    ("AWS Bedrock", _shape(r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t(?:Lz[A-Za-z0-9+/=%]*)?",
                           end=r"(?![A-Za-z0-9+/=%])"), 15, ("bedrock-api-key-",)),
    ("AWS", _shape(r"A3T[A-Z0-9][A-Z2-7]{16}"), 4, ("a3t",)),
    ("JFrog Artifactory", _shape(r"AKCp[A-Za-z0-9]{69}"), 4, ("akcp",)),
    ("JFrog Artifactory", _shape(r"cmVmd[A-Za-z0-9]{59}"), 5, ("cmvmd",)),
    ("Atlassian", _shape(r"ATATT3[A-Za-z0-9_\-=]{180,200}"), 6, ("atatt3",)),
    ("Authress", _shape(r"(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\.[A-Za-z0-9]{4,6}\."
                        r"acc[_\-][A-Za-z0-9\-]{10,32}\.[A-Za-z0-9+/_=\-]{30,120}"), 3,
     (".acc_", ".acc-")),
    ("Azure AD", _shape(r"[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}",
                        start=r"(?<![A-Za-z0-9_~.\-])", end=r"(?![A-Za-z0-9_~.\-])"), 0,
     ("q~",)),
    ("Beamer", _shape(r"b_[A-Za-z0-9=_\-]{44}"), 2, ("b_",)),
    ("ClickHouse", _shape(r"4b1d[A-Za-z0-9]{38}"), 4, ("4b1d",)),
    ("Clojars", _shape(r"CLOJARS_[A-Za-z0-9]{60}", flags=re.I), 8, ("clojars_",)),
    ("Cloudflare", _shape(r"v1\.0-[0-9a-f]{24}-[0-9a-f]{146}"), 5, ("v1.0-",)),
    ("Databricks", _shape(r"dapi[0-9a-f]{32}(?:-\d)?"), 4, ("dapi",)),
    ("Defined Networking", _shape(r"dnkey-[A-Za-z0-9=_\-]{26}-[A-Za-z0-9=_\-]{52}"), 6,
     ("dnkey-",)),
    ("DigitalOcean", _shape(r"do[opr]_v1_[0-9a-f]{64}"), 7, ("_v1_",)),
    ("Doppler", _shape(r"dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,44}"), 6, ("dp.",)),
    ("Dropbox", _shape(r"sl\.[A-Za-z0-9_\-=]{130,152}"), 3, ("sl.",)),
    ("Duffel", _shape(r"duffel_(?:test|live)_[A-Za-z0-9_\-=]{43}"), 12, ("duffel_",)),
    ("Dynatrace", _shape(r"dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}"), 7, ("dt0c01.",)),
    ("EasyPost", _shape(r"EZ[AT]K[A-Za-z0-9]{54}"), 4, ("ezak", "eztk")),
    ("Facebook", _shape(r"EAA[MC][A-Za-z0-9]{100,}"), 4, ("eaa",)),
    ("Facebook", _shape(r"\d{15,16}(?:\||%7[Cc])[0-9A-Za-z\-_]{27,40}",
                        start=r"(?<![0-9A-Za-z])"), 0, ("|", "%7c")),
    ("Flutterwave", _shape(r"FLW(?:PUBK|SECK)_TEST-[0-9a-hA-H]{32}-X"), 13, ("flw",)),
    ("Flutterwave", _shape(r"FLWSECK_TEST-?[0-9a-hA-H]{12}"), 12, ("flwseck",)),
    ("Fly.io", _shape(r"fo1_[\w\-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,}={0,3}|"
                      r"fm2_[A-Za-z0-9+/]{100,}={0,3}", end=r"(?![A-Za-z0-9_\-+/=])"), 4,
     ("fo1_", "fm1a_", "fm1r_", "fm2_")),
    ("Frame.io", _shape(r"fio-u-[A-Za-z0-9\-_=]{64}"), 6, ("fio-u-",)),
    ("Freemius", _shape(r"sk_[A-Za-z0-9!#$%&*+./:;<=>?@^_~\-]{29}", start=r"(?<=['\"])",
                        end=r"(?=['\"])"), 3, ("sk_",)),
    ("GitLab", _shape(r"(?:glcbt-[0-9A-Za-z]{1,5}_|gldt-|glffct-|glft-|glsoat-|GR1348941)"
                      r"[0-9A-Za-z_\-]{20}|glimt-[0-9A-Za-z_\-]{25}|glagent-[0-9A-Za-z_\-]{50}"
                      r"|gloas-[0-9A-Za-z_\-]{64}|glrt-(?:t\d_)?[0-9A-Za-z_\-]{20,300}"
                      r"(?:\.[0-9a-z]{9})?"), 6,
     ("glcbt-", "gldt-", "glffct-", "glft-", "glrt-", "glsoat-", "glimt-", "glagent-", "gloas-",
      "gr1348941")),
    ("GitLab", _shape(r"glptt-[0-9a-f]{40}"), 6, ("glptt-",)),
    ("GitLab", _shape(r"[0-9a-z]{32}", start=r"(?<=_gitlab_session=)"), 0,
     ("_gitlab_session=",)),
    ("GoCardless", _shape(r"live_[A-Za-z0-9\-_=]{40}"), 5, ("live_",)),
    ("Grafana", _shape(r"eyJrIjoi[A-Za-z0-9]{70,400}={0,3}", end=r"(?![A-Za-z0-9=])"), 8,
     ("eyjrijoi",)),
    ("Grafana", _shape(r"glc_[A-Za-z0-9+/]{32,400}={0,3}", end=r"(?![A-Za-z0-9+/=_\-])"), 4,
     ("glc_",)),
    ("Grafana", _shape(r"glsa_[A-Za-z0-9]{32}_[0-9a-fA-F]{8}"), 5, ("glsa_",)),
    ("Harness", _shape(r"(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}"),
     4, ("pat.", "sat.")),
    ("HashiCorp Terraform", _shape(r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9\-_=]{60,70}"), 0,
     (".atlasv1.",)),
    ("HashiCorp Vault", _shape(r"hv[sb]\.[\w\-]{90,300}"), 4, ("hvs.", "hvb.")),
    ("Heroku", _shape(r"HRKU-AA[0-9A-Za-z_\-]{58}"), 7, ("hrku-aa",)),
    ("Hugging Face", _shape(r"api_org_[A-Za-z]{34}"), 8, ("api_org_",)),
    ("42 Intra", _shape(r"s-s4t2(?:ud|af)-[0-9a-fA-F]{64}"), 9, ("s-s4t2",)),
    ("Linear", _shape(r"lin_api_[A-Za-z0-9]{40}"), 8, ("lin_api_",)),
    ("Lob", _shape(r"(?:live|test)_(?:pub_[0-9a-f]{31}|[0-9a-f]{35})"), 5, ("live_", "test_")),
    ("Mailchimp", _shape(r"[0-9a-f]{32}-us\d{1,2}"), 0, ("-us",)),
    ("Mailgun", _shape(r"(?:pub)?key-[0-9a-f]{32}"), 4, ("key-",)),
    ("Mapbox", _shape(r"[ps]k\.[A-Za-z0-9]{60}\.[A-Za-z0-9_\-]{22}"), 3, ("pk.", "sk.")),
    ("MaxMind", _shape(r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk"), 0, ("_mmk",)),
    ("Microsoft Teams", _shape(
        r"https://[a-z0-9\-]+\.webhook\.office\.com/webhookb2/[a-z0-9\-]{36}@[a-z0-9\-]{36}"
        r"/IncomingWebhook/[a-z0-9]{32}/[a-z0-9\-]{36}(?:/[A-Za-z0-9_\-]{40,})?",
        start="", end=""), 0, ("webhook.office.com",)),
    ("New Relic", _shape(r"NR(?:AK|II|JS|AA)-[A-Za-z0-9\-]{19,32}"), 5,
     ("nrak-", "nrii-", "nrjs-", "nraa-")),
    ("Notion", _shape(r"ntn_\d{11}[A-Za-z0-9]{35}"), 4, ("ntn_",)),
    ("Notion", _shape(r"secret_[A-Za-z0-9]{43}"), 7, ("secret_",)),
    ("npm", _shape(r"npm_[A-Za-z0-9]{36}"), 4, ("npm_",)),
    ("Octopus Deploy", _shape(r"API-[A-Z0-9]{26}"), 4, ("api-",)),
    ("OpenShift", _shape(r"sha256~[\w\-]{43}"), 7, ("sha256~",)),
    ("Perplexity", _shape(r"pplx-[A-Za-z0-9]{48}"), 5, ("pplx-",)),
    ("Plaid", _shape(r"access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-"
                     r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), 7, ("access-",)),
    ("PlanetScale", _shape(r"pscale_(?:pw|tkn|oauth)_[\w=.\-]{32,64}"), 10, ("pscale_",)),
    ("Postman", _shape(r"PMAK-[0-9a-fA-F]{24}-[0-9a-fA-F]{34}"), 5, ("pmak-",)),
    ("Prefect", _shape(r"pnu_[A-Za-z0-9]{36}"), 4, ("pnu_",)),
    ("Pulumi", _shape(r"pul-[0-9a-f]{40}"), 4, ("pul-",)),
    ("PyPI", _shape(r"pypi-AgEIcHlwaS5vcmc[\w\-]{50,1000}"), 5, ("pypi-ageichlwas5vcmc",)),
    ("ReadMe", _shape(r"rdme_[a-z0-9]{70}"), 5, ("rdme_",)),
    ("RubyGems", _shape(r"rubygems_[0-9a-f]{48}"), 9, ("rubygems_",)),
    ("Scalingo", _shape(r"tk-us-[\w\-]{48}"), 6, ("tk-us-",)),
    ("SendGrid", _shape(r"SG\.[A-Za-z0-9_\-=.]{66}"), 3, ("sg.",)),
    ("Brevo (Sendinblue)", _shape(r"xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}"), 8, ("xkeysib-",)),
    ("Sentry", _shape(r"sntryu_[0-9a-f]{64}"), 7, ("sntryu_",)),
    ("Sentry", _shape(r"sntrys_eyJpYXQiO[A-Za-z0-9+/=]{20,400}_[A-Za-z0-9+/]{43}",
                      end=r"(?![A-Za-z0-9+/=])"), 7, ("sntrys_",)),
    ("SettleMint", _shape(r"sm_(?:aat|pat|sat)_[A-Za-z0-9]{16}"), 7, ("sm_",)),
    ("Shippo", _shape(r"shippo_(?:live|test)_[0-9a-fA-F]{40}"), 12, ("shippo_",)),
    ("Shopify", _shape(r"shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}"), 6, ("shpat_", "shpca_", "shppa_",
                                                                     "shpss_")),
    ("Sidekiq", _shape(r"[0-9a-f]{8}:[0-9a-f]{8}", start=r"(?<=://)",
                       end=r"(?=@(?:gems|enterprise)\.contribsys\.com)"), 0, ("contribsys",)),
    ("Slack", _shape(r"xapp-\d-[A-Z0-9]{8,}-\d{6,}-[a-z0-9]{32,}", flags=re.I), 5, ("xapp-",)),
    ("Slack", _shape(r"xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{140,170}"), 5, ("xoxe",)),
    ("Slack", _shape(r"(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/"
                     r"[A-Za-z0-9+/]{40,80}", start=r"(?<![A-Za-z0-9.])",
                     end=r"(?![A-Za-z0-9+/])"), 0, ("hooks.slack.com",)),
    ("SonarQube", _shape(r"sq[upa]_[A-Za-z0-9]{40}"), 4, ("squ_", "sqp_", "sqa_")),
    ("Sourcegraph", _shape(r"sgp_(?:[0-9a-fA-F]{16}|local)_[0-9a-fA-F]{40}|sgp_[0-9a-fA-F]{40}"),
     4, ("sgp_",)),
    ("Square", _shape(r"(?:EAAA|sq0atp-|sq0csp-)[\w\-]{22,60}"), 4, ("eaaa", "sq0")),
    ("Stripe", _shape(r"(?:sk|rk)_prod_[A-Za-z0-9]{10,99}"), 8, ("_prod_",)),
    ("Telegram", _shape(r"\d{5,16}:A[A-Za-z0-9_\-]{34}", start=r"(?<![0-9A-Za-z])"), 0,
     (":a",)),
    ("Twilio", _shape(r"SK[0-9a-fA-F]{32}"), 2, ("sk",)),
    ("Twitter", _shape(r"A{22}[A-Za-z0-9%]{80,100}"), 0, ("aaaaaaaaaaaaaaaaaaaaaa",)),
    ("Typeform", _shape(r"tfp_[A-Za-z0-9\-_.=]{59}"), 4, ("tfp_",)),
    ("Yandex", _shape(r"AQVN[A-Za-z0-9_\-]{35,38}|YC[A-Za-z0-9_\-]{38}"), 4, ("aqvn", "yc")),
    ("Yandex", _shape(r"t1\.[A-Za-z0-9_\-]+=*\.[A-Za-z0-9_\-]{86}=*", end=r"(?![A-Za-z0-9_\-=])"),
     3, ("t1.",)),
    ("Infracost", _shape(r"ico-[A-Za-z0-9]{32}"), 4, ("ico-",)),
    ("Kubernetes", re.compile(
        r"(?is)\bkind:[ \t]*['\"]?secret['\"]?\b.{0,300}?\b(?:data|stringData):[ \t]*\n"
        r"(?:[ \t]+#.*\n)*[ \t]+[\w.\-]+:[ \t]*(?:[|>][\-+]?\s+)?['\"]?"
        r"(?P<value>[A-Za-z0-9+/]{10,}={0,3})['\"]?"), 0, ("secret",)),
)

# provider -> words that name it in a variable, key or argument name (lower case, no separators)
PROVIDER_WORDS: dict[str, tuple[str, ...]] = {
    "Adafruit": ("adafruit",), "Adobe": ("adobe",), "Airtable": ("airtable",),
    "Algolia": ("algolia",), "Alibaba Cloud": ("alibaba", "aliyun"), "Asana": ("asana",),
    "Atlassian": ("atlassian", "jira", "confluence"), "Beamer": ("beamer",),
    "Bitbucket": ("bitbucket",), "Bittrex": ("bittrex",), "Cloudflare": ("cloudflare", "cf"),
    "Codecov": ("codecov",), "Cohere": ("cohere", "co"), "Coinbase": ("coinbase",),
    "Confluent": ("confluent", "kafka"), "Contentful": ("contentful",),
    "Datadog": ("datadog", "dd"), "Discord": ("discord",), "Drone CI": ("drone", "droneci"),
    "Dropbox": ("dropbox",), "Etsy": ("etsy",), "Facebook": ("facebook", "fb"),
    "Fastly": ("fastly",), "Finicity": ("finicity",), "Finnhub": ("finnhub",),
    "Flickr": ("flickr",), "Freshbooks": ("freshbooks",), "Gitter": ("gitter",),
    "GoCardless": ("gocardless",), "Heroku": ("heroku",), "HubSpot": ("hubspot",),
    "Intercom": ("intercom",), "JFrog": ("jfrog", "artifactory", "bintray", "xray"),
    "Kraken": ("kraken",), "KuCoin": ("kucoin",), "LaunchDarkly": ("launchdarkly",),
    "Linear": ("linear",), "LinkedIn": ("linkedin",), "Lob": ("lob",),
    "Looker": ("looker",), "Mailchimp": ("mailchimp",), "Mailgun": ("mailgun",),
    "Mapbox": ("mapbox",), "Mattermost": ("mattermost",), "Cisco Meraki": ("meraki",),
    "MessageBird": ("messagebird",), "Netlify": ("netlify",), "New Relic": ("newrelic",),
    "New York Times": ("nytimes", "newyorktimes"), "Okta": ("okta",), "Plaid": ("plaid",),
    "Private AI": ("privateai",), "RapidAPI": ("rapidapi",), "Sendbird": ("sendbird",),
    "Sentry": ("sentry",), "Sidekiq": ("contribsys", "sidekiq"), "Snyk": ("snyk",),
    "SonarQube": ("sonar", "sonarqube", "sonarcloud"), "Squarespace": ("squarespace",),
    "Sumo Logic": ("sumo", "sumologic"), "Telegram": ("telegram",), "Travis CI": ("travis",),
    "Twitch": ("twitch",), "Twitter": ("twitter",), "Typeform": ("typeform",),
    "Yandex": ("yandex",), "Zendesk": ("zendesk",), "Twilio": ("twilio",),
    "SendGrid": ("sendgrid",), "Databricks": ("databricks",), "Pulumi": ("pulumi",),
    "Doppler": ("doppler",), "Shopify": ("shopify",), "DigitalOcean": ("digitalocean", "do"),
    "Grafana": ("grafana",), "HashiCorp": ("hashicorp", "terraform", "vault"),
    "Wandb": ("wandb",), "Comet": ("comet",), "Neptune": ("neptune",), "Pinecone": ("pinecone",),
    "Replicate": ("replicate",), "Mistral": ("mistral",), "Groq": ("groq",),
}
_WORD_TO_PROVIDER = {word: provider for provider, words in PROVIDER_WORDS.items()
                     for word in words}


def provider_of(words: list[str]) -> str | None:
    """The provider a name's words (split, lower case) name, if any: ``["mailgun", "key"]``
    -> ``"Mailgun"``. Two-letter abbreviations (``cf``, ``dd``, ``do``) count only as the first
    word of a longer name, so ``do`` in ``to_do_list`` names nothing."""
    for index, word in enumerate(words):
        provider = _WORD_TO_PROVIDER.get(word)
        if provider is not None and (len(word) > 2 or (index == 0 and len(words) > 1)):
            return provider
    joined = "".join(words)
    for word, provider in _WORD_TO_PROVIDER.items():
        if len(word) > 4 and word in joined:
            return provider
    return None


# formats so specific that the shape alone decides (no entropy floor): an age key is bech32
# after a 16-character header, a Bedrock short-term key its base64 host name
SHAPE_ONLY = frozenset({"age", "AWS Bedrock"})

# keys their owners published on purpose (SDK test fixtures, documentation examples): a
# notebook that holds one holds a fixture. Source: firebase-android-sdk's example Google API keys
# (the list gitleaks' GCP rule allows), AWS's documentation keys.
PUBLISHED_KEYS = frozenset({
    "AIzaSyabcdefghijklmnopqrstuvwxyz1234567", "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
    "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM", "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
    "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0", "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
    "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c", "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
    "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY", "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
    "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
    "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU", "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
    "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE", "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
})
