-- Dataset repos as listed (same shape as stg_hf_hub__models, without the model-only fields).
select
    {{- repo_listing_columns([
        'repo_id', 'namespace', 'author', 'likes', 'downloads', 'downloads_all_time', 'trending_score',
        'tags', 'created_at', 'last_modified', 'sha', 'gated', 'card_license', 'first_listed_at',
        'last_listed_at', 'is_listed',
    ]) }}
from {{ source('hf_hub', 'datasets') }}
