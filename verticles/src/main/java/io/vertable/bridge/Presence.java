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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online in each room, in Redis so every node sees the same list. Each open socket in a room is one sorted-set
 * member {@code userId|socket} scored by its expiry (and one entry in the user's own set of sockets there, to tell when
 * their last one leaves); live sockets are refreshed by their bridge, so a node that dies stops refreshing and its
 * entries simply expire.
 *
 * <p>Changes go out on the room's stream as deltas ({@code presence.changed} with {@code joined} or {@code left}); a
 * joining socket gets the whole list for itself, and the room gets the whole list again only once changes have settled
 * for {@link #LIST_DEBOUNCE_MS} (at most {@link #LIST_MAX_WAIT_MS} after the first): a burst of N joins then costs N
 * small deltas and a list or two, not N lists each sent to every member (N² deliveries of a growing list). The settled
 * list also mends what deltas from two nodes racing each other may have left out of order.
 */
final class Presence {

    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

    private static final long LEAVE_RETRY_MS = 500;
    /** Quiet time after a room's last change before its whole list is published. */
    static final long LIST_DEBOUNCE_MS = 1_000;
    /** Longest a room under steady churn waits for its whole list. */
    static final long LIST_MAX_WAIT_MS = 5_000;

    /**
     * A socket's entry, written and answered with the room's list in one round trip (a burst of joins was nine
     * sequential Redis calls each): KEYS room set, names, the user's sockets; ARGV expiry, keep (ms), user, socket,
     * name, now. Answers user id and name after each other, users in the order {@link #online} lists them.
     */
    static final String JOIN_SCRIPT = String.join(
            "\n",
            "redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3] .. '|' .. ARGV[4])",
            "redis.call('ZADD', KEYS[3], ARGV[1], ARGV[4])",
            "redis.call('HSET', KEYS[2], ARGV[3], ARGV[5])",
            "for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end",
            "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[6])",
            "local seen, out = {}, {}",
            "for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do",
            "  local user = string.match(member, '^[^|]*')",
            "  if not seen[user] then",
            "    seen[user] = true",
            "    out[#out + 1] = user",
            "    out[#out + 1] = redis.call('HGET', KEYS[2], user) or '?'",
            "  end",
            "end",
            "return out");

    static final String LIST = "presence";
    static final String CHANGED = "presence.changed";

    private final Vertx vertx;
    private final RedisAPI redis;
    private final long ttlMs;
    /** Rooms whose list is being published → whether another change came meanwhile. Event-loop confined. */
    private final Map<String, Boolean> publishing = new HashMap<>();
    /** Rooms whose whole list is due → its timer and when the first unlisted change came. Event-loop confined. */
    private final Map<String, Due> due = new HashMap<>();

    private record Due(long timer, long sinceNanos) {}

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

    /** One user's sockets in a room, scored by expiry like the room's set. */
    static String socketsKey(String roomId, String userId) {
        return "vtt:presence-sockets:" + roomId + ":" + userId;
    }

    /**
     * Enters a socket, tells the room who joined, and answers the room's whole list for the joining socket (null when
     * there is no Redis or it failed: the page waits for the next list).
     */
    Future<JsonArray> join(String roomId, String userId, String displayName, String socketId) {
        if (redis == null) return Future.succeededFuture();
        long now = System.currentTimeMillis();
        List<String> args = List.of(
                JOIN_SCRIPT,
                "3",
                key(roomId),
                namesKey(roomId),
                socketsKey(roomId, userId),
                Long.toString(now + ttlMs),
                Long.toString(ttlMs * 4),
                userId,
                socketId,
                displayName,
                Long.toString(now));
        return redis.eval(args)
                .map(online -> {
                    publishChange(roomId, "joined", new JsonArray().add(person(userId, displayName)));
                    return people(online);
                })
                .recover(e -> unavailable(e).map((JsonArray) null));
    }

    /** The script's answer, user id and name after each other, as the list's people. */
    private static JsonArray people(Response userThenName) {
        var online = new JsonArray();
        for (int i = 0; i + 1 < userThenName.size(); i += 2) {
            online.add(person(
                    userThenName.get(i).toString(), userThenName.get(i + 1).toString()));
        }
        return online;
    }

    Future<Void> leave(String roomId, String userId, String socketId) {
        if (redis == null) return Future.succeededFuture();
        return removeEntry(roomId, userId, socketId, System.currentTimeMillis() + ttlMs);
    }

    /**
     * Removes a socket's entry and tells the room when it was the user's last, retried while Redis fails until the entry
     * would have expired by itself: a dropped leave would show someone who left as online until then.
     */
    private Future<Void> removeEntry(String roomId, String userId, String socketId, long expiresAt) {
        String sockets = socketsKey(roomId, userId);
        return redis.zrem(List.of(key(roomId), userId + "|" + socketId))
                .compose(done -> redis.zrem(List.of(sockets, socketId)))
                .compose(done -> redis.zremrangebyscore(sockets, "-inf", Long.toString(System.currentTimeMillis())))
                .compose(done -> redis.zcard(sockets))
                .<Void>map(left -> {
                    if (left.toLong() == 0) publishChange(roomId, "left", new JsonArray().add(userId));
                    else listLater(roomId); // another socket of theirs keeps them online: no change to announce
                    return null;
                })
                .recover(e -> {
                    if (System.currentTimeMillis() + LEAVE_RETRY_MS >= expiresAt) return unavailable(e);
                    LOG.debug("presence leave retried room={}: Redis failed ({})", roomId, e.getMessage());
                    return vertx.timer(LEAVE_RETRY_MS)
                            .compose(again -> removeEntry(roomId, userId, socketId, expiresAt));
                });
    }

    /**
     * How many parts a refresh period is cut into: each part refreshes the rooms of one slice, so a node with a thousand
     * sockets sends a tenth of their Redis commands at a time instead of all at once (a burst that queued every other
     * Redis call of the bridge, such as the user limits' leases, behind it).
     */
    static final int REFRESH_SLICES = 10;

    /** The entries of the rooms whose turn it is at {@code tick}: every room once in {@link #REFRESH_SLICES} ticks. */
    static List<String[]> slice(List<String[]> roomUserSocket, long tick) {
        return roomUserSocket.stream().filter(entry -> inSlice(entry[0], tick)).toList();
    }

    /** Whether the room's turn is at {@code tick}. */
    static boolean inSlice(String roomId, long tick) {
        return Math.floorMod(roomId.hashCode(), REFRESH_SLICES) == (int) Math.floorMod(tick, (long) REFRESH_SLICES);
    }

    /**
     * Refreshes live sockets' entries, and drops the rooms' entries that expired (a dead node's sockets): a room that
     * lost any gets its whole list.
     */
    Future<Void> refresh(List<String[]> roomUserSocket) {
        if (redis == null || roomUserSocket.isEmpty()) return Future.succeededFuture();
        String expiry = Long.toString(System.currentTimeMillis() + ttlMs);
        String keep = Long.toString(ttlMs * 4);
        Set<String> rooms = new LinkedHashSet<>();
        List<Future<?>> writes = new ArrayList<>();
        for (String[] entry : roomUserSocket) {
            rooms.add(entry[0]);
            writes.add(redis.zadd(List.of(key(entry[0]), expiry, entry[1] + "|" + entry[2])));
            writes.add(redis.zadd(List.of(socketsKey(entry[0], entry[1]), expiry, entry[2])));
            writes.add(redis.pexpire(List.of(socketsKey(entry[0], entry[1]), keep)));
        }
        for (String room : rooms) {
            writes.add(redis.pexpire(List.of(key(room), keep)));
            writes.add(redis.pexpire(List.of(namesKey(room), keep)));
        }
        return Future.all(writes)
                .compose(
                        done -> Future.all(rooms.stream().map(this::dropExpired).toList()))
                .<Void>mapEmpty()
                .recover(this::unavailable);
    }

    private Future<Void> dropExpired(String roomId) {
        return redis.zremrangebyscore(key(roomId), "-inf", Long.toString(System.currentTimeMillis()))
                .map(dropped -> {
                    if (dropped.toLong() > 0) listLater(roomId);
                    return null;
                });
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
                            online.add(person(user, name == null ? "?" : name.toString()));
                        }
                        return online;
                    });
                });
    }

    private static JsonObject person(String userId, String displayName) {
        return new JsonObject().put("userId", userId).put("displayName", displayName);
    }

    /** Tells the room's sockets what changed now, and has the whole list follow once changes settle. */
    private void publishChange(String roomId, String change, JsonArray people) {
        vertx.eventBus()
                .publish(
                        Addresses.room(roomId),
                        new JsonObject()
                                .put("type", CHANGED)
                                .put("room", roomId)
                                .put(change, people));
        listLater(roomId);
    }

    /**
     * Publishes the whole list once the room has been quiet for {@link #LIST_DEBOUNCE_MS}: each change pushes it back,
     * until {@link #LIST_MAX_WAIT_MS} after the first.
     */
    private void listLater(String roomId) {
        long now = System.nanoTime();
        Due pending = due.get(roomId);
        if (pending != null) {
            if (now - pending.sinceNanos() >= TimeUnit.MILLISECONDS.toNanos(LIST_MAX_WAIT_MS)) return;
            vertx.cancelTimer(pending.timer());
        }
        long timer = vertx.setTimer(LIST_DEBOUNCE_MS, fired -> {
            due.remove(roomId);
            publish(roomId);
        });
        due.put(roomId, new Due(timer, pending == null ? now : pending.sinceNanos()));
    }

    /**
     * Publishes the room's list, at most one at a time per room: changes that arrive while a list is being read and
     * published are covered by one more publish afterwards.
     */
    private Future<Void> publish(String roomId) {
        if (publishing.containsKey(roomId)) {
            publishing.put(roomId, Boolean.TRUE);
            return Future.succeededFuture();
        }
        publishing.put(roomId, Boolean.FALSE);
        return publishNow(roomId).recover(this::unavailable).eventually(() -> {
            boolean again = Boolean.TRUE.equals(publishing.remove(roomId));
            return again ? publish(roomId) : Future.succeededFuture();
        });
    }

    private Future<Void> publishNow(String roomId) {
        return online(roomId).map(online -> {
            vertx.eventBus().publish(Addresses.room(roomId), list(roomId, online));
            return null;
        });
    }

    /** The room's whole list as its stream carries it. */
    static JsonObject list(String roomId, JsonArray online) {
        return new JsonObject().put("type", LIST).put("room", roomId).put("online", online);
    }

    private Future<Void> unavailable(Throwable e) {
        LOG.warn("presence not updated: Redis failed ({})", e.getMessage());
        return Future.succeededFuture();
    }
}
