package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the operator's tests share: a fresh store per test (the embedded one or PostgreSQL, by subclass), messages
 * received at chosen instants, and attempts seeded the way the scheduler makes them, through claim() and record().
 */
@ExtendWith(VertxExtension.class)
abstract class OperationsTestBase {

  /** The configuration of a fresh, empty store for one test. */
  abstract StoreConfig freshStore();

  Future<SqlDeliveryStore> open(Vertx vertx) {
    return StoreContractTest.open(vertx, freshStore());
  }

  static NewMessage message(String route, String senderId, Instant receivedAt, String body, String... backends) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain")
      .add("X-Twice", "one").add("X-Twice", "two");
    return new NewMessage(route, "POST", route + "/x?q=1", headers, Buffer.buffer(body), List.of(backends), senderId,
      receivedAt.minus(Duration.ofHours(24)), receivedAt, null, null);
  }

  static AttemptRecord attempt(Instant startedAt, AttemptOutcome outcome, Integer status, boolean manual) {
    String error = status == null ? "connection refused" : null;
    return new AttemptRecord(startedAt, 7, status, outcome, error, status == null ? null : "answer " + status, "node-a", manual);
  }

  /** Claims every due delivery of {@code backend}, by message id. */
  static Future<Map<String, ClaimedDelivery>> claimAll(SqlDeliveryStore store, String backend) {
    return claimEvery(store, backend, new ArrayList<>())
      .map(claimed -> claimed.stream().collect(Collectors.toMap(ClaimedDelivery::messageId, Function.identity())));
  }

  /** Claims until a claim comes back short of {@link DeliveryStore#MAX_CLAIM}: every delivery due, in claim order. */
  static Future<List<ClaimedDelivery>> claimEvery(SqlDeliveryStore store, String backend, List<ClaimedDelivery> claimed) {
    return store.claim(backend, "node-a", DeliveryStore.MAX_CLAIM, Long.MAX_VALUE, true, 60_000).compose(more -> {
      claimed.addAll(more);
      return more.size() < DeliveryStore.MAX_CLAIM ? Future.succeededFuture(claimed) : claimEvery(store, backend, claimed);
    });
  }

  /** Accepts {@code messages} one after the other, so that their order is the order given; their ids in that order. */
  static Future<List<String>> acceptAll(SqlDeliveryStore store, List<NewMessage> messages) {
    List<Future<Accepted>> accepts = new ArrayList<>();
    messages.forEach(message -> accepts.add(store.accept(message)));
    return Future.all(accepts).map(all -> accepts.stream().map(a -> a.result().id()).toList());
  }
}
