#!/bin/sh
# `make test`: setup, build, typecheck, then every test. Whatever fails, the last line printed is the
# count "N passed, N failed[, N skipped]" (also in build/test-summary.txt) and the exit status is 1.
set -u
cd "$(dirname "$0")/.."
summary=build/test-summary.txt
mkdir -p build
rm -f "$summary"

# make prints "make: *** [...] Error 1" after a failed recipe; the count is printed again once make has
# exited, so that it stays the last line (the writer keeps the pipe open until then).
finish() {
  rc=$1
  if [ "$rc" -ne 0 ] && [ -n "${SMARTGRID_MAKE_PID:-}" ]; then
    ( while kill -0 "$SMARTGRID_MAKE_PID" 2>/dev/null; do sleep 0.05; done; tail -n 1 "$summary" ) &
  fi
  exit "$rc"
}

step() {
  name=$1; shift
  if ! "$@"; then
    echo "$name failed: 0 passed, 1 failed" > "$summary"
    echo "0 passed, 1 failed" >> "$summary"
    tail -n 1 "$summary"
    finish 1
  fi
}

step setup sh scripts/setup.sh
step build node scripts/build.mjs
step typecheck node_modules/.bin/tsc -p tsconfig.json --noEmit

# shellcheck disable=SC2086
node_modules/.bin/vitest run --reporter=default --reporter=./scripts/summary-reporter.mjs ${TESTS:-}
vitest_rc=$?
if [ ! -s "$summary" ]; then
  echo "vitest exited with $vitest_rc and wrote no summary" > "$summary"
  echo "0 passed, 1 failed" >> "$summary"
  tail -n 1 "$summary"
  finish 1
fi
case "$(tail -n 1 "$summary")" in
  *" passed, 0 failed"*) [ "$vitest_rc" -eq 0 ] && finish 0 ;;
esac
finish 1
