package io.hookcast.forward;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.DeliveryConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * Delivers the webhooks sent to one backend's address over a pooled keep-alive client, and replies with the
 * outcome. Several forwarders of the same backend (instances, cluster nodes) share its deliveries.
 */
public final class ForwarderVerticle extends VerticleBase {

  private final String nodeName;
  private final BackendConfig backend;
  private final DeliveryConfig delivery;
  private HttpClient client;
  private MessageConsumer<Webhook> consumer;

  public ForwarderVerticle(String nodeName, BackendConfig backend, DeliveryConfig delivery) {
    this.nodeName = nodeName;
    this.backend = backend;
    this.delivery = delivery;
  }

  @Override
  public Future<?> start() {
    HttpClientOptions clientOptions = new HttpClientOptions()
      .setDefaultHost(backend.host())
      .setDefaultPort(backend.port())
      .setSsl(backend.ssl())
      .setKeepAlive(true)
      .setConnectTimeout((int) Math.min(backend.timeoutMs(), Integer.MAX_VALUE));
    client = vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(backend.maxConnections()));
    BackendCall call = new BackendCall(vertx, client, nodeName, backend, delivery.maxResponseBodyBytes());
    consumer = vertx.eventBus().consumer(Addresses.deliver(backend.name()));
    consumer.handler(message -> call.deliver(message.body()).onComplete(ar -> message.reply(ar.result())));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister().eventually(() -> client.close());
  }
}
