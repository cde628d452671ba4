package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Player;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that missed a stretch of a busy room asks for it with {@code sync} and gets it in one reply, far larger than
 * any single event. The test clients must take such a reply as a browser does: one that drops its socket instead
 * reconnects and asks the same question again, for ever (that was RollingUpdateIT's flake).
 */
class LongAbsenceSyncTest {

    /** Moves missed: their GM events are ~450 bytes each, so the reply is well over 64 KB. */
    static final int MISSED = 300;

    static PgUrl database;
    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("long-absence");
        JsonObject overrides = TestNodes.standalone("absence-node", "http:1,bridge:1,persistence:1,map:1", database);
        overrides.mergeIn(TestNodes.generousBridgeLimits(), true); // one socket moves a token hundreds of times
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    @Test
    void aSyncAfterHundredsOfMissedEventsArrivesWholeAndTheSocketStaysOpen() {
        Table table = Table.create(rest, "Absence");
        try (Player gm = Player.gm(node, table);
                BridgeClient away = BridgeClient.open(node.vertx(), node.bridgePort(), table.gmToken())) {
            gm.join();
            gm.map("scene.create", new JsonObject().put("name", "Road"));
            String token = gm.createTokenOnActiveScene("Cart");
            long lastSeen =
                    gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join")).getLong("seq");
            for (int x = 1; x <= MISSED; x++) {
                gm.ok(
                        Addresses.IN_MAP,
                        new JsonObject()
                                .put("op", "token.move")
                                .put("tokenId", token)
                                .put("x", x)
                                .put("y", 0));
            }

            String reply = away.request(
                    Addresses.IN_ROOM,
                    new JsonObject().put("op", "sync").put("since", lastSeen).put("room", table.roomId()));
            JsonObject answer;
            try {
                answer = away.await(frame -> reply.equals(frame.getString("address")), Duration.ofSeconds(30));
            } catch (AssertionError none) {
                throw new AssertionError("no sync reply; the socket " + away.closeReason(), none);
            }

            assertThat(answer.getJsonObject("body").getJsonArray("events"))
                    .as("every missed event")
                    .hasSize(MISSED);
            assertThat(answer.encode().length())
                    .as("a reply larger than one default frame")
                    .isGreaterThan(64 * 1024);
            assertThat(away.isClosed())
                    .as("the socket that asked is still open")
                    .isFalse();
        }
    }
}
