"""The shared model-file test corpus: benign real files and canary-payload malicious samples.

Built at test time by code (nothing binary is committed): ``build_corpus(dest, marker)``.
"""

from .build import SPECS, Sample, SampleSpec, build_corpus

__all__ = ["SPECS", "Sample", "SampleSpec", "build_corpus"]
