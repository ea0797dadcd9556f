#!/usr/bin/env bash
# Runs the end-to-end tests (*E2E) against a real cluster:
#   - with ERASER_E2E_KUBECONFIG set, against that cluster. Its nodes must be able to run the
#     image under test (ERASER_E2E_IMAGE, default the one `make image` tags): pushed to a registry
#     they pull from, or imported beforehand. The suite reaches each node's containerd through a
#     privileged pod of that image (namespace eraser-e2e-nodes), imports its test images there
#     and reads the node's images there. Also:
#       ERASER_E2E_NODE_RUNTIME_SOCKET  the nodes' containerd socket (default
#                                       /run/containerd/containerd.sock; k3s:
#                                       /run/k3s/containerd/containerd.sock)
#       ERASER_E2E_HOST_ADDRESS         an address of this machine that pods can reach, for the
#                                       metrics tests' OTLP receiver
#     kubectl and helm come from the PATH, or from hack/local-cluster's cache when built.
#     Tests that stop a kubelet or move a node's runtime socket need the local cluster and are
#     skipped, with that reason.
#   - otherwise against the local cluster of hack/local-cluster, started here and stopped after
#     (KEEP_CLUSTER=1 leaves it running; a running one is reused). ERASER_E2E_NODE_ACCESS=pods
#     makes the suite reach the nodes as on any other cluster, through pods.
#
# With --if-possible (what `make test` passes), a machine that cannot start the local cluster
# (not root, or no Go to build Kubernetes with and no cached binaries) prints why and skips the
# suite instead of failing.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${ERASER_E2E_NODE_ACCESS:-}" in
  "" | sockets | pods) ;;
  *)
    echo "e2e: ERASER_E2E_NODE_ACCESS: \"$ERASER_E2E_NODE_ACCESS\" is not one of sockets, pods" >&2
    exit 2
    ;;
esac

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

# ERASER_E2E_MAVEN_ARGS adds Maven arguments, e.g. -Dit.test=ChartE2E to run one suite.
mvn_e2e() {
  # shellcheck disable=SC2086 # split on purpose: several arguments
  ./mvnw -B -ntp verify -Pe2e "$@" ${ERASER_E2E_MAVEN_ARGS:-}
}

if [[ -n "${ERASER_E2E_KUBECONFIG:-}" ]]; then
  tools=()
  if k8s_bin="$(hack/local-cluster/build-binaries.sh --cached-only kubernetes 2>/dev/null)"; then
    tools+=(-Deraser.e2e.kubectl="$k8s_bin/kubectl")
  fi
  if helm_bin="$(hack/local-cluster/build-binaries.sh --cached-only helm 2>/dev/null)"; then
    tools+=(-Deraser.e2e.helm="$helm_bin/helm")
  fi
  [[ -n "${ERASER_E2E_IMAGE:-}" ]] && tools+=(-Dimage.name="$ERASER_E2E_IMAGE")
  [[ -n "${ERASER_E2E_HOST_ADDRESS:-}" ]] && tools+=(-Deraser.e2e.hostAddress="$ERASER_E2E_HOST_ADDRESS")
  [[ -n "${ERASER_E2E_NODE_RUNTIME_SOCKET:-}" ]] &&
    tools+=(-Deraser.e2e.nodeRuntimeSocket="$ERASER_E2E_NODE_RUNTIME_SOCKET")
  mvn_e2e -Deraser.e2e.kubeconfig="$ERASER_E2E_KUBECONFIG" "${tools[@]}"
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
    -Deraser.e2e.kubectl="$k8s_bin/kubectl" -Deraser.e2e.helm="$helm_bin/helm" \
    -Deraser.e2e.nodeAccess="${ERASER_E2E_NODE_ACCESS:-}" || status=$?
fi
if [[ "${KEEP_CLUSTER:-0}" != 1 ]]; then
  hack/local-cluster/cluster.sh down
fi
exit "$status"
