package io.hookcast.config;

import java.util.List;

/**
 * How a node joins the cluster when started with {@code -cluster}. Ignored otherwise.
 *
 * @param configFile Hazelcast XML; when the file is absent, the copy bundled in the jar is used
 * @param host       address this node binds and announces for Hazelcast and the event bus
 * @param port       first Hazelcast port tried (auto-incremented when taken)
 * @param members    addresses of other members to join ({@code host} or {@code host:port})
 */
public record ClusterConfig(String configFile, String host, int port, List<String> members) {

  public static final String DEFAULT_CONFIG_FILE = "cluster.xml";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
}
