-- Rows per raw table and per public mart.
select 'raw' as layer, 'models' as table_name, count(*) as n_rows from raw.models
union all select 'raw', 'datasets', count(*) from raw.datasets
union all select 'raw', 'spaces', count(*) from raw.spaces
union all select 'raw', 'space_models', count(*) from raw.space_models
union all select 'raw', 'commits', count(*) from raw.commits
union all select 'raw', 'discussions', count(*) from raw.discussions
union all select 'marts', 'repo_activity', count(*) from marts.repo_activity
union all select 'marts', 'developers', count(*) from marts.developers
union all select 'marts', 'collab_edges', count(*) from marts.collab_edges
union all select 'marts', 'developer_centrality', count(*) from marts.developer_centrality
union all select 'marts', 'model_usage', count(*) from marts.model_usage
union all select 'marts', 'model_co_usage', count(*) from marts.model_co_usage
union all select 'marts', 'model_adoption', count(*) from marts.model_adoption
