package io.allowedami.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects what the operator logs while open, with the thread and logging context of each line. */
public final class CapturedLogs implements AutoCloseable {
  /** One log line as the backend received it. */
  public record Line(String logger, String thread, String message, Map<String, String> context) {}

  private static final String LOGGER = "io.allowedami";

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final AbstractAppender appender;

  public CapturedLogs() {
    appender =
        new AbstractAppender(
            "captured-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(
                new Line(
                    event.getLoggerName(),
                    event.getThreadName(),
                    event.getMessage().getFormattedMessage(),
                    Map.copyOf(event.getContextData().toMap())));
          }
        };
    appender.start();
    loggerConfig().addAppender(appender, Level.INFO, null);
    context.updateLoggers();
  }

  private LoggerConfig loggerConfig() {
    return context.getConfiguration().getLoggerConfig(LOGGER);
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    loggerConfig().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
