#!/bin/sh
# shell-fixtures:flood -- endless output; the relay stops it at its output limit.
cat >/dev/null
yes "flooding the relay with output"
