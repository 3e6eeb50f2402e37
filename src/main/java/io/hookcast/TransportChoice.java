package io.hookcast;

import io.hookcast.config.ConfigException;
import io.vertx.core.transport.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which of Netty's transports a node's sockets use, decided once before Vert.x starts: io_uring where the kernel
 * allows it, else epoll, else NIO. {@code HOOKCAST_TRANSPORT} ({@code io_uring}, {@code epoll} or {@code nio}) asks
 * for one; an unavailable one falls back the same way, with the reason, and never stops the node.
 * <p>
 * Chosen here rather than by {@code VertxOptions.setPreferNativeTransport}: that picks epoll whenever epoll is
 * there, and Vert.x asked for io_uring falls back to NIO, not epoll. A kernel refuses io_uring more often than
 * epoll (disabled by the {@code kernel.io_uring_disabled} sysctl, by a container's seccomp profile, or too old), so
 * the fallback has to keep the next best native transport.
 *
 * @param transport what Vert.x is built with
 * @param fallback  why it is not the one asked for (or the default), or null when it is
 */
public record TransportChoice(Transport transport, String fallback) {

  public static final String VARIABLE = "HOOKCAST_TRANSPORT";

  /** Best first; a transport that is asked for is tried first, then the ones after it. NIO is always there. */
  private static final List<Transport> PREFERENCE = List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);
  private static final Map<String, Transport> BY_NAME = Map.of("io_uring", Transport.IO_URING, "epoll", Transport.EPOLL,
    "nio", Transport.NIO);

  /**
   * @throws ConfigException naming {@value #VARIABLE} when it names no transport
   */
  public static TransportChoice fromEnvironment(Map<String, String> environment) {
    String requested = environment.get(VARIABLE);
    if (requested == null || requested.isBlank()) {
      return choose(Transport.IO_URING);
    }
    Transport transport = BY_NAME.get(requested.trim().toLowerCase(Locale.ROOT));
    if (transport == null) {
      throw new ConfigException(VARIABLE + ": unknown transport \"" + requested + "\" (known: io_uring, epoll, nio)");
    }
    return choose(transport);
  }

  private static TransportChoice choose(Transport first) {
    List<String> unavailable = new ArrayList<>();
    for (Transport transport : PREFERENCE.subList(PREFERENCE.indexOf(first), PREFERENCE.size())) {
      if (transport == Transport.NIO || transport.available()) {
        return new TransportChoice(transport, unavailable.isEmpty() ? null : String.join("; ", unavailable));
      }
      unavailable.add(name(transport) + " unavailable: " + cause(transport.unavailabilityCause()));
    }
    throw new IllegalStateException("NIO is last in " + PREFERENCE);
  }

  /** The name the start-up line, the variable and the docs use. */
  public String name() {
    return name(transport);
  }

  private static String name(Transport transport) {
    return transport == Transport.IO_URING ? "io_uring" : transport.name().toLowerCase(Locale.ROOT);
  }

  private static String cause(Throwable cause) {
    if (cause == null) {
      return "not supported on this platform";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
