#!/usr/bin/env bash
# Builds the upstream tools the local cluster and the chart checks need from their published Go
# modules and caches them outside the work tree, one directory per tool and version, so that a
# second run only checks the cache.
#
#   hack/local-cluster/build-binaries.sh              # etcd, Kubernetes and helm; prints a PATH
#   hack/local-cluster/build-binaries.sh helm         # only helm (what `make test` needs for the chart)
#   hack/local-cluster/build-binaries.sh --cached-only  # fails instead of building what is missing
#
# Environment: ERASER_TOOLS_CACHE (default /var/cache/eraser-java), K8S_VERSION, ETCD_VERSION,
# HELM_VERSION.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.14}"
HELM_VERSION="${HELM_VERSION:-v4.2.4}"
CACHE="${ERASER_TOOLS_CACHE:-/var/cache/eraser-java}"
K8S_BIN="$CACHE/kubernetes-$K8S_VERSION"
ETCD_BIN="$CACHE/etcd-$ETCD_VERSION"
HELM_BIN="$CACHE/helm-$HELM_VERSION"
K8S_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

log() { printf '[build-binaries] %s\n' "$*" >&2; }

have_kubernetes() {
  local b
  for b in "${K8S_COMMANDS[@]}"; do
    [[ -x "$K8S_BIN/$b" ]] || return 1
  done
}

export CGO_ENABLED=0 GOFLAGS=-mod=mod
work="$CACHE/src"
mkdir -p "$work"

build_kubernetes() {
  local dir="$work/kubernetes-$K8S_VERSION" upstream minor stamp
  mkdir -p "$dir"
  upstream="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
  [[ -f "$upstream" ]] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  {
    echo "module eraser.local/k8s-build"
    grep -E '^(go|godebug) ' "$upstream"
    echo "replace ("
    # Every staging module the release maps to ./staging/src is published as k8s.io/<m> v0.<minor>.<patch>.
    grep -E '=> \./staging/src/' "$upstream" |
      awk -v v="v0.${K8S_VERSION#v1.}" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } >"$dir/go.mod"
  cat >"$dir/main.go" <<'GO'
// Package main only anchors the scratch module that builds Kubernetes commands.
package main

func main() {}
GO
  local pkgs=() c
  for c in "${K8S_COMMANDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  (cd "$dir" && go get "k8s.io/kubernetes@$K8S_VERSION" && go get "${pkgs[@]/%/@$K8S_VERSION}")
  stamp="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  stamp+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  stamp+=" -X k8s.io/component-base/version.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  stamp+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1"
  stamp+=" -X k8s.io/client-go/pkg/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitTreeState=clean"
  log "building ${K8S_COMMANDS[*]} $K8S_VERSION (a cold build takes tens of minutes on 2 cores)"
  mkdir -p "$K8S_BIN.tmp"
  (cd "$dir" && go build -trimpath -ldflags "-s -w $stamp" -o "$K8S_BIN.tmp/" "${pkgs[@]}")
  rm -rf "$K8S_BIN" && mv "$K8S_BIN.tmp" "$K8S_BIN"
}

build_etcd() {
  local dir="$work/etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  printf 'module eraser.local/etcd-build\n\ngo 1.24\n' >"$dir/go.mod"
  printf '// Package main only anchors the scratch module that builds etcd.\npackage main\n\nfunc main() {}\n' >"$dir/main.go"
  log "building etcd $ETCD_VERSION"
  (cd "$dir" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" &&
    go build -trimpath -ldflags "-s -w" -o "$ETCD_BIN/etcd" go.etcd.io/etcd/server/v3)
}

build_helm() {
  local major="${HELM_VERSION%%.*}"
  log "building helm $HELM_VERSION"
  GOBIN="$HELM_BIN" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/$major/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/$major/cmd/helm@$HELM_VERSION"
}

need_go() {
  if $cached_only; then
    log "$1 is not in the cache ($CACHE)"
    exit 1
  fi
  command -v go >/dev/null || { log "go is not installed; it is needed to build $1 from its Go module"; exit 1; }
}

cached_only=false
if [[ "${1:-}" == --cached-only ]]; then
  cached_only=true
  shift
fi
want=("$@")
[[ ${#want[@]} -gt 0 ]] || want=(etcd kubernetes helm)
path=()
for tool in "${want[@]}"; do
  case "$tool" in
    etcd) [[ -x "$ETCD_BIN/etcd" ]] || { need_go etcd; build_etcd; }; path+=("$ETCD_BIN") ;;
    helm) [[ -x "$HELM_BIN/helm" ]] || { need_go helm; build_helm; }; path+=("$HELM_BIN") ;;
    kubernetes) have_kubernetes || { need_go Kubernetes; build_kubernetes; }; path+=("$K8S_BIN") ;;
    *) log "unknown tool '$tool' (expected etcd, kubernetes or helm)"; exit 2 ;;
  esac
done
(IFS=:; echo "${path[*]}")
