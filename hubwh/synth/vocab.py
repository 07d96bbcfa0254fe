"""Vocabularies of the synthetic Hub: names, organisations, licenses, tags.

Facts about the Hub (real license ids, pipeline tags, library names, well-known
organisations and model ids) with weights tuned to the published figures
(docs/methods.md, the paper's Tables 2-4) and the real 2024 lists.
"""

from __future__ import annotations

FIRST_NAMES = (
    "adam alex alice amir ana andrea anna arjun ben bruno carla carlos chen chris clara daniel david "
    "diego dmitri elena emily emma eric fatima felix gabriel grace hana hannah hiro ian igor ines isaac "
    "ivan jack james jana jessica jin john jonas jose julia kai karim kate kenji kevin laura lea leo "
    "li lin lucas luis maria mark marta max maya mei michael mina mohamed nadia naveen nina noah olga "
    "omar oscar pablo paul pedro peter priya rahul raj rania robert rosa ryan sam sara sofia sophie "
    "stefan sun tariq thomas tim tom umar victor wei xin yan yuki yusuf zara zoe ahmed akira amelia "
    "bilal chloe dario eva farid gina hugo irene jorge kaori lars marco nora pia quentin rui sven"
).split()

LAST_NAMES = (
    "smith johnson garcia martin lee wang zhang li chen liu kim park nguyen tran patel singh kumar "
    "sharma khan ali hassan ivanov petrov muller schmidt schneider fischer weber meyer rossi russo "
    "ferrari bianchi dubois laurent moreau silva santos oliveira costa pereira lopez gonzalez "
    "rodriguez hernandez perez sanchez ramirez torres tanaka suzuki sato watanabe yamamoto nakamura "
    "kobayashi ito brown taylor wilson davies evans thomas roberts walker wright green hall wood "
    "clarke jackson white harris clark lewis young king scott baker adams nelson hill campbell "
    "mitchell carter phillips novak kowalski nowak jensen hansen nielsen berg larsen lindqvist "
    "andersson johansson karlsson okafor mensah diallo abebe haddad mansour yilmaz demir kaya"
).split()

# Real names with letters outside ASCII whose username is their ASCII folding
# ("José García" -> josegarcia): git-style commit names, some too far for the
# similarity rules (recorded as hard aliases in the ground truth).
LATIN_UNICODE_NAMES = (
    ("José", "García"), ("Sławomir", "Dadas"), ("András", "Béres"), ("Zoë", "Müller"), ("François", "Lefèvre"),
    ("Jürgen", "Groß"), ("Åsa", "Lindström"), ("Łukasz", "Wróbel"), ("Müge", "Çelik"), ("Renée", "Côté"),
    ("Iñaki", "Zubizarreta"), ("Björn", "Ødegård"), ("Nguyễn", "Văn Sơn"), ("Cao", "Hải Nam"),
    ("Seyma", "Sarıgil"), ("Paweł", "Śliwa"), ("Søren", "Kierkegård"), ("Ólafur", "Þórsson"),
)

# Real names with letters outside ASCII, for fullnames.
UNICODE_NAMES = (
    "José García", "Sławomir Dadas", "Nguyễn Văn Sơn", "Cao Hải Nam", "András Béres", "Seyma Sarıgil",
    "Zoë Müller", "François Lefèvre", "Jürgen Groß", "Åsa Lindström", "Łukasz Wróbel", "Ólafur Þórsson",
    "Müge Çelik", "Søren Kierkegård", "Renée Côté", "Iñaki Zubizarreta", "Björn Ødegård", "Paweł Śliwa",
    "山田 太郎", "李 小龙", "김 민수", "Дмитрий Иванов", "Ελένη Παπαδοπούλου", "محمد علي",
)

WORDS = (
    "alpha beta gamma delta nova lumen pixel neural deep quantum tiny mini micro mega hyper turbo "
    "fast smart open free wild blue red green dark bright silent rapid clever lucky happy cosmic "
    "solar lunar astro cyber data vision text audio speech voice image chat code math logic story "
    "anime art dream magic ghost robo auto meta omni uni multi poly mono zen echo spark flux "
    "wave storm cloud river forest ocean mountain desert tiger panda fox wolf owl hawk lion bear"
).split()

ORG_SUFFIXES = ("ai", "labs", "lab", "research", "nlp", "ml", "tech", "group", "org", "hq", "io", "team")

