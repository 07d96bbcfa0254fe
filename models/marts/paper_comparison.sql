-- Every published figure of the paper (seed published_figures) beside the warehouse's own
-- value of the same measure (int_paper_figures__rq1/rq2/rq3, keyed by measure, repo_type,
-- network, k). warehouse_value is NULL where the warehouse does not compute the measure
-- (or the crawl lacks the data); difference = warehouse_value − paper_value.
with figures as (
    select measure, repo_type, network, k, warehouse_value from {{ ref('int_paper_figures__rq1') }}
    union all
    select measure, repo_type, network, k, warehouse_value from {{ ref('int_paper_figures__rq2') }}
    union all
    select measure, repo_type, network, k, warehouse_value from {{ ref('int_paper_figures__rq3') }}
)

select
    p.measure,
    p.repo_type,
    p.network,
    cast(p.k as integer) as k,
    cast(p.value as double) as paper_value,
    f.warehouse_value,
    f.warehouse_value - cast(p.value as double) as difference,
    p.unit,
    cast(p.section as varchar) as section
from {{ ref('published_figures') }} as p
left join figures as f
    on
        p.measure = f.measure
        and f.repo_type is not distinct from p.repo_type
        and f.network is not distinct from p.network
        and f.k is not distinct from cast(p.k as integer)
