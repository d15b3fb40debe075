#!/usr/bin/env bash
# README command 1: install what is missing, build the release, serve Sao on
# http://127.0.0.1:3000 with the embedded SQLite database under ./data and demo data.
# Extra arguments go to `sao` (see `sao --help`), e.g. --database-url postgres://…
source "$(dirname "$0")/setup.sh"
build_release
cd "$SAO_ROOT"
say "starting Sao on http://${SAO_ADDR:-127.0.0.1:3000} (Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/sao" --demo --data-dir "${SAO_DATA_DIR:-$SAO_ROOT/data}" "$@"
