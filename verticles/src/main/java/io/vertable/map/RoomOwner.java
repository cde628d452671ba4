package io.vertable.map;

import io.vertable.kit.Bounded;
import io.vertable.kit.NodeMeters;
import io.vertable.kit.bus.Departures;
import io.vertable.kit.stores.EventsClient;
import io.vertable.kit.stores.RoomsClient;
import io.vertable.security.Ids;
import io.vertable.security.RoomMember;
import io.vertable.shared.RoomRole;
import io.vertable.shared.WholeNumbers;
import io.vertable.shared.chat.Audience;
import io.vertable.shared.room.LiveSight;
import io.vertable.shared.room.RoomCommands;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.room.RoomViews;
import io.vertable.shared.room.SceneTiles;
import io.vertable.shared.room.Vision;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.EventType;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one sequencer of one room: decides commands against the state including events not yet stored,
 * appends them to the log in batches (what arrives while a write is in flight goes in the next one), and only after
 * the database has them replies {@code ok} and publishes them in seq order. If the database refuses a batch because
 * another owner wrote first, this owner steps down.
 */
final class RoomOwner {

    private static final Logger LOG = LoggerFactory.getLogger(RoomOwner.class);
    static final int SNAPSHOT_EVERY = 100;
    /** Committed events kept in memory for {@code sync}; a client further behind gets a fresh view. */
    static final int HISTORY = 1_000;

    private final Vertx vertx;

    private final NodeMeters meters;
    private final String roomId;
    private final String nodeId;
    private final Lock lock;
    private final Runnable onStepDown;
    private final MessagePosts posts;
    private MessageConsumer<JsonObject> consumer;
    private MessageConsumer<JsonObject> postConsumer;
    private MessageConsumer<JsonObject> queryConsumer;
    private MessageConsumer<JsonObject> liveConsumer;
    /** The context the addresses were registered from: the owner's state is touched there only. */
    private Context home;

    private JsonObject committed;
    /**
     * The members' views of {@link #committed}, built on the first join after a change and shared by every join until
     * the next one: a burst of joins costs one build (vision included), not one per join. Null when not built yet.
     */
    private CommittedViews committedViews;

    private JsonObject pending;
    private JsonObject pendingGmView;
    private JsonObject pendingPlayerView;
    /** With vision on: the views of the players who look through tokens of their own, by user id. */
    private java.util.Map<String, JsonObject> pendingPersonalViews = java.util.Map.of();

