package sh.eraser.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version baked in at build time: the default image tag and what every component reports. */
public final class BuildInfo {

  private static final String VERSION = readVersion();

  private BuildInfo() {}

  /** The project version, or "unknown" when run from classes that were not built by Maven. */
  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/sh/eraser/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build version", e);
    }
    return properties.getProperty("version", "unknown");
  }
}
