package io.vertable.node;

import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.NodeAdminRequest;
import io.vertable.kit.NodeContext;
import io.vertable.kit.bus.Replies;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Commands;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The node's own door for operators, on {@link Addresses#nodeAdmin}: what it runs and holds ({@code status}), and live
 * rescales of one verticle kind ({@code rescale}). Any node's HTTP verticle reaches it over the bus, so an operator
 * can talk to one node about all of them. Rescales run one after another: two at once would count instances that are
 * still starting or stopping.
 */
final class NodeAdmin {

    private final Node node;
    private final NodeContext context;
    private MessageConsumer<JsonObject> consumer;
    /** The last rescale asked for; the next one starts when it ends. Touched on the consumer's context only. */
    private Future<?> rescales = Future.succeededFuture();

    private NodeAdmin(Node node) {
        this.node = node;
        this.context = node.context();
    }

    /** Registers the node's admin address; call from a plain thread, so the consumer gets a context of its own. */
    static Future<NodeAdmin> start(Node node, Vertx vertx) {
        NodeAdmin admin = new NodeAdmin(node);
        admin.consumer = vertx.eventBus().consumer(Addresses.nodeAdmin(node.id()), admin::handle);
        return admin.consumer.completion().map(admin);
    }

    /** Stops taking requests and lets a rescale under way finish, so shutdown does not race it. */
    Future<Void> stop() {
        return consumer.unregister().compose(done -> rescales.<Void>mapEmpty().recover(e -> Future.succeededFuture()));
    }

    private void handle(Message<JsonObject> request) {
        JsonObject body = request.body() == null ? new JsonObject() : request.body();
        switch (Commands.opOf(body)) {
            case NodeAdminRequest.STATUS -> request.reply(status());
            case NodeAdminRequest.RESCALE -> rescale(request, body);
            default -> Replies.fail(request, Failure.of(ErrorCode.BAD_REQUEST, "op is status or rescale"));
        }
    }

    private JsonObject status() {
        DeploymentPlan plan = context.plan();
        var verticles = new JsonObject();
        for (VerticleName name : VerticleName.values()) verticles.put(name.configName(), plan.instancesOf(name));
        var rooms = new JsonObject();
        context.meters().roomsByInstance().forEach(rooms::put);
        return new JsonObject()
                .put("node", context.nodeId())
                .put("startedAt", context.startedAt().toString())
                .put(
                        "uptimeSeconds",
                        Duration.between(context.startedAt(), Instant.now()).toSeconds())
                .put("plan", plan.toString())
                .put("verticles", verticles)
                .put("sockets", context.meters().openSockets())
                .put("rooms", context.meters().roomsOwned())
                .put("roomsByInstance", rooms)
                .put("members", context.clusterMembers());
    }

    private void rescale(Message<JsonObject> request, JsonObject body) {
        Failure refusal = refusal(body);
        if (refusal != null) {
            Replies.fail(request, refusal);
            return;
        }
        VerticleName verticle =
                VerticleName.fromConfigName(body.getString("verticle")).orElseThrow();
        int instances = ((Number) body.getValue("instances")).intValue();
        Future<JsonObject> done = rescales.transform(previous -> node.rescale(verticle, instances));
        rescales = done;
        done.onSuccess(request::reply).onFailure(e -> Replies.fail(request, e));
    }

    /** What is wrong with a rescale request, or null. The HTTP verticle checks the same, so these are a backstop. */
    private Failure refusal(JsonObject body) {
        String name = body.getValue("verticle") instanceof String text ? text : null;
        if (name == null || VerticleName.fromConfigName(name).isEmpty()) {
            return Failure.of(ErrorCode.UNKNOWN_VERTICLE, "known verticles: " + VerticleName.known());
        }
        if (!DeploymentPlan.validInstances(body.getValue("instances"))) {
            return Failure.of(
                    ErrorCode.INSTANCES_OUT_OF_RANGE, "instances must be 0 to " + DeploymentPlan.MAX_INSTANCES);
        }
        boolean noDatabase =
                context.config().section("postgres").getString("url").isEmpty();
        if (name.equals(VerticleName.PERSISTENCE.configName()) && noDatabase) {
            return Failure.of(ErrorCode.NODE_CANNOT_RUN, "this node has no PostgreSQL URL");
        }
        return null;
    }
}
