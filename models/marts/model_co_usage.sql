-- The co-usage network (docs/methods.md §5, §8): undirected, weighted model–model edges,
-- weight n_spaces = number of spaces that use both models. Stored once per pair
-- (model_a < model_b), never a self-pair.
--
-- Pairs are built once, from the spaces that take part in co-usage (a space listing
-- more than var('co_usage_max_models_per_space') models is left out: see
-- int_space_model_pairs_deduplicated), and only pairs that occur are materialised.
-- A sub-field network is the same network restricted to models of that sub-field
-- (both ends in it): restricting the usage network to a sub-field's models and
-- projecting gives exactly these weights, so no second self-join is needed.
with edges as (
    select space_id, model_id
    from {{ ref('int_space_model_pairs_deduplicated') }}
    where in_co_usage
),

pairs as materialized (
    select a.model_id as model_a, b.model_id as model_b, count(*) as n_spaces
    from edges as a
    inner join edges as b
        on a.space_id = b.space_id and a.model_id < b.model_id
    group by a.model_id, b.model_id
),

subfields as (
    select model_id, subfield
    from {{ ref('int_model_subfields') }}
)

select 'all' as subfield, model_a, model_b, n_spaces
from pairs

union all

select sa.subfield, p.model_a, p.model_b, p.n_spaces
from pairs as p
inner join subfields as sa on p.model_a = sa.model_id
inner join subfields as sb on p.model_b = sb.model_id and sa.subfield = sb.subfield
