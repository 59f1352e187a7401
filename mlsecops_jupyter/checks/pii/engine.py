"""Offline Presidio: built once per process, lazily, never by a bare ``AnalyzerEngine()``.

A bare ``AnalyzerEngine()`` downloads ``en_core_web_lg`` and raises offline. Here the engine is
built from an installed spaCy pipeline when there is one (``pii.spacy_model``, else the best of
``en_core_web_lg/md/sm/trf``), or from a blank English pipeline with a lower-case lemma component
so Presidio's context words ("phone", "ssn", ...) still raise scores. With the blank pipeline
NER-only entity types (PERSON, LOCATION, ...) come from our shape/lexicon recognizers only, and
reports say so. The public-suffix list of ``tldextract`` (Presidio's e-mail recognizer) is the
snapshot bundled in its wheel: nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

INSTALLED_MODELS = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf")
BLANK = "blank spaCy 'en' (no NER)"
NER_ONLY = ("PERSON", "LOCATION", "ORGANIZATION", "NRP")
MODEL_NOT_INSTALLED = ("pii.spacy_model {name!r} is not an installed spaCy pipeline; install it "
                       "or leave the setting empty")
_LEMMA_COMPONENT = "mlsec_lower_lemma"
_lock = threading.Lock()
_engines: dict[str, tuple[Any, EngineInfo]] = {}
_text_engines: dict[str, tuple[Any, Any]] = {}


@dataclass(frozen=True)
class EngineInfo:
    """Which Presidio engine ran and what it cannot see (shown in every pii report)."""

    name: str
    ner: bool
    unseen: tuple[str, ...]
    note: str

    def metrics(self) -> dict[str, Any]:
        """The report's ``metrics`` entries: flat, so every renderer shows them plainly."""
        return {"engine": self.name, "ner": self.ner,
                "unseen_entity_types": ", ".join(self.unseen) or "none"}


def choose_model(requested: str = "") -> str | None:
    """The spaCy pipeline to use: the requested one, else the best installed, else None."""
    if requested:
        if not _installed(requested) and not os.path.isdir(requested):
            from ...core.errors import MLSecConfigError

            raise MLSecConfigError(MODEL_NOT_INSTALLED.format(name=requested))
        return requested
    return next((name for name in INSTALLED_MODELS if _installed(name)), None)


def _installed(name: str) -> bool:
    """Is ``name`` an importable spaCy pipeline package? (No spaCy import: it is slow.)"""
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def analyzer(spacy_model: str = "") -> tuple[Any, EngineInfo]:
    """The process-wide ``AnalyzerEngine`` for ``spacy_model`` and what it can see."""
    with _lock:
        if spacy_model not in _engines:
            from ...core.progress import task

            # seconds the first time in a process (spaCy and Presidio imports, the pipeline)
            with task("loading Presidio"):
                _engines[spacy_model] = _build(spacy_model)
        return _engines[spacy_model]


def loaded() -> bool:
    """Has this process built a text engine yet? (Then ``find_pii`` costs no load.)"""
    return bool(_text_engines)


def text_analyzer(spacy_model: str = "") -> tuple[Any, Any]:
    """The engine ``find_pii`` runs on free text, and the NLP artifacts to pass it (or None).

    The same recognizers and spaCy pipeline as ``analyzer``, without Presidio's context
    enhancer: in free text ``find_pii`` decides context itself (``has_context``, within a
    clause), so the enhancer's scores never change a verdict there, and it walks every token of
    the text for every result (quadratic in a long output). Without an NER model nothing reads
    the spaCy tokens either, so the text is not tokenised at all (an empty ``NlpArtifacts``);
    that is most of the cost of a notebook scan otherwise.
    """
    full, info = analyzer(spacy_model)
    with _lock:
        if spacy_model not in _text_engines:
            _text_engines[spacy_model] = _build_text_engine(full, info)
        return _text_engines[spacy_model]


