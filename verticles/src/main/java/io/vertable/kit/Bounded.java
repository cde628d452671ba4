package io.vertable.kit;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An operation held to a deadline of its own. A cluster call can outlast its nominal timeout by far (a half-split
 * cluster, a worker pool that is full); whoever waits on it gives up at its deadline instead, and what the call still
 * brings later (a lock, a record) is handed back rather than left taken by nobody.
 */
public final class Bounded {

    private Bounded() {}

    /**
     * {@code operation}'s outcome if it comes within {@code ms}; otherwise a failure at {@code ms} that {@link
     * #overran} recognises, and a success that still comes afterwards goes to {@code late}, on the operation's own
     * context. A failure that comes late is dropped.
     */
    public static <T> Future<T> within(Future<T> operation, long ms, Handler<T> late) {
        Future<T> bounded = operation.timeout(Math.max(1, ms), TimeUnit.MILLISECONDS);
        // Future.timeout completes with exactly one of the two: when the deadline won, a success is the late one.
        bounded.onFailure(gaveUp -> operation.onSuccess(late));
        return bounded;
    }

    /** The failure of {@link #within} when its deadline came first. */
    public static boolean overran(Throwable failure) {
        return failure instanceof TimeoutException;
    }
}
