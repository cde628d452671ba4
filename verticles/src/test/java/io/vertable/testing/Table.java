package io.vertable.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A room made through the real REST API: a GM account, the room, and players who joined by invite as guests.
 *
 * @param gmToken the GM's session token
 */
public record Table(Rest rest, String roomId, String gmId, String gmToken) {

    public static Table create(Rest rest, String name) {
        String username = "gm-" + UUID.randomUUID().toString().substring(0, 8);
        Rest.Reply registered = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", username)
                        .put("password", "a long enough secret")
                        .put("displayName", "GM " + name));
        assertThat(registered.status()).as(registered.body().encode()).isEqualTo(201);
        String token = registered.body().getString("token");
        Rest.Reply room = rest.post("/api/rooms", token, new JsonObject().put("name", name));
        assertThat(room.status()).as(room.body().encode()).isEqualTo(201);
        return new Table(
                rest,
                room.body().getString("id"),
                registered.body().getJsonObject("user").getString("id"),
                token);
    }

    /** A guest who joined through a fresh invite with the given role: {user, token, roomId, role}. */
    public JsonObject join(String displayName, String role) {
        Rest.Reply invite = rest.post("/api/rooms/" + roomId + "/invites", gmToken, new JsonObject().put("role", role));
        assertThat(invite.status()).as(invite.body().encode()).isEqualTo(201);
        Rest.Reply joined = rest.post(
                "/api/invites/" + invite.body().getString("code") + "/accept",
                null,
                new JsonObject().put("displayName", displayName));
        assertThat(joined.status()).as(joined.body().encode()).isEqualTo(200);
        return joined.body();
    }

    public static String userId(JsonObject session) {
        return session.getJsonObject("user").getString("id");
    }
}
