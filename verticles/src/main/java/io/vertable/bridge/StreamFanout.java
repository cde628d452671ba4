package io.vertable.bridge;

import io.netty.buffer.ByteBuf;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Delivers room and user streams to this bridge instance's sockets: one event-bus consumer per stream however many
 * sockets listen to it, and each message built into its {@code rec} frame and encoded once, then the same bytes written
 * to every member socket. Who may listen was decided when the socket registered (exact addresses, in
 * {@link BridgeGate}); nothing is matched per delivery. A socket whose unsent frames pass the bound is handed to
 * {@code tooSlow} instead of being written to (its page reconnects and catches up). Raw WebSocket sockets get the
 * message's WebSocket bytes, also built once and shared ({@link StreamSocket#writeShared}). Touched only on its
 * verticle's event loop, as the consumers are registered from it.
 */
final class StreamFanout {

    private final Vertx vertx;
    private final long maxQueuedBytes;
    private final long replyTimeoutMs;
    /** The bridge server's largest WebSocket frame: longer messages are split as Vert.x splits them. */
    private final int maxFrameSize;

    private final Consumer<SocketState> tooSlow;
    private final Map<String, Stream> streams = new HashMap<>();
    /**
     * Requests delivered to sockets (rare: streams are published), by reply address, until answered or timed out; a
     * socket's send to one of these addresses answers it (see {@link #awaitingReply}).
     */
    private final Map<String, Message<Object>> awaitingReply = new HashMap<>();

    /** The sockets of one stream and its one consumer. */
    private final class Stream {
        final String address;
        final boolean userStream;
        final List<SocketState> members = new ArrayList<>(8);
        final MessageConsumer<Object> consumer;

        Stream(String address) {
            this.address = address;
            this.userStream = StreamAddress.parse(address)
                    .filter(stream -> stream.kind() == StreamAddress.Kind.USER)
                    .isPresent();
            this.consumer = vertx.eventBus().consumer(address, this::deliver);
        }

        private void deliver(Message<Object> message) {
            if (members.isEmpty()) return;
            // A user's own stream carries what rooms keep for them alone (their view through their tokens, their
            // handouts): only to sockets whose user is a member there now, so a kicked player's new socket hears none.
            String room = userStream ? roomOf(message.body()) : null;
            String replyAddress = message.replyAddress();
            if (replyAddress != null) awaitReply(replyAddress, message);
            Outbound frame = new Outbound(frame(address, message));
            List<SocketState> slow = null;
            try {
                for (SocketState member : members) {
                    if (room != null && !member.roles.isMember(room)) continue;
                    if (unsent(member) > maxQueuedBytes) {
                        if (slow == null) slow = new ArrayList<>(1);
                        slow.add(member);
                    } else {
                        if (replyAddress != null) member.own(replyAddress);
                        write(member, frame);
                    }
                }
            } finally {
                frame.release();
            }
            if (slow != null) slow.forEach(tooSlow);
        }
    }

    /**
     * One message on its way to a stream's sockets: its bridge frame, and the WebSocket bytes of that frame, built for
     * the first raw-WebSocket socket and shared by the others.
     */
    private final class Outbound {
        final Buffer frame;
        private ByteBuf webSocketFrames;

        Outbound(Buffer frame) {
            this.frame = frame;
        }

        ByteBuf webSocketFrames() {
            if (webSocketFrames == null) webSocketFrames = WebSocketFrames.binary(frame, maxFrameSize);
            return webSocketFrames;
        }

        void release() {
            if (webSocketFrames != null) webSocketFrames.release();
        }
    }

    /** Bytes written to the socket that the network has not taken yet. */
    static long unsent(SocketState member) {
        return member.queuedBytes
                + (member.socket instanceof StreamSocket stream && stream.direct() ? stream.unsentBytes() : 0);
    }

    /**
     * A raw WebSocket gets the shared bytes straight on its channel (its unsent bytes are the channel's); other
     * transports get the frame through Vert.x, counted until written.
     */
    private static void write(SocketState member, Outbound outbound) {
        if (member.socket instanceof StreamSocket stream
                && stream.direct()
                && stream.writeShared(outbound.webSocketFrames())) return;
        int size = outbound.frame.length();
        member.queuedBytes += size;
        member.socket.write(outbound.frame).onComplete(written -> member.queuedBytes -= size);
    }

    /** @param tooSlow what to do with a socket that stopped reading: it must {@link #leaveAll} the socket */
    StreamFanout(
            Vertx vertx, long maxQueuedBytes, long replyTimeoutMs, int maxFrameSize, Consumer<SocketState> tooSlow) {
        this.vertx = vertx;
        this.maxFrameSize = maxFrameSize;
        this.replyTimeoutMs = replyTimeoutMs;
        this.maxQueuedBytes = maxQueuedBytes;
        this.tooSlow = tooSlow;
    }

    private static String roomOf(Object body) {
        return body instanceof JsonObject json && json.getValue("room") instanceof String room ? room : null;
    }

    /** The bridge's {@code rec} frame, as vertx-web's bridge writes it. */
    static Buffer frame(String address, Message<Object> message) {
        JsonObject envelope =
                new JsonObject().put("type", "rec").put("address", address).put("body", message.body());
        if (message.replyAddress() != null) envelope.put("replyAddress", message.replyAddress());
        MultiMap headers = message.headers();
        if (!headers.isEmpty()) envelope.put("headers", headersJson(headers));
        return envelope.toBuffer();
    }

    private static JsonObject headersJson(MultiMap headers) {
        JsonObject json = new JsonObject();
        for (String name : headers.names()) {
            List<String> values = headers.getAll(name);
            json.put(name, values.size() == 1 ? values.get(0) : new JsonArray(new ArrayList<>(values)));
        }
        return json;
    }

    private void awaitReply(String replyAddress, Message<Object> message) {
        awaitingReply.put(replyAddress, message);
        vertx.setTimer(replyTimeoutMs, expired -> awaitingReply.remove(replyAddress));
    }

    /** The request a reply address answers, taken (each is answered once), or null. */
    Message<Object> awaitingReply(String replyAddress) {
        return awaitingReply.remove(replyAddress);
    }

    /** Whether a reply address belongs to a request this fan-out delivered (and it is still unanswered). */
    boolean awaits(String replyAddress) {
        return awaitingReply.containsKey(replyAddress);
    }

    /** Writes one message of a stream to one of its sockets only (what that socket alone needs, as it joins). */
    void writeTo(SocketState state, String address, JsonObject body) {
        Outbound frame = new Outbound(new JsonObject()
                .put("type", "rec")
                .put("address", address)
                .put("body", body)
                .toBuffer());
        try {
            write(state, frame);
        } finally {
            frame.release();
        }
    }

    /** Adds the socket to the stream, opening the stream's consumer when it is the first. */
    void join(SocketState state, String address) {
        Stream stream = streams.computeIfAbsent(address, Stream::new);
        if (!stream.members.contains(state)) stream.members.add(state);
    }

    /** Takes the socket off the stream; the last one out closes the stream's consumer. */
    void leave(SocketState state, String address) {
        Stream stream = streams.get(address);
        if (stream == null) return;
        stream.members.remove(state);
        if (stream.members.isEmpty()) {
            streams.remove(address);
            stream.consumer.unregister();
        }
    }

    void leaveAll(SocketState state) {
        for (String address : state.registered) leave(state, address);
    }

    /** Streams with a consumer on this instance (for tests and meters). */
    int streams() {
        return streams.size();
    }

    void close() {
        streams.values().forEach(stream -> stream.consumer.unregister());
        streams.clear();
    }
}
