-- The discussions and pull requests that count (listed repos whose latest discussions fetch is
-- ok), each with its starter (developer NULL for bots and deleted users:
-- int_discussion_authors_resolved) and its date (docs/methods.md §10).
select
    a.repo_type,
    a.repo_id,
    a.discussion_num,
    a.developer,
    d.created_at
from {{ ref('int_discussion_authors_resolved') }} as a
inner join {{ ref('int_discussions_filtered_to_latest_fetch') }} as d
    on
        a.repo_type = d.repo_type
        and a.repo_id = d.repo_id
        and a.discussion_num = d.discussion_num
