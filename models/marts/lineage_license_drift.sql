-- License drift along lineage edges (docs/methods.md §9, §8): per relation and pair of license
-- classes (parent, child), over the edges whose parent is listed (both licenses known, §2).
-- Restrictive -> permissive and restrictive -> none are derivatives that relabel a use-restricted
-- parent (possible violations; lineage_summary counts them).
select
    relation,
    parent_license_class,
    child_license_class,
    count(*) as n_edges,
    count(*) filter (where license_changed) as n_license_changed,
    count(*) filter (where license_dropped) as n_license_dropped
from {{ ref('model_lineage') }}
where parent_listed
group by relation, parent_license_class, child_license_class
