package io.vertable.http;

import io.vertable.kit.HttpReplies;
import io.vertable.kit.NodeContext;
import io.vertable.kit.Servers;
import io.vertable.kit.ServiceVerticle;
import io.vertable.security.Passwords;
import io.vertable.security.Security;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** REST API, health, metrics and the browser client. Stateless: run as many instances as cores allow. */
public final class HttpVerticle extends ServiceVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

    /** Classpath folder of the built client; a name that does not exist at the repo root, so running from a checkout never serves the sources instead. */
    static final String CLIENT_FOLDER = "client";

    /** Liveness: 200 while the process serves HTTP (the Kubernetes liveness and startup probes). */
    public static final String LIVE_PATH = "/health/live";

    /** Readiness: 200 when UP or DEGRADED, 503 when DOWN (the Kubernetes readiness probe). */
    public static final String READY_PATH = "/health/ready";

    /** Prometheus scrape endpoint. */
    public static final String METRICS_PATH = "/metrics";

    /** The REST contract (OpenAPI 3.1), served as it is shipped in the jar. */
    public static final String OPENAPI_PATH = "/api/openapi.yaml";

    /** Where the node keeps its router among its local facts, for checks that walk the routes it serves. */
    static final String ROUTER_FACT = "http.router";

    private Security security;
    private Readiness readiness;
    private HttpServer server;

    public HttpVerticle(NodeContext node) {
        super(VerticleName.HTTP, node);
    }

    @Override
    protected Future<?> startService() {
        return Security.create(vertx, config())
                .onSuccess(this::checkReadinessWith)
                .compose(ready -> listen(routes()));
    }

    /** Readiness asks the services (and Redis) this node depends on. */
    private void checkReadinessWith(Security security) {
        this.security = security;
        readiness = new Readiness(vertx, node, security.redis());
    }

    @Override
    public Future<?> stop() {
        return super.stop().eventually(() -> security == null ? Future.succeededFuture() : security.close());
    }

    private Router routes() {
        Router router = Router.router(vertx);
        JsonObject bridge = node.config().section("bridge");
        var edge = new EdgeHeaders(node.config().section("http"), publicBridgeUrl(), () -> bridgePort(bridge));
        router.route().handler(edge::handle);
        router.route().handler(Bodies::hold); // each route reads its body itself, once it knows the caller
        router.get(LIVE_PATH).handler(this::live);
        router.get(READY_PATH).handler(this::ready);
        router.get(METRICS_PATH).handler(PrometheusScrapingHandler.create(node.metrics()));
        var api = new Api(
                vertx,
                security.tokens(),
                security.limiter(),
                node.nodeId(),
                node.config().section("http").getInteger("bodyBudgetBytes"),
                node.config().section("http").getInteger("bodyReadSeconds") * 1000L);
        var assets = new AssetRoutes(api, config());
        assets.mountUpload(router);
        router.get("/api/config").handler(this::clientConfig);
        router.get(OPENAPI_PATH).handler(new OpenApiDocument()::serve);
        new AuthRoutes(api, new Passwords(vertx), config()).mount(router);
        new RoomRoutes(api, config()).mount(router); // authenticates /api/rooms*, so it comes first
        new ArchiveRoutes(api, config()).mount(router);
        new TableRoutes(api, config()).mount(router);
        assets.mount(router);
        new TileRoutes(api).mount(router);
        new AdminRoutes(api, node).mount(router);
        router.route("/api/*").handler(ctx -> HttpReplies.problem(ctx, ErrorCode.NOT_FOUND, "no such API route"));
        // Invite links open the client, which reads the code from the path.
        router.get("/join/:code").handler(ctx -> ctx.reroute("/index.html"));
        router.route().handler(StaticHandler.create(CLIENT_FOLDER).setCachingEnabled(true));
        router.route().failureHandler(this::failed);
        vertx.sharedData().getLocalMap(NodeContext.LOCAL_FACTS).put(ROUTER_FACT, new MountedRouter(router));
        return router;
    }

    /** The router of one http instance; every instance builds the same routes. */
    record MountedRouter(Router router) implements io.vertx.core.shareddata.Shareable {}

    private Future<HttpServer> listen(Router router) {
        JsonObject http = node.config().section("http");
        return Servers.listen(
                        vertx,
                        new HttpServerOptions(),
                        router,
                        http.getString("host"),
                        http.getInteger("port"),
                        "http.port",
                        NodeContext.HTTP_PORT)
                .onSuccess(bound -> server = bound);
    }

    private void live(RoutingContext ctx) {
        HttpReplies.json(ctx, 200, new JsonObject().put("status", "UP").put("node", node.nodeId()));
    }

    private void ready(RoutingContext ctx) {
        readiness
                .report()
                .onSuccess(
                        report -> HttpReplies.json(ctx, "DOWN".equals(report.getString("status")) ? 503 : 200, report));
    }

    private void clientConfig(RoutingContext ctx) {
        JsonObject bridge = node.config().section("bridge");
        HttpReplies.json(
                ctx,
                200,
                new JsonObject()
                        .put("node", node.nodeId())
                        .put("bridgePort", bridgePort(bridge))
                        .put("bridgePath", "/eventbus")
                        .put("bridgeUrl", publicBridgeUrl())
                        .put("uploadMaxBytes", node.config().section("uploads").getInteger("maxBytes"))
                        .put(
                                "archiveMaxBytes",
                                node.config().section("archives").getLong("maxBytes")));
    }

    /**
     * Where browsers open bridge sockets when it is not "this node's bridge port on the page's host": configured
     * ({@code bridge.publicUrl}), else {@code /eventbus} on the public URL (a reverse proxy serving one origin); null
     * when the node is reached directly.
     */
    private String publicBridgeUrl() {
        String configured = node.config().section("bridge").getString("publicUrl");
        if (!configured.isEmpty()) return configured.replaceAll("/+$", "");
        String publicUrl = node.config().section("http").getString("publicUrl");
        if (publicUrl.isEmpty()) return null;
        java.net.URI uri = java.net.URI.create(publicUrl);
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/eventbus";
    }

    /** The port this node's bridge actually bound (port 0 binds any), else the configured one (a bridge elsewhere). */
    private int bridgePort(JsonObject bridge) {
        Object bound = vertx.sharedData().getLocalMap(NodeContext.LOCAL_FACTS).get(NodeContext.BRIDGE_PORT);
        return bound instanceof Integer port ? port : bridge.getInteger("port");
    }

    private void failed(RoutingContext ctx) {
        switch (ctx.statusCode()) {
            case 404 -> HttpReplies.problem(ctx, ErrorCode.NOT_FOUND, null);
            case 405 -> HttpReplies.problem(ctx, ErrorCode.BAD_REQUEST, "method not allowed here");
            case 413 -> HttpReplies.problem(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the body is over this route's limit");
            case 400 -> HttpReplies.problem(ctx, ErrorCode.BAD_REQUEST, null);
            default -> internalError(ctx);
        }
    }

    private void internalError(RoutingContext ctx) {
        LOG.error("request failed node={} path={}", node.nodeId(), ctx.request().path(), ctx.failure());
        if (!ctx.response().ended()) HttpReplies.problem(ctx, ErrorCode.INTERNAL, null);
    }
}
