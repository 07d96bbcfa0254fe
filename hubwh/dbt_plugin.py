"""A dbt-duckdb plugin (profiles.yml `plugins:`) giving dbt's connections what hubwh gives its own,
whoever runs dbt (`hubwh build` or `dbt build`):
- the extensions' configuration (hubwh.lake.extension_config: the duckdb-ext-* packages' folder,
  automatic install and load off), set before dbt-duckdb connects and loads extensions;
- the profile's memory_limit as a size: DuckDB 1.4 takes no share such as the default `50%`, so a
  share becomes a size of the machine's memory (hubwh.duckdb_settings.absolute_memory) before
  dbt-duckdb applies the settings."""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from hubwh.duckdb_settings import absolute_memory
from hubwh.lake import extension_config


class Plugin(BasePlugin):
    def update_connection_config(self, creds, config) -> None:
        config.update(extension_config())
        settings = creds.settings or {}
        value = str(settings.get("memory_limit", "")).strip()
        if value.endswith("%"):
            settings["memory_limit"] = absolute_memory(value)
