package io.vertable.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operation held to its own deadline: promises the test completes (or never completes) stand for cluster calls
 * that answer in time, late, or not at all. Deadlines are short and the bounds the test waits with are long, so a
 * busy machine changes nothing but the waiting.
 */
class BoundedTest {

    private static final long DEADLINE_MS = 100;
    private static final long WAIT_S = 10;

    static Vertx vertx;
    /** Where the operations complete, as a verticle's cluster calls complete on its context. */
    static ContextInternal context;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        context = (ContextInternal) vertx.getOrCreateContext();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void anAnswerInTimeIsTheOutcomeAndNothingIsHandedBack() throws Exception {
        Promise<String> operation = contextPromise();
        List<String> late = new CopyOnWriteArrayList<>();
        Future<String> bounded = onContext(() -> Bounded.within(operation.future(), 60_000, late::add));

        operation.complete("lock");

        assertThat(outcome(bounded)).isEqualTo("lock");
        assertThat(late).isEmpty();
    }

    @Test
    void aFailureInTimeIsTheOutcomeAndNotAnOverrun() {
        Promise<String> operation = contextPromise();
        Future<String> bounded = onContext(() -> Bounded.within(operation.future(), 60_000, ignored -> {}));

        operation.fail(new IllegalStateException("refused"));

        assertThatThrownBy(() -> outcome(bounded))
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused")
                .satisfies(e -> assertThat(Bounded.overran(e.getCause())).isFalse());
    }

    @Test
    void anOperationThatNeverAnswersFailsAtTheDeadline() {
        Promise<String> operation = contextPromise();
        Future<String> bounded = onContext(() -> Bounded.within(operation.future(), DEADLINE_MS, ignored -> {}));

        assertThatThrownBy(() -> outcome(bounded))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(Bounded.overran(e.getCause())).isTrue());
        assertThat(operation.future().isComplete()).isFalse();
    }

    @Test
    void aSuccessAfterTheDeadlineIsHandedBackOnce() {
        Promise<String> operation = contextPromise();
        List<String> late = new CopyOnWriteArrayList<>();
        Future<String> bounded = onContext(() -> Bounded.within(operation.future(), DEADLINE_MS, late::add));
        assertThatThrownBy(() -> outcome(bounded))
                .satisfies(e -> assertThat(Bounded.overran(e.getCause())).isTrue());
        assertThat(late).isEmpty();

        operation.complete("late lock");

        await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> !late.isEmpty());
        assertThat(late).containsExactly("late lock");
        assertThat(bounded.failed()).isTrue();
    }

    @Test
    void aFailureAfterTheDeadlineHandsNothingBack() throws Exception {
        Promise<String> operation = contextPromise();
        List<String> late = new CopyOnWriteArrayList<>();
        Future<String> bounded = onContext(() -> Bounded.within(operation.future(), DEADLINE_MS, late::add));
        assertThatThrownBy(() -> outcome(bounded))
                .satisfies(e -> assertThat(Bounded.overran(e.getCause())).isTrue());

        operation.fail(new IllegalStateException("refused late"));
        // Whatever the operation's listeners do runs after this marker's: wait for the marker, then look.
        Promise<Void> marker = Promise.promise();
        operation.future().onComplete(done -> marker.complete());
        marker.future().toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);

        assertThat(late).isEmpty();
    }

    /** Before, at and after a deadline of 5 ms: on one event loop the last ones always come after its timer. */
    private static final long[] ANSWER_MS = {1, 5, 50};

    /** Many racing endings: every success is either the outcome or handed back, never both, never neither. */
    @Test
    void aSuccessRacingTheDeadlineIsNeverLostNorDoubled() throws Exception {
        int rounds = 200;
        List<String> late = new CopyOnWriteArrayList<>();
        List<Future<String>> outcomes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Promise<String> operation = contextPromise();
            String value = "lock-" + i;
            long answerMs = ANSWER_MS[i % ANSWER_MS.length];
            outcomes.add(onContext(() -> {
                Future<String> bounded = Bounded.within(operation.future(), 5, late::add);
                vertx.setTimer(answerMs, id -> operation.complete(value));
                return bounded;
            }));
        }
        Future.join(outcomes)
                .otherwiseEmpty()
                .toCompletionStage()
                .toCompletableFuture()
                .get(WAIT_S, TimeUnit.SECONDS);
        long inTime = outcomes.stream().filter(Future::succeeded).count();
        await().atMost(Duration.ofSeconds(WAIT_S)).until(() -> inTime + late.size() == rounds);
        List<String> all = new java.util.ArrayList<>(late);
        outcomes.stream().filter(Future::succeeded).forEach(f -> all.add(f.result()));
        assertThat(all)
                .as("%d in time, %d handed back", inTime, late.size())
                .doesNotHaveDuplicates()
                .hasSize(rounds);
    }

    /** A promise of the context, as a cluster call's future is. */
    private static <T> Promise<T> contextPromise() {
        return context.promise();
    }

    private static <T> Future<T> onContext(Supplier<Future<T>> action) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(result));
        return result.future();
    }

    private static <T> T outcome(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
    }
}
