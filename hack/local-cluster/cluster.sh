#!/usr/bin/env bash
# A local Kubernetes cluster built from upstream components on this machine, for the end-to-end
# tests and the demo. No Docker engine and no registry are needed.
#
#   hack/local-cluster/cluster.sh up      # start (or reuse) the cluster; prints the kubeconfig path
#   hack/local-cluster/cluster.sh down    # stop every process it started, by PID, and clean up
#   hack/local-cluster/cluster.sh import IMAGE.tar   # import an image archive into every node
#   hack/local-cluster/cluster.sh status
#
# Layout: etcd, kube-apiserver, kube-controller-manager and kube-scheduler run as plain processes in
# the root network namespace. Each node is a network namespace plus a private mount namespace that
# holds its own containerd, kubelet and kube-proxy; inside it the usual paths (/run/containerd,
# /var/lib/kubelet, ...) are bind mounts of that node's directories, so a hostPath to the runtime
# socket reaches that node's containerd. Every process is recorded by PID and stopped by PID.
#
# Environment: ERASER_CLUSTER_DIR (default /var/tmp/eraser-cluster), ERASER_CLUSTER_NODES (2).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${ERASER_CLUSTER_DIR:-/var/tmp/eraser-cluster}"
NODES="${ERASER_CLUSTER_NODES:-2}"
BRIDGE=eraser-links
BRIDGE_IP=10.200.0.1
SERVICE_RANGE=10.96.0.0/24
POD_RANGE=10.244.0.0/16
ETCD_CLIENT=127.0.0.1:32379
ETCD_PEER=127.0.0.1:32380
APISERVER="https://$BRIDGE_IP:6443"
PAUSE_IMAGE=registry.k8s.io/pause:3.10
KUBECONFIG_ADMIN="$DIR/admin.kubeconfig"

log() { printf '[cluster] %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

node_name() { echo "eraser-node-$1"; }
node_ip() { echo "10.200.0.$((10 + $1))"; }
pod_cidr() { echo "10.244.$1.0/24"; }
node_dir() { echo "$DIR/nodes/$(node_name "$1")"; }
netns() { echo "eraser-node-$1"; }

# ---------------------------------------------------------------------------------------------
# processes

start() { # name, command...: starts a process in its own session, records its PID
  local name="$1"
  shift
  mkdir -p "$DIR/pids" "$DIR/logs"
  setsid "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/pids/$name.pid"
}

alive() { # name
  local pid
  [[ -f "$DIR/pids/$1.pid" ]] || return 1
  pid="$(cat "$DIR/pids/$1.pid")"
  kill -0 "$pid" 2>/dev/null
}

stop() { # name: SIGTERM, then SIGKILL after 20 s
  local name="$1" pid i
  [[ -f "$DIR/pids/$name.pid" ]] || return 0
  pid="$(cat "$DIR/pids/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/pids/$name.pid"
}

wait_for() { # description, seconds, command...
  local what="$1" seconds="$2" i
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  die "$what did not come up within ${seconds}s; see $DIR/logs/"
}

# ---------------------------------------------------------------------------------------------
# certificates and kubeconfigs (openssl only)

cert() { # name, subject, extensions (server|client), [subjectAltName]
  local name="$1" subject="$2" usage="$3" san="${4:-}" ext="$DIR/pki/$1.ext"
  [[ -f "$DIR/pki/$name.crt" ]] && return 0
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ "$usage" == server ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; else echo "extendedKeyUsage=clientAuth"; fi
    [[ -z "$san" ]] || echo "subjectAltName=$san"
  } >"$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$DIR/pki/$name.key" -subj "$subject" \
    -out "$DIR/pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$DIR/pki/$name.csr" -CA "$DIR/pki/ca.crt" -CAkey "$DIR/pki/ca.key" \
    -CAcreateserial -days 365 -extfile "$ext" -out "$DIR/pki/$name.crt" 2>/dev/null
}

