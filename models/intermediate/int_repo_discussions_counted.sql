-- Per repo whose latest discussions fetch succeeded: n_discussions (discussions and pull
-- requests) and n_disc_starters (distinct canonical developers who opened one; bots and
-- deleted users excluded). Repos whose fetch failed or never ran have no row.
with fetched as (
    select repo_type, repo_id
    from {{ ref('stg_hf_hub__fetch_log') }}
    where resource = 'discussions' and status = 'ok'
),

counted as (
    select
        repo_type,
        repo_id,
        count(*) as n_discussions,
        count(distinct developer) as n_disc_starters
    from {{ ref('int_discussion_authors_resolved') }}
    group by repo_type, repo_id
)

select
    f.repo_type,
    f.repo_id,
    coalesce(c.n_discussions, 0) as n_discussions,
    coalesce(c.n_disc_starters, 0) as n_disc_starters
from fetched as f
left join counted as c using (repo_type, repo_id)
