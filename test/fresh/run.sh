#!/bin/sh
# `make test-fresh`: the README's two commands on a machine that has only what the README names.
# Makes a fresh Debian 13 root with debootstrap (git, make and ca-certificates, then `apt-get install
# nodejs npm` as the README says, nothing else), puts a clean clone of this repository's HEAD and ../shared in it, then runs `make demo` until
# it answers on its port and `make test`. Needs root and debootstrap; the last line is the count of
# `make test` in that root. SMARTGRID_FRESH_KEEP=1 keeps the root for a look afterwards.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$repo/../shared" && pwd)
suite=${SMARTGRID_FRESH_SUITE:-trixie}
[ "$(id -u)" = 0 ] || { echo "test-fresh: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }

root=$(mktemp -d /var/tmp/sg-fresh.XXXXXX)
mounted=""
cleanup() {
  if [ -d "$root/proc" ]; then
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
      [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null || true
    done
  fi
  for m in $mounted; do umount -l "$root$m" 2>/dev/null || true; done
  # What the tests mounted inside the root (ip netns binds /run/netns/*), deepest first.
  awk -v prefix="$root/" 'index($2, prefix) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  umount -l "$root" 2>/dev/null || true
  [ "${SMARTGRID_FRESH_KEEP:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT INT TERM

started=$(date +%s)
echo "test-fresh: debootstrap $suite into $root"
debootstrap --variant=minbase --include=git,make,ca-certificates "$suite" "$root" >"$root.debootstrap.log" 2>&1 ||
  { tail -20 "$root.debootstrap.log"; exit 1; }
rm -f "$root.debootstrap.log"
# The root is a mount point of its own, so that `ip netns exec` can make / a slave mount inside it.
mount --bind "$root" "$root"
for m in /proc /sys /dev /dev/pts /dev/shm; do
  mkdir -p "$root$m"; mount --bind "$m" "$root$m"; mounted="$m $mounted"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's own trust anchors (a site CA in front of the registries), as its admin installed them.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
fi
# The node the README names: Debian 13's nodejs (20) and npm, as a user installs them.
chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null' ||
  { echo "test-fresh: apt-get install nodejs npm failed in the fresh root"; exit 1; }
git clone -q --no-hardlinks "$repo" "$root/work/main"
cp -a "$shared" "$root/work/shared"
echo "test-fresh: root ready after $(( $(date +%s) - started )) s; node $(chroot "$root" node --version), npm $(chroot "$root" npm --version)"

in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt sh -c "cd /work/main && $1"; }

demo_started=$(date +%s)
in_root 'DEMO_PORT=8080 make demo' > "$root/demo.log" 2>&1 &
demo=$!
url=""
while kill -0 "$demo" 2>/dev/null; do
  url=$(sed -n 's#^ *LuCI: *\(http://[^ ]*\)/cgi-bin/luci/.*#\1#p' "$root/demo.log" | head -1)
  [ -n "$url" ] && break
  sleep 1
done
[ -n "$url" ] || { echo "test-fresh: make demo exited before answering:"; tail -30 "$root/demo.log"; exit 1; }
# LuCI answers an unauthenticated request with its login form and status 403, as real LuCI does.
answer=$(in_root "node -e \"fetch('$url/cgi-bin/luci/').then(async r => console.log(r.status, /name=.luci_password./.test(await r.text()) ? 'login-form' : 'no-login-form'))\"")
echo "test-fresh: make demo answered '$answer' on $url after $(( $(date +%s) - demo_started )) s"
[ "$answer" = "403 login-form" ] || { tail -30 "$root/demo.log"; exit 1; }
# Stop the demo as Ctrl-C would: SIGINT to every process running inside the root, then wait.
for pid in $(ls /proc | grep -E '^[0-9]+$'); do
  [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -INT "$pid" 2>/dev/null || true
done
wait "$demo" 2>/dev/null || true

test_started=$(date +%s)
set +e
in_root 'make test' > "$root/test.log" 2>&1
rc=$?
set -e
tail -5 "$root/test.log"
echo "test-fresh: make test exited $rc after $(( $(date +%s) - test_started )) s; whole check $(( $(date +%s) - started )) s"
tail -n 1 "$root/test.log"
exit "$rc"
