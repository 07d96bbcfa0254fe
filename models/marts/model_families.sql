-- Model families (docs/methods.md §9, §8): one row per root with at least one descendant. A root
-- is a model with no parent, or the smallest id of a cycle with no way out (is_cycle); it may be
-- a parent id no listed model has (root_listed false, e.g. a deleted base). n_descendants = the
-- family's members (model_family_members), n_children = the root's direct children, max_depth =
-- the deepest member's depth; n_<relation> count members by the relation of the edge they
-- enter the family by (they add up to n_descendants); descendant_likes / _downloads sum the
-- members' likes and 30-day downloads. organisation: the root's (docs/methods.md §5's seed).
with members as (
    select f.root_id, f.model_id, f.depth, f.relation, m.likes, m.downloads
    from {{ ref('model_family_members') }} as f
    left join {{ ref('stg_hf_hub__models') }} as m on f.model_id = m.repo_id
),

families as (
    select
        root_id,
        count(*) as n_descendants,
        max(depth) as max_depth,
        count(*) filter (where relation = 'finetune') as n_finetune,
        count(*) filter (where relation = 'adapter') as n_adapter,
        count(*) filter (where relation = 'quantized') as n_quantized,
        count(*) filter (where relation = 'merge') as n_merge,
        count(*) filter (where relation = 'unknown') as n_unknown,
        cast(coalesce(sum(likes), 0) as bigint) as descendant_likes,
        cast(coalesce(sum(downloads), 0) as bigint) as descendant_downloads
    from members
    group by root_id
)

select
    f.root_id,
    o.organisation,
    n.is_listed as root_listed,
    n.cycle_id is not null as is_cycle,
    f.n_descendants,
    n.n_children,
    f.max_depth,
    f.n_finetune,
    f.n_adapter,
    f.n_quantized,
    f.n_merge,
    f.n_unknown,
    f.descendant_likes,
    f.descendant_downloads
from families as f
inner join {{ ref('int_model_lineage_nodes') }} as n on f.root_id = n.model_id
inner join {{ ref('int_model_lineage_organisations') }} as o on f.root_id = o.model_id
