package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.vertx.core.Future;

/** What a route does with a webhook whose body is read: deliver it and say what to answer. Never fails. */
public interface RouteHandler {

  Future<Answer> handle(Webhook webhook);
}
