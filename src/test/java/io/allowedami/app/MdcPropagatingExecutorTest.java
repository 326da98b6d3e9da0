package io.allowedami.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class MdcPropagatingExecutorTest {
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final MdcPropagatingExecutor executor = new MdcPropagatingExecutor(worker);

  @AfterEach
  void stop() throws InterruptedException {
    MDC.clear();
    executor.shutdown();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.isTerminated()).as("shutdown reaches the pool").isTrue();
  }

  @Test
  void whenATaskIsSubmitted_thenItRunsWithTheSubmittersContext_andThePoolThreadIsLeftClean() {
    MDC.put("resource.name", "policy-a");
    Map<String, String> seen =
        CompletableFuture.supplyAsync(MDC::getCopyOfContextMap, executor).join();
    MDC.clear();
    Map<String, String> afterwards =
        CompletableFuture.supplyAsync(MDC::getCopyOfContextMap, executor).join();

    assertThat(seen).containsEntry("resource.name", "policy-a");
    assertThat(afterwards == null || afterwards.isEmpty()).as("no context left behind").isTrue();
  }
}
