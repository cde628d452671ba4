package io.vertable.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertable.kit.NodeMeters;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestNodes.TestCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Room claims held to their own deadline, on two real Hazelcast members on loopback. A Hazelcast call is made to hang
 * for real the way it hangs in production when a node's worker pool is full: Vert.x runs lock attempts, a record's
 * erasure and the registration and removal of event-bus addresses on the worker pool, and member {@code stuck}'s only
 * worker thread is kept busy by the test until it lets go. Member {@code other} works normally. Waits are bounded far
 * above the claim's own deadlines (about 0.75 s for the lock and record, 1 s for the addresses), so only a claim that
 * waits on Hazelcast without bound fails them.
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

    @Test
    void aClaimWhoseAddressesDoNotRegisterFailsByItsDeadlineAndLeavesNoAddressBehind() throws Exception {
        String room = room();
        Ownership ownership = within(on(onStuck, () -> Ownership.take(stuck, room, "stuck/claim", WAIT_MS)));
        RoomOwner owner = ownerOf(stuck, room, ownership);
        AtomicInteger steppedDown = new AtomicInteger();
        CountDownLatch gate = occupyTheWorkerOf(stuck);
        try {
            // Registering an address is a Hazelcast call on the worker pool: it waits for the busy worker.
            Future<RoomOwner> served = on(onStuck, owner::serve);

            assertThatThrownBy(() -> within(served))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat(owner.active()).isFalse();
            assertThat(stuck.sharedData().getLocalMap(Ownership.LOCAL_HOLDERS).containsKey(room))
                    .isFalse();
            // Let go while the registrations still wait: the room is free for the next claim.
            theOtherMemberCanTakeAndLeave(room);
        } finally {
            gate.countDown();
        }

        // The registrations now run late, and the removals queued after them: no address of the room stays.
        noAddressOfTheRoomStays(room);
        await().atMost(BOUND).until(() -> failureOf(other, Addresses.roomOwner(room)) == ReplyFailure.NO_HANDLERS);

        // A later claim serves the room: its addresses register and answer (a command without a member is refused).
        Ownership taken = await().atMost(BOUND)
                .until(() -> tryToTake(onOther, other, room, "other/owner"), java.util.Objects::nonNull);
        RoomOwner successor = ownerOf(other, room, taken, steppedDown::incrementAndGet);
        within(on(onOther, successor::serve));
        await().atMost(BOUND)
                .until(() -> failureOf(stuck, Addresses.roomOwner(room)) == ReplyFailure.RECIPIENT_FAILURE);
        within(on(onOther, successor::stepDown));
        assertThat(steppedDown).hasValue(1);
    }

    @Test
    void anOwnerWhoseAddressesDoNotUnregisterStillStepsDownByItsDeadline() throws Exception {
        String room = room();
        Ownership ownership = within(on(onStuck, () -> Ownership.take(stuck, room, "stuck/owner", WAIT_MS)));
        AtomicInteger steppedDown = new AtomicInteger();
        RoomOwner owner = ownerOf(stuck, room, ownership, steppedDown::incrementAndGet);
        within(on(onStuck, owner::serve));
        CountDownLatch gate = occupyTheWorkerOf(stuck);
        try {
            // The removals wait for the busy worker; the owner lets go anyway, and its instance hears it once.
            within(on(onStuck, owner::stepDown));
            assertThat(steppedDown).hasValue(1);
            theOtherMemberCanTakeAndLeave(room);
        } finally {
            gate.countDown();
        }

        noAddressOfTheRoomStays(room);
    }

    /** The other member takes the room (within the bound) and lets it go again. */
    private void theOtherMemberCanTakeAndLeave(String room) throws Exception {
        Ownership next = await().atMost(BOUND)
                .until(() -> tryToTake(onOther, other, room, "other/next"), java.util.Objects::nonNull);
        within(on(onOther, next::letGo));
    }

    /** Once the stuck member's queued registrations and removals ran, none of the room's addresses is registered. */
    private void noAddressOfTheRoomStays(String room) throws Exception {
        drainRegistrationsOf(stuck, onStuck);
        for (String address : addressesOf(room)) {
            assertThat(registrations(address)).as(address).isEmpty();
        }
    }

    private static RoomOwner ownerOf(Vertx vertx, String room, Ownership ownership) {
        return ownerOf(vertx, room, ownership, () -> {});
    }

    /** An owner of an empty room (what a load finds for a room with no events), as the claim builds it. */
    private static RoomOwner ownerOf(Vertx vertx, String room, Ownership ownership, Runnable onStepDown) {
        return new RoomOwner(
                vertx,
                room,
                ownership.holder(),
                ownership,
                new DiceSeeds(new byte[32]),
                new NodeMeters(new SimpleMeterRegistry()),
                RoomReducer.empty(room),
                onStepDown);
    }

    private static List<String> addressesOf(String room) {
        return List.of(
                Addresses.roomOwner(room),
                Addresses.roomPost(room),
                Addresses.roomQuery(room),
                Addresses.roomLive(room));
    }

    /**
     * Waits until every registration and removal made from {@code context} so far has reached the cluster: the cluster
     * manager queues them in order per context, so a probe's registration and removal from it come after them.
     */
    private static void drainRegistrationsOf(Vertx vertx, Context context) throws Exception {
        within(on(context, () -> {
            MessageConsumer<Object> probe = vertx.eventBus().consumer("probe-" + UUID.randomUUID(), m -> {});
            return probe.completion().compose(registered -> probe.unregister());
        }));
    }

    /** What the cluster's subscription map holds for {@code address}, read from the member that works. */
    private static List<RegistrationInfo> registrations(String address) throws Exception {
        Promise<List<RegistrationInfo>> found = Promise.promise();
        onOther.runOnContext(v -> clusterManager(other).getRegistrations(address, found));
        return within(found.future());
    }

    /** How a request from {@code vertx} to {@code address} fails (null: it was answered). */
    private static ReplyFailure failureOf(Vertx vertx, String address) throws Exception {
        Future<Object> answer = vertx.eventBus()
                .request(address, new JsonObject().put("op", "join"), new DeliveryOptions().setSendTimeout(5_000))
                .map(reply -> reply.body());
        try {
            within(answer);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof ReplyException reply ? reply.failureType() : null;
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
