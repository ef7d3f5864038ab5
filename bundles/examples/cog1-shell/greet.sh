#!/usr/bin/env bash
# shelldemo:greet -- a Cog 1.0 command in bash.
# Arguments arrive as COG_ARGC / COG_ARGV_<n>, options as COG_OPT_<NAME> (list options as
# COG_OPT_<NAME>_COUNT and COG_OPT_<NAME>_<i>), the input item as JSON on stdin.
set -euo pipefail

json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

input=$(cat)   # the previous stage's item ({} for the first stage)

# Log lines go to the relay's log, not to chat.
echo "COGCMD_INFO: greeting ${COG_ARGC} name(s) for ${COG_CHAT_HANDLE} in ${COG_ROOM}"

# COG_OPT_DRY-RUN is not a shell identifier; Cog for .NET also exports COG_OPT_DRY_RUN.
if [ "${COG_OPT_DRY_RUN:-false}" = "true" ]; then
  echo "COGCMD_ACTION: abort"
  echo "Dry run: ${COG_ARGC} name(s) not greeted."
  exit 0
fi

if [ "${COG_ARGC}" -eq 0 ]; then
  echo "Give at least one name to greet." >&2
  exit 2
fi

greeting=${COG_OPT_GREETING:-Hello}
tags="["
for ((i = 0; i < ${COG_OPT_TAG_COUNT:-0}; i++)); do
  var="COG_OPT_TAG_$i"
  [ "$i" -gt 0 ] && tags+=","
  tags+=$(json_string "${!var}")
done
tags+="]"

echo "COG_TEMPLATE: greeting"
echo "JSON"
printf '['
for ((i = 0; i < COG_ARGC; i++)); do
  var="COG_ARGV_$i"
  [ "$i" -gt 0 ] && printf ','
  printf '{"greeting":%s,"name":%s,"punctuation":%s,"tags":%s,"input":%s}' \
    "$(json_string "$greeting")" "$(json_string "${!var}")" "$(json_string "${GREET_PUNCTUATION:-}")" "$tags" "$input"
done
printf ']\n'
