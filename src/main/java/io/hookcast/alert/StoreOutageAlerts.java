package io.hookcast.alert;

import io.hookcast.config.AlertConfig;
import io.hookcast.store.AcceptOutages;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/** A store's outages as alerts: {@code store.unavailable} when its accepts start failing, {@code store.recovered} after. */
public final class StoreOutageAlerts implements AcceptOutages {

  /** Readiness shows whether the store answers and accepts. */
  private static final String LINK = "/ready";

  private final Alerts alerts;
  private final String nodeName;

  public StoreOutageAlerts(Alerts alerts, String nodeName) {
    this.alerts = alerts;
    this.nodeName = nodeName;
  }

  @Override
  public void began(String why, long refusedSinceStart) {
    alerts.raise(new Alert(AlertConfig.STORE_UNAVAILABLE, null, nodeName, Instant.now(), why, LINK,
      new JsonObject().put("refusedSinceStart", refusedSinceStart)));
  }

  @Override
  public void ended(String why, long refused, Duration lasted, long refusedSinceStart) {
    alerts.raise(new Alert(AlertConfig.STORE_RECOVERED, null, nodeName, Instant.now(), why, LINK,
      new JsonObject().put("refused", refused).put("outageMs", lasted.toMillis()).put("refusedSinceStart", refusedSinceStart)));
  }
}
