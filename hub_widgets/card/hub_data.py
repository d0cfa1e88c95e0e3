"""What the Hub accepts in a card's front matter: license identifiers, standard sections.

`huggingface_hub` ships no such list, so they are embedded here. Licenses: the identifiers the
Hub's `/api/validate-yaml` lists in its `"license" must be one of [...]` message (same as
https://huggingface.co/docs/hub/repositories-licenses). Refresh them with `vocab.TASKS`.
Tasks and libraries are the whole package's vocabulary: `hub_widgets.vocab`.
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
