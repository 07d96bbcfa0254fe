-- The listed authors of the commits in int_commits_filtered_to_latest_fetch: the unnested
-- authors of staging, kept when their commit row belongs to the repo's latest successful fetch.
-- A view: the unnest is cheap to redo and int_commit_authors_resolved is the table.
{{ config(materialized='view') }}

select
    a.repo_type,
    a.repo_id,
    a.commit_id,
    a.commit_position,
    a.author_position,
    a.author,
    a.fetched_at
from {{ ref('stg_hf_hub__commit_authors') }} as a
semi join {{ ref('int_commits_filtered_to_latest_fetch') }} as c
    on
        a.repo_type = c.repo_type
        and a.repo_id = c.repo_id
        and a.commit_id = c.commit_id
        and a.fetched_at = c.fetched_at
