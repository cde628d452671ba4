package io.vertable.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * One client connection of the generator, in one of the three wire formats. Every connection belongs to one room
 * and reports what it receives to the generator's current {@link Ledger}; all of them run on the generator's single
 * event loop.
 */
public abstract class Conn {

    /** Who the connection is: its index (sender id), its room, and for Vertable its session and token. */
    public record Member(int index, String room, String token, String userId) {}

    final Gen gen;
    final Member member;
    final int port;
    WebSocket ws;
    int seq;
    boolean paused;

    Conn(Gen gen, Member member, int port) {
        this.gen = gen;
        this.member = member;
        this.port = port;
    }

    /** Connects and joins the room; completes once the room's traffic will reach this connection. */
    abstract Future<Void> open();

    /** Sends one move with this connection's next sequence number, intended at {@code intendedMs} of the epoch. */
    abstract void sendMove(int phase, double intendedMs);

    void received(String text) {}

    Future<WebSocket> connect(String uri) {
        var options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(uri)
                .setAllowOriginHeader(false);
        return gen.client.connect(options).onSuccess(socket -> {
            ws = socket;
            socket.handler(buffer -> received(buffer.toString()));
            socket.exceptionHandler(e -> gen.ledger.errors++);
            socket.closeHandler(v -> gen.closed++);
        });
    }

    void write(String text) {
        if (ws != null && !ws.isClosed()) ws.writeTextMessage(text);
    }

    /** Stops reading (a slow consumer: TCP back-pressure reaches the server). */
    void pause() {
        paused = true;
        if (ws != null) ws.pause();
    }

    Future<Void> close() {
        return ws == null || ws.isClosed() ? Future.succeededFuture() : ws.close();
    }

    void deliver(int sender, int moveSeq, int phase, double sentMs) {
        long micros = (long) ((gen.nowMs() - sentMs) * 1000);
        gen.ledger.delivered(member.index, sender, moveSeq, phase, micros);
    }

    // ---- C: plain WebSocket ----

    /** Peer C: {@code /ws?room=…}, the move's JSON as a text frame each way. */
    static final class Plain extends Conn {
        Plain(Gen gen, Member member, int port) {
            super(gen, member, port);
        }

        @Override
        Future<Void> open() {
            return connect("/ws?room=" + member.room()).mapEmpty();
        }

        @Override
        void sendMove(int phase, double intendedMs) {
            write(Frames.move(member.room(), member.index(), seq++, phase, intendedMs, gen.pad));
        }

        @Override
        void received(String text) {
            readMove(this, text, 0);
        }
    }

    static void readMove(Conn conn, String text, int from) {
        double sender = Frames.number(text, "s", from);
        double seq = Frames.number(text, "q", from);
        double phase = Frames.number(text, "p", from);
        double sent = Frames.number(text, "t", from);
        if (Double.isNaN(sender) || Double.isNaN(seq) || Double.isNaN(phase) || Double.isNaN(sent)) {
            conn.gen.ledger.malformed++;
            return;
        }
        conn.deliver((int) sender, (int) seq, (int) phase, sent);
    }

    // ---- B: Socket.IO v4 over Engine.IO v4 ----

    /** Peer B: Engine.IO open, Socket.IO connect, {@code join}, then {@code move} events; answers the server's pings. */
    static final class SocketIo extends Conn {
        private final Promise<Void> joined = Promise.promise();

        SocketIo(Gen gen, Member member, int port) {
            super(gen, member, port);
        }

        @Override
        Future<Void> open() {
            return connect("/socket.io/?EIO=4&transport=websocket").compose(ws -> joined.future());
        }

        @Override
        void received(String text) {
            switch (Frames.classify(text)) {
                case OPEN -> write(Frames.sioConnect());
                case PING -> write(Frames.eioPong());
                case CONNECTED -> {
                    write(Frames.sioEvent("join", "\"" + member.room() + "\""));
                    joined.tryComplete();
                }
                case CONNECT_ERROR -> joined.tryFail("socket.io refused the connection: " + text);
                case EVENT -> {
                    if ("move".equals(Frames.sioEventName(text))) readMove(this, text, 0);
                    else gen.ledger.malformed++;
                }
                case CLOSE -> gen.closed++;
                default -> {}
            }
        }

        @Override
        void sendMove(int phase, double intendedMs) {
            write(Frames.sioEvent(
                    "move", Frames.move(member.room(), member.index(), seq++, phase, intendedMs, gen.pad)));
        }
    }

    // ---- A: Vertable's SockJS bridge (raw WebSocket endpoint) ----

    /**
     * System A: {@code /eventbus/websocket?token=…}; registers {@code vtt.room.<id>}, joins the room with
     * {@code vtt.in.room}, then sends live drags ({@code vtt.in.live}: x = sequence, y = intended time, tokenId = the
     * phase) or durable token moves ({@code vtt.in.map}, x = phase·10,000 + sequence, acknowledged once stored).
     */
    static final class Bridge extends Conn {
        private final String stream;
        private final Map<String, Promise<JsonObject>> replies = new HashMap<>();
        private final Map<String, Double> acks = new HashMap<>();
        private int nextReply;
        boolean durable;
        String tokenId;
        long lastRoomSeq = -1;