# Real organisations with many models, and their relative weight as owners of models.
FAMOUS_ORGS = {
    "facebook": 60, "meta-llama": 12, "google": 60, "google-bert": 10, "stabilityai": 25, "runwayml": 3,
    "microsoft": 60, "openai": 8, "openai-community": 6, "EleutherAI": 20, "bigscience": 18,
    "bigcode": 10, "h2oai": 12, "lmsys": 8, "fnlp": 8, "fudan-nlp": 4, "Salesforce": 25, "Helsinki-NLP": 120,
    "huggingface": 15, "HuggingFaceH4": 8, "sentence-transformers": 25, "nvidia": 25, "amazon": 8,
    "allenai": 25, "deepset": 12, "CompVis": 4, "TheBloke": 200, "tiiuae": 6, "mosaicml": 6,
    "databricks": 5, "Intel": 30, "timm": 60, "laion": 10, "cardiffnlp": 12, "uer": 12,
    "dbmdz": 12, "cointegrated": 6, "ai-forever": 8, "IDEA-CCNL": 15, "THUDM": 6, "Qwen": 5,
    "mistralai": 3, "nitrosocke": 6, "lllyasviel": 10, "skytnt": 2, "saltacc": 1,
    "DucHaiten": 5, "skt": 3, "klue": 4, "monologg": 5, "csebuetnlp": 4, "vinai": 6,
    "speechbrain": 20, "pyannote": 5, "jonatasgrosman": 15, "Davlan": 15, "flair": 8, "espnet": 20,
}

# Well-known models pinned at the start of the model list, with their usage in spaces
# as a share of all spaces (paper §4.3: sd-v1-5 1,747 / 156,642 spaces, ...), likes and
# 30-day downloads (Oct 2023 orders of magnitude). None = legacy id without namespace.
FAMOUS_MODELS = (
    # id, usage share of spaces, likes, downloads, pipeline tag, library, license
    ("runwayml/stable-diffusion-v1-5", 0.0112, 9314, 6_500_000, "text-to-image", "diffusers", "creativeml-openrail-m"),
    ("skytnt/anime-seg", 0.0074, 180, 0, "image-segmentation", None, "apache-2.0"),
    ("gpt2", 0.0064, 1600, 16_000_000, "text-generation", "transformers", "mit"),
    ("CompVis/stable-diffusion-v1-4", 0.0059, 6100, 900_000, "text-to-image", "diffusers", "creativeml-openrail-m"),
    ("stabilityai/stable-diffusion-2-1", 0.0055, 3400, 1_100_000, "text-to-image", "diffusers", "openrail++"),
    ("bert-base-uncased", 0.0040, 1200, 47_000_000, "fill-mask", "transformers", "apache-2.0"),
    ("saltacc/anime-ai-detect", 0.0032, 90, 2000, "image-classification", "transformers", None),
    ("openai/clip-vit-large-patch14", 0.0029, 700, 12_000_000, "zero-shot-image-classification", "transformers", None),
    ("gpt2-medium", 0.0028, 100, 300_000, "text-generation", "transformers", "mit"),
    ("openai/clip-vit-base-patch32", 0.0018, 300, 9_000_000, "zero-shot-image-classification", "transformers", None),
    ("EleutherAI/gpt-j-6b", 0.0016, 1300, 150_000, "text-generation", "transformers", "apache-2.0"),
    ("meta-llama/Llama-2-7b-chat-hf", 0.0015, 2500, 1_300_000, "text-generation", "transformers", "llama2"),
    ("facebook/bart-large-cnn", 0.0014, 600, 1_800_000, "summarization", "transformers", "mit"),
    ("openai/whisper-large-v2", 0.0013, 1200, 700_000, "automatic-speech-recognition", "transformers", "apache-2.0"),
    ("stabilityai/stable-diffusion-xl-base-1.0", 0.0012, 3500, 2_500_000, "text-to-image", "diffusers", "openrail++"),
    ("bigscience/bloom", 0.0011, 4300, 40_000, "text-generation", "transformers", "bigscience-bloom-rail-1.0"),
    ("distilbert-base-uncased", 0.0010, 300, 12_000_000, "fill-mask", "transformers", "apache-2.0"),
    ("google/flan-t5-xxl", 0.0010, 1000, 300_000, "text2text-generation", "transformers", "apache-2.0"),
    ("lmsys/vicuna-7b-v1.5", 0.0009, 150, 90_000, "text-generation", "transformers", "llama2"),
    ("h2oai/h2ogpt-oasst1-512-12b", 0.0008, 30, 2000, "text-generation", "transformers", "apache-2.0"),
    ("fnlp/moss-moon-003-sft", 0.0008, 120, 1500, "text-generation", "transformers", "agpl-3.0"),
    ("facebook/detr-resnet-50", 0.0008, 400, 400_000, "object-detection", "transformers", "apache-2.0"),
    ("roberta-base", 0.0007, 250, 9_000_000, "fill-mask", "transformers", "mit"),
    ("t5-small", 0.0007, 150, 2_000_000, "translation", "transformers", "apache-2.0"),
    ("microsoft/DialoGPT-medium", 0.0007, 230, 120_000, "conversational", "transformers", "mit"),
    ("nitrosocke/Arcane-Diffusion", 0.0006, 700, 5000, "text-to-image", "diffusers", "creativeml-openrail-m"),
    ("bigcode/santacoder", 0.0004, 300, 30_000, "text-generation", "transformers", "bigcode-openrail-m"),
    ("deepset/roberta-base-squad2", 0.0004, 400, 1_500_000, "question-answering", "transformers", "cc-by-4.0"),
)

