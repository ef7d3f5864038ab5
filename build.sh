#!/usr/bin/env bash
# Cog for .NET: one entry point for building, testing and benchmarking.
#
#   ./build.sh run      build and start Cog: SQLite store, embedded broker, a local relay serving bundles/examples
#                       (data in ./.cog; extra arguments go to the server, e.g. --Cog:Api:Urls=http://0.0.0.0:4000)
#   ./build.sh cogctl   run cogctl (builds it first when needed), e.g. ./build.sh cogctl pipeline run 'echo hi'
#   ./build.sh test     restore, build and run every test (what CI runs)
#   ./build.sh bench    run the BenchmarkDotNet micro-benchmarks (Release); also `bench relay-latency [N]`,
#                       `bench worker-start [N]`, `bench worker-channel [N]`, `bench chat-to-reply [N]` and
#                       `bench dev-edit [N]` (docs/benchmarks.md)
#   ./build.sh pack     pack what bundle authors use (Cog.Sdk, Cog.Sdk.Testing, Cog.Templates) and the cogctl .NET tool
#                       into a local feed, ./artifacts/packages unless a folder is given (docs/bundles.md)
#   ./build.sh package  the Debian packages cog-server, cog-relay and cogctl (self-contained linux-x64, from packaging/)
#                       into ./artifacts/debian unless a folder is given (docs/operations.md, "Install from the packages")
#   ./build.sh screenshots  take the web console's pictures for the README (docs/images/console-*.png)
#
# Works on a fresh Debian machine as root: it installs what the tests need and says so.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET 10 SDK is required (dotnet on PATH); global.json pins 10.0.x." >&2
    exit 1
  fi
}