    private final Deque<RoomEvents> history = new ArrayDeque<>();
    /** Per player, the owner-only hit points last sent ({@link RoomViews#ownerSecrets}). */
    private java.util.Map<String, JsonObject> secrets = java.util.Map.of();
    /** Handouts shown to chosen members, per user id: sent on each one's own stream, never on the room's. */
    private java.util.Map<String, JsonObject> handouts = java.util.Map.of();
    /** Recent command ids and the seq their command ended at: a repeated command gets its first answer. */
    private final java.util.LinkedHashMap<String, Answer> answered = new java.util.LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Answer> eldest) {
            return size() > EventsClient.RECENT_COMMANDS;
        }
    };
    /** Commands decided but not yet stored, by id, so a repeat waits for the same answer. */
    private final java.util.Map<String, Waiting> inFlight = new java.util.HashMap<>();

    private List<Waiting> batch = new ArrayList<>();
    private boolean writing;
    private boolean accepting = true;
    private boolean active = true;
    private Promise<Void> drained;
    /** When a command, post, join or sync last reached this owner: an owner idle long enough is unloaded. */
    private long lastUsedMs = System.currentTimeMillis();
    /** The seq of the newest snapshot in the store, so an unload writes one only when there is something new. */
    private long snapshotSeq;

    /** A command whose events are decided but not yet stored. */
    /** The seq a command ended at, and a digest of what it was (null when loaded from the log). */
    private record Answer(long seq, String digest) {}

    private record Waiting(
            Message<JsonObject> command, List<RoomEvents> events, List<Message<JsonObject>> repeats, String digest) {
        void reply(JsonObject answer) {
            command.reply(answer);
            repeats.forEach(r -> r.reply(answer));
        }

        void fail(Failure failure) {
            command.fail(failure.code().httpStatus(), failure.encode());
            repeats.forEach(r -> r.fail(failure.code().httpStatus(), failure.encode()));
        }
    }

    RoomOwner(
            Vertx vertx,
            String roomId,
            String nodeId,
            Lock lock,
            DiceSeeds seeds,
            NodeMeters meters,
            JsonObject state,
            Runnable onStepDown) {
        this.vertx = vertx;
        this.meters = meters;
        this.posts = new MessagePosts(roomId, seeds);
        this.roomId = roomId;
        this.nodeId = nodeId;
        this.lock = lock;
        this.onStepDown = onStepDown;
        this.committed = state;
        this.secrets = RoomViews.ownerSecrets(state);
        this.handouts = RoomViews.shownNotes(state);
        resetPending();
    }

    /** Loads the room (latest snapshot + later events); {@link #serve()} then starts answering on its owner address. */
    static Future<RoomOwner> load(
            Vertx vertx,
            String roomId,
            String nodeId,
            Lock lock,
            DiceSeeds seeds,
            NodeMeters meters,
            Runnable onStepDown) {
        long started = System.nanoTime();
        return new EventsClient(vertx.eventBus()).load(roomId).map(loaded -> {
            JsonObject snapshot = loaded.getJsonObject("snapshot");
            JsonObject state = snapshot == null ? RoomReducer.empty(roomId) : snapshot.getJsonObject("state");
            JsonArray events = loaded.getJsonArray("events");
            for (Object e : events) {
                JsonObject event = (JsonObject) e;
                RoomReducer.apply(state, event.getLong("seq"), event.getString("type"), event.getJsonObject("data"));
            }
            LOG.info(
                    "room loaded room={} node={} seq={} snapshot={} events={} ms={}",
                    roomId,
                    nodeId,
                    state.getLong("seq"),
                    snapshot == null ? 0 : snapshot.getLong("seq"),
                    events.size(),
                    (System.nanoTime() - started) / 1_000_000);
            RoomOwner owner = new RoomOwner(vertx, roomId, nodeId, lock, seeds, meters, state, onStepDown);
            owner.snapshotSeq = snapshot == null ? 0 : snapshot.getLong("seq");
            JsonObject commands = loaded.getJsonObject("commands", new JsonObject());
            commands.fieldNames().stream()
                    .sorted(java.util.Comparator.comparingLong(commands::getLong))
                    .forEach(cid -> owner.answered.put(cid, new Answer(commands.getLong(cid), null)));
            return owner;
        });
    }

    /**
     * Answers on the room's addresses once the cluster has them, by {@link Deadlines#ROOM_ADDRESSES_MS}. Otherwise the
     * owner stops, drops the addresses it took and lets the room go, and the claim fails: registering an address is a
     * Hazelcast call, and one that hangs would keep the room locked by an owner nobody can reach.
     */
    Future<RoomOwner> serve() {
        long started = System.nanoTime();
        home = vertx.getOrCreateContext();
        consumer = vertx.eventBus().consumer(Addresses.roomOwner(roomId), this::handle);
        postConsumer = vertx.eventBus().consumer(Addresses.roomPost(roomId), this::post);
        queryConsumer = vertx.eventBus().consumer(Addresses.roomQuery(roomId), this::query);
        liveConsumer = vertx.eventBus().consumer(Addresses.roomLive(roomId), this::live);
        Future<Void> registered = Future.all(
                        consumer.completion(),
                        postConsumer.completion(),
                        queryConsumer.completion(),
                        liveConsumer.completion())
                .mapEmpty();
        return Bounded.within(registered, Deadlines.ROOM_ADDRESSES_MS, late -> {})
                .map(this)
                .recover(e -> atHome(() -> cannotServe(e, started)));
    }

    /**
     * Runs {@code action} on the context the addresses were registered from. A deadline of a future that has no context
     * (a {@code Future.all}) fires on a thread of no context; the owner's state belongs to its own, and the cluster
     * queues an address's registration and removal in order per context, so a removal made from another could run
     * before the registration it undoes and leave the address registered.
     */
    private <T> Future<T> atHome(java.util.function.Supplier<Future<T>> action) {
        if (home == null || Vertx.currentContext() == home) return action.get();
        Promise<T> done = Promise.promise();
        home.runOnContext(v -> action.get().onComplete(done));
        return done.future();
    }

    /**
     * Stops before serving: what reached the addresses meanwhile is told to retry, the addresses go (on this node at
     * once; the cluster's removal is queued after the registration that hangs, so it never outlives it), and the room
     * is let go for the next claim.
     */
    private Future<RoomOwner> cannotServe(Throwable e, long startedNs) {
        active = false;
        accepting = false;
        Failure retry = Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "the room is moving to another node; retry");
        batch.forEach(w -> w.fail(retry));
        batch = new ArrayList<>();
        inFlight.clear();
        unregister();
        LOG.warn(
                "room claim gave up room={} holder={} stage=serve afterMs={}: {}",
                roomId,
                holder(),
                (System.nanoTime() - startedNs) / 1_000_000,
                Bounded.overran(e) ? "the cluster did not register the room's addresses in time" : e.getMessage());
        return Ownership.letGo(lock).transform(free -> Future.failedFuture(e));
    }

    /** Who holds the room, as the claim's log lines name it ({@code node/deployment}). */
    private String holder() {
        return lock instanceof Ownership ownership ? ownership.holder() : nodeId;
    }

    long seq() {
        return committed.getLong("seq");
    }

    String roomId() {
        return roomId;
    }

    boolean active() {
        return active;
    }

    // ---- commands ----

    private void handle(Message<JsonObject> message) {
        lastUsedMs = System.currentTimeMillis();
        if (!accepting) {
            refuse(message, ErrorCode.SERVICE_UNAVAILABLE, "the room is moving to another node; retry");
            return;
        }
        JsonObject body = message.body();
        Actor actor = actor(message);
        if (actor == null) {
            refuse(message, ErrorCode.FORBIDDEN, "commands come through the bridge");
            return;
        }
        switch (body.getValue("op") instanceof String op ? op : "") {
            case "join" -> message.reply(join(actor));
            case "sync" -> sync(message, actor);
            case "view.as" -> viewAs(message, actor, body);
            case MessagePosts.ROTATE_SEED -> decide(
                    message, body, actor, state -> posts.rotateSeed(state, actor), null);
            default -> {
                // Fields no op reads are dropped here: they are neither compared nor kept.
                JsonObject command = RoomCommands.understood(body);
                if (actor.role() == RoomRole.GM && RoomCommands.namesOwners(command)) {
                    decideWithMembers(message, command, actor);
                    return;
                }
                decide(
                        message,
                        command,
                        actor,
                        state -> RoomCommands.decide(state, command.getString("op"), command, actor, Ids::newId),
                        null);
            }
        }
    }

    /**
     * A command that gives tokens to people: the room's members (not banned) are looked up first, so an owner who is
     * not one is refused rather than stored as an owner nobody is.
     */
    private void decideWithMembers(Message<JsonObject> message, JsonObject command, Actor actor) {
        new RoomsClient(vertx.eventBus())
                .members(roomId)
                .map(answer -> memberIds(answer.getJsonArray("members")))
                .onSuccess(members -> decide(
                        message,
                        command,
                        actor,
                        state -> RoomCommands.decide(
                                state, command.getString("op"), command, actor, Ids::newId, members::contains),
                        null))
                .onFailure(e -> refuse(message, ErrorCode.SERVICE_UNAVAILABLE, "the room's members could not be read"));
    }

    private static java.util.Set<String> memberIds(JsonArray members) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Object m : members) {
            JsonObject member = (JsonObject) m;
            if (!member.getBoolean("banned", false)) ids.add(member.getString("userId"));
        }
        return ids;
    }

    /**
     * A finished chat message or roll request from the chat or dice service, on the internal post address. Its dice
     * are rolled here, because verifiable rolls take the room's next nonce in sequence (ADR 10).
     */
    private void post(Message<JsonObject> message) {
        lastUsedMs = System.currentTimeMillis();
        if (!accepting) {
            refuse(message, ErrorCode.SERVICE_UNAVAILABLE, "the room is moving to another node; retry");
            return;
        }
        Actor actor = actor(message);
        Object audience = message.body().getValue("audience");
        if (actor == null || !Audience.valid(audience)) {
            refuse(message, ErrorCode.BAD_REQUEST, "a post names its author and audience");
            return;
        }
        String name = RoomMember.of(message).displayName();
        decide(message, message.body(), actor, state -> posts.decide(state, message.body(), actor, name), audience);
    }

    /**
     * A GM's "view as player": the view one player has now ({@code {op: "view.as", userId}}), their vision mask and
     * explored cells included, so the GM's page draws the same polygons the player's does.
     */
    private void viewAs(Message<JsonObject> message, Actor actor, JsonObject body) {
        if (actor.role() != RoomRole.GM) {
            refuse(message, ErrorCode.GM_ONLY, null);
            return;
        }
        if (!(body.getValue("userId") instanceof String userId) || !StreamAddress.isId(userId)) {
            refuse(message, ErrorCode.BAD_REQUEST, "userId names the player to view as");
            return;
        }
        message.reply(
                new JsonObject().put("seq", seq()).put("view", committedView(new Actor(userId, RoomRole.PLAYER))));
    }

    /**
     * The HTTP verticle's questions on the internal query address, answered from the committed state ({@link
     * SceneTiles}): which asset a member may cut map tile {@code {op: "tile", sceneId, col, row}} from, answered {@code
     * {asset, width, height, mask?}}; and whether they may have asset {@code {op: "wholeImage", assetId}} whole,
     * answered {@code {}}. Either may be refused.
     */
    private void query(Message<JsonObject> message) {
        lastUsedMs = System.currentTimeMillis();
        Actor actor = actor(message);
        JsonObject body = message.body();
        boolean gm = actor != null && actor.role() == RoomRole.GM;
        try {
            if (actor != null
                    && "tile".equals(body.getString("op"))
                    && body.getValue("col") instanceof Integer col
                    && body.getValue("row") instanceof Integer row) {
                message.reply(SceneTiles.tile(
                        committed, committedViews().vision(), body.getString("sceneId"), actor.userId(), gm, col, row));
            } else if (actor != null
                    && "wholeImage".equals(body.getString("op"))
                    && body.getValue("assetId") instanceof String assetId) {
                SceneTiles.checkWholeImage(committed, assetId, gm);
                message.reply(new JsonObject());
            } else {
                refuse(
                        message,
                        ErrorCode.BAD_REQUEST,
                        "a query is {op: tile, sceneId, col, row} or {op: wholeImage, assetId}, with the member's"
                                + " headers");
            }
        } catch (FailureException e) {
            refuse(message, e.failure().code(), e.failure().message());
        }
    }

    /**
     * A live message the bridge checked and built ({@code from} and {@code name} are the sender's, from the trusted
     * headers): with the shown scene's vision off it goes to the whole room, as before; with it on to the GMs and to
     * each player who sees its point now, on their own stream ({@link LiveSight}).
     */
    private void live(Message<JsonObject> message) {
        lastUsedMs = System.currentTimeMillis();
        JsonObject live = message.body();
        Vision vision = committedViews().vision();
        var bus = vertx.eventBus();
        if (vision == null) {
            bus.publish(Addresses.room(roomId), live);
            return;
        }
        bus.publish(Addresses.roomGm(roomId), live);
        for (String userId :
                LiveSight.players(vision, live.getString("from"), live.getDouble("x"), live.getDouble("y")))
            bus.publish(Addresses.user(userId), live);
    }

    static Actor actor(Message<JsonObject> message) {
        RoomMember member = RoomMember.of(message);
        return member == null ? null : new Actor(member.userId(), member.role());
    }

    private JsonObject join(Actor actor) {
        return new JsonObject()
                .put("ok", true)
                .put("room", roomId)
                .put("seq", seq())
                .put("role", actor.role().name())
                .put("owner", nodeId)
                .put("view", committedView(actor))
                .put("secrets", secretsFor(actor))
                .put("handouts", handoutsFor(actor))
                .put("dice", posts.seedPeriod(committed));
    }

    /** The hit points a player sees of the tokens they own beyond the shared player view (none for a GM). */
    private JsonObject secretsFor(Actor actor) {
        if (actor.role() == RoomRole.GM) return new JsonObject();
        return secrets.getOrDefault(actor.userId(), new JsonObject()).copy();
    }

    /** The handouts shown to this member by name (a GM's view has every note already). */
    private JsonObject handoutsFor(Actor actor) {
        if (actor.role() == RoomRole.GM) return new JsonObject();
        return handouts.getOrDefault(actor.userId(), new JsonObject()).copy();
    }

    /**
     * After committed events: each player whose owner-only hit points or chosen handouts changed gets the whole new set
     * of both on their own stream, never on the room's.
     */
    private void publishSecrets() {
        java.util.Map<String, JsonObject> nowSecrets = RoomViews.ownerSecrets(committed);
        java.util.Map<String, JsonObject> nowHandouts = RoomViews.shownNotes(committed);
        java.util.Set<String> users = new java.util.HashSet<>(nowSecrets.keySet());
        users.addAll(secrets.keySet());
        users.addAll(nowHandouts.keySet());
        users.addAll(handouts.keySet());
        for (String userId : users) {
            JsonObject tokens = nowSecrets.getOrDefault(userId, new JsonObject());
            JsonObject notes = nowHandouts.getOrDefault(userId, new JsonObject());
            if (tokens.equals(secrets.getOrDefault(userId, new JsonObject()))
                    && notes.equals(handouts.getOrDefault(userId, new JsonObject()))) continue;
            vertx.eventBus()
                    .publish(
                            Addresses.user(userId),
                            new JsonObject()
                                    .put("type", "secrets")
                                    .put("room", roomId)
                                    .put("tokens", tokens)
                                    .put("notes", notes));
        }
        secrets = nowSecrets;
        handouts = nowHandouts;
    }

    /** The events after {@code since} in the caller's form, or a fresh view when they are no longer in memory. */
    private void sync(Message<JsonObject> message, Actor actor) {
        var since = WholeNumbers.exact(message.body().getValue("since"), 0, Long.MAX_VALUE);
        if (since.isEmpty()) {
            refuse(message, ErrorCode.BAD_REQUEST, "since must be a seq");
            return;
        }
        long from = since.getAsLong();
        if (from > seq()) {
            refuse(message, ErrorCode.BAD_REQUEST, "since " + from + " is ahead of the room (seq " + seq() + ")");
            return;
        }
        long oldestKept =
                history.isEmpty() ? seq() + 1 : history.peekFirst().stored().getLong("seq");
        if (from + 1 < oldestKept && from < seq()) {
            message.reply(join(actor).put("reset", true));
            return;
        }
        JsonArray events = new JsonArray();
        for (RoomEvents event : history) {
            if (event.stored().getLong("seq") > from)
                events.add(event.forViewer(actor.userId(), actor.role() == RoomRole.GM));
        }
        message.reply(new JsonObject()
                .put("ok", true)
                .put("room", roomId)
                .put("seq", seq())
                .put("events", events)
                // What was published on the user stream while the socket was away is not replayed: the whole set is.
                .put("secrets", secretsFor(actor))
                .put("handouts", handoutsFor(actor)));
    }

    /** {@code audience} is null for map commands, whose audience follows from the views they change. */
    private void decide(
            Message<JsonObject> message,
            JsonObject command,
            Actor actor,
            java.util.function.Function<JsonObject, Decision> decider,
            Object audience) {
        // A command id belongs to its sender, and names one command: a repeat must be the same command.
        String commandKey = message.body().getValue("cid") instanceof String cid && !cid.isEmpty() && cid.length() <= 64
                ? actor.userId() + ":" + cid
                : null;
        String digest = commandKey == null ? null : digest(command);
        if (commandKey != null && answered.containsKey(commandKey)) {
            Answer answer = answered.get(commandKey);
            if (answer.digest() != null && !answer.digest().equals(digest)) {
                refuse(message, ErrorCode.CONFLICT, "that command id was used for another command");
                return;
            }
            message.reply(
                    new JsonObject().put("ok", true).put("seq", answer.seq()).put("repeat", true));
            return;
        }
        if (commandKey != null && inFlight.containsKey(commandKey)) {
            inFlight.get(commandKey).repeats().add(message);
            return;
        }
        Decision decision = decider.apply(pending);
        if (!decision.accepted()) {
            Failure failure = decision.failure();
            message.fail(failure.code().httpStatus(), failure.encode());
            return;
        }
        long ts = System.currentTimeMillis();
        List<RoomEvents> events = new ArrayList<>();
        try {
            java.util.Deque<Change> changes = new ArrayDeque<>(decision.changes());
            while (!changes.isEmpty()) {
                Change change = changes.poll();
                long seq = pending.getLong("seq") + 1;
                RoomReducer.apply(pending, seq, change.type(), change.data());
                if (audience != null) {
                    // Chat and dice change no view: they reach their audience whole and everyone else as a stub.
                    events.add(RoomEvents.message(
                            roomId,
                            seq,
                            change.type(),
                            actor.userId(),
                            actor.role() == RoomRole.GM,
                            ts,
                            commandKey,
                            change.data(),
                            audience));
                    continue;
                }
                Vision vision = Vision.of(pending);
                // What players see now joins what they explored: events of their own, after this one. Explored cells
                // change no one's sight, so the events they make are not looked at again (each player's once).
                if (vision != null && !EventType.EXPLORED_ADDED.wire().equals(change.type()))
                    vision.exploredChanges().forEach(changes::addFirst);
                String onlyViewOf = RoomViews.onlyViewOf(change.type(), change.data());
                boolean oneView =
                        vision != null && onlyViewOf != null && vision.players().equals(pendingPersonalViews.keySet());
                JsonObject gmView = oneView ? pendingGmView : RoomViews.gm(pending);
                JsonObject playerView = oneView ? pendingPlayerView : RoomViews.player(pending, vision, null);
                java.util.Map<String, JsonObject> personalViews = oneView
                        ? withView(pendingPersonalViews, onlyViewOf, RoomViews.player(pending, vision, onlyViewOf))
                        : personalViews(pending, vision);
                events.add(RoomEvents.of(
                        roomId,
                        seq,
                        change.type(),
                        actor.userId(),
                        ts,
                        commandKey,
                        change.data(),
                        RoomViews.diff(pendingGmView, gmView),
                        RoomViews.diff(pendingPlayerView, playerView),
                        personalPatches(playerView, personalViews)));
                pendingGmView = gmView;
                pendingPlayerView = playerView;
                pendingPersonalViews = personalViews;
            }
        } catch (RuntimeException broken) {
            // All or nothing: a decision that cannot be applied leaves the pending state as it was.
            LOG.error(
                    "command could not be applied room={} node={} op={}",
                    roomId,
                    nodeId,
                    message.body().getString("op"),
                    broken);
            rebuildPending();
            refuse(message, ErrorCode.INTERNAL, null);
            return;
        }
        Waiting waiting = new Waiting(message, events, new ArrayList<>(), digest);
        if (commandKey != null) inFlight.put(commandKey, waiting);
        batch.add(waiting);
        write();
    }

    /** The views of the players who look through their own tokens here (none with vision off). */
    private static java.util.Map<String, JsonObject> personalViews(JsonObject state, Vision vision) {
        if (vision == null) return java.util.Map.of();
        java.util.Map<String, JsonObject> views = new java.util.TreeMap<>();
        for (String userId : vision.players()) views.put(userId, RoomViews.player(state, vision, userId));
        return views;
    }

    /** The views with one player's replaced. */
    private static java.util.Map<String, JsonObject> withView(
            java.util.Map<String, JsonObject> views, String userId, JsonObject view) {
        java.util.Map<String, JsonObject> replaced = new java.util.TreeMap<>(views);
        replaced.put(userId, view);
        return replaced;
    }

    /**
     * Each player who had or has a view of their own gets a patch from the view they had (their own, or the shared
     * one) to the view they have now.
     */
    private java.util.Map<String, JsonObject> personalPatches(
            JsonObject playerView, java.util.Map<String, JsonObject> personalViews) {
        java.util.Set<String> users = new java.util.TreeSet<>(pendingPersonalViews.keySet());
        users.addAll(personalViews.keySet());
        java.util.Map<String, JsonObject> patches = new java.util.LinkedHashMap<>();
        for (String userId : users) {
            patches.put(
                    userId,
                    RoomViews.diff(
                            pendingPersonalViews.getOrDefault(userId, pendingPlayerView),
                            personalViews.getOrDefault(userId, playerView)));
        }
        return patches;
    }

    /**
     * A member's whole view of the committed state, from the views built since the last change. Shared, never changed
     * after it is built: the reply's codec copies it (locally) or encodes it (across nodes).
     */
    private JsonObject committedView(Actor actor) {
        return committedViews().of(actor);
    }

    /** What is derived from the committed state (views, vision), built on demand until the next change. */
    private CommittedViews committedViews() {
        if (committedViews == null) committedViews = new CommittedViews(committed);
        return committedViews;
    }

    /** The views of one committed state, each built when first asked for. */
    private static final class CommittedViews {
        private final JsonObject state;
        private Vision vision;
        private boolean visionBuilt;
        private JsonObject gm;
        private JsonObject players;
        private final java.util.Map<String, JsonObject> personal = new java.util.HashMap<>();

        CommittedViews(JsonObject state) {
            this.state = state;
        }

        /** The committed state's vision (null when the shown scene's is off), for views and live traffic alike. */
        Vision vision() {
            if (!visionBuilt) {
                vision = Vision.of(state);
                visionBuilt = true;
            }
            return vision;
        }

        JsonObject of(Actor actor) {
            if (actor.role() == RoomRole.GM) {
                if (gm == null) gm = RoomViews.gm(state);
                return gm;
            }
            Vision vision = vision();
            if (vision != null && vision.players().contains(actor.userId())) {
                return personal.computeIfAbsent(actor.userId(), userId -> RoomViews.player(state, vision, userId));
            }
            if (players == null) players = RoomViews.player(state, vision, null);
            return players;
        }
    }

    private static String digest(JsonObject body) {
        JsonObject command = body.copy();
        command.remove("cid");
        return Integer.toHexString(command.encode().hashCode());
    }

    /** Pending = committed + the batches still waiting, rebuilt after a decision failed half-way. */
    private void rebuildPending() {
        resetPending();
        List<Waiting> queued = new ArrayList<>(batch);
        for (Waiting waiting : queued) {
            for (RoomEvents event : waiting.events()) {
                JsonObject stored = event.stored();
                RoomReducer.apply(
                        pending, stored.getLong("seq"), stored.getString("type"), stored.getJsonObject("data"));
            }
        }
        pendingGmView = RoomViews.gm(pending);
        Vision vision = Vision.of(pending);
        pendingPlayerView = RoomViews.player(pending, vision, null);
        pendingPersonalViews = personalViews(pending, vision);
    }

    // ---- the log ----

    private void write() {
        if (writing || batch.isEmpty() || !active) return;
        List<Waiting> writingNow = batch;
        batch = new ArrayList<>();
        writing = true;
        JsonArray stored = new JsonArray();
        writingNow.forEach(w -> w.events().forEach(e -> stored.add(e.stored())));
        long started = System.nanoTime();
        new EventsClient(vertx.eventBus()).append(roomId, stored).onComplete(result -> {
            writing = false;
            if (result.succeeded()) meters.appended(stored.size(), System.nanoTime() - started);
            if (result.succeeded()) committed(writingNow);
            else notStored(writingNow, result.cause());
            if (drained != null && batch.isEmpty()) drained.tryComplete();
            write();
        });
    }

    private void committed(List<Waiting> done) {
        committedViews = null;
        long before = seq();
        for (Waiting waiting : done) {
            for (RoomEvents event : waiting.events()) {
                JsonObject stored = event.stored();
                RoomReducer.apply(
                        committed, stored.getLong("seq"), stored.getString("type"), stored.getJsonObject("data"));
                vertx.eventBus().publish(Addresses.roomGm(roomId), event.forGm());
                vertx.eventBus().publish(Addresses.room(roomId), event.forPlayers());
                event.forUsers().forEach((userId, form) -> vertx.eventBus().publish(Addresses.user(userId), form));
                history.addLast(event);
                if (history.size() > HISTORY) history.removeFirst();
            }
            long last =
                    waiting.events().get(waiting.events().size() - 1).stored().getLong("seq");
            String commandId = waiting.events().get(0).stored().getString("cid");
            if (commandId != null) {
                inFlight.remove(commandId);
                answered.put(commandId, new Answer(last, waiting.digest()));
            }
            waiting.reply(new JsonObject().put("ok", true).put("seq", last));
        }
        publishSecrets();
        if (seq() / SNAPSHOT_EVERY > before / SNAPSHOT_EVERY) snapshot();
    }

    private Future<Void> snapshot() {
        long seq = seq();
        return new EventsClient(vertx.eventBus())
                .snapshot(roomId, seq, committed.copy())
                .<Void>map(stored -> {
                    snapshotSeq = Math.max(snapshotSeq, seq);
                    return null;
                })
                .onFailure(e -> LOG.warn("snapshot not stored room={} seq={}: {}", roomId, seq, e.getMessage()));
    }

    /**
     * A batch was not confirmed. Everything decided on it fails. When the database refused it (another owner wrote
     * first), this owner is stale; when the outcome is unknown (a timeout, a lost persistence node) the events may
     * be stored after all. Either way this owner steps down, and the next owner loads the truth from the log; commands
     * carry ids, so a client that resends one gets it applied once.
     */
    private void notStored(List<Waiting> failed, Throwable cause) {
        Failure failure = FailureException.from(cause);
        boolean fenced = failure.code() == ErrorCode.CONFLICT;
        List<Waiting> dropped = new ArrayList<>(failed);
        dropped.addAll(batch);
        batch = new ArrayList<>();
        Failure reply = fenced
                ? Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "the room moved to another node; retry")
                : failure.code() == ErrorCode.STORE_UNAVAILABLE
                        ? Failure.of(ErrorCode.STORE_UNAVAILABLE, "the database is down; send it again shortly")
                        : Failure.of(ErrorCode.TIMEOUT, "the room could not confirm this; resync, then send it again");
        dropped.forEach(w -> w.fail(reply));
        inFlight.clear();
        resetPending();
        LOG.warn(
                "room owner stepping down room={} node={} fenced={} dropped={}: {}",
                roomId,
                nodeId,
                fenced,
                dropped.size(),
                failure.message());
        stepDown();
    }

    private void resetPending() {
        pending = committed.copy();
        pendingGmView = RoomViews.gm(pending);
        Vision vision = Vision.of(pending);
        pendingPlayerView = RoomViews.player(pending, vision, null);
        pendingPersonalViews = personalViews(pending, vision);
    }

    /** Stops owning: no more commands, the owner address goes, the lock is released for the next owner. */
    Future<Void> stepDown() {
        if (!active) return Future.succeededFuture();
        active = false;
        accepting = false;
        lock.release();
        Future<Void> unregistered = unregisterConsumers("stepDown");
        return unregistered.eventually(() -> {
            onStepDown.run();
            return Future.succeededFuture();
        });
    }

    /**
     * Graceful handover: stop accepting (commands are told to retry), finish writing what was accepted, release the
     * lock, let {@code successor} claim the room elsewhere, and only then stop answering — so commands always find an
     * owner that either serves them or sends them on.
     */
    Future<Void> handOver(java.util.function.Function<String, Future<?>> successor) {
        accepting = false;
        long started = System.nanoTime();
        long[] drainedAt = new long[1];
        Future<Void> written;
        if (!writing && batch.isEmpty()) {
            written = Future.succeededFuture();
        } else {
            drained = Promise.promise();
            written = drained.future();
        }
        return written.compose(done -> {
                    drainedAt[0] = System.nanoTime();
                    // The successor is asked once the lock is free: asked earlier, its claim finds the room still
                    // held and fails or waits, which is what froze rooms for seconds during a rescale.
                    return Ownership.letGo(lock)
                            .compose(free -> successor.apply(roomId))
                            .<Void>mapEmpty()
                            .recover(e -> {
                                LOG.warn(
                                        "room successor not found room={} node={}: {}", roomId, nodeId, e.getMessage());
                                return Future.succeededFuture();
                            });
                })
                .compose(done -> {
                    long now = System.nanoTime();
                    // The stages of a handover, so a slow one says where its time went.
                    LOG.info(
                            "room handed over room={} node={} seq={} drainMs={} successorMs={} totalMs={}",
                            roomId,
                            nodeId,
                            seq(),
                            (drainedAt[0] - started) / 1_000_000,
                            (now - drainedAt[0]) / 1_000_000,
                            (now - started) / 1_000_000);
                    meters.handedOver();
                    active = false;
                    Future<Void> unregistered = unregisterConsumers("handOver");
                    return unregistered.eventually(() -> {
                        onStepDown.run();
                        return Future.succeededFuture();
                    });
                });
    }

    /** Nobody has used the room since {@code cutoffMs}, and nothing is waiting to be written. */
    boolean idleSince(long cutoffMs) {
        return active && accepting && !writing && batch.isEmpty() && lastUsedMs < cutoffMs;
    }

    /**
     * Lets go of an idle room so its memory returns: a snapshot first (when the log moved since the last one), so
     * the next owner loads quickly, then the lock and the addresses, as a step-down. A command that arrives meanwhile
     * is told to retry and claims the room again.
     */
    Future<Void> unload() {
        accepting = false;
        long idleSeconds = (System.currentTimeMillis() - lastUsedMs) / 1000;
        Future<Void> saved = seq() > snapshotSeq ? snapshot() : Future.succeededFuture();
        return saved.recover(e -> Future.succeededFuture()).compose(done -> {
            LOG.info("room unloaded room={} node={} seq={} idleSeconds={}", roomId, nodeId, seq(), idleSeconds);
            active = false;
            return Ownership.letGo(lock)
                    .compose(free -> unregisterConsumers("unload"))
                    .eventually(() -> {
                        onStepDown.run();
                        return Future.succeededFuture();
                    });
        });
    }

    /**
     * Stops answering the room's addresses, then says so: a sender whose request reached this node too late gets no
     * reply from the bus, and sends again at once on the notice instead of waiting out its timeout.
     */
    private Future<Void> unregisterConsumers(String stage) {
        long started = System.nanoTime();
        // This node stops delivering to them at once; only the cluster's removal can hang, and it stays queued.
        return Bounded.within(unregister(), Deadlines.ROOM_ADDRESSES_MS, late -> {})
                .transform(unregistered -> atHome(() -> {
                    if (unregistered.failed()) {
                        LOG.warn(
                                "room addresses not unregistered, let go anyway room={} holder={} stage={} afterMs={}:"
                                        + " {}",
                                roomId,
                                holder(),
                                stage,
                                (System.nanoTime() - started) / 1_000_000,
                                Bounded.overran(unregistered.cause())
                                        ? "the cluster did not answer in time"
                                        : unregistered.cause().getMessage());
                    }
                    return Future.<Void>succeededFuture();
                }))
                .eventually(() -> {
                    Departures.of(vertx.eventBus())
                            .announce(
                                    nodeId,
                                    List.of(
                                            Addresses.roomOwner(roomId),
                                            Addresses.roomPost(roomId),
                                            Addresses.roomQuery(roomId)));
                    return Future.succeededFuture();
                });
    }

    /** Drops the room's addresses: gone from this node when this returns, from the cluster when the future is. */
    private Future<Void> unregister() {
        return Future.all(
                        consumer == null ? Future.succeededFuture() : consumer.unregister(),
                        postConsumer == null ? Future.succeededFuture() : postConsumer.unregister(),
                        queryConsumer == null ? Future.succeededFuture() : queryConsumer.unregister(),
                        liveConsumer == null ? Future.succeededFuture() : liveConsumer.unregister())
                .mapEmpty();
    }

    private static void refuse(Message<JsonObject> message, ErrorCode code, String text) {
        message.fail(code.httpStatus(), code.toJson(text).encode());
    }
}
