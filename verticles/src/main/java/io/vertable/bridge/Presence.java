package io.vertable.bridge;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online in each room, in Redis so every node sees the same list. Each open socket in a room is one sorted-set
 * member {@code userId|socket} scored by its expiry; live sockets are refreshed by their bridge, so a node that dies
 * stops refreshing and its entries simply expire. The list is published on the room's stream whenever it changes.
 */
final class Presence {

    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

    private static final long LEAVE_RETRY_MS = 500;

    private final Vertx vertx;
    private final RedisAPI redis;
    private final long ttlMs;
    /** Rooms whose list is being published → whether another change came meanwhile. Event-loop confined. */
    private final Map<String, Boolean> publishing = new HashMap<>();

    Presence(Vertx vertx, RedisAPI redis, long ttlMs) {
        this.vertx = vertx;
        this.redis = redis;
        this.ttlMs = ttlMs;
    }

    static String key(String roomId) {
        return "vtt:presence:" + roomId;
    }

    static String namesKey(String roomId) {
        return "vtt:presence-names:" + roomId;
    }

    Future<Void> join(String roomId, String userId, String displayName, String socketId) {
        if (redis == null) return Future.succeededFuture();
        String expiry = Long.toString(System.currentTimeMillis() + ttlMs);
        return redis.zadd(List.of(key(roomId), expiry, userId + "|" + socketId))
                .compose(done -> redis.hset(List.of(namesKey(roomId), userId, displayName)))
                .compose(done -> redis.pexpire(List.of(key(roomId), Long.toString(ttlMs * 4))))
                .compose(done -> redis.pexpire(List.of(namesKey(roomId), Long.toString(ttlMs * 4))))
                .compose(done -> publish(roomId))
                .recover(this::unavailable);
    }

    Future<Void> leave(String roomId, String userId, String socketId) {
        if (redis == null) return Future.succeededFuture();
        return removeEntry(roomId, userId + "|" + socketId, System.currentTimeMillis() + ttlMs);
    }

    /**
     * Removes a socket's entry and publishes the list, retried while Redis fails until the entry would have expired by
     * itself: a dropped leave would show someone who left as online until then.
     */
    private Future<Void> removeEntry(String roomId, String member, long expiresAt) {
        return redis.zrem(List.of(key(roomId), member))
                .compose(done -> publish(roomId))
                .recover(e -> {
                    if (System.currentTimeMillis() + LEAVE_RETRY_MS >= expiresAt) return unavailable(e);
                    LOG.debug("presence leave retried room={}: Redis failed ({})", roomId, e.getMessage());
                    return vertx.timer(LEAVE_RETRY_MS).compose(again -> removeEntry(roomId, member, expiresAt));
                });
    }

    /** Refreshes live sockets' entries and republishes each room, which also drops entries that expired. */
    Future<Void> refresh(List<String[]> roomUserSocket) {
        if (redis == null || roomUserSocket.isEmpty()) return Future.succeededFuture();
        String expiry = Long.toString(System.currentTimeMillis() + ttlMs);
        Set<String> rooms = new LinkedHashSet<>();
        List<Future<?>> writes = new ArrayList<>();
        for (String[] entry : roomUserSocket) {
            rooms.add(entry[0]);
            writes.add(redis.zadd(List.of(key(entry[0]), expiry, entry[1] + "|" + entry[2])));
        }
        for (String room : rooms) {
            writes.add(redis.pexpire(List.of(key(room), Long.toString(ttlMs * 4))));
            writes.add(redis.pexpire(List.of(namesKey(room), Long.toString(ttlMs * 4))));
        }
        return Future.all(writes)
                .compose(done -> Future.all(rooms.stream().map(this::publish).toList()))
                .<Void>mapEmpty()
                .recover(this::unavailable);
    }

    /** The room's online users, without expired entries. */
    Future<JsonArray> online(String roomId) {
        long now = System.currentTimeMillis();
        return redis.zremrangebyscore(key(roomId), "-inf", Long.toString(now))
                .compose(done -> redis.zrange(List.of(key(roomId), "0", "-1")))
                .compose(members -> {
                    Set<String> users = new LinkedHashSet<>();
                    for (Response member : members) users.add(member.toString().split("\\|", 2)[0]);
                    if (users.isEmpty()) return Future.succeededFuture(new JsonArray());
                    List<String> args = new ArrayList<>();
                    args.add(namesKey(roomId));
                    args.addAll(users);
                    return redis.hmget(args).map(names -> {
                        var online = new JsonArray();
                        int i = 0;
                        for (String user : users) {
                            Response name = names.get(i++);
                            online.add(new JsonObject()
                                    .put("userId", user)
                                    .put("displayName", name == null ? "?" : name.toString()));
                        }
                        return online;
                    });
                });
    }

    /**
     * Publishes the room's list, at most one at a time per room: changes that arrive while a list is being read and
     * published are covered by one more publish afterwards. A burst of N joins then costs a few lists instead of N
     * (each sent to every member: N² deliveries for a big room).
     */
    private Future<Void> publish(String roomId) {
        if (publishing.containsKey(roomId)) {
            publishing.put(roomId, Boolean.TRUE);
            return Future.succeededFuture();
        }
        publishing.put(roomId, Boolean.FALSE);
        return publishNow(roomId).eventually(() -> {
            boolean again = Boolean.TRUE.equals(publishing.remove(roomId));
            return again ? publish(roomId) : Future.succeededFuture();
        });
    }

    private Future<Void> publishNow(String roomId) {
        return online(roomId).map(online -> {
            vertx.eventBus()
                    .publish(
                            Addresses.room(roomId),
                            new JsonObject()
                                    .put("type", "presence")
                                    .put("room", roomId)
                                    .put("online", online));
            return null;
        });
    }

    private Future<Void> unavailable(Throwable e) {
        LOG.warn("presence not updated: Redis failed ({})", e.getMessage());
        return Future.succeededFuture();
    }
}
