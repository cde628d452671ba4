package io.vertable.http;

import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.NodeAdminRequest;
import io.vertable.kit.NodeContext;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's routes (ADR 11): the cluster view and live rescales. Any node's HTTP verticle answers
 * them by asking each node's admin address over the bus, so one URL serves the whole cluster.
 */
final class AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    private static final long STATUS_TIMEOUT_MS = Deadlines.NODE_STATUS_MS;
    /** A map instance hands its rooms over before it stops; many rooms take a while. */
    private static final long RESCALE_TIMEOUT_MS = Deadlines.NODE_RESCALE_MS;

    private final Api api;
    private final NodeContext node;

    AdminRoutes(Api api, NodeContext node) {
        this.api = api;
        this.node = node;
    }

    void mount(Router router) {
        router.route("/api/admin/*").handler(api::authenticate).handler(this::requireAdmin);
        router.get("/api/admin/cluster").handler(ctx -> api.respond(ctx, 200, this::cluster));
        router.put("/api/admin/nodes/:node/verticles/:name")
                .handler(api.bodies.read(Bodies.SMALL))
                .handler(ctx -> api.respond(ctx, 200, () -> rescale(ctx)));
    }

    private void requireAdmin(RoutingContext ctx) {
        if (Api.identity(ctx).admin()) ctx.next();
        else api.problem(ctx, new FailureException(ErrorCode.ADMIN_ONLY, null));
    }

    // ---- the cluster view ----

    /** Every member's own report; a member that does not answer is listed as unreachable, not left out. */
    private Future<JsonObject> cluster() {
        return nodeIds().compose(ids -> {
            List<Future<JsonObject>> reports = ids.stream().map(this::report).toList();
            return Future.all(reports).map(done -> {
                var nodes = new JsonArray();
                reports.forEach(report -> nodes.add(report.result()));
                return new JsonObject().put("members", node.clusterMembers()).put("nodes", nodes);
            });
        });
    }

    private Future<JsonObject> report(String nodeId) {
        return ask(nodeId, NodeAdminRequest.status(), STATUS_TIMEOUT_MS)
                .map(status -> status.put("status", "UP"))
                .recover(e -> Future.succeededFuture(new JsonObject()
                        .put("node", nodeId)
                        .put("status", "UNREACHABLE")
                        .put("reason", FailureException.from(e).message())));
    }

    /** The Vertable ids of the cluster's members, read from their cluster metadata. */
    private Future<List<String>> nodeIds() {
        if (!node.clustered()) return Future.succeededFuture(List.of(node.nodeId()));
        List<Future<String>> ids =
                node.clusterManager().getNodes().stream().map(this::nodeIdOf).toList();
        return Future.join(ids)
                .transform(done -> Future.succeededFuture(ids.stream()
                        .filter(Future::succeeded)
                        .map(Future::result)
                        .filter(Objects::nonNull)
                        .sorted()
                        .toList()));
    }

    private Future<String> nodeIdOf(String member) {
        Promise<NodeInfo> info = Promise.promise();
        node.clusterManager().getNodeInfo(member, info);
        return info.future()
                .map(found -> found == null || found.metadata() == null
                        ? null
                        : found.metadata().getString(NodeContext.NODE_ID_METADATA));
    }

    // ---- rescale ----

    private Future<JsonObject> rescale(RoutingContext ctx) {
        String nodeId = ctx.pathParam("node");
        String verticle = ctx.pathParam("name");
        if (VerticleName.fromConfigName(verticle).isEmpty()) {
            return Api.failed(ErrorCode.UNKNOWN_VERTICLE, "known verticles: " + VerticleName.known());
        }
        Object instances = Api.body(ctx).getValue("instances");
        if (!DeploymentPlan.validInstances(instances)) {
            return Api.failed(
                    ErrorCode.INSTANCES_OUT_OF_RANGE,
                    "instances must be a whole number from 0 to " + DeploymentPlan.MAX_INSTANCES);
        }
        LOG.info(
                "rescale asked user={} node={} verticle={} instances={}",
                Api.identity(ctx).userId(),
                nodeId,
                verticle,
                instances);
        return ask(nodeId, NodeAdminRequest.rescale(verticle, ((Number) instances).intValue()), RESCALE_TIMEOUT_MS);
    }

    /** A node's admin address; no consumer there means no such node (any more). */
    private Future<JsonObject> ask(String nodeId, JsonObject request, long timeoutMs) {
        if (nodeId == null || !nodeId.matches(NODE_ID)) return Api.failed(ErrorCode.NODE_NOT_FOUND, null);
        return api.vertx
                .eventBus()
                .<JsonObject>request(
                        Addresses.nodeAdmin(nodeId), request, new DeliveryOptions().setSendTimeout(timeoutMs))
                .map(reply -> reply.body())
                .recover(e -> e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
                        ? Api.failed(ErrorCode.NODE_NOT_FOUND, "no node " + nodeId + " in the cluster")
                        : Future.failedFuture(e));
    }

    /** The node ids the launcher accepts (NodeConfig); anything else cannot name a node. */
    private static final String NODE_ID = "[A-Za-z0-9._-]{1,64}";
}