def _build_text_engine(full: Any, info: EngineInfo) -> tuple[Any, Any]:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NlpArtifacts

    class NoContextEnhancer(ContextAwareEnhancer):  # type: ignore[misc]
        def enhance_using_context(self, text: str, raw_results: list[Any], nlp_artifacts: Any,
                                  recognizers: list[Any], context: Any = None) -> list[Any]:
            return raw_results

    engine = AnalyzerEngine(registry=full.registry, nlp_engine=full.nlp_engine,
                            supported_languages=["en"],
                            context_aware_enhancer=NoContextEnhancer(0, 0, 0, 0))
    artifacts = None
    if not info.ner:
        pipeline = full.nlp_engine.nlp["en"]
        artifacts = NlpArtifacts(entities=[], tokens=pipeline.make_doc(""), tokens_indices=[],
                                 lemmas=[], nlp_engine=full.nlp_engine, language="en")
    return engine, artifacts


def engine_info(spacy_model: str = "") -> EngineInfo:
    """What ``analyzer`` would report, without building it (cheap: no Presidio import)."""
    if spacy_model in _engines:
        return _engines[spacy_model][1]
    return _info(choose_model(spacy_model))


def _info(model: str | None) -> EngineInfo:
    if model is None:
        return EngineInfo(BLANK, False, NER_ONLY,
                          "no spaCy NER model installed: person names and street addresses come "
                          "from value shape, a public-domain name list and column names; an NER "
                          "model (pip install an en_core_web_* pipeline) would find more")
    return EngineInfo(f"spaCy {model}", True, (), "NER entities from " + model)


def _blank_pipeline() -> Any:
    import spacy
    from spacy.language import Language

    if not Language.has_factory(_LEMMA_COMPONENT):
        def lower_lemma(doc: Any) -> Any:
            for token in doc:
                token.lemma_ = token.lower_
            return doc

        Language.component(_LEMMA_COMPONENT, func=lower_lemma)
    nlp = spacy.blank("en")
    nlp.add_pipe(_LEMMA_COMPONENT)
    return nlp


def _presidio_recognizers() -> list[Any]:
    """The Presidio recognizers we keep: only types we report and do not do better ourselves.

    Not loaded: cards, IBANs, SSNs, phones, IP addresses, URLs and crypto wallets
    (``recognizers`` replaces them), dates (not reported), and other countries' identifiers
    (each a source of false positives on arbitrary numbers). Building only these also saves
    compiling ~170 patterns.
    """
    from presidio_analyzer import predefined_recognizers as pr

    return [pr.EmailRecognizer(), pr.MacAddressRecognizer(),
            pr.UsBankRecognizer(), pr.UsLicenseRecognizer(), pr.UsPassportRecognizer(),
            pr.UsItinRecognizer(), pr.MedicalLicenseRecognizer(), pr.NhsRecognizer(),
            pr.UuidRecognizer()]


def _build(spacy_model: str) -> tuple[Any, EngineInfo]:
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from .recognizers import our_recognizers  # after presidio: class names clash
    from .rules import ENTITIES

    model = choose_model(spacy_model)
    nlp = spacy.load(model) if model else _blank_pipeline()

    class PreloadedSpacyEngine(SpacyNlpEngine):  # type: ignore[misc]
        """Presidio's spaCy engine around a pipeline we loaded (it would download one)."""

        def __init__(self, pipeline: Any) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": model or "blank"}])
            self.nlp = {"en": pipeline}  # type: ignore[assignment]

    nlp_engine = PreloadedSpacyEngine(nlp)
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in _presidio_recognizers():
        registry.add_recognizer(recognizer)
    if model is not None:
        registry.add_nlp_recognizer(nlp_engine=nlp_engine)  # PERSON, LOCATION ... from NER
    context = {name: entity.context for name, entity in ENTITIES.items()}
    for recognizer in our_recognizers(context):
        registry.add_recognizer(recognizer)
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
    return engine, _info(model)
