package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.node.Node;
import io.vertable.testing.BridgeClient;
import io.vertable.testing.Rest;
import io.vertable.testing.Rest.Reply;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guests who come back: the device credential a guest's browser keeps, used, rotated, replayed by a thief, signed
 * out by the GM; and a guest who becomes an account without losing who they are.
 */
class GuestDevicesTest {

    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        node = Node.start(TestNodes.config(TestNodes.standalone(
                "devices-1", "http:1,bridge:1,persistence:1", TestStorage.freshDatabase("devices"))));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    /** A guest's accept, with the Set-Cookie header it came with. */
    record Joined(JsonObject session, String setCookie) {
        String cookie() {
            return setCookie.substring(0, setCookie.indexOf(';'));
        }
    }

    static Joined joinAsGuest(Table table, String name) {
        String code = rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        Reply accepted = rest.post("/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", name));
        assertThat(accepted.status()).isEqualTo(200);
        return new Joined(accepted.body(), accepted.header("set-cookie"));
    }

    static String cookieOf(Reply reply) {
        String header = reply.header("set-cookie");
        return header.substring(0, header.indexOf(';'));
    }

    @Test
    void aGuestComesBackAsThemselvesAndEachCredentialWorksOnce() {
        Table table = Table.create(rest, "Return");
        Joined ann = joinAsGuest(table, "Ann");
        assertThat(ann.setCookie())
                .startsWith("vtt_device=")
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/api/auth/device")
                .contains("Max-Age=7776000");

        Reply back = rest.postWithCookie("/api/auth/device", ann.cookie());
        assertThat(back.status()).as(back.body().encode()).isEqualTo(200);
        assertThat(Table.userId(back.body())).isEqualTo(Table.userId(ann.session()));
        assertThat(back.body().getJsonObject("user").getBoolean("guest")).isTrue();
        String rotated = cookieOf(back);
        assertThat(rotated).isNotEqualTo(ann.cookie());
        // The same member of the same room, with a fresh session.
        assertThat(rest.get("/api/rooms/" + table.roomId(), back.body().getString("token"))
                        .body()
                        .getString("role"))
                .isEqualTo("PLAYER");

        Reply next = rest.postWithCookie("/api/auth/device", rotated);
        assertThat(next.status()).isEqualTo(200);
        String newest = cookieOf(next);

        // A copy of an older credential turns up: both it and the rightful browser's newest one stop working.
        Reply replay = rest.postWithCookie("/api/auth/device", rotated);
        assertThat(replay.code()).isEqualTo("TOKEN_REVOKED");
        assertThat(replay.header("set-cookie")).contains("Max-Age=0");
        assertThat(rest.postWithCookie("/api/auth/device", newest).code()).isEqualTo("TOKEN_REVOKED");
    }

    @Test
    void badCredentialsAreRefusedAndTheGmSignsAGuestsDevicesOut() {
        Table table = Table.create(rest, "Doors");
        assertThat(rest.postWithCookie("/api/auth/device", null).code()).isEqualTo("UNAUTHENTICATED");
        assertThat(rest.postWithCookie("/api/auth/device", "vtt_device=garbage").code())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(rest.postWithCookie("/api/auth/device", "vtt_device=AAAAAAAAAAAAAAAA.nope")
                        .code())
                .isEqualTo("UNAUTHENTICATED");
        Joined bob = joinAsGuest(table, "Bob");
        String id = bob.cookie().substring("vtt_device=".length(), bob.cookie().indexOf('.'));
        assertThat(rest.postWithCookie("/api/auth/device", "vtt_device=" + id + ".wrongsecret")
                        .code())
                .isEqualTo("UNAUTHENTICATED");

        String devices = "/api/rooms/" + table.roomId() + "/members/" + Table.userId(bob.session()) + "/devices";
        Joined cat = joinAsGuest(table, "Cat");
        assertThat(rest.delete(devices, cat.session().getString("token")).code())
                .isEqualTo("GM_ONLY");
        assertThat(rest.delete(
                                "/api/rooms/" + table.roomId() + "/members/" + table.gmId() + "/devices",
                                table.gmToken())
                        .code())
                .isEqualTo("NOT_FOUND");
        Reply signedOut = rest.delete(devices, table.gmToken());
        assertThat(signedOut.status()).isEqualTo(200);
        assertThat(signedOut.body().getInteger("revoked")).isEqualTo(1);
        assertThat(rest.postWithCookie("/api/auth/device", bob.cookie()).code()).isEqualTo("TOKEN_REVOKED");
        // Cat's browser is untouched.
        assertThat(rest.postWithCookie("/api/auth/device", cat.cookie()).status())
                .isEqualTo(200);
    }

    /** The bridge's answer to a WebSocket upgrade with this token: 101 when it opened, else the refusal's status. */
    static int upgradeStatus(String token) {
        try {
            BridgeClient.connect(node.vertx(), node.bridgePort(), token, null, false)
                    .await(10, TimeUnit.SECONDS)
                    .close();
            return 101;
        } catch (Exception e) {
            if (e instanceof UpgradeRejectedException rejected) return rejected.getStatus();
            if (e.getCause() instanceof UpgradeRejectedException rejected) return rejected.getStatus();
            throw new AssertionError(e);
        }
    }

    @Test
    void signingOutAGuestsDevicesEndsTheSessionsTheyAlreadyHave() {
        Table table = Table.create(rest, "Closing time");
        Joined dan = joinAsGuest(table, "Dan");
        Joined eve = joinAsGuest(table, "Eve");
        String first = dan.session().getString("token");
        // A second browser of Dan's came back with its credential: another session, begun before the sign-out too.
        String second =
                rest.postWithCookie("/api/auth/device", dan.cookie()).body().getString("token");
        String refreshed =
                rest.post("/api/auth/refresh", first, new JsonObject()).body().getString("token");
        assertThat(rest.get("/api/me", refreshed).status()).isEqualTo(200);
        BridgeClient open = BridgeClient.open(node.vertx(), node.bridgePort(), second);

        String devices = "/api/rooms/" + table.roomId() + "/members/" + Table.userId(dan.session()) + "/devices";
        assertThat(rest.delete(devices, table.gmToken()).status()).isEqualTo(200);

        JsonObject why = BridgeClient.errorBody(open.awaitRefusal("TOKEN_REVOKED"));
        assertThat(why.getString("message")).contains("signed your browsers out");
        assertThat(open.awaitClosed(Duration.ofSeconds(10)))
                .as(open.closeReason())
                .isTrue();
        for (String token : List.of(first, second, refreshed)) {
            assertThat(rest.get("/api/me", token).code()).isEqualTo("TOKEN_REVOKED");
            assertThat(rest.get("/api/rooms/" + table.roomId(), token).code()).isEqualTo("TOKEN_REVOKED");
            assertThat(rest.post("/api/auth/refresh", token, new JsonObject()).code())
                    .isEqualTo("TOKEN_REVOKED");
            assertThat(upgradeStatus(token)).as("the bridge's door").isEqualTo(401);
        }
        // Another guest of the room, and the GM, play on.
        assertThat(rest.get("/api/me", eve.session().getString("token")).status())
                .isEqualTo(200);
        assertThat(upgradeStatus(eve.session().getString("token"))).isEqualTo(101);
        assertThat(rest.get("/api/me", table.gmToken()).status()).isEqualTo(200);
    }

    @Test
    void aGuestBecomesAnAccountAndKeepsTheirIdentity() {
        Table table = Table.create(rest, "Claims");
        Joined dee = joinAsGuest(table, "Dee");
        String username = "dee-" + UUID.randomUUID().toString().substring(0, 6);
        JsonObject body = new JsonObject().put("username", username).put("password", "a long enough secret");
        assertThat(rest.post("/api/auth/claim", null, body).code()).isEqualTo("UNAUTHENTICATED");
        assertThat(rest.post(
                                "/api/auth/claim",
                                dee.session().getString("token"),
                                body.copy().put("password", "short"))
                        .code())
                .isEqualTo("WEAK_PASSWORD");
        Reply claimed = rest.post("/api/auth/claim", dee.session().getString("token"), body);
        assertThat(claimed.status()).as(claimed.body().encode()).isEqualTo(200);
        assertThat(Table.userId(claimed.body())).isEqualTo(Table.userId(dee.session()));
        assertThat(claimed.body().getJsonObject("user").getBoolean("guest")).isFalse();
        assertThat(claimed.body().getJsonObject("user").getString("displayName"))
                .isEqualTo("Dee");

        Reply login = rest.post("/api/auth/login", null, body);
        assertThat(login.status()).isEqualTo(200);
        assertThat(Table.userId(login.body())).isEqualTo(Table.userId(dee.session()));
        assertThat(rest.get("/api/rooms/" + table.roomId(), login.body().getString("token"))
                        .status())
                .isEqualTo(200);
        assertThat(rest.post(
                                "/api/auth/claim",
                                login.body().getString("token"),
                                body.copy().put("username", "x" + username))
                        .code())
                .isEqualTo("CONFLICT");
        Joined eve = joinAsGuest(table, "Eve");
        assertThat(rest.post("/api/auth/claim", eve.session().getString("token"), body)
                        .code())
                .isEqualTo("USERNAME_TAKEN");
    }
}
