-- paper_comparison holds exactly one row per published figure.
select
    'count differs' as problem, (select count(*) from {{ ref('paper_comparison') }}) as n_comparison,
    (select count(*) from {{ ref('published_figures') }}) as n_published
where (select count(*) from {{ ref('paper_comparison') }}) <> (select count(*) from {{ ref('published_figures') }})
