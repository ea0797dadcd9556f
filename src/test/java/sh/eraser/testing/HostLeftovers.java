package sh.eraser.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and removes what a containerd with a private directory leaves on the host once the daemon
 * has stopped: shims and container processes, mounts, cgroups, and the directory itself.
 *
 * <p>Everything is found from the directory's path or the pods' cgroup parent, so it never touches
 * anything that another containerd owns.
 */
final class HostLeftovers {

  private static final Logger log = LoggerFactory.getLogger(HostLeftovers.class);

  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  /** Where containerd 1.6 puts shim sockets, whatever its configuration says. */
  private static final String SHIM_SOCKETS = "/run/containerd/s/";

  private final Path dir;
  private final String cgroupParent;

  /**
   * @param dir the containerd's private directory
   * @param cgroupParent the cgroup parent of its pods: one name, directly under each hierarchy's
   *     root
   */
  HostLeftovers(Path dir, String cgroupParent) {
    if (cgroupParent.isEmpty() || cgroupParent.contains("/")) {
      throw new IllegalArgumentException("not a single cgroup name: " + cgroupParent);
    }
    this.dir = dir;
    this.cgroupParent = cgroupParent;
  }

  /** Removes everything, in the order that lets each step succeed. */
  void removeAll() {
    killProcesses();
    unmountAll();
    removeCgroups();
    deleteDirectory();
  }

  /**
   * Shims (their command line names our socket) and container processes (they are in our pods'
   * cgroups). A container's root directory cannot tell: seen from outside its mount namespace, it
   * reads as "/".
   */
  List<ProcessHandle> processes() {
    long self = ProcessHandle.current().pid();
    Set<Long> inPods = pidsInCgroups();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(p -> p.pid() != self)
          .filter(p -> inPods.contains(p.pid()) || commandLineNamesDirectory(p))
          .toList();
    }
  }

  /** Mount points under the directory, in the order they were mounted. */
  List<Path> mounts() {
    try {
      List<Path> mounts = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        // Fields: mount ID, parent ID, major:minor, root, mount point, ... (man 5 proc)
        Path mountPoint = Path.of(unescape(line.split(" ")[4]));
        if (mountPoint.startsWith(dir)) {
          mounts.add(mountPoint);
        }
      }
      return mounts;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
    }
  }

  /** The cgroup directories of our pods, in every hierarchy (cgroup v1 has one per controller). */
  List<Path> cgroups() {
    List<Path> roots = new ArrayList<>(List.of(CGROUP_ROOT));
    try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
      hierarchies.filter(Files::isDirectory).forEach(roots::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + CGROUP_ROOT, e);
    }
    return roots.stream()
        .map(root -> root.resolve(cgroupParent))
        .filter(Files::isDirectory)
        .distinct()
        .toList();
  }

  private void killProcesses() {
    List<ProcessHandle> left = processes();
    if (left.isEmpty()) {
      return;
    }
    log.warn("killing {} processes left by containerd in {}", left.size(), dir);
    List<Path> sockets = left.stream().flatMap(p -> shimSockets(p).stream()).toList();
    left.forEach(ProcessHandle::destroyForcibly);
    await("processes of " + dir + " to exit")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> processes().isEmpty());
    for (Path socket : sockets) {
      // A killed shim cannot remove its socket, which containerd 1.6 puts outside our directory.
      deleteFile(socket);
    }
  }

  private void unmountAll() {
    List<Path> mounts = new ArrayList<>(mounts());
    // The most recent mount first: a mount stacked on another must go before the one below.
    for (int i = mounts.size() - 1; i >= 0; i--) {
      Command.run(List.of("umount", "--lazy", mounts.get(i).toString()));
    }
    if (!mounts().isEmpty()) {
      throw new IllegalStateException("still mounted after umount: " + mounts());
    }
  }

  private void removeCgroups() {
    for (Path cgroup : cgroups()) {
      // Only directories can be removed in a cgroup file system, and only the innermost first.
      try (Stream<Path> tree = Files.walk(cgroup)) {
        for (Path p : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (NoSuchFileException e) {
        // Another name for a hierarchy already removed (cpu and cpuacct may be one mount).
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove cgroup " + cgroup, e);
      }
    }
  }

  private void deleteDirectory() {
    if (!mounts().isEmpty()) {
      // Deleting through a mount point would delete the mounted files.
      throw new IllegalStateException("not deleting " + dir + ", still mounted: " + mounts());
    }
    try {
      Files.walkFileTree(dir, new Deleter());
    } catch (NoSuchFileException e) {
      // Already gone.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private boolean commandLineNamesDirectory(ProcessHandle process) {
    Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
          .contains(dir.toString());
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  private Set<Long> pidsInCgroups() {
    Set<Long> pids = new HashSet<>();
    for (Path cgroup : cgroups()) {
      try (Stream<Path> tree = Files.walk(cgroup)) {
        for (Path procs : tree.filter(p -> p.endsWith("cgroup.procs")).toList()) {
          Files.readAllLines(procs).forEach(line -> pids.add(Long.parseLong(line.trim())));
        }
      } catch (IOException e) {
        // The cgroup went away while we read it; its processes went with it.
      }
    }
    return pids;
  }

  /** The sockets under {@value #SHIM_SOCKETS} that a process listens on or holds open. */
  private static List<Path> shimSockets(ProcessHandle process) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      for (Path fd : fds.toList()) {
        String target = readLink(fd);
        if (target.startsWith("socket:[")) {
          inodes.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
      List<Path> sockets = new ArrayList<>();
      // Columns: Num RefCount Protocol Flags Type St Inode Path
      for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length == 8
            && inodes.contains(columns[6])
            && columns[7].startsWith(SHIM_SOCKETS)) {
          sockets.add(Path.of(columns[7]));
        }
      }
      return sockets;
    } catch (IOException e) {
      return List.of(); // gone meanwhile
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteFile(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  /** Undoes the octal escapes (space, tab, newline, backslash) of /proc/self/mountinfo. */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Deletes a tree bottom-up without following symbolic links. */
  private static final class Deleter extends SimpleFileVisitor<Path> {
    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      Files.delete(file);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
      if (e != null) {
        throw e;
      }
      Files.delete(directory);
      return FileVisitResult.CONTINUE;
    }
  }
}
