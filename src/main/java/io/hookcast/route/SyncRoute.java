package io.hookcast.route;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.AnswerDetail;
import io.hookcast.fanout.AggregatedAnswer;
import io.hookcast.fanout.FanOut;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.recent.MinuteCounts;
import io.hookcast.recent.RecentSync;
import io.hookcast.route.body.BodyReader;
import io.hookcast.route.body.BodyValues;
import io.hookcast.route.filter.DeliveryFilter;
import io.vertx.core.Future;

import java.util.List;

/**
 * A synchronous route: every backend gets the webhook at once, and the sender gets their joined answer, or, on a
 * route with a primary backend, that backend's own response while it has one to give.
 */
final class SyncRoute implements RouteHandler {

  private final String route;
  private final FanOut fanOut;
  private final DeliveryFilter filter;
  private final BodyReader body;
  private final AnswerDetail detail;
  private final HookcastMetrics metrics;
  private final RecentSync recent;
  /** {@link RecentSync#minutes} of each backend, in the order of {@link FanOut#backendNames()}. */
  private final MinuteCounts[] minutes;
  /** The primary backend's place in {@link FanOut#backendNames()}, or -1 when the route answers with the aggregate. */
  private final int primary;

  /**
   * @param body    reads the filter's pointers
   * @param primary the backend whose response is the answer, or {@code null} for the aggregate
   */
  SyncRoute(String route, FanOut fanOut, DeliveryFilter filter, BodyReader body, AnswerDetail detail, HookcastMetrics metrics,
            RecentSync recent, String primary) {
    this.route = route;
    this.fanOut = fanOut;
    this.filter = filter;
    this.body = body;
    this.detail = detail;
    this.metrics = metrics;
    this.recent = recent;
    this.minutes = fanOut.backendNames().stream().map(recent::minutes).toArray(MinuteCounts[]::new);
    this.primary = primary == null ? -1 : fanOut.backendNames().indexOf(primary);
  }

  @Override
  public Future<Answer> handle(Webhook webhook) {
    long receivedAt = System.currentTimeMillis();
    if (filter == DeliveryFilter.NONE) {
      return deliver(webhook, null, receivedAt);
    }
    if (!filter.needsBody(webhook.headers())) {
      return deliver(webhook, wanted(webhook, BodyValues.NONE), receivedAt);
    }
    return body.read(webhook.body()).compose(values -> deliver(webhook, wanted(webhook, values), receivedAt));
  }

  /** @param wanted which backends get it, in the order of {@link FanOut#backendNames()}; {@code null}: all */
  private Future<Answer> deliver(Webhook webhook, boolean[] wanted, long receivedAt) {
    List<String> names = fanOut.backendNames();
    return fanOut.deliver(webhook, wanted).map(results -> {
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) != null) {
          metrics.delivered(names.get(i), results.get(i));
        }
      }
      Answer answer = answer(names, results);
      recent.record(route, webhook, receivedAt, answer.status(), names, minutes, results);
      return answer;
    });
  }

  private Answer answer(List<String> names, List<DeliveryResult> results) {
    if (primary >= 0 && PrimaryAnswer.canAnswer(results.get(primary))) {
      return PrimaryAnswer.of(results.get(primary), () -> logDetail(names, results) + " answered by " + names.get(primary));
    }
    AggregatedAnswer answer = AggregatedAnswer.of(names, results, detail);
    return new Answer(answer.status(), answer.body(), answer.headers(), () -> logDetail(names, results));
  }

  /** Which backends want this webhook, in the order of {@link FanOut#backendNames()}. */
  private boolean[] wanted(Webhook webhook, BodyValues values) {
    List<String> names = fanOut.backendNames();
    List<String> selected = filter.select(names, webhook.headers(), values);
    boolean[] wanted = new boolean[names.size()];
    for (int i = 0; i < wanted.length; i++) {
      wanted[i] = selected.contains(names.get(i));
    }
    return wanted;
  }

  /** Each backend's outcome for the access log, where the node that delivered may be named. */
  private static String logDetail(List<String> names, List<DeliveryResult> results) {
    StringBuilder line = new StringBuilder(64).append('[');
    for (int i = 0; i < results.size(); i++) {
      DeliveryResult result = results.get(i);
      if (i > 0) {
        line.append(", ");
      }
      if (result == null) {
        line.append(names.get(i)).append("=skipped");
        continue;
      }
      line.append(names.get(i)).append('=').append(result.status()).append(' ').append(result.durationMs()).append("ms");
      if (result.attempts() > 1) {
        line.append(' ').append(result.attempts()).append(" attempts");
      }
      if (result.node() != null) {
        line.append(" @").append(result.node());
      }
      if (result.error() != null) {
        line.append(" (").append(result.error()).append(')');
      }
    }
    return line.append(']').toString();
  }
}
