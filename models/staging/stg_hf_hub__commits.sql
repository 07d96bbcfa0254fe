-- Commits of each repo's default branch, one row per commit and fetch: every fetch returns the
-- whole branch with one fetched_at (int_commits_filtered_to_latest_fetch keeps the latest
-- successful one).
select
    cast(repo_type as varchar) as repo_type,
    repo_id,
    commit_id,
    cast(commit_position as integer) as commit_position,
    cast(committed_at as timestamptz) as committed_at,
    cast(title as varchar) as title,
    {{ json_to_varchar_list('authors') }} as authors,
    cast(fetched_at as timestamptz) as fetched_at
from {{ source('hf_hub', 'commits') }}
