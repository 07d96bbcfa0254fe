-- Discussion / PR authors mapped to canonical developers (macros/resolve_developers.sql):
-- aliases replaced through int_identity_map; bots and deleted users (raw_author NULL) get
-- developer NULL. Only listed repos whose latest discussions fetch is ok (as
-- int_commit_authors_resolved).
with current_discussions as (
    select
        d.repo_type,
        d.repo_id,
        d.discussion_num,
        d.is_pull_request,
        d.author
    from {{ ref('int_discussions_filtered_to_latest_fetch') }} as d
    inner join {{ ref('int_repo_fetches_current') }} as cr
        on
            d.repo_type = cr.repo_type
            and d.repo_id = cr.repo_id
            and cr.resource = 'discussions'
)

{{ resolve_developers(
    'current_discussions',
    ['repo_type', 'repo_id', 'discussion_num', 'is_pull_request']
) }}
