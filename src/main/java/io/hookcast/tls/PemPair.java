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
    String key = privateKey(keyFile, keyKey);
    return new PemPair(Buffer.buffer(certificates(certFile, certKey)), Buffer.buffer(key));
  }

  /** The PEM text of a private key file; {@code configKey} names the file in errors. */
  public static String privateKey(String path, String configKey) {
    String key = text(path, configKey);
    if (!key.contains("-----BEGIN ") || !key.contains(PRIVATE_KEY_END)) {
      throw ConfigException.at(configKey, "'" + path + "' holds no PEM private key");
    }
    return key;
  }

  /** The PEM text of a file of one or more X.509 certificates; {@code configKey} names the file in errors. */
  public static String certificates(String path, String configKey) {
    String pem = text(path, configKey);
    try {
      if (!pem.contains("-----BEGIN CERTIFICATE-----") || CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1))).isEmpty()) {
        throw ConfigException.at(configKey, "'" + path + "' holds no PEM certificate");
      }
    } catch (CertificateException e) {
      throw ConfigException.at(configKey, "'" + path + "' holds no readable PEM certificate (" + e.getMessage() + ")");
    }
    return pem;
  }

  private static String text(String path, String key) {
    try {
      // ISO-8859-1 reads any bytes: a DER or other binary file is then reported as holding no PEM, not as unreadable.
      return new String(Files.readAllBytes(Path.of(path)), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw ConfigException.at(key, "'" + path + "' does not exist");
    } catch (AccessDeniedException e) {
      throw ConfigException.at(key, "'" + path + "' cannot be read (permission denied)");
    } catch (IOException e) {
      throw ConfigException.at(key, "'" + path + "' cannot be read (" + e + ")");
    }
  }
}
