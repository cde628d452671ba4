package io.vertable.http;

import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request bodies are read only when a route asks, after it has authenticated and authorized the caller: every request
 * starts paused, and a body no route read is dropped (a bounded amount) once the answer is out. A read is bounded by
 * the route's own limit and by the node's budget of body bytes in flight, shared by all its http instances, so neither
 * strangers nor many members at once can fill the heap.
 */
final class Bodies {

    /** The limit of every JSON body but whole-room imports. */
    static final long SMALL = 64 * 1024;

    /** How much of an unread body is read and dropped before the connection is cut (Tomcat's swallow idea). */
    static final long SWALLOW_BYTES = 1024 * 1024;

    /** Retry-After of a refusal for want of budget: bodies in flight are read within seconds. */
    static final int BUSY_RETRY_SECONDS = 2;
    /** A body's deadline is its read time plus what it needs at this pace (half a megabit): a big import on a slow uplink is not cut off. */
    static final long SLOWEST_UPLINK_BYTES_PER_SECOND = 64 * 1024;

    private static final String READING = "vtt.body-reading";
    private static final Logger LOG = LoggerFactory.getLogger(Bodies.class);

    private final Budget budget;
    private final long readMs;
    private final Api api;

    Bodies(Vertx vertx, long budgetBytes, long readMs, Api api) {
        this.budget = Budget.of(vertx, budgetBytes);
        this.readMs = readMs;
        this.api = api;
    }

    /**
     * Bytes the node may hold in request bodies at once; one object per node. One caller (a user, or an address
     * before it signs in) may hold a quarter of it: always one body that fits, a second one only within its share, so
     * no caller alone can keep everyone else waiting.
     */
    static final class Budget implements Shareable {
        private static final String MAP = "vtt.http-body-budget";
        final long capacity;
        final long share;
        private final AtomicLong used = new AtomicLong();
        private final ConcurrentHashMap<String, Long> byCaller = new ConcurrentHashMap<>();

        private Budget(long capacity) {
            this.capacity = capacity;
            this.share = capacity / 4;
        }

        static Budget of(Vertx vertx, long capacity) {
            LocalMap<String, Budget> map = vertx.sharedData().getLocalMap(MAP);
            Budget fresh = new Budget(capacity);
            Budget existing = map.putIfAbsent("budget", fresh);
            return existing == null ? fresh : existing;
        }

        boolean tryReserve(String caller, long bytes) {
            boolean[] fits = {false};
            byCaller.compute(caller, (key, held) -> {
                long now = held == null ? 0 : held;
                fits[0] = now == 0 || now + bytes <= share;
                return fits[0] ? now + bytes : held;
            });
            if (!fits[0]) return false;
            if (used.getAndUpdate(now -> now + bytes <= capacity ? now + bytes : now) + bytes <= capacity) return true;
            releaseCaller(caller, bytes);
            return false;
        }

        void release(String caller, long bytes) {
            used.addAndGet(-bytes);
            releaseCaller(caller, bytes);
        }

        private void releaseCaller(String caller, long bytes) {
            byCaller.computeIfPresent(caller, (key, held) -> held - bytes <= 0 ? null : held - bytes);
        }
    }

    // ---- every request ----

    /** First step of every route: nothing of the body is read until a route asks for it. */
    static void hold(RoutingContext ctx) {
        ctx.request().pause();
        ctx.addEndHandler(done -> dropUnread(ctx.request()));
        ctx.next();
    }

    /**
     * After an answer sent before the body was read: read and drop up to {@link #SWALLOW_BYTES} more of it, so the
     * client reads the answer and the connection stays usable, and cut off a body that keeps coming.
     */
    private static void dropUnread(HttpServerRequest request) {
        if (request.isEnded()) return;
        long cutOff = request.bytesRead() + SWALLOW_BYTES;
        request.handler(chunk -> {
            if (request.bytesRead() <= cutOff) return;
            if (request.version() == HttpVersion.HTTP_2) request.response().reset();
            else request.connection().close();
        });
        request.resume();
    }

    // ---- a route reading its body ----

    /** Route step: reads a body of at most {@code maxBytes} into {@code ctx.body()}, within the node's budget. */
    Handler<RoutingContext> read(long maxBytes) {
        BodyHandler reader = BodyHandler.create(false).setBodyLimit(maxBytes);
        return ctx -> {
            if (ctx.get(READING) != null) {
                ctx.next(); // an earlier route step of this request reads it already
                return;
            }
            ctx.put(READING, true);
            if (reserve(ctx, maxBytes)) reader.handle(ctx);
        };
    }

    /**
     * Takes room for the request's body from the node's budget until the answer is out; refuses it (and answers)
     * when it is over {@code maxBytes} or the budget has no room now.
     *
     * @return whether the caller may read the body
     */
    boolean reserve(RoutingContext ctx, long maxBytes) {
        long size = expectedSize(ctx.request(), maxBytes);
        if (size > maxBytes || size > budget.capacity) {
            api.problem(ctx, new FailureException(ErrorCode.PAYLOAD_TOO_LARGE, "at most " + maxBytes + " bytes"));
            return false;
        }
        if (size == 0) return true;
        String caller = callerOf(ctx);
        if (!budget.tryReserve(caller, size)) {
            ctx.response().putHeader("retry-after", Integer.toString(BUSY_RETRY_SECONDS));
            api.problem(ctx, new FailureException(ErrorCode.SERVER_BUSY, null));
            return false;
        }
        AtomicBoolean released = new AtomicBoolean();
        long deadline = ctx.vertx()
                .setTimer(readMs + size * 1000 / SLOWEST_UPLINK_BYTES_PER_SECOND, id -> cutOffSlow(ctx, size));
        ctx.addEndHandler(done -> {
            ctx.vertx().cancelTimer(deadline);
            if (released.compareAndSet(false, true)) budget.release(caller, size);
        });
        return true;
    }

    /**
     * A body still arriving at its deadline holds budget others need (a trickle, on purpose or not): answer, cut the
     * connection, and so free its share. A body read in time is left alone, whatever its route does next.
     */
    private void cutOffSlow(RoutingContext ctx, long reserved) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || ctx.response().ended()) return;
        LOG.info(
                "request body too slow node={} path={} read={} of {} bytes ip={}",
                api.nodeId,
                request.path(),
                request.bytesRead(),
                reserved,
                Api.clientIp(ctx));
        // Closed once the answer is out: the rest of a trickle is not worth reading.
        ctx.addEndHandler(answered -> {
            if (request.version() == HttpVersion.HTTP_2) request.response().reset();
            else request.connection().close();
        });
        api.problem(ctx, new FailureException(ErrorCode.BODY_TOO_SLOW, "send it within " + readMs / 1000 + " s"));
    }

    /** Whose share a body counts against: the signed-in user, else the address it comes from. */
    private static String callerOf(RoutingContext ctx) {
        var identity = Api.identity(ctx);
        return identity != null ? "user:" + identity.userId() : "ip:" + Api.clientIp(ctx);
    }

    /** The declared length; a body of unknown length may grow to {@code maxBytes}; a request without one takes 0. */
    private static long expectedSize(HttpServerRequest request, long maxBytes) {
        if (request.isEnded()) return 0;
        String length = request.getHeader("content-length");
        if (length != null) {
            try {
                return Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        boolean chunked = request.getHeader("transfer-encoding") != null;
        return chunked || request.version() == HttpVersion.HTTP_2 ? maxBytes : 0;
    }
}
