package io.vertable.http;

import static io.vertable.testing.BridgeClient.rec;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Rest.Reply;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A room's people and the room itself changing under open sockets: each kind of change closes the person's socket
 * with its own code (so the page can say what happened) — over SockJS, as browsers connect, whose session once dropped
 * the reason when it was closed right after writing it — bans can be lifted, and a GM renames, archives and deletes.
 */
class RoomLifecycleTest {

    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(TestNodes.standalone(
                "lifecycle-1", "http:1,bridge:1,map:1,persistence:1", TestStorage.freshDatabase("lifecycle"))));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    /** A socket of {@code who} that has joined the room (so the bridge knows its membership). */
    static BridgeClient joined(Table table, String token) {
        return joined(table, token, true);
    }

    /** Over SockJS (as the browser connects) or the raw WebSocket endpoint. */
    static BridgeClient joined(Table table, String token, boolean sockJs) {
        BridgeClient client = BridgeClient.connect(node.vertx(), node.bridgePort(), token, null, sockJs)
                .await();
        client.register(Addresses.room(table.roomId()));
        String reply = client.request(
                Addresses.IN_ROOM, new JsonObject().put("room", table.roomId()).put("op", "join"));
        client.await(rec(reply));
        return client;
    }

    static String members(Table table) {
        return "/api/rooms/" + table.roomId() + "/members/";
    }

    @Test
    void aRoleChangeABanAndAKickEachCloseTheSocketWithTheirOwnCode() {
        Table table = Table.create(rest, "Codes");
        JsonObject ann = table.join("Ann", "PLAYER");
        JsonObject bob = table.join("Bob", "PLAYER");
        JsonObject cid = table.join("Cid", "PLAYER");

        try (BridgeClient socket = joined(table, ann.getString("token"))) {
            Reply role = rest.patch(
                    members(table) + Table.userId(ann), table.gmToken(), new JsonObject().put("role", "OBSERVER"));
            assertThat(role.status()).isEqualTo(200);
            JsonObject refusal = socket.awaitRefusal("ROLE_CHANGED");
            assertThat(BridgeClient.errorBody(refusal).getString("message")).contains("observer");
            assertThat(socket.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        // The next socket joins with the new role.
        try (BridgeClient again = joined(table, ann.getString("token"))) {
            assertThat(again.seen().stream()
                            .filter(frame -> frame.getJsonObject("body") != null)
                            .map(frame -> frame.getJsonObject("body").getString("role")))
                    .contains("OBSERVER");
        }
        try (BridgeClient socket = joined(table, bob.getString("token"))) {
            assertThat(rest.delete(members(table) + Table.userId(bob) + "?ban=true", table.gmToken())
                            .status())
                    .isEqualTo(200);
            socket.awaitRefusal("BANNED");
            assertThat(socket.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        try (BridgeClient socket = joined(table, cid.getString("token"), false)) {
            assertThat(rest.delete(members(table) + Table.userId(cid), table.gmToken())
                            .status())
                    .isEqualTo(200);
            socket.awaitRefusal("KICKED");
            assertThat(socket.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aLiftedBanLetsThePersonBackThroughAnInvite() {
        Table table = Table.create(rest, "Second chances");
        JsonObject dora = table.join("Dora", "PLAYER");
        String doraId = Table.userId(dora);
        String bans = "/api/rooms/" + table.roomId() + "/bans/";
        assertThat(rest.delete(bans + doraId, table.gmToken()).code()).isEqualTo("NOT_FOUND"); // not banned yet
        assertThat(rest.delete(members(table) + doraId + "?ban=true", table.gmToken())
                        .status())
                .isEqualTo(200);
        String code = invite(table);
        assertThat(rest.post("/api/invites/" + code + "/accept", dora.getString("token"), new JsonObject())
                        .code())
                .isEqualTo("BANNED");
        // Only a GM lifts a ban.
        JsonObject eve = table.join("Eve", "PLAYER");
        assertThat(rest.delete(bans + doraId, eve.getString("token")).code()).isEqualTo("GM_ONLY");

        Reply lifted = rest.delete(bans + doraId, table.gmToken());
        assertThat(lifted.status()).isEqualTo(200);
        assertThat(lifted.body().getBoolean("banned")).isFalse();
        Reply back = rest.post("/api/invites/" + code + "/accept", dora.getString("token"), new JsonObject());
        assertThat(back.status()).as(back.body().encode()).isEqualTo(200);
        assertThat(back.body().getString("role")).isEqualTo("PLAYER");
    }

    @Test
    void theGmRenamesArchivesAndDeletesOnlyWithTheRoomsName() {
        Table table = Table.create(rest, "Old name");
        JsonObject fay = table.join("Fay", "PLAYER");
        String room = "/api/rooms/" + table.roomId();

        assertThat(rest.patch(room, fay.getString("token"), new JsonObject().put("name", "Mine"))
                        .code())
                .isEqualTo("GM_ONLY");
        assertThat(rest.patch(room, table.gmToken(), new JsonObject().put("name", ""))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.patch(room, table.gmToken(), new JsonObject().put("archived", "yes"))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.patch(room, table.gmToken(), new JsonObject()).code()).isEqualTo("BAD_REQUEST");
        Reply renamed = rest.patch(room, table.gmToken(), new JsonObject().put("name", "New name"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().getString("name")).isEqualTo("New name");

        // Archived: gone from the player's list, still in the GM's (marked), and back when unarchived.
        assertThat(rest.patch(room, table.gmToken(), new JsonObject().put("archived", true))
                        .body()
                        .getBoolean("archived"))
                .isTrue();
        assertThat(roomIds(fay.getString("token"))).doesNotContain(table.roomId());
        JsonObject gmEntry = rest.get("/api/rooms", table.gmToken()).body().getJsonArray("rooms").stream()
                .map(JsonObject.class::cast)
                .filter(r -> r.getString("id").equals(table.roomId()))
                .findFirst()
                .orElseThrow();
        assertThat(gmEntry.getBoolean("archived")).isTrue();
        rest.patch(room, table.gmToken(), new JsonObject().put("archived", false));
        assertThat(roomIds(fay.getString("token"))).contains(table.roomId());

        try (BridgeClient socket = joined(table, fay.getString("token"))) {
            assertThat(rest.delete(room + "?name=" + enc("new name"), table.gmToken())
                            .code())
                    .isEqualTo("ROOM_NAME_MISMATCH");
            assertThat(rest.delete(room, table.gmToken()).code()).isEqualTo("ROOM_NAME_MISMATCH");
            assertThat(rest.delete(room + "?name=" + enc("New name"), fay.getString("token"))
                            .code())
                    .isEqualTo("GM_ONLY");
            Reply deleted = rest.delete(room + "?name=" + enc("New name"), table.gmToken());
            assertThat(deleted.status()).isEqualTo(200);
            socket.awaitRefusal("ROOM_DELETED");
            assertThat(socket.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(rest.get(room, table.gmToken()).code()).isEqualTo("NOT_A_MEMBER");
        assertThat(roomIds(table.gmToken())).doesNotContain(table.roomId());
    }

    static String invite(Table table) {
        return rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
    }

    static java.util.List<String> roomIds(String token) {
        JsonArray rooms = rest.get("/api/rooms", token).body().getJsonArray("rooms");
        return rooms.stream().map(r -> ((JsonObject) r).getString("id")).toList();
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
