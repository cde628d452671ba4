package io.vertable.kit.bus;

import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** How services answer over the bus: refusals as {@code {"code","message"}} with the HTTP status as failure code. */
public final class Replies {

    private Replies() {}

    public static void fail(Message<?> message, Failure failure) {
        message.fail(failure.code().httpStatus(), failure.encode());
    }

    /**
     * Answers with a failure from further down: another service's refusal goes back as it is; a missing or silent
     * service becomes its catalog code.
     */
    public static void fail(Message<?> message, Throwable cause) {
        if (cause instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            message.fail(reply.failureCode(), reply.getMessage());
            return;
        }
        fail(message, FailureException.from(cause));
    }

    /** The command id the client sent (its retries are then applied once), or a fresh one. */
    public static String commandId(JsonObject body) {
        return body.getValue("cid") instanceof String cid && !cid.isEmpty() && cid.length() <= 64
                ? cid
                : UUID.randomUUID().toString();
    }
}
