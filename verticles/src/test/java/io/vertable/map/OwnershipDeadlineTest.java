package io.vertable.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Room claims held to their own deadline, on two real Hazelcast members on loopback. A Hazelcast call is made to hang
 * for real the way it hangs in production when a node's worker pool is full: Vert.x runs lock attempts (and a
 * record's erasure) on the worker pool, and member {@code stuck}'s only worker thread is kept busy by the test until
 * it lets go. Member {@code other} works normally. Waits are bounded far above the claim's own deadline (about
 * 0.75 s), so only a claim that waits on Hazelcast without bound fails them.
 */
class OwnershipDeadlineTest {

    private static final long WAIT_MS = 250;
    private static final Duration BOUND = Duration.ofSeconds(15);

    static Vertx other;
    static Vertx stuck;
    static Context onOther;
    static Context onStuck;

    @BeforeAll
    static void startMembers() throws Exception {
        TestCluster cluster = TestCluster.create(2);
        other = member(cluster, 0, VertxOptions.DEFAULT_WORKER_POOL_SIZE);
        stuck = member(cluster, 1, 1);
        onOther = other.getOrCreateContext();
        onStuck = stuck.getOrCreateContext();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> clusterManager(other).getNodes().size() == 2);
    }

    @AfterAll
    static void stopMembers() {
        for (Vertx vertx : new Vertx[] {stuck, other})
            if (vertx != null) vertx.close().await();
    }

    @Test
    void aClaimWhoseLockAttemptHangsFailsByItsDeadlineAndTheLateLockIsReleased() throws Exception {
        String room = room();
        CountDownLatch gate = occupyTheWorkerOf(stuck);
        try {
            Future<Ownership> claim = on(onStuck, () -> Ownership.take(stuck, room, "stuck/claim", WAIT_MS));

            assertThatThrownBy(() -> within(claim)).isInstanceOf(ExecutionException.class);
            assertThat(stuck.sharedData().getLocalMap(Ownership.LOCAL_HOLDERS).containsKey(room))
                    .isFalse();
        } finally {
            // The attempt queued behind the busy worker now runs, and takes the free lock after the claim gave up.
            gate.countDown();
        }

        // Left taken, the late lock would refuse every other claim for as long as the member lives.
        Ownership taken = await().atMost(BOUND)
                .until(() -> tryToTake(onOther, other, room, "other/claim"), java.util.Objects::nonNull);
        assertThat(taken.takenOver()).as("the late claim left no record").isFalse();
        assertThat(stuck.sharedData().getLocalMap(Ownership.LOCAL_HOLDERS).containsKey(room))
                .isFalse();
        within(on(onOther, taken::letGo));
    }

    @Test
    void aClaimOfARoomHeldElsewhereFailsByItsDeadlineAndLeavesNothingBehind() throws Exception {
        String room = room();
        Ownership held = within(on(onOther, () -> Ownership.take(other, room, "other/owner", WAIT_MS)));

        Future<Ownership> claim = on(onStuck, () -> Ownership.take(stuck, room, "stuck/claim", WAIT_MS));

        assertThatThrownBy(() -> within(claim)).isInstanceOf(ExecutionException.class);
        assertThat(stuck.sharedData().getLocalMap(Ownership.LOCAL_HOLDERS).containsKey(room))
                .isFalse();
        assertThat(recordOf(room)).isEqualTo("other/owner");

        within(on(onOther, held::letGo));
        Ownership next = await().atMost(BOUND)
                .until(() -> tryToTake(onStuck, stuck, room, "stuck/next"), java.util.Objects::nonNull);
        assertThat(next.takenOver()).as("the previous owner let go").isFalse();
        within(on(onStuck, next::letGo));
        assertThat(recordOf(room)).isNull();
    }

    @Test
    void anOwnerWhoseRecordErasureHangsStillFreesTheLockByItsDeadline() throws Exception {
        String room = room();
        Ownership owned = within(on(onStuck, () -> Ownership.take(stuck, room, "stuck/owner", WAIT_MS)));
        CountDownLatch gate = occupyTheWorkerOf(stuck);
        try {
            within(on(onStuck, owned::letGo));
            assertThat(stuck.sharedData().getLocalMap(Ownership.LOCAL_HOLDERS).containsKey(room))
                    .isFalse();

            // Free while the erasure still waits for a worker: the next owner finds the record, counted as a failover.
            Ownership next = await().atMost(BOUND)
                    .until(() -> tryToTake(onOther, other, room, "other/next"), java.util.Objects::nonNull);
            assertThat(next.takenOver()).isTrue();
            within(on(onOther, next::letGo));
        } finally {
            gate.countDown();
        }
    }

    /** Keeps the member's only worker thread busy until the returned gate opens. */
    private static CountDownLatch occupyTheWorkerOf(Vertx vertx) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        vertx.executeBlocking(() -> {
            busy.countDown();
            return gate.await(2, TimeUnit.MINUTES);
        });
        assertThat(busy.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return gate;
    }

    /** One claim; null when it failed (the caller tries again). */
    private static Ownership tryToTake(Context context, Vertx vertx, String room, String holder) throws Exception {
        Future<Ownership> claim = on(context, () -> Ownership.take(vertx, room, holder, WAIT_MS));
        try {
            return within(claim);
        } catch (ExecutionException refused) {
            return null;
        }
    }

    /** Who the cluster's record says holds the room (null: nobody). */
    private static String recordOf(String room) throws Exception {
        return within(on(onOther, () -> other.sharedData()
                .<String, String>getAsyncMap(Ownership.HOLDERS)
                .compose(holders -> holders.get(room))));
    }

    private static String room() {
        return "room-" + UUID.randomUUID();
    }

    private static <T> Future<T> on(Context context, Supplier<Future<T>> action) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(result));
        return result.future();
    }

    private static <T> T within(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    private static HazelcastClusterManager clusterManager(Vertx vertx) {
        return (HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    }

    /** A member on loopback with the launcher's essentials (TCP-IP join, the tests' heartbeat limit). */
    private static Vertx member(TestCluster cluster, int index, int workers) throws Exception {
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName(cluster.name());
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.logging.type", "slf4j");
        hz.setProperty("hazelcast.socket.bind.any", "false");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(TestNodes.HEARTBEAT_SECONDS));
        hz.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(TestNodes.HEARTBEAT_SECONDS / 5));
        NetworkConfig network = hz.getNetworkConfig();
        network.setPort(cluster.basePort() + index).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).getMembers().clear();
        for (int i = 0; i < cluster.size(); i++)
            join.getTcpIpConfig().addMember("127.0.0.1:" + (cluster.basePort() + i));
        var options = new VertxOptions()
                .setWorkerPoolSize(workers)
                .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
        return Vertx.builder()
                .with(options)
                .withClusterManager(new HazelcastClusterManager(hz))
                .buildClustered()
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }
}
