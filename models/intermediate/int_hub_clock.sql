-- The snapshot's own clock (docs/methods.md §10), one row: the newest time the Hub reported for
-- what counts (repo creation and last modification, commit and discussion dates). Decision: not
-- the crawl's wall clock, so a snapshot crawled later than it was taken (an archived crawl
-- loaded again, the synthetic Hub) ends its months and quarters where its data ends.
select
    greatest(
        (select max(greatest(r.created_at, r.last_modified)) from {{ ref('int_repos_unioned') }} as r),
        (select max(c.committed_at) from {{ ref('int_commits_dated') }} as c),
        (select max(d.created_at) from {{ ref('int_discussions_dated') }} as d)
    ) as hub_time
