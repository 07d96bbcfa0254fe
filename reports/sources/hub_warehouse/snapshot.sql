-- The latest crawl run: when the snapshot was taken and its scope (JSON as text).
select
    run_id,
    started_at,
    finished_at,
    endpoint,
    cast(scope as varchar) as scope
from raw.crawl_runs
order by coalesce(finished_at, started_at) desc nulls last
limit 1
