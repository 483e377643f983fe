package dev.stockade.registry;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a limit: past {@code limit} bytes the transfer is cancelled and the
 * body completes with what was read and {@code truncated} set, so an endless or huge answer costs at
 * most {@code limit} bytes of memory.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Bytes> {

    /** The bytes read, and whether the body went on beyond them. */
    record Bytes(byte[] content, boolean truncated) {}

    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<Bytes> handler(int limit) {
        return info -> new BoundedBody(limit);
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int room = limit - out.size();
            if (b.remaining() > room) {
                byte[] part = new byte[room];
                b.get(part);
                out.write(part, 0, part.length);
                subscription.cancel();
                result.complete(new Bytes(out.toByteArray(), true));
                return;
            }
            byte[] all = new byte[b.remaining()];
            b.get(all);
            out.write(all, 0, all.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(out.toByteArray(), false));
    }
}
