-- Outcome of the latest commits / discussions fetch of each repo.
select
    cast(repo_type as varchar) as repo_type,
    repo_id,
    cast(resource as varchar) as resource,
    cast(status as varchar) as status,
    cast(message as varchar) as message,
    cast(n_requests as integer) as n_requests,
    cast(fetched_at as timestamptz) as fetched_at,
    cast(sha as varchar) as sha,
    cast(last_modified as timestamptz) as last_modified,
    cast(last_ok_at as timestamptz) as last_ok_at
from {{ source('hf_hub', 'fetch_log') }}
