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

/** An HTTP/2 connection carries several webhooks at once: what ends one must not cut off the others. */
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
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
      .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(new PemTrustOptions().addCertPath(certificate.certFile().toString())));

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

  private static Future<HttpClientResponse> post(HttpClient client, int port, String path) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .compose(response -> response.body().map(response));
  }
}
