-- One row per (commit, fetch, listed author), in the Hub's author order (0 = first author).
-- Commits with an empty author list (deleted users) have no row here.
{{ unnest_commit_authors(
    ref('stg_hf_hub__commits'),
    ['repo_type', 'repo_id', 'commit_id', 'commit_position', 'fetched_at']
) }}
