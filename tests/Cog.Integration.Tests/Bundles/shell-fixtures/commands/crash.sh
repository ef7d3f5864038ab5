#!/bin/sh
# shell-fixtures:crash -- dies from SIGKILL halfway through its output.
cat >/dev/null
echo "about to crash"
kill -KILL $$
