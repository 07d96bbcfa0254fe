-- Lineage edges with the licenses of both ends (docs/methods.md §9, §8): one row per distinct
-- (child, parent), as int_model_lineage_edges. Licenses and classes are docs/methods.md §2's
-- (int_repo_licenses); a parent that is not listed has no known license, so its class and the
-- two drift flags are NULL. Decision: license_changed = the two license ids differ, a missing
-- license counting as a value (licensed parent, unlicensed child is a change); license_dropped =
-- the parent has a license and the child none.
with licenses as (
    select repo_id, license, license_class
    from {{ ref('int_repo_licenses') }}
    where repo_type = 'model'
)

select
    e.child_id,
    e.parent_id,
    e.relation,
    e.relation_source,
    e.source,
    e.parent_listed,
    e.parent_without_namespace,
    c.license as child_license,
    c.license_class as child_license_class,
    case when e.parent_listed then p.license end as parent_license,
    case when e.parent_listed then p.license_class end as parent_license_class,
    case when e.parent_listed then (c.license is distinct from p.license) end as license_changed,
    case when e.parent_listed then p.license is not null and c.license is null end as license_dropped
from {{ ref('int_model_lineage_edges') }} as e
left join licenses as c on e.child_id = c.repo_id
-- (the join on the ids alone, parent_listed applied above: with `and e.parent_listed` in this
-- condition DuckDB 1.4 plans a nested-loop join, which ran for over 13 minutes at today's Hub)
left join licenses as p on e.parent_id = p.repo_id
