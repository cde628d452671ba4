package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.testing.Rest;
import io.vertable.testing.Rest.Reply;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Accounts, rooms, invites and members through the real REST API of a standalone node. */
class AccountsAndRoomsApiTest {

    static PgUrl database;
    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("accounts");
        node = Node.start(TestNodes.config(TestNodes.standalone("api-1", "http:1,persistence:1", database)));
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Reply register(String username, String password) {
        return rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", username)
                        .put("password", password)
                        .put("displayName", "Ann"));
    }

    @Test
    void registerLoginRefreshAndLogoutEndsTheWholeSession() {
        String username = unique("ann");
        Reply registered = register(username, "a long enough secret");
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().getJsonObject("user").getString("username"))
                .isEqualTo(username);
        assertThat(registered.body().getInteger("expiresIn")).isEqualTo(3600);

        Reply login = rest.post(
                "/api/auth/login",
                null,
                new JsonObject().put("username", username.toUpperCase()).put("password", "a long enough secret"));
        assertThat(login.status()).isEqualTo(200);
        String token = login.body().getString("token");
        assertThat(rest.get("/api/me", token).body().getString("id"))
                .isEqualTo(registered.body().getJsonObject("user").getString("id"));

        Reply refreshed = rest.post("/api/auth/refresh", token, null);
        assertThat(refreshed.status()).isEqualTo(200);
        String newer = refreshed.body().getString("token");
        assertThat(newer).isNotEqualTo(token);
        assertThat(rest.get("/api/me", newer).status()).isEqualTo(200);

        // Logging out with either token ends the session: both of its tokens die, and it cannot be refreshed.
        assertThat(rest.post("/api/auth/logout", newer, null).status()).isEqualTo(204);
        Reply afterLogout = rest.get("/api/me", token);
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.code()).isEqualTo("TOKEN_REVOKED");
        assertThat(rest.get("/api/me", newer).code()).isEqualTo("TOKEN_REVOKED");
        assertThat(rest.post("/api/auth/refresh", token, null).code()).isEqualTo("TOKEN_REVOKED");
        // The account's other session (the registration's) is untouched.
        assertThat(rest.get("/api/me", registered.body().getString("token")).status())
                .isEqualTo(200);
    }

    @Test
    void passwordsAreStoredAsArgon2idHashesOnly() throws Exception {
        String username = unique("hash");
        register(username, "a long enough secret");
        try (Connection c = TestStorage.jdbc(database);
                var rs = c.createStatement()
                        .executeQuery("SELECT password_hash FROM users WHERE username = '" + username + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("$argon2id$").doesNotContain("a long enough secret");
        }
    }

    @Test
    void badRegistrationsAndLoginsAreRefusedWithTheirCodes() {
        String username = unique("dup");
        assertThat(register(username, "a long enough secret").status()).isEqualTo(201);
        assertThat(register(username, "a long enough secret").code()).isEqualTo("USERNAME_TAKEN");
        assertThat(register(unique("weak"), "short").code()).isEqualTo("WEAK_PASSWORD");
        assertThat(register("a b", "a long enough secret").code()).isEqualTo("BAD_REQUEST");
        assertThat(rest.post("/api/auth/register", null, "not json").code()).isEqualTo("BODY_NOT_JSON");
        Reply wrong = rest.post(
                "/api/auth/login",
                null,
                new JsonObject().put("username", username).put("password", "not the password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("INVALID_CREDENTIALS");
        Reply nobody = rest.post(
                "/api/auth/login",
                null,
                new JsonObject().put("username", unique("nobody")).put("password", "whatever it is"));
        assertThat(nobody.code()).isEqualTo("INVALID_CREDENTIALS"); // the same answer: no user enumeration
        assertThat(rest.post(
                                "/api/auth/login",
                                null,
                                new JsonObject().put("username", username).put("password", 42))
                        .code())
                .isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void missingForgedOtherKeyAndExpiredTokensAreRefused() {
        assertThat(rest.get("/api/me", null).code()).isEqualTo("UNAUTHENTICATED");
        assertThat(rest.get("/api/me", "not.a.jwt").code()).isEqualTo("UNAUTHENTICATED");
        JsonObject claims = new JsonObject()
                .put("sub", "someone")
                .put("name", "Eve")
                .put("sid", "s1")
                .put("jti", "j1");
        JWTAuth otherKey = JWTAuth.create(
                node.vertx(),
                new JWTAuthOptions()
                        .addPubSecKey(new PubSecKeyOptions()
                                .setAlgorithm("HS256")
                                .setBuffer("another key entirely, 32+ chars long")));
        assertThat(rest.get("/api/me", otherKey.generateToken(claims, new JWTOptions()))
                        .code())
                .isEqualTo("UNAUTHENTICATED");
        JWTAuth sameKey = JWTAuth.create(
                node.vertx(),
                new JWTAuthOptions()
                        .addPubSecKey(
                                new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestNodes.signingKey(node))));
        String expired = sameKey.generateToken(
                claims.copy().put("exp", System.currentTimeMillis() / 1000 - 60), new JWTOptions());
        assertThat(rest.get("/api/me", expired).code()).isEqualTo("UNAUTHENTICATED");
        String valid = sameKey.generateToken(claims, new JWTOptions().setExpiresInSeconds(60));
        assertThat(rest.get("/api/me", valid).status())
                .as("control: a well-signed token passes")
                .isEqualTo(200);
    }

    @Test
    void theGmCreatesARoomAndInvitesAndGuestsJoinWithTheInvitedRole() {
        Table table = Table.create(rest, "Crypt");
        Reply rooms = rest.get("/api/rooms", table.gmToken());
        assertThat(rooms.body().getJsonArray("rooms").getJsonObject(0).getString("id"))
                .isEqualTo(table.roomId());
        assertThat(rooms.body().getJsonArray("rooms").getJsonObject(0).getString("role"))
                .isEqualTo("GM");

        Reply invite = rest.post(
                "/api/rooms/" + table.roomId() + "/invites",
                table.gmToken(),
                new JsonObject().put("role", "OBSERVER").put("maxUses", 2).put("expiresInMinutes", 60));
        assertThat(invite.status()).isEqualTo(201);
        String code = invite.body().getString("code");
        assertThat(invite.body().getString("url")).endsWith("/join/" + code);
        JsonObject listed = rest.get("/api/rooms/" + table.roomId() + "/invites", table.gmToken())
                .body()
                .getJsonArray("invites")
                .getJsonObject(0);
        assertThat(listed.getString("url")).isEqualTo(invite.body().getString("url"));
        Reply preview = rest.get("/api/invites/" + code, null);
        assertThat(preview.body().getString("roomName")).isEqualTo("Crypt");
        assertThat(preview.body().getString("role")).isEqualTo("OBSERVER");

        Reply guest = rest.post("/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", "Pip"));
        assertThat(guest.status()).isEqualTo(200);
        assertThat(guest.body().getString("role")).isEqualTo("OBSERVER");
        assertThat(guest.body().getJsonObject("user").getBoolean("guest")).isTrue();
        assertThat(rest.get("/api/rooms/" + table.roomId(), guest.body().getString("token"))
                        .body()
                        .getString("role"))
                .isEqualTo("OBSERVER");

        // A logged-in user joins as themselves; the GM joining through their own invite stays GM.
        String other = register(unique("bea"), "a long enough secret").body().getString("token");
        Reply member = rest.post("/api/invites/" + code + "/accept", other, new JsonObject());
        assertThat(member.body().getString("token")).isEqualTo(other);
        assertThat(member.body().getJsonObject("user").getBoolean("guest")).isFalse();
        assertThat(rest.post("/api/invites/" + code + "/accept", other, new JsonObject())
                        .status())
                .as("a member opening the link again does not use it up")
                .isEqualTo(200);
        Reply used = rest.post("/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", "Late"));
        assertThat(used.status()).isEqualTo(410);
        assertThat(used.code()).isEqualTo("INVITE_EXHAUSTED");
        assertThat(rest.get("/api/rooms/" + table.roomId() + "/members", table.gmToken())
                        .body()
                        .getJsonArray("members")
                        .size())
                .isEqualTo(3);
    }

    @Test
    void deadInvitesAreRefusedWithWhatHappened() throws Exception {
        Table table = Table.create(rest, "Dead links");
        String code = rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        try (Connection c = TestStorage.jdbc(database)) {
            c.createStatement()
                    .execute("UPDATE invites SET expires_at = now() - interval '1 minute' WHERE code = '" + code + "'");
        }
        assertThat(rest.post("/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", "X"))
                        .code())
                .isEqualTo("INVITE_EXPIRED");
        String revoked = rest.post("/api/rooms/" + table.roomId() + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.delete("/api/rooms/" + table.roomId() + "/invites/" + revoked, table.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(rest.post("/api/invites/" + revoked + "/accept", null, new JsonObject().put("displayName", "X"))
                        .code())
                .isEqualTo("INVITE_INVALID");
        assertThat(rest.get("/api/invites/NOSUCHCODE00", null).code()).isEqualTo("INVITE_INVALID");
        assertThat(rest.get("/api/invites/bad%20code", null).code()).isEqualTo("INVITE_INVALID");
    }

    @Test
    void onlyGmsManageAndARoomKeepsAGm() {
        Table table = Table.create(rest, "Keep");
        JsonObject player = table.join("Pip", "PLAYER");
        String playerToken = player.getString("token");
        String room = "/api/rooms/" + table.roomId();

        assertThat(rest.post(room + "/invites", playerToken, new JsonObject()).code())
                .isEqualTo("GM_ONLY");
        assertThat(rest.get(room + "/members", playerToken).code()).isEqualTo("GM_ONLY");
        assertThat(rest.delete(room + "/members/" + table.gmId(), playerToken).code())
                .isEqualTo("GM_ONLY");

        Reply demoteSelf =
                rest.patch(room + "/members/" + table.gmId(), table.gmToken(), new JsonObject().put("role", "PLAYER"));
        assertThat(demoteSelf.status()).isEqualTo(409);
        assertThat(demoteSelf.body().getString("detail")).isEqualTo("a room needs at least one GM");
        assertThat(rest.patch(
                                room + "/members/" + Table.userId(player),
                                table.gmToken(),
                                new JsonObject().put("role", "WIZARD"))
                        .code())
                .isEqualTo("BAD_REQUEST");

        assertThat(rest.patch(
                                room + "/members/" + Table.userId(player),
                                table.gmToken(),
                                new JsonObject().put("role", "GM"))
                        .status())
                .isEqualTo(200);
        assertThat(rest.get(room + "/members", playerToken).status())
                .as("promoted to GM")
                .isEqualTo(200);
        assertThat(rest.patch(
                                room + "/members/" + table.gmId(),
                                table.gmToken(),
                                new JsonObject().put("role", "PLAYER"))
                        .status())
                .as("now there is another GM")
                .isEqualTo(200);
    }

    @Test
    void kickedMembersLoseTheRoomAndBannedOnesCannotComeBack() {
        Table table = Table.create(rest, "Exile");
        JsonObject kicked = table.join("Kit", "PLAYER");
        JsonObject banned = table.join("Bo", "PLAYER");
        String room = "/api/rooms/" + table.roomId();

        assertThat(rest.delete(room + "/members/" + Table.userId(kicked), table.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(rest.get(room, kicked.getString("token")).code()).isEqualTo("NOT_A_MEMBER");
        String again = rest.post(room + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.post("/api/invites/" + again + "/accept", kicked.getString("token"), new JsonObject())
                        .status())
                .as("a kicked member may be invited back")
                .isEqualTo(200);

        assertThat(rest.delete(room + "/members/" + Table.userId(banned) + "?ban=true", table.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(rest.get(room, banned.getString("token")).code()).isEqualTo("BANNED");
        String invite = rest.post(room + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.post("/api/invites/" + invite + "/accept", banned.getString("token"), new JsonObject())
                        .code())
                .isEqualTo("BANNED");
        assertThat(rest.get("/api/rooms", banned.getString("token")).body().getJsonArray("rooms"))
                .isEmpty();

        // A ban also holds for someone kicked earlier, whose membership is already gone.
        JsonObject leaver = table.join("Lee", "PLAYER");
        assertThat(rest.delete(room + "/members/" + Table.userId(leaver), table.gmToken())
                        .status())
                .isEqualTo(200);
        assertThat(rest.delete(room + "/members/" + Table.userId(leaver) + "?ban=true", table.gmToken())
                        .status())
                .isEqualTo(200);
        String last = rest.post(room + "/invites", table.gmToken(), new JsonObject())
                .body()
                .getString("code");
        assertThat(rest.post("/api/invites/" + last + "/accept", leaver.getString("token"), new JsonObject())
                        .code())
                .isEqualTo("BANNED");
    }

    @Test
    void outsidersSeeNothingOfARoom() {
        Table table = Table.create(rest, "Private");
        String outsider = register(unique("out"), "a long enough secret").body().getString("token");
        assertThat(rest.get("/api/rooms/" + table.roomId(), outsider).code()).isEqualTo("NOT_A_MEMBER");
        assertThat(rest.get("/api/rooms/" + table.roomId() + "/invites", outsider)
                        .code())
                .isEqualTo("NOT_A_MEMBER");
        assertThat(rest.get("/api/rooms/no-such-room", outsider).code()).isEqualTo("NOT_A_MEMBER");
        assertThat(rest.get("/api/rooms/..%2F..", outsider).code()).isIn("NOT_FOUND", "NOT_A_MEMBER");
    }

    @Test
    void oversizedBodiesAndBadFieldsAreRefused() {
        Table table = Table.create(rest, "Limits");
        Reply huge = rest.post("/api/rooms", table.gmToken(), new JsonObject().put("name", "x".repeat(100_000)));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(rest.post("/api/rooms", table.gmToken(), new JsonObject().put("name", "bell\u0007"))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.post("/api/rooms", table.gmToken(), new JsonObject().put("name", ""))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.post(
                                "/api/rooms/" + table.roomId() + "/invites",
                                table.gmToken(),
                                new JsonObject().put("maxUses", -1))
                        .code())
                .isEqualTo("BAD_REQUEST");
        assertThat(rest.post("/api/rooms", table.gmToken(), "[1,2]").code()).isEqualTo("BODY_NOT_JSON");
    }

    @Test
    void aRoomNameWithMarkupIsStoredAsText() {
        Table table = Table.create(rest, "<script>alert(1)</script>");
        assertThat(rest.get("/api/rooms/" + table.roomId(), table.gmToken())
                        .body()
                        .getString("name"))
                .isEqualTo("<script>alert(1)</script>");
        assertThat(rest.get("/api/rooms/" + table.roomId(), table.gmToken()).header("content-type"))
                .isEqualTo("application/json");
    }
}
