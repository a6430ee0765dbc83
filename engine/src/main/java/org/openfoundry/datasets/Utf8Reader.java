package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes UTF-8 strictly, where an {@code InputStreamReader} would put U+FFFD in place of bytes
 * that are not UTF-8. Such bytes fail the read that reaches them with a {@link NotUtf8Exception}
 * saying where they are, once every character before them has been read; reading on resumes after
 * them, so a reader of lines can refuse the one line and carry on.
 */
final class Utf8Reader extends Reader {
  private static final int BUFFER = 8192;

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).flip();
  private final CharBuffer chars = CharBuffer.allocate(BUFFER).flip();
  // Where bytes.position() is in the input, and where the line it is on starts (both 0-based).
  private long offset;
  private long lineStart;
  private long line = 1;
  private NotUtf8Exception failure;
  private boolean endOfInput;
  private boolean finished;

  Utf8Reader(InputStream in) {
    this.in = requireNonNull(in, "in is null");
  }

  @Override
  public int read(char[] buffer, int off, int length) throws IOException {
    Objects.checkFromIndexSize(off, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int count = Math.min(length, chars.remaining());
    chars.get(buffer, off, count);
    return count;
  }

  @Override
  public int read() throws IOException {
    return fill() ? chars.get() : -1;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** True when there are characters to read, false at the end; throws at bytes not UTF-8. */
  private boolean fill() throws IOException {
    while (!chars.hasRemaining()) {
      if (failure != null) {
        NotUtf8Exception thrown = failure;
        failure = null;
        throw thrown;
      }
      if (finished) {
        return false;
      }
      decode();
    }
    return true;
  }

  /** Decodes until there are characters, bytes that are not UTF-8, or the end of the input. */
  private void decode() throws IOException {
    chars.clear();
    try {
      while (chars.position() == 0 && failure == null && !finished) {
        int start = bytes.position();
        CoderResult result = decoder.decode(bytes, chars, endOfInput);
        advance(start, bytes.position());
        if (result.isError()) {
          int bad = bytes.position();
          failure = new NotUtf8Exception(line, offset - lineStart + 1, offset + 1, bytes.get(bad));
          bytes.position(bad + result.length());
          advance(bad, bytes.position());
        } else if (result.isUnderflow() && endOfInput) {
          finished = true;
        } else if (result.isUnderflow()) {
          readMore();
        }
      }
    } finally {
      chars.flip();
    }
  }

  private void readMore() throws IOException {
    bytes.compact();
    int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (read < 0) {
      endOfInput = true;
    } else {
      bytes.position(bytes.position() + read);
    }
    bytes.flip();
  }

  /** Counts the bytes from {@code from} to {@code to} of the buffer as read, and their lines. */
  private void advance(int from, int to) {
    byte[] array = bytes.array();
    for (int index = from; index < to; index++) {
      if (array[index] == '\n') {
        line++;
        lineStart = offset + (index - from) + 1;
      }
    }
    offset += to - from;
  }

  /** Bytes that are not UTF-8, with where they are: line, byte of the line, byte of the input. */
  static final class NotUtf8Exception extends IOException {
    private final long line;

    NotUtf8Exception(long line, long byteOfLine, long byteOfInput, byte value) {
      super(
          String.format(
              "expected UTF-8 text, got the byte 0x%02X at byte %d of the line (byte %d of the"
                  + " input)",
              value & 0xFF, byteOfLine, byteOfInput));
      this.line = line;
    }

    long line() {
      return line;
    }
  }
}
