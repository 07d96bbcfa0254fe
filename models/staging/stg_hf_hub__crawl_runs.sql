-- Crawl runs (scope and closing summary as JSON), for report headers.
select
    cast(run_id as varchar) as run_id,
    cast(started_at as timestamptz) as started_at,
    cast(finished_at as timestamptz) as finished_at,
    cast(endpoint as varchar) as endpoint,
    cast(scope as json) as scope,
    cast(summary as json) as summary
from {{ source('hf_hub', 'crawl_runs') }}
