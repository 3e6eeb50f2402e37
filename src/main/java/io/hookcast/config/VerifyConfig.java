package io.hookcast.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code routes[].verify} of the configuration; each key's meaning, range and default: docs/configuration.md, generated
 * from the schema.
 *
 * @param secrets a signature made with any of them is accepted, so that a secret can be rotated without refusing
 *                webhooks signed with the old one while the sender switches
 */
public record VerifyConfig(Scheme scheme, List<Secret> secrets, long toleranceSeconds) {

  public VerifyConfig {
    secrets = List.copyOf(secrets);
  }

  /** The signature schemes Hookcast verifies, by their name in the config file. */
  public enum Scheme {
    GITHUB("github", false),
    STRIPE("stripe", true),
    SHOPIFY("shopify", false),
    SLACK("slack", true),
    STANDARD_WEBHOOKS("standard-webhooks", true);

    private final String jsonName;
    private final boolean timestamped;

    Scheme(String jsonName, boolean timestamped) {
      this.jsonName = jsonName;
      this.timestamped = timestamped;
    }

    public String jsonName() {
      return jsonName;
    }

    /** Whether the scheme signs a timestamp, so that {@code toleranceSeconds} applies. */
    public boolean timestamped() {
      return timestamped;
    }

    public static Optional<Scheme> fromJsonName(String name) {
      return Arrays.stream(values()).filter(s -> s.jsonName.equals(name)).findFirst();
    }
  }
}
