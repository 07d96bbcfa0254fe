{#- The UTC calendar month of a timestamptz, as the date of its first day (docs/methods.md §10).
    Through the UTC epoch, not the time zone: date_trunc on a timestamptz would use the
    session's time zone, and timezone('UTC', ...) costs a time-zone lookup per row (31 M
    commits at today's Hub: 13 s, against 2 s this way; the same months, NULL for NULL). -#}
{% macro utc_month(expr) -%}
cast(date_trunc('month', make_timestamp(epoch_us({{ expr }}))) as date)
{%- endmacro %}
