package io.hookcast.config;

import java.util.List;

/**
 * {@code cluster} of the configuration, used only when a node is started with {@code -cluster}; each key's meaning,
 * range and default: docs/configuration.md, generated from the schema.
 *
 * @param members as written, or this node's own {@code host} when none are
 * @param tls     {@code null} for plain TCP
 */
public record ClusterConfig(String configFile, String host, int port, List<String> members, Tls tls) {

  /**
   * Whether {@code configFile} is the default, which, where the working directory has no such file, means the copy
   * bundled in the jar; any other file must exist, or a misspelt path would join with settings nobody chose.
   */
  public boolean defaultConfigFile() {
    return configFile.equals(ConfigSchema.defaultOf("cluster.configFile"));
  }

  /**
   * {@code cluster.tls}: every node presents its certificate and accepts only peers whose certificate the trust list
   * vouches for. The key may be PKCS#8, or PKCS#1 RSA / SEC1 EC.
   */
  public record Tls(String keyPath, String certPath, String trustPath) {
  }
}
