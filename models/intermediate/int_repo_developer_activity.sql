-- Each developer's activity in each repo (docs/methods.md §11), one row per (repo, developer) who
-- authored a commit or opened a discussion there: bots removed and identities merged
-- (int_commit_authors_resolved, int_discussion_authors_resolved), only the Hub as it stands
-- (listed repos, latest successful fetch of each resource).
-- n_commits: the commits crediting the developer; a commit with several authors credits each of
-- them one commit, and two spellings of one person on the same commit credit that person once.
-- first_commit_at: their earliest commit. n_discussions_opened, first_discussion_at: the
-- discussions and pull requests they opened, and the earliest; first_discussion_num /
-- first_discussion_is_pr: that earliest one (Decision: ties on created_at go to the lower number).
with credited as (
    -- a commit with one listed author credits its one row; only commits with several are made
    -- distinct (one person listed twice, under two merged spellings)
    select repo_type, repo_id, commit_id, developer, committed_at
    from {{ ref('int_commit_authors_resolved') }}
    where developer is not null and n_authors = 1
    union all
    select distinct repo_type, repo_id, commit_id, developer, committed_at
    from {{ ref('int_commit_authors_resolved') }}
    where developer is not null and n_authors > 1
),

commits as (
    select
        repo_type,
        repo_id,
        developer,
        count(*) as n_commits,
        min(committed_at) as first_commit_at
    from credited
    group by repo_type, repo_id, developer
),

opened as (
    select
        a.repo_type,
        a.repo_id,
        a.developer,
        a.discussion_num,
        a.is_pull_request,
        d.created_at
    from {{ ref('int_discussion_authors_resolved') }} as a
    left join {{ ref('int_discussions_filtered_to_latest_fetch') }} as d
        on
            a.repo_type = d.repo_type
            and a.repo_id = d.repo_id
            and a.discussion_num = d.discussion_num
    where a.developer is not null
),

discussions as (
    select
        repo_type,
        repo_id,
        developer,
        count(*) as n_discussions_opened,
        min(created_at) as first_discussion_at,
        first(discussion_num order by created_at asc, discussion_num asc) as first_discussion_num,
        first(is_pull_request order by created_at asc, discussion_num asc) as first_discussion_is_pr
    from opened
    group by repo_type, repo_id, developer
)

select
    coalesce(c.repo_type, d.repo_type) as repo_type,
    coalesce(c.repo_id, d.repo_id) as repo_id,
    coalesce(c.developer, d.developer) as developer,
    coalesce(c.n_commits, 0) as n_commits,
    c.first_commit_at,
    coalesce(d.n_discussions_opened, 0) as n_discussions_opened,
    d.first_discussion_at,
    d.first_discussion_num,
    d.first_discussion_is_pr
from commits as c
full outer join discussions as d
    on
        c.repo_type = d.repo_type
        and c.repo_id = d.repo_id
        and c.developer = d.developer
