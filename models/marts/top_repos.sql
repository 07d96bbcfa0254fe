-- The repos with most committers and with most community members per repo type (§4.1.1),
-- top var('top_repos_n', 10) of each ranking; ties broken by repo id so the list is stable.
-- Repos whose value is NULL (fetch failed) are not ranked.
with ranked as (
    select repo_type, 'committers' as ranking, repo_id, author, n_committers as value
    from {{ ref('repo_activity') }} where n_committers is not null
    union all
    select repo_type, 'community', repo_id, author, n_community
    from {{ ref('repo_activity') }} where n_community is not null
),

numbered as (
    select
        *,
        cast(row_number() over (partition by repo_type, ranking order by value desc, repo_id asc) as integer) as rank
    from ranked
)

select repo_type, ranking, rank, repo_id, author, value
from numbered
where rank <= {{ var('top_repos_n', 10) }}
