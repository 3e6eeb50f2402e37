package io.hookcast.testing;

import io.hookcast.config.StoreConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Clustered jar processes on 127.0.0.1, each listing all of them as members, on cluster ports each checked free;
 * every node started is stopped by {@link #close()}.
 */
public final class LocalCluster implements AutoCloseable {

  private final List<Integer> ports;
  private final String members;
  private final List<HookcastProcess> nodes = new ArrayList<>();

  /** @param size how many nodes the member list names */
  public LocalCluster(int size) {
    this.ports = IntStream.range(0, size).mapToObj(i -> HookcastProcess.freePort()).toList();
    this.members = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /**
   * Starts node {@code index} as {@code name} with {@code config}, its HTTP and admin ports given, and
   * {@code environment} (roles, a store) besides the variables that make it a member.
   */
  public HookcastProcess start(String name, int index, int httpPort, int adminPort, Map<String, String> environment,
                               Path config) {
    Map<String, String> variables = new HashMap<>(environment);
    variables.putAll(Map.of(
      "HOOKCAST_NODE_NAME", name,
      "HOOKCAST_HTTP_PORT", String.valueOf(httpPort),
      "HOOKCAST_ADMIN_PORT", String.valueOf(adminPort),
      "HOOKCAST_CLUSTER_HOST", "127.0.0.1",
      "HOOKCAST_CLUSTER_PORT", String.valueOf(ports.get(index)),
      "HOOKCAST_CLUSTER_MEMBERS", members));
    HookcastProcess node = HookcastProcess.start(variables, "-cluster", "-conf", config.toString());
    nodes.add(node);
    return node;
  }

  /** The variables that put a node's async deliveries in {@code store}. */
  public static Map<String, String> storeVariables(StoreConfig store) {
    return Map.of("HOOKCAST_STORE_URL", store.url(), "HOOKCAST_STORE_USER", store.user(),
      "HOOKCAST_STORE_PASSWORD", store.password());
  }

  @Override
  public void close() throws InterruptedException {
    for (HookcastProcess node : nodes) {
      node.close();
    }
  }
}
