-- marts.top_organisations as it is (small: one row per statistic).
select * from marts.top_organisations
