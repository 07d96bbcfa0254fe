"""API-shaped repo records (models, datasets, spaces): names, tags, licenses, cards.

Field names, order and value shapes follow the Hub (docs/hub-api.md §1.3, §9 and
the real 2024 bodies): the union of default list fields and expand fields.
"""

from __future__ import annotations

import random

from hubwh.synth import vocab
from hubwh.synth.sampling import Weighted

PIPELINES = Weighted(vocab.PIPELINE_TAGS)
MODEL_LICENSES = Weighted(vocab.MODEL_LICENSES)
DATASET_LICENSES = Weighted(vocab.DATASET_LICENSES)
SPACE_LICENSES = Weighted(vocab.SPACE_LICENSES)
LIBRARIES = {k: Weighted(v) for k, v in vocab.LIBRARY_BY_PIPELINE.items()}
DEFAULT_LIBRARY = Weighted(vocab.DEFAULT_LIBRARY)
SDKS = Weighted(vocab.SPACE_SDKS)
RL_ENVS = (
    "LunarLander-v2",
    "CartPole-v1",
    "SpaceInvadersNoFrameskip-v4",
    "Huggy",
    "PandaReachDense-v3",
    "SnowballTarget",
    "Pyramids",
    "doom_health_gathering_supreme",
    "Taxi-v3",
    "FrozenLake-v1",
)
DATASET_WORDS = ("dataset", "data", "corpus", "qa", "instructions", "images", "audio", "eval", "bench", "pairs")
DATASET_KINDS = ("QA", "Set", "Bench", "Corpus", "Instruct")
SPACE_WORDS = ("demo", "app", "chat", "bot", "generator", "classifier", "playground", "space", "ui")
TEXT_GEN_TYPES = ("llama", "mistral", "gpt2", "gpt_neox", "bloom", "opt", "falcon", "gptj")


def _clean(name: str) -> str:
    # Repo ids are ASCII [A-Za-z0-9_.-] on the Hub (the client's validate_repo_id rejects
    # anything else, and '--', '..', or a name starting/ending with '-' or '.').
    while "--" in name or ".." in name:
        name = name.replace("--", "-").replace("..", ".")
    name = name.strip("-.")
    return name[:96] or "model"


def model_name(rng: random.Random, pipeline: str | None, library: str | None) -> str:
    u = rng.random()
    if pipeline == "reinforcement-learning":
        name = f"{rng.choice(('ppo', 'dqn', 'a2c', 'sac', 'reinforce'))}-{rng.choice(RL_ENVS)}"
        if rng.random() < 0.5:
            name += f"-{rng.randrange(1, 100)}"
    elif library == "diffusers" and u < 0.6:
        name = f"{rng.choice(vocab.WORDS)}-{rng.choice(('diffusion', 'lora', 'dreambooth', 'style', 'sd15', 'xl'))}"
    elif u < 0.55:
        name = f"{rng.choice(vocab.BASE_NAMES)}-{rng.choice(vocab.NAME_SUFFIXES)}"
        if rng.random() < 0.5:
            name += f"-{rng.choice(vocab.NAME_SUFFIXES + tuple(vocab.WORDS))}"
    elif u < 0.8:
        name = f"{rng.choice(vocab.WORDS)}-{rng.choice(vocab.BASE_NAMES)}"
    elif u < 0.92:
        name = f"{rng.choice(vocab.WORDS).capitalize()}{rng.choice(vocab.WORDS).capitalize()}-{rng.randrange(1, 70)}B"
    else:
        name = f"{rng.choice(vocab.WORDS)}_{rng.choice(vocab.WORDS)}_{rng.randrange(1, 1000)}"
    return _clean(name)


def dataset_name(rng: random.Random) -> str:
    u = rng.random()
    if u < 0.4:
        name = f"{rng.choice(vocab.WORDS)}-{rng.choice(DATASET_WORDS)}"
    elif u < 0.7:
        name = f"{rng.choice(vocab.WORDS)}_{rng.choice(vocab.WORDS)}"
    elif u < 0.9:
        name = f"{rng.choice(vocab.WORDS).capitalize()}{rng.choice(DATASET_KINDS)}-{rng.choice(vocab.LANGUAGES)}"
    else:
        name = f"{rng.choice(vocab.WORDS)}-{rng.randrange(1, 10_000)}"
    return _clean(name)


def space_name(rng: random.Random) -> str:
    u = rng.random()
    if u < 0.5:
        name = f"{rng.choice(vocab.WORDS)}-{rng.choice(SPACE_WORDS)}"
    elif u < 0.8:
        name = f"{rng.choice(vocab.WORDS).capitalize()}{rng.choice(vocab.WORDS).capitalize()}"
    else:
        name = f"{rng.choice(vocab.BASE_NAMES)}-{rng.choice(('demo', 'gradio', 'test', 'api'))}"
    return _clean(name)


def model_library(rng: random.Random, pipeline: str | None) -> str | None:
    table = LIBRARIES.get(pipeline)
    return (table or DEFAULT_LIBRARY).pick(rng)


