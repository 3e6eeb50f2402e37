import io.hookcast.config.StoreConfig;
import io.hookcast.store.ClaimedDelivery;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.hookcast.store.NewMessage;
import io.hookcast.store.SqlDeliveryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a kill -9 leaves of the embedded store. "write DIR": accepts messages as fast as it can and prints each id once
 * its accept completed (the moment Hookcast would answer 202), until killed. "check DIR IDS": reopens the store and
 * counts how many of the printed ids it still has. bench/store-kill.sh runs both.
 */
public final class StoreKillCheck {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    Vertx vertx = Vertx.vertx();
    SqlDeliveryStore store = SqlDeliveryStore.open(vertx, new StoreConfig(dir, null, null, null, 168, 5_000),
      new StoreMetrics(new SimpleMeterRegistry())).await();
    if (args[0].equals("write")) {
      for (int c = 0; c < 64; c++) {
        vertx.runOnContext(v -> next(store));
      }
      Thread.sleep(Long.MAX_VALUE);
    }
    Set<String> acknowledged = new HashSet<>(java.nio.file.Files.readAllLines(Path.of(args[2])));
    acknowledged.remove("");
    Set<String> stored = new HashSet<>();
    List<ClaimedDelivery> claimed;
    while (!(claimed = store.claim("ci", "check", DeliveryStore.MAX_CLAIM, Long.MAX_VALUE, true, 600_000).await()).isEmpty()) {
      claimed.forEach(d -> stored.add(d.messageId()));
    }
    long lost = acknowledged.stream().filter(id -> !stored.contains(id)).count();
    System.out.println("acknowledged before kill -9: " + acknowledged.size() + ", stored after restart: " + stored.size()
      + ", acknowledged but lost: " + lost);
    store.close().await();
    vertx.close().await();
    System.exit(lost == 0 ? 0 : 1);
  }

  private static void next(SqlDeliveryStore store) {
    Instant now = Instant.now();
    store.accept(new NewMessage("/github", "POST", "/github", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(new byte[1024]),
        List.of("ci"), null, now.minus(Duration.ofHours(24)), now, null, null))
      .onSuccess(accepted -> System.out.println(accepted.id()))
      .onFailure(failure -> System.err.println("accept failed: " + failure))
      .onComplete(ar -> next(store));
  }
}
