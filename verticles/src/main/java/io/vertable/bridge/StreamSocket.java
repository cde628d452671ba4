package io.vertable.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;

/**
 * A SockJS socket as vertx-web's bridge sees it, except that REGISTER and UNREGISTER frames for room and user streams
 * are taken by the {@link StreamFrames} first: those streams are delivered by the node's {@link StreamFanout} (one
 * consumer per stream, each frame encoded once), not by a consumer per socket. Every other frame (sends, replies,
 * pings, anything malformed) goes to the bridge as it came. The wire protocol is the same either way.
 */
final class StreamSocket extends SockJSSocketBase {

    /** Takes the frames it handles itself and says so. */
    interface StreamFrames {
        boolean handled(SockJSSocket socket, Buffer frame);
    }

    private final SockJSSocket socket;
    private final StreamFrames streams;

    /**
     * A {@link SockJSSocketBase} because the bridge's ping timeout casts its socket to one; everything is delegated to
     * the real socket (no write handler of its own is registered).
     */
    StreamSocket(Vertx vertx, SockJSSocket socket, StreamFrames streams) {
        super(vertx, socket.routingContext(), new SockJSHandlerOptions().setRegisterWriteHandler(false));
        this.socket = socket;
        this.streams = streams;
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
        return socket.write(data);
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
        return socket.end();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** The bridge's ping timeout: the real socket closes as a silent session does. */
    @Override
    public void closeAfterSessionExpired() {
        if (socket instanceof SockJSSocketBase base) base.closeAfterSessionExpired();
        else socket.close();
    }

    @Override
    public void close(int statusCode, String reason) {
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
