-- activity_summary: count + n_missing = n_repos, and n_repos matches repo_activity per type.
with repos_per_type as (
    select repo_type, count(*) as n_type
    from {{ ref('repo_activity') }}
    group by repo_type
)

select s.repo_type, s.activity, s.n_repos, s.count, s.n_missing, r.n_type
from {{ ref('activity_summary') }} as s
inner join repos_per_type as r
    using (repo_type)
where s.count + s.n_missing <> s.n_repos or s.n_repos <> r.n_type
