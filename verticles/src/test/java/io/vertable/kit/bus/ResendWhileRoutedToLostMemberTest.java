package io.vertable.kit.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.stores.EventsClient;
import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store calls made after the first seconds that follow a member's loss, while this node's event bus may still route
 * them to the dead member: on a busy host the cluster dropped its registrations only after the successor of a room it
 * owned had loaded the room, and the successor's first append, sent to the dead member and never re-sent, timed out
 * and made it step down. The cluster manager's updates reach {@link Routes} as they reach the event bus; a consumer
 * that never answers the first call it is handed stands for the dead member's registration.
 */
class ResendWhileRoutedToLostMemberTest {

    static final String DEAD = "dead-node";
    static final String LIVE = "live-node";
    /** Past the time after a loss in which every new call is re-sent when unanswered. */
    static final long PAST_THE_UNSETTLED_TIME_MS = Departures.UNSETTLED_AFTER_LOSS_MS + 500;

    Vertx vertx;
    Routes routes;
    /** What the cluster manager calls; here it feeds {@link Routes} only (the local bus needs no view). */
    RegistrationListener clusterView;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        routes = new Routes();
        clusterView = routes.watching(new RegistrationListener() {});
        Departures.listen(vertx, routes).await();
    }

    @AfterEach
    void stop() {
        Departures.forget(vertx);
        vertx.close().await();
    }

    private void viewOfEvents(String... nodes) {
        List<RegistrationInfo> registrations = java.util.Arrays.stream(nodes)
                .map(node -> new RegistrationInfo(node, 1, false))
                .toList();
        clusterView.registrationsUpdated(new RegistrationUpdateEvent(Addresses.PERSIST_EVENTS, registrations));
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

    private static JsonArray oneEvent() {
        return new JsonArray().add(new JsonObject().put("seq", 7).put("type", "token.moved"));
    }

    /** Appends once the first seconds after the loss are over, as a successor that claimed the room late does. */
    private Future<JsonObject> appendPastTheUnsettledTime(Runnable thenMeanwhile) {
        return Future.future(answer -> vertx.setTimer(PAST_THE_UNSETTLED_TIME_MS, id -> {
            new EventsClient(vertx.eventBus()).append("room-1", oneEvent()).onComplete(answer);
            thenMeanwhile.run();
        }));
    }

    @Test
    void aCallIsSentAgainWhileTheViewStillHoldsTheLostMember() throws Exception {
        AtomicInteger handed = persistence(true, 1);
        viewOfEvents(DEAD, LIVE);
        Departures.of(vertx.eventBus()).memberLost("dead-member", DEAD);

        JsonObject reply = appendPastTheUnsettledTime(() -> {}).await(20, TimeUnit.SECONDS);

        assertThat(reply.getLong("seq")).isEqualTo(7);
        assertThat(handed.get())
                .as("the lost first call and the one sent again")
                .isEqualTo(2);
    }

    @Test
    void whatWaitsIsSentAgainWhenTheViewDropsTheLostMember() throws Exception {
        AtomicInteger handed = persistence(true, 1);
        Departures.of(vertx.eventBus()).memberLost("dead-member", DEAD);

        // No update was seen for the address before the call (its view is unknown): only the drop can rescue it.
        JsonObject reply = appendPastTheUnsettledTime(() -> viewOfEvents(LIVE)).await(20, TimeUnit.SECONDS);

        assertThat(reply.getLong("seq")).isEqualTo(7);
        assertThat(handed.get())
                .as("the lost first call and the one sent again")
                .isEqualTo(2);
    }

    @Test
    void aSlowStoreIsNotSentEveryCallTwiceOnceTheViewDroppedTheLostMember() throws Exception {
        AtomicInteger handed = persistence(false, 800);
        viewOfEvents(DEAD, LIVE);
        Departures.of(vertx.eventBus()).memberLost("dead-member", DEAD);
        viewOfEvents(LIVE);

        JsonObject reply = appendPastTheUnsettledTime(() -> {}).await(20, TimeUnit.SECONDS);

        assertThat(reply.getLong("seq")).isEqualTo(7);
        assertThat(handed.get()).isEqualTo(1);
    }
}
