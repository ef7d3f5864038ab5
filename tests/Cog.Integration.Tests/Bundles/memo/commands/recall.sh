#!/bin/sh
value=$(curl -sS -f -H "Authorization: pipeline $COG_SERVICE_TOKEN" "$COG_SERVICES_ROOT/v1/services/memory/1.0.0/note") || { echo "GET failed: ${COG_SERVICES_ROOT:-no COG_SERVICES_ROOT}" >&2; exit 1; }
echo "JSON"
echo "{\"recalled\": $value}"
