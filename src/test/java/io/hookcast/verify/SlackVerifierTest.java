package io.hookcast.verify;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.hookcast.config.VerifyConfig.Scheme.SLACK;
import static io.hookcast.verify.Vectors.headers;
import static io.hookcast.verify.Vectors.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Slack's documented example, from "Verifying requests from Slack" (api.slack.com/authentication/
 * verifying-requests-from-slack), the same values Slack's own Java SDK tests with (slackapi/java-slack-sdk,
 * SlackSignatureTest).
 */
class SlackVerifierTest {

  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final String TIMESTAMP = "1531420618";
  private static final Buffer BODY = Buffer.buffer("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");
  private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  /** A minute after Slack signed the example. */
  private static final Instant THEN = Instant.ofEpochSecond(1531420618 + 60);

  @Test
  void acceptsSlacksDocumentedExample() {
    assertEquals(Verdict.ACCEPTED, verifier(SLACK, SECRET).verify(signed(SIGNATURE, TIMESTAMP), BODY, THEN));
  }

  @Test
  void rejectsATamperedBody() {
    assertEquals(Verdict.SIGNATURE_MISMATCH,
      verifier(SLACK, SECRET).verify(signed(SIGNATURE, TIMESTAMP), Buffer.buffer(BODY.toString().replace("foobar", "general")), THEN));
  }

  @Test
  void rejectsTheWrongSecret() {
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(SLACK, "8f742231b10e8888abcd99yyyzzz85a6").verify(signed(SIGNATURE, TIMESTAMP), BODY, THEN));
  }

  @Test
  void rejectsAnotherTimestampUnderTheSameSignature() {
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(SLACK, SECRET).verify(signed(SIGNATURE, "1531420619"), BODY, THEN));
  }

  @Test
  void rejectsAGenuineRequestReplayedAfterTheTolerance() {
    SignatureVerifier verifier = verifier(SLACK, SECRET);
    assertEquals(Verdict.ACCEPTED, verifier.verify(signed(SIGNATURE, TIMESTAMP), BODY, Instant.ofEpochSecond(1531420618 + 300)));
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE,
      verifier.verify(signed(SIGNATURE, TIMESTAMP), BODY, Instant.ofEpochSecond(1531420618 + 301)));
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE,
      verifier.verify(signed(SIGNATURE, TIMESTAMP), BODY, Instant.ofEpochSecond(1531420618 - 301)));
  }

  @Test
  void toleranceIsConfigurable() {
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE, verifier(SLACK, 30, SECRET).verify(signed(SIGNATURE, TIMESTAMP), BODY, THEN));
  }

  @Test
  void acceptsAnyOfSeveralSecretsSoThatOneCanBeRotated() {
    assertEquals(Verdict.ACCEPTED, verifier(SLACK, "old-secret", SECRET).verify(signed(SIGNATURE, TIMESTAMP), BODY, THEN));
  }

  @Test
  void namesAMissingOrMalformedHeader() {
    SignatureVerifier verifier = verifier(SLACK, SECRET);
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers("X-Slack-Signature", SIGNATURE), BODY, THEN));
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers("X-Slack-Request-Timestamp", TIMESTAMP), BODY, THEN));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(signed(SIGNATURE, "15314206.18"), BODY, THEN));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(signed(SIGNATURE.replace("v0=", "v1="), TIMESTAMP), BODY, THEN));
  }

  private static io.vertx.core.MultiMap signed(String signature, String timestamp) {
    return headers("X-Slack-Signature", signature, "X-Slack-Request-Timestamp", timestamp);
  }
}
