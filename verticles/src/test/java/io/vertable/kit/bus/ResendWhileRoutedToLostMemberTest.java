package io.vertable.kit.bus;

import io.vertable.kit.stores.EventsClient;
import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store calls made while this node's event bus may still route them to a member whose JVM died: the cluster drops
 * the dead member's registrations some time after the member itself, later still on a busy host, and a call made
 * then (by a successor that loaded a room late, or by a node started after the loss, which never saw it) went to the
 * dead member, was never re-sent, timed out, and made the room's owner step down. The cluster manager's answers and
 * updates reach {@link Routes} as they reach the event bus, through the listener and callback it wraps; a consumer
 * that never answers the first call it is handed stands for the dead member's registration.
 */
class ResendWhileRoutedToLostMemberTest {

    static final String DEAD = "dead-node";
    static final String LIVE = "live-node";

    Vertx vertx;
    Routes routes;
    final Set<String> members = ConcurrentHashMap.newKeySet();
    /** What the cluster manager calls; here it feeds {@link Routes} only (the local bus needs no view). */
    RegistrationListener clusterView;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        routes = new Routes();
        routes.membersFrom(() -> members);
        clusterView = routes.watching(new RegistrationListener() {});
        Departures.listen(vertx, routes).await();
    }

    @AfterEach
    void stop() {
        Departures.forget(vertx);
        vertx.close().await();
    }

    private static List<RegistrationInfo> on(String... nodes) {
        return Arrays.stream(nodes)
                .map(node -> new RegistrationInfo(node, 1, false))
                .toList();
    }

    /** The event bus's first look at the store's registrations, as it asks the cluster manager. */
    private void fetchedViewOfEvents(String... nodes) {
        routes.fetching(Addresses.PERSIST_EVENTS, (registrations, failure) -> {})
                .complete(on(nodes), null);
    }

    private void updatedViewOfEvents(String... nodes) {
        clusterView.registrationsUpdated(new RegistrationUpdateEvent(Addresses.PERSIST_EVENTS, on(nodes)));
    }

    /** Answers every call but (when asked) the first after {@code answerAfterMs}; counts what it was handed. */
    private AtomicInteger persistence(boolean dropsTheFirst, long answerAfterMs) {
        AtomicInteger handed = new AtomicInteger();
        vertx.eventBus()
                .<JsonObject>consumer(Addresses.PERSIST_EVENTS, call -> {
                    if (handed.incrementAndGet() == 1 && dropsTheFirst) return;
                    vertx.setTimer(answerAfterMs, id -> call.reply(new JsonObject().put("seq", 7)));
                })
                .completion()
                .await();
        return handed;
    }

    private Future<JsonObject> append() {
        JsonArray events = new JsonArray().add(new JsonObject().put("seq", 7).put("type", "token.moved"));
        return new EventsClient(vertx.eventBus()).append("room-1", events);
    }

    @Test
    void aCallIsSentAgainWhileTheViewStillHoldsANodeThatIsNoLongerAMember() throws Exception {
        AtomicInteger handed = persistence(true, 1);
        members.add(LIVE);
        // A node started after the loss: it never saw the member go, but its view still holds its registration.
        fetchedViewOfEvents(DEAD, LIVE);

        JsonObject reply = append().await(20, TimeUnit.SECONDS);

        ResendAroundLossTest.storedAfterSends(reply, handed, 2);
    }

    @Test
    void whatWaitsIsSentAgainWhenTheViewDropsANodeThatLeft() throws Exception {
        AtomicInteger handed = persistence(true, 1);
        members.addAll(List.of(DEAD, LIVE));
        fetchedViewOfEvents(DEAD, LIVE);
        // Sent while the member still counted as one (no re-sends planned), then it is gone and the cluster drops it.
        Future<JsonObject> appended = append();
        members.remove(DEAD);
        updatedViewOfEvents(LIVE);

        JsonObject reply = appended.await(20, TimeUnit.SECONDS);

        ResendAroundLossTest.storedAfterSends(reply, handed, 2);
    }

    @Test
    void aSlowStoreIsNotSentEveryCallTwiceOnceTheViewDroppedTheNodeThatLeft() throws Exception {
        AtomicInteger handed = persistence(false, 800);
        members.add(LIVE);
        fetchedViewOfEvents(DEAD, LIVE);
        updatedViewOfEvents(LIVE);
        // The view's change wakes what waits at that moment (on the departures' own context): the call comes after.
        Departures.of(vertx.eventBus()).settled().await(20, TimeUnit.SECONDS);

        JsonObject reply = append().await(20, TimeUnit.SECONDS);

        ResendAroundLossTest.storedAfterSends(reply, handed, 1);
    }
}
