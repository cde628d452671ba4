package io.vertable.kit;

import io.vertable.kit.bus.BalancedConsumers;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Base of every Vertable verticle: knows its node, answers on its status address ("which node, which instance"),
 * and unregisters its balanced consumers when undeployed.
 */
public abstract class ServiceVerticle extends VerticleBase {

    protected final NodeContext node;
    private final VerticleName name;
    private final List<BalancedConsumers.Registration> registrations = new ArrayList<>();
    private final String instanceId = UUID.randomUUID().toString();

    protected ServiceVerticle(VerticleName name, NodeContext node) {
        this.name = name;
        this.node = node;
    }

    @Override
    public final Future<?> start() {
        return startService().compose(started -> consume(Addresses.status(name), this::reportStatus));
    }

    /** The verticle's own start-up; its table of contents. */
    protected abstract Future<?> startService();

    @Override
    public Future<?> stop() {
        return withdraw();
    }

    /**
     * Unregisters the balanced consumers, so new work goes to other instances; a verticle that must finish work
     * before it stops calls this first. Safe to call again.
     */
    protected Future<Void> withdraw() {
        return Future.all(registrations.stream()
                        .map(BalancedConsumers.Registration::unregister)
                        .toList())
                .mapEmpty();
    }

    /** Registers a point-to-point handler whose work is balanced across the cluster by instance count. */
    protected <T> Future<Void> consume(String address, Handler<Message<T>> handler) {
        return node.balanced().<T>register(address, handler).map(registration -> {
            registrations.add(registration);
            return null;
        });
    }

    private void reportStatus(Message<Object> message) {
        message.reply(new JsonObject()
                .put("verticle", name.configName())
                .put("node", node.nodeId())
                .put("deployment", deploymentID())
                .put("instance", instanceId));
    }
}
