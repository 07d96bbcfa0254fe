-- Lineage edges child -> parent (docs/methods.md §9): one row per distinct (child, parent) of the
-- declarations, the union of tags and card; self-references dropped (counted in lineage_summary).
-- Decision: relation = the relation of the first relation-form tag naming that parent (tag
-- order), else the card's base_model_relation, else 'unknown'; source = 'tag', 'card' or 'both'.
-- Ids are kept as written: a parent that matches no listed model (deleted, private, a legacy id
-- the Hub now redirects, a typo) keeps its edge with parent_listed = false.
with declarations as (
    select * from {{ ref('int_model_lineage_declarations') }}
    where not is_self_reference
),

listed as (
    select repo_id from {{ ref('stg_hf_hub__models') }}
    where coalesce(is_listed, true)
),

grouped as (
    select
        child_id,
        parent_id,
        arg_min(tag_relation, position) filter (where source = 'tag' and tag_relation is not null)
            as tag_relation,
        max(card_relation) as card_relation,
        bool_or(source = 'tag') as in_tags,
        bool_or(source = 'card') as in_card
    from declarations
    group by child_id, parent_id
)

select
    g.child_id,
    g.parent_id,
    coalesce(g.tag_relation, g.card_relation, 'unknown') as relation,
    case
        when g.tag_relation is not null then 'tag'
        when g.card_relation is not null then 'card'
        else 'none'
    end as relation_source,
    case when g.in_tags and g.in_card then 'both' when g.in_tags then 'tag' else 'card' end as source,
    l.repo_id is not null as parent_listed,
    strpos(g.parent_id, '/') = 0 as parent_without_namespace
from grouped as g
left join listed as l
    on g.parent_id = l.repo_id
