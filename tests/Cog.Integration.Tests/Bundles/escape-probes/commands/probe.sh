#!/bin/sh
# Prints its user, its environment, and for every argument (Cog 1.0 passes them as COG_ARGV_0...) whether that path is
# readable, with the start of its content.
echo "JSON"
printf '{"uid":"%s","environment":"%s","reads":[' "$(id -u)" "$(env | tr '\n"\\' ';  ')"
i=0
while [ "$i" -lt "${COG_ARGC:-0}" ]; do
  eval "path=\$COG_ARGV_$i"
  if [ "$i" -gt 0 ]; then printf ','; fi
  if content=$(head -c 200 "$path" 2>/dev/null); then
    printf '{"path":"%s","readable":true,"content":"%s"}' "$path" "$(printf '%s' "$content" | tr -c '[:alnum:]-' ' ')"
  else
    printf '{"path":"%s","readable":false}' "$path"
  fi
  i=$((i + 1))
done
printf ']}\n'
