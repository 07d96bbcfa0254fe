-- License of every listed repo (docs/methods.md §2): the value of its first `license:` tag (what
-- the reference scripts take), else cardData.license; class from seed license_classes
-- ('unclassified' for ids the seed lacks, 'none' without license). A few real tags carry
-- YAML debris ("license: mit\nsize_categories..."): the value is the tag's first line, trimmed.
-- Decision: a cardData fallback is lower-cased, as the Hub's license ids (and tags) are, and
-- free-text spellings are mapped to ids through seed license_aliases, so a card's "MIT" or
-- "MIT License" counts as mit rather than as a license of its own.
with repos as (
    select 'model' as repo_type, repo_id, tags, card_license from {{ ref('stg_hf_hub__models') }}
    union all
    select 'dataset', repo_id, tags, card_license from {{ ref('stg_hf_hub__datasets') }}
    union all
    select 'space', repo_id, tags, card_license from {{ ref('stg_hf_hub__spaces') }}
),

picked as (
    select
        repo_type,
        repo_id,
        nullif(trim(split_part(substr(
            list_filter(tags, lambda t: starts_with(t, 'license:'))[1], 9
        ), chr(10), 1)), '') as tag_license,
        nullif(lower(trim(card_license)), '') as card_license
    from repos
),

named as (
    select
        p.repo_type,
        p.repo_id,
        p.tag_license,
        coalesce(a.license, p.card_license) as card_license
    from picked as p
    left join {{ ref('license_aliases') }} as a
        on p.card_license = a.alias
)

select
    p.repo_type,
    p.repo_id,
    coalesce(p.tag_license, p.card_license) as license,
    case
        when p.tag_license is not null then 'tag'
        when p.card_license is not null then 'card'
    end as license_source,
    case
        when coalesce(p.tag_license, p.card_license) is null then 'none'
        else coalesce(c.license_class, 'unclassified')
    end as license_class
from named as p
left join {{ ref('license_classes') }} as c
    on c.license = lower(coalesce(p.tag_license, p.card_license))
