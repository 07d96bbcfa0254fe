-- Discussions and pull requests, keeping only rows of each repo's latest successful fetch
-- (fetch_log.last_ok_at; a repo without a fetch_log row keeps its newest rows), so
-- discussions that disappeared from the Hub do not linger. The client reports deleted
-- authors as the literal 'deleted': NULL here.
with discussions as (
    select
        d.*,
        coalesce(f.last_ok_at, max(d.fetched_at) over (partition by d.repo_type, d.repo_id)) as latest_ok_at
    from {{ source('hf_hub', 'discussions') }} as d
    left join {{ source('hf_hub', 'fetch_log') }} as f
        on f.repo_type = d.repo_type and f.repo_id = d.repo_id and f.resource = 'discussions'
)

select
    cast(repo_type as varchar) as repo_type,
    repo_id,
    cast(num as integer) as discussion_num,
    cast(title as varchar) as title,
    cast(status as varchar) as status,
    cast(is_pull_request as boolean) as is_pull_request,
    nullif(cast(author as varchar), 'deleted') as author,
    cast(created_at as timestamptz) as created_at
from discussions
where fetched_at = latest_ok_at
