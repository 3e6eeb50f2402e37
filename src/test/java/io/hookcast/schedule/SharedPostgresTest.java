package io.hookcast.schedule;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.StoreConfig;
import io.hookcast.http.HookcastHeaders;
import io.hookcast.store.StoreMetrics;
import io.hookcast.store.Accepted;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.PostgresServer;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RecordingBackend.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two nodes (two Vert.x instances, each with its store client, forwarder and scheduler) sharing one PostgreSQL. */
@ExtendWith(VertxExtension.class)
class SharedPostgresTest {

  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes(VertxTestContext context) {
    Future.all(nodes.stream().map(Vertx::close).toList()).onComplete(context.succeedingThenComplete());
  }

  private record Node(Vertx vertx, SqlDeliveryStore store) {
  }

  private Future<Node> node(StoreConfig config) {
    Vertx vertx = Vertx.vertx();
    nodes.add(vertx);
    return SqlDeliveryStore.open(vertx, config, new StoreMetrics(new SimpleMeterRegistry())).map(store -> new Node(vertx, store));
  }

  private static Future<Void> deliver(Node node, String name, BackendConfig backend, long leaseMs) {
    return AsyncSetup.deliver(node.vertx(), node.store(), new StoreMetrics(new SimpleMeterRegistry()), name, backend,
      List.of(200L, 200L, 200L, 200L, 200L), leaseMs).mapEmpty();
  }

  /**
   * Closes the node that {@code doomedSteps} ran on and yields, off its context, once it is closed: the futures of a
   * closed instance's context call their listeners on an event loop that no longer runs.
   */
  private static Future<Void> afterCrash(Vertx from, Future<Vertx> doomedSteps) {
    Promise<Void> crashed = Promise.promise();
    doomedSteps.onComplete(ar -> from.runOnContext(v -> {
      if (ar.failed()) {
        crashed.fail(ar.cause());
      } else {
        ar.result().close().onComplete(crashed);
      }
    }));
    return crashed.future();
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture() : vertx.timer(50).compose(v -> until(vertx, done));
  }

