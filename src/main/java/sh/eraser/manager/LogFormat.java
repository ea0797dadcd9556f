package sh.eraser.manager;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * How the manager's log lines look: {@code json} (one object per line, from {@code logback.xml},
 * the default, for log collectors) or {@code text} (for a person reading a terminal).
 */
public enum LogFormat {
  JSON,
  TEXT;

  /**
   * The text layout: time, level, logger, then the resource the line is about, taken from the MDC
   * that the operator framework fills while it reconciles (and that {@link LogContext} fills
   * elsewhere). Lines about no resource carry no identity; cluster-scoped resources no namespace.
   */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} %-5level %logger{0} "
          + "%replace(%replace(%X{resource.kind} %X{resource.namespace}/%X{resource.name}: )"
          + "{'no namespace/', ''}){'^ /: $', ''}%msg%n";

  /**
   * Makes every console appender of the root logger use this format. JSON leaves the configuration
   * file's encoder as it is; levels are not touched either way.
   */
  public void install() {
    install((LoggerContext) LoggerFactory.getILoggerFactory());
  }

  void install(LoggerContext context) {
    if (this == JSON) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (OutputStreamAppender<ILoggingEvent> appender : outputAppenders(root)) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern(TEXT_PATTERN);
      encoder.start();
      // Swapped in place: stopping the appender would close its stream.
      appender.setEncoder(encoder);
    }
  }

  private static List<OutputStreamAppender<ILoggingEvent>> outputAppenders(Logger root) {
    List<OutputStreamAppender<ILoggingEvent>> found = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> output) {
        found.add(output);
      }
    }
    return found;
  }
}
