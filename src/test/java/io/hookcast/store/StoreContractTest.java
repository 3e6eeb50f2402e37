package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.config.StoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store must do; run on the embedded store and on a real PostgreSQL by the subclasses. */
@ExtendWith(VertxExtension.class)
abstract class StoreContractTest {

  /** The configuration of a fresh, empty store for one test. */
  abstract StoreConfig freshStore();

  /** How many deliveries are due when a claim asks for 40,000: more than {@link DeliveryStore#MAX_CLAIM}. */
  int claimBacklog() {
    return DeliveryStore.MAX_CLAIM + 100;
  }

  static Future<SqlDeliveryStore> open(Vertx vertx, StoreConfig config) {
    return SqlDeliveryStore.open(vertx, config, new StoreMetrics(new SimpleMeterRegistry()));
  }

  static NewMessage message(String route, String senderId, String body, String... backends) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
      .add("X-Twice", "one").add("X-Twice", "two");
    Instant now = Instant.now();
    return new NewMessage(route, "POST", route + "?q=1", headers, Buffer.buffer(body), List.of(backends), senderId,
      now.minus(Duration.ofHours(24)), now, null, null);
  }

  /**
   * A request's path and query may be three times the 4096-byte request line once percent-encoded, and its headers
   * as large as http.maxHeaderBytes allows (1 MiB), longer again as JSON: a store that refused them would refuse every
   * webhook of their accept batch.
   */
  @Test
  void storesARequestTargetAndHeadersAsLongAsTheIngressLetsThroughBesideTheirBatch(Vertx vertx, VertxTestContext context) {
    String uri = "/github?" + "%7B".repeat(23_500);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Long", "\"".repeat(520_000));
    Instant now = Instant.now();
    NewMessage large = new NewMessage("/github", "POST", uri, headers, Buffer.buffer("large"), List.of("ci"), null,
      now.minus(Duration.ofHours(24)), now, null, null);
    List<Future<Accepted>> accepts = new ArrayList<>();
    open(vertx, freshStore())
      .compose(store -> {
        // In one tick, so that they share an accept batch.
        accepts.add(store.accept(message("/github", null, "before", "ci")));
        accepts.add(store.accept(large));
        accepts.add(store.accept(message("/github", null, "after", "ci")));
        return Future.join(accepts)
          .transform(v -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
          .eventually(store::close);
      })
      .onComplete(context.succeeding(claimed -> context.verify(() -> {
        for (Future<Accepted> accept : accepts) {
          assertTrue(accept.succeeded(), "refused: " + accept.cause());
        }
        assertEquals(3, claimed.size());
        ClaimedDelivery stored = claimed.stream().filter(delivery -> delivery.body().toString().equals("large")).findFirst().orElseThrow();
        assertEquals(uri, stored.uri());
        assertEquals(headers.get("X-Long"), stored.headers().get("X-Long"));
        context.completeNow();
      })));
  }

  /**
   * A webhook's body may be as large as an async route takes ({@link StoreConfig#MAX_BODY_BYTES}). On PostgreSQL the
   * claim read a large body in one response, which the client took time in the square of its size to gather: a body
   * of 64 MiB took 9 s, one of 128 MiB was never claimed within the bound of the claim's work, and was claimed again
   * and again while its lease ran out.
   */
  @Test
  @Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
  void acceptsAndClaimsTheLargestBodyAnAsyncRouteTakesByteForByte(Vertx vertx, VertxTestContext context) {
    byte[] bytes = new byte[Math.toIntExact(StoreConfig.MAX_BODY_BYTES)];
    new Random(7).nextBytes(bytes);
    NewMessage plain = message("/uploads", null, "", "ci");
    NewMessage large = new NewMessage(plain.route(), plain.method(), plain.uri(), plain.headers(), Buffer.buffer(bytes),
      plain.backends(), null, plain.dedupSince(), plain.receivedAt(), null, null);
    open(vertx, freshStore())
      .compose(store -> store.accept(large)
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
        .eventually(store::close))
      .onComplete(context.succeeding(claimed -> context.verify(() -> {
        assertEquals(1, claimed.size());
        Buffer body = claimed.get(0).body();
        assertEquals(bytes.length, body.length());
        assertTrue(Arrays.equals(bytes, body.getBytes()), "the claimed body differs from the accepted one");
        context.completeNow();
      })));
  }

  /**
   * Bodies on either side of what one read of a claim takes on PostgreSQL (1 MiB: several small bodies a read, a larger
   * one in slices) each come back whole and unchanged, an empty one too.
   */
  @Test
  void claimsBodiesOfEverySizeAroundAReadByteForByte(Vertx vertx, VertxTestContext context) {
    int mib = 1024 * 1024;
    int[] sizes = {0, 1, 600 * 1024, 600 * 1024, mib - 1, mib, mib + 1, 3 * mib + 17, 200 * 1024};
    Random random = new Random(7);
    Map<String, byte[]> accepted = new HashMap<>();
    open(vertx, freshStore())
      .compose(store -> {
        Future<?> accepts = Future.succeededFuture();
        for (int size : sizes) {
          byte[] bytes = new byte[size];
          random.nextBytes(bytes);
          NewMessage plain = message("/uploads", null, "", "ci");
          NewMessage sized = new NewMessage(plain.route(), plain.method(), plain.uri(), plain.headers(), Buffer.buffer(bytes),
            plain.backends(), null, plain.dedupSince(), plain.receivedAt(), null, null);
          // One after the other, so that they are claimed in this order.
          accepts = accepts.compose(v -> store.accept(sized).onSuccess(stored -> accepted.put(stored.id(), bytes)));
        }
        return accepts.compose(v -> store.claim("ci", "node-a", 100, Long.MAX_VALUE, true, 60_000))
          .eventually(store::close);
      })
      .onComplete(context.succeeding(claimed -> context.verify(() -> {
        assertEquals(sizes.length, claimed.size());
        for (ClaimedDelivery delivery : claimed) {
          byte[] bytes = accepted.get(delivery.messageId());
          assertTrue(Arrays.equals(bytes, delivery.body().getBytes()), "the body of " + bytes.length + " bytes differs, "
            + delivery.body().length() + " bytes claimed");
        }
        context.completeNow();
      })));
  }

  @Test
  void keepsEveryAcceptedMessageAcrossARestart(Vertx vertx, VertxTestContext context) {
    StoreConfig config = freshStore();
    List<Future<Accepted>> accepts = new ArrayList<>();
    open(vertx, config)
      .compose(store -> {
        for (int i = 0; i < 200; i++) {
          accepts.add(store.accept(message("/github", null, "body " + i, "ci", "audit")));
        }
        return Future.all(accepts).compose(v -> store.close());
      })
      .compose(v -> open(vertx, config))
      .compose(store -> store.claim("ci", "node-a", 1000, Long.MAX_VALUE, true, 60_000)
        .compose(ci -> store.claim("audit", "node-a", 1000, Long.MAX_VALUE, true, 60_000).map(audit -> List.of(ci, audit)))
        .eventually(store::close))
      .onComplete(context.succeeding(claimed -> context.verify(() -> {
        Set<String> ids = new HashSet<>();
        accepts.forEach(accepted -> ids.add(accepted.result().id()));
        assertEquals(200, ids.size());
        for (List<ClaimedDelivery> backend : claimed) {
          assertEquals(200, backend.size());
          Set<String> claimedIds = new HashSet<>();
          backend.forEach(delivery -> claimedIds.add(delivery.messageId()));
          assertEquals(ids, claimedIds);
        }
        ClaimedDelivery one = claimed.get(0).get(0);
        assertEquals(1, one.attempt());
        assertEquals("POST", one.method());
        assertEquals("/github?q=1", one.uri());
        assertEquals(List.of("one", "two"), one.headers().getAll("x-twice"));
        assertTrue(one.body().toString().startsWith("body "));
        context.completeNow();
      })));
  }

  /**
   * A backend with room for tens of thousands of deliveries (maxInFlight + maxQueued) asks for as many; one claim
   * for more than PostgreSQL can bind would fail, every time, and its backlog would never be delivered.
   */
  @Test
  void aClaimForMoreThanOneStatementCanReadTakesAtMostMaxClaimAndTheNextTakesOthers(Vertx vertx, VertxTestContext context) {
    open(vertx, freshStore())
      .compose(store -> {
        // In rounds: the store takes at most 20,000 waiting to be written.
        Future<?> accepted = Future.succeededFuture();
        for (int first = 0; first < claimBacklog(); first += 10_000) {
          int count = Math.min(10_000, claimBacklog() - first);
          accepted = accepted.compose(v -> {
            List<Future<Accepted>> accepts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
              accepts.add(store.accept(message("/github", null, "body " + i, "ci")));
            }
            return Future.all(accepts);
          });
        }
        return accepted
          .compose(v -> store.claim("ci", "node-a", 40_000, Long.MAX_VALUE, true, 60_000))
          .compose(first -> store.claim("ci", "node-a", 40_000, Long.MAX_VALUE, true, 60_000).map(second -> List.of(first, second)))
          .eventually(store::close);
      })
      .onComplete(context.succeeding(claims -> context.verify(() -> {
        int second = Math.min(DeliveryStore.MAX_CLAIM, claimBacklog() - DeliveryStore.MAX_CLAIM);
        assertEquals(DeliveryStore.MAX_CLAIM, claims.get(0).size());
        assertEquals(second, claims.get(1).size());
        Set<String> ids = new HashSet<>();
        claims.forEach(claim -> claim.forEach(delivery -> ids.add(delivery.messageId())));
        assertEquals(DeliveryStore.MAX_CLAIM + second, ids.size(), "the second claim takes others than the first");
        context.completeNow();
      })));
  }

  /** A backlog of large bodies must not be read into memory at once: a claim stops at its byte budget. */
  @Test
  void aMessagesTraceContextComesBackWithTheClaimOfEachOfItsDeliveries(Vertx vertx, VertxTestContext context) {
    String traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    NewMessage plain = message("/github", null, "traced", "ci", "audit");
    NewMessage traced = new NewMessage(plain.route(), plain.method(), plain.uri(), plain.headers(), plain.body(), plain.backends(),
      plain.senderId(), plain.dedupSince(), plain.receivedAt(), plain.orderKey(), traceParent);
    open(vertx, freshStore())
      .compose(store -> Future.all(store.accept(traced), store.accept(message("/github", null, "untraced", "ci")))
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000)
          .compose(ci -> store.claim("audit", "node-a", 10, Long.MAX_VALUE, true, 60_000).map(audit -> {
            List<ClaimedDelivery> all = new ArrayList<>(ci);
            all.addAll(audit);
            return all;
          })))
        .eventually(store::close))
      .onComplete(context.succeeding(claimed -> context.verify(() -> {
        assertEquals(3, claimed.size());
        for (ClaimedDelivery delivery : claimed) {
          assertEquals(delivery.body().toString().equals("traced") ? traceParent : null, delivery.traceParent(),
            delivery.backend() + " " + delivery.body());
        }
        context.completeNow();
      })));
  }

  @Test
  void aClaimTakesNoMoreDeliveriesThanTheirBodiesFitInItsBytesUnlessAskedForTheFirstWhateverItsSize(Vertx vertx,
                                                                                                   VertxTestContext context) {
    String large = "x".repeat(1_000);
    open(vertx, freshStore())
      .compose(store -> Future.all(store.accept(message("/github", null, "a" + large, "ci")),
          store.accept(message("/github", null, "b" + large, "ci")), store.accept(message("/github", null, "c" + large, "ci")))
        .compose(accepted -> store.claim("ci", "node-a", 10, 2_500, false, 60_000))
        .compose(first -> store.claim("ci", "node-a", 10, 500, false, 60_000)
          .compose(none -> store.claim("ci", "node-a", 10, 500, true, 60_000).map(last -> List.of(first, none, last))))
        .eventually(store::close))
      .onComplete(context.succeeding(claims -> context.verify(() -> {
        assertEquals(2, claims.get(0).size());
        assertEquals(0, claims.get(1).size());
        assertEquals(1, claims.get(2).size());
        Set<String> bodies = new HashSet<>();
        claims.forEach(claim -> claim.forEach(delivery -> bodies.add(delivery.body().toString())));
        assertEquals(Set.of("a" + large, "b" + large, "c" + large), bodies);
        context.completeNow();
      })));
  }

  @Test
  void answersARepeatedSenderIdWithTheFirstMessagesIdAndStoresNothing(Vertx vertx, VertxTestContext context) {
    open(vertx, freshStore())
      .compose(store -> store.accept(message("/github", "delivery-1", "first", "ci"))
        .compose(first -> Future.all(store.accept(message("/github", "delivery-1", "again", "ci")),
            store.accept(message("/github", "delivery-1", "and again", "ci")),
            store.accept(message("/other", "delivery-1", "other route", "ci")))
          .compose(repeats -> store.claim("ci", "node-a", 100, Long.MAX_VALUE, true, 60_000)
            .map(claimed -> {
              context.verify(() -> {
                Accepted again = repeats.resultAt(0);
                Accepted andAgain = repeats.resultAt(1);
                Accepted otherRoute = repeats.resultAt(2);
                assertFalse(first.duplicate());
                assertEquals(new Accepted(first.id(), true), again);
                assertEquals(new Accepted(first.id(), true), andAgain);
                assertFalse(otherRoute.duplicate());
                assertNotEquals(first.id(), otherRoute.id());
                assertEquals(Set.of(first.id(), otherRoute.id()),
                  Set.copyOf(claimed.stream().map(ClaimedDelivery::messageId).toList()));
              });
              return null;
            })))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** A verified webhook no backend takes is kept for its sender id alone (route.AsyncRoute), in a batch of its own too. */
  @Test
  void keepsAMessageWithoutDeliveriesForItsSenderIdAloneOrBesideOthers(Vertx vertx, VertxTestContext context) {
    open(vertx, freshStore())
      .compose(store -> store.accept(message("/github", "issue-1", "taken by none"))
        .compose(alone -> Future.all(store.accept(message("/github", "issue-2", "taken by none either")),
            store.accept(message("/github", "push-1", "taken by ci", "ci")))
          .compose(beside -> Future.all(store.accept(message("/github", "issue-1", "replayed", "ci")),
              store.accept(message("/github", "issue-2", "replayed", "ci")))
            .compose(replays -> store.claim("ci", "node-a", 100, Long.MAX_VALUE, true, 60_000)
              .map(claimed -> {
                context.verify(() -> {
                  assertFalse(alone.duplicate());
                  assertEquals(new Accepted(alone.id(), true), replays.resultAt(0));
                  assertEquals(new Accepted(beside.<Accepted>resultAt(0).id(), true), replays.resultAt(1));
                  assertEquals(List.of(beside.<Accepted>resultAt(1).id()),
                    claimed.stream().map(ClaimedDelivery::messageId).toList());
                });
                return null;
              }))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void acceptsASenderIdAgainOnceItsWindowHasPassed(Vertx vertx, VertxTestContext context) {
    NewMessage old = message("/github", "delivery-1", "old", "ci");
    NewMessage stale = new NewMessage(old.route(), old.method(), old.uri(), old.headers(), old.body(), old.backends(),
      old.senderId(), old.dedupSince(), Instant.now().minus(Duration.ofHours(25)), null, null);
    open(vertx, freshStore())
      .compose(store -> store.accept(stale)
        .compose(first -> store.accept(message("/github", "delivery-1", "new", "ci"))
          .map(second -> {
            context.verify(() -> {
              assertFalse(second.duplicate());
              assertNotEquals(first.id(), second.id());
            });
            return null;
          }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** A scheduler of this node that has room for {@code room} deliveries, and keeps what is handed to it. */
  private static final class Receiver implements DueDeliveries {
    final AtomicInteger room;
    final List<ClaimedDelivery> handed = new CopyOnWriteArrayList<>();
    final Promise<Void> handedOver = Promise.promise();

    Receiver(int room) {
      this.room = new AtomicInteger(room);
    }

    @Override
    public Slot reserve(String backend, long bytes) {
      return room.getAndDecrement() > 0 ? new Slot(backend, "node-a", 60_000, bytes) : null;
    }

    @Override
    public void unreserve(Slot slot) {
      room.incrementAndGet();
    }

    @Override
    public void leased(List<ClaimedDelivery> deliveries) {
      handed.addAll(deliveries);
      handedOver.tryComplete();
    }

    @Override
    public void due(Set<String> backends) {
    }
  }

  @Test
  void handsAnAcceptedDeliveryStraightToTheSchedulerWithRoomLeasedToItAndLeavesTheRestToClaims(Vertx vertx,
                                                                                               VertxTestContext context) {
    Receiver scheduler = new Receiver(1);
    AttemptRecord delivered = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> {
        store.subscribe(scheduler);
        return store.accept(message("/hooks", null, "the body", "ci", "audit"))
          .compose(accepted -> scheduler.handedOver.future()
            .compose(v -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 60_000))
            .compose(ciClaims -> store.claim("audit", "node-b", 10, Long.MAX_VALUE, true, 60_000).map(auditClaims -> {
              context.verify(() -> {
                assertEquals(1, scheduler.handed.size(), "one slot, one delivery handed over: " + scheduler.handed);
                ClaimedDelivery handed = scheduler.handed.get(0);
                assertEquals(accepted.id(), handed.messageId());
                assertEquals(1, handed.attempt());
                assertEquals("the body", handed.body().toString());
                assertEquals(List.of("one", "two"), handed.headers().getAll("X-Twice"));
                String other = handed.backend().equals("ci") ? "audit" : "ci";
                List<ClaimedDelivery> handedClaims = handed.backend().equals("ci") ? ciClaims : auditClaims;
                List<ClaimedDelivery> otherClaims = handed.backend().equals("ci") ? auditClaims : ciClaims;
                assertEquals(List.of(), handedClaims, "a delivery handed over was claimed by another node too");
                assertEquals(1, otherClaims.size(), "the delivery without a slot was not left to claims (" + other + ")");
                assertEquals(1, otherClaims.get(0).attempt());
              });
              return scheduler.handed.get(0);
            })))
          .compose(handed -> store.record(handed, delivered, DeliveryStatus.DELIVERED, null))
          .map(recorded -> {
            context.verify(() -> assertTrue(recorded, "the lease taken at the accept does not hold"));
            return null;
          })
          .eventually(store::close);
      })
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void leasesADeliveryToOneOwnerAndRecordsOnlyTheLeaseHolder(Vertx vertx, VertxTestContext context) {
    AttemptRecord failed = new AttemptRecord(Instant.now(), 5, 500, AttemptOutcome.REJECTED, null, "oops", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> store.accept(message("/hooks", null, "x", "ci"))
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 2_000))
        .compose(byA -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 60_000).map(byB -> {
          context.verify(() -> {
            assertEquals(1, byA.size());
            assertEquals(0, byB.size(), "a leased delivery was claimed twice");
          });
          return byA.get(0);
        }))
        .compose(leasedToA -> vertx.timer(2_500).compose(expired -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 60_000))
          .compose(byB -> {
            context.verify(() -> {
              assertEquals(1, byB.size(), "an expired lease was not taken over");
              // A's attempt was claimed, so it counts though it was never recorded.
              assertEquals(2, byB.get(0).attempt());
            });
            // Due a second ago: on PostgreSQL the claim reads the database's clock, which may be a little behind ours.
            Instant dueNow = Instant.now().minusSeconds(1);
            return store.record(leasedToA, failed, DeliveryStatus.PENDING, dueNow)
              .compose(recordedByA -> store.record(byB.get(0), failed, DeliveryStatus.PENDING, dueNow)
                .map(recordedByB -> List.of(recordedByA, recordedByB)));
          }))
        .compose(recorded -> store.claim("ci", "node-c", 10, Long.MAX_VALUE, true, 60_000).map(again -> {
          context.verify(() -> {
            assertEquals(List.of(false, true), recorded);
            assertEquals(1, again.size());
            assertEquals(3, again.get(0).attempt());
          });
          return null;
        }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * Claims made at once may read the same due deliveries (the embedded store reads them beside its writer); each
   * delivery is still leased to one of them only.
   */
  @Test
  void claimsMadeAtOnceLeaseEachDeliveryToOneOfThem(Vertx vertx, VertxTestContext context) {
    open(vertx, freshStore())
      .compose(store -> {
        List<Future<Accepted>> accepts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          accepts.add(store.accept(message("/hooks", null, "body " + i, "ci")));
        }
        return Future.all(accepts)
          .compose(accepted -> {
            List<Future<List<ClaimedDelivery>>> claims = new ArrayList<>();
            for (String owner : List.of("node-a", "node-b", "node-c", "node-d")) {
              claims.add(store.claim("ci", owner, 20, Long.MAX_VALUE, true, 60_000));
            }
            return Future.all(claims).map(all -> {
              List<String> leased = new ArrayList<>();
              claims.forEach(claim -> claim.result().forEach(delivery -> leased.add(delivery.messageId())));
              Set<String> ids = new HashSet<>();
              accepts.forEach(accept -> ids.add(accept.result().id()));
              context.verify(() -> {
                assertEquals(20, leased.size(), "leases taken in all by the four claims");
                assertEquals(ids, new HashSet<>(leased), "the accepted deliveries, each leased once");
              });
              return null;
            });
          })
          .eventually(store::close);
      })
      .onComplete(context.succeedingThenComplete());
  }

  /** A U+0000, which PostgreSQL's text refuses, from a sender's order key or a backend's answer fails no batch. */
  @Test
  void aNulCharacterInAnOrderKeyOrABackendsAnswerIsStoredAsAReplacementCharacter(Vertx vertx, VertxTestContext context) {
    NewMessage plain = message("/hooks", null, "{\"key\":\"a\\u0000b\"}", "ci");
    NewMessage keyed = new NewMessage(plain.route(), plain.method(), plain.uri(), plain.headers(), plain.body(), plain.backends(),
      null, plain.dedupSince(), plain.receivedAt(), "a\u0000b", null);
    AttemptRecord binary = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "\u001f\u008b\u0000\u0000",
      "node-a", false);
    open(vertx, freshStore())
      .compose(store -> store.accept(keyed)
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
        .compose(claimed -> store.record(claimed.get(0), binary, DeliveryStatus.DELIVERED, null).map(recorded -> {
          context.verify(() -> {
            assertEquals("a\ufffdb", keyed.orderKey());
            assertEquals("\u001f\u008b\ufffd\ufffd", binary.responseHead());
            assertEquals(1, claimed.size());
            assertTrue(recorded, "the attempt was not recorded");
          });
          return null;
        }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * A key of 900 CJK characters is 2700 bytes of UTF-8, more than a PostgreSQL index entry holds: it failed every
   * webhook accepted with it. Stored as its digest, it fails none and still orders its webhooks.
   */
  @Test
  void anOrderKeyTooLargeForTheIndexIsStoredAsItsDigestAndStillOrders(Vertx vertx, VertxTestContext context) {
    StringBuilder cjk = new StringBuilder();
    Random random = new Random(7);
    for (int i = 0; i < 900; i++) {
      cjk.append((char) (0x4E00 + random.nextInt(0x5000)));
    }
    NewMessage first = keyed(message("/hooks", null, "first", "ci"), cjk.toString());
    NewMessage second = keyed(message("/hooks", null, "second", "ci"), cjk.toString());
    NewMessage plain = message("/hooks", null, "plain", "ci");
    open(vertx, freshStore())
      .compose(store -> Future.all(store.accept(first), store.accept(plain))
        .compose(accepted -> store.accept(second))
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
        .map(claimed -> {
          context.verify(() -> {
            assertTrue(first.orderKey().startsWith("sha256:"), "kept as written: " + first.orderKey().length() + " characters");
            assertEquals(keyed(plain, "k".repeat(5_000)).orderKey().length(), first.orderKey().length());
            assertEquals(Set.of("first", "plain"), claimed.stream().map(c -> c.body().toString()).collect(Collectors.toSet()),
              "the second webhook of the key was claimed beside the first");
          });
          return null;
        })
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** Three deliveries claimed by node-a on a 2 s lease, then, once it ran out, one of them claimed by node-b. */
  private record Leases(List<ClaimedDelivery> byA, List<ClaimedDelivery> byB) {
  }

  private static Future<Leases> oneLeaseTakenOver(Vertx vertx, DeliveryStore store) {
    return Future.all(store.accept(message("/hooks", null, "1", "ci")), store.accept(message("/hooks", null, "2", "ci")),
        store.accept(message("/hooks", null, "3", "ci")))
      .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 2_000))
      .compose(byA -> vertx.timer(2_500).compose(expired -> store.claim("ci", "node-b", 1, Long.MAX_VALUE, true, 60_000))
        .map(byB -> new Leases(byA, byB)));
  }

  /** Records sent at once are committed together, and each still counts only for the holder of its lease. */
  @Test
  void recordsAttemptsSentAtOnceEachOnItsOwnLease(Vertx vertx, VertxTestContext context) {
    AttemptRecord ok = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> oneLeaseTakenOver(vertx, store)
          .compose(leases -> {
            List<ClaimedDelivery> byA = leases.byA();
            List<ClaimedDelivery> byB = leases.byB();
            List<Future<Boolean>> recorded = new ArrayList<>();
            byA.forEach(delivery -> recorded.add(store.record(delivery, ok, DeliveryStatus.DELIVERED, null)));
            recorded.add(store.record(byB.get(0), ok, DeliveryStatus.DELIVERED, null));
            return Future.all(recorded).compose(all -> store.claim("ci", "node-c", 10, Long.MAX_VALUE, true, 0).map(due -> {
              context.verify(() -> {
                assertEquals(3, byA.size());
                for (int i = 0; i < byA.size(); i++) {
                  boolean taken = byA.get(i).messageId().equals(byB.get(0).messageId());
                  assertEquals(!taken, recorded.get(i).result(), "node-a's record of " + byA.get(i).messageId());
                }
                assertTrue(recorded.get(3).result(), "the lease holder's record");
                assertEquals(0, due.size(), "a recorded delivery was due again");
              });
              return null;
            }));
          })
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** Releases sent at once are written together, and each still gives back only a lease its sender holds. */
  @Test
  void releasesSentAtOnceEachGiveBackOnlyTheLeaseItsSenderHolds(Vertx vertx, VertxTestContext context) {
    open(vertx, freshStore())
      .compose(store -> oneLeaseTakenOver(vertx, store)
          .compose(leases -> {
            List<ClaimedDelivery> byA = leases.byA();
            List<ClaimedDelivery> byB = leases.byB();
            // Due a second ago: on PostgreSQL the claim reads the database's clock, which may be a little behind ours.
            Instant dueNow = Instant.now().minusSeconds(1);
            List<Future<Boolean>> released = new ArrayList<>();
            byA.forEach(delivery -> released.add(store.release(delivery, dueNow)));
            released.add(store.release(byB.get(0), dueNow));
            return Future.all(released).compose(all -> store.claim("ci", "node-c", 10, Long.MAX_VALUE, true, 60_000).map(again -> {
              context.verify(() -> {
                assertEquals(3, byA.size());
                String taken = byB.get(0).messageId();
                for (int i = 0; i < byA.size(); i++) {
                  assertEquals(!byA.get(i).messageId().equals(taken), released.get(i).result(), "node-a's release of "
                    + byA.get(i).messageId());
                }
                assertTrue(released.get(3).result(), "the lease holder's release");
                assertEquals(3, again.size(), "given back, due again at once");
                for (ClaimedDelivery delivery : again) {
                  // The attempt each claim counted is taken back by its release: node-b's claim was the second.
                  assertEquals(delivery.messageId().equals(taken) ? 2 : 1, delivery.attempt(), delivery.messageId());
                }
              });
              return null;
            }));
          })
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * A lane gives back every delivery it holds at once when its circuit opens, no forwarder answers or a rate pause
   * begins: hundreds per backend, thousands across a node's lanes. Written a transaction each, they held up an accept
   * (on PostgreSQL's pool, first come) and an attempt record (behind the embedded store's one writer) sent right after
   * them for seconds, up to store.timeoutMs and past it.
   */
  @Test
  void aBurstOfReleasesHoldsUpNeitherAnAcceptNorAnAttemptRecordSentRightAfterIt(Vertx vertx, VertxTestContext context) {
    int burst = 3_000;
    long boundMs = 1_000;
    AttemptRecord ok = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> {
        List<Future<Accepted>> accepts = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          accepts.add(store.accept(message("/hooks", null, "held " + i, "ci")));
        }
        accepts.add(store.accept(message("/hooks", null, "to record", "audit")));
        return Future.all(accepts)
          .compose(v -> claimAll(store, "ci", "node-a", new ArrayList<>()))
          .compose(held -> store.claim("audit", "node-a", 1, Long.MAX_VALUE, true, 60_000).compose(toRecord -> {
            // Due a second ago: on PostgreSQL the claim reads the database's clock, which may be a little behind ours.
            Instant dueNow = Instant.now().minusSeconds(1);
            List<Future<Boolean>> released = new ArrayList<>(held.size());
            held.forEach(delivery -> released.add(store.release(delivery, dueNow)));
            long start = System.nanoTime();
            long[] tookMs = new long[2];
            Future<Accepted> accept = store.accept(message("/hooks", null, "right after", "other"))
              .onComplete(ar -> tookMs[0] = msSince(start));
            Future<Boolean> record = store.record(toRecord.get(0), ok, DeliveryStatus.DELIVERED, null)
              .onComplete(ar -> tookMs[1] = msSince(start));
            // Each checked below, so that one that failed says how long it took.
            return Future.join(accept, record, Future.all(released))
              .transform(done -> claimAll(store, "ci", "node-b", new ArrayList<>()))
              .map(again -> {
                context.verify(() -> {
                  assertEquals(burst, held.size());
                  assertTrue(accept.succeeded() && tookMs[0] < boundMs, "the accept sent right after " + burst + " releases took "
                    + tookMs[0] + " ms: " + (accept.succeeded() ? "committed" : accept.cause()));
                  assertTrue(record.succeeded() && record.result() && tookMs[1] < boundMs, "the attempt record sent right after "
                    + burst + " releases took " + tookMs[1] + " ms: " + (record.succeeded() ? record.result() : record.cause()));
                  released.forEach(release -> assertEquals(Boolean.TRUE, release.result(), "a release whose lease was held: "
                    + (release.succeeded() ? "answered false" : release.cause())));
                  assertEquals(burst, again.size(), "released deliveries not due again at once");
                });
                return null;
              });
          }))
          .eventually(store::close);
      })
      .onComplete(context.succeedingThenComplete());
  }

  /** Claims {@code backend}'s due deliveries until a claim finds fewer than it could take. */
  private static Future<List<ClaimedDelivery>> claimAll(DeliveryStore store, String backend, String owner,
                                                        List<ClaimedDelivery> claimed) {
    return store.claim(backend, owner, DeliveryStore.MAX_CLAIM, Long.MAX_VALUE, true, 60_000).compose(more -> {
      claimed.addAll(more);
      return more.size() < DeliveryStore.MAX_CLAIM ? Future.succeededFuture(claimed) : claimAll(store, backend, owner, claimed);
    });
  }

  private static long msSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void neverClaimsADeliveredOrDeadDeliveryAndReportsTheBacklog(Vertx vertx, VertxTestContext context) {
    AttemptRecord ok = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> Future.all(store.accept(message("/hooks", null, "x", "ci", "audit")),
          store.accept(message("/hooks", null, "y", "ci")))
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
        .compose(claimed -> store.record(claimed.get(0), ok, DeliveryStatus.DELIVERED, null)
          .compose(v -> store.record(claimed.get(1), ok, DeliveryStatus.DEAD, null)))
        .compose(v -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 0))
        .compose(nothingDue -> store.backlog().map(backlog -> {
          context.verify(() -> {
            assertEquals(0, nothingDue.size());
            assertEquals(1, backlog.size());
            assertEquals("audit", backlog.get(0).backend());
            assertEquals(1, backlog.get(0).deliveries());
          });
          return null;
        }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** On the embedded store an accept's transaction also writes the attempt records waiting: each is still kept. */
  @Test
  void attemptRecordsAndAcceptsSentTogetherAreAllCommitted(Vertx vertx, VertxTestContext context) {
    AttemptRecord ok = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> {
        List<Future<Accepted>> accepts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          accepts.add(store.accept(message("/hooks", null, "first " + i, "ci")));
        }
        return Future.all(accepts)
          .compose(v -> store.claim("ci", "node-a", 100, Long.MAX_VALUE, true, 60_000))
          .compose(claimed -> {
            List<Future<?>> together = new ArrayList<>();
            claimed.forEach(delivery -> together.add(store.record(delivery, ok, DeliveryStatus.DELIVERED, null)));
            for (int i = 0; i < 20; i++) {
              together.add(store.accept(message("/hooks", null, "second " + i, "ci")));
            }
            return Future.all(together).map(all -> {
              context.verify(() -> {
                assertEquals(50, claimed.size());
                for (int i = 0; i < claimed.size(); i++) {
                  assertEquals(Boolean.TRUE, all.resultAt(i), "an attempt record was lost");
                }
              });
              return null;
            });
          })
          .compose(v -> store.claim("ci", "node-a", 100, Long.MAX_VALUE, true, 60_000))
          .compose(second -> store.operations().messages(new MessageQuery(null, "ci", DeliveryStatus.DELIVERED, null, null,
              null), 100, null).map(delivered -> {
            context.verify(() -> {
              assertEquals(20, second.size(), "only the second accepts are left to deliver");
              second.forEach(delivery -> assertTrue(delivery.body().toString().startsWith("second "), delivery.body().toString()));
              // Stored, not only answered: a record lost with its transaction would leave its delivery under lease.
              assertEquals(50, delivered.messages().size(), "the attempt records were answered but not all stored");
            });
            return null;
          }))
          .eventually(store::close);
      })
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void backlogIsAsOldAsTheFirstAcceptedMessageNotYetDelivered(Vertx vertx, VertxTestContext context) {
    AttemptRecord ok = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    Instant first = Instant.ofEpochMilli(System.currentTimeMillis() - 60_000);
    Instant second = first.plusSeconds(30);
    open(vertx, freshStore())
      .compose(store -> store.accept(received(message("/hooks", null, "first", "ci", "audit"), first))
        .compose(accepted -> store.accept(received(message("/hooks", null, "second", "ci", "audit"), second))
          .compose(v -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
          .compose(claimed -> Future.all(claimed.stream().map(delivery -> delivery.messageId().equals(accepted.id())
            ? store.record(delivery, ok, DeliveryStatus.DELIVERED, null)
            : store.release(delivery, Instant.now())).toList())))
        .compose(v -> store.backlog())
        .onComplete(context.succeeding(backlog -> context.verify(() -> {
          assertEquals(2, backlog.size());
          for (Backlog ofBackend : backlog) {
            boolean ci = ofBackend.backend().equals("ci");
            assertEquals(ci ? 1 : 2, ofBackend.deliveries(), ofBackend.backend());
            assertEquals(ci ? second : first, ofBackend.oldestReceivedAt(), ofBackend.backend());
          }
        })))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  private static NewMessage received(NewMessage message, Instant receivedAt) {
    return new NewMessage(message.route(), message.method(), message.uri(), message.headers(), message.body(),
      message.backends(), message.senderId(), message.dedupSince(), receivedAt, message.orderKey(), message.traceParent());
  }

  static NewMessage keyed(NewMessage message, String orderKey) {
    return new NewMessage(message.route(), message.method(), message.uri(), message.headers(), message.body(),
      message.backends(), message.senderId(), message.dedupSince(), message.receivedAt(), orderKey, message.traceParent());
  }

  /** Keyed and unkeyed deliveries sit in different indexes; the backlog counts both, and its age is the older one's. */
  @Test
  void theBacklogCountsKeyedAndUnkeyedDeliveriesAlike(Vertx vertx, VertxTestContext context) {
    Instant first = Instant.ofEpochMilli(System.currentTimeMillis() - 60_000);
    open(vertx, freshStore())
      .compose(store -> store.accept(keyed(received(message("/hooks", null, "first", "ci"), first), "shop-1"))
        .compose(v -> store.accept(keyed(message("/hooks", null, "second", "ci"), "shop-1")))
        .compose(v -> store.accept(message("/hooks", null, "third", "ci")))
        .compose(v -> store.backlog())
        .onComplete(context.succeeding(backlog -> context.verify(() ->
          assertEquals(List.of(new Backlog("ci", 3, first)), backlog))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void purgesOnlyMessagesWhoseDeliveriesAllEnded(Vertx vertx, VertxTestContext context) {
    AttemptRecord ok = new AttemptRecord(Instant.now(), 5, 200, AttemptOutcome.DELIVERED, null, "ok", "node-a", false);
    open(vertx, freshStore())
      .compose(store -> Future.all(store.accept(message("/hooks", "s-1", "done", "ci")),
          store.accept(message("/hooks", "s-2", "half done", "ci", "audit")))
        .compose(accepted -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000))
        .compose(claimed -> Future.all(claimed.stream()
          .map(delivery -> store.record(delivery, ok, DeliveryStatus.DELIVERED, null)).toList()))
        .compose(v -> store.purge(Instant.now().plusSeconds(1)))
        .compose(purged -> store.backlog().compose(backlog -> store.accept(message("/hooks", "s-1", "again", "ci"))
          .map(again -> {
            context.verify(() -> {
              assertEquals(1, purged);
              assertEquals(1, backlog.size());
              assertEquals("audit", backlog.get(0).backend());
              assertFalse(again.duplicate(), "the purged message's dedup key outlived it");
            });
            return null;
          })))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }
}
