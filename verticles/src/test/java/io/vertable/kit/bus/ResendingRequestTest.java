package io.vertable.kit.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request sent again around a member's loss, where any answer of a handler settles it (a room claim: a second claim
 * is shared or refused). A handler that never answers its first request stands for an instance on a dead member.
 */
class ResendingRequestTest {

    static final String ADDRESS = "test.claims";
    static final long TIMEOUT_MS = 6_000;

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

    @Test
    void aRefusalOfTheRequestSentAgainAnswersWithoutWaitingForTheLostOne() throws Exception {
        AtomicInteger handed = new AtomicInteger();
        vertx.eventBus()
                .<JsonObject>consumer(ADDRESS, claim -> {
                    if (handed.incrementAndGet() > 1) claim.fail(503, "owned elsewhere");
                })
                .completion()
                .await();
        Departures.of(vertx.eventBus()).memberLost("dead-member");
        // After the loss's own wake-ups, as a claim made when a forward to the dead owner failed.
        AtomicLong sentAt = new AtomicLong();
        Future<Message<JsonObject>> claimed = Future.future(answer -> vertx.setTimer(2_000, id -> {
            sentAt.set(System.nanoTime());
            Departures.of(vertx.eventBus())
                    .<JsonObject>requestResending(
                            ADDRESS,
                            new JsonObject().put("room", "r1"),
                            new DeliveryOptions().setSendTimeout(TIMEOUT_MS),
                            Departures::refusedByHandler)
                    .onComplete(answer);
        }));

        Throwable refused = claimed.transform(Future::succeededFuture)
                .await(20, TimeUnit.SECONDS)
                .cause();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt.get());

        assertThat(refused).isInstanceOf(ReplyException.class).hasMessage("owned elsewhere");
        assertThat(tookMs)
                .as("settled by the second send's refusal, not the first's timeout")
                .isLessThan(TIMEOUT_MS - 2_000);
    }
}