def model_tags(
    rng: random.Random,
    *,
    pipeline: str | None,
    library: str | None,
    license_id: str | None,
    base_model: str | None,
    safetensors: bool,
) -> list[str]:
    tags: list[str] = []
    model_type = None
    if library == "transformers":
        tags.append("transformers")
        tags.extend(
            rng.choice(
                (
                    ("pytorch",),
                    ("pytorch",),
                    ("safetensors",),
                    ("pytorch", "safetensors"),
                    ("tf",),
                    ("pytorch", "tf", "jax"),
                    ("onnx",),
                )
            )
        )
        model_type = rng.choice(TEXT_GEN_TYPES) if pipeline == "text-generation" else rng.choice(vocab.MODEL_TYPES)
        tags.append(model_type)
    elif library == "stable-baselines3":
        tags += ["stable-baselines3", rng.choice(RL_ENVS), "deep-reinforcement-learning"]
    elif library == "diffusers":
        tags += ["diffusers", "safetensors"] if safetensors else ["diffusers"]
        tags += rng.choice((("stable-diffusion", "stable-diffusion-diffusers"), ("lora",), ()))
    elif library:
        tags.append(library)
    if safetensors and "safetensors" not in tags:
        tags.append("safetensors")
    if pipeline:
        tags.append(pipeline)
        if pipeline == "text-generation" and rng.random() < 0.3:
            tags.append("conversational")
    if rng.random() < 0.08:
        tags.append("generated_from_trainer")
    if rng.random() < 0.3:
        tags.append(rng.choice(vocab.LANGUAGES))
    if rng.random() < 0.08:
        tags.append(f"dataset:{rng.choice(vocab.LEGACY_DATASETS)}")
    if rng.random() < 0.04:
        tags.append(arxiv_tag(rng))
    if base_model:
        tags.append(f"base_model:{base_model}")
    if license_id:
        tags.append(f"license:{license_id}")
    if pipeline and rng.random() < 0.1:
        tags.append("model-index")
    if library == "transformers":
        if pipeline in ("text-generation", "text2text-generation"):
            tags.append("autotrain_compatible")
            if model_type in TEXT_GEN_TYPES:
                tags.append("text-generation-inference")
        tags.append("endpoints_compatible")
    tags.append("region:us")
    return tags


def arxiv_tag(rng: random.Random) -> str:
    return f"arxiv:{rng.randrange(18, 24)}{rng.randrange(1, 13):02d}.{rng.randrange(1, 20000):05d}"


def model_card(rng: random.Random, *, license_id: str | None, base_model: str | None) -> dict | None:
    """cardData: present for about two thirds of models; `license` mirrors the
    license tag (rarely as a list), and a few unlicensed-by-tag models carry a
    spelling the Hub does not map to a tag."""
    card: dict = {}
    if license_id:
        if rng.random() < 0.97:
            card["license"] = [license_id] if rng.random() < 0.004 else license_id
    elif rng.random() < 0.015:
        card["license"] = rng.choice(vocab.NONSTANDARD_LICENSES)
    if not card and rng.random() < 0.45:
        return None
    if rng.random() < 0.3:
        card["language"] = [rng.choice(vocab.LANGUAGES)] if rng.random() < 0.7 else rng.choice(vocab.LANGUAGES)
    if rng.random() < 0.2:
        card["tags"] = ["generated_from_trainer"]
    if base_model:
        card["base_model"] = base_model
    if rng.random() < 0.05:
        card["datasets"] = [rng.choice(vocab.LEGACY_DATASETS)]
    if not card:
        card["tags"] = [rng.choice(("generated_from_trainer", "stable-diffusion", "lora", "text-classification"))]
    return card


def safetensors_info(rng: random.Random, pipeline: str | None, total: int) -> dict:
    """safetensors metadata holding `total` parameters (hubwh/synth/sizes.py draws it): the dtype
    layout from `rng`, with the draws the generator's main stream always made here."""
    big = pipeline in ("text-generation", "text2text-generation", "conversational")
    split = rng.random()  # once the size draw; kept, so the main stream is unchanged
    dtype = rng.choice(("F32", "F16", "BF16")) if big else rng.choice(("F32", "F32", "F16"))
    if big and rng.random() < 0.1:
        # A quantised layout: packed integer weights beside the floating-point ones.
        packed = int(total * (0.1 + 0.2 * split))
        return {"parameters": {dtype: total - packed, "I32": packed}, "total": total}
    return {"parameters": {dtype: total}, "total": total}


def dataset_tags(rng: random.Random, license_id: str | None) -> list[str]:
    tags = []
    if rng.random() < 0.35:
        tags.append(f"task_categories:{rng.choice(vocab.DATASET_TASKS)}")
    if rng.random() < 0.45:
        tags.append(f"language:{rng.choice(vocab.LANGUAGES)}")
    if license_id:
        tags.append(f"license:{license_id}")
    if rng.random() < 0.7:
        tags.append(f"size_categories:{rng.choice(vocab.SIZE_CATEGORIES)}")
        tags.append(f"format:{rng.choice(vocab.DATASET_FORMATS)}")
        tags.append(f"modality:{rng.choice(vocab.MODALITIES)}")
        tags += ["library:datasets", "library:pandas", "library:mlcroissant"]
    if rng.random() < 0.04:
        tags.append(arxiv_tag(rng))
    if rng.random() < 0.5 and "library:datasets" in tags:
        tags.append("croissant")
    tags.append("region:us")
    return tags
