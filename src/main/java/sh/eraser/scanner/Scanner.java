package sh.eraser.scanner;

import io.grpc.Deadline;
import io.grpc.Status;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.config.ScannerConfig;

/**
 * Scans the images of one run: reads every image's distribution and packages from containerd (each
 * within {@code timeout.perImage}, all within {@code timeout.total}), loads the advisories of the
 * distributions found, and judges each image.
 */
public final class Scanner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Scanner.class);

  /**
   * The largest OS file or text package database read (a dpkg status is a few MiB at most); rpm's
   * sqlite database, copied to a temporary file, may be eight times as large.
   */
  public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

  private final Settings settings;
  private final ContainerdClient containerd;
  private final ImageReader reader;
  private final ScanPolicy policy;
  private final OsvSource source;

  /** Base ecosystems the repository has no zip for, in the current run. */
  private final Set<String> missing = new HashSet<>();

  /**
   * How the scanner is set up.
   *
   * @param config the scanner's configuration
   * @param socket containerd's socket
   * @param namespace containerd namespace of the images
   * @param platform the node's platform, picked from image indexes
   * @param clock the clock for time budgets and end-of-life dates
   * @param http the client that downloads the database
   * @param callTimeout the deadline of each containerd call
   */
  public record Settings(
      ScannerConfig config,
      Path socket,
      String namespace,
      Platform platform,
      Clock clock,
      HttpClient http,
      Duration callTimeout) {}

  public Scanner(Settings settings) {
    this.settings = settings;
    this.containerd =
        ContainerdClient.open(settings.socket(), settings.namespace(), settings.callTimeout());
    this.reader =
        new ImageReader(
            containerd,
            settings.platform(),
            new LayerCache(),
            new LayerReader(MAX_FILE_BYTES, new RpmDatabase()));
    this.policy = new ScanPolicy(settings.config(), EolTable.builtIn(settings.clock()));
    this.source =
        new OsvSource(
            settings.config().dbRepo(), Path.of(settings.config().cacheDir()), settings.http());
  }

  /**
   * Scans the images in order.
   *
   * @throws DatabaseUnavailableException when the database cannot be had: then no image can be
   *     judged
   */
  public List<ImageScan> scan(List<ScanTarget> targets) {
    checkContainerd();
    ScannerConfig.Timeout timeout = settings.config().timeout();
    Instant end = Instant.now(settings.clock()).plus(timeout.total());
    List<Read> reads = new ArrayList<>();
    for (ScanTarget target : targets) {
      long started = System.nanoTime();
      reads.add(inventory(target, end, timeout.perImage()).took(System.nanoTime() - started));
    }
    OsvDatabase db = database(reads);
    List<ImageScan> scans = new ArrayList<>();
    for (Read read : reads) {
      long started = System.nanoTime();
      ImageScan scan =
          read.early() != null ? read.early() : judge(read.target(), read.inventory(), db);
      scans.add(scan.took((read.nanos() + System.nanoTime() - started) / 1_000_000));
    }
    return scans;
  }

  /**
   * One image read: its inventory, or the verdict that ended its scan early (gone, failed), and how
   * long reading took.
   */
  private record Read(ScanTarget target, Inventory inventory, ImageScan early, long nanos) {
    static Read of(ScanTarget target, Inventory inventory) {
      return new Read(target, inventory, null, 0);
    }

    static Read early(ImageScan verdict) {
      return new Read(verdict.target(), null, verdict, 0);
    }

    Read took(long elapsed) {
      return new Read(target, inventory, early, elapsed);
    }
  }

  private Read inventory(ScanTarget target, Instant end, Duration perImage) {
    Duration left = Duration.between(Instant.now(settings.clock()), end);
    if (left.isNegative() || left.isZero()) {
      return Read.early(
          policy.failed(
              target,
              "timeout.total of "
                  + settings.config().timeout().total().toSeconds()
                  + "s was used up before this image",
              null));
    }
    boolean perImageFirst = perImage.compareTo(left) <= 0;
    Duration budget = perImageFirst ? perImage : left;
    Deadline deadline = Deadline.after(budget.toMillis(), TimeUnit.MILLISECONDS);
    try {
      Optional<ImageFiles> files = reader.read(target.references(), deadline, budget);
      if (files.isEmpty()) {
        return Read.early(policy.gone(target));
      }
      if (deadline.isExpired()) {
        throw new ScanTimeoutException("out of time");
      }
      return Read.of(target, Inventory.of(files.get()));
    } catch (ScanTimeoutException e) {
      return Read.early(timedOut(target, perImageFirst, budget));
    } catch (ContainerdException e) {
      Status.Code code = Status.fromThrowable(e.getCause()).getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.UNIMPLEMENTED) {
        throw unavailable(e);
      }
      if (code == Status.Code.DEADLINE_EXCEEDED) {
        return Read.early(timedOut(target, perImageFirst, budget));
      }
      return Read.early(policy.failed(target, e.getMessage(), null));
    } catch (IOException | RuntimeException e) {
      return Read.early(policy.failed(target, String.valueOf(e.getMessage()), null));
    }
  }

  /**
   * Asks containerd for an image that does not exist: NOT_FOUND shows its images service answers in
   * the namespace; anything else means no image could be read.
   */
  // Limitation: images are read only through containerd's API; on CRI-O (or the Docker shim)
  // the scanner fails the run, and nothing is removed.
  private void checkContainerd() {
    try {
      containerd.imageTarget(
          "eraser.sh/scanner-check:none",
          Deadline.after(ContainerdClient.CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ContainerdException e) {
      throw unavailable(e);
    }
  }

  private ContainerdUnavailableException unavailable(ContainerdException e) {
    return new ContainerdUnavailableException(
        "cannot read images through containerd's API at "
            + settings.socket()
            + " (is the node's runtime containerd?): "
            + e.getMessage(),
        e);
  }

  private ImageScan timedOut(ScanTarget target, boolean perImageFirst, Duration budget) {
    String which = perImageFirst ? "timeout.perImage" : "what was left of timeout.total";
    return policy.failed(
        target, "the scan took longer than " + which + " (" + budget.toMillis() + " ms)", null);
  }

  /**
   * Loads the advisories of the distributions the images run, one zip per base ecosystem.
   *
   * <p>Limitation: loading the database happens after every image was read and is not held to
   * timeout.total.
   */
  private OsvDatabase database(List<Read> reads) {
    Map<String, Set<String>> wanted = new HashMap<>();
    for (Read read : reads) {
      Inventory inventory = read.inventory();
      if (inventory != null && inventory.os().isPresent()) {
        OperatingSystem os = inventory.os().get();
        if (os.baseEcosystem().isPresent() && os.ecosystem().isPresent()) {
          wanted
              .computeIfAbsent(os.baseEcosystem().get(), b -> new HashSet<>())
              .add(os.ecosystem().get());
        }
      }
    }
    OsvDatabase db = OsvDatabase.empty();
    missing.clear();
    for (var entry : wanted.entrySet()) {
      Optional<Path> zip = source.zip(entry.getKey());
      if (zip.isEmpty()) {
        missing.add(entry.getKey());
        continue;
      }
      long started = System.nanoTime();
      try {
        db.add(zip.get(), entry.getValue());
      } catch (IOException e) {
        throw new DatabaseUnavailableException(
            "the OSV database " + zip.get() + " cannot be read: " + e.getMessage(), e);
      }
      log.info(
          "loaded OSV advisories for {} from {} in {} ms",
          entry.getValue(),
          zip.get(),
          (System.nanoTime() - started) / 1_000_000);
    }
    return db;
  }

  private ImageScan judge(ScanTarget target, Inventory inventory, OsvDatabase db) {
    Optional<String> base = inventory.os().flatMap(OperatingSystem::baseEcosystem);
    if (base.isPresent() && missing.contains(base.get()) && !inventory.packages().isEmpty()) {
      return policy.failed(
          target,
          settings.config().dbRepo() + " has no " + base.get() + "/all.zip to check it against",
          inventory.os().get());
    }
    return policy.judge(target, inventory, db);
  }

  @Override
  public void close() {
    containerd.close();
  }
}
