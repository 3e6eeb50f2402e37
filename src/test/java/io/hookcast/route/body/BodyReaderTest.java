package io.hookcast.route.body;

import io.hookcast.work.BodyWork;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class BodyReaderTest {

  @Test
  void aBodyLargerThanTheInlineLimitIsReadOnAWorkerAndItsValuesComeBackOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    BodyReader reader = new BodyReader(BodyWork.forIngress(vertx), new BodyScanner(List.of("/action"), null));
    TellingBody body = new TellingBody("{\"padding\":[\"" + "x".repeat(BodyWork.IN_PLACE_MAX_BYTES) + "\"],\"action\":\"opened\"}");
    Context caller = vertx.getOrCreateContext();
    caller.runOnContext(started -> {
      Thread eventLoop = Thread.currentThread();
      reader.read(body).onComplete(test.succeeding(values -> test.verify(() -> {
        assertEquals("opened", values.at("/action"));
        assertNotSame(eventLoop, body.readBy, "read on the event loop");
        assertSame(caller, Vertx.currentContext());
        test.completeNow();
      })));
    });
  }

  @Test
  void aBodyUpToTheInlineLimitIsReadAtOnceOnTheCallersThread(Vertx vertx, VertxTestContext test) {
    BodyReader reader = new BodyReader(BodyWork.forIngress(vertx), new BodyScanner(List.of("/action"), null));
    TellingBody body = new TellingBody("{\"action\":\"opened\",\"padding\":\"" + "x".repeat(BodyWork.IN_PLACE_MAX_BYTES - 40) + "\"}");
    vertx.getOrCreateContext().runOnContext(started -> test.verify(() -> {
      assertTrue(body.length() <= BodyWork.IN_PLACE_MAX_BYTES, body.length() + " bytes");
      Future<BodyValues> read = reader.read(body);
      assertTrue(read.succeeded());
      assertEquals("opened", read.result().at("/action"));
      assertSame(Thread.currentThread(), body.readBy);
      test.completeNow();
    }));
  }

  /** A body that tells which thread read it: Vert.x's parser reaches its bytes through {@link #getByteBuf()}. */
  private static final class TellingBody extends BufferImpl {

    private volatile Thread readBy;

    TellingBody(String json) {
      super(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ByteBuf getByteBuf() {
      readBy = Thread.currentThread();
      return super.getByteBuf();
    }
  }
}
