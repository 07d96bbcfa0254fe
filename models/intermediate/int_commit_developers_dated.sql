-- Each developer among a commit's authors (bots and `system` removed, identities merged:
-- int_commit_authors_resolved, which carries the commit's date), with the commit's date
-- (docs/methods.md §10). A view: a filter of that table, nothing to copy.
{{ config(materialized='view') }}

select
    repo_type,
    repo_id,
    commit_id,
    author_position,
    developer,
    committed_at
from {{ ref('int_commit_authors_resolved') }}
where developer is not null