        Bridge(Gen gen, Member member, int port) {
            super(gen, member, port);
            this.stream = "vtt.room." + member.room();
        }

        @Override
        Future<Void> open() {
            return connect("/eventbus/websocket?token=" + member.token()).compose(ws -> {
                gen.bridgeSockets.add(this);
                ws.closeHandler(v -> {
                    gen.closed++;
                    gen.bridgeSockets.remove(this);
                });
                write(Frames.bridgeRegister(stream));
                boolean cold = gen.firstJoin(member.room());
                long started = System.nanoTime();
                return request(
                                "vtt.in.room",
                                new JsonObject().put("room", member.room()).put("op", "join"))
                        .map(view -> {
                            gen.joinMicros(started, cold);
                            lastRoomSeq = view.getLong("seq", -1L);
                            return null;
                        });
            });
        }

        Future<JsonObject> request(String address, JsonObject body) {
            String reply = "b" + member.index() + "." + nextReply++;
            Promise<JsonObject> answer = Promise.promise();
            replies.put(reply, answer);
            write(Frames.bridgeSend(address, body.encode(), reply));
            return answer.future();
        }

        void ping() {
            write(Frames.bridgePing());
        }

        @Override
        void sendMove(int phase, double intendedMs) {
            int moveSeq = seq++;
            if (!durable) {
                write(Frames.bridgeSend(
                        "vtt.in.live",
                        "{\"room\":\"" + member.room() + "\",\"op\":\"drag\",\"x\":" + moveSeq + ",\"y\":" + intendedMs
                                + ",\"tokenId\":\"p" + phase + "\"}",
                        null));
                return;
            }
            String reply = "m" + member.index() + "." + nextReply++;
            acks.put(reply, intendedMs);
            write(Frames.bridgeSend(
                    "vtt.in.map",
                    "{\"room\":\"" + member.room() + "\",\"op\":\"token.move\",\"tokenId\":\"" + tokenId + "\",\"x\":"
                            + (phase * 10_000 + moveSeq) + ",\"y\":" + intendedMs + "}",
                    reply));
        }

        @Override
        void received(String text) {
            String address = Frames.string(text, "address");
            String type = Frames.string(text, "type");
            if (address == null) {
                if (!"pong".equals(type)) gen.refusal(text);
                return;
            }
            if (address.equals(stream)) {
                if (text.contains("\"type\":\"live\"")) {
                    int bodyAt = text.indexOf("\"body\"");
                    String from = Frames.string(text, "from", bodyAt);
                    String tag = Frames.string(text, "tokenId", bodyAt);
                    double x = Frames.number(text, "x", bodyAt);
                    double y = Frames.number(text, "y", bodyAt);
                    Integer sender = from == null ? null : gen.userIndex.get(from);
                    if (sender == null || tag == null || Double.isNaN(x) || Double.isNaN(y)) {
                        gen.ledger.malformed++;
                        return;
                    }
                    deliver(sender, (int) x, Integer.parseInt(tag.substring(1)), y);
                } else if (text.contains("\"seq\"")) {
                    roomEvent(new JsonObject(text).getJsonObject("body"));
                }
                return;
            }
            Double intended = acks.remove(address);
            if (intended != null) {
                if ("err".equals(type)) gen.refusal(text);
                else gen.ack((long) ((gen.nowMs() - intended) * 1000));
                return;
            }
            Promise<JsonObject> waiting = replies.remove(address);
            if (waiting != null) {
                if ("err".equals(type)) waiting.tryFail(text);
                else waiting.tryComplete(new JsonObject(text).getJsonObject("body"));
            }
        }

        /** A durable event: its room seq must follow the last one; a token move carries (sender, seq, time). */
        private void roomEvent(JsonObject event) {
            long roomSeq = event.getLong("seq", -1L);
            if (lastRoomSeq >= 0 && roomSeq != lastRoomSeq + 1) gen.seqGaps++;
            lastRoomSeq = Math.max(lastRoomSeq, roomSeq);
            JsonObject patch = event.getJsonObject("patch");
            JsonObject upsert = patch == null ? null : patch.getJsonObject("upsert");
            JsonArray tokens = upsert == null ? null : upsert.getJsonArray("tokens");
            if (tokens == null) return;
            for (Object entry : tokens) {
                if (!(entry instanceof JsonObject token)) continue;
                Integer sender = gen.tokenIndex.get(token.getString("id"));
                if (sender == null) continue;
                int x = (int) token.getDouble("x", -1.0).doubleValue();
                deliver(sender, x % 10_000, x / 10_000, token.getDouble("y", 0.0));
            }
        }
    }
}
