-- Each developer among a commit's authors (bots and `system` removed, identities merged:
-- int_commit_authors_resolved), with the commit's date (docs/methods.md §10).
select
    a.repo_type,
    a.repo_id,
    a.commit_id,
    a.author_position,
    a.developer,
    c.committed_at
from {{ ref('int_commit_authors_resolved') }} as a
inner join {{ ref('int_commits_dated') }} as c
    on
        a.repo_type = c.repo_type
        and a.repo_id = c.repo_id
        and a.commit_id = c.commit_id
        and a.commit_position = c.commit_position
where a.developer is not null
