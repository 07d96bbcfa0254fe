"""The extractor: the Hugging Face Hub API -> dlt -> DuckDB schema `raw`.

- `extract.pipeline.crawl()`: one crawl run (also `hubwh crawl`, extract/cli.py), its stages in
  `extract.sweep` (list sweeps), `extract.plan` (what to fetch, SQL in plan.sql) and `extract.fetch`
  (per-repo commits and discussions)
- `extract.hf_hub`: the dlt source `hf_hub` (one resource per API resource, the raw contract)
- `extract.client`: huggingface_hub with one retry layer and the shared rate limiter
- `extract.ratelimit`: the client-side rate limiter
- `extract.scope`: types, author, tag filter, limit, reproducible sample
- `extract.warehouse`: the dlt pipeline, the batches it loads, and reads of earlier runs' state
"""
