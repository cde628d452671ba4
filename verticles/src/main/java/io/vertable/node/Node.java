package io.vertable.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertable.kit.ConfigException;
import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.NodeConfig;
import io.vertable.kit.NodeContext;
import io.vertable.kit.NodeMeters;
import io.vertable.kit.PgUrl;
import io.vertable.kit.RunningPlan;
import io.vertable.kit.StartupException;
import io.vertable.kit.bus.BalancedConsumers;
import io.vertable.kit.bus.Departures;
import io.vertable.node.storage.BackupSchedule;
import io.vertable.node.storage.EmbeddedStorage;
import io.vertable.node.storage.EmbeddedSupervisor;
import io.vertable.node.storage.KeptDiceKey;
import io.vertable.node.storage.Migrations;
import io.vertable.shared.VerticleName;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Vertable node: its storage (embedded or external), its Vert.x instance (clustered or standalone) and
 * the verticles of its deployment plan. {@link #start} either returns a fully started node or cleans up everything
 * it started and throws one {@link StartupException} line.
 */
public final class Node implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final long DEPLOY_TIMEOUT_S = 60;
    private static final long LINGER_MS = 500;

    private final NodeContext context;
    private final Vertx vertx;
    private final List<EmbeddedStorage> embedded;
    /** Started once the node is up, so a failed start never leaves a thread restarting what it just stopped. */
    private EmbeddedSupervisor supervisor;

    private BackupSchedule backups;
    private final Map<VerticleName, List<String>> deployments;
    private NodeAdmin admin;
    private volatile boolean closed;

    private Node(
            NodeContext context,
            Vertx vertx,
            List<EmbeddedStorage> embedded,
            Map<VerticleName, List<String>> deployments) {
        this.context = context;
        this.vertx = vertx;
        this.embedded = embedded;
        this.deployments = deployments;
    }

    /** Starts a node; call from a plain thread (main, a test), never from an event loop. */
    public static Node start(NodeConfig requested) {
        List<EmbeddedStorage> embedded = new ArrayList<>();
        Vertx vertx = null;
        try {
            NodeConfig config = KeptDiceKey.resolve(SigningKey.resolve(prepareStorage(requested, embedded)));
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            vertx = createVertx(config, metrics);
            ClusterManager clusterManager =
                    config.clustered() ? ((io.vertx.core.internal.VertxInternal) vertx).clusterManager() : null;
            var context = new NodeContext(
                    config,
                    Instant.now(),
                    clusterManager,
                    metrics,
                    new BalancedConsumers(vertx),
                    new NodeMeters(metrics),
                    new RunningPlan(config.plan()));
            Departures.listen(vertx).await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
            if (clusterManager instanceof HazelcastClusterManager hazelcast) reportLostMembers(hazelcast, vertx);
            Map<VerticleName, List<String>> deployments = deploy(vertx, context);
            var node = new Node(context, vertx, embedded, deployments);
            node.admin = NodeAdmin.start(node, vertx).await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
            node.supervisor = EmbeddedSupervisor.watch(config.nodeId(), embedded);
            node.backups = scheduleBackups(config, metrics);
            LOG.info(
                    "node ready node={} url={} plan={} cluster={} members={}",
                    config.nodeId(),
                    node.httpPort() < 0 ? "(no http)" : "http://127.0.0.1:" + node.httpPort() + "/",
                    config.plan(),
                    config.clustered() ? config.section("cluster").getString("name") : "standalone",
                    context.clusterMembers());
            return node;
        } catch (Throwable failure) {
            closeQuietly(vertx, embedded);
            throw asStartupException(failure);
        }
    }

    /** Resolves where PostgreSQL and Redis are: configured URLs, or embedded servers in the data folder. */
    private static NodeConfig prepareStorage(NodeConfig config, List<EmbeddedStorage> embedded) {
        DeploymentPlan plan = config.plan();
        String pgUrl = config.section("postgres").getString("url");
        if (plan.runs(VerticleName.PERSISTENCE)) {
            if (pgUrl.isEmpty()) {
                JsonObject postgres = config.section("postgres");
                EmbeddedStorage pg = EmbeddedStorage.startPostgres(
                        config.dataDir(),
                        postgres.getInteger("embeddedPort"),
                        postgres.getBoolean("embeddedLosesDataOnCrash")
                                ? EmbeddedStorage.Durability.LOSES_DATA_ON_CRASH
                                : EmbeddedStorage.Durability.DURABLE);
                embedded.add(pg);
                pgUrl = pg.pgUrl().url();
            }
            Migrations.apply(new PgUrl(pgUrl));
        }
        String redisUrl = config.section("redis").getString("url");
        boolean needsRedis = plan.runs(VerticleName.HTTP) || plan.runs(VerticleName.BRIDGE);
        if (needsRedis && redisUrl.isEmpty()) {
            EmbeddedStorage redis = EmbeddedStorage.startRedis(
                    config.dataDir(), config.section("redis").getInteger("embeddedPort"));
            embedded.add(redis);
            redisUrl = redis.redisUrl();
        }
        return config.with("postgres", "url", pgUrl).with("redis", "url", redisUrl);
    }

    /** Nodes that run persistence take part in the scheduled backups (one node per interval takes it). */
    private static BackupSchedule scheduleBackups(NodeConfig config, PrometheusMeterRegistry metrics) {
        JsonObject backup = config.section("backup");
        if (!config.plan().runs(VerticleName.PERSISTENCE) || !backup.getBoolean("enabled")) return null;
        var settings = new BackupSchedule.Settings(
                config.backupDir(),
                java.time.Duration.ofHours(backup.getInteger("intervalHours")),
                backup.getInteger("retentionDays"));
        return new BackupSchedule(
                        new PgUrl(config.section("postgres").getString("url")), settings, config.nodeId(), metrics)
                .start();
    }

    /**
     * A member that leaves without a word (its JVM killed) is noticed by Hazelcast within a second (its connections
     * drop); requests waiting on it are then sent again at once instead of after their 4–5 s timeouts.
     */
    private static void reportLostMembers(HazelcastClusterManager hazelcast, Vertx vertx) {
        Departures departures = Departures.of(vertx.eventBus());
        hazelcast.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event) {
                departures.memberLost(event.getMember().getAddress().toString());
            }
        });
    }

    private static Vertx createVertx(NodeConfig config, PrometheusMeterRegistry metrics) {
        var options = new VertxOptions()
                .setMetricsOptions(
                        new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
        var builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(metrics));
        if (!config.clustered()) return builder.with(options).build();
        options.setEventBusOptions(ClusterSetup.eventBusOptions(config));
        try {
            return builder.with(options)
                    .withClusterManager(new HazelcastClusterManager(ClusterSetup.hazelcastConfig(config)))
                    .buildClustered()
                    .await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StartupException("cluster: did not join within " + DEPLOY_TIMEOUT_S + " s");
        } catch (RuntimeException e) {
            throw new StartupException("cluster: cannot join (" + rootMessage(e) + ")", e);
        }
    }

    /**
     * Deploys the plan kind by kind in {@link Verticles#START_ORDER}; the instances of one kind start together. Each
     * instance is a deployment of its own, so a live rescale can stop exactly one.
     */
    private static Map<VerticleName, List<String>> deploy(Vertx vertx, NodeContext context) {
        Map<VerticleName, List<String>> deployments = new EnumMap<>(VerticleName.class);
        for (VerticleName name : VerticleName.values()) deployments.put(name, new CopyOnWriteArrayList<>());
        for (VerticleName name : Verticles.START_ORDER) {
            int instances = context.plan().instancesOf(name);
            if (instances == 0) continue;
            List<Future<String>> starting = IntStream.range(0, instances)
                    .mapToObj(i -> deployOne(vertx, context, name))
                    .toList();
            try {
                Future.all(starting).await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
                starting.forEach(started -> deployments.get(name).add(started.result()));
            } catch (TimeoutException e) {
                throw new StartupException(name.configName() + ": did not start within " + DEPLOY_TIMEOUT_S + " s");
            } catch (StartupException e) {
                throw e;
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() instanceof StartupException s ? s : e;
                if (cause instanceof StartupException s) throw s;
                throw new StartupException(name.configName() + ": failed to start (" + rootMessage(e) + ")", e);
            }
        }
        return deployments;
    }

    private static Future<String> deployOne(Vertx vertx, NodeContext context, VerticleName name) {
        var options = new DeploymentOptions().setConfig(context.config().json());
        return vertx.deployVerticle(Verticles.factory(name, context), options);
    }

    /**
     * Live rescale of one verticle kind: starts the missing instances together, or stops the newest ones one at a
     * time — a stopping map instance hands its rooms to instances that keep running, a stopping bridge closes its
     * sockets (clients reconnect to the instances left). Start order does not matter here: the node runs already.
     *
     * @return {@code {node, verticle, from, to}}; on a partial failure the running plan still tells what runs
     */
    Future<JsonObject> rescale(VerticleName name, int to) {
        List<String> running = deployments.get(name);
        int from = running.size();
        if (closed) return Future.failedFuture(new FailureException(ErrorCode.SERVICE_UNAVAILABLE, "node stopping"));
        Future<Void> done = to >= from ? addInstances(name, to - from) : removeInstances(name, from - to);
        return done.transform(result -> {
            int now = running.size();
            context.running().set(name, now);
            LOG.info("node rescaled node={} verticle={} from={} to={}", id(), name.configName(), from, now);
            if (result.failed()) {
                LOG.warn(
                        "rescale incomplete node={} verticle={}: {}",
                        id(),
                        name.configName(),
                        rootMessage(result.cause()));
                return Future.failedFuture(new FailureException(
                        ErrorCode.INTERNAL,
                        "the rescale stopped at " + now + " instances: " + rootMessage(result.cause())));
            }
            return Future.succeededFuture(new JsonObject()
                    .put("node", id())
                    .put("verticle", name.configName())
                    .put("from", from)
                    .put("to", now));
        });
    }

    private Future<Void> addInstances(VerticleName name, int count) {
        List<Future<String>> starting = IntStream.range(0, count)
                .mapToObj(i -> deployOne(vertx, context, name).onSuccess(deployments.get(name)::add))
                .toList();
        return Future.all(starting).mapEmpty();
    }

    private Future<Void> removeInstances(VerticleName name, int count) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < count; i++) chain = chain.compose(done -> removeNewest(name));
        return chain;
    }

    private Future<Void> removeNewest(VerticleName name) {
        List<String> running = deployments.get(name);
        String newest = running.get(running.size() - 1);
        long started = System.nanoTime();
        return vertx.undeploy(newest).onComplete(done -> {
            running.remove(newest);
            LOG.info(
                    "verticle instance undeployed node={} verticle={} deployment={} ms={} ok={}",
                    id(),
                    name.configName(),
                    newest,
                    (System.nanoTime() - started) / 1_000_000,
                    done.succeeded());
        });
    }

    public NodeContext context() {
        return context;
    }

    public Vertx vertx() {
        return vertx;
    }

    public String id() {
        return context.nodeId();
    }

    /** The HTTP port actually bound, or -1 when this node runs no http verticle. */
    public int httpPort() {
        return localFact(NodeContext.HTTP_PORT);
    }

    /** The bridge port actually bound, or -1 when this node runs no bridge verticle. */
    public int bridgePort() {
        return localFact(NodeContext.BRIDGE_PORT);
    }

    private int localFact(String key) {
        Object port = vertx.sharedData().getLocalMap(NodeContext.LOCAL_FACTS).get(key);
        return port == null ? -1 : (Integer) port;
    }

    /**
     * Graceful stop: undeploys the plan backwards (the doors close first, so no new work comes in while services
     * finish), leaves the cluster, then stops embedded servers. Blocks up to {@code shutdown.graceSeconds}.
     *
     * @return true when everything stopped within the grace period
     */
    public synchronized boolean shutdown() {
        if (closed) return true;
        closed = true;
        long graceMs = context.config().section("shutdown").getInteger("graceSeconds") * 1000L;
        long deadline = System.currentTimeMillis() + Math.max(graceMs, 1000);
        LOG.info("node stopping node={}", id());
        boolean clean = awaitUntil(admin.stop(), deadline, "admin");
        List<VerticleName> order = new ArrayList<>(Verticles.START_ORDER);
        java.util.Collections.reverse(order);
        for (VerticleName name : order) {
            for (String id : deployments.getOrDefault(name, List.of())) {
                clean &= awaitUntil(vertx.undeploy(id), deadline, "undeploy " + name.configName());
            }
        }
        if (context.clustered()) {
            // Linger in the cluster a moment with nothing deployed: messages already on their way here (routed before
            // the others saw our consumers go) are answered "no handler" and re-sent, instead of being lost.
            clean &= awaitUntil(vertx.timer(LINGER_MS).mapEmpty(), deadline, "linger");
        }
        if (backups != null) backups.close();
        clean &= awaitUntil(vertx.close(), deadline, "leave the cluster");
        Departures.forget(vertx);
        if (supervisor != null) supervisor.close();
        embedded.forEach(EmbeddedStorage::close);
        LOG.info("node stopped node={} clean={}", id(), clean);
        return clean;
    }

    @Override
    public void close() {
        shutdown();
    }

    private boolean awaitUntil(Future<?> future, long deadline, String what) {
        try {
            future.await(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("shutdown step timed out node={} step={}", id(), what);
        } catch (RuntimeException e) {
            LOG.warn("shutdown step failed node={} step={}: {}", id(), what, rootMessage(e));
        }
        return false;
    }

    private static void closeQuietly(Vertx vertx, List<EmbeddedStorage> embedded) {
        if (vertx != null) {
            try {
                vertx.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("vert.x did not close cleanly after a failed start: {}", rootMessage(e));
            }
        }
        embedded.forEach(EmbeddedStorage::close);
    }

    private static StartupException asStartupException(Throwable failure) {
        if (failure instanceof StartupException s) return s;
        if (failure instanceof ConfigException c) return new StartupException(c.getMessage(), c);
        return new StartupException("node failed to start: " + rootMessage(failure), failure);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return message == null
                ? root.getClass().getSimpleName()
                : message.lines().findFirst().orElse("").trim();
    }
}
