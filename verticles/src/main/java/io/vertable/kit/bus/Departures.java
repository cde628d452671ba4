package io.vertable.kit.bus;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a sender learns that the service it is waiting on stopped answering, instead of waiting out its timeout.
 *
 * <p>A clustered request that reaches a node after the consumer there is gone is dropped without a reply: Vert.x
 * answers "no handlers" only to local senders. In a handover or a rolling restart that happens to requests already on
 * the wire and to requests sent by nodes whose view of the cluster's registrations is a few milliseconds old; each
 * such sender waited its full timeout (4–5 s). So a service that stops answering an address says so on
 * {@link Addresses#DEPARTURES} (once it is gone, and once more a moment later for senders whose view was late), and
 * every sender still waiting on that address sends again at once; command ids and fenced appends make that safe.
 */
public final class Departures {

    private static final Logger LOG = LoggerFactory.getLogger(Departures.class);
    /** The second notice: for requests sent by nodes that still saw the old registration after the first one. */
    static final long LATE_NOTICE_MS = 500;

    /** Per node (a test JVM runs several); removed by {@link #forget} when the node stops. */
    private static final Map<EventBus, Departures> NODES = new ConcurrentHashMap<>();

    private final Vertx vertx;
    private final EventBus bus;
    /** The listener's own event loop: the late notice's timer must outlive a verticle that announced and stopped. */
    private final Context own;

    private final Map<String, Set<Watch>> watching = new ConcurrentHashMap<>();
    /** The event bus's view of the cluster's registrations; never updated on a bus that is not clustered. */
    private final Routes routes;

    private Departures(Vertx vertx, EventBus bus, Context own, Routes routes) {
        this.vertx = vertx;
        this.bus = bus;
        this.own = own;
        this.routes = routes;
        routes.onChange(this::routesChanged);
    }

    /**
     * Starts listening for this node; call once, from the launcher (a plain thread), so the listener has an event
     * loop of its own and outlives the verticles that come and go.
     */
    public static Future<Void> listen(Vertx vertx) {
        return listen(vertx, new Routes());
    }

    /** As {@link #listen(Vertx)}, for a clustered node whose cluster manager reports its registrations to {@code routes}. */
    public static Future<Void> listen(Vertx vertx, Routes routes) {
        Context own = vertx.getOrCreateContext();
        Departures departures = new Departures(vertx, vertx.eventBus(), own, routes);
        NODES.put(vertx.eventBus(), departures);
        return Future.future(started -> own.runOnContext(v -> vertx.eventBus()
                .<JsonObject>consumer(Addresses.DEPARTURES, departures::noticed)
                .completion()
                .onComplete(started)));
    }

    /** The node stopped: its registry goes with it. */
    public static void forget(Vertx vertx) {
        NODES.remove(vertx.eventBus());
    }

    /** This node's registry; a bus whose node does not listen (a bare test) gets one that never fires. */
    public static Departures of(EventBus bus) {
        Departures known = NODES.get(bus);
        return known != null ? known : new Departures(null, bus, null, new Routes());
    }

    /**
     * Tells the cluster that {@code addresses} are no longer answered by this node: now, and again after
     * {@link #LATE_NOTICE_MS}.
     */
    public void announce(String nodeId, List<String> addresses) {
        JsonObject notice = new JsonObject().put("node", nodeId).put("addresses", new JsonArray(addresses));
        bus.publish(Addresses.DEPARTURES, notice);
        if (vertx != null)
            own.runOnContext(v -> vertx.setTimer(LATE_NOTICE_MS, id -> bus.publish(Addresses.DEPARTURES, notice)));
    }

    /**
     * Runs {@code onLeft} on the caller's context each time {@code address} is announced gone, until the returned
     * handle is run.
     */
    public Runnable watch(String address, Runnable onLeft) {
        if (vertx == null) return () -> {};
        Watch watch = new Watch(Vertx.currentContext(), onLeft);
        watching.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet()).add(watch);
        return () -> watching.computeIfPresent(address, (a, set) -> {
            set.remove(watch);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Completes once what this node's departures scheduled before the call has run (wakes after a route change run on
     * their own context): for tests that must send only after such a wake.
     */
    Future<Void> settled() {
        if (vertx == null) return Future.succeededFuture();
        Promise<Void> done = Promise.promise();
        own.runOnContext(v -> done.complete());
        return done.future();
    }

    /**
     * A member of the cluster is gone without a word (its JVM was killed): whatever waits on any service may have gone
     * to it, so every watch fires, now and three more times while the cluster drops the member's registrations (until then
     * a resend can still be routed to it).
     */
    public void memberLost(String member) {
        if (vertx == null) return;
        lastLossNanos = System.nanoTime();
        own.runOnContext(v -> {
            LOG.info("cluster member lost member={} resent={}", member, wakeAll());
            for (long delay : AFTER_MEMBER_LOST_MS) vertx.setTimer(delay, id -> wakeAll());
        });
    }

    /**
     * A request whose handler may safely get it twice: sent again each time {@code address} is announced gone while it
     * waits, and, while the cluster may still route to a member lost moments ago, after 0.5, 1.5 and 3 s unanswered.
     * The first success answers, or the first failure {@code decisive} accepts (a handler's refusal, when any answer
     * will do); otherwise it fails once every send has failed.
     */
    public <T> Future<Message<T>> requestResending(
            String address, JsonObject body, DeliveryOptions options, Predicate<Throwable> decisive) {
        Promise<Message<T>> answer = Promise.promise();
        AtomicInteger open = new AtomicInteger(1);
        Handler<AsyncResult<Message<T>>> settle = done -> {
            int stillOpen = open.decrementAndGet();
            if (done.succeeded()) answer.tryComplete(done.result());
            else if (stillOpen == 0 || decisive.test(done.cause())) answer.tryFail(done.cause());
        };
        long started = System.nanoTime();
        AtomicInteger sends = new AtomicInteger(1);
        Runnable sendAgain = () -> {
            if (answer.future().isComplete()) return;
            open.incrementAndGet();
            LOG.info(
                    "call sent again address={} op={} room={} send={} afterMs={} lossAgoMs={}",
                    address,
                    body.getString("op"),
                    body.getString("roomId"),
                    sends.incrementAndGet(),
                    (System.nanoTime() - started) / 1_000_000,
                    lossAgoMs());
            bus.<T>request(address, body.copy(), options).onComplete(settle);
        };
        Runnable unwatch = watch(address, sendAgain);
        Runnable stopResending = resendWhileUnsettled(address, sendAgain);
        bus.<T>request(address, body, options).onComplete(settle);
        return answer.future().andThen(done -> {
            unwatch.run();
            stopResending.run();
            // Which calls were lost for good (not refused), so a slow failover says where its time went.
            if (done.failed() && !refusedByHandler(done.cause()))
                LOG.info(
                        "call failed address={} op={} room={} sends={} afterMs={} lossAgoMs={}: {}",
                        address,
                        body.getString("op"),
                        body.getString("roomId"),
                        sends.get(),
                        (System.nanoTime() - started) / 1_000_000,
                        lossAgoMs(),
                        done.cause().getMessage());
        });
    }

    /** A refusal by the handler itself (not a lost or unanswered send): it settles a request where any answer does. */
    public static boolean refusedByHandler(Throwable e) {
        return e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE;
    }

    /**
     * When the watches fire again after a member was lost: an append sent just before the loss was once still routed
     * to the dead member at 1.5 s, and its owner stepped down on the 5 s store timeout.
     */
    static final long[] AFTER_MEMBER_LOST_MS = {500, 1_500, 3_000};

    /**
     * How long after a member is lost a new call may still be routed to it: the cluster drops a dead member's
     * registrations some time after it noticed the loss, and a call started after the last wake-up (a successor loading
     * the room, then appending) was sent to the dead member and waited its whole timeout.
     */
    static final long UNSETTLED_AFTER_LOSS_MS = 5_000;

    private volatile long lastLossNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    /**
     * For a call that may be sent again: while a member lost moments ago can still be chosen as its recipient (in the
     * first {@link #UNSETTLED_AFTER_LOSS_MS} after a loss this node saw, and for as long as its view of {@code address}
     * still holds a node that is no longer a member, which a node started after the loss sees too), runs {@code resend} on the caller's context after each of {@link #AFTER_MEMBER_LOST_MS} (counted
     * from now) unless the returned handle is run first. At other times it does nothing, so a slow but live service
     * is not sent every call twice.
     */
    Runnable resendWhileUnsettled(String address, Runnable resend) {
        if (vertx == null) return () -> {};
        boolean justLost = System.nanoTime() - lastLossNanos <= UNSETTLED_AFTER_LOSS_MS * 1_000_000;
        if (!justLost && routes.departedIn(address).isEmpty()) return () -> {};
        long[] timers = new long[AFTER_MEMBER_LOST_MS.length];
        for (int i = 0; i < timers.length; i++) timers[i] = vertx.setTimer(AFTER_MEMBER_LOST_MS[i], id -> resend.run());
        return () -> {
            for (long timer : timers) vertx.cancelTimer(timer);
        };
    }

    /**
     * The cluster dropped a departed node's registration of {@code address} from this node's view: whatever waits on
     * it may have gone there, and a send now reaches a live member only.
     */
    private void routesChanged(String address, Set<String> before, Set<String> now) {
        if (vertx == null || before.isEmpty()) return;
        Set<String> dropped = routes.departed(before);
        if (dropped.isEmpty() || dropped.stream().anyMatch(now::contains)) return;
        own.runOnContext(v -> LOG.info(
                "departed node's registration dropped address={} node={} lossAgoMs={} resent={}",
                address,
                dropped,
                lossAgoMs(),
                wake(address)));
    }

    private int wake(String address) {
        Set<Watch> watches = watching.get(address);
        if (watches == null) return 0;
        List<Watch> all = List.copyOf(watches);
        all.forEach(Watch::fire);
        return all.size();
    }

    private long lossAgoMs() {
        return (System.nanoTime() - lastLossNanos) / 1_000_000;
    }

    private int wakeAll() {
        int woken = 0;
        for (Set<Watch> watches : List.copyOf(watching.values())) {
            for (Watch watch : List.copyOf(watches)) {
                watch.fire();
                woken++;
            }
        }
        return woken;
    }

    private void noticed(Message<JsonObject> notice) {
        JsonArray addresses = notice.body().getJsonArray("addresses", new JsonArray());
        int woken = 0;
        for (Object address : addresses) woken += wake(String.valueOf(address));
        if (woken > 0)
            LOG.info(
                    "service departure noticed from={} addresses={} resent={}",
                    notice.body().getString("node"),
                    addresses.size(),
                    woken);
    }

    private record Watch(Context context, Runnable onLeft) {
        void fire() {
            if (context == null) onLeft.run();
            else context.runOnContext(v -> onLeft.run());
        }
    }
}
