package io.vertable.http;

import io.vertable.kit.NodeContext;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.RedisAPI;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's readiness report: PostgreSQL (through a persistence verticle anywhere in the cluster), Redis, and the
 * cluster's safety. PostgreSQL and the cluster are critical (DOWN → 503); Redis is not: without it the node keeps
 * serving with local fallbacks and reports DEGRADED.
 */
final class Readiness {

    static final long CHECK_TIMEOUT_MS = Deadlines.READINESS_CHECK_MS;

    private final Vertx vertx;
    private final NodeContext node;
    private final RedisAPI redis;

    Readiness(Vertx vertx, NodeContext node, RedisAPI redis) {
        this.vertx = vertx;
        this.node = node;
        this.redis = redis;
    }

    /** The report, with {@code status} UP, DEGRADED or DOWN. */
    Future<JsonObject> report() {
        Map<String, Future<JsonObject>> checks = new LinkedHashMap<>();
        checks.put("postgres", postgres());
        checks.put("redis", redis());
        checks.put("cluster", cluster());
        return Future.join(List.copyOf(checks.values())).transform(done -> {
            var results = new JsonObject();
            checks.forEach((name, check) -> results.put(name, check.result()));
            return Future.succeededFuture(new JsonObject()
                    .put("status", overall(results))
                    .put("node", node.nodeId())
                    .put(
                            "uptimeSeconds",
                            Duration.between(node.startedAt(), Instant.now()).toSeconds())
                    .put(
                            "cluster",
                            new JsonObject().put("enabled", node.clustered()).put("members", node.clusterMembers()))
                    .put("plan", node.plan().toJson())
                    .put("checks", results));
        });
    }

    private static String overall(JsonObject results) {
        boolean criticalDown = !isUp(results, "postgres") || !isUp(results, "cluster");
        if (criticalDown) return "DOWN";
        return isUp(results, "redis") ? "UP" : "DEGRADED";
    }

    private static boolean isUp(JsonObject results, String check) {
        return "UP".equals(results.getJsonObject(check).getString("status"));
    }

    private Future<JsonObject> postgres() {
        var options = new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS);
        return vertx.eventBus()
                .<JsonObject>request(Addresses.PERSIST_PING, null, options)
                .map(reply -> up().put("via", reply.body().getString("node"))
                        .put("ms", reply.body().getDouble("ms")))
                .recover(e -> Future.succeededFuture(down(postgresProblem(e))));
    }

    private static String postgresProblem(Throwable e) {
        if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return "no persistence verticle runs in the cluster";
        }
        if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
            return "persistence did not answer within " + CHECK_TIMEOUT_MS + " ms";
        }
        return e.getMessage();
    }

    private Future<JsonObject> redis() {
        if (redis == null) return Future.succeededFuture(down("no Redis configured"));
        return redis.ping(List.of())
                .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(pong -> up())
                .recover(e -> Future.succeededFuture(down(String.valueOf(e.getMessage()))));
    }

    private Future<JsonObject> cluster() {
        if (!node.clustered()) return Future.succeededFuture(up().put("mode", "standalone"));
        Promise<Status> status = Promise.promise();
        ClusterHealthCheck.createProcedure(vertx).handle(status);
        return status.future()
                .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .map(s -> s.isOk()
                        ? up().put("members", node.clusterMembers())
                        : down("cluster is not safe yet (partitions migrating)"))
                .recover(e -> Future.succeededFuture(down(String.valueOf(e.getMessage()))));
    }

    private static JsonObject up() {
        return new JsonObject().put("status", "UP");
    }

    private static JsonObject down(String reason) {
        return new JsonObject().put("status", "DOWN").put("reason", reason);
    }
}
