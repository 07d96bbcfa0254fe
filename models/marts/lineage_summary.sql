-- Lineage headlines (docs/methods.md §9, §8): one row per measure, value as a double.
--   n_models, n_models_with_parent, share_with_parent, n_models_with_several_parents,
--   share_with_several_parents (>= 2 parents): over listed models;
--   n_edges, n_edges_source_<tag|card|both>, n_edges_parent_unlisted,
--   n_edges_parent_without_namespace, share_relation_<relation> (of edges);
--   n_families, family_size_<max|mean|median|gini>, family_size_pareto_share_<threshold>
--   (share of families holding that share of all family members, per var('pareto_thresholds'),
--   as docs/methods.md §2's Pareto share; Gini as activity_pareto's);
--   depth_<mean|p50|p90|p99|max>: lineage depth of the models with a parent (p = linear
--   interpolation, as activity_summary);
--   self_references_dropped (models declaring themselves), n_cycles (sets of models on a cycle),
--   n_cycles_without_way_out, n_models_on_cycles;
--   n_edges_license_changed, n_edges_license_dropped, n_edges_restrictive_to_permissive,
--   n_edges_restrictive_to_none (edges with a listed parent).
-- Shares and statistics are NULL when their population is empty.
with models as (
    select * from {{ ref('int_model_lineage_nodes') }} where is_listed
),

edges as (
    select * from {{ ref('model_lineage') }}
),

families as (
    select n_descendants as size from {{ ref('model_families') }}
),

ranked as (
    select
        cast(size as double) as size,
        row_number() over (order by size desc) as rank_desc,
        row_number() over (order by size asc) as rank_asc,
        sum(size) over (order by size desc rows between unbounded preceding and current row) as cum_size,
        count(*) over () as n,
        sum(size) over () as total
    from families
),

thresholds as (
    select cast(unnest({{ var('pareto_thresholds') }}) as double) as threshold
),

pareto as (
    select
        'family_size_pareto_share_' || cast(t.threshold as varchar) as measure,
        cast(min(r.rank_desc) as double) / max(r.n) as value
    from thresholds as t
    left join ranked as r on r.cum_size >= t.threshold * r.total
    group by t.threshold
),

cycles as (
    select distinct cycle_id, cycle_without_way_out
    from {{ ref('int_model_lineage_nodes') }}
    where cycle_id is not null
),

declared_self as (
    select count(distinct child_id) as n
    from {{ ref('int_model_lineage_declarations') }}
    where is_self_reference
),

measures as (
    select 'n_models' as measure, cast(count(*) as double) as value from models
    union all
    select 'n_models_with_parent', count(*) filter (where n_parents >= 1) from models
    union all
    select 'share_with_parent', avg(case when n_parents >= 1 then 1.0 else 0.0 end) from models
    union all
    select 'n_models_with_several_parents', count(*) filter (where n_parents >= 2) from models
    union all
    select 'share_with_several_parents', avg(case when n_parents >= 2 then 1.0 else 0.0 end) from models
    union all
    select 'n_edges', count(*) from edges
    union all
    select 'n_edges_source_' || s.source, count(e.child_id)
    from (values ('tag'), ('card'), ('both')) as s (source)
    left join edges as e on s.source = e.source
    group by s.source
    union all
    select 'n_edges_parent_unlisted', count(*) filter (where not parent_listed) from edges
    union all
    select 'n_edges_parent_without_namespace', count(*) filter (where parent_without_namespace) from edges
    union all
    select 'share_relation_' || r.relation, count(e.child_id) / nullif((select count(*) from edges), 0)
    from (values ('finetune'), ('adapter'), ('quantized'), ('merge'), ('unknown')) as r (relation)
    left join edges as e on r.relation = e.relation
    group by r.relation
    union all
    select 'n_families', count(*) from families
    union all
    select 'family_size_max', max(size) from families
    union all
    select 'family_size_mean', avg(size) from families
    union all
    select 'family_size_median', quantile_cont(size, 0.5) from families
    union all
    select
        'family_size_gini',
        case
            when max(total) > 0
                then 2.0 * sum(rank_asc * size) / (max(n) * max(total)) - (max(n) + 1.0) / max(n)
        end
    from ranked
    union all
    select measure, value from pareto
    union all
    select 'depth_mean', avg(depth) filter (where n_parents >= 1) from models
    union all
    select 'depth_p50', quantile_cont(depth, 0.5) filter (where n_parents >= 1) from models
    union all
    select 'depth_p90', quantile_cont(depth, 0.9) filter (where n_parents >= 1) from models
    union all
    select 'depth_p99', quantile_cont(depth, 0.99) filter (where n_parents >= 1) from models
    union all
    select 'depth_max', max(depth) filter (where n_parents >= 1) from models
    union all
    select 'self_references_dropped', n from declared_self
    union all
    select 'n_cycles', count(*) from cycles
    union all
    select 'n_cycles_without_way_out', count(*) filter (where cycle_without_way_out) from cycles
    union all
    select 'n_models_on_cycles', count(*) filter (where cycle_id is not null)
    from {{ ref('int_model_lineage_nodes') }}
    union all
    select 'n_edges_license_changed', count(*) filter (where license_changed) from edges
    union all
    select 'n_edges_license_dropped', count(*) filter (where license_dropped) from edges
    union all
    select
        'n_edges_restrictive_to_permissive',
        count(*) filter (where parent_license_class = 'restrictive' and child_license_class = 'permissive')
    from edges
    union all
    select
        'n_edges_restrictive_to_none',
        count(*) filter (where parent_license_class = 'restrictive' and child_license_class = 'none')
    from edges
)

select measure, cast(value as double) as value from measures
