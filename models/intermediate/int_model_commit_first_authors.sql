-- The first author of each model commit (docs/methods.md §4), after bot removal and identity
-- merging. Decision: the first author is the first *developer* in the commit's author
-- list, i.e. the lowest author_position whose author is neither a bot nor `system`; a
-- commit whose authors are all bots / `system` (or that has no author) has no row and
-- adds no edge. (Taking the raw first author and dropping the commit when it is a bot
-- would lose the human co-author's collaboration.)
-- A commit with one listed author is its one row; only commits with several are grouped
-- (at today's Hub, a group-by of a few rows instead of one of 13 M commits).
with model_authors as (
    select repo_id, commit_id, author_position, n_authors, developer, committed_at
    from {{ ref('int_commit_authors_resolved') }}
    where
        repo_type = 'model'
        and developer is not null
)

select repo_id, commit_id, developer, committed_at
from model_authors
where n_authors = 1

union all

select
    repo_id,
    commit_id,
    arg_min(developer, author_position) as developer,
    any_value(committed_at) as committed_at
from model_authors
where n_authors > 1
group by repo_id, commit_id
