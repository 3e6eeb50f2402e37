package io.hookcast.sign;

import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.SignConfig;
import io.hookcast.config.VerifyConfig;
import io.hookcast.verify.SignatureVerifier;
import io.hookcast.verify.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A signed delivery crosses real HTTP and a backend checking it as a Standard Webhooks library does (headers
 * read case-insensitively from the request, the raw body) accepts it, and refuses a body that was changed.
 */
@ExtendWith(VertxExtension.class)
class SignedDeliveryOverHttpTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void aBackendVerifiesWhatHookcastSigned(Vertx vertx, VertxTestContext context) {
    Buffer body = Buffer.buffer("{\"action\":\"opened\",\"number\":42}");
    SignatureHeaders signed = signer().sign("msg_2Q9xYz", Instant.now(), body);
    verifyingBackend(vertx)
      .compose(server -> send(vertx, server.actualPort(), signed, body))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(204, response.statusCode());
        context.completeNow();
      })));
  }

  @Test
  void aBackendRefusesABodyChangedAfterSigning(Vertx vertx, VertxTestContext context) {
    SignatureHeaders signed = signer().sign("msg_2Q9xYz", Instant.now(), Buffer.buffer("{\"amount\":1}"));
    verifyingBackend(vertx)
      .compose(server -> send(vertx, server.actualPort(), signed, Buffer.buffer("{\"amount\":1000}")))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(401, response.statusCode());
        context.completeNow();
      })));
  }

  private static Future<HttpClientResponse> send(Vertx vertx, int port, SignatureHeaders signed, Buffer body) {
    HttpClient client = vertx.createHttpClient();
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/hooks"))
      .compose(request -> {
        signed.applyTo(request.headers());
        return request.send(body);
      })
      .compose(response -> response.body().map(ignored -> response));
  }

  /** A backend as its documentation would have it: check the signature, 401 if it does not hold. */
  private static Future<HttpServer> verifyingBackend(Vertx vertx) {
    SignatureVerifier verifier = SignatureVerifier.forConfig(new VerifyConfig(VerifyConfig.Scheme.STANDARD_WEBHOOKS,
      List.of(secret()), 300));
    return vertx.createHttpServer()
      .requestHandler(request -> request.body().onSuccess(received -> {
        Verdict verdict = verifier.verify(request.headers(), received, Instant.now());
        request.response().setStatusCode(verdict.accepted() ? 204 : 401).end();
      }))
      .listen(0, "127.0.0.1");
  }

  private static WebhookSigner signer() {
    return new WebhookSigner(new SignConfig(List.of(secret())));
  }

  private static Secret secret() {
    return new Secret(new SecretSource(SecretSource.Kind.ENV, "HOOKCAST_SIGNING_SECRET"), SECRET);
  }
}
