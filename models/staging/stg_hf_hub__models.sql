-- Model repos as listed: renamed, cast, tags unnested into a list, cardData.license
-- reduced to one string (the first element when the card lists several), cardData.base_model
-- as a list of strings and cardData.base_model_relation as a string (docs/methods.md §9).
-- Each column's cast is shared with datasets and spaces (macros/staging_helpers.sql).
select
    {{- repo_listing_columns([
        'repo_id', 'namespace', 'author', 'likes', 'downloads', 'downloads_all_time', 'trending_score',
        'tags', 'pipeline_tag', 'library_name', 'created_at', 'last_modified', 'sha', 'gated',
        'card_license', 'safetensors_total', 'first_listed_at', 'last_listed_at', 'is_listed',
        'card_base_models', 'card_base_model_relation',
    ]) }}
from {{ source('hf_hub', 'models') }}
