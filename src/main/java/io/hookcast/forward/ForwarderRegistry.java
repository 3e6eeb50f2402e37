package io.hookcast.forward;

import io.vertx.circuitbreaker.CircuitBreakerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The forwarders running on this node and their circuit states, for the readiness endpoint. One per Vert.x
 * instance, shared by all forwarder and admin verticles (whatever {@code -instances} is).
 */
public final class ForwarderRegistry {

  /** One running forwarder: its backend and circuit state. */
  public record Entry(String backend, CircuitBreakerState circuit) {
  }

  private final Map<String, Entry> byDeployment = new ConcurrentHashMap<>();

  void put(String deploymentId, String backend, CircuitBreakerState circuit) {
    byDeployment.put(deploymentId, new Entry(backend, circuit));
  }

  void remove(String deploymentId) {
    byDeployment.remove(deploymentId);
  }

  /** Circuit states of each backend's forwarders on this node, by backend name. */
  public Map<String, List<CircuitBreakerState>> circuitsByBackend() {
    Map<String, List<CircuitBreakerState>> circuits = new TreeMap<>();
    for (Entry entry : byDeployment.values()) {
      circuits.computeIfAbsent(entry.backend(), name -> new ArrayList<>()).add(entry.circuit());
    }
    return circuits;
  }
}
