-- Commits of each repo's default branch, keeping only the rows of the repo's latest
-- successful fetch: every fetch returns the whole branch with one fetched_at, which the
-- fetch_log records as last_ok_at (a repo without a fetch_log row keeps its newest rows),
-- so commits dropped by a force-push do not linger.
with commits as (
    select
        c.*,
        coalesce(f.last_ok_at, max(c.fetched_at) over (partition by c.repo_type, c.repo_id)) as latest_ok_at
    from {{ source('hf_hub', 'commits') }} as c
    left join {{ source('hf_hub', 'fetch_log') }} as f
        on f.repo_type = c.repo_type and f.repo_id = c.repo_id and f.resource = 'commits'
)

select
    cast(repo_type as varchar) as repo_type,
    repo_id,
    commit_id,
    cast(commit_position as integer) as commit_position,
    cast(committed_at as timestamptz) as committed_at,
    cast(title as varchar) as title,
    {{ json_to_varchar_list('authors') }} as authors
from commits
where fetched_at = latest_ok_at
