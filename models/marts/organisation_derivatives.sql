-- Derivatives by organisation (docs/methods.md §9, §8; the paper's §5.1.3 direction 1): one row
-- per organisation (docs/methods.md §5's seed) one of whose model ids has at least one
-- descendant. n_models: listed models it publishes. n_descendants: distinct models descending
-- (transitively) from any of its model ids, listed or not (a deleted base still had
-- derivatives); n_descendants_by_others: those published under another organisation.
-- share_of_derived_models = n_descendants / listed models with at least one parent. rank: by
-- n_descendants, then organisation name (1 = most); the top 100 are rank <= 100.
with orgs as (
    select model_id, organisation from {{ ref('int_model_lineage_organisations') }}
),

derived as (
    select distinct
        a.organisation,
        c.model_id as descendant_id,
        d.organisation as descendant_organisation
    from {{ ref('int_model_lineage_closure') }} as c
    inner join orgs as a on c.ancestor_id = a.model_id
    inner join orgs as d on c.model_id = d.model_id
    where c.model_id <> c.ancestor_id
),

counted as (
    select
        organisation,
        count(*) as n_descendants,
        count(*) filter (where descendant_organisation <> organisation) as n_descendants_by_others
    from derived
    group by organisation
),

published as (
    select o.organisation, count(*) as n_models
    from {{ ref('int_model_lineage_nodes') }} as n
    inner join orgs as o on n.model_id = o.model_id
    where n.is_listed
    group by o.organisation
),

with_parent as (
    select count(distinct e.child_id) as n from {{ ref('int_model_lineage_edges') }} as e
)

select
    c.organisation,
    coalesce(p.n_models, 0) as n_models,
    c.n_descendants,
    c.n_descendants_by_others,
    cast(c.n_descendants as double) / (select w.n from with_parent as w) as share_of_derived_models,
    row_number() over (order by c.n_descendants desc, c.organisation asc) as rank
from counted as c
left join published as p on c.organisation = p.organisation