# Legacy ("canonical") model ids without namespace and without `author` (Oct 2023).
LEGACY_MODELS = (
    "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2", "bert-base-uncased", "bert-base-cased",
    "bert-large-uncased", "bert-base-multilingual-cased", "distilbert-base-uncased", "distilroberta-base",
    "roberta-base", "roberta-large", "t5-small", "t5-base", "t5-large", "xlm-roberta-base", "albert-base-v2",
    "xlnet-base-cased", "ctrl", "camembert-base", "openai-gpt",
)
LEGACY_DATASETS = ("squad", "glue", "imdb", "wikitext", "cnn_dailymail", "common_voice", "emotion",
                   "xsum", "mnist", "cifar10", "ag_news", "conll2003", "super_glue", "oscar")

# Famous repos whose committer counts the paper names (Table/§4.1.1): id -> committers.
FAMOUS_TEAMS = {"bigscience/bloom": 18, "bigcode/santacoder": 16, "deepset/roberta-base-squad2": 15}

# Hub staff-like accounts that touch many repos of others (the high-degree core).
STAFF = ("sgugger", "lysandre", "julien-c", "osanseviero", "nielsr", "ybelkada", "patrickvonplaten",
         "ArthurZ", "Narsil", "merve", "sayakpaul", "reach-vb", "multimodalart", "thomwolf", "abidlabs",
         "sanchit-gandhi", "lewtun", "philschmid", "Wauplin", "lhoestq", "albertvillanova", "polinaeterna")

# Bot accounts (ground truth), with what they do.
COMMIT_BOTS = ("SFconvertbot", "github-actions[bot]", "hf-sync-bot", "model-card-bot")
DISCUSSION_BOTS = ("SFconvertbot", "librarian-bot", "dependabot[bot]", "leaderboard-bot")

