-- Model repos as listed: renamed, cast, tags unnested into a list, cardData.license
-- reduced to one string (the first element when the card lists several).
-- Each column's cast is shared with datasets and spaces (macros/staging_helpers.sql).
select
    {{- repo_listing_columns([
        'repo_id', 'namespace', 'author', 'likes', 'downloads', 'downloads_all_time', 'trending_score',
        'tags', 'pipeline_tag', 'library_name', 'created_at', 'last_modified', 'sha', 'gated',
        'card_license', 'safetensors_total', 'first_listed_at', 'last_listed_at', 'is_listed',
    ]) }}
from {{ source('hf_hub', 'models') }}
