-- One row per (commit, fetch, listed author), in the Hub's author order (0 = first author).
-- Commits with an empty author list (deleted users) have no row here.
-- (Two unnests in one select list advance together; much faster than indexing a range.)
with unnested as (
    select
        repo_type,
        repo_id,
        commit_id,
        commit_position,
        fetched_at,
        unnest(authors) as author,
        generate_subscripts(authors, 1) - 1 as author_position
    from {{ ref('stg_hf_hub__commits') }}
)

select
    repo_type,
    repo_id,
    commit_id,
    commit_position,
    cast(author_position as integer) as author_position,
    author,
    fetched_at
from unnested
