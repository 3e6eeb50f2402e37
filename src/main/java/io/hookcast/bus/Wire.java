package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The cluster wire format of Hookcast's codecs. Every frame, of any version, starts the same way:
 *
 * <pre>
 *   int    length of the rest of the frame
 *   int    magic: which codec wrote it
 *   byte   wire version
 *   string name of the sending node
 *   ...    the fields of that codec and version
 * </pre>
 *
 * so that a node can name the sender of any frame it refuses. Strings are an int byte length (-1 for null) and
 * UTF-8 bytes. Frames come from other processes: the {@link Reader} checks every length against the bytes that
 * actually arrived and against the receiver's limits before it reads, and never allocates from a length alone.
 */
final class Wire {

  /**
   * The frames this build writes and reads: hand-offs whose webhook ends with its trace context, and replies
   * carrying a typed outcome and the backend's answer as the bytes it sent.
   */
  static final byte VERSION = 7;
  /** Room for what a webhook frame carries besides its body: request id, method, target and headers. */
  static final long HEADROOM_BYTES = 1024 * 1024;

  private static final int NULL_LENGTH = -1;
  /** Node names are short; a longer one is not read, so a bad frame cannot make the error message large. */
  private static final int MAX_SENDER_BYTES = 256;
  private static final int PREFIX_BYTES = 4 + 4 + 1;

  private Wire() {
  }

  /** Writes the frame prefix; returns the position to pass to {@link #end}. */
  static int begin(Buffer buffer, int magic, String sender) {
    int start = buffer.length();
    buffer.appendInt(0).appendInt(magic).appendByte(VERSION);
    writeString(buffer, sender);
    return start;
  }

  static void end(Buffer buffer, int start) {
    buffer.setInt(start, buffer.length() - start - 4);
  }

