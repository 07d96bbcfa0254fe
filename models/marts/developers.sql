-- One row per developer (canonical id, docs/methods.md §3 and §8), and one per bot account so
-- that bot removal is visible (is_bot = true; a bot's row is keyed by its raw username).
-- A developer is any commit or discussion author after merging; `system` (the Hub's
-- initial commits) and deleted discussion authors are nobody and have no row.
with commit_rows as (
    select
        coalesce(a.developer, a.raw_author) as developer,
        a.raw_author,
        a.is_bot,
        a.repo_type,
        a.repo_id,
        a.commit_id,
        a.committed_at as seen_at
    from {{ ref('int_commit_authors_resolved') }} as a
    where a.developer is not null or a.is_bot
),

discussion_rows as (
    select
        coalesce(a.developer, a.raw_author) as developer,
        a.raw_author,
        a.is_bot,
        a.repo_type,
        a.repo_id,
        a.discussion_num,
        d.created_at as seen_at
    from {{ ref('int_discussion_authors_resolved') }} as a
    left join {{ ref('int_discussions_filtered_to_latest_fetch') }} as d
        on a.repo_type = d.repo_type and a.repo_id = d.repo_id and a.discussion_num = d.discussion_num
    where a.developer is not null or a.is_bot
),

appearances as (
    select developer, raw_author, is_bot, repo_type, repo_id, seen_at from commit_rows
    union all
    select developer, raw_author, is_bot, repo_type, repo_id, seen_at from discussion_rows
),

commit_counts as (
    select
        developer,
        count(distinct case when repo_type = 'model' then repo_id end) as n_model_repos,
        count(distinct row(repo_type, repo_id, commit_id)) as n_commits
    from commit_rows
    group by developer
),

discussion_counts as (
    select developer, count(distinct row(repo_type, repo_id, discussion_num)) as n_discussions
    from discussion_rows
    group by developer
),

people as (
    select
        developer,
        bool_or(is_bot) as is_bot,
        coalesce(list_sort(list_distinct(list(raw_author) filter (where raw_author <> developer))), []::varchar[])
            as aliases,
        count(distinct row(repo_type, repo_id)) as n_repos,
        min(seen_at) as first_seen,
        max(seen_at) as last_seen
    from appearances
    group by developer
)

select
    p.developer,
    p.aliases,
    len(p.aliases) as n_aliases,
    p.is_bot,
    coalesce(c.n_model_repos, 0) as n_model_repos,
    coalesce(c.n_commits, 0) as n_commits,
    coalesce(d.n_discussions, 0) as n_discussions,
    p.n_repos,
    p.first_seen,
    p.last_seen
from people as p
left join commit_counts as c on p.developer = c.developer
left join discussion_counts as d on p.developer = d.developer
