package sh.eraser.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** When each distribution release stops getting security fixes, judged on an injectable clock. */
public final class EolTable {

  private final Map<String, LocalDate> endOfLife;
  private final Clock clock;

  EolTable(Map<String, LocalDate> endOfLife, Clock clock) {
    this.endOfLife = Map.copyOf(endOfLife);
    this.clock = clock;
  }

  /**
   * The table shipped with the scanner.
   *
   * <p>Limitation: the table is built in; a new release's date needs a new scanner, and it cannot
   * be overridden from the database directory.
   */
  public static EolTable builtIn(Clock clock) {
    Properties properties = new Properties();
    try (InputStream in = EolTable.class.getResourceAsStream("eol.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in end-of-life table", e);
    }
    Map<String, LocalDate> dates = new HashMap<>();
    properties.forEach((k, v) -> dates.put((String) k, LocalDate.parse((String) v)));
    return new EolTable(dates, clock);
  }

  /** The day the release's support ended or ends; empty for releases the table does not know. */
  public Optional<LocalDate> endOfLife(OperatingSystem os) {
    return Optional.ofNullable(endOfLife.get(os.family() + "." + os.release()));
  }

  /** Whether the release is past its end of support today; unknown releases are not. */
  public boolean isEndOfLife(OperatingSystem os) {
    return endOfLife(os).map(eol -> LocalDate.now(clock).isAfter(eol)).orElse(false);
  }
}
