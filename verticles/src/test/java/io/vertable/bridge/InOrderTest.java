package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A socket's frames act in the order they came, however their decisions finish: in particular when thousands finish
 * ahead of one slow decision (a Redis answer that timed out while later ones, on other pooled connections, came back).
 */
class InOrderTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void thousandsDecidedBehindOneSlowDecisionAllActInOrder() throws Exception {
        int count = 100_000;
        CompletableFuture<List<Integer>> acted = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            InOrder<Integer> inOrder = new InOrder<>();
            List<Integer> order = new ArrayList<>();
            Promise<Integer> slow = Promise.promise();
            for (int i = 0; i < count; i++) {
                Future<Integer> decided = i == 0 ? slow.future() : Future.succeededFuture(i);
                inOrder.add(decided, result -> {
                    order.add(result.result());
                    if (order.size() == count) acted.complete(order);
                });
            }
            // The slow one finishes last, on a later turn of the event loop, as a timed-out Redis answer does.
            vertx.setTimer(10, t -> slow.complete(0));
        });
        List<Integer> order = acted.get(30, TimeUnit.SECONDS);
        assertThat(order).hasSize(count);
        for (int i = 0; i < count; i++) assertThat(order.get(i)).isEqualTo(i);
    }

    @Test
    void aFailedDecisionStillActsInItsTurn() throws Exception {
        CompletableFuture<List<String>> acted = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            InOrder<String> inOrder = new InOrder<>();
            List<String> order = new ArrayList<>();
            Promise<String> first = Promise.promise();
            inOrder.add(first.future(), result -> order.add("first:" + result.succeeded()));
            inOrder.add(Future.failedFuture("refused"), result -> order.add("second:" + result.succeeded()));
            inOrder.add(Future.succeededFuture("ok"), result -> {
                order.add("third:" + result.succeeded());
                acted.complete(order);
            });
            vertx.setTimer(10, t -> first.complete("ok"));
        });
        assertThat(acted.get(10, TimeUnit.SECONDS)).containsExactly("first:true", "second:false", "third:true");
    }
}
