package sh.eraser.scanner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads rpm's sqlite database ({@code rpmdb.sqlite}, Fedora 33 and later, RHEL 9 and its rebuilds):
 * the {@code Packages} table holds one rpm header per installed package, a binary structure of
 * tagged entries from which name, epoch, version, release and source rpm are taken.
 */
final class RpmDatabase {

  private static final int TAG_NAME = 1000;
  private static final int TAG_VERSION = 1001;
  private static final int TAG_RELEASE = 1002;
  private static final int TAG_EPOCH = 1003;
  private static final int TAG_SOURCERPM = 1044;
  private static final int TYPE_INT32 = 4;
  private static final int TYPE_STRING = 6;
  private static final int ENTRY_BYTES = 16;

  List<InstalledPackage> read(Path file, String path) throws IOException {
    List<InstalledPackage> packages = new ArrayList<>();
    String url = "jdbc:sqlite:file:" + file + "?mode=ro";
    try (Connection db = DriverManager.getConnection(url);
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT blob FROM Packages")) {
      while (rows.next()) {
        InstalledPackage p = header(rows.getBytes(1), path);
        if (p != null) {
          packages.add(p);
        }
      }
    } catch (SQLException e) {
      throw new IOException(path + " is not a readable rpm sqlite database: " + e.getMessage(), e);
    }
    return packages;
  }

  /** Parses one header blob; the gpg-pubkey pseudo-packages have no source rpm and are skipped. */
  static InstalledPackage header(byte[] blob, String path) throws IOException {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(blob);
      int entries = buffer.getInt(0);
      int dataLength = buffer.getInt(4);
      int dataStart = 8 + entries * ENTRY_BYTES;
      if (entries < 0 || dataLength < 0 || dataStart + dataLength > blob.length) {
        throw new IOException("an rpm header in " + path + " has an impossible size");
      }
      String name = null;
      String version = null;
      String release = null;
      String source = null;
      Integer epoch = null;
      for (int i = 0; i < entries; i++) {
        int at = 8 + i * ENTRY_BYTES;
        int tag = buffer.getInt(at);
        int type = buffer.getInt(at + 4);
        int offset = dataStart + buffer.getInt(at + 8);
        if (type == TYPE_STRING) {
          String value = cString(blob, offset);
          switch (tag) {
            case TAG_NAME -> name = value;
            case TAG_VERSION -> version = value;
            case TAG_RELEASE -> release = value;
            case TAG_SOURCERPM -> source = value;
            default -> {}
          }
        } else if (type == TYPE_INT32 && tag == TAG_EPOCH) {
          epoch = buffer.getInt(offset);
        }
      }
      if (name == null || version == null || release == null || source == null) {
        return null;
      }
      String full = (epoch == null || epoch == 0 ? "" : epoch + ":") + version + "-" + release;
      return new InstalledPackage(name, full, sourceName(source, name), full);
    } catch (IndexOutOfBoundsException e) {
      throw new IOException("an rpm header in " + path + " is cut short", e);
    }
  }

  /** "openssl-3.0.7-24.el9.src.rpm" names the source package "openssl". */
  static String sourceName(String sourceRpm, String fallback) {
    String s = sourceRpm.endsWith(".src.rpm") ? sourceRpm.substring(0, sourceRpm.length() - 8) : "";
    int release = s.lastIndexOf('-');
    int version = release < 0 ? -1 : s.lastIndexOf('-', release - 1);
    return version <= 0 ? fallback : s.substring(0, version);
  }

  private static String cString(byte[] blob, int offset) {
    int end = offset;
    while (end < blob.length && blob[end] != 0) {
      end++;
    }
    return new String(blob, offset, end - offset, StandardCharsets.UTF_8);
  }
}
