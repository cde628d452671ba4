package io.vertable.shared.wire;

import io.vertx.core.eventbus.ReplyException;

/** A refusal with a catalog code, carried through futures until it reaches a REST response or a bridge frame. */
public final class FailureException extends RuntimeException {

    private final Failure failure;

    public FailureException(ErrorCode code, String message) {
        super(message == null ? code.meaning() : message, null, false, false);
        this.failure = Failure.of(code, message);
    }

    public FailureException(Failure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    /** Any failure, as the catalog sees it: ours, a refused service reply, a missing or silent service. */
    public static Failure from(Throwable error) {
        if (error instanceof FailureException own) return own.failure();
        if (error instanceof ReplyException reply) {
            return switch (reply.failureType()) {
                case NO_HANDLERS -> Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "no service is running for this");
                case TIMEOUT -> Failure.of(ErrorCode.TIMEOUT, null);
                default -> Failure.decode(reply.getMessage());
            };
        }
        return Failure.of(ErrorCode.INTERNAL, null);
    }
}
