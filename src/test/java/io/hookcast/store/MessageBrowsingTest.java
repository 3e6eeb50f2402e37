package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator looks through stored messages: filters, pages newest first, and one message with its attempts. */
abstract class MessageBrowsingTest extends OperationsTestBase {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);

  private static List<String> ids(MessagePage page) {
    return page.messages().stream().map(MessageSummary::id).toList();
  }

  private static MessageQuery query(String route, String backend, DeliveryStatus status, String sender, Instant since,
                                    Instant until) {
    return new MessageQuery(route, backend, status, sender, since, until);
  }

  @Test
  void filtersTogetherAndSummarisesEachDelivery(Vertx vertx, VertxTestContext context) {
    open(vertx).compose(store -> acceptAll(store, List.of(
          message("/github", "s-1", T0, "one", "ci", "audit"),
          message("/github", "s-2", T0.plusSeconds(1), "two", "ci"),
          message("/stripe", null, T0.plusSeconds(2), "three", "audit"),
          message("/stripe", null, T0.plusSeconds(3), "four", "ci", "audit")))
        .compose(m -> claimAll(store, "ci")
          .compose(ci -> Future.all(
            store.record(ci.get(m.get(0)), attempt(T0, AttemptOutcome.DELIVERED, 200, false), DeliveryStatus.DELIVERED, null),
            store.record(ci.get(m.get(1)), attempt(T0, AttemptOutcome.REJECTED, 500, false), DeliveryStatus.DEAD, null),
            store.record(ci.get(m.get(3)), attempt(T0, AttemptOutcome.UNREACHABLE, null, false), DeliveryStatus.PENDING,
              T0.plusSeconds(3600))))
          .compose(v -> {
            DeliveryOperations operations = store.operations();
            return Future.all(List.of(
              operations.messages(MessageQuery.ALL, 50, null),
              operations.messages(query("/github", null, null, null, null, null), 50, null),
              operations.messages(query(null, "audit", null, null, null, null), 50, null),
              operations.messages(query(null, null, DeliveryStatus.DEAD, null, null, null), 50, null),
              operations.messages(query(null, "ci", DeliveryStatus.PENDING, null, null, null), 50, null),
              operations.messages(query(null, "audit", DeliveryStatus.DELIVERED, null, null, null), 50, null),
              operations.messages(query(null, null, null, "s-1", null, null), 50, null),
              operations.messages(query(null, null, null, null, T0.plusSeconds(1), T0.plusSeconds(3)), 50, null),
              operations.messages(query("/stripe", "ci", null, null, T0.plusSeconds(3), null), 50, null)));
          })
          .map(pages -> {
            context.verify(() -> {
              MessagePage all = pages.resultAt(0);
              assertEquals(List.of(m.get(3), m.get(2), m.get(1), m.get(0)), ids(all));
              assertNull(all.nextCursor());
              assertEquals(List.of(m.get(1), m.get(0)), ids(pages.resultAt(1)));
              assertEquals(List.of(m.get(3), m.get(2), m.get(0)), ids(pages.resultAt(2)));
              assertEquals(List.of(m.get(1)), ids(pages.resultAt(3)));
              assertEquals(List.of(m.get(3)), ids(pages.resultAt(4)));
              assertEquals(List.of(), ids(pages.resultAt(5)), "audit has delivered nothing");
              assertEquals(List.of(m.get(0)), ids(pages.resultAt(6)));
              assertEquals(List.of(m.get(2), m.get(1)), ids(pages.resultAt(7)), "since is inclusive, until exclusive");
              assertEquals(List.of(m.get(3)), ids(pages.resultAt(8)));

              MessageSummary first = all.messages().get(3);
              assertEquals("/github", first.route());
              assertEquals("POST", first.method());
              assertEquals("/github/x?q=1", first.path());
              assertEquals(T0, first.receivedAt());
              assertEquals(3, first.size());
              assertEquals("s-1", first.senderId());
              // A new delivery is due when it was stored, by the store's clock (the message says it was received at T0).
              Instant due = first.deliveries().get(0).nextAttemptAt();
              assertTrue(due.isAfter(T0) && !due.isAfter(Instant.now()), "a new delivery is due at once, not at " + due);
              assertEquals(List.of(new DeliverySummary("audit", DeliveryStatus.PENDING, 0, null, null, due, null, null),
                new DeliverySummary("ci", DeliveryStatus.DELIVERED, 1, 200, null, null, null, null)), first.deliveries());
              assertEquals(new DeliverySummary("ci", DeliveryStatus.DEAD, 1, 500, null, null, null, null),
                all.messages().get(2).deliveries().get(0));
              assertEquals(new DeliverySummary("ci", DeliveryStatus.PENDING, 1, null, "connection refused",
                T0.plusSeconds(3600), null, null), all.messages().get(0).deliveries().get(1));
            });
            return null;
          }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void pagesThroughEveryMatchOnceInAStableNewestFirstOrder(Vertx vertx, VertxTestContext context) {
    List<NewMessage> messages = new ArrayList<>();
    for (int i = 0; i < 46; i++) {
      // Three at each instant: the id orders those, so a page may end in the middle of a tie.
      messages.add(message(i % 2 == 0 ? "/a" : "/b", null, T0.plusSeconds(i / 6), "m" + i, "ci"));
    }
    open(vertx).compose(store -> acceptAll(store, messages)
        .compose(accepted -> store.operations().messages(new MessageQuery("/a", null, null, null, null, null), 500, null)
          .compose(whole -> pages(store.operations(), new MessageQuery("/a", null, null, null, null, null), 4, null,
              new ArrayList<>())
            .map(paged -> {
              context.verify(() -> {
                List<String> expected = ids(whole);
                assertEquals(23, expected.size());
                assertEquals(expected, paged);
                assertEquals(23, new HashSet<>(paged).size());
                List<Instant> times = whole.messages().stream().map(MessageSummary::receivedAt).toList();
                for (int i = 1; i < times.size(); i++) {
                  assertTrue(!times.get(i).isAfter(times.get(i - 1)), "not newest first: " + times);
                }
              });
              return null;
            })))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * Dead deliveries have an index of their own: a page of them starts from it while they are few, and from the newest
   * message once they are many. The pages are the same either way: newest first, each once.
   */
  @Test
  void listsTheDeadNewestFirstWhetherFewOrMany(Vertx vertx, VertxTestContext context) {
    List<NewMessage> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(message("/few", null, T0.plusMillis(i), "few " + i, "ci"));
    }
    List<NewMessage> many = new ArrayList<>();
    for (int i = 0; i < SqlDeliveryOperations.FEW_ENDED; i++) {
      many.add(message("/many", null, T0.plusSeconds(1).plusMillis(i), "many " + i, "ci"));
    }
    MessageQuery dead = query(null, null, DeliveryStatus.DEAD, null, null, null);
    open(vertx).compose(store -> acceptAll(store, four)
        .compose(fewIds -> claimAll(store, "ci")
          // The second and the fourth die; the others are delivered.
          .compose(claimed -> Future.all(fewIds.stream().map(id -> store.record(claimed.get(id), attempt(T0,
            AttemptOutcome.REJECTED, 500, false), id.equals(fewIds.get(1)) || id.equals(fewIds.get(3)) ? DeliveryStatus.DEAD
            : DeliveryStatus.DELIVERED, null)).toList()))
          .compose(v -> pages(store.operations(), dead, 1, null, new ArrayList<>()))
          .compose(fewDead -> store.operations().messages(query(null, "audit", DeliveryStatus.DEAD, null, null, null), 10, null)
            .compose(otherBackend -> store.operations().messages(query("/many", null, DeliveryStatus.DEAD, null, null, null),
              10, null).map(otherRoute -> {
                context.verify(() -> {
                  assertEquals(List.of(fewIds.get(3), fewIds.get(1)), fewDead);
                  assertEquals(List.of(), ids(otherBackend));
                  assertEquals(List.of(), ids(otherRoute));
                });
                return null;
              })))
          .compose(v -> acceptAll(store, many))
          .compose(manyIds -> claimAll(store, "ci")
            .compose(claimed -> Future.all(manyIds.stream().map(id -> store.record(claimed.get(id), attempt(T0,
              AttemptOutcome.REJECTED, 500, false), DeliveryStatus.DEAD, null)).toList()))
            .compose(v -> pages(store.operations(), dead, DeliveryOperations.MAX_PAGE, null, new ArrayList<>()))
            .map(manyDead -> {
              context.verify(() -> {
                List<String> expected = new ArrayList<>(manyIds);
                Collections.reverse(expected);
                expected.add(fewIds.get(3));
                expected.add(fewIds.get(1));
                assertEquals(expected, manyDead);
              });
              return null;
            })))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** Follows nextCursor to the end; fails on an empty page or a page larger than {@code limit}. */
  private static Future<List<String>> pages(DeliveryOperations operations, MessageQuery query, int limit, String cursor,
                                            List<String> seen) {
    return operations.messages(query, limit, cursor).compose(page -> {
      if (page.messages().isEmpty() || page.messages().size() > limit) {
        return Future.failedFuture(new AssertionError("page of " + page.messages().size() + " after " + seen.size()));
      }
      seen.addAll(ids(page));
      if (page.nextCursor() == null) {
        return Future.succeededFuture(seen);
      }
      return pages(operations, query, limit, page.nextCursor(), seen);
    });
  }

  @Test
  void refusesACursorItDidNotHandOutAndALimitOutOfRange(Vertx vertx, VertxTestContext context) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    List<String> bad = List.of("%%not base64%%", base64.encodeToString("no colon".getBytes(StandardCharsets.UTF_8)),
      base64.encodeToString("yesterday:abc".getBytes(StandardCharsets.UTF_8)),
      base64.encodeToString("12:".getBytes(StandardCharsets.UTF_8)));
    open(vertx).compose(store -> {
        List<Future<MessagePage>> answers = new ArrayList<>();
        bad.forEach(cursor -> answers.add(store.operations().messages(MessageQuery.ALL, 10, cursor)));
        answers.add(store.operations().messages(MessageQuery.ALL, 0, null));
        answers.add(store.operations().messages(MessageQuery.ALL, DeliveryOperations.MAX_PAGE + 1, null));
        return Future.join(answers).transform(ignored -> {
          context.verify(() -> {
            for (Future<MessagePage> answer : answers) {
              assertTrue(answer.failed(), "answered " + answer.result());
              assertInstanceOf(IllegalArgumentException.class, answer.cause());
            }
          });
          return store.operations().messages(MessageQuery.ALL, DeliveryOperations.MAX_PAGE, null);
        }).eventually(store::close);
      })
      .onComplete(context.succeeding(empty -> context.verify(() -> {
        assertEquals(new MessagePage(List.of(), null), empty);
        context.completeNow();
      })));
  }

  @Test
  void showsAMessageWithAnEmptyBody(Vertx vertx, VertxTestContext context) {
    open(vertx).compose(store -> store.accept(message("/github", null, T0, "", "ci"))
        .compose(accepted -> store.operations().message(accepted.id(), 10))
        .eventually(store::close))
      .onComplete(context.succeeding(detail -> context.verify(() -> {
        assertEquals(Buffer.buffer(), detail.body());
        assertEquals(0, detail.summary().size());
        context.completeNow();
      })));
  }

  @Test
  void showsAMessageWithItsHeadersTheBodyBytesAskedForAndEveryAttemptPerBackend(Vertx vertx, VertxTestContext context) {
    Instant first = T0.plusSeconds(10);
    Instant second = T0.plusSeconds(20);
    open(vertx).compose(store -> store.accept(message("/github", "s-9", T0, "{\"é\":1}", "ci", "audit"))
        .compose(accepted -> claimAll(store, "ci")
          .compose(ci -> store.record(ci.get(accepted.id()), attempt(first, AttemptOutcome.REJECTED, 503, false),
            DeliveryStatus.PENDING, Instant.now()))
          .compose(v -> claimAll(store, "ci"))
          .compose(ci -> store.record(ci.get(accepted.id()), attempt(second, AttemptOutcome.DELIVERED, 200, true),
            DeliveryStatus.DELIVERED, null))
          // Bytes, not characters: the third is the first of the é.
          .compose(v -> store.operations().message(accepted.id(), 3))
          .compose(detail -> store.operations().message("no-such-message", Integer.MAX_VALUE).map(unknown -> {
            context.verify(() -> {
              assertNull(unknown);
              assertNotNull(detail);
              assertEquals(accepted.id(), detail.summary().id());
              assertEquals("s-9", detail.summary().senderId());
              assertEquals(List.of("one", "two"), detail.headers().getAll("x-twice"));
              assertEquals("text/plain", detail.headers().get("Content-Type"));
              assertEquals(Buffer.buffer("{\"é\":1}").getBuffer(0, 3), detail.body());
              assertEquals(8, detail.summary().size());
              assertEquals(List.of("audit", "ci"), List.copyOf(detail.attempts().keySet()));
              assertEquals(List.of(), detail.attempts().get("audit"));
              assertEquals(List.of(new StoredAttempt(1, attempt(first, AttemptOutcome.REJECTED, 503, false)),
                new StoredAttempt(2, attempt(second, AttemptOutcome.DELIVERED, 200, true))), detail.attempts().get("ci"));
              assertEquals(Map.of("audit", DeliveryStatus.PENDING, "ci", DeliveryStatus.DELIVERED),
                Map.of(detail.summary().deliveries().get(0).backend(), detail.summary().deliveries().get(0).status(),
                  detail.summary().deliveries().get(1).backend(), detail.summary().deliveries().get(1).status()));
            });
            return null;
          })))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }
}