# Licenses among licensed models (paper §4.1.3, the real 2024 model bodies); real Hub ids.
MODEL_LICENSES = {
    "apache-2.0": 37.0, "mit": 17.0, "openrail": 14.0, "creativeml-openrail-m": 10.0, "cc-by-nc-4.0": 3.0,
    "llama2": 2.6, "other": 2.8, "cc-by-4.0": 1.6, "gpl-3.0": 1.2, "bsd-3-clause": 1.0, "unknown": 0.9,
    "afl-3.0": 0.8, "cc-by-nc-sa-4.0": 0.7, "cc-by-sa-4.0": 0.6, "cc0-1.0": 0.6, "openrail++": 0.5,
    "bigscience-openrail-m": 0.5, "agpl-3.0": 0.4, "bigscience-bloom-rail-1.0": 0.35, "wtfpl": 0.3,
    "cc": 0.3, "artistic-2.0": 0.25, "unlicense": 0.25, "bsd": 0.2, "cc-by-nc-nd-4.0": 0.2,
    "gpl-2.0": 0.15, "lgpl-3.0": 0.12, "mpl-2.0": 0.12, "bsl-1.0": 0.1, "cc-by-sa-3.0": 0.1,
    "bigcode-openrail-m": 0.1, "ecl-2.0": 0.05, "cc-by-nd-4.0": 0.05, "gpl": 0.08, "bsd-2-clause": 0.05,
    "osl-3.0": 0.03, "lgpl-lr": 0.02, "deepfloyd-if-license": 0.03,
}
DATASET_LICENSES = {
    "mit": 28.0, "apache-2.0": 15.0, "openrail": 9.0, "cc-by-4.0": 5.6, "unknown": 4.5, "other": 3.8,
    "cc-by-sa-4.0": 2.6, "cc-by-nc-4.0": 2.1, "cc-by-nc-sa-4.0": 2.0, "cc0-1.0": 1.7, "cc": 1.6,
    "afl-3.0": 1.3, "cc-by-nc-nd-4.0": 1.3, "cc-by-sa-3.0": 1.2, "gpl-3.0": 0.9,
    "creativeml-openrail-m": 0.8, "odc-by": 0.5, "llama2": 0.5, "wtfpl": 0.4, "unlicense": 0.3,
    "cc-by-3.0": 0.3, "bsd": 0.3, "bigscience-openrail-m": 0.3, "artistic-2.0": 0.3, "cc-by-2.0": 0.2,
    "agpl-3.0": 0.2, "odbl": 0.2, "bsd-3-clause": 0.15, "pddl": 0.15, "c-uda": 0.1, "cc-by-nd-4.0": 0.1,
}
SPACE_LICENSES = {"mit": 40.0, "apache-2.0": 35.0, "openrail": 10.0, "other": 5.0, "cc-by-nc-4.0": 3.0,
                  "gpl-3.0": 2.0, "creativeml-openrail-m": 2.0, "cc-by-4.0": 1.5, "bsd-3-clause": 1.0}

# cardData.license spellings that the Hub does not map to a `license:` tag.
NONSTANDARD_LICENSES = ("Apache 2.0", "MIT License", "apache license 2.0", "CC BY-NC 4.0", "GPLv3",
                        "research-only", "Llama 2 Community License")

# Pipeline tags of models (the real 2024 bodies; None = no pipeline tag) and their weights.
PIPELINE_TAGS = {
    None: 38.0, "text-classification": 9.0, "text-generation": 8.5, "reinforcement-learning": 8.0,
    "text2text-generation": 4.0, "text-to-image": 4.5, "token-classification": 3.5,
    "automatic-speech-recognition": 3.0, "fill-mask": 2.5, "image-classification": 3.0,
    "question-answering": 2.0, "sentence-similarity": 1.2, "feature-extraction": 1.2,
    "object-detection": 0.7, "conversational": 1.0, "translation": 1.0, "summarization": 0.6,
    "audio-classification": 0.5, "audio-to-audio": 0.4, "image-segmentation": 0.4,
    "unconditional-image-generation": 0.4, "image-to-image": 0.3, "image-to-text": 0.3,
    "zero-shot-classification": 0.2, "video-classification": 0.2, "multiple-choice": 0.2,
    "zero-shot-image-classification": 0.15, "visual-question-answering": 0.1, "text-to-speech": 0.2,
    "depth-estimation": 0.05, "table-question-answering": 0.05, "document-question-answering": 0.05,
    "text-to-video": 0.03, "tabular-classification": 0.1, "tabular-regression": 0.03,
    "graph-machine-learning": 0.02, "robotics": 0.02, "text-to-audio": 0.05,
}

# library_name given the pipeline tag family; None = no library.
LIBRARY_BY_PIPELINE = {
    "reinforcement-learning": (("stable-baselines3", 6), ("ml-agents", 1), ("sample-factory", 1), (None, 1)),
    "text-to-image": (("diffusers", 8), (None, 2)),
    "unconditional-image-generation": (("diffusers", 5), (None, 1)),
    "image-to-image": (("diffusers", 3), (None, 1)),
    "image-classification": (("transformers", 5), ("timm", 3), ("keras", 1)),
    "sentence-similarity": (("sentence-transformers", 8), (None, 1)),
    "automatic-speech-recognition": (("transformers", 8), ("speechbrain", 1), ("nemo", 1)),
    None: ((None, 10), ("peft", 4), ("pytorch", 1), ("transformers", 3), ("keras", 1), ("fastai", 0.5),
           ("sklearn", 0.4), ("adapter-transformers", 0.2), ("onnx", 0.2)),
}
DEFAULT_LIBRARY = (("transformers", 12), ("pytorch", 0.5), ("peft", 0.5), (None, 0.5))

