package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP/2 connection carries several webhooks at once: what ends one must not cut off the others. And a webhook
 * Hookcast takes over HTTP/1.1 it takes over HTTP/2 too.
 */
@ExtendWith(VertxExtension.class)
class Http2ConnectionsTest {

  private static final long REQUEST_TIMEOUT_MS = 500;

  /**
   * The request timeout guards a connection with nothing under way (a slowloris client); answering one webhook
   * while another is still being delivered must not start it, or the connection is closed under the slow one, and
   * answering the last one must.
   */
  @Test
  void answeringOneWebhookDoesNotCloseTheConnectionUnderAnotherStillBeingDeliveredButAnsweringTheLastDoes(Vertx vertx, @TempDir Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "ingress");
    RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 3 * REQUEST_TIMEOUT_MS, 200, "slow").await(10, TimeUnit.SECONDS);
    RecordingBackend quick = RecordingBackend.answering(vertx, 200, "quick").await(10, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("slow", slow.url()).put("timeoutMs", 5_000),
        Configs.backend("quick", quick.url()))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/slow").put("backends", new JsonArray().add("slow")))
        .add(new JsonObject().put("path", "/quick").put("backends", new JsonArray().add("quick"))));
    config.getJsonObject("http").put("requestTimeoutMs", REQUEST_TIMEOUT_MS)
      .put("tls", new JsonObject().put("certFile", certificate.certFile().toString()).put("keyFile", certificate.keyFile().toString()));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(30, TimeUnit.SECONDS);
    HttpClient client = http2Client(vertx, certificate);

    Future<HttpClientResponse> underWay = post(client, hookcast.port(), "/slow");
    HttpClientResponse answered = post(client, hookcast.port(), "/quick").await(10, TimeUnit.SECONDS);
    Promise<Void> closed = Promise.promise();
    answered.request().connection().closeHandler(v -> closed.tryComplete());
    HttpClientResponse later = underWay.await(10, TimeUnit.SECONDS);
    // Once none is under way, the guard runs again: the connection goes long before its 30 s idle timeout.
    closed.future().await(5, TimeUnit.SECONDS);

    assertEquals(HttpVersion.HTTP_2, answered.version());
    assertEquals(answered.request().connection().localAddress(), later.request().connection().localAddress(),
      "the two webhooks did not share a connection");
    assertEquals(200, later.statusCode(), later.body().await().toString());
  }

  /** HeaderLimitsTest's limit over HTTP/1.1; HTTP/2 has its own, which must not be the lower one. */
  @Test
  void headersWithinMaxHeaderBytesAreServedOverHttp2(Vertx vertx, @TempDir Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "ingress");
    RecordingBackend backend = RecordingBackend.start(vertx, new HttpServerOptions().setMaxHeaderSize(16_384),
      (request, body) -> request.response().end("ok")).await(10, TimeUnit.SECONDS);
    RunningHookcast hookcast = withHeaderLimitOverTls(vertx, certificate, backend);
    HttpClient client = http2Client(vertx, certificate);
    String padding = "a".repeat(10_000);

    HttpClientResponse answered = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(hookcast.port()).setURI("/").putHeader("X-Padding", padding))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .compose(response -> response.body().map(response))
      .await(10, TimeUnit.SECONDS);

    assertEquals(HttpVersion.HTTP_2, answered.version());
    assertEquals(200, answered.statusCode(), answered.body().await().toString());
    assertEquals(padding, backend.received().get(0).headers().get("X-Padding"));
  }

  /** Refused as over HTTP/1.1: with the JSON error, before any backend, and only that stream. */
  @Test
  void headersOverMaxHeaderBytesAreAnswered431OverHttp2(Vertx vertx, @TempDir Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "ingress");
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
    RunningHookcast hookcast = withHeaderLimitOverTls(vertx, certificate, backend);
    HttpClient client = http2Client(vertx, certificate);

    HttpClientResponse refused = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(hookcast.port()).setURI("/").putHeader("X-Padding", "a".repeat(17_000)))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .compose(response -> response.body().map(response))
      .await(10, TimeUnit.SECONDS);
    HttpClientResponse next = post(client, hookcast.port(), "/").await(10, TimeUnit.SECONDS);

    String body = refused.body().await().toString();
    assertEquals(431, refused.statusCode(), body);
    assertEquals(1, backend.received().size(), "the refused webhook reached the backend");
    assertTrue(new JsonObject(body).getString("error", "").endsWith("(http.maxHeaderBytes)"), body);
    assertEquals(200, next.statusCode(), next.body().await().toString());
    assertEquals(refused.request().connection().localAddress(), next.request().connection().localAddress(),
      "the refusal closed the connection");
  }

  /** A node over TLS, so HTTP/2 by ALPN, with http.maxHeaderBytes at 16 KiB and one backend. */
  private static RunningHookcast withHeaderLimitOverTls(Vertx vertx, SelfSignedCertificate certificate, RecordingBackend backend)
    throws Exception {
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url()));
    config.getJsonObject("http").put("maxHeaderBytes", 16_384)
      .put("tls", new JsonObject().put("certFile", certificate.certFile().toString()).put("keyFile", certificate.keyFile().toString()));
    return RunningHookcast.deploy(vertx, config).await(30, TimeUnit.SECONDS);
  }

  private static HttpClient http2Client(Vertx vertx, SelfSignedCertificate certificate) {
    return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
      .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(new PemTrustOptions().addCertPath(certificate.certFile().toString())));
  }

  private static Future<HttpClientResponse> post(HttpClient client, int port, String path) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .compose(response -> response.body().map(response));
  }
}
