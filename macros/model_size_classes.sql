{#- The model size classes of docs/methods.md §12, by safetensors parameters, in order: (label,
    lower bound inclusive, upper bound exclusive; none = open), then 'unknown' for models without
    safetensors metadata. The one definition: int_model_sizes classifies with it,
    model_size_activity lists every class from it. -#}
{% macro model_size_classes() -%}
    {{ return([
        ('<100M', none, 100000000),
        ('100M-1B', 100000000, 1000000000),
        ('1B-10B', 1000000000, 10000000000),
        ('10B-100B', 10000000000, 100000000000),
        ('>=100B', 100000000000, none),
        ('unknown', none, none),
    ]) }}
{%- endmacro %}

{#- The size class of a parameter count (a column or expression): NULL gives 'unknown'. -#}
{% macro model_size_class(parameters) -%}
    case
        when {{ parameters }} is null then 'unknown'
    {%- for label, lower, upper in model_size_classes() if label != 'unknown' %}
        {% if upper is not none %}when {{ parameters }} < {{ upper }} then{% else %}else{% endif %} '{{ label }}'
    {%- endfor %}
    end
{%- endmacro %}

{#- Every size class with its rank (unknown last), as a query: (size_class, size_class_rank). -#}
{% macro model_size_class_ranks() -%}
    select c.size_class, c.size_class_rank
    from (
        values
        {%- for label, lower, upper in model_size_classes() %}
            ('{{ label }}', {{ loop.index }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as c (size_class, size_class_rank)
{%- endmacro %}
