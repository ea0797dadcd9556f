#!/usr/bin/env bash
# Builds a Java 17 runtime base image from Debian packages, for `make image` on machines that
# cannot pull eclipse-temurin:17-jre from a registry. Writes a docker-archive (the only tar
# layout Jib's tar:// base accepts), caches it outside the work tree and prints its path:
#
#   make image IMAGE_BASE=tar://$(hack/build-base-image.sh)
#
# It needs root (mmdebstrap) and Debian's apt; mmdebstrap, umoci and skopeo are installed when
# missing. Environment: ERASER_TOOLS_CACHE (default /var/cache/eraser-java), DEBIAN_SUITE
# (default bookworm), DEBIAN_MIRROR (default: the host's apt sources).
set -euo pipefail

CACHE="${ERASER_TOOLS_CACHE:-/var/cache/eraser-java}"
SUITE="${DEBIAN_SUITE:-bookworm}"
ARCH="$(dpkg --print-architecture)"
OUT="$CACHE/base-image/jre17-$SUITE-$ARCH.tar"
REF="localhost/eraser-java/jre:17-$SUITE"

log() { printf '[build-base-image] %s\n' "$*" >&2; }

if [[ -s "$OUT" ]]; then
  echo "$OUT"
  exit 0
fi

need=()
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v umoci >/dev/null || need+=(umoci)
command -v skopeo >/dev/null || need+=(skopeo)
if [[ ${#need[@]} -gt 0 ]]; then
  [[ "$(id -u)" -eq 0 ]] || { log "need root to install ${need[*]}"; exit 1; }
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[[ "$(id -u)" -eq 0 ]] || { log "mmdebstrap needs root here"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/eraser-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$OUT")"

# The essential variant has /bin/sh and coreutils (mkfifo, which the worker's pipes need); the
# JRE's postinst links its man pages, so their directory must exist though man pages are dropped.
log "building the root filesystem of $SUITE with openjdk-17-jre-headless (a few minutes)"
mirror=()
[[ -n "${DEBIAN_MIRROR:-}" ]] && mirror=("$DEBIAN_MIRROR")
mmdebstrap --quiet --variant=essential --architectures="$ARCH" \
  --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
  "$SUITE" "$work/rootfs.tar" "${mirror[@]}"

log "packing it as an image"
(
  cd "$work"
  umoci init --layout oci
  umoci new --image oci:jre17
  umoci unpack --image oci:jre17 bundle >/dev/null
  tar -C bundle/rootfs -xf rootfs.tar
  umoci repack --image oci:jre17 bundle
  umoci config --image oci:jre17 --architecture "$ARCH" --os linux \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env LANG=C.UTF-8
  skopeo copy --quiet "oci:oci:jre17" "docker-archive:$work/base.tar:$REF"
)
mv "$work/base.tar" "$OUT"
log "wrote $OUT ($(du -h "$OUT" | cut -f1))"
echo "$OUT"
