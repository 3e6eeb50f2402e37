package io.hookcast.admin;

import io.hookcast.config.StoreConfig;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness probes share the store's query: a flood of them costs the store one query a second. */
@ExtendWith(VertxExtension.class)
class StorePingTest {

  @TempDir
  Path dir;
  private SqlDeliveryStore store;
  private boolean closed;
  private final AtomicInteger queries = new AtomicInteger();

  @BeforeEach
  void openStore(Vertx vertx) throws Exception {
    store = SqlDeliveryStore.open(vertx, new StoreConfig(dir.resolve("data"), null, null, null, 1, 5_000),
      new StoreMetrics(new SimpleMeterRegistry())).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeStore() throws Exception {
    if (!closed) {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  private StorePing counted() {
    return new StorePing(() -> {
      queries.incrementAndGet();
      return store.ping();
    }, 2_000);
  }

  @Test
  void probesWithinASecondOfAQueryShareItAndALaterOneAsksAgain(Vertx vertx) throws Exception {
    StorePing ping = counted();
    List<Future<Void>> probes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      probes.add(ping.answer());
    }
    Future.all(probes).await(10, TimeUnit.SECONDS);
    ping.answer().await(10, TimeUnit.SECONDS);

    assertEquals(1, queries.get(), "queries for 201 probes within a second");

    vertx.timer(StorePing.SHARE_MS + 100).await(5, TimeUnit.SECONDS);
    ping.answer().await(10, TimeUnit.SECONDS);

    assertEquals(2, queries.get(), "queries once the first was over a second old");
  }

  @Test
  void aStoreThatStoppedAnsweringIsReportedAtTheNextQuery(Vertx vertx) throws Exception {
    StorePing ping = counted();
    ping.answer().await(10, TimeUnit.SECONDS);
    store.close().await(10, TimeUnit.SECONDS);
    closed = true;

    vertx.timer(StorePing.SHARE_MS + 100).await(5, TimeUnit.SECONDS);
    Future<Void> after = ping.answer();
    after.transform(ar -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);

    assertTrue(after.failed(), "a closed store answered the probe's query");
  }
}
