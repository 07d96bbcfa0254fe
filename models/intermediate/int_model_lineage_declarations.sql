-- Every base model a listed model declares (docs/methods.md §9): one row per `base_model:` tag
-- and per cardData.base_model entry, self-references included (the edges drop them; the
-- summary counts them). Tags: `base_model:<id>` (2024 form) or `base_model:<relation>:<id>`
-- (since late 2024). Ids are kept as written.
-- Decisions: a tag with more than two ':' after `base_model` is not a declaration (repo ids have
-- no ':'); a relation (in a tag or in the card) counts only when it is one of adapter, finetune,
-- merge, quantized (compared lower-cased), else it is not given; card entries are trimmed, and
-- empty ids (a tag `base_model:`, a card's "" or []) declare nothing.
with models as (
    select
        repo_id as child_id,
        list_filter(tags, lambda t: starts_with(t, 'base_model:')) as lineage_tags,
        card_base_models,
        lower(trim(card_base_model_relation)) as card_relation
    from {{ ref('stg_hf_hub__models') }}
    where coalesce(is_listed, true)
),

tag_rows as (
    select
        m.child_id,
        t.position,
        string_split(substr(t.tag, length('base_model:') + 1), ':') as parts,
        m.card_relation
    from models as m, unnest(m.lineage_tags) with ordinality as t (tag, position)
),

tag_declarations as (
    select
        child_id,
        'tag' as source,
        position,
        parts[len(parts)] as parent_id,
        case when len(parts) = 2 and lower(parts[1]) in {{ lineage_relations_sql() }} then lower(parts[1]) end
            as tag_relation,
        card_relation
    from tag_rows
    where len(parts) <= 2
),

card_declarations as (
    select
        m.child_id,
        'card' as source,
        c.position,
        trim(c.parent_id) as parent_id,
        cast(null as varchar) as tag_relation,
        m.card_relation
    from models as m, unnest(m.card_base_models) with ordinality as c (parent_id, position)
)

select
    child_id,
    source,
    position,
    parent_id,
    tag_relation,
    case when card_relation in {{ lineage_relations_sql() }} then card_relation end as card_relation,
    parent_id = child_id as is_self_reference
from (
    select * from tag_declarations
    union all
    select * from card_declarations
) as declared
where parent_id <> ''
