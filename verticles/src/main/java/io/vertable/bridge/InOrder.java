package io.vertable.bridge;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actions of a socket's frames in the order the frames came, whatever order their decisions finish in. The
 * waiting actions are a queue drained in a loop, not a chain of futures: a thousand decisions finished ahead of a slow
 * one (a Redis answer on another pooled connection, a timeout) are then run one after the other, not as a thousand
 * nested calls, which overflowed the event loop's stack and silently stopped the socket's sends. Touched only on its
 * verticle's event loop.
 */
final class InOrder<T> {

    private static final Logger LOG = LoggerFactory.getLogger(InOrder.class);

    private record Step<T>(Future<T> decided, Handler<AsyncResult<T>> then) {}

    /** Small to start: most sockets are idle, and a default deque holds 16 slots each. */
    private final ArrayDeque<Step<T>> waiting = new ArrayDeque<>(2);

    private boolean draining;

    /** Runs {@code then} with the decision once it and every decision queued before it have finished. */
    void add(Future<T> decided, Handler<AsyncResult<T>> then) {
        waiting.add(new Step<>(decided, then));
        // While draining, the loop takes this step or its tail listens to it: a listener here would be a second one.
        if (waiting.size() == 1 && !draining) decided.onComplete(done -> drain());
    }

    /** Decisions queued and not yet acted on. */
    int waiting() {
        return waiting.size();
    }

    /** One frame's action; one that throws is reported and the frames after it still act. */
    private static <T> void act(Step<T> step) {
        try {
            step.then().handle(step.decided());
        } catch (RuntimeException e) {
            LOG.error("a frame's action failed; the frames after it go on", e);
        }
    }

    private void drain() {
        if (draining) return; // an action that queues or completes another frame: the loop below takes it
        draining = true;
        try {
            Step<T> head;
            while ((head = waiting.peek()) != null && head.decided().isComplete()) {
                waiting.poll();
                act(head);
            }
        } finally {
            draining = false;
        }
        // The new head is not decided yet: its completion drains again.
        Step<T> next = waiting.peek();
        if (next != null) next.decided().onComplete(done -> drain());
    }
}
