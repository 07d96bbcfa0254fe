-- marts.activity_lorenz as it is (small: one row per statistic).
select * from marts.activity_lorenz
