package io.hookcast.admin.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.TimeUnit;

/** Calls to a running node's admin listener over real HTTP, with a token or without one; waits on the test thread. */
final class AdminApi {

  private final WebClient client;
  private final String token;

  /** @param token sent as the bearer token, or {@code null} to send none */
  AdminApi(Vertx vertx, int adminPort, String token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(adminPort));
    this.token = token;
  }

  WebClient client() {
    return client;
  }

  HttpResponse<Buffer> get(String uri) throws Exception {
    return send(HttpMethod.GET, uri, null);
  }

  HttpResponse<Buffer> post(String uri) throws Exception {
    return send(HttpMethod.POST, uri, null);
  }

  HttpResponse<Buffer> post(String uri, JsonObject body) throws Exception {
    return send(HttpMethod.POST, uri, body.toBuffer());
  }

  HttpResponse<Buffer> send(HttpMethod method, String uri, Buffer body) throws Exception {
    HttpRequest<Buffer> request = request(method, uri);
    return (body == null ? request.send() : request.sendBuffer(body)).await(30, TimeUnit.SECONDS);
  }

  /** A request with the token, for a body other than a buffer, or headers of the test's own. */
  HttpRequest<Buffer> request(HttpMethod method, String uri) {
    HttpRequest<Buffer> request = client.request(method, uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request;
  }

  /** The JSON body of a call that must answer {@code status}. */
  JsonObject expect(int status, HttpResponse<Buffer> response) {
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + ", got " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }
}
