package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    /** Counts what the subscriber asks of its subscription. */
    static final class Subscription implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void withinTheLimit_wholeBody() throws Exception {
        BoundedBody b = new BoundedBody(10);
        Subscription s = new Subscription();
        b.onSubscribe(s);
        b.onNext(List.of(bytes("abc"), bytes("def")));
        b.onNext(List.of(bytes("ghij")));
        b.onComplete();
        BoundedBody.Bytes r = b.getBody().toCompletableFuture().get();
        assertArrayEquals("abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII), r.content());
        assertFalse(r.truncated());
        assertEquals(3, s.requested);
        assertFalse(s.cancelled);
    }

    @Test
    void beyondTheLimit_truncatedAndCancelled() throws Exception {
        BoundedBody b = new BoundedBody(4);
        Subscription s = new Subscription();
        b.onSubscribe(s);
        b.onNext(List.of(bytes("abc"), bytes("def")));
        BoundedBody.Bytes r = b.getBody().toCompletableFuture().get();
        assertEquals("abcd", new String(r.content(), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(r.truncated());
        assertTrue(s.cancelled);
        assertEquals(1, s.requested, "nothing more asked after the cut");
    }

    @Test
    void error_passedOn() {
        BoundedBody b = new BoundedBody(4);
        b.onSubscribe(new Subscription());
        b.onError(new IOException("reset"));
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> b.getBody().toCompletableFuture().get());
        assertEquals("reset", e.getCause().getMessage());
        assertTrue(BoundedBody.handler(1) != null);
    }
}