# The tests start their own real services (on free loopback ports, in temporary folders); here we only make sure
# the Debian packages they run are installed.
need_test_packages() {
  local missing=()
  [ -x /usr/sbin/mosquitto ] && [ -x /usr/bin/mosquitto_passwd ] || missing+=(mosquitto)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  # The web console's browser tests drive Debian's Chromium (never a downloaded browser).
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # The relay confines bundle code with bubblewrap; its sandbox tests run real probes through it.
  [ -x /usr/bin/bwrap ] || missing+=(bubblewrap)
  # Docker bundles run in containers: the tests build a busybox image and run it through Podman's Docker-compatible
  # API, with runc (crun, podman's default, refuses hosts whose cgroups are mounted in hybrid mode, as CI's are).
  [ -x /usr/bin/podman ] || missing+=(podman)
  [ -x /usr/sbin/runc ] || missing+=(runc)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  # The metrics test has a real Prometheus scrape a server's /metrics and answer a histogram query.
  [ -x /usr/bin/prometheus ] || missing+=(prometheus)
  # The Debian packages' test checks their systemd units with systemd-analyze verify.
  [ -x /usr/bin/systemd-analyze ] || missing+=(systemd)
  # The container test makes its base image with debootstrap (no image registry is reachable) and builds with podman.
  [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  # The failover tests put two servers behind HAProxy (health-checked on /health/ready) and kill one.
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  # The PostgreSQL failover test runs a Patroni cluster (a primary and a synchronous standby) with etcd as its store.
  [ -x /usr/bin/patroni ] && [ -x /usr/bin/etcd ] || missing+=(patroni etcd-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: the tests need these Debian packages: ${missing[*]} (run as root, or install them)." >&2
    exit 1
  fi
  echo "build.sh: installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

cmd_test() {
  need_dotnet
  need_test_packages
  local results; results="$(pwd)/.tmp/test-results"
  rm -rf "$results"; mkdir -p "$results"
  local status=0
  dotnet build Cog.sln -c Release -warnaserror --nologo -v quiet || exit $?
  dotnet test --solution Cog.sln -c Release --no-build \
    --results-directory "$results" --report-xunit-trx 2>&1 | tee "$results/console.txt" || status=$?
  summarize "$results"
  return $status
}

# One closing line that any reader of CI logs can take in at a glance: "N passed, N failed, N skipped", from the test
# platform's own totals at the end of the run's output (not from the per-assembly .trx files: one run wrote 16 files for
# its 17 test assemblies, and the line undercounted by a whole assembly).
summarize() {
  python3 - "$1/console.txt" <<'PY' 2>/dev/null || true
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
def last(name):
    found = re.findall(rf"^\s*{name}:\s*(\d+)\s*$", text, re.M)
    return int(found[-1]) if found else None
passed, failed, skipped = last("succeeded"), last("failed"), last("skipped")
if passed is not None and failed is not None:
    print(f"Tests: {passed} passed, {failed} failed, {skipped or 0} skipped")
PY
}

# The server and the relay it starts in dev mode are built together (the server's project builds the relay first).
# On a fresh clone that means restoring packages and compiling every project (minutes on a small machine), so each step
# says what it does and dotnet shows its own progress: the live view on a terminal, a line per project built otherwise.
cmd_run() {
  need_dotnet
  echo "build.sh: building the server, the relay and the web console (a fresh clone restores packages first: a few minutes) ..."
  dotnet build runtime/Cog.Server -c Release --nologo -v minimal -clp:NoSummary || exit $?
  echo "build.sh: building the example bundle bundles/examples/echo-assembly ..."
  dotnet build bundles/examples/echo-assembly -c Release --nologo -v minimal -clp:NoSummary || exit $?
  mkdir -p .cog
  echo "build.sh: starting Cog (data in ./.cog, the example bundles served from bundles/examples) ..."
  exec dotnet runtime/Cog.Server/bin/Release/net10.0/cog.dll \
    --Cog:DataDirectory="$(pwd)/.cog" --Cog:Dev:Bundles="$(pwd)/bundles/examples" "$@"
}

cmd_cogctl() {
  need_dotnet
  local dll=runtime/Cog.Cli/bin/Release/net10.0/cogctl.dll
  if [ ! -f "$dll" ] || [ -n "$(find runtime/Cog.Cli runtime/Cog.Language runtime/Cog.Manifest -name '*.cs' -newer "$dll" -print -quit)" ]; then
    dotnet build runtime/Cog.Cli -c Release --nologo -v quiet >&2 || exit $?
  fi
  exec dotnet "$dll" "$@"
}

cmd_screenshots() {
  need_dotnet
  need_test_packages
  dotnet build tests/Cog.Web.Tests -c Release --nologo -v quiet || exit $?
  COG_SCREENSHOTS="$(pwd)/docs/images" dotnet test --project tests/Cog.Web.Tests -c Release --no-build -- --filter-class '*ConsoleScreenshots*'
}

# The packable projects (IsPackable=true: the bundle author's packages and the cogctl tool) of the solution, into one
# folder feed.
cmd_pack() {
  need_dotnet
  local feed="${1:-artifacts/packages}"
  dotnet pack Cog.sln -c Release -o "$feed" --nologo -v quiet || exit $?
  echo "build.sh: packages in $feed:"
  ls "$feed"
}

# The Debian packages (docs/operations.md, "Install from the packages"). Each executable is published self-contained
# for linux-x64, so the target needs no .NET runtime; the packages' other files come from packaging/: the control files
# and maintainer scripts (packaging/debian/PACKAGE/), the systemd units and the default configuration in /etc/cog.
cmd_package() {
  need_dotnet
  command -v dpkg-deb >/dev/null || { echo "build.sh: package needs dpkg-deb (Debian package dpkg)." >&2; exit 1; }
  local out="${1:-artifacts/debian}"
  mkdir -p "$out"; out="$(cd "$out" && pwd)"
  local version; version="$(dotnet msbuild runtime/Cog.Server -getProperty:Version -p:Configuration=Release)"
  local publish="$out/publish" roots="$out/roots"
  rm -rf "$publish" "$roots"
  echo "build.sh: publishing cog, the bundle checker, the relay, its worker and cogctl (self-contained linux-x64) ..."
  # The bundle checker runs beside the server and the worker beside the relay, each as its own executable on the same
  # runtime. cogctl and the checker use the relay's script compiler as a library; the SDK hands them the relay's and
  # the worker's own executable files too, once per runtime they were built for: they never run them, so the
  # duplicates are no error, and those files are removed from their folders.
  local project folder
  for project in runtime/Cog.Server:server runtime/Cog.BundleChecker:server relay/Cog.Relay:relay relay/Cog.Worker:relay runtime/Cog.Cli:cogctl; do
    folder="$publish/${project#*:}"
    dotnet publish "${project%%:*}" -c Release -r linux-x64 --self-contained -o "$folder" --nologo -v quiet \
      -p:ErrorOnDuplicatePublishOutputFiles=false -p:PublishDocumentationFile=false \
      -p:PublishReferencesDocumentationFiles=false -p:SatelliteResourceLanguages=en || exit $?
  done
  rm -f "$publish"/{server,cogctl}/Cog.{Relay,Worker}{,.runtimeconfig.json}
  rm -f "$publish/server/appsettings.json"

  local package root
  for package in cog-server cog-relay cogctl; do
    root="$roots/$package"
    mkdir -p "$root/DEBIAN" "$root/usr/lib/cog" "$root/usr/bin"
    case "$package" in
      cog-server)
        cp -a "$publish/server" "$root/usr/lib/cog/server"
        ln -s ../lib/cog/server/cog "$root/usr/bin/cog"
        # The server reads the appsettings.json beside its executable: that is the configuration in /etc/cog (a relative
        # link, so that a package unpacked anywhere reads its own).
        ln -s ../../../../etc/cog/server.json "$root/usr/lib/cog/server/appsettings.json"
        install -D -m 0644 packaging/etc/server.json "$root/etc/cog/server.json"
        install -D -m 0644 packaging/systemd/cog-server.service "$root/lib/systemd/system/cog-server.service" ;;
      cog-relay)
        cp -a "$publish/relay" "$root/usr/lib/cog/relay"
        ln -s ../lib/cog/relay/Cog.Relay "$root/usr/bin/cog-relay"
        install -D -m 0644 packaging/etc/relay.json "$root/etc/cog/relay.json"
        install -D -m 0644 packaging/systemd/cog-relay.service "$root/lib/systemd/system/cog-relay.service" ;;
      cogctl)
        cp -a "$publish/cogctl" "$root/usr/lib/cog/cogctl"
        ln -s ../lib/cog/cogctl/cogctl "$root/usr/bin/cogctl" ;;
    esac
    local file name
    for file in packaging/debian/"$package"/*; do
      name="$(basename "$file")"
      case "$name" in
        control) sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" "$file" > "$root/DEBIAN/control" ;;
        # The maintainer scripts share one snippet (the cog user), put where a script says #COG_USER#.
        postinst|prerm|postrm) sed -e '/^#COG_USER#$/{r packaging/debian/cog-user.sh' -e 'd}' "$file" > "$root/DEBIAN/$name"; chmod 0755 "$root/DEBIAN/$name" ;;
        *) install -m 0644 "$file" "$root/DEBIAN/$name" ;;
      esac
    done
    dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/${package}_${version}_amd64.deb" >/dev/null || exit $?
  done
  echo "build.sh: packages in $out:"
  ls "$out"/*.deb
}

cmd_bench() {
  need_dotnet
  dotnet run -c Release --project tests/Cog.Benchmarks -- "$@"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  cogctl) shift; cmd_cogctl "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  screenshots) shift; cmd_screenshots ;;
  pack) shift; cmd_pack "$@" ;;
  package) shift; cmd_package "$@" ;;
  *) echo "usage: ./build.sh run [server args] | cogctl [args] | test | pack [folder] | package [folder] | bench [BenchmarkDotNet args] | screenshots" >&2; exit 2 ;;
esac
