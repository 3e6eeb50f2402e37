package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The operator's operations on the embedded store, a fresh one per test in a temporary directory. */
class EmbeddedOperationsTest {

  @TempDir
  Path dir;
  private int stores;

  private StoreConfig freshStore() {
    return new StoreConfig(dir.resolve("store-" + ++stores), null, null, null, 168, 5_000);
  }

  @Nested
  class Browsing extends MessageBrowsingTest {
    @Override
    StoreConfig freshStore() {
      return EmbeddedOperationsTest.this.freshStore();
    }
  }

  @Nested
  class ManualRetries extends ManualRetryTest {
    @Override
    StoreConfig freshStore() {
      return EmbeddedOperationsTest.this.freshStore();
    }
  }

  @Nested
  class Activity extends AttemptActivityTest {
    @Override
    StoreConfig freshStore() {
      return EmbeddedOperationsTest.this.freshStore();
    }
  }
}
