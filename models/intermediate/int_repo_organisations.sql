-- The organisation behind every listed repo (docs/methods.md §11's elephant factor), by the one
-- rule of docs/methods.md §5 (macros/model_organisations.sql): the namespace mapped through the
-- seed `organisations`, an unmapped namespace standing for itself. Decision: the seed's
-- legacy_id rows name model ids, so a legacy dataset id without namespace (squad, glue) stands
-- for itself, never for an organisation whose legacy model has the same id.
with model_ids as (
    select repo_id as model_id from {{ ref('int_repos_unioned') }} where repo_type = 'model'
),

other_repos as (
    select repo_type, repo_id from {{ ref('int_repos_unioned') }} where repo_type <> 'model'
),

other_ids as (
    select distinct repo_id as model_id from other_repos
),

model_orgs as (
    {{ model_organisations('model_ids') }}
),

other_orgs as (
    {{ model_organisations('other_ids') }}
)

select
    'model' as repo_type,
    m.model_id as repo_id,
    m.namespace,
    m.organisation,
    m.organisation_source
from model_orgs as m
union all
select
    r.repo_type,
    r.repo_id,
    o.namespace,
    case when o.namespace is null then r.repo_id else o.organisation end,
    case when o.namespace is null then 'repo_id' else o.organisation_source end
from other_repos as r
inner join other_orgs as o on r.repo_id = o.model_id
