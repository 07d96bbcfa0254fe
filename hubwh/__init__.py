"""hub-warehouse: an analytics warehouse of development activity on the Hugging Face Hub.

Sub-packages: snapshot (the Hub snapshot format), synth (the synthetic Hub),
emulator (the local Hub emulator), stats (RQ1 statistics), network (RQ2 graph
metrics), report (HTML and terminal reports). The extractor lives in the
top-level package `extract`.
"""

__version__ = "0.1.0"
