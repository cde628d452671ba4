package io.vertable.kit.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.stores.EventsClient;
import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that may be sent again, around the loss of a cluster member: store calls (only a success answers) and room
 * claims (any answer of a handler does). A service on a member that died is stood for by one that never answers the
 * first request it is handed: the cluster can route a request to the dead member's registration until it drops it,
 * and such a request is lost without a reply.
 */
class ResendAroundLossTest {

    static final String CLAIMS = "test.claims";
    static final long CLAIM_TIMEOUT_MS = 6_000;
    /** Past the last wake-up after a loss, within the time new calls are still re-sent. */
    static final long AFTER_THE_WAKE_UPS_MS =
            Departures.AFTER_MEMBER_LOST_MS[Departures.AFTER_MEMBER_LOST_MS.length - 1] + 500;

    Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        Departures.listen(vertx).await();
    }

    @AfterEach
    void stop() {
        Departures.forget(vertx);
        vertx.close().await();
    }

    /** Answers every call but the first after {@code answerAfterMs}; counts what it was handed. */
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

    @Test
    void anAppendStartedJustAfterAMemberWasLostIsSentAgainWhenUnanswered() throws Exception {
        AtomicInteger handed = persistence(true, 1);
        Departures.of(vertx.eventBus()).memberLost("dead-member");
        // After the loss's own wake-ups, as late as a successor that claimed the room and loaded it makes its first
        // append: only a re-send of its own can rescue it (without one, the call fails on the store timeout).
        Future<JsonObject> appended = Future.future(answer -> vertx.setTimer(AFTER_THE_WAKE_UPS_MS, id -> {
            new EventsClient(vertx.eventBus()).append("room-1", oneEvent()).onComplete(answer);
        }));

        JsonObject reply = appended.await(20, TimeUnit.SECONDS);

        storedAfterSends(reply, handed, 2);
    }

    @Test
    void aSlowStoreIsNotSentEveryCallTwiceWhenNoMemberWasLost() throws Exception {
        AtomicInteger handed = persistence(false, 800);

        JsonObject reply =
                new EventsClient(vertx.eventBus()).append("room-1", oneEvent()).await(20, TimeUnit.SECONDS);

        storedAfterSends(reply, handed, 1);
    }

    @Test
    void aRefusalOfTheRequestSentAgainAnswersWithoutWaitingForTheLostOne() throws Exception {
        AtomicInteger handed = new AtomicInteger();
        vertx.eventBus()
                .<JsonObject>consumer(CLAIMS, claim -> {
                    if (handed.incrementAndGet() > 1) claim.fail(503, "owned elsewhere");
                })
                .completion()
                .await();
        Departures.of(vertx.eventBus()).memberLost("dead-member");
        // After the loss's own wake-ups, as a claim made when a forward to the dead owner failed. Without a re-send of
        // its
        // own it fails on its timeout, not with the second instance's refusal.
        Future<Message<JsonObject>> claimed = Future.future(answer -> vertx.setTimer(AFTER_THE_WAKE_UPS_MS, id -> {
            Departures.of(vertx.eventBus())
                    .<JsonObject>requestResending(
                            CLAIMS,
                            new JsonObject().put("room", "r1"),
                            new DeliveryOptions().setSendTimeout(CLAIM_TIMEOUT_MS),
                            Departures::refusedByHandler)
                    .onComplete(answer);
        }));

        Throwable refused = claimed.transform(Future::succeededFuture)
                .await(20, TimeUnit.SECONDS)
                .cause();

        assertThat(refused).isInstanceOf(ReplyException.class).hasMessage("owned elsewhere");
    }

    /**
     * The append was stored, answered with its event's seq, after the store was handed it {@code sends} times: 2 for
     * the lost first call and the one sent again, 1 when nothing had to be sent again.
     */
    static void storedAfterSends(JsonObject reply, AtomicInteger handed, int sends) {
        assertThat(reply.getLong("seq")).isEqualTo(7);
        assertThat(handed.get()).as("calls the store was handed").isEqualTo(sends);
    }
}
