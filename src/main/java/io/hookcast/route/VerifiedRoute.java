package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.work.BodyWork;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.verify.SignatureVerifier;
import io.hookcast.verify.Verdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;

/**
 * A route whose sender must sign its webhooks: one that fails verification is answered 401 with a short reason and
 * goes no further (no backend, no store). The reason is fixed text; the secret and the signature are never logged.
 * A large body is checked off the event loop ({@link BodyWork}): a forged signature costs every key's HMAC.
 */
final class VerifiedRoute implements RouteHandler {

  private final String path;
  private final SignatureVerifier verifier;
  private final RouteHandler verified;
  private final HookcastMetrics metrics;
  private final BodyWork hashing;

  VerifiedRoute(String path, SignatureVerifier verifier, RouteHandler verified, HookcastMetrics metrics, BodyWork hashing) {
    this.path = path;
    this.verifier = verifier;
    this.verified = verified;
    this.metrics = metrics;
    this.hashing = hashing;
  }

  @Override
  public Future<Answer> handle(Webhook webhook) {
    Instant now = Instant.now();
    return hashing.run(webhook.body(), () -> verifier.verify(webhook.headers(), webhook.body(), now))
      .compose(verdict -> answer(webhook, verdict));
  }

  private Future<Answer> answer(Webhook webhook, Verdict verdict) {
    if (verdict.accepted()) {
      return verified.handle(webhook);
    }
    metrics.rejected(path, verdict.reason());
    return Future.succeededFuture(new Answer(401, new JsonObject().put("error", verdict.reason()), Map.of(),
      () -> "route " + path + " rejected: " + verdict.reason()));
  }
}
