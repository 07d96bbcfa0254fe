-- Every listed repo of the three types in one table (the grain of repo_activity). Repos a
-- full sweep no longer lists (is_listed false: deleted or turned private) are left out.
select 'model' as repo_type, repo_id, author, created_at, last_modified, likes, downloads, downloads_all_time
from {{ ref('stg_hf_hub__models') }}
where coalesce(is_listed, true)
union all
select 'dataset', repo_id, author, created_at, last_modified, likes, downloads, downloads_all_time
from {{ ref('stg_hf_hub__datasets') }}
where coalesce(is_listed, true)
union all
select 'space', repo_id, author, created_at, last_modified, likes, cast(null as bigint), cast(null as bigint)
from {{ ref('stg_hf_hub__spaces') }}
where coalesce(is_listed, true)
