"""Model sizes for the synthetic Hub: `safetensors.total` parameter counts (docs/methods.md §12).

Which models carry safetensors metadata, and its dtype layout, come from the generator's main
stream as before; the parameter count itself is drawn from a stream of its own
(`ModelSizes.rng`), so a seed gives the same Hub, repo for repo, apart from those counts.

Calibration: the 2,089 `safetensors.total` values in the real 2024 model bodies
(../shared/real-data/hub-2024-07/model-info; tests/test_synth_sizes.py compares). Their
quantiles are `REAL_LOG10_QUANTILES`: a long tail from a few million to 179 billion
parameters, with the sizes of popular architectures repeated (1.5 B, 7 B, 8 B). A model's
count is that quantile function at u = Φ(z), z a Gaussian copula of
- its popularity quantile (the one the generator draws its likes, downloads, discussions and
  space usage from), so bigger models have more of each;
- whether an organisation owns it (organisations publish the big models);
- its pipeline (text generation is big, image and audio classification small);
- noise;
each part standardised over the models that carry safetensors metadata, so z is close to
N(0, 1) there and the Hub-wide distribution follows the real quantiles.
"""

from __future__ import annotations

import bisect
import math
import random
from statistics import NormalDist

from hubwh.synth import vocab

# (probability, log10 parameters): quantiles of the 2,089 real values. The real minimum (426,
# a test upload) is replaced by one million: the tail starts at small vision models.
REAL_LOG10_QUANTILES = (
    (0.0, 6.0),
    (0.002, 6.584),
    (0.005, 6.811),
    (0.01, 7.032),
    (0.02, 7.336),
    (0.05, 7.577),
    (0.1, 7.826),
    (0.15, 7.976),
    (0.2, 8.043),
    (0.25, 8.263),
    (0.3, 8.52),
    (0.35, 8.747),
    (0.4, 9.188),
    (0.45, 9.216),
    (0.55, 9.216),
    (0.6, 9.336),
    (0.65, 9.399),
    (0.7, 9.783),
    (0.75, 9.86),
    (0.85, 9.86),
    (0.9, 9.905),
    (0.95, 9.931),
    (0.98, 10.331),
    (0.99, 10.839),
    (0.995, 10.859),
    (0.998, 11.132),
    (1.0, 11.252),
)
# Pipelines' pull on size (before standardising): generative text models are the big ones.
PIPELINE_PULL = {
    "text-generation": 1.6,
    "conversational": 1.6,
    "text2text-generation": 0.3,
    "text-to-image": 0.8,
    "image-to-image": 0.6,
    "image-to-text": 0.6,
    "visual-question-answering": 0.8,
    "feature-extraction": 0.3,
    "automatic-speech-recognition": 0.2,
    None: 0.5,
    "image-classification": -0.9,
    "object-detection": -0.9,
    "image-segmentation": -0.6,
    "audio-classification": -0.6,
    "reinforcement-learning": -1.2,
}
OTHER_PULL = -0.4  # text classification, token classification, fill-mask, ...
# Weights of the copula's parts (squares sum to 1).
W_POPULARITY, W_ORGANISATION, W_PIPELINE = 0.3, 0.3, 0.75
W_NOISE = math.sqrt(1.0 - W_POPULARITY**2 - W_ORGANISATION**2 - W_PIPELINE**2)
_NORMAL = NormalDist()


def _safetensors_share(library: str | None) -> float:
    """The generator's chance that a model of this library carries safetensors metadata."""
    return 0.25 if library in ("transformers", "diffusers") else 0.05


def _pipeline_moments() -> tuple[float, float]:
    """Mean and standard deviation of the pipeline pull over the models that carry safetensors
    metadata, from the generator's own pipeline and library mixes."""
    weights: list[tuple[float, float]] = []
    for pipeline, weight in vocab.PIPELINE_TAGS.items():
        libraries = vocab.LIBRARY_BY_PIPELINE.get(pipeline, vocab.DEFAULT_LIBRARY)
        total = sum(w for _, w in libraries)
        share = sum(w * _safetensors_share(lib) for lib, w in libraries) / total
        weights.append((weight * share, PIPELINE_PULL.get(pipeline, OTHER_PULL)))
    mass = sum(w for w, _ in weights)
    mean = sum(w * x for w, x in weights) / mass
    var = sum(w * (x - mean) ** 2 for w, x in weights) / mass
    return mean, math.sqrt(var)


def parameters_at(u: float) -> int:
    """The real quantile function (log-linear between the table's points) at u in [0, 1]."""
    ps = [p for p, _ in REAL_LOG10_QUANTILES]
    i = min(max(bisect.bisect_right(ps, u), 1), len(ps) - 1)
    (p0, x0), (p1, x1) = REAL_LOG10_QUANTILES[i - 1], REAL_LOG10_QUANTILES[i]
    x = x0 if p1 == p0 else x0 + (x1 - x0) * (u - p0) / (p1 - p0)
    return int(round(10**x))


class ModelSizes:
    """Parameter counts, one per model that carries safetensors metadata, from their own stream."""

    def __init__(self, seed: int, *, org_share: float):
        self.rng = random.Random(f"hubwh-synth-sizes:{seed}")
        self.org_mean = org_share
        self.org_sd = math.sqrt(max(org_share * (1.0 - org_share), 1e-9))
        self.pull_mean, self.pull_sd = _pipeline_moments()

    def total(self, *, pipeline: str | None, organisation: bool, popularity: float) -> int:
        """A parameter count for a model with this pipeline, owner kind and popularity quantile."""
        popularity = min(max(popularity, 1e-6), 1.0 - 1e-6)
        z = (
            W_POPULARITY * _NORMAL.inv_cdf(popularity)
            + W_ORGANISATION * (float(organisation) - self.org_mean) / self.org_sd
            + W_PIPELINE * (PIPELINE_PULL.get(pipeline, OTHER_PULL) - self.pull_mean) / self.pull_sd
            + W_NOISE * self.rng.gauss(0.0, 1.0)
        )
        return parameters_at(_NORMAL.cdf(z))
