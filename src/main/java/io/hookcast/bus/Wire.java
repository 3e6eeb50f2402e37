package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** Length-prefixed fields for the codecs' cluster wire format. */
final class Wire {

  private static final int NULL_LENGTH = -1;

  private Wire() {
  }

  static void writeString(Buffer buffer, String value) {
    if (value == null) {
      buffer.appendInt(NULL_LENGTH);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  /** Reads fields one after another from a position that advances. */
  static final class Reader {
    private final Buffer buffer;
    private int pos;

    Reader(Buffer buffer, int pos) {
      this.buffer = buffer;
      this.pos = pos;
    }

    int readInt() {
      int value = buffer.getInt(pos);
      pos += 4;
      return value;
    }

    long readLong() {
      long value = buffer.getLong(pos);
      pos += 8;
      return value;
    }

    boolean readBoolean() {
      return buffer.getByte(pos++) != 0;
    }

    String readString() {
      int length = readInt();
      if (length == NULL_LENGTH) {
        return null;
      }
      String value = buffer.getString(pos, pos + length, "UTF-8");
      pos += length;
      return value;
    }

    Buffer readBuffer() {
      int length = readInt();
      Buffer value = buffer.getBuffer(pos, pos + length);
      pos += length;
      return value;
    }
  }
}
