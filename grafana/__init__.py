"""edgelog's Grafana dashboards as code (grafanalib), their alert rules and provisioning."""
