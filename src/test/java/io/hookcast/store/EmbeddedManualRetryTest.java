package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class EmbeddedManualRetryTest extends ManualRetryTest {

  @TempDir
  Path dir;
  private int stores;

  @Override
  StoreConfig freshStore() {
    return new StoreConfig(dir.resolve("store-" + ++stores), null, null, null, StoreConfig.DEFAULT_RETENTION_HOURS);
  }
}