# Model types (architecture tags) for transformers models.
MODEL_TYPES = ("bert", "roberta", "gpt2", "t5", "llama", "distilbert", "bart", "xlm-roberta", "deberta-v2",
               "mistral", "gpt_neox", "whisper", "wav2vec2", "vit", "mt5", "marian", "electra", "albert",
               "bloom", "opt", "falcon", "clip", "swin", "detr", "gptj", "pegasus", "mpnet", "camembert")
BASE_NAMES = ("bert-base", "roberta-large", "gpt2", "t5-small", "llama-2-7b", "distilbert", "bart-large",
              "xlm-roberta-base", "deberta-v3", "mistral-7b", "whisper-small", "wav2vec2-base", "vit-base",
              "sd-1.5", "lora", "ppo", "dqn", "a2c", "mt5-base", "opus-mt", "electra-small", "bloomz-560m",
              "opt-1.3b", "falcon-7b", "clip-vit", "swin-tiny", "pegasus", "mpnet-base", "sdxl", "qlora")
NAME_SUFFIXES = ("finetuned", "ft", "v1", "v2", "v3", "sst2", "imdb", "squad", "ner", "emotion", "lora",
                 "dreambooth", "chat", "instruct", "4bit", "gptq", "ggml", "en", "de", "fr", "ja", "zh",
                 "es", "ko", "ru", "ar", "hi", "test", "demo", "final", "best", "merged", "distilled")
LANGUAGES = ("en", "zh", "fr", "de", "es", "ja", "ru", "ko", "ar", "pt", "it", "hi", "vi", "tr", "pl", "nl",
             "id", "sv", "fa", "multilingual")
UNICODE_WORDS = ("café", "türkçe", "español", "français", "日本語", "中文", "한국어", "русский", "ελληνικά",
                 "naïve", "smørrebrød", "ñandú", "zürich", "ação")

# Commit titles (the Hub's own defaults dominate).
COMMIT_TITLES = (
    ("Upload folder using huggingface_hub", 20), ("Update README.md", 25), ("Upload model", 6),
    ("Upload pytorch_model.bin", 5), ("Upload config.json", 4), ("Upload tokenizer", 3),
    ("Training in progress, step {n}", 8), ("Training in progress, epoch {n}", 5),
    ("End of training", 4), ("add model", 3), ("Create README.md", 4), ("Delete {f}", 2),
    ("Upload {n} files", 3), ("Add safetensors weights", 1), ("Update config.json", 3),
    ("Add tokenizer files", 1), ("update model card", 2), ("fix typo", 1), ("Upload app.py", 2),
    ("Update app.py", 6), ("Update requirements.txt", 2),
)
FILES = ("pytorch_model.bin", "model.safetensors", "README.md", "config.json", "app.py", "tokenizer.json",
         "data/train.csv", "training_args.bin")

DISCUSSION_TITLES = (
    "Add safetensors weights", "Question about the tokenizer", "How to use this model?", "Update README.md",
    "Error when loading the model", "License question", "Can you share the training data?",
    "Great work!", "Add model card", "Fine-tuning script?", "Inference is very slow", "Upload config",
    "Wrong output with long inputs", "Which dataset was used?", "Thank you! 🙏", "¿Funciona en español?",
    "日本語で使えますか？", "Merci pour le modèle", "Add eval results", "Request: GGUF version",
)
SFCONVERT_PR_TITLE = "Adding `safetensors` variant of this model"
LIBRARIAN_PR_TITLE = "Librarian Bot: Add base_model information to model"

DATASET_TASKS = ("text-classification", "question-answering", "text-generation", "translation",
                 "summarization", "token-classification", "image-classification", "conversational",
                 "automatic-speech-recognition", "text-to-image", "object-detection", "tabular-classification")
SIZE_CATEGORIES = ("n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M")
DATASET_FORMATS = ("parquet", "json", "csv", "imagefolder", "text", "audiofolder", "arrow")
MODALITIES = ("text", "image", "tabular", "audio", "timeseries")

SPACE_SDKS = (("gradio", 70), ("streamlit", 17), ("docker", 8), ("static", 5))
SPACE_EMOJIS = ("🚀", "🤗", "🔥", "🐨", "📊", "🎨", "🦀", "💻", "🌍", "🧠", "🪁", "🏃")
