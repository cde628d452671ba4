package io.vertable.bridge;

import io.vertable.kit.NodeContext;
import io.vertable.kit.NodeMeters;
import io.vertable.security.Identity;
import io.vertable.security.Ids;
import io.vertable.security.Membership;
import io.vertable.security.RateLimiter;
import io.vertable.security.RateLimiter.Decision;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.security.Revocations;
import io.vertable.shared.JsonLimits;
import io.vertable.shared.RoomRole;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.BridgeControl;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.impl.UserContextInternal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's access control: every bridge event passes here. REGISTER is checked per exact address
 * against the socket's user and room roles; SEND is limited to the inbound commands (or a reply address this socket was
 * given), must be a bounded JSON object naming a room the user belongs to, and gets trusted headers in place of the
 * client's. Every refusal is an {@code err} frame with a catalog code before the bridge's own "rejected".
 */
final class BridgeGate implements Handler<BridgeEvent>, StreamSocket.StreamFrames {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeGate.class);
    static final Set<String> INBOUND =
            Set.of(Addresses.IN_ROOM, Addresses.IN_MAP, Addresses.IN_DICE, Addresses.IN_CHAT, Addresses.IN_LIVE);
    private static final int MAX_ROOMS_PER_SOCKET = 64;
    /** The close status that says "this node is leaving, reconnect now": WebSocket's Going Away. */
    static final int NODE_LEAVING = 1001;

    /** What Vert.x reports when a WebSocket's connection ends without a close frame. */
    private static final String DROPPED = "Connection was closed";
    /** vertx-web's bridge's own refusal, sent after ours: the client library expects it. */
    private static final Buffer REJECTED =
            new JsonObject().put("type", "err").put("body", "rejected").toBuffer();
    /** The bytes every register and unregister frame holds (and few others do): frames without them pass untouched. */
    private static final byte[] REGISTER = "register".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** ... and every answer to a request the fan-out delivered. */
    private static final byte[] REPLY = Addresses.REPLY_PREFIX.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Membership membership;
    private final RateLimiter limiter;
    private final Presence presence;
    private final String nodeId;
    private final int maxMessageBytes;
    private final int maxAddressLength;
    private final int maxHandlers;
    private final Limit socketLimit;
    private final Limit userLimit;
    private final Map<SockJSSocket, SocketState> sockets = new IdentityHashMap<>();
    private final NodeMeters meters;
    /** This instance's open sockets, as the node's meters see them. */
    private final AtomicInteger open;

    private final StreamFanout fanout;

    /** @param open this instance's count of open sockets, as the node's meters see it */
    BridgeGate(
            Vertx vertx,
            Membership membership,
            RateLimiter limiter,
            Presence presence,
            NodeContext node,
            AtomicInteger open) {
        JsonObject bridge = node.config().section("bridge");
        this.fanout = new StreamFanout(
                vertx,
                bridge.getInteger("maxQueuedBytes"),
                Deadlines.BRIDGE_REPLY_MS,
                BridgeVerticle.maxFrameSize(bridge),
                this::tooSlow);
        this.membership = membership;
        this.meters = node.meters();
        this.open = open;
        this.limiter = limiter;
        this.presence = presence;
        this.nodeId = node.nodeId();
        this.maxMessageBytes = bridge.getInteger("maxMessageBytes");
        this.maxAddressLength = bridge.getInteger("maxAddressLength");
        this.maxHandlers = bridge.getInteger("maxHandlersPerSocket");
        this.socketLimit =
                new Limit("bridge-socket", bridge.getInteger("socketRatePerSecond"), bridge.getInteger("socketBurst"));
        this.userLimit =
                new Limit("bridge-user", bridge.getInteger("userRatePerSecond"), bridge.getInteger("userBurst"));
    }

    @Override
    public void handle(BridgeEvent event) {
        if (tooDeep(event)) return;
        switch (event.type()) {
            case SOCKET_CREATED -> opened(event);
            case SOCKET_CLOSED -> closed(event);
            case SOCKET_ERROR -> broken(event);
            case REGISTER -> register(event);
            case UNREGISTER -> unregister(event);
            case SEND -> send(event);
            case PUBLISH -> refuse(event, ErrorCode.ADDRESS_NOT_ALLOWED, "browsers send commands; they do not publish");
            case RECEIVE -> receive(event);
            default -> event.complete(true);
        }
    }

    /**
     * A frame from a browser is parsed by the bridge and then copied, encoded and stored by others, all recursively:
     * one nested too deep is refused here, before anything else walks it.
     */
    private boolean tooDeep(BridgeEvent event) {
        boolean inbound =
                switch (event.type()) {
                    case SEND, PUBLISH, REGISTER, UNREGISTER -> true;
                    default -> false;
                };
        JsonObject frame = event.getRawMessage();
        Failure problem = !inbound || frame == null ? null : JsonLimits.check(frame);
        if (problem == null) return false;
        SocketState state = sockets.get(event.socket());
        LOG.info(
                "frame refused node={} user={} code={}",
                nodeId,
                state == null ? null : state.identity.userId(),
                problem.code());
        refuse(event, problem);
        return true;
    }

    int openSockets() {
        return sockets.size();
    }

    /** Streams this instance delivers (one consumer each). */
    int streams() {
        return fanout.streams();
    }

    void close() {
        fanout.close();
    }

    // ---- socket lifecycle ----

    private void opened(BridgeEvent event) {
        Identity identity = Identity.fromUser(event.socket().webUser());
        if (identity == null) {
            event.complete(false);
            return;
        }
        forgetWebUser(event.socket());
        sockets.put(
                event.socket(),
                new SocketState(
                        event.socket(),
                        identity,
                        Ids.newId(),
                        membership.rolesOf(identity.userId(), MAX_ROOMS_PER_SOCKET)));
        open.set(sockets.size());
        LOG.debug("socket opened node={} user={}", nodeId, identity.userId());
        event.complete(true);
    }

    /**
     * The socket keeps its handshake's routing context as long as it is open, and with it the web user the token was
     * read into (claims in nested JSON, a few hundred bytes): the identity taken from it is all the gate uses later.
     */
    private static void forgetWebUser(SockJSSocket socket) {
        RoutingContext context = socket.routingContext();
        if (context != null && context.userContext() instanceof UserContextInternal user) user.setUser(null);
    }

    private void closed(BridgeEvent event) {
        SocketState state = sockets.remove(event.socket());
        open.set(sockets.size());
        event.complete(true);
        if (state == null) return;
        leaveStreams(state);
    }

    /** Takes a socket that is gone or going off its streams and presence. */
    private void leaveStreams(SocketState state) {
        limiter.forgetLocal(socketKey(state));
        fanout.leaveAll(state);
        for (String address : state.registered) leftStream(state, address);
        state.registered.clear();
    }

    /**
     * The transport failed under a socket (typically a message over the server's size cap): the bridge has already
     * dropped its registrations, so say why and close it rather than leave it half alive.
     */
    private void broken(BridgeEvent event) {
        event.complete(true);
        SocketState state = sockets.get(event.socket());
        if (state == null) return;
        String message = String.valueOf(
                event.getRawMessage() == null ? null : event.getRawMessage().getString("message"));
        // Over the cap as one frame (a browser sends a message whole) or as a message of many frames.
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        Failure why = lower.contains("max message size") || lower.contains("max frame length")
                ? Failure.of(
                        ErrorCode.PAYLOAD_TOO_LARGE, "that message was far over the limit; the connection is closed")
                : Failure.of(ErrorCode.INTERNAL, "the connection failed");
        if (DROPPED.equals(message)) {
            // The peer went away without a close frame (a tab killed, a network gone, a client that could not take a
            // frame): not a fault of ours, so not logged as one.
            LOG.info("socket dropped by the client node={} user={}", nodeId, state.identity.userId());
        } else {
            LOG.info(
                    "socket closed after a transport error node={} user={} code={} cause={}",
                    nodeId,
                    state.identity.userId(),
                    why.code(),
                    message.length() > 200 ? message.substring(0, 200) : message);
        }
        disconnect(state, why);
    }

    /**
     * Closes the sockets a control message concerns: a revoked session, a member whose membership changed (kicked,
     * banned, new role), or everyone in a deleted room. The close carries the code that tells the page which.
     */
    void control(BridgeControl message) {
        List<SocketState> affected = new ArrayList<>();
        for (SocketState state : sockets.values()) if (concerns(message, state)) affected.add(state);
        Failure why = closeReason(message);
        for (SocketState state : affected) {
            disconnect(state, why);
            LOG.info(
                    "socket closed by control node={} user={} room={} reason={}",
                    nodeId,
                    state.identity.userId(),
                    message.roomId(),
                    why.code());
        }
    }

    private static boolean concerns(BridgeControl message, SocketState state) {
        boolean sameUser = state.identity.userId().equals(message.userId());
        boolean inRoom = state.roles.knows(message.roomId());
        return switch (message.type()) {
            case REVOKED -> sameUser
                    && (state.identity.sessionId().equals(message.sessionId())
                            || Revocations.endsSession(
                                    message.sessionId(),
                                    message.until(),
                                    state.identity.userId(),
                                    state.identity.sessionStart()));
            case MEMBERSHIP -> sameUser && inRoom;
            case ROOM_DELETED -> inRoom;
        };
    }

    private static Failure closeReason(BridgeControl message) {
        return switch (message.type()) {
            case REVOKED -> message.sessionId() != null
                            && message.sessionId().equals(Revocations.userKey(message.userId()))
                    ? Failure.of(
                            ErrorCode.TOKEN_REVOKED,
                            "the GM signed your browsers out of this table; an invite link from the GM brings you back")
                    : Failure.of(ErrorCode.TOKEN_REVOKED, null);
            case ROOM_DELETED -> Failure.of(ErrorCode.ROOM_DELETED, "the GM deleted this room");
            case MEMBERSHIP -> switch (message.change()) {
                case BANNED -> Failure.of(ErrorCode.BANNED, "the GM banned you from this room");
                case ROLE -> Failure.of(
                        ErrorCode.ROLE_CHANGED,
                        "the GM made you "
                                + Optional.ofNullable(message.role())
                                        .map(role -> role.name().toLowerCase(java.util.Locale.ROOT))
                                        .orElse("something else"));
                case KICKED -> Failure.of(ErrorCode.KICKED, "the GM removed you from this room");
            };
        };
    }

    /** Closes sockets whose session token has expired; the client reconnects with its refreshed token. */
    void closeExpired(long nowSeconds) {
        List<SocketState> expired = new ArrayList<>();
        for (SocketState state : sockets.values()) if (state.identity.expiresAt() <= nowSeconds) expired.add(state);
        expired.forEach(state ->
                disconnect(state, Failure.of(ErrorCode.UNAUTHENTICATED, "the session token expired; reconnect")));
    }

    /**
     * Forgets the socket at once (frames still in flight from it find no state and are refused), then tells the
     * client why and closes it.
     */
    private void disconnect(SocketState state, Failure why) {
        forget(state);
        // Closed only once the reason is written: a SockJS session closed at once drops what it had not sent yet.
        writeError(state.socket, null, why).onComplete(written -> state.socket.close());
    }

    private void forget(SocketState state) {
        sockets.remove(state.socket);
        open.set(sockets.size());
        leaveStreams(state);
    }

    /**
     * This instance is stopping: every socket is closed at once with "going away" (RFC 6455's 1001), which tells the
     * page to reconnect now (to a node that stays) rather than after a backoff or when the server closes under it.
     */
    void closeAllLeaving() {
        List<SocketState> all = new ArrayList<>(sockets.values());
        for (SocketState state : all) {
            forget(state);
            state.socket.close(NODE_LEAVING, "node leaving; reconnect now");
        }
        if (!all.isEmpty()) LOG.info("sockets moved off a stopping bridge node={} sockets={}", nodeId, all.size());
    }

    /**
     * A socket that stopped reading: its unsent frames passed the bound. Dropped at once with a close status (waiting
     * for the reason to be written would wait on the very queue that is full); the others of its rooms never wait for
     * it, and its page reconnects and catches up.
     */
    private void tooSlow(SocketState state) {
        if (sockets.get(state.socket) != state) return;
        LOG.info(
                "socket dropped as too slow node={} user={} queuedBytes={}",
                nodeId,
                state.identity.userId(),
                StreamFanout.unsent(state));
        forget(state);
        writeError(state.socket, null, Failure.of(ErrorCode.CONNECTION_TOO_SLOW, null));
        state.socket.close(BridgeControl.CLOSE_TOO_SLOW, ErrorCode.CONNECTION_TOO_SLOW.name());
    }

    /**
     * Live sockets' streams of the rooms that pass {@code rooms}, for the presence refresh (a slice of the rooms a
     * tick): {room, user, socket}.
     */
    List<String[]> presenceEntries(java.util.function.Predicate<String> rooms) {
        List<String[]> entries = new ArrayList<>();
        for (SocketState state : sockets.values()) {
            for (String address : state.registered) {
                StreamAddress.parse(address)
                        .filter(stream -> stream.kind() == StreamAddress.Kind.ROOM && rooms.test(stream.id()))
                        .ifPresent(
                                stream -> entries.add(new String[] {stream.id(), state.identity.userId(), state.id}));
            }
        }
        return entries;
    }

    // ---- register ----

    /**
     * Stream REGISTER and UNREGISTER frames, taken before vertx-web's bridge sees them: the socket joins or leaves the
     * stream's fan-out. Anything else (other addresses, malformed frames) is left to the bridge, which asks
     * {@link #handle} as before.
     */
    @Override
    public boolean handled(SockJSSocket socket, Buffer data) {
        byte[] bytes = data.getBytes();
        boolean mentionsRegister = contains(bytes, REGISTER);
        if (!mentionsRegister && !contains(bytes, REPLY)) return false;
        JsonObject frame;
        try {
            frame = new JsonObject(data);
        } catch (RuntimeException notJson) {
            return false;
        }
        Object type = frame.getValue("type");
        if ("send".equals(type)
                && frame.getValue("address") instanceof String replyAddress
                && fanout.awaits(replyAddress)) {
            answer(socket, frame, replyAddress);
            return true;
        }
        if (!mentionsRegister) return false;
        boolean register = "register".equals(type);
        if (!register && !"unregister".equals(type)) return false;
        if (!(frame.getValue("address") instanceof String address)
                || address.length() > maxAddressLength
                || StreamAddress.parse(address).isEmpty()) return false;
        SocketState state = sockets.get(socket);
        Failure deep = JsonLimits.check(frame);
        if (deep != null) {
            LOG.info(
                    "frame refused node={} user={} code={}",
                    nodeId,
                    state == null ? null : state.identity.userId(),
                    deep.code());
            refuse(socket, frame, deep);
        } else if (register) {
            registerStream(socket, state, frame, address);
        } else {
            unregisterStream(socket, state, frame, address);
        }
        return true;
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) if (bytes[i + j] != part[j]) continue outer;
            return true;
        }
        return false;
    }

    private void registerStream(SockJSSocket socket, SocketState state, JsonObject frame, String address) {
        if (state == null) {
            socket.write(REJECTED);
            return;
        }
        state.registering(address);
        registration(state, address).onComplete(decision -> {
            boolean wanted = state.stillRegistering(address);
            if (decision.failed()) {
                refuse(socket, frame, decision.cause());
            } else if (sockets.get(socket) != state) {
                socket.write(REJECTED); // closed or kicked while the lookup ran
            } else if (wanted) { // else unregistered while the lookup ran: the later frame stands
                boolean fresh = state.registered.add(address);
                fanout.join(state, address);
                if (fresh && decision.result().kind() == StreamAddress.Kind.ROOM) {
                    joinPresence(state, decision.result().id(), address);
                }
            }
        });
    }

    /** Enters the socket in the room's presence and hands it the whole list (the room hears only that it joined). */
    private void joinPresence(SocketState state, String roomId, String address) {
        presence.join(roomId, state.identity.userId(), state.identity.displayName(), state.id)
                .onSuccess(online -> {
                    if (online != null && state.registered.contains(address)) {
                        fanout.writeTo(state, address, Presence.list(roomId, online));
                    }
                });
    }

    private void unregisterStream(SockJSSocket socket, SocketState state, JsonObject frame, String address) {
        if (state == null) return;
        if (!limiter.takeLocal(socketKey(state), socketLimit).allowed()) {
            refuse(socket, frame, Failure.of(ErrorCode.RATE_LIMITED, "slow down"));
            return;
        }
        state.stillRegistering(address); // a registration still being looked up ends with nothing
        if (state.registered.remove(address)) {
            fanout.leave(state, address);
            leftStream(state, address);
        }
    }

    /** Anything else the bridge was asked to register: never a stream the socket may hear (those come above). */
    private void register(BridgeEvent event) {
        SocketState state = sockets.get(event.socket());
        String address = event.getRawMessage().getString("address");
        if (state == null) {
            event.complete(false);
            return;
        }
        registration(state, address).onComplete(decision -> {
            if (decision.failed() && decision.cause() instanceof LimitedException limited) {
                refuseLimited(event, limited.decision);
            } else if (decision.failed()) {
                refuse(event, decision.cause());
            } else {
                refuse(event, ErrorCode.ADDRESS_NOT_ALLOWED, "not a stream you may listen to");
            }
        });
    }

    /** Whether the socket may listen to this address: the stream it names, or why not. */
    private Future<StreamAddress> registration(SocketState state, String address) {
        Decision allowed = limiter.takeLocal(socketKey(state), socketLimit);
        if (!allowed.allowed()) return Future.failedFuture(new LimitedException(allowed));
        if (address.length() > maxAddressLength) {
            return failed(ErrorCode.ADDRESS_TOO_LONG, "at most " + maxAddressLength + " characters");
        }
        if (!state.registered.contains(address) && state.registered.size() >= maxHandlers) {
            return failed(ErrorCode.TOO_MANY_HANDLERS, "at most " + maxHandlers + " per connection");
        }
        Optional<StreamAddress> stream = StreamAddress.parse(address);
        if (stream.isEmpty()) return failed(ErrorCode.ADDRESS_NOT_ALLOWED, "not a stream you may listen to");
        return authorizeStream(state, stream.get()).map(stream.get());
    }

    private Future<Void> authorizeStream(SocketState state, StreamAddress stream) {
        if (stream.kind() == StreamAddress.Kind.USER) {
            return stream.id().equals(state.identity.userId())
                    ? Future.succeededFuture()
                    : failed(ErrorCode.ADDRESS_NOT_ALLOWED, "another user's stream");
        }
        return state.roles.in(stream.id()).compose(role -> {
            if (stream.kind() == StreamAddress.Kind.ROOM_GM && role != RoomRole.GM) {
                return failed(ErrorCode.GM_ONLY, "the GM stream is for GMs");
            }
            return Future.succeededFuture();
        });
    }

    private void unregister(BridgeEvent event) {
        SocketState state = sockets.get(event.socket());
        if (state != null && !limiter.takeLocal(socketKey(state), socketLimit).allowed()) {
            refuse(event, ErrorCode.RATE_LIMITED, "slow down");
            return;
        }
        event.complete(true);
        String address = event.getRawMessage().getString("address");
        if (state != null && state.registered.remove(address)) leftStream(state, address);
    }

    private void leftStream(SocketState state, String address) {
        StreamAddress.parse(address)
                .filter(stream -> stream.kind() == StreamAddress.Kind.ROOM)
                .ifPresent(stream -> presence.leave(stream.id(), state.identity.userId(), state.id));
    }

    // ---- send ----

    private void send(BridgeEvent event) {
        SocketState state = sockets.get(event.socket());
        JsonObject frame = event.getRawMessage();
        if (state == null) {
            event.complete(false);
            return;
        }
        decideInOrder(state, frame, result -> {
            if (result.succeeded()) {
                frame.put("headers", result.result());
                event.complete(true);
            } else if (result.cause() instanceof LimitedException limited) {
                refuseLimited(event, limited.decision);
            } else {
                refuse(event, result.cause());
            }
        });
    }

    /**
     * A socket's answer to a request the fan-out delivered to it: the same checks as any send (the reply address must
     * be this socket's), then the answer goes to the requester with the trusted headers.
     */
    private void answer(SockJSSocket socket, JsonObject frame, String replyAddress) {
        SocketState state = sockets.get(socket);
        if (state == null) {
            socket.write(REJECTED);
            return;
        }
        decideInOrder(state, frame, result -> {
            Message<Object> question = result.succeeded() ? fanout.awaitingReply(replyAddress) : null;
            if (question != null) {
                var headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
                result.result().forEach(header -> headers.add(header.getKey(), String.valueOf(header.getValue())));
                question.reply(frame.getValue("body"), new DeliveryOptions().setHeaders(headers));
            } else if (result.succeeded()) {
                socket.write(REJECTED); // answered or timed out meanwhile
            } else {
                refuse(socket, frame, result.cause());
            }
        });
    }

    /**
     * Decides a send: the checks that need no lookup at once, then the user's limit and the trusted headers. The
     * lookups are asynchronous (Redis, membership) and may finish out of order; a socket's frames still go on in the
     * order it sent them, so one player's moves reach the room as they were made.
     */
    private void decideInOrder(SocketState state, JsonObject frame, Handler<AsyncResult<JsonObject>> then) {
        Decision socketDecision = limiter.takeLocal(socketKey(state), socketLimit);
        if (!socketDecision.allowed()) {
            then.handle(Future.failedFuture(new LimitedException(socketDecision)));
            return;
        }
        Failure problem = checkSend(state, frame);
        if (problem != null) {
            then.handle(Future.failedFuture(new FailureException(problem)));
            return;
        }
        String address = frame.getString("address");
        Future<JsonObject> decided = limiter.takeLeased(userLimit, state.identity.userId())
                .compose(decision -> decision.allowed()
                        ? trustedHeaders(state, address, frame)
                        : Future.failedFuture(new LimitedException(decision)));
        // The next frame's turn comes only once this one's action ran (the bridge has passed it on).
        state.sends.add(decided, then);
    }

    /** The checks that need no lookup; null when the frame may go on. */
    private Failure checkSend(SocketState state, JsonObject frame) {
        String address = frame.getString("address");
        if (address.length() > maxAddressLength) {
            return Failure.of(ErrorCode.ADDRESS_TOO_LONG, "at most " + maxAddressLength + " characters");
        }
        if (address.startsWith(Addresses.REPLY_PREFIX)) {
            return state.consume(address) ? null : Failure.of(ErrorCode.REPLY_ADDRESS_NOT_OWNED, null);
        }
        if (!INBOUND.contains(address)) return Failure.of(ErrorCode.ADDRESS_NOT_ALLOWED, "send commands to vtt.in.*");
        if (!(frame.getValue("body") instanceof JsonObject body)) {
            return Failure.of(ErrorCode.BODY_NOT_JSON, "the body must be a JSON object");
        }
        if (body.encode().length() > maxMessageBytes) {
            return Failure.of(ErrorCode.PAYLOAD_TOO_LARGE, "at most " + maxMessageBytes + " bytes");
        }
        if (!StreamAddress.isId(body.getValue("room") instanceof String room ? room : null)) {
            return Failure.of(ErrorCode.ROOM_REQUIRED, null);
        }
        return null;
    }

    /** Replaces whatever headers the client sent with the ones services trust. */
    private Future<JsonObject> trustedHeaders(SocketState state, String address, JsonObject frame) {
        if (address.startsWith(Addresses.REPLY_PREFIX))
            return Future.succeededFuture(Membership.trustedHeaders(state.identity, null));
        String roomId = frame.getJsonObject("body").getString("room");
        return state.roles.in(roomId).map(role -> Membership.trustedHeaders(state.identity, role));
    }

    // ---- receive ----

    private void receive(BridgeEvent event) {
        SocketState state = sockets.get(event.socket());
        String replyAddress = event.getRawMessage().getString("replyAddress");
        if (state != null && replyAddress != null) state.own(replyAddress);
        event.complete(true);
    }

    // ---- refusals ----

    private static String socketKey(SocketState state) {
        return "socket:" + state.id;
    }

    /** A refused stream frame: our coded refusal, then the bridge's own, as the bridge would have written them. */
    private void refuse(SockJSSocket socket, JsonObject frame, Throwable cause) {
        if (cause instanceof LimitedException limited) {
            var failure = Failure.of(
                    ErrorCode.RATE_LIMITED, "slow down; retry in " + limited.decision.retryAfterMs() + " ms");
            writeError(socket, replyTarget(frame), failure, limited.decision.retryAfterMs());
            socket.write(REJECTED);
        } else {
            refuse(socket, frame, FailureException.from(cause));
        }
    }

    private void refuse(SockJSSocket socket, JsonObject frame, Failure failure) {
        if (failure.code() == ErrorCode.INTERNAL)
            LOG.warn("bridge check failed node={}: {}", nodeId, failure.message());
        writeError(socket, replyTarget(frame), failure);
        socket.write(REJECTED);
    }

    private void refuseLimited(BridgeEvent event, Decision decision) {
        var failure = Failure.of(ErrorCode.RATE_LIMITED, "slow down; retry in " + decision.retryAfterMs() + " ms");
        writeError(event.socket(), replyTarget(event), failure, decision.retryAfterMs());
        event.complete(false);
    }

    private void refuse(BridgeEvent event, Throwable cause) {
        refuse(event, FailureException.from(cause));
    }

    private void refuse(BridgeEvent event, ErrorCode code, String message) {
        refuse(event, Failure.of(code, message));
    }

    private void refuse(BridgeEvent event, Failure failure) {
        if (failure.code() == ErrorCode.INTERNAL)
            LOG.warn("bridge check failed node={}: {}", nodeId, failure.message());
        writeError(event.socket(), replyTarget(event), failure);
        event.complete(false);
    }

    /** Where the client expects an answer: its reply address for a send, the address itself for a register. */
    private static String replyTarget(BridgeEvent event) {
        return replyTarget(event.getRawMessage());
    }

    private static String replyTarget(JsonObject frame) {
        if (frame == null) return null;
        // Read without casts: these fields are whatever the client sent.
        if (frame.getValue("replyAddress") instanceof String reply && reply.length() <= 36) return reply;
        return "register".equals(frame.getValue("type"))
                        && frame.getValue("address") instanceof String address
                        && address.length() <= 256
                ? address
                : null;
    }

    private Future<Void> writeError(SockJSSocket socket, String address, Failure failure) {
        return writeError(socket, address, failure, -1);
    }

    private Future<Void> writeError(SockJSSocket socket, String address, Failure failure, long retryAfterMs) {
        meters.refused(failure.code());
        JsonObject body = failure.code().toJson(failure.message());
        if (retryAfterMs >= 0) body.put("retryAfterMs", retryAfterMs);
        var frame = new JsonObject()
                .put("type", "err")
                .put("failureCode", failure.code().httpStatus())
                .put("failureType", "RECIPIENT_FAILURE")
                .put("code", failure.code().name())
                .put("message", body.encode());
        if (address != null) frame.put("address", address);
        return socket.write(Buffer.buffer(frame.encode()));
    }

    private static <T> Future<T> failed(ErrorCode code, String message) {
        return Future.failedFuture(new FailureException(code, message));
    }

    /** A refusal by the user's cluster-wide limit, carrying the retry hint. */
    private static final class LimitedException extends RuntimeException {
        final transient Decision decision;

        LimitedException(Decision decision) {
            super("rate limited", null, false, false);
            this.decision = decision;
        }
    }
}
