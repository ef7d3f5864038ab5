#!/bin/sh
# greet: greets the person named by the arguments, or the caller. Cog passes the invocation in the environment
# (COG_ARGC, COG_ARGV_0…, COG_OPT_SHOUT, COG_CHAT_HANDLE…) and reads "JSON" + one JSON document per line from stdout.
name=""
i=0
while [ "$i" -lt "${COG_ARGC:-0}" ]; do
  eval "arg=\${COG_ARGV_$i}"
  name="${name:+$name }$arg"
  i=$((i + 1))
done
[ -n "$name" ] || name="${COG_CHAT_HANDLE:-there}"
greeting="Hello, $name!"
[ "${COG_OPT_SHOUT:-}" = "true" ] && greeting=$(printf '%s' "$greeting" | tr '[:lower:]' '[:upper:]')
# JSON-escape backslashes and quotes of what people typed.
escaped=$(printf '%s' "$greeting" | sed 's/\\/\\\\/g; s/"/\\"/g')
echo "JSON"
printf '{"greeting":"%s"}\n' "$escaped"
