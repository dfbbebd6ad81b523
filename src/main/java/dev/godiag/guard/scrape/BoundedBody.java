package dev.godiag.guard.scrape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code max} bytes: past it the exchange is cancelled and
 * the body fails with {@link TooLarge}, or, when {@code truncate}, completes with its first
 * {@code max} bytes (the head of a goroutine count, the start of an error page). A declared
 * Content-Length over the limit fails before anything is read.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body went past the limit. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("response too large", null);
        }
    }

    private final long max;
    private final boolean truncate;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private BoundedBody(long max, boolean truncate) {
        this.max = max;
        this.truncate = truncate;
    }

    /** A handler giving 2xx bodies up to {@code max} bytes and other statuses their first {@code errorHead} bytes. */
    static HttpResponse.BodyHandler<byte[]> handler(long max, boolean truncate, int errorHead) {
        return info -> {
            if (info.statusCode() / 100 != 2) {
                return new BoundedBody(errorHead, true);
            }
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            BoundedBody body = new BoundedBody(max, truncate);
            if (declared > max && !truncate) {
                body.result.completeExceptionally(new TooLarge());
            }
            return body;
        };
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone() || (truncate && max == 0)) {
            s.cancel();
            result.complete(new byte[0]);
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            long room = max - out.size();
            int n = b.remaining();
            if (n > room) {
                subscription.cancel();
                if (truncate) {
                    write(b, (int) room);
                    result.complete(out.toByteArray());
                } else {
                    result.completeExceptionally(new TooLarge());
                }
                return;
            }
            write(b, n);
        }
        subscription.request(1);
    }

    private void write(ByteBuffer b, int n) {
        if (b.hasArray()) {
            out.write(b.array(), b.arrayOffset() + b.position(), n);
        } else {
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.write(chunk, 0, n);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