  static void writeString(Buffer buffer, String value) {
    if (value == null) {
      buffer.appendInt(NULL_LENGTH);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  /**
   * Opens the frame at {@code pos}: checks its prefix, its version and its declared length against what arrived
   * and against {@code maxFrameBytes}.
   *
   * @param what names the codec's content in errors, e.g. "webhook frame"
   */
  static Reader open(Buffer buffer, int pos, int magic, long maxFrameBytes, String what) {
    int available = buffer.length() - pos;
    if (available < PREFIX_BYTES) {
      throw new MalformedFrameException(null, "a " + what + " of " + Math.max(available, 0) + " bytes is too short to be one");
    }
    int declared = buffer.getInt(pos);
    if (buffer.getInt(pos + 4) != magic) {
      throw new MalformedFrameException(null, "not a Hookcast " + what + " (wrong magic number)");
    }
    byte version = buffer.getByte(pos + 8);
    String sender = readSender(buffer, pos + PREFIX_BYTES);
    if (sender == null) {
      throw new MalformedFrameException(null, "the " + what + " does not name its sending node readably");
    }
    if (declared < 0 || declared > maxFrameBytes) {
      throw new MalformedFrameException(sender, "the " + what + " declares " + Integer.toUnsignedString(declared)
        + " bytes, more than this node's limit of " + maxFrameBytes);
    }
    if (declared > available - 4) {
      throw new MalformedFrameException(sender, "the " + what + " declares " + declared + " bytes but only " + (available - 4) + " arrived");
    }
    if (version != VERSION) {
      throw new MalformedFrameException(sender, "the " + what + " is of wire version " + version + ", this node reads version "
        + VERSION + ": run the same Hookcast version on every node");
    }
    int fields = pos + PREFIX_BYTES + 4 + sender.getBytes(StandardCharsets.UTF_8).length;
    if (fields > pos + 4 + declared) {
      throw new MalformedFrameException(sender, "the " + what + " declares " + declared + " bytes, fewer than its own prefix");
    }
    return new Reader(buffer, fields, pos + 4 + declared, sender);
  }

  /** The sender's name if the bytes that arrived hold a short, printable one, else {@code null}. */
  private static String readSender(Buffer buffer, int pos) {
    if (buffer.length() - pos < 4) {
      return null;
    }
    int length = buffer.getInt(pos);
    if (length < 0 || length > MAX_SENDER_BYTES || length > buffer.length() - pos - 4) {
      return null;
    }
    try {
      String name = decode(buffer, pos + 4, length);
      // It goes into log lines and errors: no control characters, so a frame cannot forge lines of its own.
      return name.chars().anyMatch(Character::isISOControl) ? null : name;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String decode(Buffer buffer, int pos, int length) throws CharacterCodingException {
    ByteBuffer bytes = ByteBuffer.wrap(buffer.getBytes(pos, pos + length));
    return StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT)
      .decode(bytes)
      .toString();
  }

  /** Reads the fields of one frame in order, never past its end. */
  static final class Reader {
    private final Buffer buffer;
    private final int end;
    private final String sender;
    private int pos;

    private Reader(Buffer buffer, int pos, int end, String sender) {
      this.buffer = buffer;
      this.pos = pos;
      this.end = end;
      this.sender = sender;
    }

    String sender() {
      return sender;
    }

    int readInt() {
      require(4, "an int");
      int value = buffer.getInt(pos);
      pos += 4;
      return value;
    }

    long readLong() {
      require(8, "a long");
      long value = buffer.getLong(pos);
      pos += 8;
      return value;
    }

    byte readByte() {
      require(1, "a byte");
      return buffer.getByte(pos++);
    }

    boolean readBoolean() {
      require(1, "a boolean");
      byte value = buffer.getByte(pos++);
      if (value != 0 && value != 1) {
        throw malformed("a boolean field holds " + value);
      }
      return value == 1;
    }

    String readString() {
      int length = readInt();
      if (length == NULL_LENGTH) {
        return null;
      }
      checkLength(length, Integer.MAX_VALUE, "a string");
      try {
        String value = decode(buffer, pos, length);
        pos += length;
        return value;
      } catch (CharacterCodingException e) {
        throw malformed("a string at byte " + pos + " is not valid UTF-8");
      }
    }

    /** A count of items that each take at least {@code minBytesEach} bytes of what is left. */
    int readCount(int minBytesEach, String what) {
      int count = readInt();
      if (count < 0 || count > (end - pos) / minBytesEach) {
        throw malformed("declares " + count + " " + what + ", more than the " + (end - pos) + " bytes left can hold");
      }
      return count;
    }

    Buffer readBuffer(long maxBytes, String what) {
      int length = readInt();
      checkLength(length, maxBytes, what);
      Buffer value = buffer.getBuffer(pos, pos + length);
      pos += length;
      return value;
    }

    /**
     * Like {@link #readBuffer}, but a view of the frame rather than a copy: for a field that is most of its frame.
     * Vert.x gives each received message a buffer of its own, which it keeps to decode the body when first asked,
     * so the view stays valid as long as what was read from it.
     */
    Buffer readSlice(long maxBytes, String what) {
      int length = readInt();
      checkLength(length, maxBytes, what);
      Buffer value = buffer.slice(pos, pos + length);
      pos += length;
      return value;
    }

    /** The frame must end exactly where its fields do: trailing bytes mean writer and reader disagree. */
    void finish() {
      if (pos != end) {
        throw malformed((end - pos) + " bytes follow the last field");
      }
    }

    private void checkLength(int length, long maxBytes, String what) {
      if (length < 0) {
        throw malformed(what + " has a negative length (" + length + ")");
      }
      if (length > maxBytes) {
        throw malformed(what + " of " + length + " bytes is more than this node's limit of " + maxBytes);
      }
      require(length, what + " of " + length + " bytes");
    }

    private void require(int bytes, String what) {
      if (bytes > end - pos) {
        throw malformed(what + " runs past the end of the frame");
      }
    }

    private MalformedFrameException malformed(String reason) {
      return new MalformedFrameException(sender, reason);
    }
  }
}
