package sh.eraser.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the OSV database comes from: {@code <dbRepo>/<Ecosystem>/all.zip}, with {@code dbRepo} a
 * {@code file://} directory (read in place) or an {@code https://} base URL (downloaded into the
 * cache directory, at most once per run, revalidated with the ETag of the copy there). Every zip is
 * checked before use.
 */
public final class OsvSource {

  private static final Logger log = LoggerFactory.getLogger(OsvSource.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

  private final URI repo;
  private final Path cacheDir;
  private final HttpClient http;
  private final Map<String, Optional<Path>> fetched = new HashMap<>();

  public OsvSource(String dbRepo, Path cacheDir, HttpClient http) {
    this.repo = URI.create(dbRepo.endsWith("/") ? dbRepo : dbRepo + "/");
    this.cacheDir = cacheDir;
    this.http = http;
  }

  /** A client for the public internet or a mirror, with the JVM's trusted certificates. */
  public static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /**
   * The checked zip of a base ecosystem such as {@code Debian}, or empty when the repository has
   * none for it.
   *
   * @throws DatabaseUnavailableException when the repository cannot be reached or gives a zip that
   *     is not an OSV database
   */
  public synchronized Optional<Path> zip(String ecosystem) {
    Optional<Path> known = fetched.get(ecosystem);
    if (known != null) {
      return known;
    }
    Optional<Path> zip;
    try {
      zip = "file".equals(repo.getScheme()) ? local(ecosystem) : download(ecosystem);
      if (zip.isPresent()) {
        validate(zip.get());
      }
    } catch (IOException e) {
      throw new DatabaseUnavailableException(
          "the OSV database for " + ecosystem + " from " + repo + " is unusable: " + e.getMessage(),
          e);
    }
    fetched.put(ecosystem, zip);
    return zip;
  }

  private Optional<Path> local(String ecosystem) throws IOException {
    Path dir = Path.of(repo);
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    // Also the layout osv-scanner's offline download leaves.
    for (Path candidate :
        new Path[] {
          dir.resolve(ecosystem).resolve("all.zip"),
          dir.resolve("osv-scanner").resolve(ecosystem).resolve("all.zip")
        }) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  // Limitation: the whole all.zip of an ecosystem is fetched when it changed (no incremental
  // update from modified_id.csv), and a repository that cannot be reached fails the run even
  // when an older copy is in the cache directory.
  private Optional<Path> download(String ecosystem) throws IOException {
    Path dir = Files.createDirectories(cacheDir.resolve(ecosystem));
    Path zip = dir.resolve("all.zip");
    Path etagFile = dir.resolve("all.zip.etag");
    URI uri = repo.resolve(encode(ecosystem) + "/all.zip");
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET();
    if (Files.isRegularFile(zip) && Files.isRegularFile(etagFile)) {
      request.header("If-None-Match", Files.readString(etagFile, StandardCharsets.UTF_8).strip());
    }
    Path partial = Files.createTempFile(dir, "all.zip.", ".part");
    try {
      HttpResponse<Path> response = send(request.build(), partial, uri);
      switch (response.statusCode()) {
        case 304 -> {
          log.info("OSV database for {} unchanged since the cached copy", ecosystem);
          return Optional.of(zip);
        }
        case 404 -> {
          log.warn("{} has no OSV database for {}", repo, ecosystem);
          return Optional.empty();
        }
        case 200 -> {
          validate(partial);
          Files.move(
              partial, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          Optional<String> etag = response.headers().firstValue("ETag");
          if (etag.isPresent()) {
            Files.writeString(etagFile, etag.get(), StandardCharsets.UTF_8);
          } else {
            Files.deleteIfExists(etagFile);
          }
          log.info("downloaded the OSV database for {} ({} bytes)", ecosystem, Files.size(zip));
          return Optional.of(zip);
        }
        default -> throw new IOException(uri + " answered HTTP " + response.statusCode());
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private HttpResponse<Path> send(HttpRequest request, Path into, URI uri) throws IOException {
    try {
      return http.send(
          request,
          HttpResponse.BodyHandlers.ofFile(
              into,
              java.nio.file.StandardOpenOption.WRITE,
              java.nio.file.StandardOpenOption.TRUNCATE_EXISTING));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    } catch (IOException e) {
      throw new IOException("cannot download " + uri + ": " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if ((message == null || message.isBlank()) && cause != null) {
      message = cause.toString();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** "Rocky Linux" is a path segment with a space. */
  private static String encode(String ecosystem) {
    return ecosystem.replace(" ", "%20");
  }

  /** A usable database is a zip whose entries are JSON records with an id. */
  static void validate(Path zip) throws IOException {
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.getName().endsWith(".json")) {
          try (InputStream in = file.getInputStream(entry)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            if (!head.contains("\"id\"")) {
              throw new IOException(entry.getName() + " in " + zip + " is not an OSV record");
            }
          }
          return;
        }
      }
      throw new IOException(zip + " holds no OSV records");
    } catch (java.util.zip.ZipException e) {
      throw new IOException(zip + " is not a zip archive: " + e.getMessage(), e);
    }
  }
}
