-- Activity per UTC calendar month and repo type (docs/methods.md §10): repos created, commits,
-- active / new / returning / churned developers, active / new discussion starters. Every count
-- of a row is over that repo type's repos only; developers are canonical (bots removed,
-- identities merged), as everywhere in the warehouse. Months run from the first month with any
-- repo created, commit or discussion starter to the month of the snapshot's clock
-- (int_hub_clock), for every repo type the crawl listed; months without activity are zeros.
with created as (
    select repo_type, {{ utc_month('created_at') }} as month
    from {{ ref('int_repos_unioned') }}
    where created_at is not null
),

commits as (
    select repo_type, {{ utc_month('committed_at') }} as month
    from {{ ref('int_commits_dated') }}
    where committed_at is not null
),

committer_months as (
    select distinct repo_type, developer, {{ utc_month('committed_at') }} as month
    from {{ ref('int_commit_developers_dated') }}
    where committed_at is not null
),

starter_months as (
    select distinct repo_type, developer, {{ utc_month('created_at') }} as month
    from {{ ref('int_discussions_dated') }}
    where developer is not null and created_at is not null
),

event_months as (
    select month from created
    union all
    select month from commits
    union all
    select month from starter_months
),

bounds as (
    select
        (select min(e.month) from event_months as e) as first_month,
        {{ utc_month('k.hub_time') }} as last_month
    from {{ ref('int_hub_clock') }} as k
),

repo_types as (
    select distinct repo_type from {{ ref('int_repos_unioned') }}
),

grid as (
    select
        t.repo_type,
        cast(unnest(generate_series(b.first_month, b.last_month, interval 1 month)) as date) as month
    from bounds as b
    cross join repo_types as t
),

created_counts as (
    select repo_type, month, count(*) as n_repos_created
    from created
    group by repo_type, month
),

commit_counts as (
    select repo_type, month, count(*) as n_commits
    from commits
    group by repo_type, month
),

committers as (
    -- new: the developer's first month with a commit in this repo type
    {{ active_and_new_per_month('committer_months') }}
),

churned as (
    -- active in a month and not in the next one: churned in the next month
    select
        d.repo_type,
        cast(d.month + interval 1 month as date) as month,
        count(*) as n_churned
    from committer_months as d
    anti join committer_months as n
        on
            d.repo_type = n.repo_type
            and d.developer = n.developer
            and n.month = cast(d.month + interval 1 month as date)
    group by d.repo_type, cast(d.month + interval 1 month as date)
),

starters as (
    {{ active_and_new_per_month('starter_months') }}
)

select
    g.month,
    g.repo_type,
    coalesce(r.n_repos_created, 0) as n_repos_created,
    coalesce(c.n_commits, 0) as n_commits,
    coalesce(d.n_active, 0) as n_active_developers,
    coalesce(d.n_new, 0) as n_new_developers,
    coalesce(d.n_active, 0) - coalesce(d.n_new, 0) as n_returning_developers,
    coalesce(x.n_churned, 0) as n_churned_developers,
    coalesce(s.n_active, 0) as n_active_disc_starters,
    coalesce(s.n_new, 0) as n_new_disc_starters
from grid as g
left join created_counts as r on g.repo_type = r.repo_type and g.month = r.month
left join commit_counts as c on g.repo_type = c.repo_type and g.month = c.month
left join committers as d on g.repo_type = d.repo_type and g.month = d.month
left join churned as x on g.repo_type = x.repo_type and g.month = x.month
left join starters as s on g.repo_type = s.repo_type and g.month = s.month
order by g.repo_type, g.month
