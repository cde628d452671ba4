package io.vertable.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import java.lang.reflect.Field;

/**
 * A SockJS socket as vertx-web's bridge sees it, except that REGISTER and UNREGISTER frames for room and user streams
 * are taken by the {@link StreamFrames} first: those streams are delivered by the node's {@link StreamFanout} (one
 * consumer per stream, each frame encoded once), not by a consumer per socket. Every other frame (sends, replies,
 * pings, anything malformed) goes to the bridge as it came. The wire protocol is the same either way.
 *
 * <p>A raw WebSocket ({@code /eventbus/websocket}) is written to below Vert.x's per-message path: each frame's WebSocket
 * bytes go straight to the connection's channel ({@link #writeShared} takes bytes built once per message for a whole
 * stream), skipping a copy, a promise, an outbound queue and an encoder per socket and message. Every bridge write of
 * such a socket takes this path, so frames keep their order. SockJS's own transports (its WebSocket with
 * {@code a[...]} framing, XHR, …) and a raw socket whose channel cannot be reached keep Vert.x's path.
 */
final class StreamSocket extends SockJSSocketBase {

    /** Takes the frames it handles itself and says so. */
    interface StreamFrames {
        boolean handled(SockJSSocket socket, Buffer frame);
    }

    private static final Field RAW_WEBSOCKET =
            field("io.vertx.ext.web.handler.sockjs.impl.RawWebSocketTransport$RawWSSockJSSocket", "ws");
    private static final Field WRAPPED_WEBSOCKET = field("io.vertx.ext.web.impl.ServerWebSocketWrapper", "delegate");

    private final SockJSSocket socket;
    private final StreamFrames streams;
    private final VertxInternal vertx;
    /** The raw WebSocket under the SockJS socket, or null: written to directly when there. */
    private final WebSocketInternal webSocket;
    /**
     * The raw WebSocket's channel and its buffer of unsent bytes, looked up once: a delivery asks every socket of a
     * stream for both, and walking from the WebSocket to them each time cost about as much as the write it saved.
     */
    private ChannelHandlerContext channel;

    private ChannelOutboundBuffer unsent;

    private final int maxFrameSize;
    /** Set once the bridge closes or ends the socket: nothing more is written directly after its close frame. */
    private boolean closing;

    /**
     * A {@link SockJSSocketBase} because the bridge's ping timeout casts its socket to one; everything is delegated to
     * the real socket (no write handler of its own is registered).
     */
    StreamSocket(Vertx vertx, SockJSSocket socket, StreamFrames streams, int maxFrameSize) {
        super(vertx, socket.routingContext(), new SockJSHandlerOptions().setRegisterWriteHandler(false));
        this.socket = socket;
        this.streams = streams;
        this.vertx = (VertxInternal) vertx;
        this.maxFrameSize = maxFrameSize;
        this.webSocket = rawWebSocket(socket);
    }

    /**
     * vertx-web keeps the raw WebSocket of its raw transport to itself (a field of its socket, under a wrapper): read
     * once per socket. A vertx-web whose classes changed gives null, and the socket keeps Vert.x's write path.
     */
    static WebSocketInternal rawWebSocket(SockJSSocket socket) {
        if (RAW_WEBSOCKET == null || !RAW_WEBSOCKET.getDeclaringClass().isInstance(socket)) return null;
        try {
            Object ws = RAW_WEBSOCKET.get(socket);
            if (WRAPPED_WEBSOCKET != null
                    && WRAPPED_WEBSOCKET.getDeclaringClass().isInstance(ws)) ws = WRAPPED_WEBSOCKET.get(ws);
            return ws instanceof WebSocketInternal internal ? internal : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field field(String className, String name) {
        try {
            Field field = Class.forName(className).getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether frames go straight to the WebSocket's channel ({@link #writeShared} may be used). */
    boolean direct() {
        return webSocket != null;
    }

    /**
     * Writes a stream message's WebSocket bytes, shared by every socket of the stream (not released here); false when
     * the socket cannot take them so (closed, or not on its channel's thread) and the caller must {@link #write}.
     */
    boolean writeShared(ByteBuf frames) {
        ChannelHandlerContext channel = directChannel();
        if (channel == null) return false;
        channel.writeAndFlush(frames.retainedDuplicate(), channel.voidPromise());
        return true;
    }

    /** Bytes written directly and not yet taken by the network (a reader that stopped lets this grow). */
    long unsentBytes() {
        if (webSocket == null) return 0;
        if (unsent == null) unsent = channel().channel().unsafe().outboundBuffer();
        return unsent == null ? 0 : unsent.totalPendingWriteBytes();
    }

    private ChannelHandlerContext channel() {
        if (channel == null) channel = webSocket.channelHandlerContext();
        return channel;
    }

    private ChannelHandlerContext directChannel() {
        if (webSocket == null || closing || webSocket.isClosed()) return null;
        ChannelHandlerContext channel = channel();
        return channel.executor().inEventLoop() ? channel : null;
    }

    @Override
    public SockJSSocket handler(Handler<Buffer> bridge) {
        socket.handler(
                bridge == null
                        ? null
                        : frame -> {
                            if (!streams.handled(this, frame)) bridge.handle(frame);
                        });
        return this;
    }

    @Override
    public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
        socket.exceptionHandler(handler);
        return this;
    }

    @Override
    public SockJSSocket pause() {
        socket.pause();
        return this;
    }

    @Override
    public SockJSSocket resume() {
        socket.resume();
        return this;
    }

    @Override
    public SockJSSocket fetch(long amount) {
        socket.fetch(amount);
        return this;
    }

    @Override
    public SockJSSocket endHandler(Handler<Void> handler) {
        socket.endHandler(handler);
        return this;
    }

    @Override
    public SockJSSocket closeHandler(Handler<Void> handler) {
        socket.closeHandler(handler);
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        ChannelHandlerContext channel = directChannel();
        if (channel == null) return socket.write(data);
        PromiseInternal<Void> written = vertx.promise();
        channel.writeAndFlush(WebSocketFrames.binary(data, maxFrameSize)).addListener(written);
        return written.future();
    }

    @Override
    public Future<Void> write(String data) {
        return socket.write(data);
    }

    @Override
    public SockJSSocket setWriteQueueMaxSize(int maxSize) {
        socket.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public SockJSSocket drainHandler(Handler<Void> handler) {
        socket.drainHandler(handler);
        return this;
    }

    @Override
    public String writeHandlerID() {
        return socket.writeHandlerID();
    }

    @Override
    public Future<Void> end() {
        closing = true;
        return socket.end();
    }

    @Override
    public void close() {
        closing = true;
        socket.close();
    }

    /** The bridge's ping timeout: the real socket closes as a silent session does. */
    @Override
    public void closeAfterSessionExpired() {
        closing = true;
        if (socket instanceof SockJSSocketBase base) base.closeAfterSessionExpired();
        else socket.close();
    }

    @Override
    public void close(int statusCode, String reason) {
        closing = true;
        socket.close(statusCode, reason);
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public MultiMap headers() {
        return socket.headers();
    }

    @Override
    public String uri() {
        return socket.uri();
    }

    @Override
    public RoutingContext routingContext() {
        return socket.routingContext();
    }

    @Override
    public Session webSession() {
        return socket.webSession();
    }

    @Override
    public User webUser() {
        return socket.webUser();
    }
}
