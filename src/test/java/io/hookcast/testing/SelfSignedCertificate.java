package io.hookcast.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the JDK's own {@code keytool} so that
 * the tests need nothing the JDK lacks, written as PEM: the certificate and a PKCS#8 private key.
 *
 * @param certFile the PEM certificate
 * @param keyFile  the PEM private key
 */
public record SelfSignedCertificate(Path certFile, Path keyFile) {

  private static final String PASSWORD = "throwaway";

  /** @param name distinguishes several certificates in one directory */
  public static SelfSignedCertificate create(Path dir, String name) throws Exception {
    String store = name + ".p12";
    keytool(dir, "-genkeypair", "-alias", name, "-dname", "CN=" + name, "-ext", "san=ip:127.0.0.1,dns:localhost",
      "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-keystore", store);
    keytool(dir, "-exportcert", "-rfc", "-alias", name, "-keystore", store, "-file", name + ".pem");
    Path keyFile = dir.resolve(name + "-key.pem");
    Files.writeString(keyFile, privateKeyPem(dir.resolve(store), name), StandardCharsets.US_ASCII);
    return new SelfSignedCertificate(dir.resolve(name + ".pem"), keyFile);
  }

  /**
   * A certificate issued by a throwaway CA of its own, as a server presents one: {@code certFile} holds the chain,
   * the certificate then the CA's.
   */
  public static SelfSignedCertificate issuedByItsOwnCa(Path dir, String name) throws Exception {
    String ca = name + "-ca";
    keytool(dir, "-genkeypair", "-alias", ca, "-dname", "CN=" + ca, "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1",
      "-validity", "2", "-keystore", ca + ".p12");
    keytool(dir, "-exportcert", "-rfc", "-alias", ca, "-keystore", ca + ".p12", "-file", ca + ".pem");
    String store = name + ".p12";
    keytool(dir, "-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "EC", "-groupname", "secp256r1",
      "-validity", "2", "-keystore", store);
    keytool(dir, "-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
    keytool(dir, "-gencert", "-rfc", "-alias", ca, "-keystore", ca + ".p12", "-infile", name + ".csr", "-outfile",
      name + "-alone.pem", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2");
    Path chain = Files.writeString(dir.resolve(name + ".pem"), Files.readString(dir.resolve(name + "-alone.pem"))
      + Files.readString(dir.resolve(ca + ".pem")), StandardCharsets.US_ASCII);
    Path keyFile = dir.resolve(name + "-key.pem");
    Files.writeString(keyFile, privateKeyPem(dir.resolve(store), name), StandardCharsets.US_ASCII);
    return new SelfSignedCertificate(chain, keyFile);
  }

  public X509Certificate certificate() throws IOException, GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
      .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certFile)));
  }

  private static String privateKeyPem(Path store, String alias) throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    Key key = keys.getKey(alias, PASSWORD.toCharArray());
    return "-----BEGIN PRIVATE KEY-----\n"
      + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
      + "\n-----END PRIVATE KEY-----\n";
  }

  private static void keytool(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
