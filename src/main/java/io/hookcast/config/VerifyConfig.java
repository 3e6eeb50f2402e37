package io.hookcast.config;

import java.util.List;
import java.util.Locale;

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

  /** The schema's {@code routes[].verify.scheme} values, in upper snake case (SchemaDefaultsTest keeps them in step). */
  public enum Scheme {
    GITHUB(false),
    STRIPE(true),
    SHOPIFY(false),
    SLACK(true),
    STANDARD_WEBHOOKS(true);

    private final boolean timestamped;

    Scheme(boolean timestamped) {
      this.timestamped = timestamped;
    }

    /** Its name in the config file. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the scheme signs a timestamp, so that {@code toleranceSeconds} applies. */
    public boolean timestamped() {
      return timestamped;
    }

    static Scheme fromJsonName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }
}
