package io.vertable.http;

import io.vertable.kit.HttpReplies;
import io.vertable.kit.stores.Stores;
import io.vertable.security.Identity;
import io.vertable.security.Membership;
import io.vertable.security.RateLimiter;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.security.Tokens;
import io.vertable.shared.JsonLimits;
import io.vertable.shared.RoomRole;
import io.vertable.shared.people.DisplayNames;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every REST handler needs: who is calling, their role in a room, bodies, limits, and replies. */
final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final String IDENTITY = "vtt.identity";
    private static final String ROLES = "vtt.roles";
    /** A request names one room; a few lookups are plenty. */
    private static final int MAX_ROOMS_PER_REQUEST = 4;

    private static final DeliveryOptions SERVICE_CALL = new DeliveryOptions().setSendTimeout(Deadlines.STORE_CALL_MS);

    final Vertx vertx;
    final Tokens tokens;
    final RateLimiter limiter;
    final String nodeId;
    final Bodies bodies;
    final Stores stores;
    final Membership membership;

    /**
     * @param bodyBudgetBytes the node's budget of request-body bytes in flight
     * @param bodyReadMs longest a body may take to arrive once a route reads it
     */
    Api(Vertx vertx, Tokens tokens, RateLimiter limiter, String nodeId, long bodyBudgetBytes, long bodyReadMs) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.limiter = limiter;
        this.nodeId = nodeId;
        this.bodies = new Bodies(vertx, bodyBudgetBytes, bodyReadMs, this);
        this.stores = Stores.on(vertx.eventBus());
        this.membership = new Membership(vertx.eventBus());
    }

    /**
     * Runs a handler step and answers with its JSON, or with the problem its failure names — including refusals thrown
     * while the step reads its input.
     */
    void respond(RoutingContext ctx, int status, java.util.concurrent.Callable<Future<JsonObject>> step) {
        attempt(step)
                .onSuccess(body -> {
                    if (status == 204) ctx.response().setStatusCode(204).end();
                    else HttpReplies.json(ctx, status, body);
                })
                .onFailure(e -> problem(ctx, e));
    }

    void problem(RoutingContext ctx, Throwable e) {
        Failure failure = FailureException.from(e);
        if (failure.code() == ErrorCode.INTERNAL) {
            LOG.error("request failed node={} path={}", nodeId, ctx.request().path(), e);
        }
        if (!ctx.response().ended()) HttpReplies.problem(ctx, failure.code(), failure.message());
    }

    // ---- identity ----

    /** Route step: requires a valid session token (Authorization: Bearer …). */
    void authenticate(RoutingContext ctx) {
        tokens.verify(bearer(ctx))
                .onSuccess(identity -> {
                    ctx.put(IDENTITY, identity);
                    ctx.next();
                })
                .onFailure(e -> problem(ctx, e));
    }

    /** Route step: uses the session token when one is sent, carries on without one otherwise. */
    void authenticateIfPresent(RoutingContext ctx) {
        if (bearer(ctx) == null) {
            ctx.next();
        } else {
            authenticate(ctx);
        }
    }

    static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
    }

    static Identity identity(RoutingContext ctx) {
        return ctx.get(IDENTITY);
    }

    /** The caller's role in the room of the path's {@code :roomId}, or BANNED / NOT_A_MEMBER ({@link Membership}). */
    Future<RoomRole> roleIn(RoutingContext ctx) {
        return roleIn(ctx, ctx.pathParam("roomId"));
    }

    /** The caller's role in {@code roomId}, or BANNED / NOT_A_MEMBER. */
    Future<RoomRole> roleIn(RoutingContext ctx, String roomId) {
        if (!StreamAddress.isId(roomId)) return failed(ErrorCode.NOT_FOUND, "no such room");
        return roles(ctx).in(roomId);
    }

    /** This request's role lookups: a route that checks the role twice asks the store once. */
    private Membership.Roles roles(RoutingContext ctx) {
        Membership.Roles roles = ctx.get(ROLES);
        if (roles == null) {
            roles = membership.rolesOf(identity(ctx).userId(), MAX_ROOMS_PER_REQUEST);
            ctx.put(ROLES, roles);
        }
        return roles;
    }

    Future<Void> requireGm(RoutingContext ctx) {
        return roleIn(ctx)
                .compose(role -> role == RoomRole.GM ? Future.succeededFuture() : failed(ErrorCode.GM_ONLY, null));
    }

    // ---- services ----

    Future<JsonObject> call(String address, JsonObject request) {
        return vertx.eventBus()
                .<JsonObject>request(address, request, SERVICE_CALL)
                .map(reply -> reply.body());
    }

    static <T> Future<T> failed(ErrorCode code, String message) {
        return Future.failedFuture(new FailureException(code, message));
    }

    // ---- bodies ----

    /**
     * The request's JSON object. Its depth is checked on the raw text before it is parsed, so nothing (the parser,
     * copies, the event bus, storage) walks a value nested deeper than the limit.
     */
    static JsonObject body(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        if (raw == null || raw.length() == 0) throw new FailureException(ErrorCode.BODY_NOT_JSON, "send a JSON object");
        Failure tooDeep = JsonLimits.checkText(raw);
        if (tooDeep != null) throw new FailureException(tooDeep.code(), tooDeep.message());
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) throw new FailureException(ErrorCode.BODY_NOT_JSON, "send a JSON object");
            Failure unfit = JsonLimits.check(body);
            if (unfit != null) throw new FailureException(unfit.code(), unfit.message());
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw new FailureException(ErrorCode.BODY_NOT_JSON, "send a JSON object");
        }
    }

    /** A required, trimmed string of bounded length with no control characters. */
    static String text(JsonObject body, String field, int min, int max) {
        Object value = body.getValue(field);
        if (!(value instanceof String raw)) throw new FailureException(ErrorCode.BAD_REQUEST, field + " is required");
        String text = raw.strip();
        if (text.length() < min || text.length() > max) {
            throw new FailureException(ErrorCode.BAD_REQUEST, field + " must be " + min + " to " + max + " characters");
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new FailureException(ErrorCode.BAD_REQUEST, field + " must not contain control characters");
        }
        return text;
    }

    /** A display name people will address this person by: visible characters only (see {@link DisplayNames}). */
    static String displayName(JsonObject body) {
        Object value = body.getValue("displayName");
        String raw = value instanceof String text ? text : null;
        DisplayNames.refusal(raw).ifPresent(why -> {
            throw new FailureException(ErrorCode.DISPLAY_NAME_INVALID, why);
        });
        return DisplayNames.normalized(raw);
    }

    static RoomRole role(JsonObject body) {
        return RoomRole.parse(body.getString("role"))
                .orElseThrow(() -> new FailureException(ErrorCode.BAD_REQUEST, "role must be GM, PLAYER or OBSERVER"));
    }

    /** Runs a handler body that may throw a refusal while reading input, as a future. */
    static <T> Future<T> attempt(java.util.concurrent.Callable<Future<T>> step) {
        try {
            return step.call();
        } catch (FailureException e) {
            return Future.failedFuture(e);
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
    }

    // ---- limits ----

    /** Route step: one token from {@code limit} for the subject {@code key} picks out of the request. */
    io.vertx.core.Handler<RoutingContext> limited(Limit limit, Function<RoutingContext, String> key) {
        return ctx -> limiter.take(limit, key.apply(ctx)).onSuccess(decision -> {
            if (decision.allowed()) {
                ctx.next();
                return;
            }
            long seconds = Math.max(1, (decision.retryAfterMs() + 999) / 1000);
            ctx.response().putHeader("retry-after", Long.toString(seconds));
            HttpReplies.problem(
                    ctx,
                    ErrorCode.RATE_LIMITED,
                    "try again in " + seconds + " s",
                    new JsonObject().put("retryAfterMs", decision.retryAfterMs()));
        });
    }

    /** The client's address as the edge handler worked it out (a listed proxy's X-Forwarded-For, else the peer). */
    static String clientIp(RoutingContext ctx) {
        String address = ctx.get(EdgeHeaders.CLIENT_IP);
        if (address != null) return address;
        return ctx.request().remoteAddress() == null
                ? "unknown"
                : ctx.request().remoteAddress().host();
    }
}
