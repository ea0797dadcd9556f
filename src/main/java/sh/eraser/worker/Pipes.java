package sh.eraser.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The named pipes through which the collector, scanner and remover of one worker pod pass image
 * lists and completion signals. Opening a pipe blocks until the other side opens it, which is what
 * keeps the three containers in step.
 */
public final class Pipes {

  public static final Path DEFAULT_DIR = Path.of("/run/eraser.sh/shared-data");
  public static final String COLLECT_SCAN = "collectScan";
  public static final String SCAN_ERASE = "scanErase";
  public static final String ERASE_COMPLETE_COLLECT = "eraseCompleteCollect";
  public static final String ERASE_COMPLETE_SCAN = "eraseCompleteScan";
  public static final String COMPLETE = "complete";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Path dir;

  public Pipes(Path dir) {
    this.dir = dir;
  }

  public Path path(String name) {
    return dir.resolve(name);
  }

  /** Creates the pipe and blocks until a reader has taken the whole list. */
  public void sendImages(String name, List<ImageRecord> images) throws IOException {
    send(name, JSON.writeValueAsBytes(images));
  }

  /** Waits for the pipe to appear, then reads the list written into it. */
  public List<ImageRecord> receiveImages(String name) throws IOException {
    byte[] payload = receive(name);
    try {
      return JSON.readValue(payload, new TypeReference<List<ImageRecord>>() {});
    } catch (IOException e) {
      throw new IOException("the image list in " + path(name) + " is not valid JSON", e);
    }
  }

  /** Writes "complete" into a pipe the other side created; waits for it to appear. */
  public void signalComplete(String name) throws IOException {
    awaitPipe(name);
    Files.write(path(name), COMPLETE.getBytes(StandardCharsets.US_ASCII));
  }

  /** Creates the pipe and waits for "complete" to arrive through it. */
  public void awaitComplete(String name) throws IOException {
    createFifo(name);
    String got = new String(Files.readAllBytes(path(name)), StandardCharsets.US_ASCII);
    if (!COMPLETE.equals(got.strip())) {
      throw new IOException("expected \"complete\" in " + path(name) + " but read \"" + got + "\"");
    }
  }

  public boolean exists(String name) {
    return Files.exists(path(name));
  }

  private void send(String name, byte[] payload) throws IOException {
    createFifo(name);
    Files.write(path(name), payload);
  }

  private byte[] receive(String name) throws IOException {
    awaitPipe(name);
    return Files.readAllBytes(path(name));
  }

  // Limitation: a worker waits for its peer's pipe without a time limit, as the pipe protocol
  // has no way to say that the peer died; the run's deadline has to end such a pod.
  private void awaitPipe(String name) throws IOException {
    try {
      while (!Files.exists(path(name))) {
        TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + path(name), e);
    }
  }

  // Limitation: Java has no mkfifo call, so pipes are made by the mkfifo program, which the
  // worker image must therefore contain.
  void createFifo(String name) throws IOException {
    Path fifo = path(name);
    if (Files.exists(fifo)) {
      return;
    }
    Process process =
        new ProcessBuilder("mkfifo", "-m", "0644", fifo.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException("mkfifo " + fifo + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating " + fifo, e);
    }
  }
}
