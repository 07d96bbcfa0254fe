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
        a.n_authors,
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

-- The commit rows (tens of millions at today's Hub) grouped once, by developer and repo; a
-- commit with one listed author is one commit of its one row, so only commits with several
-- authors are counted distinct (one person may be listed twice, under two merged spellings).
commit_repos as (
    select
        developer,
        repo_type,
        repo_id,
        bool_or(is_bot) as is_bot,
        count(*) filter (where n_authors = 1) as n_single_author_commits,
        min(seen_at) as first_seen,
        max(seen_at) as last_seen
    from commit_rows
    group by developer, repo_type, repo_id
),

multi_author_commits as (
    select developer, count(distinct row(repo_type, repo_id, commit_id)) as n_commits
    from commit_rows
    where n_authors > 1
    group by developer
),

commit_counts as (
    select
        developer,
        count(*) filter (where repo_type = 'model') as n_model_repos,
        sum(n_single_author_commits) as n_single_author_commits
    from commit_repos
    group by developer
),

discussion_counts as (
    select developer, count(distinct row(repo_type, repo_id, discussion_num)) as n_discussions
    from discussion_rows
    group by developer
),

repos as (
    select developer, is_bot, repo_type, repo_id, first_seen, last_seen from commit_repos
    union all
    select developer, is_bot, repo_type, repo_id, seen_at as first_seen, seen_at as last_seen from discussion_rows
),

people as (
    select
        developer,
        bool_or(is_bot) as is_bot,
        count(distinct row(repo_type, repo_id)) as n_repos,
        min(first_seen) as first_seen,
        max(last_seen) as last_seen
    from repos
    group by developer
),

aliases as (
    select developer, list_sort(list_distinct(list(raw_author))) as aliases
    from (
        select developer, raw_author from commit_rows where raw_author <> developer
        union all
        select developer, raw_author from discussion_rows where raw_author <> developer
    ) as renamed
    group by developer
)

select
    p.developer,
    coalesce(a.aliases, []::varchar[]) as aliases,
    len(coalesce(a.aliases, []::varchar[])) as n_aliases,
    p.is_bot,
    coalesce(c.n_model_repos, 0) as n_model_repos,
    (coalesce(c.n_single_author_commits, 0) + coalesce(m.n_commits, 0))::bigint as n_commits,
    coalesce(d.n_discussions, 0) as n_discussions,
    p.n_repos,
    p.first_seen,
    p.last_seen
from people as p
left join commit_counts as c on p.developer = c.developer
left join multi_author_commits as m on p.developer = m.developer
left join discussion_counts as d on p.developer = d.developer
left join aliases as a on p.developer = a.developer
