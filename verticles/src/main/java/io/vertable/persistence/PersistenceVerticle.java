package io.vertable.persistence;

import io.vertable.kit.NodeContext;
import io.vertable.kit.PgUrl;
import io.vertable.kit.ServiceVerticle;
import io.vertable.kit.bus.Departures;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The only verticle that talks to PostgreSQL; each instance owns a bounded pool. */
public final class PersistenceVerticle extends ServiceVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

    /** The addresses the stores answer on. */
    private static final java.util.List<String> STORES = java.util.List.of(
            Addresses.PERSIST_ACCOUNTS,
            Addresses.PERSIST_ROOMS,
            Addresses.PERSIST_EVENTS,
            Addresses.PERSIST_CHAT,
            Addresses.PERSIST_CHARACTERS,
            Addresses.PERSIST_ASSETS);

    private Pool pool;
    /** Requests taken and not yet answered; touched only on this verticle's event loop. */
    private int inFlight;

    private Promise<Void> drained;

    public PersistenceVerticle(NodeContext node) {
        super(VerticleName.PERSISTENCE, node);
    }

    @Override
    protected Future<?> startService() {
        pool = pool(vertx, node.config().section("postgres"), "vertable-" + deploymentID());
        return checkDatabase()
                .compose(ok -> consume(Addresses.PERSIST_PING, this::answerPing))
                .compose(ok -> serveStores());
    }

    /** Each store answers its operations on its own address. */
    private Future<?> serveStores() {
        var accounts = new GuestDevicesStore(pool).on(new AccountsStore(pool).operations(Addresses.PERSIST_ACCOUNTS));
        var rooms = new RoomsStore(pool).operations(Addresses.PERSIST_ROOMS);
        var events = new EventsStore(pool).operations(Addresses.PERSIST_EVENTS);
        var chat = new ChatStore(pool).operations(Addresses.PERSIST_CHAT);
        var characters = new CharactersStore(pool).operations(Addresses.PERSIST_CHARACTERS);
        var assets = new AssetsStore(pool).operations(Addresses.PERSIST_ASSETS);
        return consume(Addresses.PERSIST_ACCOUNTS, tracked(accounts))
                .compose(ok -> consume(Addresses.PERSIST_ROOMS, tracked(rooms)))
                .compose(ok -> consume(Addresses.PERSIST_EVENTS, tracked(events)))
                .compose(ok -> consume(Addresses.PERSIST_CHAT, tracked(chat)))
                .compose(ok -> consume(Addresses.PERSIST_CHARACTERS, tracked(characters)))
                .compose(ok -> consume(Addresses.PERSIST_ASSETS, tracked(assets)));
    }

    /** Counts the requests being answered, so stop() can let them finish before the pool goes. */
    private Handler<Message<JsonObject>> tracked(Operations operations) {
        return message -> {
            inFlight++;
            operations.handle(message).onComplete(done -> {
                inFlight--;
                if (inFlight == 0 && drained != null) drained.tryComplete();
            });
        };
    }

    /**
     * The verticle's bounded pool. Its sessions end any transaction left idle past {@code idleInTransactionSeconds}:
     * should a failure in a transaction's own code path ever leave it neither committed nor rolled back, the server
     * rolls it back and closes the session, the waiting call fails, and the pool replaces the connection. The limit is
     * set by a {@code SET} on each new connection, not as a startup parameter: pgbouncer refuses startup parameters it
     * does not know.
     */
    static Pool pool(io.vertx.core.Vertx vertx, JsonObject pg, String name) {
        String limit = "SET idle_in_transaction_session_timeout = " + pg.getInteger("idleInTransactionSeconds") * 1000;
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(pg.getInteger("poolSize")).setName(name))
                .connectingTo(connectOptions(pg))
                .withConnectHandler(conn -> conn.query(limit)
                        .execute()
                        .onFailure(e -> LOG.warn("could not limit idle transactions pool={}: {}", name, e.getMessage()))
                        .onComplete(done -> conn.close()))
                .using(vertx)
                .build();
    }

    /** Where the pool connects, with the client's own startup parameters only. */
    static PgConnectOptions connectOptions(JsonObject pg) {
        return new PgUrl(pg.getString("url")).connectOptions();
    }

    /**
     * Withdraws first (new requests go to other instances), then lets the requests already taken finish before the
     * pool closes: closing it under them would answer "database unreachable" to work that was going fine (a rolling
     * update's appends, say). Bounded by what their callers wait ({@link Deadlines#STORE_CALL_MS}).
     */
    @Override
    public Future<?> stop() {
        return super.stop()
                .eventually(this::finishInFlight)
                .eventually(this::announceDeparture)
                .eventually(() -> pool.close());
    }

    /**
     * Once nothing here answers any more: a request that reached this instance as it withdrew was dropped by the
     * bus unanswered, so its sender is told to send it again rather than wait out its timeout.
     */
    private Future<Void> announceDeparture() {
        Departures.of(vertx.eventBus()).announce(node.nodeId(), STORES);
        return Future.succeededFuture();
    }

    private Future<Void> finishInFlight() {
        if (inFlight == 0) return Future.succeededFuture();
        LOG.info("persistence finishing requests node={} inFlight={}", node.nodeId(), inFlight);
        drained = Promise.promise();
        // Their callers give up after STORE_CALL_MS anyway: a query that hangs longer must not hold the undeploy.
        return drained.future()
                .timeout(Deadlines.STORE_CALL_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .recover(slow -> Future.succeededFuture());
    }

    private Future<Void> checkDatabase() {
        return pool.query("SELECT 1").execute().mapEmpty();
    }

    private void answerPing(Message<Object> message) {
        long started = System.nanoTime();
        pool.query("SELECT count(*) FROM flyway_schema_history WHERE success")
                .execute()
                .onSuccess(rows -> message.reply(new JsonObject()
                        .put("node", node.nodeId())
                        .put("migrations", rows.iterator().next().getLong(0))
                        .put("ms", (System.nanoTime() - started) / 1_000_000.0)))
                .onFailure(e -> {
                    LOG.warn("database check failed node={}: {}", node.nodeId(), e.getMessage());
                    message.fail(
                            ErrorCode.SERVICE_UNAVAILABLE.httpStatus(),
                            ErrorCode.SERVICE_UNAVAILABLE
                                    .toJson("database: " + e.getMessage())
                                    .encode());
                });
    }
}
