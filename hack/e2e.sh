#!/usr/bin/env bash
# Runs the end-to-end tests (*E2E) against a real cluster:
#   - with ERASER_E2E_KUBECONFIG set, against that cluster (it must already hold the test images);
#   - otherwise against the local cluster of hack/local-cluster, started here and stopped after
#     (KEEP_CLUSTER=1 leaves it running; a running one is reused).
#
# With --if-possible (what `make test` passes), a machine that cannot start the local cluster
# (not root, or no Go to build Kubernetes with and no cached binaries) prints why and skips the
# suite instead of failing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == --if-possible && -z "${ERASER_E2E_KUBECONFIG:-}" ]]; then
  reason=""
  if [[ $EUID -ne 0 ]]; then
    reason="the local cluster needs root"
  elif ! command -v go >/dev/null && ! hack/local-cluster/build-binaries.sh --cached-only >/dev/null 2>&1; then
    reason="no Go toolchain to build Kubernetes with, and no cached binaries"
  fi
  if [[ -n "$reason" ]]; then
    echo "e2e: END-TO-END TESTS NOT RUN: $reason (set ERASER_E2E_KUBECONFIG to use another cluster)" >&2
    exit 0
  fi
fi

mvn_e2e() {
  ./mvnw -B -ntp verify -Pe2e "$@"
}

if [[ -n "${ERASER_E2E_KUBECONFIG:-}" ]]; then
  mvn_e2e -Deraser.e2e.kubeconfig="$ERASER_E2E_KUBECONFIG"
  exit 0
fi

hack/setup.sh cluster
cluster_dir="${ERASER_CLUSTER_DIR:-/var/tmp/eraser-cluster}"
kubeconfig="$(hack/local-cluster/cluster.sh up)"
k8s_bin="$(hack/local-cluster/build-binaries.sh kubernetes)"
helm_bin="$(hack/local-cluster/build-binaries.sh helm)"
status=0
# The project's image, built without a registry and imported into every node.
make --no-print-directory image-local-base && hack/local-cluster/cluster.sh import target/eraser-image.tar || status=$?
if [[ $status -eq 0 ]]; then
  mvn_e2e -Deraser.e2e.kubeconfig="$kubeconfig" -Deraser.e2e.clusterDir="$cluster_dir" \
    -Deraser.e2e.kubectl="$k8s_bin/kubectl" -Deraser.e2e.helm="$helm_bin/helm" || status=$?
fi
if [[ "${KEEP_CLUSTER:-0}" != 1 ]]; then
  hack/local-cluster/cluster.sh down
fi
exit "$status"
