package io.vertable.bench.load;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes Vertable's rooms through its real REST API, as a GM and invited players would: one GM account creates the
 * rooms; each room's players are guests who accepted an invite (the GM does not connect). Calls run four at a time.
 */
final class VertableSetup implements AutoCloseable {

    /** A room and its players' sessions. */
    record Room(String id, List<Player> players) {}

    record Player(String userId, String token) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final int port;
    final String gmToken;
    final String gmId;

    VertableSetup(int port) {
        this.port = port;
        JsonObject gm = call(
                "POST",
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", "bench-gm")
                        .put("password", "a long enough bench secret")
                        .put("displayName", "Bench GM"),
                201);
        this.gmToken = gm.getString("token");
        this.gmId = gm.getJsonObject("user").getString("id");
    }

    /** {@code count} rooms of {@code size} players each. */
    List<Room> rooms(String prefix, int count, int size) {
        List<Future<Room>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + i;
            pending.add(pool.submit(() -> room(name, size)));
        }
        List<Room> rooms = new ArrayList<>();
        for (Future<Room> room : pending) {
            try {
                rooms.add(room.get());
            } catch (Exception e) {
                throw new IllegalStateException("room setup failed: " + e.getMessage(), e);
            }
        }
        return rooms;
    }

    private Room room(String name, int size) throws Exception {
        String id = call("POST", "/api/rooms", gmToken, new JsonObject().put("name", name), 201)
                .getString("id");
        String code = call(
                        "POST",
                        "/api/rooms/" + id + "/invites",
                        gmToken,
                        new JsonObject().put("role", "PLAYER").put("maxUses", size),
                        201)
                .getString("code");
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            JsonObject joined = call(
                    "POST",
                    "/api/invites/" + code + "/accept",
                    null,
                    new JsonObject().put("displayName", "P" + i),
                    200);
            players.add(new Player(joined.getJsonObject("user").getString("id"), joined.getString("token")));
        }
        return new Room(id, players);
    }

    JsonObject call(String method, String path, String token, JsonObject body, int expected) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) request.header("authorization", "Bearer " + token);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return new JsonObject(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
