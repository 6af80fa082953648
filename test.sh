#!/usr/bin/env bash
# Runs every test on a clean machine: installs what the tests need, builds, lints the contract, tests,
# and stops whatever it started. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

say() { printf '\n== %s\n' "$*"; }

# Services the tests need are started here and stopped on exit, whatever happens.
services_dir=$(mktemp -d /tmp/integrationhub-services.XXXXXX)
cleanup() { tools/test-services/services.sh stop "$services_dir"; }
trap cleanup EXIT

say "Tools"
command -v dotnet >/dev/null || { echo "error: the .NET SDK 10 is required (dotnet not on PATH)"; exit 1; }
dotnet --version
# Debian packages the test suites need: Redis (cache tests), npm (for buf, which checks the contract).
# PostgreSQL 15 (server tests of the justice adapter) is installed from Debian when missing.
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
# Chromium and CJK fonts: the dashboard's browser tests (Playwright drives /usr/bin/chromium; it downloads no browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
buf_dir="$root/.tools/buf"
if [ ! -x "$buf_dir/node_modules/.bin/buf" ]; then
  mkdir -p "$buf_dir"
  npm install --prefix "$buf_dir" --no-audit --no-fund --silent @bufbuild/buf@1.75.0 >/dev/null
fi

say "Contract: buf lint (STANDARD)"
# google/api/{annotations,http}.proto, which the contract imports for google.api.http, come from the NuGet package the
# build compiles against (Google.Api.CommonProtos), copied into protos/.googleapis/ (ignored by git; see protos/buf.yaml).
dotnet restore IntegrationHub.sln -nologo -v quiet
common_protos_version=$(sed -n 's/.*Include="Google.Api.CommonProtos" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
nuget_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
google_api="${nuget_packages%/}/google.api.commonprotos/$common_protos_version/content/protos/google/api"
mkdir -p protos/.googleapis/google/api
cp "$google_api/annotations.proto" "$google_api/http.proto" protos/.googleapis/google/api/
(cd protos && "$buf_dir/node_modules/.bin/buf" lint)
echo "buf lint: clean"

say "Services: PostgreSQL and Redis on free loopback ports"
service_env=$(tools/test-services/services.sh start "$services_dir") || { echo "error: the test services did not start"; exit 1; }
eval "$service_env"
echo "PostgreSQL: $INTEGRATIONHUB_TEST_POSTGRES"
echo "Redis: $INTEGRATIONHUB_TEST_REDIS"

say "Build (warnings are errors)"
dotnet build IntegrationHub.sln -c Release -nologo -v quiet

say "Tests"
# The security suite (gateway and adapter fuzz tests) says how many cases it tried per category in this file.
export INTEGRATIONHUB_SECURITY_REPORT="$services_dir/security-report.txt"
rm -f "$INTEGRATIONHUB_SECURITY_REPORT"
# Minimal verbosity prints each failure in full and one summary line per test project.
status=0
dotnet test IntegrationHub.sln -c Release --no-build -nologo || status=$?

say "Security suite: cases tried per category"
sort "$INTEGRATIONHUB_SECURITY_REPORT" 2>/dev/null || echo "(no security suite report was written)"
if [ "$status" -ne 0 ]; then
  echo "tests FAILED"
  exit "$status"
fi
echo "all tests passed"
