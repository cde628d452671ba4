package io.vertable.http;

import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem bodies carrying the catalog code. */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    static JsonObject body(ErrorCode code, String detail, String instance) {
        return new JsonObject()
                .put("type", "urn:vertable:error:" + code.name())
                .put("title", code.meaning())
                .put("status", code.httpStatus())
                .put("code", code.name())
                .put("detail", detail == null ? code.meaning() : detail)
                .put("instance", instance);
    }

    /** Seconds a client should wait before trying again after a 503: about what an embedded server's restart takes. */
    static final String RETRY_AFTER_SECONDS = "5";

    static void send(RoutingContext ctx, ErrorCode code, String detail) {
        if (code.httpStatus() == 503 && !ctx.response().headers().contains("Retry-After")) {
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.response()
                .setStatusCode(code.httpStatus())
                .putHeader("content-type", CONTENT_TYPE)
                .end(body(code, detail, ctx.request().path()).encode());
    }
}
