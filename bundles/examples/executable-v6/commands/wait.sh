#!/bin/sh
# hostnotes:wait -- sleeps COG_ARGV_0 seconds, then says so. Past the command's timeout (2s) the relay
# kills it, and its children with it.
set -eu
seconds=${COG_ARGV_0:-1}
sleep "${seconds}"
echo "Waited ${seconds} second(s)."
