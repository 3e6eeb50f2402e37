package io.hookcast.cluster;

import io.hookcast.config.ClusterConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA, a member certificate it signed and an outsider's self-signed certificate, made with the JDK's
 * own {@code keytool} so that the tests need nothing the JDK lacks. Private keys are written as PKCS#8 PEM.
 */
final class TestCertificates {

  private static final String PASSWORD = "throwaway";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  static TestCertificates create(Path dir) throws Exception {
    TestCertificates certificates = new TestCertificates(dir);
    certificates.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=hookcast-test-ca", "-ext", "bc:c", "-keystore", "ca.p12");
    certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
    certificates.keytool("-genkeypair", "-alias", "member", "-dname", "CN=hookcast-member", "-keystore", "member.p12");
    certificates.keytool("-certreq", "-alias", "member", "-keystore", "member.p12", "-file", "member.csr");
    certificates.keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", "member.csr", "-outfile", "member.pem",
      "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth,clientAuth");
    certificates.writeKey("member");
    certificates.keytool("-genkeypair", "-alias", "outsider", "-dname", "CN=hookcast-outsider", "-keystore", "outsider.p12");
    certificates.keytool("-exportcert", "-rfc", "-alias", "outsider", "-keystore", "outsider.p12", "-file", "outsider.pem");
    certificates.writeKey("outsider");
    return certificates;
  }

  /** Key and certificate signed by the CA, trusting the CA. */
  ClusterConfig.Tls member() {
    return new ClusterConfig.Tls(path("member-key.pem"), path("member.pem"), path("ca.pem"));
  }

  /** Its own self-signed certificate, trusting the same CA as the members: its certificate is not vouched for. */
  ClusterConfig.Tls outsider() {
    return new ClusterConfig.Tls(path("outsider-key.pem"), path("outsider.pem"), path("ca.pem"));
  }

  private String path(String file) {
    return dir.resolve(file).toString();
  }

  private void writeKey(String alias) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    Key key = store.getKey(alias, PASSWORD.toCharArray());
    String pem = "-----BEGIN PRIVATE KEY-----\n"
      + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
      + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(dir.resolve(alias + "-key.pem"), pem, StandardCharsets.US_ASCII);
  }

  private void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    if (args[0].equals("-genkeypair")) {
      command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    if (args[0].equals("-gencert")) {
      command.addAll(List.of("-validity", "2"));
    }
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
