"""What the Hub accepts in a card's front matter: license identifiers, tasks, standard sections.

`huggingface_hub` ships neither list, so they are embedded here. Licenses: the identifiers the
Hub's `/api/validate-yaml` lists in its `"license" must be one of [...]` message (same as
https://huggingface.co/docs/hub/repositories-licenses). Tasks: `PIPELINE_DATA` of
`@huggingface/tasks` (huggingface.js, packages/tasks/src/pipelines.ts). Refresh both together.
"""

from __future__ import annotations

LICENSES: tuple[str, ...] = (
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd",
    "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0",
    "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0",
    "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0",
    "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0",
    "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1",
    "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc",
    "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr", "mpl-2.0",
    "odc-by", "odbl", "openmdw-1.0", "openmdw-1.1", "openrail++", "osl-3.0", "postgresql", "ofl-1.1",
    "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license",
    "fair-noncommercial-research-license", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3",
    "llama4", "grok2-community", "gemma", "unknown", "other",
)  # fmt: skip

# Task id -> display name, in the Hub's order (the order of its filters).
TASKS: dict[str, str] = {
    "text-classification": "Text Classification",
    "token-classification": "Token Classification",
    "table-question-answering": "Table Question Answering",
    "question-answering": "Question Answering",
    "zero-shot-classification": "Zero-Shot Classification",
    "translation": "Translation",
    "summarization": "Summarization",
    "feature-extraction": "Feature Extraction",
    "text-generation": "Text Generation",
    "text2text-generation": "Text2Text Generation",
    "fill-mask": "Fill-Mask",
    "sentence-similarity": "Sentence Similarity",
    "text-to-speech": "Text-to-Speech",
    "text-to-audio": "Text-to-Audio",
    "automatic-speech-recognition": "Automatic Speech Recognition",
    "audio-to-audio": "Audio-to-Audio",
    "audio-classification": "Audio Classification",
    "audio-text-to-text": "Audio-Text-to-Text",
    "voice-activity-detection": "Voice Activity Detection",
    "depth-estimation": "Depth Estimation",
    "image-classification": "Image Classification",
    "object-detection": "Object Detection",
    "image-segmentation": "Image Segmentation",
    "text-to-image": "Text-to-Image",
    "image-to-text": "Image-to-Text",
    "image-to-image": "Image-to-Image",
    "image-to-video": "Image-to-Video",
    "unconditional-image-generation": "Unconditional Image Generation",
    "video-classification": "Video Classification",
    "reinforcement-learning": "Reinforcement Learning",
    "robotics": "Robotics",
    "tabular-classification": "Tabular Classification",
    "tabular-regression": "Tabular Regression",
    "tabular-to-text": "Tabular to Text",
    "table-to-text": "Table to Text",
    "multiple-choice": "Multiple Choice",
    "text-ranking": "Text Ranking",
    "text-retrieval": "Text Retrieval",
    "time-series-forecasting": "Time Series Forecasting",
    "text-to-video": "Text-to-Video",
    "image-text-to-text": "Image-Text-to-Text",
    "visual-question-answering": "Visual Question Answering",
    "document-question-answering": "Document Question Answering",
    "zero-shot-image-classification": "Zero-Shot Image Classification",
    "graph-ml": "Graph Machine Learning",
    "mask-generation": "Mask Generation",
    "zero-shot-object-detection": "Zero-Shot Object Detection",
    "text-to-3d": "Text-to-3D",
    "image-to-3d": "Image-to-3D",
    "image-feature-extraction": "Image Feature Extraction",
    "video-text-to-text": "Video-Text-to-Text",
    "keypoint-detection": "Keypoint Detection",
    "visual-document-retrieval": "Visual Document Retrieval",
    "any-to-any": "Any-to-Any",
    "biology": "Biology",
    "other": "Other",
}

# Libraries offered in the form; any other name is accepted (the Hub's list is long and grows).
COMMON_LIBRARIES: tuple[str, ...] = (
    "transformers", "sentence-transformers", "diffusers", "peft", "timm", "adapter-transformers",
    "gguf", "onnx", "safetensors", "pytorch", "tensorflow", "jax", "keras", "tf-keras", "flair",
    "spacy", "fastai", "sklearn", "setfit", "open_clip", "mlx", "transformers.js", "span-marker",
    "stable-baselines3", "ml-agents", "lerobot", "pyannote-audio", "espnet", "speechbrain", "nemo",
)  # fmt: skip

# Special values the Hub accepts in `language` besides ISO 639 codes.
SPECIAL_LANGUAGES: tuple[str, ...] = ("code", "multilingual")

# Standard sections of the library's templates (level-2 headings), offered by "insert section".
MODEL_SECTIONS: tuple[str, ...] = (
    "Model Details", "Model description", "Intended uses & limitations", "Uses",
    "Bias, Risks, and Limitations", "How to Get Started with the Model", "Training data",
    "Training procedure", "Training Details", "Evaluation", "Evaluation results", "Environmental Impact",
    "Technical Specifications", "Citation", "Glossary", "More Information", "Model Card Authors",
    "Model Card Contact",
)  # fmt: skip
DATASET_SECTIONS: tuple[str, ...] = (
    "Dataset Details", "Dataset description", "Uses", "Dataset Structure", "Dataset Creation",
    "Bias, Risks, and Limitations", "Citation", "Glossary", "More Information", "Dataset Card Authors",
    "Dataset Card Contact",
)  # fmt: skip
