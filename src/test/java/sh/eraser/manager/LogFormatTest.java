package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogFormatTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final LoggerContext context = new LoggerContext();
  private Logger logger;

  @BeforeEach
  void jsonConsole() {
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.start();
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(json);
    appender.setOutputStream(out);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(Level.INFO);
    logger = context.getLogger("sh.eraser.manager.Example");
  }

  @Test
  void textPrintsTheResourceANamespacedLineIsAbout() {
    LogFormat.TEXT.install(context);

    LogContext.about(
        "v1", "ConfigMap", "eraser-system", "config", () -> logger.info("configuration applied"));

    assertThat(printed())
        .matches("\\S+ INFO  Example ConfigMap eraser-system/config: configuration applied\n");
  }

  @Test
  void textLeavesOutTheMissingNamespaceOfAClusterScopedResource() {
    LogFormat.TEXT.install(context);

    // What the operator framework puts in the MDC for a cluster-scoped resource.
    LogContext.about(
        "eraser.sh/v1",
        "ImageList",
        "no namespace",
        "a",
        () -> logger.info("condition Ignored=True"));

    assertThat(printed()).endsWith(" INFO  Example ImageList a: condition Ignored=True\n");
  }

  @Test
  void textPrintsNoIdentityForALineAboutNoResource() {
    LogFormat.TEXT.install(context);
    MDC.clear();

    logger.warn("manager started");

    assertThat(printed()).endsWith(" WARN  Example manager started\n");
  }

  @Test
  void jsonKeepsTheConfiguredEncoderWithTheMdc() {
    LogFormat.JSON.install(context);

    LogContext.about(
        "v1", "ConfigMap", "eraser-system", "config", () -> logger.info("configuration applied"));

    assertThat(printed())
        .startsWith("{")
        .contains("\"resource.name\":\"config\"")
        .contains("configuration applied");
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
