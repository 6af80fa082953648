#!/usr/bin/env bash
# Runs every test on a clean machine: installs what the tests need, builds, lints the contract, tests,
# and stops whatever it started. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

say() { printf '\n== %s\n' "$*"; }

# Services the tests need are started here and stopped on exit, whatever happens.
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

say "Tools"
command -v dotnet >/dev/null || { echo "error: the .NET SDK 10 is required (dotnet not on PATH)"; exit 1; }
dotnet --version
# Debian packages the test suites need (none yet beyond .NET; Redis, PostgreSQL and Chromium come with
# the issues that need them). npm brings buf, which checks the contract.
if ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq npm
fi
buf_dir="$root/.tools/buf"
if [ ! -x "$buf_dir/node_modules/.bin/buf" ]; then
  mkdir -p "$buf_dir"
  npm install --prefix "$buf_dir" --no-audit --no-fund --silent @bufbuild/buf@1.75.0 >/dev/null
fi

say "Contract: buf lint (STANDARD)"
(cd protos && "$buf_dir/node_modules/.bin/buf" lint)
echo "buf lint: clean"

say "Build (warnings are errors)"
dotnet build IntegrationHub.sln -c Release -nologo -v quiet

say "Tests"
# Minimal verbosity prints each failure in full and one summary line per test project.
dotnet test IntegrationHub.sln -c Release --no-build -nologo
echo "all tests passed"
