package sh.eraser.scanner;

import io.grpc.Deadline;
import java.time.Clock;
import java.time.Duration;

/**
 * A containerd lease held while one image is read, so that garbage collection cannot take a blob
 * halfway through. It expires on its own if the scanner dies before deleting it.
 */
final class Lease implements AutoCloseable {

  private final ContainerdClient containerd;
  private final String id;

  private Lease(ContainerdClient containerd, String id) {
    this.containerd = containerd;
    this.id = id;
  }

  /** The expiry is on containerd's clock, the real one, whatever clock the scan is judged by. */
  static Lease create(ContainerdClient containerd, Duration expiry) {
    return new Lease(containerd, containerd.createLease(expiry, Clock.systemUTC()));
  }

  String id() {
    return id;
  }

  void protect(String digest, Deadline deadline) {
    containerd.leaseBlob(id, digest, deadline);
  }

  @Override
  public void close() {
    containerd.deleteLease(id);
  }
}