kubeconfig() { # name (a client cert in pki/), server
  local name="$1" server="$2"
  cat >"$DIR/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: eraser-local
  cluster:
    server: $server
    certificate-authority: $DIR/pki/ca.crt
users:
- name: $name
  user:
    client-certificate: $DIR/pki/$name.crt
    client-key: $DIR/pki/$name.key
contexts:
- name: eraser-local
  context: {cluster: eraser-local, user: $name}
current-context: eraser-local
EOF
}

make_pki() {
  mkdir -p "$DIR/pki"
  if [[ ! -f "$DIR/pki/ca.crt" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=eraser-local-ca" \
      -keyout "$DIR/pki/ca.key" -out "$DIR/pki/ca.crt" 2>/dev/null
  fi
  [[ -f "$DIR/pki/sa.key" ]] || openssl genrsa -out "$DIR/pki/sa.key" 2048 2>/dev/null
  [[ -f "$DIR/pki/sa.pub" ]] || openssl rsa -in "$DIR/pki/sa.key" -pubout -out "$DIR/pki/sa.pub" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" server \
    "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1,IP:$BRIDGE_IP"
  cert admin "/O=system:masters/CN=eraser-admin" client
  cert apiserver-kubelet "/O=system:masters/CN=kube-apiserver-kubelet-client" client
  cert controller-manager "/CN=system:kube-controller-manager" client
  cert scheduler "/CN=system:kube-scheduler" client
  cert kube-proxy "/CN=system:kube-proxy" client
  kubeconfig admin "$APISERVER"
  kubeconfig controller-manager "$APISERVER"
  kubeconfig scheduler "$APISERVER"
  kubeconfig kube-proxy "$APISERVER"
  local i
  for ((i = 1; i <= NODES; i++)); do
    cert "$(node_name "$i")" "/O=system:nodes/CN=system:node:$(node_name "$i")" client
    kubeconfig "$(node_name "$i")" "$APISERVER"
  done
}

# ---------------------------------------------------------------------------------------------
# network: a bridge in the root namespace, one veth per node namespace

make_network() {
  local i ns ip j
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_IP/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  for ((i = 1; i <= NODES; i++)); do
    ns="$(netns "$i")"
    ip="$(node_ip "$i")"
    if ! ip netns list | grep -qw "$ns"; then
      ip netns add "$ns"
      ip link add "erv$i" type veth peer name eth0 netns "$ns"
      ip link set "erv$i" master "$BRIDGE" up
      ip -n "$ns" addr add "$ip/24" dev eth0
      ip -n "$ns" link set eth0 up
      ip -n "$ns" link set lo up
      ip -n "$ns" route add default via "$BRIDGE_IP"
      ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
    fi
    ip route replace "$(pod_cidr "$i")" via "$ip" dev "$BRIDGE"
    for ((j = 1; j <= NODES; j++)); do
      [[ $j -eq $i ]] || ip -n "$ns" route replace "$(pod_cidr "$j")" via "$(node_ip "$j")" dev eth0
    done
  done
}

remove_network() {
  local i
  for ((i = 1; i <= NODES; i++)); do
    ip route del "$(pod_cidr "$i")" 2>/dev/null || true
    ip netns del "$(netns "$i")" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# the control plane

start_etcd() {
  alive etcd && return 0
  start etcd "$BIN_ETCD/etcd" --name eraser-local --data-dir "$DIR/etcd" \
    --listen-client-urls "http://$ETCD_CLIENT" --advertise-client-urls "http://$ETCD_CLIENT" \
    --listen-peer-urls "http://$ETCD_PEER" --initial-advertise-peer-urls "http://$ETCD_PEER" \
    --initial-cluster "eraser-local=http://$ETCD_PEER" --unsafe-no-fsync --listen-metrics-urls "" \
    --auto-compaction-retention 1
  wait_for etcd 30 curl -sf "http://$ETCD_CLIENT/health"
}

start_apiserver() {
  alive kube-apiserver && return 0
  start kube-apiserver "$BIN_K8S/kube-apiserver" --etcd-servers "http://$ETCD_CLIENT" \
    --bind-address "$BRIDGE_IP" --advertise-address "$BRIDGE_IP" --secure-port 6443 \
    --tls-cert-file "$DIR/pki/apiserver.crt" --tls-private-key-file "$DIR/pki/apiserver.key" \
    --client-ca-file "$DIR/pki/ca.crt" --service-cluster-ip-range "$SERVICE_RANGE" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$DIR/pki/sa.pub" --service-account-signing-key-file "$DIR/pki/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --kubelet-client-certificate "$DIR/pki/apiserver-kubelet.crt" \
    --kubelet-client-key "$DIR/pki/apiserver-kubelet.key" \
    --kubelet-preferred-address-types InternalIP,ExternalIP,Hostname \
    --profiling=false --v=1
  wait_for kube-apiserver 90 curl -sf --cacert "$DIR/pki/ca.crt" "$APISERVER/readyz"
}

start_controller_manager() {
  alive kube-controller-manager && return 0
  start kube-controller-manager "$BIN_K8S/kube-controller-manager" \
    --kubeconfig "$DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$DIR/controller-manager.kubeconfig" \
    --service-account-private-key-file "$DIR/pki/sa.key" --root-ca-file "$DIR/pki/ca.crt" \
    --use-service-account-credentials=true --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 10257 --service-cluster-ip-range "$SERVICE_RANGE" \
    --profiling=false --v=1
  wait_for kube-controller-manager 60 curl -skf https://127.0.0.1:10257/healthz
}

start_scheduler() {
  alive kube-scheduler && return 0
  cat >"$DIR/scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection: {kubeconfig: $DIR/scheduler.kubeconfig}
leaderElection: {leaderElect: false}
EOF
  start kube-scheduler "$BIN_K8S/kube-scheduler" --config "$DIR/scheduler.yaml" \
    --authentication-kubeconfig "$DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig "$DIR/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10259 --v=1
  wait_for kube-scheduler 60 curl -skf https://127.0.0.1:10259/healthz
}

kubectl_admin() { "$BIN_K8S/kubectl" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

# ---------------------------------------------------------------------------------------------
# the nodes

write_node_files() { # index
  local i="$1" name nd ip
  name="$(node_name "$i")"
  nd="$(node_dir "$i")"
  ip="$(node_ip "$i")"
  mkdir -p "$nd"/{run-containerd,containerd,kubelet,pods,containers,cni-state,cni-conf,opt,netns}
  cat >"$nd/containerd.toml" <<EOF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "/var/lib/containerd-opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  disable_apparmor = true
  restrict_oom_score_adj = true
  tolerate_missing_hugetlb_controller = true
[plugins."io.containerd.grpc.v1.cri".containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = false
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "/etc/cni/net.d"
  max_conf_num = 1
EOF
  cat >"$nd/cni-conf/10-bridge.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "eraser-pods-$i",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$(pod_cidr "$i")"}]],
               "routes": [{"dst": "0.0.0.0/0"}]}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$nd/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$name
cgroupsPerQOS: true
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $DIR/pki/ca.crt}
authorization: {mode: Webhook}
address: $ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
failSwapOn: false
evictionHard: {memory.available: "100Mi", nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.available: "0%"}
imageGCHighThresholdPercent: 100
resolvConf: ""
podCIDR: $(pod_cidr "$i")
protectKernelDefaults: false
serializeImagePulls: false
EOF
  cat >"$nd/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $DIR/kube-proxy.kubeconfig}
hostnameOverride: $name
bindAddress: $ip
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
mode: iptables
clusterCIDR: $POD_RANGE
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

make_cgroups() { # index: the kubelet's cgroup root must exist in every hierarchy it uses
  local name c
  name="$(node_name "$1")"
  for c in cpu cpuacct cpuset memory pids systemd; do
    [[ -d "/sys/fs/cgroup/$c" ]] || continue
    mkdir -p "/sys/fs/cgroup/$c/$name"
  done
  if [[ -d /sys/fs/cgroup/cpuset/$name ]]; then
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/$name/cpuset.cpus"
    cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/$name/cpuset.mems"
  fi
}

make_mount_namespace() { # index: a persistent mount namespace with the node's own paths
  local i="$1" nd mnt
  nd="$(node_dir "$i")"
  mnt="$DIR/ns/$(node_name "$i").mnt"
  mkdir -p "$DIR/ns"
  if ! mountpoint -q "$DIR/ns"; then
    mount --bind "$DIR/ns" "$DIR/ns"
    mount --make-private "$DIR/ns"
  fi
  if [[ -f "$mnt" ]] && mountpoint -q "$mnt"; then
    return 0
  fi
  touch "$mnt"
  unshare --mount="$mnt" --propagation private sh -ec "
    mount --bind '$nd/run-containerd' /run/containerd 2>/dev/null || { mkdir -p /run/containerd; mount --bind '$nd/run-containerd' /run/containerd; }
    mkdir -p /var/lib/containerd /var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /etc/cni/net.d /var/lib/containerd-opt /run/netns
    mount --bind '$nd/containerd' /var/lib/containerd
    mount --bind '$nd/opt' /var/lib/containerd-opt
    mount --bind '$nd/kubelet' /var/lib/kubelet
    mount --bind '$nd/pods' /var/log/pods
    mount --bind '$nd/containers' /var/log/containers
    mount --bind '$nd/cni-state' /var/lib/cni
    mount --bind '$nd/cni-conf' /etc/cni/net.d
    mount --bind '$nd/netns' /run/netns
    mount --make-rshared /
  "
}

in_node() { # index, command...
  local i="$1"
  shift
  nsenter --net="/run/netns/$(netns "$i")" --mount="$DIR/ns/$(node_name "$i").mnt" -- "$@"
}

node_ctr() { # index, ctr arguments...: ctr against that node's containerd, from the root namespace
  local i="$1"
  shift
  ctr --address "$(node_dir "$i")/run-containerd/containerd.sock" --namespace k8s.io "$@"
}

build_pause_image() {
  local out="$DIR/images/pause.tar" work="$DIR/images/pause"
  [[ -f "$out" ]] && return 0
  mkdir -p "$work"
  cat >"$work/pause.c" <<'EOF'
/* The sandbox process of every pod: waits for signals, reaps children, exits on INT or TERM. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int sig) { _exit(0); }
static void reap(int sig) { while (waitpid(-1, NULL, WNOHANG) > 0) {} }

int main(void) {
  struct sigaction stop = {.sa_handler = quit}, child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGCHLD, &child, NULL);
  for (;;) pause();
}
EOF
  gcc -Os -static -o "$work/pause" "$work/pause.c"
  rm -rf "$work/layout"
  umoci init --layout "$work/layout"
  umoci new --image "$work/layout:3.10"
  umoci insert --image "$work/layout:3.10" "$work/pause" /pause
  umoci config --image "$work/layout:3.10" --config.entrypoint /pause --config.user 65535:65535 \
    --os linux --architecture amd64
  skopeo copy -q "oci:$work/layout:3.10" "docker-archive:$out:$PAUSE_IMAGE"
}

start_node() { # index
  local i="$1" name nd
  name="$(node_name "$i")"
  nd="$(node_dir "$i")"
  write_node_files "$i"
  make_cgroups "$i"
  make_mount_namespace "$i"
  if ! alive "$name-containerd"; then
    start "$name-containerd" nsenter --net="/run/netns/$(netns "$i")" --mount="$DIR/ns/$name.mnt" -- \
      containerd --config "$nd/containerd.toml"
    wait_for "$name containerd" 30 node_ctr "$i" version
  fi
  node_ctr "$i" images import --all-platforms "$DIR/images/pause.tar" >/dev/null
  if ! alive "$name-kubelet"; then
    start "$name-kubelet" nsenter --net="/run/netns/$(netns "$i")" --mount="$DIR/ns/$name.mnt" -- \
      "$BIN_K8S/kubelet" --config "$nd/kubelet.yaml" --kubeconfig "$DIR/$name.kubeconfig" \
      --hostname-override "$name" --node-ip "$(node_ip "$i")" --v=1
  fi
  if ! alive "$name-kube-proxy"; then
    start "$name-kube-proxy" nsenter --net="/run/netns/$(netns "$i")" --mount="$DIR/ns/$name.mnt" -- \
      "$BIN_K8S/kube-proxy" --config "$nd/kube-proxy.yaml"
  fi
}

node_ready() { # name
  [[ "$(kubectl_admin get node "$1" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}

stop_node() { # index
  local i="$1" name sock ids
  name="$(node_name "$i")"
  stop "$name-kube-proxy"
  stop "$name-kubelet"
  sock="$(node_dir "$i")/run-containerd/containerd.sock"
  if alive "$name-containerd" && [[ -S "$sock" ]]; then
    ids="$(node_ctr "$i" tasks ls -q 2>/dev/null || true)"
    for id in $ids; do node_ctr "$i" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    for id in $ids; do node_ctr "$i" tasks rm -f "$id" >/dev/null 2>&1 || true; done
  fi
  # A stopped containerd leaves its shims running; ours are the shims in this node's mount namespace.
  local nsid="" pid
  if [[ -f "$DIR/ns/$name.mnt" ]] && mountpoint -q "$DIR/ns/$name.mnt"; then
    nsid="$(nsenter --mount="$DIR/ns/$name.mnt" -- readlink /proc/self/ns/mnt 2>/dev/null || true)"
  fi
  stop "$name-containerd"
  if [[ -n "$nsid" ]]; then
    for pid in $(pgrep -f containerd-shim-runc-v2 || true); do
      [[ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" == "$nsid" ]] && kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  local mnt="$DIR/ns/$name.mnt"
  if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt" || true; fi
  rm -f "$mnt"
  local c
  for c in cpu cpuacct cpuset memory pids systemd; do
    [[ -d "/sys/fs/cgroup/$c/$name" ]] || continue
    find "/sys/fs/cgroup/$c/$name" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

# ---------------------------------------------------------------------------------------------
# commands

tools() {
  local path
  path="$("$HERE/build-binaries.sh" etcd kubernetes)"
  BIN_ETCD="${path%%:*}"
  BIN_K8S="${path##*:}"
}

preflight() {
  [[ $EUID -eq 0 ]] || die "the local cluster needs root (network and mount namespaces, cgroups)"
  local c
  for c in containerd runc ctr ip nsenter unshare iptables curl openssl gcc umoci skopeo; do
    command -v "$c" >/dev/null || die "'$c' is missing; run 'make setup' (hack/setup.sh) first"
  done
  [[ -x /usr/lib/cni/bridge ]] || die "/usr/lib/cni/bridge is missing; run 'make setup' (containernetworking-plugins)"
}

up() {
  preflight
  tools
  mkdir -p "$DIR"
  make_pki
  make_network
  build_pause_image
  start_etcd
  start_apiserver
  start_controller_manager
  start_scheduler
  local i
  for ((i = 1; i <= NODES; i++)); do start_node "$i"; done
  for ((i = 1; i <= NODES; i++)); do wait_for "node $(node_name "$i") Ready" 120 node_ready "$(node_name "$i")"; done
  wait_for "the default ServiceAccount" 60 kubectl_admin get serviceaccount default -n default
  echo "$KUBECONFIG_ADMIN"
}

down() {
  local i
  if [[ -f "$KUBECONFIG_ADMIN" ]] && alive kube-apiserver; then
    tools
    kubectl_admin delete pods --all-namespaces --all --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
  fi
  for ((i = 1; i <= NODES; i++)); do stop_node "$i"; done
  stop kube-scheduler
  stop kube-controller-manager
  stop kube-apiserver
  stop etcd
  remove_network
  if mountpoint -q "$DIR/ns" 2>/dev/null; then umount "$DIR/ns" || true; fi
  rm -rf "$DIR"
}

import() { # archive: into every node's containerd
  local i
  for ((i = 1; i <= NODES; i++)); do node_ctr "$i" images import --all-platforms "$1" >/dev/null; done
}

status() {
  local f
  for f in "$DIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then echo "running $(basename "$f" .pid)"; else echo "dead    $(basename "$f" .pid)"; fi
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    up) up ;;
    down) down ;;
    import) [[ $# -eq 2 ]] || die "usage: $0 import IMAGE.tar"; import "$2" ;;
    status) status ;;
    *) die "usage: $0 up|down|status|import IMAGE.tar" ;;
  esac
fi
