-- Community health per repo (docs/methods.md §11, §8), one row per listed (repo_type, repo_id).
-- Commit columns (n_committers ... absence_factor) are NULL unless the repo's latest commits
-- fetch is ok; discussion and journey columns unless both fetches are (as n_community).
-- absence_factor is also NULL when the repo has no credited commit. A journey: a developer whose
-- first discussion or PR opened in the repo is strictly earlier than their first commit there
-- (Decision: a discussion and a commit at the same instant make no journey, the commit counting
-- as the first activity); days from that discussion to the first commit.
with commits_ok as (
    select repo_type, repo_id from {{ ref('int_repo_fetches_current') }} where resource = 'commits'
),

discussions_ok as (
    select repo_type, repo_id from {{ ref('int_repo_fetches_current') }} where resource = 'discussions'
),

roles as (
    select
        repo_type,
        repo_id,
        count(*) as n_committers,
        cast(sum(n_commits) as bigint) as n_credited_commits,
        count(*) filter (where in_absence_set) as absence_factor,
        count(*) filter (where onion_role = 'core') as n_core,
        count(*) filter (where onion_role = 'regular') as n_regular,
        count(*) filter (where onion_role = 'casual') as n_casual
    from {{ ref('int_repo_developer_roles') }}
    group by repo_type, repo_id
),

journeys as (
    select
        repo_type,
        repo_id,
        developer,
        n_commits,
        n_discussions_opened,
        first_discussion_is_pr,
        coalesce(first_discussion_at < first_commit_at, false) as is_journey,
        (epoch(first_commit_at) - epoch(first_discussion_at)) / 86400.0 as days_to_commit
    from {{ ref('int_repo_developer_activity') }}
),

people as (
    select
        repo_type,
        repo_id,
        count(*) filter (where n_commits = 0 and n_discussions_opened > 0) as n_discussion_only,
        count(*) filter (where is_journey) as n_discussion_to_commit,
        count(*) filter (where is_journey and first_discussion_is_pr) as n_pr_to_commit,
        median(days_to_commit) filter (where is_journey) as median_days_discussion_to_commit,
        median(days_to_commit) filter (where is_journey and first_discussion_is_pr) as median_days_pr_to_commit
    from journeys
    group by repo_type, repo_id
)

select
    r.repo_type,
    r.repo_id,
    case when c.repo_id is not null then coalesce(o.n_committers, 0) end as n_committers,
    case when c.repo_id is not null then coalesce(o.n_credited_commits, 0) end as n_credited_commits,
    case when c.repo_id is not null then o.absence_factor end as absence_factor,
    case when c.repo_id is not null then coalesce(o.n_core, 0) end as n_core,
    case when c.repo_id is not null then coalesce(o.n_regular, 0) end as n_regular,
    case when c.repo_id is not null then coalesce(o.n_casual, 0) end as n_casual,
    case when c.repo_id is not null and d.repo_id is not null then coalesce(p.n_discussion_only, 0) end
        as n_discussion_only,
    case when c.repo_id is not null and d.repo_id is not null then coalesce(p.n_discussion_to_commit, 0) end
        as n_discussion_to_commit,
    case when c.repo_id is not null and d.repo_id is not null then coalesce(p.n_pr_to_commit, 0) end
        as n_pr_to_commit,
    case when c.repo_id is not null and d.repo_id is not null then p.median_days_discussion_to_commit end
        as median_days_discussion_to_commit,
    case when c.repo_id is not null and d.repo_id is not null then p.median_days_pr_to_commit end
        as median_days_pr_to_commit
from {{ ref('int_repos_unioned') }} as r
left join commits_ok as c
    on r.repo_type = c.repo_type and r.repo_id = c.repo_id
left join discussions_ok as d
    on r.repo_type = d.repo_type and r.repo_id = d.repo_id
left join roles as o
    on r.repo_type = o.repo_type and r.repo_id = o.repo_id
left join people as p
    on r.repo_type = p.repo_type and r.repo_id = p.repo_id
