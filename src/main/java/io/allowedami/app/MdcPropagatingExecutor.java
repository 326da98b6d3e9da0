package io.allowedami.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Runs each task with the logging context (MDC) of the thread that submitted it. JOSDK puts the
 * policy being reconciled into the MDC of its reconcile thread ({@code resource.name}, ...); the
 * Regions run on the region pool, whose log lines would otherwise not say which policy they serve.
 */
final class MdcPropagatingExecutor extends AbstractExecutorService {
  private final ExecutorService delegate;

  MdcPropagatingExecutor(ExecutorService delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    Map<String, String> submitter = MDC.getCopyOfContextMap();
    delegate.execute(
        () -> {
          Map<String, String> own = MDC.getCopyOfContextMap();
          replaceContext(submitter);
          try {
            task.run();
          } finally {
            replaceContext(own);
          }
        });
  }

  private static void replaceContext(Map<String, String> context) {
    if (context == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(context);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}
