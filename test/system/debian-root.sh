#!/usr/bin/env bash
# Lays a Debian root, built by debootstrap from Debian's own packages, into DEST.
# The first run builds it (minutes: it downloads and installs the packages) and keeps the installed root as
# a tarball under ~/.cache/tuxwatch; later runs only unpack that (seconds). Needs root and debootstrap.
# usage: debian-root.sh DEST
set -euo pipefail
dest=$1
suite=${TUXWATCH_DEBIAN_SUITE:-bookworm}
mirror=${TUXWATCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tuxwatch
tarball=$cache/debian-$suite-minbase-sudo.tar
mkdir -p "$cache" "$dest"
if [ ! -s "$tarball" ]; then
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 3; }
  build=$(mktemp -d "$cache/build.XXXX")
  trap 'rm -rf "$build"' EXIT
  debootstrap --variant=minbase --include=sudo "$suite" "$build/root" "$mirror" >"$build/log" 2>&1 || {
    tail -20 "$build/log" >&2; exit 4; }
  rm -rf "$build/root/var/cache/apt/archives/"*.deb "$build/root/var/lib/apt/lists/"*_Packages
  tar -C "$build/root" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi
tar -C "$dest" --numeric-owner -xpf "$tarball"
