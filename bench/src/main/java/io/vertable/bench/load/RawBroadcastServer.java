package io.vertable.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Peer C of the benchmark: the near-limit baseline. A bare Vert.x WebSocket server with one event loop; a client
 * connects to {@code /ws?room=<name>}, and every text frame it sends is written as is to every socket of its room
 * (the sender included, as the other systems do). No parsing, no checks, no storage. Prints {@code READY <port>}.
 */
public final class RawBroadcastServer {

    private RawBroadcastServer() {}

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Map<String, List<ServerWebSocket>> rooms = new HashMap<>();
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .webSocketHandler(ws -> {
                    String query = ws.query() == null ? "" : ws.query();
                    if (!ws.path().equals("/ws") || !query.startsWith("room=")) {
                        ws.close((short) 1008);
                        return;
                    }
                    List<ServerWebSocket> room = rooms.computeIfAbsent(query.substring(5), r -> new ArrayList<>());
                    room.add(ws);
                    ws.closeHandler(v -> room.remove(ws));
                    ws.textMessageHandler(text -> {
                        for (ServerWebSocket member : room) member.writeTextMessage(text);
                    });
                })
                .listen()
                .onSuccess(server -> System.out.println("READY " + server.actualPort()))
                .onFailure(e -> {
                    System.err.println("peer C failed to listen: " + e);
                    System.exit(1);
                });
    }
}
