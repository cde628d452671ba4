package io.vertable.node;

import io.vertable.kit.ConfigException;
import io.vertable.kit.NodeConfig;
import io.vertable.kit.StartupException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Entry point: reads the configuration, starts the node, and turns SIGTERM/SIGINT into a graceful shutdown that
 * exits 0 ({@code backup} and {@code restore FILE} run an operator command instead, see {@link StoreCommands}). A bad configuration or a failed start prints one line and exits non-zero (2 = configuration, 1 = start).
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        NodeConfig config;
        try {
            config = NodeConfig.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("vertable: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (args.length > 0) {
            System.exit(StoreCommands.run(args, config));
            return;
        }
        AtomicReference<Node> running = new AtomicReference<>();
        installSignalHandlers(running);
        try {
            running.set(Node.start(config));
        } catch (StartupException e) {
            System.err.println("vertable: cannot start: " + e.getMessage());
            LOG.debug("start-up failure", e);
            System.exit(1);
        }
    }

    private static void installSignalHandlers(AtomicReference<Node> running) {
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                // Signal handlers run on a daemon thread, and a thread inherits that: without setDaemon(false) the
                // JVM would exit as soon as Vert.x's threads end, before the embedded servers are stopped.
                Thread shutdown = new Thread(() -> stop(running.get(), received), "shutdown");
                shutdown.setDaemon(false);
                shutdown.start();
            });
        }
    }

    private static void stop(Node node, Signal signal) {
        LOG.info("received SIG{}", signal.getName());
        boolean clean = node == null || node.shutdown();
        System.exit(clean ? 0 : 1);
    }
}
