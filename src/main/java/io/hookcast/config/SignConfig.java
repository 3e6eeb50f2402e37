package io.hookcast.config;

import java.util.List;

/**
 * {@code backends[].sign} or {@code alerts[].sign} of the configuration (Standard Webhooks); each key's meaning:
 * docs/configuration.md, generated from the schema.
 *
 * @param secrets each adds one signature to {@code webhook-signature}, so that a receiver can move to a new secret
 *                while Hookcast still signs with the old one too
 */
public record SignConfig(List<Secret> secrets) {

  public SignConfig {
    secrets = List.copyOf(secrets);
  }
}
