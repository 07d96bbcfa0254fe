-- The commits that count (docs/methods.md §0, §10): every commit of the listed repos whose latest
-- commits fetch is ok, system and author-less commits included (as n_commits counts them),
-- with their dates. A view over the latest-fetch view: nothing is copied.
{{ config(materialized='view') }}

-- (the resource filtered before the join: with `and f.resource = 'commits'` in the join condition
-- DuckDB 1.4 plans a nested-loop semi join, every commit against every fetch)
with commits_fetched as (
    select repo_type, repo_id from {{ ref('int_repo_fetches_current') }} where resource = 'commits'
)

select
    c.repo_type,
    c.repo_id,
    c.commit_id,
    c.commit_position,
    c.committed_at
from {{ ref('int_commits_filtered_to_latest_fetch') }} as c
semi join commits_fetched as f
    on c.repo_type = f.repo_type and c.repo_id = f.repo_id
