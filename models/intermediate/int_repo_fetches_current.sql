-- The per-repo resources that count (docs/methods.md §0): listed repos whose latest fetch of that
-- resource (commits or discussions) is ok. A repo that turned gated / private / deleted, or
-- left the listing, keeps its old rows in staging (last_ok_at) but is absent here.
select f.repo_type, f.repo_id, f.resource
from {{ ref('stg_hf_hub__fetch_log') }} as f
inner join {{ ref('int_repos_unioned') }} as r
    on f.repo_type = r.repo_type and f.repo_id = r.repo_id
where f.status = 'ok'
