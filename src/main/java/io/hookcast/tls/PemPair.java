package io.hookcast.tls;

import io.hookcast.config.ConfigException;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * A PEM certificate chain and its private key, read and checked. Blocking (reads files): for parsing the
 * configuration and for worker threads, never an event loop.
 *
 * @param cert the chain's PEM text
 * @param key  the key's PEM text
 */
public record PemPair(Buffer cert, Buffer key) {

  private static final String PRIVATE_KEY_END = "PRIVATE KEY-----";

  /**
   * @param certKey the configuration key naming {@code certFile}, for errors
   * @param keyKey  the configuration key naming {@code keyFile}, for errors
   * @throws ConfigException naming the key of a file that is missing, unreadable or holds no PEM of its kind
   */
  public static PemPair read(String certFile, String certKey, String keyFile, String keyKey) {
    String key = text(keyFile, keyKey);
    if (!key.contains("-----BEGIN ") || !key.contains(PRIVATE_KEY_END)) {
      throw new ConfigException(keyKey + ": '" + keyFile + "' holds no PEM private key");
    }
    String cert = text(certFile, certKey);
    try {
      if (!cert.contains("-----BEGIN CERTIFICATE-----") || CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(cert.getBytes(StandardCharsets.ISO_8859_1))).isEmpty()) {
        throw new ConfigException(certKey + ": '" + certFile + "' holds no PEM certificate");
      }
    } catch (CertificateException e) {
      throw new ConfigException(certKey + ": '" + certFile + "' holds no readable PEM certificate (" + e.getMessage() + ")");
    }
    return new PemPair(Buffer.buffer(cert), Buffer.buffer(key));
  }

  private static String text(String path, String key) {
    try {
      // ISO-8859-1 reads any bytes: a DER or other binary file is then reported as holding no PEM, not as unreadable.
      return new String(Files.readAllBytes(Path.of(path)), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key + ": '" + path + "' does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(key + ": '" + path + "' cannot be read (permission denied)");
    } catch (IOException e) {
      throw new ConfigException(key + ": '" + path + "' cannot be read (" + e + ")");
    }
  }
}
