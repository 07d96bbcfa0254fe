{#- Lineage helpers (docs/methods.md §9). -#}

{#- The relations a `base_model:<relation>:<id>` tag or cardData.base_model_relation may give,
    as an SQL list for `in`. -#}
{% macro lineage_relations_sql() -%}
    ('adapter', 'finetune', 'merge', 'quantized')
{%- endmacro %}
