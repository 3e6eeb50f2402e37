package io.hookcast.ingress;

import io.hookcast.HookcastVerticle;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The ingress and admin listeners over HTTPS, with a certificate made by the test, from a real TLS client on loopback. */
@ExtendWith(VertxExtension.class)
class HttpsTest {

  private static final long RELOAD_CHECK_MS = 200;
  /** Where both listeners log a reload of their certificate, or its refusal. */
  private static final String TLS_LOG = "io.hookcast.tls";
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private SelfSignedCertificate first;
  private SelfSignedCertificate renewed;
  private Path liveCert;
  private Path liveKey;
  private RecordingBackend backend;
  private int port;
  private int adminPort;
  private final List<HttpClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir, VertxTestContext context) throws Exception {
    first = SelfSignedCertificate.create(dir, "first");
    renewed = SelfSignedCertificate.create(dir, "renewed");
    liveCert = Files.copy(first.certFile(), dir.resolve("live-cert.pem"));
    liveKey = Files.copy(first.keyFile(), dir.resolve("live-key.pem"));
    JsonObject tls = new JsonObject().put("certFile", liveCert.toString()).put("keyFile", liveKey.toString())
      .put("reloadCheckMs", RELOAD_CHECK_MS);
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(started -> {
        backend = started;
        JsonObject config = Configs.withBackends(Configs.backend("one", backend.url()));
        config.getJsonObject("http").put("tls", tls).put("maxBodyBytes", MAX_BODY_BYTES);
        config.getJsonObject("admin").put("tls", tls.copy());
        HookcastVerticle verticle = HookcastVerticle.embedded();
        return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).map(id -> verticle);
      })
      .onComplete(context.succeeding(verticle -> {
        port = verticle.httpPort();
        adminPort = verticle.adminPort();
        context.completeNow();
      }));
  }

  @Test
  void tls13IsServedAndTheBackendIsToldTheWebhookCameOverHttps(Vertx vertx, VertxTestContext context) {
    post(client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_1_1), port)
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        assertEquals("TLSv1.3", response.request().connection().sslSession().getProtocol());
        assertEquals("https", backend.received().get(0).headers().get("X-Forwarded-Proto"));
        context.completeNow();
      })));
  }

  @Test
  void tls12IsServed(Vertx vertx, VertxTestContext context) {
    post(client(vertx, Set.of("TLSv1.2"), HttpVersion.HTTP_1_1), port)
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        assertEquals("TLSv1.2", response.request().connection().sslSession().getProtocol());
        context.completeNow();
      })));
  }

  /**
   * The JDK's own client will not even offer TLS 1.1, so a hand-written hello of that version is sent on a plain
   * socket: the server must answer with an alert, never a server hello. The same hello at TLS 1.2 gets one, which
   * shows the hello is well formed and only its version is refused.
   */
  @Test
  void aTls11HelloIsRefusedWhileTheSameHelloAtTls12IsAnswered() throws Exception {
    assertEquals(ALERT, firstRecordType(clientHello(0x02)));
    assertEquals(HANDSHAKE, firstRecordType(clientHello(0x03)));
  }

  @Test
  void http2IsNegotiatedByAlpn(Vertx vertx, VertxTestContext context) {
    post(client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_2), port)
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        assertEquals(HttpVersion.HTTP_2, response.version());
        assertEquals(1, backend.received().size());
        context.completeNow();
      })));
  }

  /** Over HTTP/2 a browser sends {@code :authority} and no Host header; the dashboard's own page must still act. */
  @Test
  void overHttp2TheDashboardsOwnPageMayActWithoutAToken(Vertx vertx) throws Exception {
    HttpClient client = client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_2);
    HttpClientResponse ownPage = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(adminPort)
        .setURI("/api/deliveries/retry").putHeader("Origin", "https://127.0.0.1:" + adminPort))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .compose(response -> response.body().map(response)).await(10, TimeUnit.SECONDS);

    assertEquals(HttpVersion.HTTP_2, ownPage.version());
    assertEquals(202, ownPage.statusCode(), ownPage.body().await().toString());
  }

  /**
   * HTTP/2 forbids {@code Connection: close} and carries many webhooks on one connection: a refusal is answered on its
   * own stream (one whose body is still coming is then reset), and the same connection takes the next webhook.
   */
  @Test
  void overHttp2ARefusalIsAnsweredOnItsStreamAndTheConnectionTakesTheNextWebhook(Vertx vertx) throws Exception {
    HttpClient client = client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_2);
    HttpClientResponse wrongMethod = send(client, port, HttpMethod.GET, Buffer.buffer()).await(10, TimeUnit.SECONDS);
    HttpClientResponse tooLarge = send(client, port, HttpMethod.POST, Buffer.buffer(new byte[4 * MAX_BODY_BYTES]))
      .await(10, TimeUnit.SECONDS);
    HttpClientResponse accepted = post(client, port).await(10, TimeUnit.SECONDS);

    assertEquals(405, wrongMethod.statusCode());
    assertEquals(413, tooLarge.statusCode());
    for (HttpClientResponse refused : List.of(wrongMethod, tooLarge)) {
      assertFalse(new JsonObject(refused.body().await(10, TimeUnit.SECONDS)).getString("error").isBlank());
    }
    assertEquals(200, accepted.statusCode());
    assertEquals(HttpVersion.HTTP_2, accepted.version());
    assertEquals(wrongMethod.request().connection().localAddress(), accepted.request().connection().localAddress(),
      "the refusal closed the connection its answer came on");
    assertEquals(1, backend.received().size());
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestart(Vertx vertx, VertxTestContext context) throws Exception {
    X509Certificate expected = renewed.certificate();
    // An ACME client writes the key and the chain in turn; the modification time moves on, here by a clear step.
    FileTime later = FileTime.from(Instant.now().plusSeconds(60));
    Files.copy(renewed.keyFile(), liveKey, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed.certFile(), liveCert, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(liveKey, later);
    Files.setLastModifiedTime(liveCert, later);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Future.all(awaitServed(vertx, port, expected, deadline), awaitServed(vertx, adminPort, expected, deadline))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void aCertificateReadHalfWrittenIsServedOnceItIsCompleteEvenWithTheSameModificationTime(Vertx vertx, VertxTestContext context)
    throws Exception {
    X509Certificate expected = renewed.certificate();
    FileTime later = FileTime.from(Instant.now().plusSeconds(60));
    String chain = Files.readString(renewed.certFile());
    try (LogCapture log = LogCapture.of(TLS_LOG)) {
      Files.copy(renewed.keyFile(), liveKey, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(liveCert, chain.substring(0, chain.length() / 2));
      Files.setLastModifiedTime(liveKey, later);
      Files.setLastModifiedTime(liveCert, later);
      // A check read the half-written file (not only the new key beside the old certificate, as it may in between).
      awaitRefusal(log, "http.tls", "PEM certificate");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // The half-written file left the first certificate served; then the writer finishes within the same modification
    // time (a coarse file-system clock), which must not make the change missed for good.
    servedBy(vertx, port)
      .compose(servedMeanwhile -> {
        context.verify(() -> assertEquals(first.certificate(), servedMeanwhile));
        try {
          Files.writeString(liveCert, chain);
          Files.setLastModifiedTime(liveCert, later);
        } catch (Exception e) {
          return Future.failedFuture(e);
        }
        return awaitServed(vertx, port, expected, deadline);
      })
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * A deploy hook's {@code cat cert.pem chain.pem > fullchain.pem} writes the leaf first: read then, the file is a
   * whole certificate that matches the key, and is served. The rest, written within the same modification time, must
   * still be served, or senders that do not fetch intermediates fail every handshake until the next renewal.
   */
  @Test
  void aChainCompletedWithinTheSameModificationTimeIsServedWhole(Vertx vertx, VertxTestContext context, @TempDir Path dir)
    throws Exception {
    SelfSignedCertificate chained = SelfSignedCertificate.issuedByItsOwnCa(dir, "chained");
    String chain = Files.readString(chained.certFile());
    String end = "-----END CERTIFICATE-----";
    String leaf = chain.substring(0, chain.indexOf(end) + end.length() + 1);
    FileTime later = FileTime.from(Instant.now().plusSeconds(60));
    Files.copy(chained.keyFile(), liveKey, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(liveCert, leaf);
    Files.setLastModifiedTime(liveKey, later);
    Files.setLastModifiedTime(liveCert, later);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    awaitServed(vertx, port, chained.certificate(), deadline)
      .compose(v -> {
        try {
          Files.writeString(liveCert, chain);
          Files.setLastModifiedTime(liveCert, later);
        } catch (Exception e) {
          return Future.failedFuture(e);
        }
        return awaitChain(vertx, 2, deadline);
      })
      .onComplete(context.succeedingThenComplete());
  }

  /** Connects anew until the listener presents a chain of {@code length} certificates; fails at the deadline. */
  private Future<Void> awaitChain(Vertx vertx, int length, long deadline) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setKeepAlive(false));
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/health"))
      .compose(request -> request.send().map(response -> {
        try {
          return request.connection().peerCertificates().size();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }))
      .eventually(client::close)
      .compose(served -> {
        if (served == length) {
          return Future.succeededFuture();
        }
        if (System.nanoTime() > deadline) {
          return Future.failedFuture("still serves a chain of " + served);
        }
        return vertx.timer(RELOAD_CHECK_MS).compose(v -> awaitChain(vertx, length, deadline));
      });
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAndThePreviousPairKeepsServing(Vertx vertx, VertxTestContext context) throws Exception {
    FileTime later = FileTime.from(Instant.now().plusSeconds(60));
    try (LogCapture log = LogCapture.of(TLS_LOG)) {
      Files.copy(renewed.certFile(), liveCert, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(liveCert, later);
      Files.setLastModifiedTime(liveKey, later);
      awaitRefusal(log, "http.tls", "is not the private key of the certificate");
      awaitRefusal(log, "admin.tls", "is not the private key of the certificate");
    }
    Future.all(servedBy(vertx, port), servedBy(vertx, adminPort))
      .onComplete(context.succeeding(served -> context.verify(() -> {
        assertEquals(first.certificate(), served.resultAt(0));
        assertEquals(first.certificate(), served.resultAt(1));
        context.completeNow();
      })));
  }

  /**
   * Until the listener of {@code key} ({@code http.tls}, {@code admin.tls}) has logged that it refused the changed
   * files for a reason that mentions {@code why}: the check has run and read them.
   */
  private static void awaitRefusal(LogCapture log, String key, String why) throws InterruptedException {
    String refused = key + ": the changed certificate or key cannot be used, still serving the previous one";
    Eventually.until(Duration.ofSeconds(10),
      () -> log.lines().stream().anyMatch(line -> line.startsWith(refused) && line.contains(why)),
      () -> "no refusal by " + key + " mentioning \"" + why + "\"; the TLS log: " + log.lines());
  }

  /** The certificate {@code listenerPort} presents to a new connection. */
  private Future<X509Certificate> servedBy(Vertx vertx, int listenerPort) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setKeepAlive(false));
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(listenerPort).setURI("/health"))
      .compose(request -> request.send().map(response -> served(request.connection())))
      .eventually(client::close);
  }

  @Test
  void theAdminListenerServesTlsToo(Vertx vertx, VertxTestContext context) {
    client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_1_1)
      .request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(adminPort).setURI("/health"))
      .compose(request -> request.send())
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        assertEquals(first.certificate(), response.request().connection().peerCertificates().get(0));
        context.completeNow();
      })));
  }

  /** Connects anew until the listener presents {@code expected}; fails at the deadline. */
  private Future<Void> awaitServed(Vertx vertx, int listenerPort, X509Certificate expected, long deadline) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setKeepAlive(false));
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(listenerPort).setURI("/health"))
      .compose(request -> request.send().map(response -> served(request.connection())))
      .eventually(client::close)
      .compose(served -> {
        if (served.equals(expected)) {
          return Future.succeededFuture();
        }
        if (System.nanoTime() > deadline) {
          return Future.failedFuture("port " + listenerPort + " still serves " + served.getSubjectX500Principal());
        }
        return vertx.timer(RELOAD_CHECK_MS).compose(v -> awaitServed(vertx, listenerPort, expected, deadline));
      });
  }

  private static X509Certificate served(HttpConnection connection) {
    try {
      return (X509Certificate) connection.peerCertificates().get(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HTTP/1 refuses a request line over 4096 bytes before Hookcast sees it; an HTTP/2 path is bounded only by the head's
   * size, so without the same check a webhook would be taken or refused by which protocol its sender speaks.
   */
  @Test
  void overHttp2ARequestLineLongerThanHttp1TakesIsRefused414(Vertx vertx) throws Exception {
    HttpClient client = client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_2);
    // "POST " + path + " HTTP/1.1": 4096 bytes exactly, then one more.
    String longest = "/hook?q=" + "a".repeat(4096 - "POST  HTTP/1.1".length() - "/hook?q=".length());
    HttpClient http1 = client(vertx, Set.of("TLSv1.3"), HttpVersion.HTTP_1_1);
    for (HttpClient sender : List.of(client, http1)) {
      HttpClientResponse taken = sendTo(sender, longest).await(10, TimeUnit.SECONDS);
      HttpClientResponse refused = sendTo(sender, longest + "a").await(10, TimeUnit.SECONDS);

      assertEquals(200, taken.statusCode(), taken.version().toString());
      assertEquals(414, refused.statusCode(), refused.version().toString());
      assertEquals("the request line is too long", new JsonObject(refused.body().await(10, TimeUnit.SECONDS)).getString("error"));
    }
    assertEquals(2, backend.received().size());
  }

  private Future<HttpClientResponse> sendTo(HttpClient client, String uri) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .compose(response -> response.body().map(response));
  }

  /** Kept referenced: Vert.x closes a client that becomes unreachable, even in the middle of a request. */
  private HttpClient client(Vertx vertx, Set<String> protocols, HttpVersion version) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
      .setTrustOptions(new PemTrustOptions().addCertPath(first.certFile().toString()))
      .setEnabledSecureTransportProtocols(protocols)
      .setUseAlpn(version == HttpVersion.HTTP_2)
      .setProtocolVersion(version));
    clients.add(client);
    return client;
  }

  private Future<HttpClientResponse> post(HttpClient client, int listenerPort) {
    return send(client, listenerPort, HttpMethod.POST, Buffer.buffer("{\"zen\":\"hi\"}"));
  }

  /** The response once its body has arrived too ({@link HttpClientResponse#body()} then answers at once). */
  private Future<HttpClientResponse> send(HttpClient client, int listenerPort, HttpMethod method, Buffer body) {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(listenerPort).setURI("/hook"))
      .compose(request -> request.send(body))
      .compose(response -> response.body().map(response));
  }

  private static final int HANDSHAKE = 22;
  private static final int ALERT = 21;

  /** The content type of the first TLS record the ingress sends back, or -1 if it closes without one. */
  private int firstRecordType(byte[] hello) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(hello);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      return in.read();
    }
  }

  /** A minimal ClientHello offering {@code 3.minor} (2: TLS 1.1, 3: TLS 1.2) with ECDHE-ECDSA and RSA suites. */
  private static byte[] clientHello(int minor) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {3, (byte) minor});
    byte[] random = new byte[32];
    ThreadLocalRandom.current().nextBytes(random);
    body.writeBytes(random);
    body.write(0);
    body.writeBytes(bytes(0x00, 0x0a, 0xc0, 0x2b, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x2f, 0x00, 0x35));
    body.writeBytes(bytes(0x01, 0x00));
    byte[] extensions = bytes(
      0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
      0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
      0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03);
    body.writeBytes(bytes(0x00, extensions.length));
    body.writeBytes(extensions);
    byte[] hello = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(bytes(HANDSHAKE, 3, 1, (hello.length + 4) >> 8, (hello.length + 4) & 0xff));
    record.writeBytes(bytes(1, 0, hello.length >> 8, hello.length & 0xff));
    record.writeBytes(hello);
    return record.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
