-- Crawl runs (scope and closing summary as JSON, shard), for report headers.
select
    cast(run_id as varchar) as run_id,
    cast(started_at as timestamptz) as started_at,
    cast(finished_at as timestamptz) as finished_at,
    cast(endpoint as varchar) as endpoint,
    cast(scope as json) as scope,
    cast(summary as json) as summary,
    -- runs from before shards existed covered the whole Hub
    cast(coalesce(shard_index, 1) as bigint) as shard_index,
    cast(coalesce(shard_count, 1) as bigint) as shard_count
from {{ source('hf_hub', 'crawl_runs') }}
