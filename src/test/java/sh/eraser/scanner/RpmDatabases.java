package sh.eraser.scanner;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** rpm sqlite databases made in the test, with headers laid out as rpm writes them. */
final class RpmDatabases {

  private RpmDatabases() {}

  /** Writes {@code rpmdb.sqlite} listing packages given as "name epoch:version-release source". */
  static byte[] sqlite(Path dir, String... packages) throws Exception {
    Path file = dir.resolve("rpmdb-" + System.nanoTime() + ".sqlite");
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement create = db.createStatement()) {
      create.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB)");
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO Packages (blob) VALUES (?)")) {
        for (String p : packages) {
          String[] parts = p.split(" ");
          insert.setBytes(1, header(parts[0], parts[1], parts[2]));
          insert.executeUpdate();
        }
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.delete(file);
    return bytes;
  }

  /** An rpm header blob: entry count, data length, 16-byte entries, then the data. */
  static byte[] header(String name, String evr, String sourceRpm) {
    String version = evr;
    Integer epoch = null;
    int colon = evr.indexOf(':');
    if (colon > 0) {
      epoch = Integer.parseInt(evr.substring(0, colon));
      version = evr.substring(colon + 1);
    }
    int dash = version.lastIndexOf('-');
    String release = version.substring(dash + 1);
    version = version.substring(0, dash);
    List<int[]> entries = new ArrayList<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    string(entries, data, 1000, name);
    string(entries, data, 1001, version);
    string(entries, data, 1002, release);
    string(entries, data, 1044, sourceRpm);
    if (epoch != null) {
      while (data.size() % 4 != 0) {
        data.write(0);
      }
      entries.add(new int[] {1003, 4, data.size(), 1});
      data.writeBytes(ByteBuffer.allocate(4).putInt(epoch).array());
    }
    ByteBuffer blob = ByteBuffer.allocate(8 + entries.size() * 16 + data.size());
    blob.putInt(entries.size()).putInt(data.size());
    for (int[] e : entries) {
      blob.putInt(e[0]).putInt(e[1]).putInt(e[2]).putInt(e[3]);
    }
    blob.put(data.toByteArray());
    return blob.array();
  }

  private static void string(List<int[]> entries, ByteArrayOutputStream data, int tag, String v) {
    entries.add(new int[] {tag, 6, data.size(), 1});
    data.writeBytes(v.getBytes(StandardCharsets.UTF_8));
    data.write(0);
  }
}
