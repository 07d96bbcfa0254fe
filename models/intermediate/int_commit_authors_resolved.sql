-- Commit authors mapped to canonical developers (docs/methods.md §2–§3, macros/resolve_developers.sql):
-- aliases replaced through int_identity_map; bots and the Hub's `system` user get developer
-- NULL, so they are never counted as committers.
-- Only the Hub as it stands (docs/methods.md §0): listed repos whose latest commits fetch is ok; a repo
-- that turned gated / private / deleted keeps its old rows (last_ok_at), but they count
-- nowhere (its n_commits is NULL), neither in the network nor in developers.
with current_commit_authors as (
    select
        a.repo_type,
        a.repo_id,
        a.commit_id,
        a.commit_position,
        a.author_position,
        a.n_authors,
        a.author,
        a.committed_at
    from {{ ref('int_commit_authors_filtered_to_latest_fetch') }} as a
    inner join {{ ref('int_repo_fetches_current') }} as cr
        on
            a.repo_type = cr.repo_type
            and a.repo_id = cr.repo_id
            and cr.resource = 'commits'
)

{{ resolve_developers(
    'current_commit_authors',
    ['repo_type', 'repo_id', 'commit_id', 'commit_position', 'author_position', 'n_authors', 'committed_at'],
    nobody=['system']
) }}
