package sh.eraser.testing;

import java.nio.file.Path;

/**
 * The containerd configuration (version 2 TOML) of a {@link LocalContainerd}: every directory and
 * socket inside one private directory, the CRI plugin on, and nothing that reaches a network.
 */
final class ContainerdConfig {

  private ContainerdConfig() {}

  /** The socket containerd serves its API and the CRI on. */
  static Path socket(Path dir) {
    return dir.resolve("containerd.sock");
  }

  /** Where runc keeps its state; by default it would share /run/containerd/runc with the host. */
  static Path runcRoot(Path dir) {
    return dir.resolve("runc");
  }

  static Path cniBin(Path dir) {
    return dir.resolve("cni/bin");
  }

  static Path cniConf(Path dir) {
    return dir.resolve("cni/conf");
  }

  /**
   * The TOML text for a daemon whose files all live under {@code dir}.
   *
   * <p>Pods run with the host network, so CNI is never called and its directories stay empty
   * (containerd logs once that it found no network config). Pulls would need a registry, so the
   * sandbox image must be imported before the first pod starts. Snapshotters that need a special
   * file system, and tracing, which would export to a collector, are disabled.
   */
  static String toml(Path dir, String sandboxImage) {
    String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
    return String.join(
        "\n",
        "version = 2",
        "root = " + quote(dir.resolve("root")),
        "state = " + quote(dir.resolve("state")),
        "disabled_plugins = [",
        "  \"io.containerd.snapshotter.v1.aufs\",",
        "  \"io.containerd.snapshotter.v1.btrfs\",",
        "  \"io.containerd.snapshotter.v1.devmapper\",",
        "  \"io.containerd.snapshotter.v1.zfs\",",
        "  \"io.containerd.tracing.processor.v1.otlp\",",
        "  \"io.containerd.internal.v1.tracing\",",
        "]",
        "",
        "[grpc]",
        "  address = " + quote(socket(dir)),
        "",
        "[ttrpc]",
        "  address = " + quote(dir.resolve("containerd.sock.ttrpc")),
        "",
        "[plugins.\"io.containerd.internal.v1.opt\"]",
        "  path = " + quote(dir.resolve("opt")),
        "",
        "[" + cri + "]",
        "  sandbox_image = " + quote(sandboxImage),
        "  stream_server_address = \"127.0.0.1\"",
        "  stream_server_port = \"0\"",
        "  disable_tcp_service = true",
        // No AppArmor profile is loaded on test machines, and apparmor_parser may be missing.
        "  disable_apparmor = true",
        "  enable_selinux = false",
        // CRI gives sandboxes an oom_score_adj of -998; lowering it needs CAP_SYS_RESOURCE, which
        // sandboxed test machines may lack (runc then fails with "failed to update
        // /proc/self/oom_score_adj: Permission denied"). This keeps it at containerd's own value.
        "  restrict_oom_score_adj = true",
        // Keeps any network namespace file under our state directory instead of /var/run/netns.
        "  netns_mounts_under_state_dir = true",
        "",
        "[" + cri + ".cni]",
        "  bin_dir = " + quote(cniBin(dir)),
        "  conf_dir = " + quote(cniConf(dir)),
        "",
        "[" + cri + ".containerd]",
        "  snapshotter = \"overlayfs\"",
        "  default_runtime_name = \"runc\"",
        "",
        "[" + cri + ".containerd.runtimes.runc]",
        "  runtime_type = \"io.containerd.runc.v2\"",
        "",
        "[" + cri + ".containerd.runtimes.runc.options]",
        "  SystemdCgroup = false",
        "  Root = " + quote(runcRoot(dir)),
        "");
  }

  private static String quote(Object value) {
    String text = value.toString();
    if (text.contains("\"") || text.contains("\\")) {
      throw new IllegalArgumentException("cannot be written into TOML as is: " + text);
    }
    return "\"" + text + "\"";
  }
}
