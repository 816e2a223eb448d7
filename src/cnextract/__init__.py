"""cnextract: exact figures from raw Chinese news pages, with offsets back to the raw text."""

from .pipeline import Options, Pipeline, extract
from .records import Article, Figure, PageResult, Problem, Quote, Span, Speaker
from .tables import to_frame

__version__ = "0.1.0"

__all__ = [
    "extract", "Pipeline", "Options",
    "PageResult", "Article", "Figure", "Quote", "Speaker", "Span", "Problem", "to_frame",
    "__version__",
]