  private static Map<String, Integer> countById(List<Received> received) {
    Map<String, Integer> counts = new HashMap<>();
    received.forEach(r -> counts.merge(r.headers().get(HookcastHeaders.MESSAGE_ID), 1, Integer::sum));
    return counts;
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void twoSchedulersDeliverEveryMessageOnceBetweenThem(Vertx vertx, VertxTestContext context) {
    StoreConfig config = postgres.freshDatabase();
    Set<String> deliveringNow = ConcurrentHashMap.newKeySet();
    List<String> overlaps = new ArrayList<>();
    RecordingBackend.start(vertx, (request, body) -> {
        String id = request.getHeader(HookcastHeaders.MESSAGE_ID);
        if (!deliveringNow.add(id)) {
          overlaps.add(id);
        }
        vertx.setTimer(5, t -> {
          deliveringNow.remove(id);
          request.response().end("ok");
        });
      })
      .compose(backend -> {
        BackendConfig ci = AsyncSetup.backend("ci", backend.url(), 10_000, 5);
        List<Future<Accepted>> accepts = new ArrayList<>();
        return node(config).compose(a -> node(config).compose(b -> deliver(a, "node-a", ci, 30_000)
            .compose(v -> deliver(b, "node-b", ci, 30_000))
            .compose(v -> {
              for (int i = 0; i < 300; i++) {
                accepts.add((i % 2 == 0 ? a : b).store().accept(AsyncSetup.message("w" + i, "ci")));
              }
              return Future.all(accepts);
            })))
          .compose(accepted -> until(vertx, () -> countById(backend.received()).size() == 300))
          .compose(v -> vertx.timer(500))
          .onComplete(context.succeeding(v -> context.verify(() -> {
            Map<String, Integer> counts = countById(backend.received());
            assertEquals(accepts.stream().map(a -> a.result().id()).collect(Collectors.toSet()), counts.keySet());
            assertEquals(List.of(), overlaps, "delivered by both nodes at once");
            assertEquals(300, backend.received().size(), "delivered more than once while both nodes lived: "
              + counts.entrySet().stream().filter(e -> e.getValue() > 1).toList());
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }

  /** A node whose lane has found nothing for a while still delivers what another node stored and did not deliver. */
  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void anIdleSchedulerDeliversWhatAnotherNodeStoredWithoutTellingIt(Vertx vertx, VertxTestContext context) {
    StoreConfig config = postgres.freshDatabase();
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(backend -> node(config).compose(a -> node(config).compose(b -> deliver(b, "node-b",
            AsyncSetup.backend("ci", backend.url(), 10_000, 5), 30_000)
          .compose(v -> b.vertx().timer(1_500))
          // Node a runs no scheduler: nothing tells node b of the message, as when a node stores more than it delivers.
          .compose(idle -> a.store().accept(AsyncSetup.message("stored by a", "ci")))))
        .compose(accepted -> {
          long start = System.nanoTime();
          return until(vertx, () -> !backend.received().isEmpty())
            .map(v -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }))
      .onComplete(context.succeeding(waitedMs -> context.verify(() -> {
        assertTrue(waitedMs < 5_000, "delivered after " + waitedMs + " ms");
        context.completeNow();
      })));
  }

  /** routes[].order across nodes: no two nodes deliver one key to one backend at once, and each key keeps its order. */
  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void twoSchedulersKeepEachKeysOrderAndNeverDeliverOneKeyTwiceAtOnce(Vertx vertx, VertxTestContext context) {
    StoreConfig config = postgres.freshDatabase();
    Map<String, Integer> inProgress = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    Map<String, List<Integer>> byKey = new ConcurrentHashMap<>();
    RecordingBackend.start(vertx, (request, body) -> {
        String[] parts = body.toString().split(" ");
        String key = parts[1];
        if (inProgress.merge(key, 1, Integer::sum) > 1) {
          overlaps.add(key);
        }
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[0]));
        vertx.setTimer(5, t -> {
          inProgress.merge(key, -1, Integer::sum);
          request.response().end("ok");
        });
      })
      .compose(backend -> {
        BackendConfig ci = AsyncSetup.backend("ci", backend.url(), 10_000, 5);
        return node(config).compose(a -> node(config).compose(b -> deliver(a, "node-a", ci, 30_000)
            .compose(v -> deliver(b, "node-b", ci, 30_000))
            .compose(v -> acceptInTurn(a, b, 0, 200))))
          .compose(v -> until(vertx, () -> byKey.values().stream().mapToInt(List::size).sum() >= 200))
          .compose(v -> vertx.timer(500))
          .onComplete(context.succeeding(v -> context.verify(() -> {
            assertEquals(List.of(), overlaps, "one key delivered twice at once");
            assertEquals(10, byKey.size());
            byKey.forEach((key, numbers) -> {
              List<Integer> sorted = new ArrayList<>(numbers);
              Collections.sort(sorted);
              assertEquals(sorted, numbers, key + " out of acceptance order");
              assertEquals(20, numbers.size(), key + " delivered " + numbers.size() + " times");
            });
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }

  /** One after the other, alternating nodes, so that the order of acceptance is the order of the numbers. */
  private static Future<Void> acceptInTurn(Node a, Node b, int next, int count) {
    if (next == count) {
      return Future.succeededFuture();
    }
    String key = "key-" + next % 10;
    return (next % 2 == 0 ? a : b).store().accept(AsyncSetup.ordered(next + " " + key, key, "ci"))
      .compose(accepted -> acceptInTurn(a, b, next + 1, count));
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void aSurvivingSchedulerTakesOverADeadNodesDeliveriesOnceTheirLeasesExpire(Vertx vertx, VertxTestContext context) {
    StoreConfig config = postgres.freshDatabase();
    long leaseMs = 6_000;
    long[] claimedNoEarlierThan = new long[1];
    Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    List<HttpServerRequest> held = new ArrayList<>();
    boolean[] letGo = new boolean[1];
    Future.all(RecordingBackend.start(vertx, (request, body) -> {
          if (letGo[0]) {
            request.response().setStatusCode(503).end();
          } else {
            held.add(request);
          }
        }),
        RecordingBackend.start(vertx, (request, body) -> {
          firstArrival.putIfAbsent(request.getHeader(HookcastHeaders.MESSAGE_ID), System.currentTimeMillis());
          request.response().end("ok");
        }))
      .compose(backends -> {
        RecordingBackend hanging = backends.resultAt(0);
        RecordingBackend live = backends.resultAt(1);
        List<Future<Accepted>> accepts = new ArrayList<>();
        return afterCrash(vertx, node(config)
          .compose(doomed -> deliver(doomed, "node-b", AsyncSetup.backend("ci", hanging.url(), 3_000, 100), leaseMs)
            .compose(v -> {
              for (int i = 0; i < 50; i++) {
                accepts.add(doomed.store().accept(AsyncSetup.message("w" + i, "ci")));
              }
              return Future.all(accepts);
            })
            .compose(v -> {
              // Every lease is taken after the messages were committed.
              claimedNoEarlierThan[0] = System.currentTimeMillis();
              return until(vertx, () -> !hanging.received().isEmpty());
            })
            // Its forwarder sends a few at a time; all 50 are claimed at once, well within this.
            .compose(v -> vertx.timer(1_000))
            // Dies holding its leases: its store connection goes first, so no result of its attempts is recorded;
            // the hanging backend then lets go of its requests, so that the node's forwarder stops at once.
            .compose(v -> doomed.store().close())
            .compose(v -> {
              letGo[0] = true;
              held.forEach(request -> request.response().setStatusCode(503).end());
              return Future.succeededFuture(doomed.vertx());
            })))
          .compose(dead -> node(config))
          .compose(survivor -> deliver(survivor, "node-a", AsyncSetup.backend("ci", live.url(), 5_000, 5), leaseMs))
          .compose(v -> until(vertx, () -> countById(live.received()).size() == 50))
          .onComplete(context.succeeding(v -> context.verify(() -> {
            assertEquals(accepts.stream().map(a -> a.result().id()).collect(Collectors.toSet()),
              countById(live.received()).keySet());
            long earliest = firstArrival.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            assertTrue(earliest >= claimedNoEarlierThan[0] + leaseMs,
              "taken over " + (earliest - claimedNoEarlierThan[0]) + " ms after the claim, before the lease of "
                + leaseMs + " ms expired");
            // The dead node's attempts were claimed, so they count (a webhook that kills nodes ends dead in the end);
            // none of them was recorded, so the survivor makes attempt 2 of each.
            assertTrue(live.received().stream().allMatch(r -> "2".equals(r.headers().get(HookcastHeaders.ATTEMPT))),
              live.received().stream().map(r -> r.headers().get(HookcastHeaders.ATTEMPT)).toList().toString());
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }
}
