package io.hookcast.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Collections;

/**
 * Whether a PEM pair's private key belongs to its certificate: a server handed a mismatched pair starts, then fails
 * every handshake. Checked by signing with the key and verifying with the certificate's public key, on keys as
 * Vert.x reads them (PKCS#8, PKCS#1 RSA, SEC1 EC). Blocking: worker threads only.
 */
final class KeyMatch {

  private KeyMatch() {
  }

  static boolean of(Vertx vertx, PemKeyCertOptions pair) {
    try {
      KeyStore store = pair.loadKeyStore(vertx);
      X509KeyManager keys = null;
      for (KeyManager manager : pair.getKeyManagerFactory(vertx).getKeyManagers()) {
        if (manager instanceof X509KeyManager x509) {
          keys = x509;
        }
      }
      for (String alias : Collections.list(store.aliases())) {
        PrivateKey key = keys == null ? null : keys.getPrivateKey(alias);
        Certificate certificate = store.getCertificate(alias);
        if (key != null && certificate != null && !signsFor(key, certificate)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      // A key Vert.x cannot read for this certificate (or a signature that fails): it cannot serve this pair either.
      return false;
    }
  }

  private static boolean signsFor(PrivateKey key, Certificate certificate) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
