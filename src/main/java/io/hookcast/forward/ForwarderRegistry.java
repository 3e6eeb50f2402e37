package io.hookcast.forward;

import io.vertx.circuitbreaker.CircuitBreakerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The forwarders running on this node and their circuit states, for the readiness endpoint, and for the circuit
 * alerts that speak for the node's forwarders of a backend together. One per Vert.x instance, shared by all forwarder
 * and admin verticles (whatever {@code -instances} is).
 */
public final class ForwarderRegistry {

  /** One running forwarder: its backend and circuit state. */
  public record Entry(String backend, CircuitBreakerState circuit) {
  }

  private final Map<String, Entry> byDeployment = new ConcurrentHashMap<>();

  /**
   * Records a forwarder's circuit, then tells {@code then} whether this was the last of its backend's circuits on
   * this node that was not closed. {@code then} runs under the registry's lock, so that the alerts it raises keep the
   * order of the changes, whichever event loops the forwarders run on.
   */
  synchronized void put(String deploymentId, String backend, CircuitBreakerState circuit, Consumer<Boolean> then) {
    Entry before = byDeployment.put(deploymentId, new Entry(backend, circuit));
    then.accept(isOpen(before) && !anyOpen(backend));
  }

  /** As {@link #put}, for a forwarder that goes. */
  synchronized void remove(String deploymentId, Consumer<Boolean> then) {
    Entry before = byDeployment.remove(deploymentId);
    then.accept(isOpen(before) && !anyOpen(before.backend()));
  }

  /** Half-open too: it has not delivered since it opened. */
  private static boolean isOpen(Entry entry) {
    return entry != null && entry.circuit() != CircuitBreakerState.CLOSED;
  }

  private boolean anyOpen(String backend) {
    return byDeployment.values().stream().anyMatch(entry -> entry.backend().equals(backend) && isOpen(entry));
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
