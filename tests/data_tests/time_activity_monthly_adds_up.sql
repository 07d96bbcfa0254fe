-- activity_monthly adds up to the per-repo counts (docs/methods.md §10): per repo type, its
-- months are consecutive, its commits sum to repo_activity's n_commits, its repos created to the
-- listed repos with a creation date, its new developers to the distinct committers, its new
-- discussion starters to the distinct starters.
with monthly as (
    select
        repo_type,
        count(*) as n_months,
        date_diff('month', min(month), max(month)) + 1 as span,
        sum(n_commits) as n_commits,
        sum(n_repos_created) as n_created,
        sum(n_new_developers) as n_developers,
        sum(n_new_disc_starters) as n_starters
    from {{ ref('activity_monthly') }}
    group by repo_type
),

repos as (
    select
        repo_type,
        coalesce(sum(n_commits), 0) as n_commits,
        count(created_at) as n_created
    from {{ ref('repo_activity') }}
    group by repo_type
),

committers as (
    select repo_type, count(distinct developer) as n_developers
    from {{ ref('int_commit_developers_dated') }}
    group by repo_type
),

starters as (
    select repo_type, count(distinct developer) as n_starters
    from {{ ref('int_discussions_dated') }}
    where developer is not null
    group by repo_type
)

select m.repo_type, 'months not consecutive' as problem from monthly as m where m.n_months <> m.span
union all
select m.repo_type, 'commits' from monthly as m inner join repos as r using (repo_type)
where m.n_commits <> r.n_commits
union all
select m.repo_type, 'repos created' from monthly as m inner join repos as r using (repo_type)
where m.n_created <> r.n_created
union all
select m.repo_type, 'new developers' from monthly as m left join committers as c using (repo_type)
where m.n_developers <> coalesce(c.n_developers, 0)
union all
select m.repo_type, 'new discussion starters' from monthly as m left join starters as s using (repo_type)
where m.n_starters <> coalesce(s.n_starters, 0)
