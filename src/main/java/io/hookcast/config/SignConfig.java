package io.hookcast.config;

import java.util.List;

/**
 * How Hookcast signs what it delivers to a backend ({@code backends[].sign}), by the Standard Webhooks scheme.
 *
 * @param secrets {@code whsec_} secrets; each adds one signature to {@code webhook-signature}, so that a backend
 *                can move to a new secret while Hookcast still signs with the old one too
 */
public record SignConfig(List<Secret> secrets) {

  public SignConfig {
    secrets = List.copyOf(secrets);
  }
}
