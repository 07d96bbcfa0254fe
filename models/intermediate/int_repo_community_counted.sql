-- Per repo whose commits and discussions fetches both succeeded: n_community, the number
-- of distinct canonical developers who committed or opened a discussion (the repo creator
-- is not added; 0 when neither exists).
with fetched as (
    select repo_type, repo_id
    from {{ ref('stg_hf_hub__fetch_log') }}
    where status = 'ok' and resource in ('commits', 'discussions')
    group by repo_type, repo_id
    having count(distinct resource) = 2
),

members as (
    select repo_type, repo_id, developer from {{ ref('int_commit_authors_resolved') }}
    where developer is not null
    union
    select repo_type, repo_id, developer from {{ ref('int_discussion_authors_resolved') }}
    where developer is not null
),

counted as (
    select repo_type, repo_id, count(*) as n_community
    from members
    group by repo_type, repo_id
)

select
    f.repo_type,
    f.repo_id,
    coalesce(c.n_community, 0) as n_community
from fetched as f
left join counted as c using (repo_type, repo_id)
