#!/bin/sh
# hostnotes:motd -- plain output: every line becomes part of one {"body": [...]} item.
# The working directory is the bundle folder, so bundle files are found by relative path.
set -eu
cat >/dev/null   # the input item is not needed; reading it is optional
echo "COGCMD_DEBUG: reading ${MOTD_FILE}"
cat "${MOTD_FILE}"
