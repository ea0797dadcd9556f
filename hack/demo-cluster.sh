#!/usr/bin/env bash
# The main job as a cluster admin meets it, on the local cluster of hack/local-cluster:
# the chart installed, demo images on every node (one of them in use, one excluded), the sample
# ImageList applied, and the result read back with kubectl. KEEP_CLUSTER=1 leaves the cluster
# running afterwards (stop it with `make cluster-down`).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n=== %s\n' "$*"; }

hack/setup.sh cluster
kubeconfig="$(hack/local-cluster/cluster.sh up)"
export KUBECONFIG="$kubeconfig"
kubectl="$(hack/local-cluster/build-binaries.sh kubernetes)/kubectl"
helm="$(hack/local-cluster/build-binaries.sh helm)/helm"
cluster_dir="${ERASER_CLUSTER_DIR:-/var/tmp/eraser-cluster}"
nodes=$("$kubectl" get nodes -o jsonpath='{.items[*].metadata.name}')

finish() {
  if [[ "${KEEP_CLUSTER:-0}" != 1 ]]; then
    hack/local-cluster/cluster.sh down
  else
    echo "The cluster keeps running: export KUBECONFIG=$kubeconfig; stop it with 'make cluster-down'."
  fi
}
trap finish EXIT

say "Building the eraser image and the demo images, importing them into every node"
make --no-print-directory image-local-base >/dev/null
./mvnw -B -ntp -q test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=sh.eraser.demo.DemoImages -Dexec.args="target/demo-images.tar"
hack/local-cluster/cluster.sh import target/eraser-image.tar
hack/local-cluster/cluster.sh import target/demo-images.tar
image="$(./mvnw -B -ntp -q help:evaluate -Dexpression=image.name -DforceStdout)"

say "A running nginx pod on every node"
"$kubectl" create namespace demo --dry-run=client -o yaml | "$kubectl" apply -f - >/dev/null
for node in $nodes; do
  cat <<YAML | "$kubectl" apply -f - >/dev/null
apiVersion: v1
kind: Pod
metadata: {name: nginx-$node, namespace: demo}
spec:
  nodeName: $node
  containers: [{name: nginx, image: docker.io/library/nginx:1.25, imagePullPolicy: IfNotPresent}]
YAML
done
"$kubectl" -n demo wait --for=condition=Ready pod --all --timeout=120s >/dev/null

images_on() { # node
  ctr --address "$cluster_dir/nodes/$1/run-containerd/containerd.sock" -n k8s.io images ls -q |
    grep -v '^sha256:' | sort
}
for node in $nodes; do images_on "$node" >"target/demo-before-$node.txt"; done

say "helm install eraser (manual runs only; the image $image)"
"$helm" upgrade --install eraser charts/eraser -n eraser-system --create-namespace \
  -f hack/demo/values.yaml --set deploy.image.repo="${image%:*}" --set deploy.image.tag="${image##*:}" \
  --wait --timeout 3m >/dev/null
"$kubectl" apply -f hack/demo/exclusion.yaml

say "kubectl apply -f hack/demo/imagelist.yaml"
cat hack/demo/imagelist.yaml
"$kubectl" apply -f hack/demo/imagelist.yaml
"$kubectl" wait imagelist/imagelist --for=jsonpath='{.status.phase}'=Completed --timeout=240s >/dev/null ||
  "$kubectl" wait imagelist/imagelist --for=jsonpath='{.status.phase}'=Failed --timeout=5s >/dev/null

say "kubectl get imagelist,imagejob"
"$kubectl" get imagelist,imagejob

say "Per-node results, from the ImageJob's status"
"$kubectl" get imagejob -o jsonpath='{range .items[*].status.nodes[*]}{.node}{": "}{.result}{", removed "}{.removed}{", excluded "}{.excluded}{", in use "}{.inUse}{", failed "}{.failed}{"\n    removed: "}{.removedImages}{"\n"}{end}'

say "Events on the ImageList (kubectl describe imagelist imagelist)"
"$kubectl" describe imagelist imagelist | sed -n '/^Events:/,$p'

say "Images on each node, before and after"
for node in $nodes; do
  echo "--- $node"
  images_on "$node" >"target/demo-after-$node.txt"
  while read -r name; do
    if grep -qxF "$name" "target/demo-after-$node.txt"; then state=present; else state=REMOVED; fi
    printf '  %-8s %s\n' "$state" "$name"
  done <"target/demo-before-$node.txt"
done
