package io.hookcast.testing;

import io.hookcast.HookcastVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** Hookcast deployed in the test's Vert.x, with a client pointed at its ingress. */
public final class RunningHookcast {

  private final int port;
  private final int adminPort;
  private final WebClient client;

  private RunningHookcast(int port, int adminPort, WebClient client) {
    this.port = port;
    this.adminPort = adminPort;
    this.client = client;
  }

  public static Future<RunningHookcast> deploy(Vertx vertx, JsonObject config) {
    HookcastVerticle verticle = HookcastVerticle.embedded();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
      .map(id -> new RunningHookcast(verticle.httpPort(), verticle.adminPort(),
        WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(verticle.httpPort()),
          new PoolOptions().setHttp1MaxSize(500))));
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  public WebClient client() {
    return client;
  }

  public Future<HttpResponse<Buffer>> post(String uri, String body) {
    return client.request(HttpMethod.POST, uri).sendBuffer(Buffer.buffer(body));
  }

  public Future<HttpResponse<Buffer>> post(String uri, Buffer body) {
    return client.request(HttpMethod.POST, uri).sendBuffer(body);
  }
}
