"""The package's shared vocabulary: repo types, tasks, libraries.

Widgets take these names from here, never from a list of their own. The sandbox keeps its own copy
on purpose (`hub_widgets.sandbox.vocab`), so that it stays an independent oracle of the Hub.
Tasks: `PIPELINE_DATA` of `@huggingface/tasks` (huggingface.js, packages/tasks/src/pipelines.ts);
refresh them with the card's licenses (`hub_widgets.card.hub_data`).
"""

from __future__ import annotations

from hub_widgets._i18n import _

# The Hub's three kinds of repositories, in the order the Hub lists them.
REPO_TYPES: tuple[str, ...] = ("model", "dataset", "space")


def repo_type_label(repo_type: str) -> str:
    """A repo type as the user reads it (translated: "model", "dataset", "Space"); an unknown one as is.

    Args:
        repo_type: "model", "dataset" or "space".
    """
    labels = {"model": _("model"), "dataset": _("dataset"), "space": _("Space")}
    return labels.get(repo_type, repo_type)


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

# Offered first by the browser's task filter: the most used ones (any of TASKS can be typed).
COMMON_TASKS: tuple[str, ...] = (
    "text-generation", "text-classification", "token-classification", "question-answering",
    "summarization", "translation", "fill-mask", "feature-extraction", "sentence-similarity",
    "image-classification", "object-detection", "image-segmentation", "text-to-image",
    "automatic-speech-recognition", "text-to-speech", "zero-shot-classification",
)  # fmt: skip

# Libraries offered in the card form; any other name is accepted (the Hub's list is long and grows).
LIBRARIES: tuple[str, ...] = (
    "transformers", "sentence-transformers", "diffusers", "peft", "timm", "adapter-transformers",
    "gguf", "onnx", "safetensors", "pytorch", "tensorflow", "jax", "keras", "tf-keras", "flair",
    "spacy", "fastai", "sklearn", "setfit", "open_clip", "mlx", "transformers.js", "span-marker",
    "stable-baselines3", "ml-agents", "lerobot", "pyannote-audio", "espnet", "speechbrain", "nemo",
)  # fmt: skip

# Offered by the browser's library filter, which searches datasets and Spaces too: the most used
# model libraries, then the dataset libraries and the Space SDKs the Hub files under `library`.
SEARCH_LIBRARIES: tuple[str, ...] = (
    "transformers", "sentence-transformers", "diffusers", "timm", "peft", "gguf", "onnx",
    "safetensors", "pytorch", "keras", "datasets", "pandas", "gradio", "streamlit", "docker",
)  # fmt: skip
