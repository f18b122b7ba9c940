# Sourced inside the private mount namespace by sweep-debian-root.sh and test/fixtures/snapshot/gen-web02.sh:
# mounts what a booted Debian root has and debootstrap's tree lacks, with tuxwatch in it read-only.
#   root_mounts ROOT APP   — APP (the repository, built) at ROOT/opt/tuxwatch/app, this machine's node at
#   ROOT/opt/tuxwatch/bin/node, a tmpfs /dev with the usual device nodes bound from the host, /dev/shm, /run.
root_mounts() {
  local root=$1 app=$2 n
  mkdir -p "$root/opt/tuxwatch/app" "$root/opt/tuxwatch/bin"
  touch "$root/opt/tuxwatch/bin/node"
  mount --bind "$app" "$root/opt/tuxwatch/app"
  mount -o remount,bind,ro "$root/opt/tuxwatch/app"
  mount --bind "$(readlink -f "$(command -v node)")" "$root/opt/tuxwatch/bin/node"
  mount -t tmpfs tmpfs "$root/dev"
  for n in null zero random urandom tty full; do touch "$root/dev/$n"; mount --bind "/dev/$n" "$root/dev/$n"; done
  mkdir "$root/dev/shm" "$root/dev/pts"
  mount -t tmpfs tmpfs "$root/dev/shm"
  mount -t tmpfs tmpfs "$root/run"
}
