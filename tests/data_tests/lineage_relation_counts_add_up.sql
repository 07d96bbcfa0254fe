-- Lineage: a family's members by relation add up to its size; edges by source and by relation add up
-- to the edges (lineage_summary), and the drift table holds every edge with a listed parent.
select 'family' as what, root_id as id
from {{ ref('model_families') }}
where n_finetune + n_adapter + n_quantized + n_merge + n_unknown <> n_descendants
union all
select 'sources', null
from {{ ref('lineage_summary') }} as t
where
    t.measure = 'n_edges' and t.value <> (
        select sum(s.value) from {{ ref('lineage_summary') }} as s where s.measure like 'n_edges_source_%'
    )
union all
select 'relation shares', null
from {{ ref('lineage_summary') }}
where measure like 'share_relation_%'
having count(*) > 0 and abs(sum(value) - 1) > 1e-9
union all
select 'drift', null
where
    (select coalesce(sum(n_edges), 0) from {{ ref('lineage_license_drift') }})
    <> (select count(*) from {{ ref('model_lineage') }} where parent_listed)
