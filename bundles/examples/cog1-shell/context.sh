#!/usr/bin/env bash
# shelldemo:context -- prints what a command receives: every environment variable and stdin.
# Useful when writing a bundle: run `shelldemo:context --verbose a 2` in chat, or pipe into it.
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

stdin=$(cat; echo x)   # the trailing x keeps the final newline, which $(...) would strip
stdin=${stdin%x}

echo "COGCMD_DEBUG: context invoked by ${COG_USERNAME}"
echo "JSON"
printf '{"stdin":%s,"env":{' "$(json_string "$stdin")"
first=1
# env -0 also lists names bash cannot hold, such as COG_OPT_DRY-RUN.
while IFS= read -r -d '' entry; do
  name=${entry%%=*}
  case "$name" in PWD | SHLVL | _) continue ;; esac   # set by bash itself
  [ "$first" -eq 1 ] || printf ','
  first=0
  printf '%s:%s' "$(json_string "$name")" "$(json_string "${entry#*=}")"
done < <(env -0)
printf '}}\n'
