-- The listed authors of the commits in int_commits_filtered_to_latest_fetch, with the commit's
-- date. A view: the unnest is cheap to redo and int_commit_authors_resolved is the table.
-- (The latest-fetch commits are unnested, not every fetch's authors semi-joined to them: the
-- same rows without a join of tens of millions of rows on both sides at today's Hub.)
{{ config(materialized='view') }}

{{ unnest_commit_authors(
    ref('int_commits_filtered_to_latest_fetch'),
    ['repo_type', 'repo_id', 'commit_id', 'commit_position', 'committed_at', 'fetched_at']
) }}
