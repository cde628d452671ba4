package io.vertable.kit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.BindException;

/** Starts a door of the node (http, bridge): one line when its port is taken, and the bound port in the node's facts. */
public final class Servers {

    private Servers() {}

    /**
     * @param portKey the config key named when the port is taken, e.g. "http.port"
     * @param factKey where the bound port is recorded in {@link NodeContext#LOCAL_FACTS}
     */
    public static Future<HttpServer> listen(
            Vertx vertx,
            HttpServerOptions options,
            Router router,
            String host,
            int port,
            String portKey,
            String factKey) {
        return vertx.createHttpServer(options)
                .requestHandler(router)
                .listen(port, host)
                .recover(e -> Future.failedFuture(
                        e instanceof BindException
                                ? new StartupException(
                                        portKey + " " + port + ": already in use (" + e.getMessage() + ")")
                                : e))
                .onSuccess(server ->
                        vertx.sharedData().getLocalMap(NodeContext.LOCAL_FACTS).put(factKey, server.actualPort()));
    }
}
