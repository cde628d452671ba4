package io.vertable.kit;

import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one writer of HTTP answers, for every door: JSON bodies and RFC 9457 problems carrying the catalog code. */
public final class HttpReplies {

    public static final String PROBLEM_JSON = "application/problem+json";

    /** Seconds a client should wait before trying again after a 503: about what an embedded server's restart takes. */
    static final String RETRY_AFTER_SECONDS = "5";

    private HttpReplies() {}

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(body.encode());
    }

    public static JsonObject problemBody(ErrorCode code, String detail, String instance) {
        return new JsonObject()
                .put("type", "urn:vertable:error:" + code.name())
                .put("title", code.meaning())
                .put("status", code.httpStatus())
                .put("code", code.name())
                .put("detail", detail == null ? code.meaning() : detail)
                .put("instance", instance);
    }

    public static void problem(RoutingContext ctx, ErrorCode code, String detail) {
        problem(ctx, code, detail, new JsonObject());
    }

    /** A problem with {@code extra} members besides the standard ones (such as {@code retryAfterMs}). */
    public static void problem(RoutingContext ctx, ErrorCode code, String detail, JsonObject extra) {
        if (code.httpStatus() == 503 && !ctx.response().headers().contains("Retry-After")) {
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.response()
                .setStatusCode(code.httpStatus())
                .putHeader("content-type", PROBLEM_JSON)
                .end(problemBody(code, detail, ctx.request().path())
                        .mergeIn(extra)
                        .encode());
    }
}
