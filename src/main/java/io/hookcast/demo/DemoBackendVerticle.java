package io.hookcast.demo;

import io.hookcast.http.Listening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * A backend that answers by {@link DemoRules}, on every method and path. Runs on its own
 * ({@code -conf '{"name":"one","port":5000}'}, as in docker-compose) or inside Hookcast for the demo config.
 */
public final class DemoBackendVerticle extends VerticleBase {

  private final String name;
  private final String host;
  private final int port;

  /** Used by the launcher: name, host and port come from the deployment config. */
  public DemoBackendVerticle() {
    this(null, null, -1);
  }

  public DemoBackendVerticle(String name, String host, int port) {
    this.name = name;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    JsonObject conf = config();
    String backendName = name != null ? name : conf.getString("name", "one");
    String bindHost = host != null ? host : conf.getString("host", "0.0.0.0");
    int bindPort = port >= 0 ? port : conf.getInteger("port", 5000);
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body()
      .onSuccess(body -> {
        DemoRules.Response scripted = DemoRules.responseTo(backendName, body);
        request.response()
          .setStatusCode(scripted.status())
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end(scripted.body());
      }));
    String keys = name != null ? "demo.host, demo.backends[].port" : "host, port of its -conf";
    return Listening.named(server.listen(bindPort, bindHost), "demo backend '" + backendName + "' (" + keys + ")", bindHost, bindPort);
  }
}
