#!/usr/bin/env bash
# Runs duboko's test suite: gofmt, vet, all tests, and the pure-Go kernel twins.
set -euo pipefail
cd "$(dirname "$0")"
unformatted=$(gofmt -l .)
if [[ -n $unformatted ]]; then
	echo "gofmt: these files need formatting (gofmt -w):" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test ./...
go test -tags purego ./internal/kernel/...
