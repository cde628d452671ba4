package io.vertable.kit.bus;

import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashMap;
import java.util.Map;

/**
 * Point-to-point consumers whose share of clustered {@code send()}s follows their instance count on each node.
 *
 * <p>Vert.x 5 weighs a node by (its registrations of the address − 1): with one instance on node A and two on node
 * B, A receives nothing (docs/adr/0003). So each node adds one extra registration per balanced address — the
 * <em>ballast</em> — making a node's weight equal its instance count. Messages the ballast receives are handed to
 * one of the node's own instances through a node-local twin address; the others reach an instance directly.
 *
 * <p>Only for point-to-point addresses: a publish would reach the ballast too, so the ballast ignores publishes.
 */
public final class BalancedConsumers {

    /** The ballast's own reply wait; the original sender's timeout is what the caller sees. */
    private static final long FORWARD_TIMEOUT_MS = 120_000;

    private final EventBus bus;
    private final Context ballastContext;
    private final Map<String, Ballast> ballasts = new HashMap<>();

    /** Create once per node, from a non-Vert.x thread (the launcher), so the ballasts get their own event loop. */
    public BalancedConsumers(Vertx vertx) {
        this.bus = vertx.eventBus();
        this.ballastContext = vertx.getOrCreateContext();
    }

    /** The node-local twin of a balanced address. */
    public static String localAddress(String address) {
        return address + ".node-local";
    }

    /**
     * Registers one instance's handler, from the instance's own context.
     *
     * @return the registration, completed once the cluster knows about it; unregister it in the verticle's stop()
     */
    public <T> Future<Registration> register(String address, Handler<Message<T>> handler) {
        MessageConsumer<T> direct = bus.consumer(address, handler);
        MessageConsumer<T> local = bus.localConsumer(localAddress(address), handler);
        return Future.all(direct.completion(), local.completion(), acquireBallast(address))
                .map(done -> new Registration(address, direct, local));
    }

    private synchronized Future<Void> acquireBallast(String address) {
        Ballast ballast = ballasts.computeIfAbsent(address, Ballast::new);
        ballast.instances++;
        if (ballast.instances == 1) ballast.start();
        return ballast.registered.future();
    }

    private synchronized Future<Void> releaseBallast(String address) {
        Ballast ballast = ballasts.get(address);
        if (ballast == null) return Future.succeededFuture();
        ballast.instances--;
        if (ballast.instances > 0) return Future.succeededFuture();
        ballasts.remove(address);
        return ballast.stop();
    }

    /** One instance's handler on a balanced address. */
    public final class Registration {
        private final String address;
        private final MessageConsumer<?> direct;
        private final MessageConsumer<?> local;
        private boolean unregistered;

        private Registration(String address, MessageConsumer<?> direct, MessageConsumer<?> local) {
            this.address = address;
            this.direct = direct;
            this.local = local;
        }

        public Future<Void> unregister() {
            synchronized (this) {
                if (unregistered) return Future.succeededFuture();
                unregistered = true;
            }
            return Future.all(direct.unregister(), local.unregister(), releaseBallast(address))
                    .mapEmpty();
        }
    }

    private final class Ballast {
        final String address;
        final Promise<Void> registered = Promise.promise();
        int instances;
        MessageConsumer<Object> consumer;

        Ballast(String address) {
            this.address = address;
        }

        void start() {
            ballastContext.runOnContext(v -> {
                consumer = bus.consumer(address, this::handToLocalInstance);
                consumer.completion().onComplete(registered);
            });
        }

        Future<Void> stop() {
            Promise<Void> stopped = Promise.promise();
            ballastContext.runOnContext(v ->
                    registered.future().compose(done -> consumer.unregister()).onComplete(stopped));
            return stopped.future();
        }

        private void handToLocalInstance(Message<Object> message) {
            if (!message.isSend()) return;
            var options = new DeliveryOptions()
                    .setHeaders(message.headers())
                    .setLocalOnly(true)
                    .setSendTimeout(FORWARD_TIMEOUT_MS);
            String target = localAddress(address);
            if (message.replyAddress() == null) {
                bus.send(target, message.body(), options);
                return;
            }
            bus.request(target, message.body(), options).onComplete(reply -> {
                if (reply.succeeded()) {
                    message.reply(
                            reply.result().body(),
                            new DeliveryOptions().setHeaders(reply.result().headers()));
                } else if (reply.cause() instanceof ReplyException refusal
                        && refusal.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                    message.fail(refusal.failureCode(), refusal.getMessage());
                } else {
                    // The node's instances went away (undeploy, rescale) or did not answer: say so in catalog terms.
                    ErrorCode code = reply.cause() instanceof ReplyException silent
                                    && silent.failureType() == ReplyFailure.TIMEOUT
                            ? ErrorCode.TIMEOUT
                            : ErrorCode.SERVICE_UNAVAILABLE;
                    message.fail(code.httpStatus(), code.toJson(null).encode());
                }
            });
        }
    }
}
