package io.vertable.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A persistence instance that is stopped (a rolling update's SIGTERM) answers the requests it already took before its
 * pool closes: a room owner elsewhere must not hear "database unreachable" for an append that was going fine.
 */
class PersistenceShutdownTest {

    @Test
    void aRequestTakenBeforeTheStopIsAnsweredNotCutOff() throws Exception {
        PgUrl database = TestStorage.freshDatabase("persistence-stop");
        Node node = Node.start(TestNodes.config(TestNodes.standalone("stopping", "http:1,persistence:1", database)));
        Table table = Table.create(new Rest(node.httpPort()), "Stopping");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger persistenceLog = (Logger) LoggerFactory.getLogger(PersistenceVerticle.class);
        persistenceLog.addAppender(log);
        Thread stopping = new Thread(node::shutdown, "node-shutdown");
        try (Connection blocker = TestStorage.jdbc(database)) {
            long next = lastSeq(blocker, table.roomId()) + 1;
            // The append is taken, opens its transaction and then waits on the room's row, as a slow append does.
            blocker.setAutoCommit(false);
            try (var lock = blocker.prepareStatement("SELECT 1 FROM rooms WHERE id = ? FOR UPDATE")) {
                lock.setString(1, table.roomId());
                lock.executeQuery().close();
            }
            Future<Message<JsonObject>> answer = node.vertx()
                    .eventBus()
                    .request(
                            Addresses.PERSIST_EVENTS,
                            new JsonObject()
                                    .put("op", "append")
                                    .put("roomId", table.roomId())
                                    .put(
                                            "events",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("seq", next)
                                                            .put("type", "scene.created")
                                                            .put("actor", table.gmId())
                                                            .put("ts", System.currentTimeMillis())
                                                            .put("audience", "all")
                                                            .put("data", new JsonObject().put("name", "Late"))
                                                            .put("cid", "late-append"))),
                            new DeliveryOptions().setSendTimeout(60_000));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnALock(blocker));

            stopping.start();
            // The instance has withdrawn (and, the old way, is closing its pool under the request) or says it waits.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> answer.isComplete()
                            || withdrawn(node)
                            || log.list.stream().anyMatch(e -> e.getFormattedMessage()
                                    .startsWith("persistence finishing requests")));
            blocker.rollback();

            Message<JsonObject> reply =
                    answer.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply.body().getLong("seq")).isEqualTo(next);
            assertThat(lastSeq(blocker, table.roomId())).as("stored").isEqualTo(next);
        } finally {
            persistenceLog.detachAppender(log);
            if (stopping.isAlive() || stopping.getState() != Thread.State.NEW) stopping.join(60_000);
            else node.shutdown();
        }
    }

    private static boolean withdrawn(Node node) {
        Future<Message<Object>> ping = node.vertx()
                .eventBus()
                .request(Addresses.PERSIST_PING, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000));
        try {
            ping.toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            return false;
        } catch (Exception e) {
            return e.getCause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
        }
    }

    private static long lastSeq(Connection c, String roomId) throws Exception {
        try (var query = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM events WHERE room_id = ?")) {
            query.setString(1, roomId);
            try (var rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean waitingOnALock(Connection c) throws Exception {
        try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
