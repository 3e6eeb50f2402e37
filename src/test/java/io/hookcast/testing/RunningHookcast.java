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

  private final Vertx vertx;
  private final String deploymentId;
  private final int port;
  private final int adminPort;
  private final WebClient client;

  private RunningHookcast(Vertx vertx, String deploymentId, int port, int adminPort, WebClient client) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.port = port;
    this.adminPort = adminPort;
    this.client = client;
  }

  public static Future<RunningHookcast> deploy(Vertx vertx, JsonObject config) {
    HookcastVerticle verticle = HookcastVerticle.embedded();
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config))
      .map(id -> new RunningHookcast(vertx, id, verticle.httpPort(), verticle.adminPort(),
        WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(verticle.httpPort()),
          new PoolOptions().setHttp1MaxSize(500))));
  }

  /** Stops the node, its store closed, as a shutdown does; the test's Vert.x goes on, for a node started next. */
  public Future<Void> undeploy() {
    return vertx.undeploy(deploymentId);
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
