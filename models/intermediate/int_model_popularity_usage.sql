-- Likes, downloads and usage degree of every listed model, per sub-field (docs/methods.md
-- §5, likes vs usage): the input of usage_correlations. A listed model used by no
-- space has n_spaces = 0 (as repo_activity.n_usage_spaces), and NULL when the crawl
-- listed no space at all (usage unknown, not 0). 'all' holds every listed model; a
-- sub-field holds its listed models (int_model_subfields).
with spaces_crawled as (
    select count(*) > 0 as any_space from {{ ref('stg_hf_hub__spaces') }}
),

listed as (
    select repo_id as model_id, likes, downloads
    from {{ ref('stg_hf_hub__models') }}
    where is_listed
),

membership as (
    select 'all' as subfield, model_id from listed
    union all
    select s.subfield, s.model_id
    from {{ ref('int_model_subfields') }} as s
    inner join listed as l on s.model_id = l.model_id
)

select
    m.subfield,
    m.model_id,
    l.likes,
    l.downloads,
    case when (select sc.any_space from spaces_crawled as sc) then coalesce(a.n_spaces, 0) end as n_spaces
from membership as m
inner join listed as l on m.model_id = l.model_id
left join {{ ref('model_adoption') }} as a
    on m.subfield = a.subfield and m.model_id = a.model_id
