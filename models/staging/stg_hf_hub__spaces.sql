-- Spaces as listed (no downloads on the Hub for spaces), with their SDK.
select
    {{- repo_listing_columns([
        'repo_id', 'namespace', 'author', 'likes', 'trending_score', 'tags', 'created_at',
        'last_modified', 'sha', 'gated', 'card_license', 'first_listed_at', 'last_listed_at',
        'is_listed', 'sdk',
    ]) }}
from {{ source('hf_hub', 'spaces') }}
