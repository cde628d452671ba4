package io.vertable.bridge;

import io.vertable.kit.HttpReplies;
import io.vertable.kit.NodeContext;
import io.vertable.kit.Servers;
import io.vertable.kit.ServiceVerticle;
import io.vertable.security.Identity;
import io.vertable.security.Membership;
import io.vertable.security.Security;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.BridgeControl;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS event-bus bridge on its own port: the browsers' door to the bus. The socket authenticates on
 * connect with the session token in the query string, its page's Origin must be allowed, and {@link BridgeGate}
 * decides every message. Presence of room members lives here too.
 */
public final class BridgeVerticle extends ServiceVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
    public static final String PATH = "/eventbus";

    private Security security;
    private BridgeGate gate;
    private Presence presence;
    private io.vertx.core.http.HttpServer server;
    /** SockJS session id → the user who opened it; fallback transports look sessions up by id alone. */
    private final java.util.Map<String, String> sessionOwners = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
            return size() > 100_000;
        }
    };

    private MessageConsumer<JsonObject> control;
    private long presenceTimer = -1;

    public BridgeVerticle(NodeContext node) {
        super(VerticleName.BRIDGE, node);
    }

    @Override
    protected Future<?> startService() {
        return Security.create(vertx, config())
                .map(this::openGate)
                .compose(gate -> Future.all(followControlMessages(), routeCommands()))
                .compose(ready -> listen(routes(bridgeConfig()), bridgeConfig()))
                .onSuccess(listening -> sweepEveryThirdOfPresenceTtl());
    }

    private JsonObject bridgeConfig() {
        return node.config().section("bridge");
    }

    private long presenceTtlMs() {
        return node.config().section("presence").getInteger("ttlSeconds") * 1000L;
    }

    /** The gate decides every bridge event: who may connect, listen and send, with which trusted headers. */
    private BridgeGate openGate(Security security) {
        this.security = security;
        presence = new Presence(vertx, security.redis(), presenceTtlMs());
        gate = new BridgeGate(
                vertx,
                new Membership(vertx.eventBus()),
                security.limiter(),
                presence,
                node,
                node.meters().socketsOf(deploymentID()));
        SharedJsonCodec.register(vertx);
        return gate;
    }

    /** Revoked sessions, changed memberships and deleted rooms close the affected sockets here at once. */
    private Future<Void> followControlMessages() {
        control = vertx.eventBus().consumer(Addresses.BRIDGE_CONTROL, message -> BridgeControl.fromJson(message.body())
                .ifPresent(gate::control));
        return control.completion();
    }

    /** The browsers' commands go on from here to their room's owner, or to chat and dice. */
    private Future<?> routeCommands() {
        return new CommandRouter(vertx, node.nodeId()).register();
    }

    /**
     * Closes expired sessions' sockets and refreshes this instance's presence entries before they lapse: every entry
     * once per third of the TTL, a slice of the rooms at a time.
     */
    private void sweepEveryThirdOfPresenceTtl() {
        long[] tick = {0};
        presenceTimer = vertx.setPeriodic(Math.max(1, presenceTtlMs() / 3 / Presence.REFRESH_SLICES), id -> {
            if (tick[0] % Presence.REFRESH_SLICES == 0) gate.closeExpired(System.currentTimeMillis() / 1000);
            long turn = tick[0]++;
            // Only the slice's rooms are gathered: the other nine tenths of the sockets are not even listed.
            presence.refresh(gate.presenceEntries(room -> Presence.inSlice(room, turn)));
        });
    }

    /**
     * Moves the clients first (each socket closed with "node leaving", so pages reconnect to another node at once),
     * then closes the door, so sockets leave (and their presence) while Redis is still there.
     */
    @Override
    public Future<?> stop() {
        if (presenceTimer >= 0) vertx.cancelTimer(presenceTimer);
        if (gate != null) gate.closeAllLeaving();
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        if (gate != null) gate.close();
        return closed.eventually(super::stop)
                .eventually(() -> control == null ? Future.succeededFuture() : control.unregister())
                .eventually(() -> security == null ? Future.succeededFuture() : security.close())
                .eventually(() -> {
                    node.meters().forget(deploymentID());
                    return Future.succeededFuture();
                });
    }

    private Router routes(JsonObject bridge) {
        int maxMessage = bridge.getInteger("maxMessageBytes");
        var options = new SockJSBridgeOptions()
                .addInboundPermitted(new PermittedOptions().setAddressRegex("vtt\\.in\\.[a-z]+"))
                .addOutboundPermitted(new PermittedOptions().setAddressRegex("vtt\\.(room|user)\\.[A-Za-z0-9_.-]+"))
                .setMaxAddressLength(bridge.getInteger("maxAddressLength"))
                // A command's answer comes within seconds or not at all (its room may be failing over).
                .setReplyTimeout(Deadlines.BRIDGE_REPLY_MS)
                // The gate counts stream registrations itself; the bridge's own count also includes pending replies.
                .setMaxHandlersPerSocket(bridge.getInteger("maxHandlersPerSocket") + 64);
        // The client uses WebSocket, XHR streaming and XHR polling. The iframe-based transports (and their iframe page,
        // which loads the SockJS library from a CDN) would put a page without our policy on the public origin.
        var sockJs = SockJSHandler.create(
                vertx,
                new SockJSHandlerOptions()
                        .setRegisterWriteHandler(false)
                        .addDisabledTransport(Transport.HTML_FILE.name())
                        .addDisabledTransport(Transport.JSON_P.name())
                        .addDisabledTransport(Transport.EVENT_SOURCE.name()));
        Router router = Router.router(vertx);
        router.route().handler(BridgeVerticle::strictHeaders);
        router.routeWithRegex(PATH + "/iframe[^/]*\\.html")
                .handler(ctx -> ctx.response().setStatusCode(404).end());
        router.route(PATH + "/*").handler(this::checkOrigin);
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(maxMessage * 2L);
        router.route(PATH + "/*").handler(ctx -> readBodyUnlessUpgrade(ctx, bodies));
        router.route(PATH + "/*").handler(SimpleAuthenticationHandler.create().authenticate(this::authenticate));
        router.routeWithRegex(PATH + "/[^/]+/([^/]+)/.+").handler(this::bindSession);
        // vertx-web's bridge keeps sends, replies and pings; room and user streams are taken off it by each socket's
        // StreamSocket and delivered by the gate's fan-out (one consumer per stream, one encoding per message).
        var busBridge = new EventBusBridgeImpl(vertx, null, options, gate);
        router.route(PATH + "/*")
                .subRouter(sockJs.socketHandler(
                        socket -> busBridge.handle(new StreamSocket(vertx, socket, gate, maxFrameSize(bridge)))));
        router.route().failureHandler(this::refused);
        return router;
    }

    /**
     * A WebSocket handshake carries no body, but some clients say so with {@code Content-Length: 0} (the JDK's
     * {@code HttpClient} on Java 17): the body handler would then read that empty body, and the upgrade that follows
     * fails with "Request has already been read" (a 500). So handshakes skip it; only SockJS's HTTP transports have
     * bodies.
     */
    private static void readBodyUnlessUpgrade(RoutingContext ctx, BodyHandler bodies) {
        if ("websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"))) ctx.next();
        else bodies.handle(ctx);
    }

    /** Bridge answers are data, never pages: nothing may run, frame or sniff them. */
    private static void strictHeaders(io.vertx.ext.web.RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }

    /** The bridge server's largest WebSocket frame; direct writes ({@link StreamSocket}) split messages at it too. */
    static int maxFrameSize(JsonObject bridge) {
        return bridge.getInteger("maxMessageBytes") * 4;
    }

    private Future<?> listen(Router router, JsonObject bridge) {
        int port = bridge.getInteger("port");
        int maxMessage = bridge.getInteger("maxMessageBytes");
        // Frames far over the limit are cut by the server; frames a little over get the gate's PAYLOAD_TOO_LARGE.
        var options = new HttpServerOptions()
                .setMaxWebSocketFrameSize(maxFrameSize(bridge))
                .setMaxWebSocketMessageSize(maxMessage * 4);
        return Servers.listen(
                        vertx, options, router, bridge.getString("host"), port, "bridge.port", NodeContext.BRIDGE_PORT)
                .onSuccess(bound -> server = bound);
    }

    /** Cross-site WebSocket hijacking guard: a browser page may connect only from an allowed origin. */
    private void checkOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("origin");
        if (origin == null || allowedOrigins().contains(origin)) {
            ctx.next();
            return;
        }
        LOG.info(
                "socket refused node={} origin={}",
                node.nodeId(),
                origin.length() > 100 ? origin.substring(0, 100) : origin);
        problem(ctx, Failure.of(ErrorCode.ORIGIN_NOT_ALLOWED, null));
    }

    /** Configured origins, the public URL's, and this node's own HTTP origins (the page usually comes from there). */
    private Set<String> allowedOrigins() {
        Set<String> origins = new LinkedHashSet<>();
        JsonArray configured = node.config().section("bridge").getJsonArray("allowedOrigins");
        configured.forEach(origin -> origins.add((String) origin));
        String publicUrl = node.config().section("http").getString("publicUrl");
        if (!publicUrl.isEmpty()) {
            URI uri = URI.create(publicUrl);
            origins.add(uri.getScheme() + "://" + uri.getRawAuthority());
        }
        Object httpPort =
                vertx.sharedData().getLocalMap(NodeContext.LOCAL_FACTS).get(NodeContext.HTTP_PORT);
        int port = httpPort instanceof Integer p
                ? p
                : node.config().section("http").getInteger("port");
        origins.add("http://localhost:" + port);
        origins.add("http://127.0.0.1:" + port);
        return origins;
    }

    /**
     * SockJS's HTTP fallbacks find a session by the id in the URL alone; tie each id to the user who opened it, so a
     * session id seen elsewhere is worthless to another user.
     */
    private void bindSession(RoutingContext ctx) {
        String sessionId = ctx.pathParam("param0");
        String userId = Identity.fromUser(ctx.user()).userId();
        String owner = sessionOwners.putIfAbsent(sessionId, userId);
        if (owner == null || owner.equals(userId)) {
            ctx.next();
        } else {
            LOG.warn("sockjs session reuse refused node={} user={}", node.nodeId(), userId);
            problem(ctx, Failure.of(ErrorCode.FORBIDDEN, "that connection belongs to someone else"));
        }
    }

    private Future<User> authenticate(RoutingContext ctx) {
        return security.tokens().verify(tokenOf(ctx.request().query())).map(Identity::toUser);
    }

    /**
     * The {@code token} parameter of the query, read without {@code ctx.queryParams()}: that map (with its own decoded
     * copy of the token) is kept by the routing context, which a WebSocket keeps for as long as it is open.
     */
    static String tokenOf(String query) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    private void refused(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        Throwable cause = failure instanceof HttpException http && http.getCause() != null ? http.getCause() : failure;
        if (cause instanceof FailureException refusal) {
            problem(ctx, refusal.failure());
        } else if (ctx.statusCode() == 401) {
            problem(ctx, Failure.of(ErrorCode.UNAUTHENTICATED, null));
        } else if (ctx.statusCode() == 413) {
            problem(ctx, Failure.of(ErrorCode.PAYLOAD_TOO_LARGE, null));
        } else {
            LOG.warn("bridge request failed node={} status={}", node.nodeId(), ctx.statusCode(), failure);
            problem(ctx, Failure.of(ErrorCode.INTERNAL, null));
        }
    }

    private void problem(RoutingContext ctx, Failure failure) {
        if (ctx.response().ended()) return;
        node.meters().refused(failure.code());
        HttpReplies.problem(ctx, failure.code(), failure.message());
    }
}
