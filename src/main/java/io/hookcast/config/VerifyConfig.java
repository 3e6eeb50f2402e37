package io.hookcast.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a route checks that a webhook comes from its sender ({@code routes[].verify}).
 *
 * @param scheme           the sender's signature scheme
 * @param secrets          one or more secrets; a signature made with any of them is accepted, so a secret can be
 *                         rotated without refusing webhooks signed with the old one while the sender switches
 * @param toleranceSeconds how far a signed timestamp may be from this node's clock, either way; only meaningful
 *                         for schemes whose signature covers a timestamp
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
