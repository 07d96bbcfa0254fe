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
        c.repo_type = a.repo_type
        and c.repo_id = a.repo_id
        and c.commit_id = a.commit_id
        and c.fetched_at = a.fetched_at
