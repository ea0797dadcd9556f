package sh.eraser.scanner;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import sh.eraser.scanner.containerd.ReadContentResponse;

/** The chunks of containerd's content Read stream, as an input stream. */
final class BlobStream extends InputStream {

  private final String digest;
  private final Iterator<ReadContentResponse> chunks;
  private final Context.CancellableContext call;
  private byte[] chunk = new byte[0];
  private int position;
  private boolean closed;

  BlobStream(String digest, Iterator<ReadContentResponse> chunks, Context.CancellableContext call) {
    this.digest = digest;
    this.chunks = chunks;
    this.call = call;
  }

  @Override
  public int read() throws IOException {
    return fill() ? chunk[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, chunk.length - position);
    System.arraycopy(chunk, position, buffer, offset, n);
    position += n;
    return n;
  }

  private boolean fill() throws IOException {
    if (closed) {
      throw new IOException("blob " + digest + " is closed");
    }
    while (position >= chunk.length) {
      try {
        if (!chunks.hasNext()) {
          return false;
        }
        chunk = chunks.next().getData().toByteArray();
        position = 0;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new BlobMissingException(digest);
        }
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
          // containerd went away mid-read: a fault of the run, not of this image.
          throw new ContainerdException(
              "containerd stopped answering while blob " + digest + " was read", e);
        }
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
          throw new ScanTimeoutException("reading blob " + digest + " ran out of time");
        }
        throw new IOException(
            "reading blob " + digest + " failed: " + ContainerdClient.describe(e.getStatus()), e);
      }
    }
    return true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      call.cancel(null);
    }
  }
}
