package io.vertable.http;

import io.vertable.node.NodeContext;
import io.vertable.node.ServiceVerticle;
import io.vertable.node.StartupException;
import io.vertable.shared.ErrorCode;
import io.vertable.shared.VerticleName;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** REST API, health, metrics and the browser client (DESIGN §8). Stateless: run as many instances as cores allow. */
public final class HttpVerticle extends ServiceVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

    /** Classpath folder of the built client; a name that does not exist at the repo root (notes/web-client.md). */
    static final String CLIENT_FOLDER = "client";

    private Redis redisClient;
    private Readiness readiness;
    private HttpServer server;

    public HttpVerticle(NodeContext node) {
        super(VerticleName.HTTP, node);
    }

    @Override
    protected Future<?> startService() {
        redisClient = connectRedis();
        readiness = new Readiness(vertx, node, redisClient == null ? null : RedisAPI.api(redisClient));
        return listen(routes());
    }

    @Override
    public Future<?> stop() {
        return super.stop().eventually(() -> redisClient == null ? Future.succeededFuture() : redisClient.close());
    }

    private Redis connectRedis() {
        String url = node.config().section("redis").getString("url");
        return url.isEmpty() ? null : Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    }

    private Router routes() {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(this::live);
        router.get("/health/ready").handler(this::ready);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(node.metrics()));
        router.get("/api/config").handler(this::clientConfig);
        router.route("/api/*").handler(ctx -> Problems.send(ctx, ErrorCode.NOT_FOUND, "no such API route"));
        router.route().handler(StaticHandler.create(CLIENT_FOLDER).setCachingEnabled(true));
        router.route().failureHandler(this::failed);
        return router;
    }

    private Future<HttpServer> listen(Router router) {
        JsonObject http = node.config().section("http");
        int port = http.getInteger("port");
        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(port, http.getString("host"))
                .recover(e -> Future.failedFuture(
                        e instanceof BindException
                                ? new StartupException(
                                        "http.port " + port + ": already in use (" + e.getMessage() + ")")
                                : e))
                .onSuccess(this::announcePort);
    }

    /** Records the port actually bound (it differs from the config when that asked for 0) for the launcher. */
    private void announcePort(HttpServer server) {
        this.server = server;
        vertx.sharedData().getLocalMap(NodeContext.LOCAL_FACTS).put(NodeContext.HTTP_PORT, server.actualPort());
    }

    private void live(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "UP").put("node", node.nodeId()));
    }

    private void ready(RoutingContext ctx) {
        readiness
                .report()
                .onSuccess(report -> json(ctx, "DOWN".equals(report.getString("status")) ? 503 : 200, report));
    }

    private void clientConfig(RoutingContext ctx) {
        JsonObject bridge = node.config().section("bridge");
        json(
                ctx,
                200,
                new JsonObject()
                        .put("node", node.nodeId())
                        .put("bridgePort", bridge.getInteger("port"))
                        .put("bridgePath", "/eventbus"));
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 404 || ctx.statusCode() == 405) {
            Problems.send(ctx, ctx.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_REQUEST, null);
            return;
        }
        LOG.error("request failed node={} path={}", node.nodeId(), ctx.request().path(), ctx.failure());
        if (!ctx.response().ended()) Problems.send(ctx, ErrorCode.INTERNAL, null);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(body.encode());
    }
}
