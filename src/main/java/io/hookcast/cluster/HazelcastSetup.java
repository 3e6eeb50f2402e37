package io.hookcast.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.hookcast.config.ClusterConfig;
import io.hookcast.config.ConfigException;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast cluster manager from {@code cluster.xml} and Hookcast's {@code cluster} settings.
 * Everything that can be wrong with them is found here, before Vert.x starts, and reported as a
 * {@link ConfigException}: a broken file or an unknown member host must not leave a node waiting forever.
 */
public final class HazelcastSetup {

  private static final String BUNDLED = "/cluster.xml";
  private static final String KEY = "cluster.configFile";

  private HazelcastSetup() {
  }

  /** Blocking (reads the file, resolves member names): meant for {@code main}. */
  public static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    Config config = load(cluster);
    String hostAddress = resolvable(cluster.host(), "cluster.host");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPublicAddress(hostAddress);
    network.getInterfaces().setEnabled(true).clear().addInterface(hostAddress);
    TcpIpConfig tcpIp = network.getJoin().getTcpIpConfig().setEnabled(true).clear();
    for (int i = 0; i < cluster.members().size(); i++) {
      String member = cluster.members().get(i);
      resolvable(member.contains(":") ? member.substring(0, member.indexOf(':')) : member, "cluster.members[" + i + "]");
      tcpIp.addMember(member);
    }
    network.getJoin().getMulticastConfig().setEnabled(false);
    return new HazelcastClusterManager(config);
  }

  private static Config load(ClusterConfig cluster) {
    String configFile = cluster.configFile();
    Path path = Path.of(configFile);
    try (InputStream xml = Files.exists(path) ? Files.newInputStream(path)
      : cluster.defaultConfigFile() ? HazelcastSetup.class.getResourceAsStream(BUNDLED) : null) {
      if (xml == null) {
        throw ConfigException.at(KEY, "'" + configFile + "' does not exist");
      }
      return new XmlConfigBuilder(xml).build();
    } catch (IOException e) {
      throw ConfigException.at(KEY, "'" + configFile + "' cannot be read (" + e + ")");
    } catch (InvalidConfigurationException | IllegalArgumentException e) {
      throw ConfigException.at(KEY, "'" + configFile + "' is not a valid Hazelcast configuration ("
        + rootMessage(e) + ")");
    }
  }

  /** The IP address of {@code host}, which Hazelcast's interface list needs. */
  private static String resolvable(String host, String key) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw ConfigException.at(key, "'" + host + "' cannot be resolved to an address");
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    return message.lines().findFirst().orElse(message).trim();
  }
}
