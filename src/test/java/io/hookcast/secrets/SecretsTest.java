package io.hookcast.secrets;

import io.hookcast.config.ConfigException;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.SignConfig;
import io.hookcast.config.VerifyConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** routes[].verify and backends[].sign: parsed as where their secrets are, then read by the step after parsing. */
class SecretsTest {

  private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void readsTheSecretFromTheNamedVariableWithDefaultTolerance() {
    VerifyConfig config = verify(new JsonObject("""
      {"scheme": "github", "secretEnv": "GITHUB_WEBHOOK_SECRET"}"""), Map.of("GITHUB_WEBHOOK_SECRET", "s3cret"));
    assertEquals(VerifyConfig.Scheme.GITHUB, config.scheme());
    assertEquals(List.of(new Secret(new SecretSource(SecretSource.Kind.ENV, "GITHUB_WEBHOOK_SECRET"), "s3cret")), config.secrets());
    assertEquals(300, config.toleranceSeconds());
  }

  @Test
  void readsSecretFilesTrimmedAndListsForRotation(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("stripe.secret"), "whsec_from_file\n");
    VerifyConfig config = verify(new JsonObject()
        .put("scheme", "stripe").put("secretEnv", List.of("STRIPE_OLD", "STRIPE_NEW")).put("secretFile", file.toString())
        .put("toleranceSeconds", 600),
      Map.of("STRIPE_OLD", "whsec_old", "STRIPE_NEW", "whsec_new"));
    assertEquals(List.of("whsec_old", "whsec_new", "whsec_from_file"), config.secrets().stream().map(Secret::value).toList());
    assertEquals(new SecretSource(SecretSource.Kind.FILE, file.toString()), config.secrets().get(2).source());
    assertEquals(600, config.toleranceSeconds());
  }

  /**
   * A secret made with {@code echo} into a Kubernetes secret reaches its variable with a newline, and one saved by a
   * Windows editor starts with a byte order mark: both were part of the key, so every webhook was refused as a
   * signature mismatch while the same secret in a file worked.
   */
  @Test
  void readsVariablesWithoutTrailingLineBreaksAndFilesTrimmedBothWithoutAByteOrderMark(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("github.secret"), "\uFEFFfrom-file\r\n");
    VerifyConfig config = verify(new JsonObject().put("scheme", "github").put("secretEnv", List.of("NEWLINE", "BOM"))
      .put("secretFile", file.toString()), Map.of("NEWLINE", "s3cret\n", "BOM", "\uFEFFs3cret2\r\n"));
    assertEquals(List.of("s3cret", "s3cret2", "from-file"), config.secrets().stream().map(Secret::value).toList());
    // Spaces are a variable's secret's own.
    assertEquals(" spaced ", verify(new JsonObject().put("scheme", "github").put("secretEnv", "SPACED"), Map.of("SPACED", " spaced "))
      .secrets().get(0).value());
    assertEquals(List.of(WHSEC), sign(new JsonObject().put("secretEnv", "SIGN"), Map.of("SIGN", WHSEC + "\n")).secrets().stream()
      .map(Secret::value).toList());
  }

  @Test
  void everySchemeIsKnownByItsDocumentedName() {
    for (String name : List.of("github", "stripe", "shopify", "slack", "standard-webhooks")) {
      String secret = name.equals("standard-webhooks") ? WHSEC : "x";
      VerifyConfig config = verify(new JsonObject().put("scheme", name).put("secretEnv", "S"),
        Map.of("S", secret));
      assertEquals(name, config.scheme().jsonName());
    }
  }

  @Test
  void aMissingVariableOrFileStopsStartupNamingIt(@TempDir Path dir) {
    assertRefused("routes[0].verify.secretEnv: environment variable GITHUB_WEBHOOK_SECRET is not set",
      "{\"scheme\": \"github\", \"secretEnv\": \"GITHUB_WEBHOOK_SECRET\"}", Map.of());
    String missing = dir.resolve("nope.secret").toString();
    assertRefused("routes[0].verify.secretFile: file " + missing + " does not exist",
      new JsonObject().put("scheme", "github").put("secretFile", missing).encode(), Map.of());
    assertRefused("routes[0].verify.secretEnv: environment variable EMPTY is empty",
      "{\"scheme\": \"github\", \"secretEnv\": \"EMPTY\"}", Map.of("EMPTY", " "));
  }

  @Test
  void anEmptySecretFileIsRefused(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("empty.secret"), "\n");
    assertRefused("routes[0].verify.secretFile: file " + file + " is empty",
      new JsonObject().put("scheme", "github").put("secretFile", file.toString()).encode(), Map.of());
  }

  @Test
  void refusesWhatItDoesNotKnowNamingTheKey() {
    assertRefused("routes[0].verify.secret: unknown key (known keys here: scheme, secretEnv, secretFile, toleranceSeconds)",
      "{\"scheme\": \"github\", \"secret\": \"in clear\"}", Map.of());
    assertRefused("routes[0].verify.scheme: 'gitlab' is not one of \"github\", \"stripe\", \"shopify\", \"slack\", \"standard-webhooks\"",
      "{\"scheme\": \"gitlab\", \"secretEnv\": \"S\"}", Map.of("S", "x"));
    assertRefused("routes[0].verify.scheme: missing", "{\"secretEnv\": \"S\"}", Map.of("S", "x"));
    assertRefused("routes[0].verify.secretEnv: missing; name the environment variable (secretEnv) or file (secretFile) that holds the secret",
      "{\"scheme\": \"github\"}", Map.of());
    assertRefused("routes[0].verify.secretEnv: expected a string or a non-empty list of strings, got a list",
      "{\"scheme\": \"github\", \"secretEnv\": []}", Map.of());
    assertRefused("routes[0].verify.secretEnv[1]: expected a string, got 7",
      "{\"scheme\": \"github\", \"secretEnv\": [\"S\", 7]}", Map.of("S", "x"));
  }

  @Test
  void toleranceIsOnlyForTimestampedSchemesAndWithinADay() {
    assertRefused("routes[0].verify.toleranceSeconds: the github scheme signs no timestamp, so there is no tolerance to set",
      "{\"scheme\": \"github\", \"secretEnv\": \"S\", \"toleranceSeconds\": 60}", Map.of("S", "x"));
    assertRefused("routes[0].verify.toleranceSeconds: 0 is out of range 1..86400",
      "{\"scheme\": \"slack\", \"secretEnv\": \"S\", \"toleranceSeconds\": 0}", Map.of("S", "x"));
    assertRefused("routes[0].verify.toleranceSeconds: 1e19 is out of range 1..86400",
      "{\"scheme\": \"slack\", \"secretEnv\": \"S\", \"toleranceSeconds\": 1e19}", Map.of("S", "x"));
    assertRefused("routes[0].verify.toleranceSeconds: 1.5 is not a whole number; expected one in 1..86400",
      "{\"scheme\": \"slack\", \"secretEnv\": \"S\", \"toleranceSeconds\": 1.5}", Map.of("S", "x"));
  }

  @Test
  void aStandardWebhooksSecretMustDecodeAndTheErrorDoesNotShowIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> verify(new JsonObject("""
      {"scheme": "standard-webhooks", "secretEnv": "SW"}"""), Map.of("SW", "whsec_not*base64!")));
    assertEquals("routes[0].verify.secretEnv: the secret in environment variable SW is not a Standard Webhooks secret "
      + "(whsec_ followed by base64)", e.getMessage());
    assertFalse(e.getMessage().contains("not*base64!"));
  }

  @Test
  void signTakesWhsecSecretsFromVariablesOrFiles(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("sign.secret"), "  " + WHSEC + "  \n");
    SignConfig config = sign(new JsonObject().put("secretEnv", "SIGN").put("secretFile", List.of(file.toString())),
      Map.of("SIGN", "whsec_dGhlIG5ldyBvbmU="));
    assertEquals(List.of("whsec_dGhlIG5ldyBvbmU=", WHSEC), config.secrets().stream().map(Secret::value).toList());
    assertEquals(List.of(WHSEC), sign(new JsonObject().put("secretFile", file.toString()), Map.of()).secrets().stream()
      .map(Secret::value).toList());
    ConfigException e = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject("""
      {"backends": [{"name": "a", "url": "http://127.0.0.1:9/"},
                    {"name": "b", "url": "http://127.0.0.1:9/", "sign": {"secretEnv": "SIGN", "scheme": "github"}}]}"""),
      Map.of("SIGN", WHSEC)));
    assertEquals("backends[1].sign.scheme: unknown key (known keys here: secretEnv, secretFile)", e.getMessage());
    ConfigException none = assertThrows(ConfigException.class, () -> sign(new JsonObject(), Map.of()));
    assertEquals("backends[1].sign.secretEnv: missing; name the environment variable (secretEnv) or file (secretFile) "
      + "that holds the secret", none.getMessage());
  }

  @Test
  void aConfigPrintedInALogNamesWhereSecretsComeFromButNeverShowsThem() {
    VerifyConfig config = verify(new JsonObject("""
      {"scheme": "github", "secretEnv": "GITHUB_WEBHOOK_SECRET"}"""), Map.of("GITHUB_WEBHOOK_SECRET", "hunter2-very-secret"));
    String printed = config.toString();
    assertFalse(printed.contains("hunter2-very-secret"), printed);
    assertEquals("VerifyConfig[scheme=GITHUB, secrets=[Secret[from environment variable GITHUB_WEBHOOK_SECRET]], toleranceSeconds=300]",
      printed);
  }

  @Test
  void aRotatedSecretMakesADifferentConfigSoLiveReloadNoticesIt() {
    JsonObject json = new JsonObject("{\"scheme\": \"github\", \"secretEnv\": \"S\"}");
    assertEquals(verify(json, Map.of("S", "one")), verify(json, Map.of("S", "one")));
    assertFalse(verify(json, Map.of("S", "one")).equals(verify(json, Map.of("S", "two"))));
  }

  private static JsonObject config(String verify) {
    return new JsonObject("{\"backends\": [{\"name\": \"ci\", \"url\": \"http://127.0.0.1:9/\"}],"
      + " \"routes\": [{\"path\": \"/\", \"backends\": [\"ci\"], \"verify\": " + verify + "}]}");
  }

  /** As at startup: parsed, then its secrets read. */
  private static HookcastConfig load(JsonObject config, Map<String, String> env) {
    return Secrets.load(HookcastConfig.fromJson(config, env), env);
  }

  private static VerifyConfig verify(JsonObject verify, Map<String, String> env) {
    return load(config(verify.encode()), env).routes().get(0).verify();
  }

  private static SignConfig sign(JsonObject sign, Map<String, String> env) {
    return load(new JsonObject().put("backends", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("name", "a").put("url", "http://127.0.0.1:9/"))
      .add(new JsonObject().put("name", "b").put("url", "http://127.0.0.1:9/").put("sign", sign))), env).backends().get(1).sign();
  }

  /** Refused as part of a whole configuration, whose schema checks the keys' types and ranges first. */
  private static void assertRefused(String message, String json, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(config(json), env));
    assertEquals(message, e.getMessage());
  }
}
