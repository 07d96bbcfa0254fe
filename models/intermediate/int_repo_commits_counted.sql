-- Per repo whose latest commits fetch succeeded: n_commits (every commit on the default
-- branch, including system and author-less ones) and n_committers (distinct canonical
-- developers among all authors of all commits; bots and `system` excluded).
-- Repos whose fetch failed or never ran have no row (NULL activity downstream).
with fetched as (
    select repo_type, repo_id
    from {{ ref('stg_hf_hub__fetch_log') }}
    where resource = 'commits' and status = 'ok'
),

commits as (
    select repo_type, repo_id, count(*) as n_commits
    from {{ ref('int_commits_filtered_to_latest_fetch') }}
    group by repo_type, repo_id
),

committers as (
    select repo_type, repo_id, count(distinct developer) as n_committers
    from {{ ref('int_commit_authors_resolved') }}
    group by repo_type, repo_id
)

select
    f.repo_type,
    f.repo_id,
    coalesce(c.n_commits, 0) as n_commits,
    coalesce(a.n_committers, 0) as n_committers
from fetched as f
left join commits as c using (repo_type, repo_id)
left join committers as a using (repo_type, repo_id)
