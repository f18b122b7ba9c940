#!/usr/bin/env bash
# Prints the path of a Docker Compose v2 binary for the container suite, building it from the Go module proxy
# the first time (Docker Hub and GitHub releases are out of reach here; the Go proxy is not). The binary is
# cached outside the repository, in ${XDG_CACHE_HOME:-~/.cache}/tuxwatch/compose-<version>/docker-compose.
# Exits non-zero (saying why on stderr) when there is no Go toolchain or the build fails.
set -euo pipefail
VERSION="${TUXWATCH_COMPOSE_V2_VERSION:-v2.40.3}"
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/tuxwatch/compose-$VERSION"
BIN="$DIR/docker-compose"
if [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then echo "$BIN"; exit 0; fi
GO="$(command -v go || true)"
[ -n "$GO" ] || { [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go; } || true
[ -n "$GO" ] || { echo "compose-v2: no Go toolchain to build Compose $VERSION" >&2; exit 1; }
# `go install …@version` refuses this module (its go.mod has exclude directives): build it as the main module
src="$("$GO" mod download -json "github.com/docker/compose/v2@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src" ] || { echo "compose-v2: go mod download of $VERSION failed" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/" && chmod -R u+w "$work"
mkdir -p "$DIR"
(cd "$work" && CGO_ENABLED=0 "$GO" build -trimpath \
  -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$VERSION" -o "$BIN.tmp" ./cmd) >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"
