-- The first author of each model commit (docs/methods.md §4), after bot removal and identity
-- merging. Decision: the first author is the first *developer* in the commit's author
-- list, i.e. the lowest author_position whose author is neither a bot nor `system`; a
-- commit whose authors are all bots / `system` (or that has no author) has no row and
-- adds no edge. (Taking the raw first author and dropping the commit when it is a bot
-- would lose the human co-author's collaboration.)
select
    repo_id,
    commit_id,
    arg_min(developer, author_position) as developer,
    any_value(committed_at) as committed_at
from {{ ref('int_commit_authors_resolved') }}
where
    repo_type = 'model'
    and developer is not null
group by repo_id, commit_id
