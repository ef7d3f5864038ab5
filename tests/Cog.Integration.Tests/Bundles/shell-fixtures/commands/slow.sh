#!/bin/sh
# shell-fixtures:slow -- leaves one line in $MARKER (from the bundle's dynamic configuration), then sleeps.
set -eu
cat >/dev/null
echo "started by ${COG_USERNAME} for ${COG_PIPELINE_ID}" >> "${MARKER}"
sleep "${COG_ARGV_0:-30}"
echo "slept ${COG_ARGV_0:-30} second(s)"
