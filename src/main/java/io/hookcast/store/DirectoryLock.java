package io.hookcast.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The embedded store belongs to one process: at open it takes every lease it finds as left by a dead process. SQLite
 * lets several processes share a file, so a lock file in store.path keeps a second Hookcast out, with an error that
 * names the key, instead of two processes delivering the same webhooks.
 */
final class DirectoryLock implements AutoCloseable {

  static final String FILE = "hookcast.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @param key the config key and value, for the error */
  static DirectoryLock take(Path dir, String key) {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreOpenException(key + ": cannot create its lock file: " + e, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreOpenException(key + ": cannot lock " + FILE + ": " + e, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new StoreOpenException(key + ": is in use by another Hookcast process (" + FILE + " is locked); one store.path"
        + " serves one process, several nodes share a PostgreSQL store.url", null, true);
    }
    return new DirectoryLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // The channel's close releases it too.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
