package sh.eraser.scanner;

import com.github.luben.zstd.ZstdInputStream;
import io.grpc.Deadline;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Walks one layer as a stream (gzip, zstd or plain tar, told apart by their first bytes), keeping
 * only the files {@link KeptPaths} names and the whiteouts the layer carries.
 */
final class LayerReader {

  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final String OPAQUE_MARKER = ".wh..wh..opq";

  /** rpm's sqlite database goes to a temporary file, not the heap, so it may be larger. */
  private static final int DATABASE_FACTOR = 8;

  private final long maxFileBytes;
  private final long maxDatabaseBytes;
  private final RpmDatabase rpm;

  /**
   * @param maxFileBytes the largest kept file read into memory (eight times that for rpm's sqlite
   *     database, which is copied to a temporary file); a larger one fails the layer, so an image
   *     is never judged on a database that was cut short
   */
  LayerReader(long maxFileBytes, RpmDatabase rpm) {
    this.maxFileBytes = maxFileBytes;
    this.maxDatabaseBytes = maxFileBytes * DATABASE_FACTOR;
    this.rpm = rpm;
  }

  LayerContents read(InputStream blob, String digest, Deadline deadline) throws IOException {
    Map<String, String> texts = new HashMap<>();
    Map<String, List<InstalledPackage>> packages = new HashMap<>();
    Map<String, String> unreadable = new HashMap<>();
    Set<String> whiteouts = new HashSet<>();
    Set<String> opaque = new HashSet<>();
    DigestInputStream counted = new DigestInputStream(blob, sha256());
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(counted, digest))) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar, digest)) != null) {
        if (deadline != null && deadline.isExpired()) {
          throw new ScanTimeoutException("reading layer " + digest + " ran out of time");
        }
        String path = KeptPaths.normalise(entry.getName());
        String base = path.substring(path.lastIndexOf('/') + 1);
        String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
        if (base.equals(OPAQUE_MARKER)) {
          opaque.add(KeptPaths.normalise(parent));
          continue;
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
          whiteouts.add(parent + base.substring(WHITEOUT_PREFIX.length()));
          continue;
        }
        KeptPaths.Kind kind = KeptPaths.kind(path);
        if (kind == KeptPaths.Kind.NONE) {
          continue;
        }
        if (!entry.isFile()) {
          // Limitation: a kept path that is a symbolic or hard link is not followed; it hides
          // what lower layers had there. os-release is looked for at both of its usual places.
          whiteouts.add(path);
          continue;
        }
        long cap = kind == KeptPaths.Kind.RPM_SQLITE ? maxDatabaseBytes : maxFileBytes;
        if (entry.getSize() > cap) {
          throw new IOException(
              path
                  + " in layer "
                  + digest
                  + " is "
                  + entry.getSize()
                  + " bytes, above the scanner's limit of "
                  + cap);
        }
        keep(kind, path, tar, texts, packages, unreadable);
      }
      // The rest of the blob (tar padding, compression trailer) counts towards its digest.
      counted.transferTo(OutputStream.nullOutputStream());
    }
    verify(digest, counted.getMessageDigest().digest());
    return new LayerContents(texts, packages, unreadable, whiteouts, opaque);
  }

  private void keep(
      KeptPaths.Kind kind,
      String path,
      InputStream content,
      Map<String, String> texts,
      Map<String, List<InstalledPackage>> packages,
      Map<String, String> unreadable)
      throws IOException {
    switch (kind) {
      case OS_FILE -> texts.put(path, text(content));
      case DPKG -> packages.put(path, DpkgStatus.parse(text(content)));
      case APK -> packages.put(path, ApkInstalled.parse(text(content)));
      case RPM_SQLITE -> packages.put(path, rpmPackages(path, content));
      case RPM_OTHER ->
          // Limitation: rpm's BerkeleyDB and NDB databases (RHEL 8 and older, SUSE) are not read.
          unreadable.put(path, "rpm database in BerkeleyDB or NDB format, which is not read");
      default -> {}
    }
  }

  private List<InstalledPackage> rpmPackages(String path, InputStream content) throws IOException {
    Path copy = Files.createTempFile("eraser-rpmdb", ".sqlite");
    try {
      Files.copy(content, copy, StandardCopyOption.REPLACE_EXISTING);
      return rpm.read(copy, path);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static void verify(String digest, byte[] actual) throws IOException {
    String got = "sha256:" + HexFormat.of().formatHex(actual);
    if (digest.startsWith("sha256:") && !digest.equals(got)) {
      throw new IOException("layer " + digest + " is corrupt: its content hashes to " + got);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String text(InputStream content) throws IOException {
    return new String(content.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String digest)
      throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IllegalArgumentException e) {
      throw new IOException("layer " + digest + " is not a valid tar archive", e);
    }
  }

  /** Layers are gzip (most), zstd (newer builders) or plain tar, whatever their media type says. */
  static InputStream decompress(InputStream blob, String digest) throws IOException {
    BufferedInputStream in = new BufferedInputStream(blob, 64 * 1024);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      try {
        return new GZIPInputStream(in, 64 * 1024);
      } catch (IOException e) {
        throw new IOException("layer " + digest + " is not valid gzip", e);
      }
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return new ZstdInputStream(in);
    }
    return in;
  }
}
