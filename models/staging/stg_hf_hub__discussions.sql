-- Discussions and pull requests, one row per discussion and fetch (every fetch returns all of a
-- repo's discussions with one fetched_at; int_discussions_filtered_to_latest_fetch keeps the
-- latest successful one). The client reports deleted authors as the literal 'deleted': NULL here.
select
    cast(repo_type as varchar) as repo_type,
    repo_id,
    cast(num as integer) as discussion_num,
    cast(title as varchar) as title,
    cast(status as varchar) as status,
    cast(is_pull_request as boolean) as is_pull_request,
    nullif(cast(author as varchar), 'deleted') as author,
    cast(created_at as timestamptz) as created_at,
    cast(fetched_at as timestamptz) as fetched_at
from {{ source('hf_hub', 'discussions') }}
