#!/bin/sh
# Keeps HOLDER_SECRET (the bundle's configuration) in a live process's environment for COG_ARGV_0 seconds.
sleep "${COG_ARGV_0:-10}"
echo '{"held":true}'
