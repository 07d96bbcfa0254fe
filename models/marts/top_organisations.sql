-- Organisations behind the 100 most used and the 100 most co-used models
-- (docs/methods.md §5, §8), per sub-field: one row per (subfield, ranking, organisation)
-- with at least one model in that top 100.
--
-- The top 100 is exactly the first 100 models of model_adoption's tie-breaking
-- order (usage_position / co_usage_position; fewer when the network has fewer
-- models; co_used only counts models with a co-usage edge). When models just
-- outside the cut tie with the 100th on the ranked value (same usage_rank /
-- co_usage_rank), the tie-break decides who is in: n_tied_outside_top_100 says
-- how many were left out, so a reader can see when the cut is arbitrary.
-- share = n_models_in_top_100 / top_size (the shares of a ranking sum to 1).
with ranked as (
    select
        subfield, 'used' as ranking, model_id, organisation,
        usage_position as position, usage_rank as rank_value
    from {{ ref('model_adoption') }}
    union all
    select
        subfield, 'co_used' as ranking, model_id, organisation,
        co_usage_position as position, co_usage_rank as rank_value
    from {{ ref('model_adoption') }}
    where co_usage_position is not null
),

top_models as (
    select * from ranked where position <= 100
),

cut as (
    select
        subfield,
        ranking,
        count(*) as top_size,
        max(case when position = 100 then rank_value end) as rank_at_cut
    from top_models
    group by subfield, ranking
),

ties_outside as (
    select r.subfield, r.ranking, count(*) as n_tied
    from ranked as r
    inner join cut as c on r.subfield = c.subfield and r.ranking = c.ranking
    where r.position > 100 and r.rank_value = c.rank_at_cut
    group by r.subfield, r.ranking
),

counts as (
    select subfield, ranking, organisation, count(*) as n_models_in_top_100
    from top_models
    group by subfield, ranking, organisation
)

select
    n.subfield,
    n.ranking,
    n.organisation,
    n.n_models_in_top_100,
    n.n_models_in_top_100 / c.top_size as share,
    dense_rank() over (
        partition by n.subfield, n.ranking order by n.n_models_in_top_100 desc
    ) as organisation_rank,
    c.top_size,
    coalesce(t.n_tied, 0) as n_tied_outside_top_100
from counts as n
inner join cut as c on n.subfield = c.subfield and n.ranking = c.ranking
left join ties_outside as t on n.subfield = t.subfield and n.ranking = t.ranking
