-- marts.license_mwu as it is (small: one row per statistic).
select * from marts.license_mwu
