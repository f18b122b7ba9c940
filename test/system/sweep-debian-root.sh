#!/usr/bin/env bash
# Runs `tuxwatch scan --live` inside a fresh Debian root (debian-root.sh), in its own mount, UTS, network
# and PID namespaces, the way shared/tools/gen-evidence.sh generates evidence: nothing of this machine's
# /etc, /home, /proc or network is touched. With MODE=compromised a compromise is planted first (each
# step below is one item the test expects reported); with MODE=clean the same root is swept untouched.
# The alerts (NDJSON) go to OUT/alerts.ndjson, collect's records to OUT/records.ndjson, and those of a
# second collect run over the unchanged root to OUT/records-again.ndjson.
# usage: sweep-debian-root.sh clean|compromised OUT      (needs root, unshare, chroot, ssh-keygen)
set -euo pipefail
mode=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
app=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/tuxwatch-sys.XXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
bash "$app/test/system/debian-root.sh" "$root"
# the attacker's key is made by the real ssh-keygen, outside the root (minbase has no openssh-client)
ssh-keygen -q -t ed25519 -N '' -C 'x@kali' -f "$work/id_evil"
cp "$work/id_evil.pub" "$root/evil.pub"
export mode root app
unshare -m -u -n -p --fork --propagation private bash -euo pipefail <<'INNER'
hostname victim
. "$app/test/system/root-mounts.sh"; root_mounts "$root" "$app"
# the /etc/hosts an installer writes (debootstrap writes none)
printf '127.0.0.1\tlocalhost\n127.0.1.1\tvictim\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' > "$root/etc/hosts"
echo victim > "$root/etc/hostname"
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root mode="$mode" chroot "$root" /bin/bash -euo pipefail <<'ROOT'
mount -t proc proc /proc
if [ "$mode" = compromised ]; then
  echo 'toor:x:0:0::/root:/bin/bash' >> /etc/passwd                        # UID 0 account, added by hand
  echo 'toor:!:19000:0:99999:7:::' >> /etc/shadow
  useradd -m -s /bin/bash svc
  echo 'svc ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/90-svc; chmod 440 /etc/sudoers.d/90-svc   # NOPASSWD drop-in
  mkdir -p -m 700 /root/.ssh; cat /evil.pub >> /root/.ssh/authorized_keys                     # attacker key
  chmod 600 /root/.ssh/authorized_keys
  cp /bin/bash /usr/local/bin/.rootsh; chmod 4755 /usr/local/bin/.rootsh                      # SUID shell copy
  cp /usr/bin/id /usr/bin/who                                                                 # package file modified
  cp /bin/sleep /dev/shm/updater; /dev/shm/updater 600 & sleep 0.3; rm /dev/shm/updater       # deleted executable
  perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 31337, Listen => 5, ReuseAddr => 1) or die; sleep 600' &
  sleep 0.5                                                                                   # listener, odd port
  mkdir -p "/var/tmp/. /tools"; echo 'nmap -sS 10.0.0.0/8' > "/var/tmp/. /tools/scan.sh"      # hidden directory
  echo data > /dev/.udev-cache                                                                # file in /dev
  echo 'x9:2345:respawn:/usr/local/bin/.rootsh -p' > /etc/inittab                             # inittab line
  echo '203.0.113.9 updates.debian-security.org' >> /etc/hosts                                # hosts redirect
  cp /usr/bin/id /usr/sbin/nscd-helper; touch -d '2019-01-01 03:04:05' /usr/sbin/nscd-helper  # back-dated binary
fi
rm -f /evil.pub
/opt/tuxwatch/bin/node /opt/tuxwatch/app/dist/cli.js collect --host victim > /tmp/records.ndjson 2>/tmp/collect.err
/opt/tuxwatch/bin/node /opt/tuxwatch/app/dist/cli.js scan --live --host victim --format ndjson > /tmp/alerts.ndjson 2>/tmp/scan.err
# a second sweep of the unchanged host: the same facts under a new run
/opt/tuxwatch/bin/node /opt/tuxwatch/app/dist/cli.js collect --host victim > /tmp/records-again.ndjson 2>/dev/null
ROOT
INNER
cp "$root/tmp/records.ndjson" "$root/tmp/records-again.ndjson" "$root/tmp/alerts.ndjson" "$root/tmp/collect.err" "$root/tmp/scan.err" "$out/"
