#!/bin/sh
# PUT the value (a JSON string) under "note"; the service answers it back.
stored=$(curl -sS -f -X PUT -H "Authorization: pipeline $COG_SERVICE_TOKEN" -H "Content-Type: application/json" \
  --data "\"$COG_ARGV_0\"" "$COG_SERVICES_ROOT/v1/services/memory/1.0.0/note") || { echo "PUT failed: ${COG_SERVICES_ROOT:-no COG_SERVICES_ROOT}" >&2; exit 1; }
echo "JSON"
echo "{\"stored\": $stored}"
