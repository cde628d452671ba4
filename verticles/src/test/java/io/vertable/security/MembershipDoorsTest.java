package io.vertable.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both doors — REST and the bridge — answer alike for each standing in a room: the same person, reading the room (its
 * chat, its live stream) and acting in it (keeping a character), gets the same code at either door.
 */
class MembershipDoorsTest {

    static Node node;
    static Vertx vertx;
    static Rest rest;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(TestNodes.standalone(
                "doors-1", "http:1,bridge:1,persistence:1,chat:1,dice:1", TestStorage.freshDatabase("doors"))));
        vertx = node.vertx();
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    private static final String OK = "OK";

    /** Who knocks, and what each door must answer them when they read and when they act. */
    enum Standing {
        PLAYER(table -> table.join("Pip", "PLAYER"), OK, OK),
        OBSERVER(table -> table.join("Oona", "OBSERVER"), OK, "FORBIDDEN"),
        BANNED(table -> removed(table, true), "BANNED", "BANNED"),
        KICKED(table -> removed(table, false), "NOT_A_MEMBER", "NOT_A_MEMBER"),
        STRANGER(table -> stranger(), "NOT_A_MEMBER", "NOT_A_MEMBER");

        final Function<Table, JsonObject> session;
        final String reading;
        final String acting;

        Standing(Function<Table, JsonObject> session, String reading, String acting) {
            this.session = session;
            this.reading = reading;
            this.acting = acting;
        }
    }

    @ParameterizedTest
    @EnumSource(Standing.class)
    void bothDoorsAnswerAlike(Standing standing) {
        Table table = Table.create(rest, "Doors " + standing);
        String token = standing.session.apply(table).getString("token");
        String room = table.roomId();

        String restRead = restOutcome(rest.get("/api/rooms/" + room + "/chat", token));
        String restAct = restOutcome(
                rest.post("/api/rooms/" + room + "/characters", token, new JsonObject().put("name", "Vex")));
        try (BridgeClient bridge = BridgeClient.open(vertx, node.bridgePort(), token)) {
            String bridgeRead = bridgeOutcome(
                    bridge,
                    Addresses.IN_CHAT,
                    new JsonObject().put("op", "history").put("room", room));
            String bridgeListen = listenOutcome(bridge, Addresses.room(room));
            String bridgeAct = bridgeOutcome(
                    bridge,
                    Addresses.IN_DICE,
                    new JsonObject()
                            .put("op", "character.create")
                            .put("room", room)
                            .put("name", "Vex"));

            assertThat(List.of(restRead, bridgeRead, bridgeListen))
                    .as("reading, over REST, bridge send and bridge register")
                    .containsOnly(standing.reading);
            assertThat(List.of(restAct, bridgeAct))
                    .as("acting, over REST and the bridge")
                    .containsOnly(standing.acting);
        }
    }

    // ---- standings ----

    /** A player who joined and was then kicked, or banned, by the GM. */
    private static JsonObject removed(Table table, boolean ban) {
        JsonObject session = table.join(ban ? "Bea" : "Kip", "PLAYER");
        var removed = rest.delete(
                "/api/rooms/" + table.roomId() + "/members/" + Table.userId(session) + (ban ? "?ban=true" : ""),
                table.gmToken());
        assertThat(removed.status()).as(removed.body().encode()).isEqualTo(200);
        return session;
    }

    /** Someone with an account who never joined: the GM of another room. */
    private static JsonObject stranger() {
        return new JsonObject().put("token", Table.create(rest, "Elsewhere").gmToken());
    }

    // ---- outcomes: "OK" or the catalog code ----

    private static String restOutcome(Rest.Reply reply) {
        return reply.status() / 100 == 2 ? OK : reply.code();
    }

    private static String bridgeOutcome(BridgeClient bridge, String address, JsonObject body) {
        String replyAddress = bridge.request(address, body);
        JsonObject answer = bridge.await(frame -> replyAddress.equals(frame.getString("address")));
        return "err".equals(answer.getString("type"))
                ? BridgeClient.errorBody(answer).getString("code")
                : OK;
    }

    /**
     * A register is answered only when refused; so until an answer comes, something is published on the stream: a
     * socket that was let in receives it.
     */
    private static String listenOutcome(BridgeClient bridge, String stream) {
        bridge.register(stream);
        long probe =
                vertx.setPeriodic(100, id -> vertx.eventBus().publish(stream, new JsonObject().put("probe", true)));
        try {
            JsonObject first = bridge.await(
                    frame -> stream.equals(frame.getString("address"))
                            && ("err".equals(frame.getString("type")) || "rec".equals(frame.getString("type"))),
                    Duration.ofSeconds(10));
            return "err".equals(first.getString("type"))
                    ? BridgeClient.errorBody(first).getString("code")
                    : OK;
        } finally {
            vertx.cancelTimer(probe);
        }
    }
}
